"""The quote baseline's speaker ranker: honorific stripping, the pairwise ranker with its
"previous speaker" and "no speaker" candidates, and the refusal of models saved with the old features.

Tiny articles are built here; no corpus text.
"""

from __future__ import annotations

from pathlib import Path

import joblib
import pytest

from baselines.sklearn.quotes import FEATURE_VERSION, MODEL_FILE, QuoteModel, speaker_mentions, strip_honorifics
from benchmark.model import Article, Mention, Quote, Span

NAMES = ["ماكرون", "بوتين", "كيم", "ليف", "وود", "نيبينزيا", "شولتس", "أردوغان"]


def _article(i: int, speaker: str, bystanders: tuple[str, str]) -> Article:
    """Bystanders named before the cue, a named direct quote, an elided continuation, an unattributed report."""
    pieces = [
        ("التقى الوزير ", None), (bystanders[0], "b1"), (" بالسفير ", None), (bystanders[1], "b2"),
        (". وقال ", None), (speaker, "spk"), (": ", None), ('"الوضع مستقر جدا"', "q1"), (". وتابع: ", None),
        ('"سنواصل العمل معا"', "q2"), (". وذكرت مصادر أن ", None), ("الوفد غادر المدينة", "q3"),
        ('. ونشرت صحيفة "الأهرام" الخبر.', None),
    ]
    text, spans = "", {}
    for piece, tag in pieces:
        if tag:
            spans[tag] = (len(text), len(text) + len(piece))
        text += piece
    cue = lambda verb: Span(text.index(verb), text.index(verb) + len(verb))  # noqa: E731
    entities = (Mention("m1", *spans["b1"], "PER"), Mention("m2", *spans["b2"], "PER"),
                Mention("m3", *spans["spk"], "PER"))
    quotes = (Quote("q1", *spans["q1"], "direct", cue=cue("قال"), speaker="m3"),
              Quote("q2", *spans["q2"], "direct", cue=cue("تابع"), speaker="m3", speaker_elided=True),
              Quote("q3", *spans["q3"], "indirect", cue=cue("ذكرت")))
    return Article(doc_id=f"spk/{i:03d}", text=text, entities=entities, quotes=quotes)


def _articles(n: int, offset: int = 0) -> list[Article]:
    out = []
    for i in range(offset, offset + n):
        names = [NAMES[(i + k) % len(NAMES)] for k in range(3)]
        out.append(_article(i, names[0], (names[1], names[2])))
    return out


class _Ner:
    """The NER baseline's interface (``predict_spans(text) -> [(start, end, label)]``) with fixed answers."""

    def __init__(self, spans: list[tuple[int, int, str]]) -> None:
        self.spans = spans

    def predict_spans(self, _: str) -> list[tuple[int, int, str]]:
        return self.spans


@pytest.fixture(scope="module")
def model() -> QuoteModel:
    return QuoteModel.train(_articles(12))


def test_strip_honorifics_drops_leading_honorifics_but_keeps_role_nouns_and_one_word():
    text = "وقال الدكتور الشيخ جريدي ووزير الخارجية والدكتور"
    start = text.index("الدكتور")
    s, e = strip_honorifics(text, start, text.index(" ووزير"))
    assert text[s:e] == "جريدي"
    role = text.index("وزير الخارجية")
    assert strip_honorifics(text, role, role + len("وزير الخارجية")) == (role, role + len("وزير الخارجية"))
    last = text.rindex("الدكتور")
    assert strip_honorifics(text, last, len(text)) == (last, len(text))


def test_speaker_mentions_gives_each_stripped_span_once_and_flags_titles():
    text = "قال السيد كيم ورئيس الوزراء"
    kim = text.index("كيم")
    mentions = speaker_mentions(text, [(text.index("السيد"), kim + 3, "PER"), (kim, kim + 3, "PER"),
                                       (text.index("رئيس"), len(text), "PER")])
    assert [text[m.start:m.end] for m in mentions] == ["كيم", "رئيس الوزراء"]
    assert [m.first_word_title for m in mentions] == [False, True]


def test_ranker_picks_the_subject_after_the_cue_the_previous_speaker_when_elided_and_null_when_unnamed(
        model: QuoteModel):
    article = _articles(1, offset=20)[0]
    predicted = {(q["start"], q["end"]): q["speaker"] for q in model.predict_article(article)}
    speaker = next(m for m in article.entities if m.id == "m3")
    expected = {"start": speaker.start, "end": speaker.end}
    by_id = {q.id: (q.start, q.end) for q in article.quotes}
    assert predicted[by_id["q1"]] == expected
    assert predicted[by_id["q2"]] == expected  # وتابع: "…" takes the previous quote's speaker
    assert predicted[by_id["q3"]] is None  # وذكرت مصادر أن …: the "no speaker" candidate wins


