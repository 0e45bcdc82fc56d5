"""Quotes v2.0 scoring of SOURCE speakers (guidelines 2.0 §5.7, docs/design-v0.2.md §5): the headline
``e2e`` requires them, ``e2e_v1`` forgives a missing speaker for them, ``speaker_type/*`` reports them apart."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.metrics.module_support import score_module
from benchmark.metrics.quotes import quote_scores, with_speaker_types
from benchmark.schema import KHABAR
from benchmark.tasks import get_task

from ..support import source_article


def _scores(rows, lines):
    task = get_task("quotes")
    table = task.doc_counts(rows, {line["doc_id"]: line for line in lines}, KHABAR)
    return task.scores_from_counts(table.counts.sum(axis=0), table.columns, KHABAR)


def test_worked_example_three_quotes():
    """Gold: q1 and q2 spoken by the SOURCE cluster {مصادر أمنية في وزارة الداخلية, المصدر}, q3 by بوتين.
    Predicted: q1 with no speaker (v1.x's answer), q2 with the cluster's other mention, q3 with روسيا."""
    task = get_task("quotes")
    rows = task.rows([source_article()])
    line = {"doc_id": "src/1", "quotes": [
        {"start": 38, "end": 53, "kind": "indirect", "speaker": None},
        {"start": 71, "end": 84, "kind": "indirect", "speaker": {"start": 5, "end": 34}},
        {"start": 100, "end": 112, "kind": "indirect", "speaker": {"start": 100, "end": 105}},
    ]}
    scores = _scores(rows, [line])
    assert task.version == "2.0"
    assert math.isclose(scores["e2e/f1"], 1 / 3)  # only q2
    assert math.isclose(scores["e2e_v1/f1"], 2 / 3)  # q2, and q1: a SOURCE speaker left out
    assert math.isclose(scores["e2e_v1/precision"], 2 / 3) and math.isclose(scores["e2e_v1/recall"], 2 / 3)
    assert scores["speaker_type/source/e2e_recall"] == scores["speaker_type/source/speaker_accuracy"] == 0.5
    assert scores["speaker_type/entity/e2e_recall"] == 0.0
    assert math.isnan(scores["speaker_type/none/e2e_recall"])
    assert math.isclose(scores["speaker/named/e2e_recall"], 1 / 3)  # the other axis: all three are named at the quote
    # the evaluate module reads the SOURCE speakers from the reference rows' entities too
    module = score_module("quotes", [line], rows)
    assert math.isclose(module["e2e_v1/f1"], 2 / 3)
    assert module["speaker_type/source/e2e_recall"] == 0.5 and math.isclose(module["e2e/f1"], 1 / 3)


def test_a_source_span_outside_the_cluster_is_wrong_at_both_levels():
    rows = get_task("quotes").rows([source_article()])
    line = {"doc_id": "src/1", "quotes": [{"start": 38, "end": 53, "kind": "indirect",
                                           "speaker": {"start": 20, "end": 34}}]}  # the nested ORG, not the SOURCE
    scores = _scores(rows, [line])
    assert scores["e2e/f1"] == scores["e2e_v1/f1"] == 0.0


_TEXT = " ".join(["قال", "الوزير", "إن", "الحكومة", "ستواصل", "العمل", "وأضاف", "المتحدث", "أن", "الخطة",
                  "جاهزة", "تماما", "وذكر", "مسؤول", "أن", "الوضع", "مستقر"])


@st.composite
def _span(draw):
    start = draw(st.integers(0, len(_TEXT) - 2))
    return {"start": start, "end": draw(st.integers(start + 1, min(len(_TEXT), start + 30)))}


@st.composite
def _quote(draw, gold: bool):
    span = draw(_span())
    quote = {**span, "kind": draw(st.sampled_from(KHABAR.quote_kinds))}
    if gold:
        return {**quote, "speaker_cluster": draw(st.lists(_span(), max_size=2)),
                "speaker_elided": draw(st.booleans())}
    return {**quote, "speaker": draw(st.none() | _span())}


@settings(max_examples=150, deadline=None)
@given(gold=st.lists(st.lists(_quote(True), max_size=4), min_size=1, max_size=3),
       pred=st.lists(st.lists(_quote(False), max_size=4), min_size=3, max_size=3))
def test_e2e_v1_equals_e2e_on_gold_without_source_speakers(gold, pred):
    pred = pred[:len(gold)]
    texts = [_TEXT] * len(gold)
    typed = [with_speaker_types({"entities": [{**s, "label": "PER"} for q in quotes for s in q["speaker_cluster"]],
                                 "quotes": quotes}) for quotes in gold]
    for y_true in (gold, typed):
        scores = quote_scores(y_true, pred, texts=texts)
        for key in ("precision", "recall", "f1"):
            assert scores[f"e2e_v1/{key}"] == scores[f"e2e/{key}"]
