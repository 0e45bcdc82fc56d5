"""The quote-attribution baseline: rule-based candidates, a learned span scorer, a learned speaker ranker.

**Candidates** (:func:`quote_candidates`), from the text alone:

* *quotation-mark spans*: every balanced ``"…"``, ``«…»``, ``“…”`` (marks included, as in the
  gold), with the cue verb found before it (within the sentence) if any;
* *reported-speech spans*: a cue verb (:data:`CUE_VERBS`, with proclitics ``و``/``ف`` and the
  ``قائلا``/``مشيرا`` forms) followed, within a few words, by a complementiser (``إن``/``أن``/``بأن``);
  the span runs from the word after the complementiser to the end of the clause (``.``, a line break,
  ``؛``, or ``، مشيرا|قائلا|مضيفا…``), or to the end of a quotation that starts there.

**Span scorer**: logistic regression over candidate features (origin, cue present and its distance,
colon before, length, clause-final punctuation, quotation marks inside…). Training labels: the
candidate's span equals a gold quote span. Predicted quotes are the candidates with probability
≥ 0.5, greedily by score, without overlaps. The **kind** is read off the span: marks at both ends
and no complementiser → ``direct``; a complementiser and marks inside → ``mixed``; else ``indirect``.

**Speaker ranker** (feature version 2): a pairwise logistic regression (no intercept; trained on
feature differences right minus wrong within each quote, so its score ranks a quote's candidates against
each other) over the quote's candidates: the nearby mentions (:func:`speaker_mentions`: leading
honorifics such as ``الدكتور``/``السيد`` stripped, since the gold speaker span leaves them out), one
*previous quote's speaker* candidate (with an "elided cue" flag: the cue is followed by ``:``/a
quotation mark with no mention in between, ``وتابع: "…"``), and one *no speaker* candidate. Mention
features: label, word count, a title first word, position relative to the cue and the quote (right
after the cue, the *first mention after the cue* within three words, i.e. the verb's subject in
``قال الوزير``, between cue and quote, before the cue in the sentence, after the quote), distance
buckets, same sentence, nearest-of-its-kind flags, and whether it is (or overlaps) the previous quote's
speaker. Training label: the candidate is in the gold speaker's cluster (for quotes without a speaker:
the *no speaker* candidate); quotes whose right answer is not among the candidates are left out. The
top-scoring candidate wins; *no speaker* winning gives ``null``.

**Mentions at prediction time**: the input's gold entities when present (and allowed), else the NER
baseline's predictions (``ner=``), else the *cue heuristic*: the run of words right after the cue up
to ``:``/``،``/``إن``/``أن``/a quotation mark (at most 4 words) is taken as the speaker mention.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from baselines.sklearn.features import normalise_token
from baselines.sklearn.persist import load_model, save_model
from baselines.sklearn.quote_spans import (
    CLOSING_MARKS,
    CUE_WORDS,
    OPENING_MARKS,
    Candidate,
    SpanConfig,
    find_cues,
    span_candidates,
)
from benchmark.model import Article
from benchmark.text import tokenize

if TYPE_CHECKING:  # pragma: no cover
    from baselines.sklearn.ner import NerModel

__all__ = ["CUE_VERBS", "Candidate", "QuoteModel", "find_cues", "quote_candidates", "quote_kind"]

MODEL_FILE = "quotes_lr.joblib"
FEATURE_VERSION = 3

CUE_VERBS: tuple[str, ...] = CUE_WORDS
_COMPLEMENTISERS = frozenset(normalise_token(w) for w in ("إن", "أن", "بأن", "إنه", "أنه", "إنها", "أنها", "بأنه"))
_OPEN_CLOSE = {'"': '"', "«": "»", "“": "”"}


def quote_kind(text: str, start: int, end: int, complementiser: bool, origin: str = "marks") -> str:
    """``direct`` / ``mixed`` / ``indirect`` from the span's shape: marks at both ends and no complementiser, or
    unmarked speech after a colon → direct; quotation marks inside → mixed; else indirect."""
    surface = text[start:end]
    has_marks = any(ch in surface for ch in OPENING_MARKS + CLOSING_MARKS)
    if origin == "colon" and not (has_marks and complementiser):
        return "direct"
    if not complementiser and surface[:1] in OPENING_MARKS and surface[-1:] in CLOSING_MARKS:
        return "direct"
    return "mixed" if has_marks else "indirect"


def quote_candidates(text: str, config: SpanConfig = SpanConfig()) -> list[Candidate]:
    """Every candidate quote span of ``text`` (:func:`baselines.sklearn.quote_spans.span_candidates`), each
    candidate's features also conjoined with its origin (so the scorer weighs "ends at a comma" per form).

    >>> text = 'وقال بوتين: "أهلا بكم". وأضاف أن الزيارة مهمة.'
    >>> sorted({(text[c.start:c.end], c.origin) for c in quote_candidates(text)})
    [('"أهلا بكم"', 'marks'), ('الزيارة مهمة', 'reported')]
    """
    candidates = span_candidates(text, config)
    for cand in candidates:
        cand.features.update({f"{cand.origin}&{k}": v for k, v in list(cand.features.items())
                              if not k.startswith("origin=")})
    return candidates


def _sentence_start(text: str, position: int) -> int:
    cut = max(text.rfind(ch, 0, position) for ch in ".\n؟?!")
    return cut + 1


# --------------------------------------------------------------------------- speakers

_SPEAKER_STOP = re.compile(r'[:،,"«“]')


def _heuristic_mentions(text: str, cues: Sequence[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Cue heuristic: up to 4 words right after each cue, stopping at ``:``/``،``/a mark/``إن``/``أن``."""
    mentions = []
    for _, cue_end in cues:
        words = []
        for token in tokenize(text[cue_end:cue_end + 120])[:6]:
            if _SPEAKER_STOP.match(token.text) or normalise_token(token.text) in _COMPLEMENTISERS or \
                    token.text in ".\n":
                break
            words.append(token)
            if len(words) == 4:
                break
        if words:
            mentions.append((cue_end + words[0].start, cue_end + words[-1].end, "PER"))
    return mentions