def test_the_speaker_span_comes_without_the_honorific_the_ner_put_in(model: QuoteModel):
    text = 'وقال السيد ماكرون: "الوضع مستقر جدا".'
    article = Article(doc_id="spk/honorific", text=text)

    (quote,) = model.predict_article(article, ner=_Ner([(text.index("السيد"), text.index(":"), "PER")]),
                                     use_gold_entities=False)
    assert text[quote["speaker"]["start"]:quote["speaker"]["end"]] == "ماكرون"


def test_a_quote_with_no_candidate_gets_no_speaker(model: QuoteModel):
    text = "وذكرت مصادر أن الوفد غادر المدينة."
    quotes = model.predict_article(Article(doc_id="spk/none", text=text), ner=_Ner([]), use_gold_entities=False)
    assert quotes and all(q["speaker"] is None for q in quotes)


def test_training_without_any_speaker_choice_fails_clearly():
    text = 'وذكرت مصادر أن الوفد غادر المدينة. ونشرت صحيفة "الأهرام" الخبر.'
    quotes = (Quote("q1", text.index("الوفد"), text.index("."), "indirect", cue=Span(1, 5)),)
    with pytest.raises(ValueError, match="speaker ranker needs"):
        QuoteModel.train([Article(doc_id="spk/only-null", text=text, quotes=quotes)])


def test_a_model_saved_with_the_old_features_is_refused(model: QuoteModel, tmp_path: Path):
    path = model.save(tmp_path)
    assert QuoteModel.load(tmp_path).meta["feature_version"] == FEATURE_VERSION == 7
    stale = joblib.load(path)
    stale.meta = {**stale.meta, "feature_version": 1}
    joblib.dump(stale, tmp_path / MODEL_FILE)
    with pytest.raises(ValueError, match="feature version 1, this code has 7: retrain"):
        QuoteModel.load(tmp_path)


def test_position_features_are_conjoined_with_the_label():
    """Version 5: ``أكد مدير جمعية الثقافة علي البيضاني أن …``: the PER is the last mention before the quote, the ORG
    the first after the cue; each position feature also carries the candidate's label."""
    from baselines.sklearn.quotes import SpeakerMention, _pair_features

    text = "وأكد مدير جمعية الثقافة علي البيضاني أن المهرجان نجح."
    cue = (text.index("أكد"), text.index("أكد") + 3)
    quote = (text.index("المهرجان"), len(text) - 1)
    org = SpeakerMention(text.index("جمعية"), text.index(" علي"), "ORG", False)
    per = SpeakerMention(text.index("علي"), text.index(" أن"), "PER", False)
    context = {"mention_spans": {(org.start, org.end), (per.start, per.end)}, "counts": {}}
    f_org = _pair_features(text, quote, cue, org, 1, 0, True, None, context)
    f_per = _pair_features(text, quote, cue, per, 0, 1, False, None, context)
    assert f_per["last_before_quote"] == 1.0 and f_per["last_before_quote&label=PER"] == 1.0
    assert f_org["last_before_quote"] == 0.0 and f_org["first_mention_after_cue&label=ORG"] == 1.0
    assert "first_mention_after_cue&label=PER" not in f_per


def test_cross_fitted_quote_spans_predict_each_article_from_a_scorer_that_never_saw_it():
    from baselines.sklearn.quotes import cross_fitted_quote_spans

    articles = _articles(12)
    spans = cross_fitted_quote_spans(articles, folds=4)
    assert set(spans) == {a.doc_id for a in articles}
    first = articles[0]
    assert (first.quotes[0].start, first.quotes[0].end) in spans[first.doc_id]  # the marked quote is found
    # the article's own gold never reaches its prediction: blank it, and its spans stay as they were
    blanked = [Article(doc_id=first.doc_id, text=first.text, entities=first.entities), *articles[1:]]
    assert cross_fitted_quote_spans(blanked, folds=4)[first.doc_id] == spans[first.doc_id]
    assert cross_fitted_quote_spans(articles[:1]) == {first.doc_id: []}  # nothing to train on
    no_quotes = [Article(doc_id=a.doc_id, text=a.text, entities=a.entities) for a in articles]
    assert cross_fitted_quote_spans(no_quotes) == {a.doc_id: [] for a in articles}
