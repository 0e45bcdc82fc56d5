"""The `evaluate` modules: loaded offline through ``benchmark.metrics.module_path`` (the installed
package's folder), one result shape (the harness' flat names + ``headline`` + ``counts``), the
submission shape accepted, the same numbers as ``khabar evaluate``, and one error style."""

from __future__ import annotations

import os

import pytest

from benchmark.harness import GoldSet, evaluate_submission
from benchmark.metrics import MODULES, module_path
from benchmark.metrics.cards import MODULES_DIR, render_card
from benchmark.tasks import get_task

evaluate = pytest.importorskip("evaluate")


@pytest.fixture(autouse=True)
def _offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_EVALUATE_OFFLINE", "1")


def load(task: str):
    path = module_path(task)
    assert os.path.isabs(path) and os.path.isfile(os.path.join(path, f"{MODULES[task]}.py"))
    return evaluate.load(path)


def _harness_metrics(task: str, lines, gold_set: GoldSet) -> dict:
    results = evaluate_submission(task, lines, gold=gold_set, n_resamples=10)
    return {name: interval.value for name, interval in results.metrics.items()}, results.counts


@pytest.mark.parametrize("task", sorted(MODULES))
def test_one_result_shape_equal_to_the_harness(task, gold_sets):
    """Predictions are the submission lines, references the gold rows: the module returns exactly
    results.json's metrics (same names, same values), the headline's name and the counts."""
    gold = gold_sets[task]
    if task == "ner":
        lines = [{"doc_id": "demo/1", "entities": [{"start": 5, "end": 10, "label": "PER", "score": 0.9}]},
                 {"doc_id": "demo/2", "entities": [{"start": 4, "end": 16, "label": "PER"}]}]
    elif task == "quotes":
        lines = [{"doc_id": "demo/1", "quotes": [
            {"start": 12, "end": 31, "kind": "direct", "speaker": {"start": 5, "end": 10}},
            {"start": 41, "end": 52, "kind": "direct", "speaker": None}]},
            {"doc_id": "demo/2", "quotes": []}]
    else:
        wrong_quote = {"quote": {"start": 40, "end": 53}}  # demo/1's second quote, not the holder: a wrong answer
        lines = [{"id": row["id"], "label": "favor"} | (wrong_quote if row["holder_kind"] == "quote" else {})
                 for row in gold.rows]
    expected, counts = _harness_metrics(task, lines, gold)
    by_id = {get_task(task).line_id(line): line for line in lines}
    predictions = [by_id[get_task(task).row_id(row)] for row in gold.rows]
    result = load(task).compute(predictions=predictions, references=[dict(row) for row in gold.rows])
    assert result.pop("headline") == get_task(task).headline
    assert result.pop("counts") == counts
    assert result == expected


def test_quotes_accepts_the_submission_speaker_shape_and_scores_robustly():
    text = 'قال بوتين إن "روسيا مستعدة".'
    gold = {"doc_id": "d1", "text": text, "quotes": [{"start": 10, "end": 27, "kind": "indirect",
                                                       "speaker_elided": False,
                                                       "speaker_cluster": [{"start": 4, "end": 9}]}]}
    pred = [{"start": 14, "end": 26, "kind": "indirect", "speaker": {"start": 4, "end": 9}}]
    result = load("quotes").compute(predictions=[pred], references=[gold])
    assert result[result["headline"]] == 1.0 and result["e2e_exact/f1"] == 0.0
    with pytest.raises(ValueError, match=r"khabar_quotes: reference 0: no document text.*texts="):
        load("quotes").compute(predictions=[pred], references=[gold["quotes"]])
    assert load("quotes").compute(predictions=[pred], references=[gold["quotes"]], texts=[text])["e2e/f1"] == 1.0


@pytest.mark.parametrize(("task", "prediction", "reference", "label"), [
    ("ner", [{"start": 0, "end": 5, "label": "per"}], [{"start": 0, "end": 5, "label": "PER"}], "'per'"),
    ("stance", "Favor", "favor", "'Favor'"),
    ("quotes", [{"start": 0, "end": 5, "kind": "Direct", "speaker": None}],
     {"text": "abcdefg", "quotes": []}, "'Direct'"),
])
def test_an_unknown_label_is_a_clear_error_in_every_module(task, prediction, reference, label):
    with pytest.raises(ValueError) as raised:
        load(task).compute(predictions=[prediction], references=[reference])
    message = str(raised.value)
    assert message.startswith(f"{MODULES[task]}: prediction 0") and label in message
    assert "is not one of [" in message and "case matters" in message and "=[...]" in message


def test_a_corpus_label_set_and_undefined_figures():
    labels = ["agree", "disagree", "other"]
    result = load("stance").compute(predictions=[{"id": "x#1", "label": "agree"}, "agree"],
                                    references=["agree", "disagree"], labels=labels, polar=["agree", "disagree"])
    assert result["agree/f1"] == pytest.approx(2 / 3) and result["other/f1"] is None  # 0/0: undefined
    assert result["counts"]["confusion/disagree/agree"] == 1


@pytest.mark.parametrize("task", sorted(MODULES))
def test_metric_cards_are_generated_from_the_tasks(task):
    card = (MODULES_DIR / MODULES[task] / "README.md").read_text(encoding="utf-8")
    assert card == render_card(task), "run: python -m benchmark.metrics.cards"


def test_module_path_names_the_tasks():
    with pytest.raises(ValueError, match="no evaluate module for task 'nre'"):
        module_path("nre")


def test_the_modules_are_package_data(repo_root):
    """The wheel ships every module file and card (built and loaded from a fresh venv by hand:
    see docs/evaluation.md §4); here: pyproject's package-data patterns cover them all."""
    import tomllib
    from pathlib import Path

    config = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["benchmark.metrics"]
    package = repo_root / "benchmark" / "metrics"
    shipped = {path for pattern in patterns for path in package.glob(pattern)}
    for task, name in MODULES.items():
        folder = Path(module_path(task))
        assert {folder / f"{name}.py", folder / "README.md"} <= shipped, task