def _bucket(value: int, edges: Sequence[int]) -> int:
    return next((i for i, edge in enumerate(edges) if value <= edge), len(edges))


_TITLES = frozenset(normalise_token(w) for w in (
    "الدكتور", "د", "الرئيس", "رئيس", "الوزير", "وزير", "الشيخ", "السيد", "السيدة", "الأمير", "الملك",
    "اللواء", "العميد", "العقيد", "المهندس", "الأستاذ", "المتحدث", "الناطق", "الأمين", "أمين", "المدير", "مدير",
    "النائب", "السفير", "الجنرال", "المستشار", "القاضي", "الإمام", "المواطن", "الداعية", "البروفيسور"))
# honorifics that the gold leaves out of a speaker mention (``الدكتور جريدي`` → ``جريدي``); role nouns such as
# ``وزير``/``المتحدث`` are part of mentions like ``وزير الخارجية`` and stay
_HONORIFICS = frozenset(normalise_token(w) for w in (
    "الدكتور", "د", "السيد", "السيدة", "الشيخ", "المهندس", "الأستاذ", "العقيد", "اللواء", "العميد", "المواطن",
    "الداعية", "البروفيسور", "الأمير", "الجنرال"))


@dataclass(frozen=True)
class SpeakerMention:
    """A speaker candidate: a (gold or predicted) entity mention with its leading honorifics stripped."""

    start: int
    end: int
    label: str
    first_word_title: bool


