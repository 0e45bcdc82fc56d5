"""The local `evaluate` modules load offline, agree with the plain functions, and have current cards."""

from __future__ import annotations

import pytest

from benchmark.metrics.cards import MODULES, MODULES_DIR, render_card
from benchmark.metrics.ner import ner_scores
from benchmark.metrics.quotes import quote_scores
from benchmark.metrics.stance import stance_scores

evaluate = pytest.importorskip("evaluate")


def load(name: str):
    return evaluate.load(str(MODULES_DIR / name))


def test_ner_module_equals_plain_function():
    refs = [[{"start": 0, "end": 5, "label": "PER"}, {"start": 8, "end": 12, "label": "GPE"}], []]
    preds = [[{"start": 0, "end": 5, "label": "PER"}, {"start": 8, "end": 11, "label": "GPE"}],
             [{"start": 1, "end": 2, "label": "ORG"}]]
    result = load("khabar_ner").compute(predictions=preds, references=refs)
    expected = ner_scores(refs, preds)
    assert result["f1"] == expected["strict"]["f1"] == pytest.approx(0.4)
    assert result["schemes"]["partial"] == expected["schemes"]["partial"]


def test_quotes_module_equals_plain_function():
    refs = [[{"start": 12, "end": 31, "kind": "direct", "speaker_elided": False,
              "speaker_cluster": [{"start": 5, "end": 10}, {"start": 60, "end": 72}]}]]
    preds = [[{"start": 12, "end": 31, "kind": "direct", "speaker_start": 60, "speaker_end": 72},
              {"start": 40, "end": 50, "kind": "indirect", "speaker_start": -1, "speaker_end": -1}]]
    result = load("khabar_quotes").compute(predictions=preds, references=refs)
    plain = quote_scores(refs, [[{"start": 12, "end": 31, "kind": "direct", "speaker": {"start": 60, "end": 72}},
                                 {"start": 40, "end": 50, "kind": "indirect", "speaker": None}]])
    assert result == plain and result["e2e/precision"] == 0.5


def test_stance_module_with_a_corpus_label_set():
    labels = ["agree", "disagree", "other"]
    result = load("khabar_stance").compute(predictions=["agree", "other", "agree"],
                                           references=["agree", "disagree", "other"], labels=labels)
    assert result == stance_scores(["agree", "disagree", "other"], ["agree", "other", "agree"], labels=labels)


@pytest.mark.parametrize("task", sorted(MODULES))
def test_metric_cards_are_generated_from_the_tasks(task):
    card = (MODULES_DIR / MODULES[task] / "README.md").read_text(encoding="utf-8")
    assert card == render_card(task), "run: python -m benchmark.metrics.cards"
