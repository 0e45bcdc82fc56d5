"""Real corpora through the harness (skipped with a reason when ../shared/data is absent)."""

from __future__ import annotations

import itertools
import random

import pytest
from seqeval.metrics import f1_score as seqeval_f1
from seqeval.scheme import IOB2
from sklearn.metrics import f1_score

from benchmark.harness import GoldSet, evaluate_submission
from benchmark.importers import IMPORTERS
from benchmark.tasks import get_task

pytestmark = pytest.mark.realdata


def _corpus(shared_data, name):
    path = shared_data / name
    if not path.is_dir():
        pytest.skip(f"corpus {name!r} not found under {shared_data}")
    return path


def test_ans_stance_with_its_own_labels(shared_data):
    importer = IMPORTERS["ans"]
    articles = list(itertools.islice(importer.load(_corpus(shared_data, "ans")), 400))
    task = get_task("stance")
    gold = GoldSet.from_rows(task, task.rows(articles, importer.schema), schema=importer.schema, source="ans")
    rng = random.Random(0)
    labels = list(importer.schema.stance_labels)
    lines = [{"id": r["id"], "label": r["label"] if rng.random() < 0.6 else rng.choice(labels)} for r in gold.rows]
    results = evaluate_submission(task, lines, gold=gold, n_resamples=200)
    y_true = [r["label"] for r in gold.rows]
    y_pred = [line["label"] for line in lines]
    assert results.metrics["macro/f1"].value == pytest.approx(
        f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0), rel=1e-12)
    assert results.metrics["f_avg"].value == pytest.approx(
        f1_score(y_true, y_pred, labels=["agree", "disagree"], average="macro", zero_division=0), rel=1e-12)
    low, high = results.metrics["macro/f1"].low, results.metrics["macro/f1"].high
    assert low < results.metrics["macro/f1"].value < high


def test_anercorp_bio_view_scores_like_seqeval(shared_data):
    from benchmark.text import Token, bio_to_spans

    importer = IMPORTERS["anercorp"]
    rows = []
    for article in itertools.islice(importer.load(_corpus(shared_data, "anercorp")), 200):
        # every imported article aligns: mention edges on U+200F are trimmed by the importer
        rows += get_task("ner").article_rows(article, importer.schema)
    rng = random.Random(1)
    names = ["O", *(f"{p}-{label}" for label in importer.schema.entity_labels for p in "BI")]
    gold_tags = [r["ner_tags"] for r in rows]
    pred_tags = [[t if rng.random() < 0.93 else rng.choice(names) for t in tags] for tags in gold_tags]
    tokens = [[Token(t, s["start"], s["end"]) for t, s in zip(r["tokens"], r["token_spans"], strict=True)]
              for r in rows]
    gold = GoldSet.from_rows("ner", [{**r, "entities": [{"start": s, "end": e, "label": lab} for s, e, lab in
                                                         bio_to_spans(tok, r["ner_tags"])]}
                                     for r, tok in zip(rows, tokens, strict=True)], schema=importer.schema)
    lines = [{"doc_id": r["doc_id"], "entities": [{"start": s, "end": e, "label": lab}
                                                  for s, e, lab in bio_to_spans(tok, tags)]}
             for r, tok, tags in zip(rows, tokens, pred_tags, strict=True)]
    results = evaluate_submission("ner", lines, gold=gold, n_resamples=100)
    assert results.score == pytest.approx(seqeval_f1(gold_tags, pred_tags, mode="strict", scheme=IOB2), rel=1e-12)