def strip_honorifics(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without leading honorifics (at least one word is kept).

    >>> text = "وقال الدكتور جريدي: نعم"
    >>> s, e = strip_honorifics(text, 5, 18)
    >>> text[s:e]
    'جريدي'
    """
    words = [t for t in tokenize(text[start:end]) if any(ch.isalnum() for ch in t.text)]
    i = 0
    while i < len(words) - 1 and normalise_token(words[i].text) in _HONORIFICS:
        i += 1
    return (start + words[i].start, end) if i else (start, end)


def speaker_mentions(text: str, mentions: Sequence[tuple[int, int, str]]) -> list[SpeakerMention]:
    """The speaker candidates of a text: its mentions, honorifics stripped, each span once, in text order."""
    out: dict[tuple[int, int], SpeakerMention] = {}
    for start, end, label in mentions:
        start, end = strip_honorifics(text, start, end)
        first = text[start:end].split()[:1]
        out.setdefault((start, end), SpeakerMention(start, end, label,
                                                     bool(first) and normalise_token(first[0]) in _TITLES))
    return sorted(out.values(), key=lambda m: (m.start, m.end))


def _pair_features(text: str, quote: tuple[int, int], cue: tuple[int, int] | None, mention: SpeakerMention,
                   rank_before: int, rank_after: int, first_after_cue: bool, previous: tuple[int, int] | None
                   ) -> dict[str, float]:
    q_start, q_end = quote
    m_start, m_end = mention.start, mention.end
    feats: dict[str, float] = {f"label={mention.label}": 1.0,
                               f"n_words={min(len(text[m_start:m_end].split()), 4)}": 1.0,
                               "first_word_title": float(mention.first_word_title)}
    anchor = cue[1] if cue else q_start
    if cue is not None:
        between = text[cue[1]:m_start]
        feats["right_after_cue"] = float(m_start >= cue[1] and len(between.split()) == 0)
        feats["first_mention_after_cue"] = float(first_after_cue)
        feats["between_cue_and_quote"] = float(cue[1] <= m_start and m_end <= q_start)
        feats["before_cue_same_sentence"] = float(m_end <= cue[0] and _sentence_start(text, cue[0]) <= m_start)
    feats["after_quote"] = float(m_start >= q_end)
    distance = abs(m_start - anchor)
    feats[f"dist_bucket={_bucket(distance, (5, 20, 60, 150, 400))}"] = 1.0
    feats["same_sentence"] = float(_sentence_start(text, m_start) == _sentence_start(text, q_start))
    feats["nearest_before"] = float(rank_before == 0)
    feats["nearest_after"] = float(rank_after == 0)
    if previous is not None:
        feats["is_previous_speaker"] = float((m_start, m_end) == previous)
        feats["overlaps_previous_speaker"] = float(m_start < previous[1] and previous[0] < m_end)
    return feats


def _null_features(cue: tuple[int, int] | None,
                   options: Sequence[tuple[tuple[int, int] | None, dict[str, float]]]) -> dict[str, float]:
    """The "no speaker" candidate's features."""
    return {"null": 1.0, "null&has_cue": float(cue is not None), "null&no_candidates": float(not options),
            "null&has_previous": float(any("previous_speaker" in f for _, f in options))}


@dataclass
class QuoteModel:
    """The span scorer and the pairwise speaker ranker (two logistic regressions over dict features)."""

    span_vectorizer: Any
    span_classifier: Any
    speaker_vectorizer: Any
    speaker_classifier: Any
    meta: dict[str, Any] = field(default_factory=dict)
    span_threshold: float = 0.5

    # -- speaker candidates ------------------------------------------------------------------

    @staticmethod
    def _speaker_candidates(text: str, quote: tuple[int, int], cue: tuple[int, int] | None,
                            mentions: Sequence[SpeakerMention], previous_speaker: tuple[int, int] | None
                            ) -> list[tuple[tuple[int, int] | None, dict[str, float]]]:
        window_start = _sentence_start(text, cue[0] if cue else quote[0])
        window_start = _sentence_start(text, max(0, window_start - 1))  # the previous sentence too
        nearby = [m for m in mentions if window_start <= m.start and m.end <= quote[1] + 200
                  and not (quote[0] <= m.start and m.end <= quote[1])]
        anchor = cue[1] if cue else quote[0]
        bases = sorted((m.start, m.end) for m in nearby)
        before = sorted((b for b in bases if b[1] <= anchor), key=lambda b: -b[1])
        after = sorted((b for b in bases if b[0] >= anchor), key=lambda b: b[0])
        first_after_cue = None
        if cue is not None:
            first_after_cue = next((b for b in after if b[0] < quote[0] and len(text[cue[1]:b[0]].split()) <= 3),
                                   None)
        out = []
        rank_before = {span: rank for rank, span in enumerate(before)}
        rank_after = {span: rank for rank, span in enumerate(after)}
        for m in nearby:
            span = (m.start, m.end)
            out.append((span, _pair_features(text, quote, cue, m, rank_before.get(span, 99), rank_after.get(span, 99),
                                             span == first_after_cue, previous_speaker)))
        if previous_speaker is not None:
            elided = cue is not None and text[cue[1]:quote[0]].strip() in ("", ":", "،")
            no_mention_after_cue = not any(cue is not None and cue[1] <= m.start < quote[0] for m in nearby)
            out.append((previous_speaker, {"previous_speaker": 1.0, "elided_cue": float(elided),
                                           "prev_and_no_mention": float(no_mention_after_cue)}))
        return out

    # -- training ----------------------------------------------------------------------------

    @classmethod
    def train(cls, articles: Iterable[Article], *, C: float = 1.0) -> QuoteModel:
        """Fit both classifiers on articles with gold quotes (and entities for the speakers)."""
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        articles = [a for a in articles if a.quotes]
        if not articles:
            raise ValueError("no training article has quotes: train on gold with quote annotations")
        span_x, span_y = [], []
        groups: list[tuple[list[dict[str, float]], list[int]]] = []
        for article in articles:
            text = article.text
            gold = {(q.start, q.end): q for q in article.quotes}
            for cand in quote_candidates(text):
                span_x.append(cand.features)
                span_y.append(int((cand.start, cand.end) in gold))
            mentions = speaker_mentions(text, [(m.start, m.end, m.label) for m in article.entities])
            by_id = {m.id: m for m in article.entities}
            previous = None
            for quote in sorted(article.quotes, key=lambda q: q.start):
                cue = (quote.cue.start, quote.cue.end) if quote.cue else None
                cluster = None
                if quote.speaker is not None:
                    cluster = by_id[quote.speaker].cluster
                cluster_spans = {(m.start, m.end) for m in article.entities if m.cluster == cluster}
                options = cls._speaker_candidates(text, (quote.start, quote.end), cue, mentions, previous)
                options.append((None, _null_features(cue, options)))
                labels = [int(span in cluster_spans) if quote.speaker is not None else int(span is None)
                          for span, _ in options]
                if any(labels):
                    groups.append(([f for _, f in options], labels))
                if quote.speaker is not None:
                    speaker = by_id[quote.speaker]
                    previous = (speaker.start, speaker.end)
        if len(set(span_y)) < 2:
            raise ValueError(f"the span scorer needs both matching and non-matching candidates; got "
                             f"{sum(span_y)} matching of {len(span_y)} (do the gold quote spans follow the "
                             "guidelines: marks included for direct quotes?)")
        span_vectorizer = DictVectorizer()
        span_classifier = LogisticRegression(C=C, class_weight="balanced", max_iter=2000)
        span_classifier.fit(span_vectorizer.fit_transform(span_x), span_y)
        speaker_vectorizer = DictVectorizer()
        speaker_vectorizer.fit([f for feats, _ in groups for f in feats])
        pair_x, pair_y = [], []
        for feats, labels in groups:
            matrix = speaker_vectorizer.transform(feats)
            for i, yi in enumerate(labels):
                for j, yj in enumerate(labels):
                    if yi and not yj:
                        flip = len(pair_y) % 2
                        pair_x.append(matrix[j] - matrix[i] if flip else matrix[i] - matrix[j])
                        pair_y.append(0 if flip else 1)
        if len(set(pair_y)) < 2:
            raise ValueError(f"the speaker ranker needs quotes with both right and wrong speaker candidates; got "
                             f"{len(pair_y)} pair(s) (train on articles whose quotes link speakers and that "
                             "mention other entities too)")
        from scipy.sparse import vstack
        speaker_classifier = LogisticRegression(C=C, fit_intercept=False, max_iter=2000)
        speaker_classifier.fit(vstack(pair_x), pair_y)
        meta = {"feature_version": FEATURE_VERSION, "C": C, "n_articles": len(articles),
                "n_quotes": sum(len(a.quotes) for a in articles), "span_candidates": len(span_y),
                "span_positives": sum(span_y), "speaker_groups": len(groups), "speaker_pairs": len(pair_y)}
        return cls(span_vectorizer, span_classifier, speaker_vectorizer, speaker_classifier, meta)

    # -- prediction --------------------------------------------------------------------------

    def mentions_for(self, article: Article, ner: NerModel | None, use_gold_entities: bool
                     ) -> tuple[list[tuple[int, int, str]], str]:
        """Speaker candidates for an article and where they came from (gold / ner / cue-heuristic)."""
        if use_gold_entities and article.entities:
            return [(m.start, m.end, m.label) for m in article.entities], "gold"
        if ner is not None:
            return ner.predict_spans(article.text), "ner"
        return _heuristic_mentions(article.text, find_cues(article.text)), "cue-heuristic"

    def predict_article(self, article: Article, *, ner: NerModel | None = None,
                        use_gold_entities: bool = True) -> list[dict[str, Any]]:
        """Submission quotes for one article: ``[{start, end, kind, speaker: {start, end} | None}]``."""
        text = article.text
        candidates = quote_candidates(text)
        chosen: list[Candidate] = []
        if candidates:
            scores = self.span_classifier.predict_proba(
                self.span_vectorizer.transform([c.features for c in candidates]))[:, 1]
            for score, cand in sorted(zip(scores, candidates, strict=True), key=lambda x: (-x[0], x[1].start)):
                if score < self.span_threshold:
                    break
                if all(cand.end <= c.start or cand.start >= c.end for c in chosen):
                    chosen.append(cand)
        chosen.sort(key=lambda c: c.start)
        spans, _ = self.mentions_for(article, ner, use_gold_entities)
        mentions = speaker_mentions(text, spans)
        out = []
        previous: tuple[int, int] | None = None
        for cand in chosen:
            options = self._speaker_candidates(text, (cand.start, cand.end), cand.cue, mentions, previous)
            options.append((None, _null_features(cand.cue, options)))
            scores = self.speaker_classifier.decision_function(
                self.speaker_vectorizer.transform([f for _, f in options]))
            best = max(range(len(options)), key=lambda i: (scores[i], -i))
            speaker = options[best][0]
            if speaker is not None:
                previous = speaker
            out.append({"start": cand.start, "end": cand.end,
                        "kind": quote_kind(text, cand.start, cand.end, cand.complementiser, cand.origin),
                        "speaker": None if speaker is None else {"start": speaker[0], "end": speaker[1]}})
        return out

    # -- persistence -------------------------------------------------------------------------

    def save(self, out_dir: str | Path) -> Path:
        """Write ``out_dir/quotes_lr.joblib`` (not meant to be committed)."""
        return save_model(self, out_dir, MODEL_FILE)

    @classmethod
    def load(cls, model_dir: str | Path) -> QuoteModel:
        """Read a model written by :meth:`save`."""
        return load_model(cls, model_dir, MODEL_FILE, task="quotes", feature_version=FEATURE_VERSION)
