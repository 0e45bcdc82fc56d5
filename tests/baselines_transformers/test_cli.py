"""``khabar baseline-hf`` end to end: train, predict, then ``khabar evaluate`` on the submission."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmark.cli import main


def test_cli_ner_train_predict_evaluate(tiny_model: Path, ner_file: Path, tmp_path: Path, capsys) -> None:
    out, submission = tmp_path / "model", tmp_path / "submission.jsonl"
    assert main(["baseline-hf", "ner", "train", "--model", str(tiny_model), "--train", str(ner_file),
                 "--dev", str(ner_file), "--out", str(out), "--max-steps", "60", "--lr", "5e-3",
                 "--batch-size", "4", "--max-length", "16", "--stride", "4", "--seed", "7"]) == 0
    printed = capsys.readouterr().out
    summary = json.loads(printed[printed.index("{\n"):])  # the summary is the last thing printed
    assert summary["articles"] == 3 and summary["spans"] == 14
    assert (out / "khabar_baseline.json").is_file() and (out / "config.json").is_file()
    assert main(["baseline-hf", "ner", "predict", "--model", str(out), "--input", str(ner_file),
                 "--out", str(submission)]) == 0
    captured = capsys.readouterr()
    assert '"lines": 3' in captured.out and "khabar evaluate --task ner" in captured.err
    assert main(["evaluate", "--task", "ner", "--submission", str(submission), "--gold", str(ner_file),
                 "--resamples", "50"]) == 0
    assert "strict/f1" in capsys.readouterr().out


def test_cli_errors_name_the_problem(tiny_model: Path, ner_file: Path, tmp_path: Path, capsys) -> None:
    assert main(["baseline-hf", "stance", "predict", "--model", str(tiny_model), "--input", str(ner_file),
                 "--out", str(tmp_path / "s.jsonl")]) == 2
    assert "no khabar_baseline.json" in capsys.readouterr().err
    assert main(["baseline-hf", "ner", "train", "--model", str(tiny_model), "--train", str(tmp_path / "none.jsonl"),
                 "--out", str(tmp_path / "m")]) == 2
    assert "does not exist" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["baseline-hf", "ner"])  # an action is required


def test_cli_stance_selects_articles_by_meta(tiny_model: Path, toy, tmp_path: Path, capsys) -> None:
    from benchmark.io import read_articles, write_articles

    data = tmp_path / "stance.jsonl"
    write_articles(data, [a.replace(meta={"split": "train" if i < 4 else "test"})
                          for i, a in enumerate(toy.stance_articles())])
    out, submission, gold = tmp_path / "model", tmp_path / "sub.jsonl", tmp_path / "gold-test.jsonl"
    assert main(["baseline-hf", "stance", "train", "--model", str(tiny_model), "--train", str(data),
                 "--where", "split=train", "--dev", str(data), "--dev-where", "split=test", "--out", str(out),
                 "--max-steps", "20", "--lr", "5e-3", "--max-length", "32", "--seed", "7"]) == 0
    assert '"pairs": 4' in capsys.readouterr().out
    assert main(["baseline-hf", "stance", "predict", "--model", str(out), "--input", str(data),
                 "--where", "split=test", "--out", str(submission), "--gold-out", str(gold)]) == 0
    assert [a.doc_id for a in read_articles(gold)] == ["toy/stance/4", "toy/stance/5"]
    assert len(submission.read_text(encoding="utf-8").splitlines()) == 2
    assert main(["evaluate", "--task", "stance", "--submission", str(submission), "--gold", str(gold),
                 "--resamples", "20"]) == 0
    capsys.readouterr()
    assert main(["baseline-hf", "stance", "predict", "--model", str(out), "--input", str(data),
                 "--where", "split=tset", "--out", str(submission)]) == 2
    assert "split takes ['test', 'train']" in capsys.readouterr().err


def test_cli_head_lr_trains_the_head_at_its_own_rate(tiny_model: Path, stance_file: Path, tmp_path: Path,
                                                     capsys) -> None:
    out = tmp_path / "model"
    assert main(["baseline-hf", "stance", "train", "--model", str(tiny_model), "--train", str(stance_file),
                 "--out", str(out), "--max-steps", "3", "--lr", "1e-4", "--head-lr", "3e-3",
                 "--max-length", "32"]) == 0
    record = json.loads((out / "khabar_baseline.json").read_text(encoding="utf-8"))
    assert record["options"]["learning_rate"] == 1e-4 and record["options"]["head_learning_rate"] == 3e-3
    capsys.readouterr()
    assert main(["baseline-hf", "stance", "train", "--model", str(tiny_model), "--train", str(stance_file),
                 "--out", str(tmp_path / "bad"), "--head-lr", "0"]) == 2
    assert "head learning rate 0.0 must be > 0" in capsys.readouterr().err
