"""Candidate quote spans for every quote form of the guidelines (baselines/sklearn/quote_spans.py), on tiny
hand-written texts (no corpus text)."""

from __future__ import annotations

import pytest

from baselines.sklearn.quote_spans import SpanConfig, find_cues, quotation_spans, span_candidates


def _spans(text: str, origin: str | None = None, config: SpanConfig | None = None) -> set[str]:
    return {text[c.start:c.end] for c in span_candidates(text, config) if origin is None or c.origin == origin}


def test_an_unclosed_mark_closes_at_its_paragraph_end_and_never_swallows_later_quotes():
    text = 'وقال الوزير: "الوضع مستقر.\nوأضاف: "سنواصل العمل". وتابع: "نعم".'
    spans = {text[s:e] for s, e, _ in quotation_spans(text)}
    assert '"الوضع مستقر.' in spans  # to the paragraph end, final punctuation included (§5.2)
    assert '"سنواصل العمل"' in spans and '"نعم"' in spans
    assert not any("سنواصل" in s and "الوضع" in s for s in spans)
    # the first-match pairing of feature version 2 ran across the paragraph, pairing marks of different quotes
    old = {text[s:e] for s, e, _ in quotation_spans(text, paragraph_bounded=False)}
    assert '"الوضع مستقر.\nوأضاف: "' in old and '"سنواصل العمل"' not in old


def test_a_mark_left_open_continues_into_a_paragraph_that_opens_with_a_mark():
    text = 'وقال: "الجملة الأولى\n"الجملة الثانية" ثم مضى.'
    assert '"الجملة الأولى\n"الجملة الثانية"' in {text[s:e] for s, e, _ in quotation_spans(text)}


def test_typographic_marks_inside_a_quote_offer_the_outer_pair_too():
    text = 'وقال: "يجب على لاعبي "الأخضر" أن يقدموا مستوى أفضل".'
    spans = {text[s:e] for s, e, _ in quotation_spans(text)}
    assert '"يجب على لاعبي "الأخضر" أن يقدموا مستوى أفضل"' in spans and '"يجب على لاعبي "' in spans


def test_unmarked_speech_after_a_colon_is_a_candidate_to_sentence_and_paragraph_end():
    text = "وقال المحافظ: أولوياتنا الأمن. ثم الخدمات\nوقال: إن الوضع مستقر"
    colon = _spans(text, "colon")
    assert "أولوياتنا الأمن" in colon and "أولوياتنا الأمن. ثم الخدمات" in colon
    assert not any("الوضع" in s for s in colon)  # colon + إنّ is reported speech (§5.3), not a colon quote
    assert "الوضع مستقر" in _spans(text, "reported")
    assert "أولوياتنا الأمن" not in _spans(text, config=SpanConfig(colon=False))


def test_content_before_the_cue_is_a_candidate():
    text = "وفي موقع قريب تم ايواء خمسة آلاف شخص، كما ذكرت صحيفة محلية. وانتهى الأمر"
    assert "في موقع قريب تم ايواء خمسة آلاف شخص" in _spans(text, "before-cue")  # the leading و stays out
    assert not _spans(text, "before-cue", SpanConfig(before_cue=False))


def test_participial_cues_and_a_long_subject_reach_the_complementiser():
    text = ("وأكد المدير الفني للمنتخب الأول في مؤتمر صحفي عقده في العاصمة أمس أن الفريق جاهز، "
            "لافتاً إلى أن المباراة صعبة، مضيفا أن الجماهير ستحضر.")
    reported = _spans(text, "reported")
    assert {"الفريق جاهز", "المباراة صعبة", "الجماهير ستحضر"} <= reported
    assert "الفريق جاهز" not in _spans(text, "reported", SpanConfig(long_subject=False))
    assert [text[s:e] for s, e in find_cues(text)] == ["أكد", "لافتاً", "مضيفا"]
    assert [text[s:e] for s, e in find_cues(text, large_lexicon=False)] == ["أكد", "مضيفا"]


def test_a_subject_with_a_quoted_name_and_an_object_pronoun_cue():
    text = 'وقالت شركة "إيني" الإيطالية إنها وقعت الاتفاق. فأجابنا بأن الشارع قريب.'
    assert {"وقعت الاتفاق", "الشارع قريب"} <= _spans(text, "reported")
    assert "أجابنا" in [text[s:e] for s, e in find_cues(text)]


def test_a_decimal_point_does_not_end_the_reported_clause():
    text = "وقالت المؤسسة إنها باعت 4. 5 في المائة من الأسهم. ثم انتهى"
    assert "باعت 4. 5 في المائة من الأسهم" in _spans(text, "reported")


def test_the_boosted_span_scorer_weighs_features_jointly_where_the_linear_one_adds_them():
    """Version 6: a candidate is a quote when exactly one of two features holds (a clause ending at a participle
    is a quote unless a new report starts inside it, and so on): trees learn it, a sum of weights cannot."""
    from baselines.sklearn.quotes import SpanScorer

    features = [{"a": float(i % 2), "b": float(i // 2 % 2), f"noise={i % 7}": 1.0} for i in range(800)]
    labels = [int(f["a"] != f["b"]) for f in features]
    test = [{"a": 1.0, "b": 0.0}, {"a": 0.0, "b": 1.0}, {"a": 1.0, "b": 1.0}, {"a": 0.0, "b": 0.0}]
    boosted = SpanScorer.train(features, labels)
    assert boosted.learner == "boosted"
    assert [p > 0.5 for p in boosted.probabilities(test)] == [True, True, False, False]
    linear = SpanScorer.train(features, labels, learner="linear")
    assert [p > 0.5 for p in linear.probabilities(test)] != [True, True, False, False]


def test_a_span_learner_outside_the_list_is_refused_by_name():
    from baselines.sklearn.quotes import QuoteModel, SpanScorer

    with pytest.raises(ValueError, match=r"span learner 'trees' is not one of \['boosted', 'linear'\]"):
        SpanScorer.train([{"a": 1.0}, {"a": 0.0}], [1, 0], learner="trees")
    with pytest.raises(ValueError, match=r"span learner 'trees' is not one of"):
        QuoteModel.train([], span_learner="trees")  # refused before any work
