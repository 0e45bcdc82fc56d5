"""``khabar baseline-hf … --manifest FILE --split NAME``: train and predict on the documents a split manifest
assigns (Khabar's own corpora keep their splits there, not in ``meta``)."""

from __future__ import annotations

from pathlib import Path

from benchmark.cli import main


def test_cli_stance_selects_articles_by_manifest_split(tiny_model: Path, toy, tmp_path: Path, capsys) -> None:
    from benchmark.io import read_articles, write_articles
    from benchmark.release.splits import Assignment, Manifest

    articles = toy.stance_articles()  # no meta: --where split=… selects nothing
    data = tmp_path / "stance.jsonl"
    write_articles(data, articles)
    manifest = tmp_path / "manifest.json"
    Manifest(documents={a.doc_id: Assignment("train" if i < 4 else "test", a.doc_id, "hash")
                        for i, a in enumerate(articles)}).save(manifest)
    out, submission, gold = tmp_path / "model", tmp_path / "sub.jsonl", tmp_path / "gold-test.jsonl"
    assert main(["baseline-hf", "stance", "train", "--model", str(tiny_model), "--train", str(data),
                 "--manifest", str(manifest), "--split", "train", "--dev", str(data), "--dev-split", "test",
                 "--out", str(out), "--max-steps", "5", "--lr", "5e-3", "--max-length", "32", "--seed", "7"]) == 0
    assert '"pairs": 4' in capsys.readouterr().out
    assert main(["baseline-hf", "stance", "predict", "--model", str(out), "--input", str(data),
                 "--manifest", str(manifest), "--split", "test", "--out", str(submission),
                 "--gold-out", str(gold)]) == 0
    assert [a.doc_id for a in read_articles(gold)] == [a.doc_id for a in articles[4:]]
    assert len(submission.read_text(encoding="utf-8").splitlines()) == len(articles[4:])
    capsys.readouterr()
    assert main(["baseline-hf", "stance", "predict", "--model", str(out), "--input", str(data),
                 "--split", "test", "--out", str(submission)]) == 2
    assert "--split test needs --manifest FILE" in capsys.readouterr().err
    assert main(["baseline-hf", "stance", "train", "--model", str(tiny_model), "--train", str(data),
                 "--manifest", str(manifest), "--split", "validation", "--out", str(out)]) == 2
    assert "no document is in split(s) ['validation'] (it has {'train': 4, 'test':" in capsys.readouterr().err
