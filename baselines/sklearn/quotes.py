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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from baselines.sklearn.features import normalise_token
from baselines.sklearn.persist import load_model, save_model
from baselines.sklearn.quote_spans import (
    CLOSING_MARKS,
    CUE_WORDS,
    OPENING_MARKS,
    PARTICIPLE_CUES,
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
_PARTICIPLES = frozenset(normalise_token(w) for w in PARTICIPLE_CUES)


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


def quote_candidates(text: str, config: SpanConfig | None = None) -> list[Candidate]:
    """Every candidate quote span of ``text`` (:func:`baselines.sklearn.quote_spans.span_candidates`), each
    candidate's features also conjoined with its origin (so the scorer weighs "ends at a comma" per form).

    >>> text = 'وقال بوتين: "أهلا بكم". وأضاف أن الزيارة مهمة.'
    >>> sorted({(text[c.start:c.end], c.origin) for c in quote_candidates(text)})
    [('"أهلا بكم"', 'marks'), ('الزيارة مهمة', 'reported')]
    """
    candidates = span_candidates(text, config or SpanConfig())
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


#: Words that end a speaker's name inside a longer NER span (``عبدالله التركي الأمين العام`` → ``عبدالله التركي``)
#: or that stand before the name (``المتحدث باسم الجمارك المستشار عيسى العيسى`` → ``عيسى العيسى``).
_INNER_TITLES = _TITLES | frozenset(normalise_token(w) for w in (
    "الممثل", "المتحدث", "رئيس", "وكيل", "مدرب", "لاعب", "مهاجم", "عضو", "المسؤول", "مسؤول", "مساعد", "نائب",
    "قائد", "المدرب", "اللاعب", "الحكومية", "الرسمية"))
#: Words that never start or end a speaker span found after a cue (prepositions, time words, particles).
_SUBJECT_STOPS = frozenset(normalise_token(w) for w in (
    "في", "من", "على", "عن", "إلى", "الى", "خلال", "أمس", "اليوم", "مساء", "صباح", "أيضا", "كذلك", "بعد", "قبل",
    "عقب", "حول", "أثناء", "لدى", "مع", "له", "لها", "لهم", "إن", "أن", "بأن", "إنه", "أنه", "إنها", "أنها", "قد",
    "وقد", "ما", "الذي", "التي", "حيث", "يوم", "السبت", "الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس",
    "الجمعة", "تصريح", "تصريحات", "بيان", "حديث", "مؤتمر"))
_SUBJECT_BREAK = re.compile(r'[:،,"«“”».؟?!()\n]')


@dataclass(frozen=True)
class SpeakerMention:
    """A speaker candidate: a (gold or predicted) entity mention with its leading honorifics stripped, or a
    repaired part of one (``source="cut"``), or a run of words after a cue (``source="subject"``)."""

    start: int
    end: int
    label: str
    first_word_title: bool
    source: str = "mention"


@dataclass(frozen=True)
class SpeakerConfig:
    """The speaker model's parts (all on by default; the ablation switches them off one by one)."""

    variants: bool = True  # repaired NER spans and cue-subject word runs as extra candidates
    speaker_change: bool = True  # the previous quote's speaker may be "none"; recency among earlier mentions
    cluster_best: bool = True  # a chosen span moves to the same-name mention the NER found most often


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


def _mention(text: str, start: int, end: int, label: str, source: str) -> SpeakerMention:
    first = text[start:end].split()[:1]
    return SpeakerMention(start, end, label, bool(first) and normalise_token(first[0]) in _TITLES, source)


def speaker_mentions(text: str, mentions: Sequence[tuple[int, int, str]]) -> list[SpeakerMention]:
    """The speaker candidates of a text: its mentions, honorifics stripped, each span once, in text order."""
    out: dict[tuple[int, int], SpeakerMention] = {}
    for start, end, label in mentions:
        start, end = strip_honorifics(text, start, end)
        out.setdefault((start, end), _mention(text, start, end, label, "mention"))
    return sorted(out.values(), key=lambda m: (m.start, m.end))


def mention_cuts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Parts of a mention split at an inner title word: the words before it and the words after it.

    >>> text = "عبدالله التركي الأمين العام"
    >>> [text[s:e] for s, e in mention_cuts(text, 0, len(text))]
    ['عبدالله التركي', 'العام']
    """
    words = [t for t in tokenize(text[start:end]) if any(ch.isalnum() for ch in t.text)]
    out = []
    for i, word in enumerate(words[1:], start=1):
        if normalise_token(word.text) in _INNER_TITLES:
            out.append((start + words[0].start, start + words[i - 1].end))
            if i + 1 < len(words):
                out.append((start + words[i + 1].start, start + words[-1].end))
    return out


def subject_spans(text: str, cue: tuple[int, int], max_words: int = 7) -> list[tuple[int, int]]:
    """Runs of 1–4 words among the first ``max_words`` after a cue (up to ``:``/``،``/a mark/a complementiser),
    neither starting nor ending with a preposition or time word: where the verb's subject is.

    >>> text = "وقال المتحدث باسم الملاهي ياكوب فال: إن"
    >>> spans = {text[s:e] for s, e in subject_spans(text, (1, 4))}
    >>> "ياكوب فال" in spans, "باسم الملاهي" in spans
    (True, True)
    """
    words = []
    for token in tokenize(text[cue[1]:cue[1] + 150]):
        if _SUBJECT_BREAK.match(token.text) or normalise_token(token.text) in _COMPLEMENTISERS:
            break
        words.append(token)
        if len(words) == max_words:
            break
    out = []
    for i in range(len(words)):
        for j in range(i, min(len(words), i + 4)):
            first, last = normalise_token(words[i].text), normalise_token(words[j].text)
            if first in _SUBJECT_STOPS or last in _SUBJECT_STOPS or (first.startswith("ل") and len(first) > 3 \
                    and first[1:3] == "ال"):
                continue
            out.append((cue[1] + words[i].start, cue[1] + words[j].end))
    return out


def speaker_candidates(text: str, mentions: Sequence[tuple[int, int, str]], cues: Sequence[tuple[int, int]],
                       variants: bool = True) -> list[SpeakerMention]:
    """Every speaker candidate of a text: :func:`speaker_mentions`, and with ``variants`` the
    :func:`mention_cuts` of each and the :func:`subject_spans` after each cue (each span once)."""
    base = speaker_mentions(text, mentions)
    if not variants:
        return base
    out = {(m.start, m.end): m for m in base}
    for m in base:
        for s, e in mention_cuts(text, m.start, m.end):
            s, e = strip_honorifics(text, s, e)
            out.setdefault((s, e), _mention(text, s, e, m.label, "cut"))
    for cue in cues:
        for s, e in subject_spans(text, cue):
            s, e = strip_honorifics(text, s, e)
            out.setdefault((s, e), _mention(text, s, e, "SUBJ", "subject"))
    return sorted(out.values(), key=lambda m: (m.start, m.end))


def _words_key(text: str, start: int, end: int) -> tuple[str, ...]:
    return tuple(normalise_token(w) for w in text[start:end].split())


def _pair_features(text: str, quote: tuple[int, int], cue: tuple[int, int] | None, mention: SpeakerMention,
                   rank_before: int, rank_after: int, first_after_cue: bool, previous: tuple[int, int] | None,
                   context: dict[str, Any]) -> dict[str, float]:
    """The features of one (quote, speaker candidate) pair (see the module docstring)."""
    q_start, q_end = quote
    m_start, m_end = mention.start, mention.end
    words = _words_key(text, m_start, m_end)
    feats: dict[str, float] = {f"label={mention.label}": 1.0, f"source={mention.source}": 1.0,
                               f"n_words={min(len(words), 4)}": 1.0,
                               f"source={mention.source}&n_words={min(len(words), 4)}": 1.0,
                               "first_word_title": float(mention.first_word_title)}
    if mention.source != "mention":
        feats["first=" + (words[0] if words else "")] = 1.0
        feats["last=" + (words[-1] if words else "")] = 1.0
        feats["inside_mention"] = float(any(s <= m_start and m_end <= e and (s, e) != (m_start, m_end)
                                            for s, e in context["mention_spans"]))
        feats["is_mention_part"] = float(any(s < m_end and m_start < e for s, e in context["mention_spans"]))
    feats["preceded_by_li"] = float(text[max(0, m_start - 2):m_start] in ("لـ", " ل") or
                                    (bool(words) and words[0].startswith("لل")))
    feats["surface_count>1"] = float(context["counts"].get(words, 0) > 1)
    anchor = cue[1] if cue else q_start
    if cue is not None:
        between = text[cue[1]:m_start]
        feats["right_after_cue"] = float(m_start >= cue[1] and len(between.split()) == 0)
        feats["first_mention_after_cue"] = float(first_after_cue)
        feats["between_cue_and_quote"] = float(cue[1] <= m_start and m_end <= q_start)
        feats["before_cue_same_sentence"] = float(m_end <= cue[0] and _sentence_start(text, cue[0]) <= m_start)
        if mention.source == "subject":
            feats["subject&starts_after_cue"] = float(len(between.split()) == 0)
            feats["subject&ends_at_break"] = float(bool(_SUBJECT_BREAK.match(text[m_end:m_end + 2].strip()[:1]))
                                                   or text[m_end:m_end + 4].split()[:1] == [])
    feats["after_quote"] = float(m_start >= q_end)
    distance = abs(m_start - anchor)
    feats[f"dist_bucket={_bucket(distance, (5, 20, 60, 150, 400))}"] = 1.0
    feats["same_sentence"] = float(_sentence_start(text, m_start) == _sentence_start(text, q_start))
    feats["nearest_before"] = float(rank_before == 0)
    feats["nearest_before_same_sentence"] = float(rank_before == 0 and feats["same_sentence"] == 1.0)
    feats["subject_of_earlier_cue"] = float((m_start, m_end) in context.get("cue_subjects", ()))
    if cue is not None and context.get("participle_cue"):
        feats["participle&subject_of_earlier_cue"] = feats["subject_of_earlier_cue"]
        feats["participle&nearest_before_same_sentence"] = feats["nearest_before_same_sentence"]
    feats["nearest_after"] = float(rank_after == 0)
    if previous is not None:
        feats["is_previous_speaker"] = float((m_start, m_end) == previous)
        feats["overlaps_previous_speaker"] = float(m_start < previous[1] and previous[0] < m_end)
        previous_words = _words_key(text, *previous)
        feats["same_name_as_previous"] = float(words == previous_words or (bool(words) and
                                                                          words[-1:] == previous_words[-1:]))
    return feats


def _null_features(cue: tuple[int, int] | None, options: Sequence[tuple[tuple[int, int] | None, dict[str, float]]],
                   unnamed_source: bool) -> dict[str, float]:
    """The "no speaker" candidate's features."""
    return {"null": 1.0, "null&has_cue": float(cue is not None), "null&no_candidates": float(not options),
            "null&has_previous": float(any("previous_speaker" in f for _, f in options)),
            "null&unnamed_source_word": float(unnamed_source)}


#: Words naming a source that is not a mention (§5.7): ``مصادر``، ``مسؤولون``، ``تقارير``…
_UNNAMED = frozenset(normalise_token(w) for w in (
    "مصادر", "مصدر", "مسؤولون", "مسؤولين", "مراسلون", "تقارير", "وسائل", "شهود", "محللون", "مراقبون",
    "المراقبين", "خبراء", "مصادرنا", "مصادرها", "أنباء", "المصادر", "ناشطون", "سكان", "تقارير"))


@dataclass
class _History:
    """What came before a quote: the previous quote's speaker, the names that have spoken, every quote span."""

    quotes: list[tuple[int, int]]
    previous: tuple[int, int] | None = None
    spoken: set[tuple[str, ...]] = field(default_factory=set)

    def said(self, text: str, speaker: tuple[int, int]) -> None:
        self.previous = speaker
        self.spoken.add(_words_key(text, *speaker)[-1:])


@dataclass
class _Context:
    """What the speaker features of one article share: its candidates, their spans and surface counts."""

    mentions: list[SpeakerMention]
    mention_spans: set[tuple[int, int]]
    counts: dict[tuple[str, ...], int]
    cues: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def of(cls, text: str, mentions: list[SpeakerMention], cues: list[tuple[int, int]]) -> _Context:
        counts: dict[tuple[str, ...], int] = {}
        proper = [m for m in mentions if m.source == "mention"]
        for m in proper:
            key = _words_key(text, m.start, m.end)
            counts[key] = counts.get(key, 0) + 1
        return cls(mentions, {(m.start, m.end) for m in proper}, counts, cues)


def cluster_best(text: str, span: tuple[int, int], mentions: Sequence[SpeakerMention]) -> tuple[int, int]:
    """The mention standing for a chosen speaker span: among the NER mentions of the same name (the same
    words; or the full name of a one-word surname; or the surname of a full name), the surface the NER found
    most often, its occurrence nearest the chosen span; the chosen span itself when it is as frequent.

    >>> text = "قال خالد بانافع . وأكد خالد بانافع . وتابع بانافع"
    >>> ms = speaker_mentions(text, [(4, 15, "PER"), (23, 34, "PER"), (43, 49, "PER")])
    >>> s, e = cluster_best(text, (43, 49), ms)
    >>> text[s:e]
    'خالد بانافع'
    """
    key = _words_key(text, *span)
    if not key:
        return span
    groups: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    for m in mentions:
        words = _words_key(text, m.start, m.end) if m.source == "mention" else ()
        same_name = words == key or (len(key) == 1 and len(words) > 1 and words[-1] == key[0]) or (
            len(words) == 1 and len(key) > 1 and key[-1] == words[0])
        if words and same_name:
            groups.setdefault(words, []).append((m.start, m.end))
    own = len(groups.get(key, []))
    best = max(groups.items(), key=lambda kv: len(kv[1]), default=None)
    if best is None or len(best[1]) <= own:
        return span
    return min(best[1], key=lambda s: abs(s[0] - span[0]))


@dataclass
class QuoteModel:
    """The span scorer and the pairwise speaker ranker (two logistic regressions over dict features)."""

    span_vectorizer: Any
    span_classifier: Any
    speaker_vectorizer: Any
    speaker_classifier: Any
    meta: dict[str, Any] = field(default_factory=dict)
    span_threshold: float = 0.35
    spans: SpanConfig = field(default_factory=SpanConfig)
    speakers: SpeakerConfig = field(default_factory=SpeakerConfig)

    # -- speaker candidates ------------------------------------------------------------------

    def _speaker_candidates(self, text: str, quote: tuple[int, int], cue: tuple[int, int] | None,
                            context: _Context, history: _History
                            ) -> list[tuple[tuple[int, int] | None, dict[str, float]]]:
        previous = history.previous
        window_start = _sentence_start(text, cue[0] if cue else quote[0])
        window_start = _sentence_start(text, max(0, window_start - 1))  # the previous sentence too
        nearby = [m for m in context.mentions if window_start <= m.start and m.end <= quote[1] + 200
                  and not (quote[0] <= m.start and m.end <= quote[1])
                  and (m.source != "subject" or (cue is not None and cue[1] <= m.start < cue[1] + 150))]
        earlier: list[SpeakerMention] = []
        if self.speakers.speaker_change:  # the most recent mentions before the window, outside quotes (§5.6)
            outside = [m for m in context.mentions if m.source == "mention" and m.end <= window_start
                       and not any(s <= m.start and m.end <= e for s, e in history.quotes)]
            earlier = outside[-6:]
        anchor = cue[1] if cue else quote[0]
        bases = sorted((m.start, m.end) for m in nearby if m.source == "mention")
        before = sorted((b for b in bases if b[1] <= anchor), key=lambda b: -b[1])
        after = sorted((b for b in bases if b[0] >= anchor), key=lambda b: b[0])
        first_after_cue = None
        if cue is not None:
            first_after_cue = next((b for b in after if b[0] < quote[0] and len(text[cue[1]:b[0]].split()) <= 3),
                                   None)
        out = []
        rank_before = {span: rank for rank, span in enumerate(before)}
        rank_after = {span: rank for rank, span in enumerate(after)}
        sentence = _sentence_start(text, cue[0] if cue else quote[0])
        earlier_cues = [c for c in context.cues if sentence <= c[0] and c[1] <= (cue[0] if cue else quote[0])]
        cue_subjects = set()
        for c in earlier_cues:  # ``وأكد شكري …، مشيرا إلى أن``: the participle's speaker is the verb's subject
            subject = next((b for b in bases if c[1] <= b[0] and len(text[c[1]:b[0]].split()) <= 3), None)
            if subject is not None:
                cue_subjects.add(subject)
        participle = cue is not None and normalise_token(text[cue[0]:cue[1]]) in _PARTICIPLES
        features = {"mention_spans": context.mention_spans, "counts": context.counts, "cue_subjects": cue_subjects,
                    "participle_cue": participle}
        for m in nearby:
            span = (m.start, m.end)
            out.append((span, _pair_features(text, quote, cue, m, rank_before.get(span, 99),
                                             rank_after.get(span, 99), span == first_after_cue, previous, features)))
        for rank, m in enumerate(reversed(earlier)):
            words = _words_key(text, m.start, m.end)
            out.append(((m.start, m.end), {
                "earlier": 1.0, f"earlier&rank={min(rank, 3)}": 1.0, f"earlier&label={m.label}": 1.0,
                "earlier&has_spoken": float(words[-1:] in history.spoken),
                "earlier&is_previous": float(previous is not None and (m.start, m.end) == previous),
                "earlier&elided_cue": float(cue is not None and text[cue[1]:quote[0]].strip() in ("", ":", "،"))}))
        if self.speakers.speaker_change:
            for span, feats in out:
                if span is not None and "earlier" not in feats:
                    feats["has_spoken"] = float(_words_key(text, *span)[-1:] in history.spoken)
        if previous is not None:
            elided = cue is not None and text[cue[1]:quote[0]].strip() in ("", ":", "،")
            no_mention_after_cue = not any(cue is not None and cue[1] <= m.start < quote[0]
                                           for m in nearby if m.source == "mention")
            out.append((previous, {"previous_speaker": 1.0, "elided_cue": float(elided),
                                   "prev_and_no_mention": float(no_mention_after_cue)}))
        return out

    def _options(self, text: str, quote: tuple[int, int], cue: tuple[int, int] | None, context: _Context,
                 history: _History) -> list[tuple[tuple[int, int] | None, dict[str, float]]]:
        options = self._speaker_candidates(text, quote, cue, context, history)
        unnamed = cue is not None and any(normalise_token(w) in _UNNAMED
                                          for w in text[cue[1]:min(quote[0], cue[1] + 60)].split()[:3])
        options.append((None, _null_features(cue, options, unnamed)))
        return options

    # -- training ----------------------------------------------------------------------------

    @classmethod
    def train(cls, articles: Iterable[Article], *, C: float = 1.0, speaker_C: float = 3.0,
              spans: SpanConfig | None = None,
              speakers: SpeakerConfig | None = None,
              ner_trainer: Callable[[Sequence[Article]], Any] | None = None, cross_fit_folds: int = 4
              ) -> QuoteModel:
        """Fit both classifiers on articles with gold quotes (and entities for the speakers).

        The speaker ranker learns from the speaker candidates it will meet at prediction time: with
        ``ner_trainer`` (a function training a NER model on articles), each training article's mentions are
        predicted by a NER model trained on the other ``cross_fit_folds - 1`` folds (cross-fitting); without
        it, from the gold entities."""
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        articles = [a for a in articles if a.quotes]
        if not articles:
            raise ValueError("no training article has quotes: train on gold with quote annotations")
        spans, speakers = spans or SpanConfig(), speakers or SpeakerConfig()
        model = cls(None, None, None, None, spans=spans, speakers=speakers)
        mention_spans = _cross_fitted_mentions(articles, ner_trainer, cross_fit_folds)
        span_x, span_y = [], []
        groups: list[tuple[list[dict[str, float]], list[int]]] = []
        for article in articles:
            text = article.text
            gold = {(q.start, q.end): q for q in article.quotes}
            for cand in quote_candidates(text, spans):
                span_x.append(cand.features)
                span_y.append(int((cand.start, cand.end) in gold))
            groups += model._speaker_groups(article, mention_spans[article.doc_id], ner_trainer is not None)
        if len(set(span_y)) < 2:
            raise ValueError(f"the span scorer needs both matching and non-matching candidates; got "
                             f"{sum(span_y)} matching of {len(span_y)} (do the gold quote spans follow the "
                             "guidelines: marks included for direct quotes?)")
        model.span_vectorizer = DictVectorizer()
        model.span_classifier = LogisticRegression(C=C, class_weight="balanced", max_iter=2000)
        model.span_classifier.fit(model.span_vectorizer.fit_transform(span_x), span_y)
        model.speaker_vectorizer = DictVectorizer()
        model.speaker_vectorizer.fit([f for feats, _ in groups for f in feats])
        pair_x, pair_y = [], []
        for feats, labels in groups:
            matrix = model.speaker_vectorizer.transform(feats)
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
        model.speaker_classifier = LogisticRegression(C=speaker_C, fit_intercept=False, max_iter=2000)
        model.speaker_classifier.fit(vstack(pair_x), pair_y)
        model.meta = {"feature_version": FEATURE_VERSION, "C": C, "speaker_C": speaker_C, "n_articles": len(articles),
                      "n_quotes": sum(len(a.quotes) for a in articles), "span_candidates": len(span_y),
                      "span_positives": sum(span_y), "speaker_groups": len(groups), "speaker_pairs": len(pair_y),
                      "speaker_mentions": "cross-fitted NER" if ner_trainer else "gold entities",
                      "spans": vars(spans), "speakers": vars(speakers)}
        return model

    def _speaker_groups(self, article: Article, mentions: Sequence[tuple[int, int, str]], predicted: bool
                        ) -> list[tuple[list[dict[str, float]], list[int]]]:
        """The ranker's training groups of one article: per quote, its options' features and which are right
        (in the gold speaker's cluster; "no speaker" for a quote without one); quotes with no right option are
        left out. With ``predicted`` mentions, the history follows only speakers found among the options."""
        text = article.text
        context = self._context(text, mentions)
        by_id = {m.id: m for m in article.entities}
        history = _History([(q.start, q.end) for q in article.quotes])
        groups = []
        for quote in sorted(article.quotes, key=lambda q: q.start):
            cue = (quote.cue.start, quote.cue.end) if quote.cue else None
            cluster = by_id[quote.speaker].cluster if quote.speaker is not None else None
            cluster_spans = {(m.start, m.end) for m in article.entities if m.cluster == cluster}
            options = self._options(text, (quote.start, quote.end), cue, context, history)
            labels = [int(span in cluster_spans) if quote.speaker is not None else int(span is None)
                      for span, _ in options]
            if any(labels):
                groups.append(([f for _, f in options], labels))
            right = [span for (span, _), y in zip(options, labels, strict=True) if y and span is not None]
            if quote.speaker is not None and (right or not predicted):
                speaker = by_id[quote.speaker]
                history.said(text, right[0] if right else (speaker.start, speaker.end))
        return groups

    def _context(self, text: str, spans: Sequence[tuple[int, int, str]]) -> _Context:
        cues = find_cues(text, self.spans.large_lexicon)
        return _Context.of(text, speaker_candidates(text, spans, cues, self.speakers.variants), cues)

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
        candidates = quote_candidates(text, self.spans)
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
        context = self._context(text, spans)
        out = []
        history = _History([(c.start, c.end) for c in chosen])
        for cand in chosen:
            options = self._options(text, (cand.start, cand.end), cand.cue, context, history)
            scores = self.speaker_classifier.decision_function(
                self.speaker_vectorizer.transform([f for _, f in options]))
            best = max(range(len(options)), key=lambda i: (scores[i], -i))
            speaker = options[best][0]
            if speaker is not None:
                history.said(text, speaker)
                if self.speakers.cluster_best:
                    speaker = cluster_best(text, speaker, context.mentions)
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


def _cross_fitted_mentions(articles: Sequence[Article], ner_trainer: Callable[[Sequence[Article]], Any] | None,
                           folds: int) -> dict[str, list[tuple[int, int, str]]]:
    """Each article's speaker mentions for training: gold entities, or (with ``ner_trainer``) the predictions
    of a NER model trained on the other folds (articles dealt round-robin into ``folds`` folds)."""
    if ner_trainer is None or len(articles) < 2:
        return {a.doc_id: [(m.start, m.end, m.label) for m in a.entities] for a in articles}
    k = max(2, min(folds, len(articles)))
    out: dict[str, list[tuple[int, int, str]]] = {}
    for i in range(k):
        held = articles[i::k]
        ner = ner_trainer([a for j, a in enumerate(articles) if j % k != i])
        for article in held:
            out[article.doc_id] = ner.predict_spans(article.text)
    return out
