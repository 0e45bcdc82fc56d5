"""`khabar run` on the bundled sample: every stage runs, every output exists, no document is scored by a
model that saw it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from baselines.run import STAGES, evaluation_folds
from benchmark.cli import main
from benchmark.model import Article

from ..support import REPO


def _article(doc_id: str) -> Article:
    return Article(doc_id=doc_id, text="خبر")


def test_folds_use_the_test_split_when_the_manifest_has_one() -> None:
    articles = [_article(f"d{i}") for i in range(5)]
    splits = {"d0": "test", "d1": "train", "d2": "train", "d3": "validation", "d4": "test"}
    design, plan = evaluation_folds(articles, splits)
    assert "test split" in design
    [(train, test)] = plan
    assert {a.doc_id for a in test} == {"d0", "d4"} and {a.doc_id for a in train} == {"d1", "d2", "d3"}


def test_folds_fall_back_to_document_cross_validation() -> None:
    articles = [_article(f"d{i}") for i in range(7)]
    design, plan = evaluation_folds(articles, {a.doc_id: "train" for a in articles}, k=3)
    assert "3-fold cross-validation" in design
    held = [a.doc_id for _, test in plan for a in test]
    assert sorted(held) == sorted(a.doc_id for a in articles)  # every document scored exactly once
    for train, test in plan:
        assert not {a.doc_id for a in train} & {a.doc_id for a in test}
    assert evaluation_folds(articles, {}, k=3) == (design, plan)  # deterministic


def test_cv_design_can_be_forced_and_test_design_needs_both_splits() -> None:
    articles = [_article(f"d{i}") for i in range(4)]
    splits = {"d0": "test", "d1": "train", "d2": "train", "d3": "train"}
    design, plan = evaluation_folds(articles, splits, k=2, design="cv")
    assert "2-fold cross-validation over documents (as asked)" in design and len(plan) == 2
    with pytest.raises(ValueError, match="--design cv"):
        evaluation_folds(articles, {a.doc_id: "train" for a in articles}, design="test")
    with pytest.raises(ValueError, match="unknown evaluation design"):
        evaluation_folds(articles, splits, design="random")


def test_a_single_document_cannot_be_cross_validated() -> None:
    with pytest.raises(ValueError, match="at least two documents"):
        evaluation_folds([_article("d0")], {})


@pytest.mark.slow
def test_khabar_run_on_the_bundled_sample(tmp_path, capsys, recwarn) -> None:
    out = tmp_path / "run"
    assert main(["run", "--out", str(out), "--quiet", "--license", "cc-by-nc-sa-4.0"]) == 0
    printed = capsys.readouterr().out
    # the CRF's nested-span warning is a note of the fold (printed, kept in run.json), not a Python warning
    assert not [w for w in recwarn if "nested spans" in str(w.message)]
    assert "stages: " + " → ".join(s.name for s in STAGES) in printed
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    for what, where in record["outputs"].items():
        assert where in printed, f"{what} not printed"
        assert Path(where).exists(), what
    assert "cross-validation" in record["design"]
    for fold in record["folds"]:
        assert not set(fold["train"]) & set(fold["test"])
    assert any("nested spans (inner layer) cannot be learned" in note for note in record["notes"]), record["notes"]
    assert sorted(d for f in record["folds"] for d in f["test"]) == ["seed/un-security-council", "seed/vostochny"]
    for task in ("ner", "quotes", "stance"):
        results = json.loads((out / "results" / task / "results.json").read_text(encoding="utf-8"))
        headline = results["headline"]
        assert headline == dict(results["metrics"][headline["metric"]], metric=headline["metric"],
                                higher_is_better=True)
        assert headline["ci_low"] <= headline["value"] <= headline["ci_high"]
        assert record["headline"][task]["value"] == headline["value"]
    card = (out / "dataset" / "README.md").read_text(encoding="utf-8")
    assert "license: cc-by-nc-sa-4.0" in card and (out / "dataset-private").is_dir()
    html = (out / "leaderboard" / "index.html").read_text(encoding="utf-8")
    assert "scikit-learn baselines" in html


def test_the_stance_baselines_holder_ranker_learns_among_quotes_predicted_out_of_fold() -> None:
    """``khabar run``'s stance baseline: its holder ranker trains on the quote spans a span scorer trained on the
    other training articles finds in each (what it meets at prediction); where no span was predicted (one article
    has no other to learn from) it falls back to the gold holder quotes, and says so."""
    from baselines.run import train_stance
    from baselines.sklearn.quotes import cross_fitted_quote_spans
    from baselines.sklearn.stance import StanceModel, predicted_holder_candidates
    from benchmark.io import read_articles
    from benchmark.schema import KHABAR
    from benchmark.tasks import get_task

    articles = list(read_articles(REPO / "annotations" / "gold" / "sample.articles.jsonl"))
    assert len(articles) == 2 and all(a.quotes and a.stances for a in articles)
    model = train_stance(articles, [])
    assert model.meta["holder_choice"] == "learned ranker"
    assert model.meta["holder_ranker_candidates"] == "given quote spans"
    alone = cross_fitted_quote_spans(articles[:1])
    assert alone == {articles[0].doc_id: []}
    fallback = StanceModel.train(get_task("stance").rows(articles, KHABAR), holder_candidates=alone)
    assert fallback.meta["holder_ranker_candidates"] == "gold holder quotes"
    claims = [{"target": "ارتفاع النفط", "text": "ارتفع النفط", "label": "agree"}]  # ANS-like rows: no holder quote
    assert predicted_holder_candidates(articles, claims) is None
