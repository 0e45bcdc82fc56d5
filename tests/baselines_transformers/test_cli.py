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
