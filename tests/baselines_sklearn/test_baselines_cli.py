"""Each baseline trains on a tiny fixture through ``khabar baseline`` and writes a submission that the
harness validates and scores above a trivial floor on its own training data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from baselines.sklearn.quotes import SPAN_LEARNERS
from benchmark.cli import main
from benchmark.harness import evaluate_submission, load_gold


def _khabar(*argv: str) -> None:
    assert main([str(a) for a in argv]) == 0


def _value(results, metric: str) -> float:
    return results.metrics[metric].value


def test_ner_baseline_end_to_end(ner_articles_path: Path, tmp_path: Path):
    model, sub, gold = tmp_path / "ner-model", tmp_path / "ner.sub.jsonl", tmp_path / "gold.jsonl"
    _khabar("baseline", "ner", "train", "--train", ner_articles_path, "--where", "split=train",
            "--iterations", "50", "--out", model)
    _khabar("baseline", "ner", "predict", "--model", model, "--input", ner_articles_path, "--where", "split=train",
            "--out", sub, "--gold-out", gold)
    results = evaluate_submission("ner", sub, gold=gold)
    assert _value(results, "strict/f1") >= 0.9
    # the clitic decision was read off the gold: ل is left outside "ل|موسكو"-style spans
    from baselines.sklearn.ner import NerModel

    assert NerModel.load(model).split_clitics is True
    # held-out documents get a valid submission too (scored, not necessarily perfect)
    _khabar("baseline", "ner", "predict", "--model", model, "--input", ner_articles_path, "--where", "split=test",
            "--out", tmp_path / "test.sub.jsonl", "--gold-out", tmp_path / "test.gold.jsonl")
    held_out = evaluate_submission("ner", tmp_path / "test.sub.jsonl", gold=tmp_path / "test.gold.jsonl")
    assert held_out.n_documents == 4


def test_ner_with_word_clusters_and_without_clitic_splitting(ner_articles_path: Path, tmp_path: Path):
    from baselines.sklearn.features import normalise_token
    from baselines.sklearn.ner import NerModel
    from baselines.sklearn.wordclusters import train_word_clusters
    from benchmark.io import read_articles
    from benchmark.text import tokenize

    articles = list(read_articles(ner_articles_path))
    docs = [[t.text for t in tokenize(a.text)] for a in articles]
    clusters = train_word_clusters(docs, key=normalise_token, granularities=(2, 4), dims=4, min_count=1,
                                   show_progress=False)
    model = NerModel.train(articles, clusters=clusters, split_clitics=False, max_iterations=30)
    assert model.meta["clusters"]["granularities"] == [2, 4]
    spans = model.predict_spans(articles[0].text)
    assert all(articles[0].text[s:e].strip() == articles[0].text[s:e] for s, e, _ in spans)
    path = model.save(tmp_path / "m")
    assert NerModel.load(path.parent).meta == model.meta


@pytest.mark.slow  # ~15 s: L-BFGS over the 2**18 hashed substitution columns, even on 16 rows
def test_stance_baseline_end_to_end(stance_articles_path: Path, tmp_path: Path):
    model, sub = tmp_path / "stance-model", tmp_path / "stance.sub.jsonl"
    _khabar("baseline", "stance", "train", "--train", stance_articles_path, "--out", model)
    _khabar("baseline", "stance", "predict", "--model", model, "--input", stance_articles_path, "--out", sub)
    results = evaluate_submission("stance", sub, gold=stance_articles_path)
    assert _value(results, "macro/f1") >= 0.9  # a majority-class guess gets 0.2
    first = json.loads(sub.read_text(encoding="utf-8").splitlines()[0])
    assert set(first) == {"id", "label"}


@pytest.mark.slow
def test_stance_baseline_with_a_foreign_label_schema(tmp_path: Path):
    """ANS-style labels (agree/disagree/other) go through unchanged with --schema ans."""
    from benchmark.io import write_articles
    from benchmark.model import Article, Stance

    from .conftest import STANCE_PAIRS

    rename = {"favor": "agree", "against": "disagree", "neutral": "other"}
    path = tmp_path / "ans-like.jsonl"
    write_articles(path, [Article(doc_id=f"a{i}", text=text, stances=(Stance("s1", "article", target, rename[y]),))
                          for i, (target, text, y) in enumerate(STANCE_PAIRS * 2)])
    _khabar("baseline", "stance", "train", "--train", path, "--schema", "ans", "--out", tmp_path / "m")
    _khabar("baseline", "stance", "predict", "--model", tmp_path / "m", "--input", path, "--schema", "ans",
            "--out", tmp_path / "s.jsonl")
    from benchmark.harness.cli_support import resolve_schema

    results = evaluate_submission("stance", tmp_path / "s.jsonl",
                                  gold=load_gold("stance", path, schema=resolve_schema("ans")))
    assert _value(results, "macro/f1") >= 0.9


def test_quotes_baseline_end_to_end(quote_articles_path: Path, tmp_path: Path):
    model, sub = tmp_path / "quotes-model", tmp_path / "quotes.sub.jsonl"
    _khabar("baseline", "quotes", "train", "--train", quote_articles_path, "--out", model)
    _khabar("baseline", "quotes", "predict", "--model", model, "--input", quote_articles_path, "--out", sub)
    results = evaluate_submission("quotes", sub, gold=quote_articles_path)
    assert _value(results, "span_exact/f1") >= 0.9
    assert _value(results, "e2e/f1") >= 0.9
    # the elided continuation (وتابع: "…") got the previous quote's speaker
    assert _value(results, "speaker/elided/speaker_accuracy") == 1.0


@pytest.mark.parametrize("learner", SPAN_LEARNERS)  # the CLI's choices are written out (no import at start-up)
def test_quotes_train_takes_either_span_learner(quote_articles_path: Path, tmp_path: Path, learner: str):
    from baselines.sklearn.quotes import QuoteModel

    model = tmp_path / "quotes-model"
    _khabar("baseline", "quotes", "train", "--train", quote_articles_path, "--out", model, "--span-learner", learner)
    loaded = QuoteModel.load(model)
    assert loaded.meta["span_learner"] == loaded.span_scorer.learner == learner
    _khabar("baseline", "quotes", "predict", "--model", model, "--input", quote_articles_path,
            "--out", tmp_path / "sub.jsonl")
    assert _value(evaluate_submission("quotes", tmp_path / "sub.jsonl", gold=quote_articles_path),
                  "span_exact/f1") >= 0.9


def test_quotes_baseline_runs_without_gold_entities(quote_articles_path: Path, tmp_path: Path):
    model, sub = tmp_path / "quotes-model", tmp_path / "raw.sub.jsonl"
    _khabar("baseline", "quotes", "train", "--train", quote_articles_path, "--out", model)
    _khabar("baseline", "quotes", "predict", "--model", model, "--input", quote_articles_path,
            "--ignore-gold-entities", "--out", sub)
    results = evaluate_submission("quotes", sub, gold=quote_articles_path)  # valid, so it is scored
    assert _value(results, "span_exact/f1") >= 0.9
    assert _value(results, "e2e/f1") > 0.3  # cue heuristic: the words after the cue are the speaker


def test_bad_selection_is_explained(ner_articles_path: Path, tmp_path: Path, capsys):
    assert main(["baseline", "ner", "train", "--train", str(ner_articles_path), "--where", "split=dev",
                 "--out", str(tmp_path / "m")]) == 1
    err = capsys.readouterr().err
    assert "no article among 20 matches" in err and "split takes ['test', 'train']" in err


def test_missing_model_is_explained(tmp_path: Path, ner_articles_path: Path, capsys):
    assert main(["baseline", "stance", "predict", "--model", str(tmp_path / "nowhere"), "--input",
                 str(ner_articles_path), "--out", str(tmp_path / "s.jsonl")]) == 1
    assert "khabar baseline stance train" in capsys.readouterr().err


@pytest.mark.realdata
@pytest.mark.slow
def test_stance_smoke_on_an_ans_slice(shared_data: Path, tmp_path: Path):
    """A quick real-data smoke: 600 ANS training pairs, scored on 150 dev pairs (not a reported figure)."""
    from baselines.sklearn.stance import StanceModel
    from benchmark.importers import IMPORTERS
    from benchmark.tasks import get_task

    from ..conftest import corpus_dir

    importer = IMPORTERS["ans"]
    articles = list(importer.load(corpus_dir(shared_data, "ans")))
    rows = get_task("stance").rows(articles, importer.schema)
    train = [r for r, a in zip(rows, articles, strict=True) if a.meta["split"] == "train"][:600]
    dev = [r for r, a in zip(rows, articles, strict=True) if a.meta["split"] == "dev"][:150]
    model = StanceModel.train(train)
    predicted = model.predict(dev)
    accuracy = sum(p == r["label"] for p, r in zip(predicted, dev, strict=True)) / len(dev)
    assert accuracy > 0.5


@pytest.mark.realdata
@pytest.mark.slow
def test_ner_smoke_on_an_anercorp_slice(shared_data: Path):
    """A quick real-data smoke: 40 ANERcorp train documents, scored by the harness on 10 test documents
    (not a reported figure; docs/RESULTS.md has the full run)."""
    from baselines.sklearn.ner import NerModel
    from benchmark.harness import GoldSet
    from benchmark.importers import IMPORTERS
    from benchmark.tasks import get_task

    from ..conftest import corpus_dir

    importer = IMPORTERS["anercorp"]
    articles = list(importer.load(corpus_dir(shared_data, "anercorp")))
    train = [a for a in articles if a.meta["split"] == "train"][:40]
    test = [a for a in articles if a.meta["split"] == "test"][:10]
    model = NerModel.train(train, max_iterations=30)
    assert model.split_clitics is False  # ANERcorp tags whole tokens, proclitics included
    lines = [{"doc_id": a.doc_id, "entities": [{"start": s, "end": e, "label": label} for s, e, label in spans]}
             for a, spans in zip(test, model.predict_many([a.text for a in test]), strict=True)]
    gold = GoldSet.from_rows("ner", get_task("ner").rows(test, importer.schema), importer.schema)
    results = evaluate_submission("ner", lines, gold=gold, n_resamples=50)
    assert results.metrics["strict/f1"].value > 0.2
