"""CRF training shows its progress (issue #17): a bar over the L-BFGS iterations on stderr, off with
``--no-progress``; stdout stays clean and the saved model keeps no trace of the progress trainer."""

from __future__ import annotations

from pathlib import Path

from benchmark.cli import main


def test_crf_training_shows_iterations_on_stderr_only(ner_articles_path: Path, tmp_path: Path, capfd):
    from baselines.sklearn.ner import NerModel

    out = tmp_path / "model"
    assert main(["baseline", "ner", "train", "--train", str(ner_articles_path), "--iterations", "5",
                 "--out", str(out)]) == 0
    captured = capfd.readouterr()
    assert "CRF training (L-BFGS)" in captured.err and "loss=" in captured.err
    assert "CRF training" not in captured.out and "Iter " not in captured.out
    assert captured.out.startswith("trained ner on 20 articles")
    crf = NerModel.load(out).crf
    assert crf.trainer_cls is None and crf.verbose is False


def test_no_progress_turns_the_crf_bar_off(ner_articles_path: Path, tmp_path: Path, capfd):
    assert main(["baseline", "ner", "train", "--train", str(ner_articles_path), "--iterations", "5",
                 "--out", str(tmp_path / "model"), "--no-progress"]) == 0
    captured = capfd.readouterr()
    assert "CRF training" not in captured.err and "features" not in captured.err
