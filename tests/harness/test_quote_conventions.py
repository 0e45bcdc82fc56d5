"""Convention-robust quote matching: the same quotes written with another reasonable annotation
convention (complementizer inside or outside the span, quotation marks inside or outside) score
1.0 on the headline ``e2e`` and not on ``e2e_exact``; exact ⊆ robust ⊆ overlap always."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.harness import GoldSet, evaluate_submission
from benchmark.metrics.quotes import core_span, quote_scores

WORDS = ["روسيا", "مستعدة", "للحوار", "الاقتصاد", "سينمو", "العام", "المقبل", "الحكومة", "2024", "لن", "تتراجع"]
COMPLEMENTIZERS = ["أن", "إن", "بأن", "وأن", "أنه", "إنّ", "بأنها"]
MARKS = [('"', '"'), ("«", "»"), ("“", "”"), ("'", "'")]
SPEAKERS = ["بوتين", "الوزير", "المتحدث باسم الحكومة"]


@st.composite
def quoted_documents(draw):
    """A text of 1-3 reported statements and, for each, its span in two conventions:
    ``wide`` (complementizer, quotation marks and the final full stop inside) and ``narrow``
    (the words only) — offsets computed while the text is assembled, not by the scorer."""
    text, wide, narrow, speakers = "", [], [], []
    for _ in range(draw(st.integers(1, 3))):
        speaker = draw(st.sampled_from(SPEAKERS))
        text += "وقال "
        speakers.append({"start": len(text), "end": len(text) + len(speaker)})
        text += speaker + " "
        wide_start = len(text)
        complementizer = draw(st.none() | st.sampled_from(COMPLEMENTIZERS))
        if complementizer:
            text += complementizer + " "
        marks = draw(st.none() | st.sampled_from(MARKS))
        if marks:
            text += marks[0]
        words = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6)))
        narrow.append((len(text), len(text) + len(words)))
        text += words
        if marks:
            text += marks[1]
        if draw(st.booleans()):
            text += "."
        wide.append((wide_start, len(text)))
        text += " "
    return text, wide, narrow, speakers


def _quotes(spans, speakers, gold: bool):
    if gold:
        return [{"start": s, "end": e, "kind": "indirect", "speaker_elided": False, "speaker_cluster": [sp]}
                for (s, e), sp in zip(spans, speakers, strict=True)]
    return [{"start": s, "end": e, "kind": "indirect", "speaker": sp} for (s, e), sp in zip(spans, speakers,
                                                                                              strict=True)]


@settings(max_examples=200, deadline=None)
@given(doc=quoted_documents(), gold_is_wide=st.booleans())
def test_the_other_convention_scores_one_on_robust_e2e(doc, gold_is_wide):
    text, wide, narrow, speakers = doc
    gold_spans, pred_spans = (wide, narrow) if gold_is_wide else (narrow, wide)
    scores = quote_scores([_quotes(gold_spans, speakers, True)], [_quotes(pred_spans, speakers, False)],
                          texts=[text])
    assert scores["e2e/f1"] == 1.0 and scores["e2e_overlap/f1"] == 1.0 and scores["speaker_accuracy"] == 1.0
    if wide != narrow:
        assert scores["e2e_exact/f1"] < 1.0
    assert [core_span(text, *span) for span in wide] == narrow


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def test_a_submission_in_the_other_convention_through_the_harness():
    text = 'وقال الوزير إن "الاقتصاد سينمو العام المقبل". وأضاف بأن الحكومة لن تتراجع.'
    speaker = dict(zip(("start", "end"), _span(text, "الوزير"), strict=True))
    wide = [_span(text, 'إن "الاقتصاد سينمو العام المقبل".'), _span(text, "بأن الحكومة لن تتراجع.")]
    narrow = [_span(text, "الاقتصاد سينمو العام المقبل"), _span(text, "الحكومة لن تتراجع")]
    gold_row = {"doc_id": "d1", "text": text, "entities": [], "quotes": [
        {"id": f"q{i}", "start": s, "end": e, "kind": "indirect", "cue_start": -1, "cue_end": -1,
         "speaker_start": speaker["start"], "speaker_end": speaker["end"], "speaker_cluster": [speaker],
         "speaker_elided": i == 1} for i, (s, e) in enumerate(wide)]}
    gold = GoldSet.from_rows("quotes", [gold_row])
    other = [{"doc_id": "d1", "quotes": [{"start": s, "end": e, "kind": "indirect", "speaker": speaker}
                                         for s, e in narrow]}]
    results = evaluate_submission("quotes", other, gold=gold, n_resamples=20)
    assert results.metrics["e2e/f1"].value == 1.0 and results.headline == "e2e/f1"
    assert results.metrics["e2e_exact/f1"].value == 0.0
    assert results.documents[0]["errors"] == {"missed": [], "wrong_speaker": [], "spurious": []}


def test_overlap_level_gives_credit_for_half_the_words_but_the_headline_does_not():
    text = "قال الوزير إن الاقتصاد سينمو العام المقبل بقوة"
    speaker = {"start": 4, "end": 10}
    start, end = _span(text, "الاقتصاد سينمو العام المقبل بقوة")
    gold = [{"start": start, "end": end, "kind": "indirect", "speaker_elided": False, "speaker_cluster": [speaker]}]

    def predict(words: str):
        s, e = _span(text, words)
        return [{"start": s, "end": e, "kind": "indirect", "speaker": speaker}]

    scores = quote_scores([gold], [predict("الاقتصاد سينمو العام")], texts=[text])  # 3 of 5 words
    assert scores["e2e_overlap/f1"] == 1.0 and scores["e2e/f1"] == 0.0 and scores["e2e_exact/f1"] == 0.0
    assert quote_scores([gold], [predict("الاقتصاد سينمو")], texts=[text])["e2e_overlap/f1"] == 0.0


span = st.tuples(st.integers(0, 40), st.integers(1, 25)).map(lambda t: (t[0], t[0] + t[1]))


@settings(max_examples=200, deadline=None)
@given(gold=st.lists(span, max_size=5, unique=True), pred=st.lists(span, max_size=5, unique=True),
       filler=st.text(alphabet='أن بإ «»"., كتبلم', min_size=70, max_size=70))
def test_levels_are_nested_and_one_to_one(gold, pred, filler):
    gold_quotes = [{"start": s, "end": e, "kind": "direct", "speaker_elided": False, "speaker_cluster": []}
                   for s, e in gold]
    pred_quotes = [{"start": s, "end": e, "kind": "direct", "speaker": None} for s, e in pred]
    counts = quote_scores([gold_quotes], [pred_quotes], texts=[filler])["counts"]
    assert counts["e2e_exact_tp"] <= counts["e2e_tp"] <= counts["e2e_overlap_tp"]
    assert counts["exact_tp"] <= counts["robust_tp"] <= counts["overlap_tp"] <= min(len(gold), len(pred))


@pytest.mark.parametrize(("span", "core"), [
    ('«روسيا»', "روسيا"), ('أن "روسيا".', "روسيا"), ("بأنه روسيا", "روسيا"), ("إن", "إن"), ("“ ”", "“ ”"),
    ("الأمن مستتب", "الأمن مستتب")])
def test_core_span_cases(span, core):
    start, end = core_span(span, 0, len(span))
    assert span[start:end] == core
