"""Scoring against what ``khabar build`` writes: the private folder scores, the public test split refuses."""

from __future__ import annotations

import json

import pytest

from benchmark.cli import main
from benchmark.harness import GoldError, GoldSet, evaluate_submission

release_build = pytest.importorskip("benchmark.release.build")
release_splits = pytest.importorskip("benchmark.release.splits")


@pytest.fixture()
def release(tmp_path, articles):
    manifest = release_splits.Manifest(ratios={"train": 0.5, "test": 0.5}, documents={
        a.doc_id: release_splits.Assignment("test", a.doc_id, "hash") for a in articles})
    sources = [release_build.ReleaseSource("khabar", articles)]
    return release_build.build_release(sources, manifest, tmp_path / "khabar", progress=False)


@pytest.mark.parametrize("task", ["ner", "quotes", "stance"])
def test_private_folder_is_gold_and_public_test_is_not(release, articles, task):
    gold = GoldSet.from_dataset(task, release.private, "test")
    assert gold.revision == release.revision
    assert len(gold.rows) == (3 if task == "stance" else 2)
    with pytest.raises(GoldError, match="inputs-only"):
        GoldSet.from_dataset(task, release.public, "test")


def test_perfect_submission_scores_one_on_the_private_folder(release, tmp_path, capsys):
    gold = GoldSet.from_dataset("stance", release.private, "test")
    lines = [{"id": row["id"], "label": row["label"]} | (
        {"quote": {"start": row["holder_start"], "end": row["holder_end"]}} if row["holder_kind"] == "quote" else {})
        for row in gold.rows]
    results = evaluate_submission("stance", lines, gold=gold, n_resamples=50)
    assert results.score == 1.0 and results.dataset["revision"] == release.revision

    sub = tmp_path / "ner.jsonl"
    ner_gold = GoldSet.from_dataset("ner", release.private, "test")
    sub.write_text("".join(json.dumps({"doc_id": r["doc_id"], "entities": r["entities"]}, ensure_ascii=False) + "\n"
                           for r in ner_gold.rows), encoding="utf-8")
    code = main(["evaluate", "--task", "ner", "--submission", str(sub), "--dataset", str(release.private),
                 "--split", "test", "--resamples", "20", "--out", str(tmp_path / "out")])
    assert code == 0 and "1.0000" in capsys.readouterr().out
    saved = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert saved["dataset"]["revision"] == release.revision and saved["dataset"]["split"] == "test"
