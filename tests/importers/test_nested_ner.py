"""Nested NER end to end: the outermost-layer figures beside the all-layer ones, the CRF's loud
warning about the spans it cannot learn, and a release that keeps every layer."""

from __future__ import annotations

import warnings

import pytest

from benchmark.metrics.ner import (
    SpanArrays,
    ner_doc_counts,
    ner_outermost_counts,
    ner_outermost_scores,
    outermost_mask,
)
from benchmark.model import Article, Mention
from benchmark.schema import LabelSchema
from benchmark.tasks import get_task

GOLD = [[(0, 16, "OCC"), (10, 16, "GPE"), (20, 25, "PERS")], [(0, 4, "ORG"), (6, 9, "GPE")]]


def test_outermost_mask_keeps_entities_not_inside_another():
    spans = SpanArrays.from_docs([[(0, 9, "A"), (0, 9, "B"), (2, 5, "A"), (2, 9, "B"), (9, 12, "A")]],
                                 {"A": 0, "B": 1})
    kept = sorted((int(s), int(e), int(lab)) for s, e, lab, k in
                  zip(spans.start, spans.end, spans.label, outermost_mask(spans), strict=True) if k)
    assert kept == [(0, 9, 0), (0, 9, 1), (9, 12, 0)]  # a repeated span shares its twin's outcome


def test_outermost_counts_and_scores():
    pred = [[(0, 16, "OCC"), (20, 25, "PERS")], [(0, 4, "ORG"), (6, 9, "LOC")]]
    table = ner_outermost_counts(GOLD, pred, doc_ids=["a", "b"])
    assert table.doc_rows() == [{"outermost/tp": 2, "outermost/n_pred": 2, "outermost/n_gold": 2},
                                {"outermost/tp": 1, "outermost/n_pred": 2, "outermost/n_gold": 2}]
    scores = ner_outermost_scores(GOLD, pred)
    assert scores["tp"] == 3 and scores["f1"] == pytest.approx(0.75)
    assert ner_doc_counts(GOLD, pred).totals()["strict/n_gold"] == 5  # all layers: the nested GPE counts
    flat = [[(0, 4, "ORG")]]  # without nesting, outermost == strict
    assert ner_outermost_scores(flat, flat)["f1"] == 1.0


def test_the_ner_task_scores_every_layer_and_the_outermost_one():
    task = get_task("ner")
    schema = LabelSchema("own", entity_labels=("OCC", "GPE", "PERS", "ORG"), quote_kinds=(), stance_labels=())
    gold_rows = [{"doc_id": "a", "entities": [{"start": s, "end": e, "label": lab} for s, e, lab in GOLD[0]]}]
    predictions = {"a": {"entities": [{"start": 0, "end": 16, "label": "OCC"}]}}
    table = task.doc_counts(gold_rows, predictions, schema)
    scores = task.scores_from_counts(table.counts.sum(axis=0), table.columns, schema)
    assert float(scores["strict/recall"]) == pytest.approx(1 / 3)
    assert float(scores["outermost/recall"]) == pytest.approx(1 / 2)
    assert "outermost/f1" in task.headline_metrics


def test_crf_warns_with_the_number_of_spans_it_cannot_learn():
    from baselines.sklearn.ner import NerModel, NestedSpansWarning

    text = "قال رئيس بلدية عمان إن سامي حاضر"
    article = Article(doc_id="d", text=text, entities=(Mention("m1", 4, 19, "OCC"), Mention("m2", 15, 19, "GPE"),
                                                        Mention("m3", 23, 27, "PERS")))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", NestedSpansWarning)
        model = NerModel.train([article], max_iterations=5)
    messages = [str(w.message) for w in caught if issubclass(w.category, NestedSpansWarning)]
    assert messages == ["1 nested span (inner layer) cannot be learned by the CRF: it trains on the outermost "
                        "layer (--depths N learns N layers)"]
    assert model.meta["not_in_bio"] == 1


def test_crf_learns_each_depth_when_asked():
    from baselines.sklearn.ner import NerModel, NestedSpansWarning, entity_layers

    text = "قال رئيس بلدية عمان إن سامي حاضر"
    mentions = (Mention("m1", 4, 19, "OCC"), Mention("m2", 15, 19, "GPE"), Mention("m3", 23, 27, "PERS"))
    articles = [Article(doc_id=f"d{i}", text=text, entities=mentions) for i in range(3)]
    assert entity_layers(mentions, 3) == ([[mentions[0], mentions[2]], [mentions[1]]], 0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", NestedSpansWarning)  # nothing left unlearned: no warning
        model = NerModel.train(articles, max_iterations=50, depths=2)
    assert len(model.inner) == 1 and model.meta["not_in_bio"] == 0 and model.meta["layers"] == 2
    predicted = model.predict_spans(text)
    assert (15, 19, "GPE") in predicted and (4, 19, "OCC") in predicted  # the inner layer too
    assert model.predict_many([text, ""]) == [predicted, []]
    with pytest.warns(NestedSpansWarning, match="deeper than layer 2 cannot be learned by the CRFs"):
        deeper = (*mentions, Mention("m4", 15, 17, "X"))
        NerModel.train([Article(doc_id="d", text=text, entities=deeper)], max_iterations=5, depths=2)


def test_the_ner_release_rows_keep_every_layer():
    task = get_task("ner")
    schema = LabelSchema("own", entity_labels=("OCC", "GPE"), quote_kinds=(), stance_labels=())
    article = Article(doc_id="d", text="رئيس بلدية عمان", entities=(Mention("m1", 0, 15, "OCC"),
                                                                   Mention("m2", 11, 15, "GPE")))
    [row] = task.rows([article], schema)
    assert row["entities"] == [{"start": 0, "end": 15, "label": "OCC"}, {"start": 11, "end": 15, "label": "GPE"}]


def test_a_release_built_with_a_schema_file_keeps_every_layer(tmp_path, repo_root):
    import pyarrow.parquet as pq

    from benchmark.cli import main

    example = repo_root / "docs" / "examples" / "own-corpus"
    schema = str(example / "schema.json")
    for split in ("train", "test"):
        assert main(["import", "conll", str(example / f"{split}.conll"), "--tag-columns", "2,3",
                     "--doc-marker=-DOCSTART-", "--schema", schema, "-O", f"split={split}",
                     "--out", str(tmp_path / f"{split}.jsonl")]) == 0
    out = tmp_path / "release"
    assert main(["build", str(tmp_path / "train.jsonl"), str(tmp_path / "test.jsonl"), "--schema", schema,
                 "--configs", "ner", "--out", str(out), "--quiet", "--workers", "1"]) == 0
    train = pq.read_table(next((out / "data" / "ner").glob("train-*.parquet"))).to_pylist()
    test = pq.read_table(next((tmp_path / "release-private" / "data" / "ner").glob("test-*.parquet"))).to_pylist()
    assert sum(len(row["entities"]) for row in train) == 34  # 23 outer + 11 nested: every layer
    assert sum(len(row["entities"]) for row in test) == 11
