"""Candidate quote spans for the quote baseline, one generator per quote form of the guidelines (§5.2–5.5).

Every generator reads the text alone and yields :class:`Candidate` s with the evidence that produced
them; the span scorer in :mod:`baselines.sklearn.quotes` decides which to keep. Forms (each can be
switched off through :class:`SpanConfig`, for the ablation in docs/RESULTS.md):

* **marks** — quotation marks paired *within a paragraph* (:func:`quotation_spans`): every opening mark
  with each of the next few closing marks of its paragraph (so ``"… "الأخضر" …"`` offers the outer
  pair too); a mark left open continues into the next paragraph only when that paragraph starts with an
  opening mark or closes before it opens (the newspaper convention, §5.2), and otherwise closes at the
  end of its paragraph, final punctuation included. An unclosed mark never swallows later quotes.
* **reported** — a cue (:data:`CUE_WORDS`: finite verbs, participles such as ``مضيفا``/``لافتا``/
  ``مشيرا``, the verbal noun ``التأكيد``, with ``و``/``ف`` and attached object pronouns) followed within
  its sentence (up to :data:`MAX_SUBJECT_WORDS` words: a long subject ``أكد المدير الفني للمنتخب … أن``)
  by a complementiser; the span runs from the word after it to the clause end (sentence end, a comma,
  a comma before a participial cue ``، مشيرا``, or a closing mark).
* **colon** — unmarked speech after a cue's colon (``قال: أولوياتنا …``; not ``: إن`` nor a mark): from
  the first word to the end of its sentence, or of its paragraph, or up to the next participial cue;
  final punctuation out (§5.2).
* **before-cue** — content before the cue (``…، حسبما أفادت …``، ``…، كما ذكرت …``، ``وفق ما نقلت``):
  from the first word of the sentence (a leading ``و``/``ف`` out) to the word before the comma (§5.3.1).

>>> text = 'وقال الوزير: أولوياتنا الأمن. وأضاف أن الزيارة مهمة، مشيرا إلى أن "الوضع مستقر".'
>>> found = {(text[c.start:c.end], c.origin) for c in span_candidates(text)}
>>> sorted(f for f in found if f[0] in ('"الوضع مستقر"', 'أولوياتنا الأمن', 'الزيارة مهمة'))
[('"الوضع مستقر"', 'marks'), ('"الوضع مستقر"', 'reported'), ('أولوياتنا الأمن', 'colon'), ('الزيارة مهمة', 'reported')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from baselines.sklearn.features import normalise_token, token_stem
from benchmark.text import Token, tokenize, trim_span

__all__ = ["CUE_WORDS", "PARTICIPLE_CUES", "Candidate", "SpanConfig", "find_cues", "quotation_spans",
           "span_candidates"]

#: Finite speech verbs of the guidelines' cue list (§5.1; open list), in the forms news text uses.
FINITE_CUES: tuple[str, ...] = (
    "قال", "قالت", "قالوا", "يقول", "تقول", "يقولون", "قلت", "أكد", "أكدت", "أكدوا", "يؤكد", "تؤكد", "يؤكدون",
    "أضاف", "أضافت", "أضافوا", "يضيف", "تضيف", "أوضح", "أوضحت", "أوضحوا", "يوضح", "توضح", "صرح", "صرحت",
    "أشار", "أشارت", "أشاروا", "يشير", "تشير", "تابع", "تابعت", "ذكر", "ذكرت", "يذكر", "تذكر", "اعتبر", "اعتبرت",
    "يعتبر", "أعلن", "أعلنت", "يعلن", "تعلن", "استطرد", "استطردت", "أردف", "أردفت", "أجاب", "أجابت", "سأل",
    "سألت", "كتب", "كتبت", "أخبر", "أخبرت", "أبلغ", "أبلغت", "نفى", "نفت", "ينفي", "زعم", "زعمت", "تزعم", "يزعم",
    "شدد", "شددت", "يشدد", "لفت", "لفتت", "يلفت", "نوه", "نوهت", "رأى", "رأت", "يرى", "ترى", "حذر", "حذرت",
    "يحذر", "بين", "بينت", "يبين", "كشف", "كشفت", "يكشف", "أفاد", "أفادت", "يفيد", "تفيد", "نقل", "نقلت",
    "أقر", "أقرت", "اعترف", "اعترفت", "توقع", "توقعت", "يتوقع", "وصف", "وصفت", "عبر", "عبرت", "أعرب", "أعربت",
    "اتهم", "اتهمت", "يتهم", "رد", "ردت", "أفصح", "أفصحت", "جدد", "جددت", "أوضحا", "قالا", "أكدا",
    "أبان", "أبانت", "تساءل", "تساءلت", "ألمح", "ألمحت", "اعتبروا", "ذكروا", "يرون",  # version 5
)
#: Participles and verbal nouns that introduce speech (``مشيرا إلى أن``، ``حرص على التأكيد:``).
PARTICIPLE_CUES: tuple[str, ...] = (
    "قائلا", "قائلة", "قائلين", "مشيرا", "مشيرة", "مشيرين", "مضيفا", "مضيفة", "مضيفين", "مؤكدا", "مؤكدة",
    "مؤكدين", "موضحا", "موضحة", "معتبرا", "معتبرة", "منوها", "منوهة", "لافتا", "لافتة", "مبينا", "مبينة",
    "كاشفا", "كاشفة", "معترفا", "معترفة", "مرددين", "مرددا", "محذرا", "محذرة", "مشددا", "مشددة", "مستطردا",
    "مردفا", "متابعا", "متابعة", "معربا", "معربة", "ناقلا", "مفيدا", "مفيدة", "التأكيد",
    "متوقعا", "متوقعة", "معتبرين", "مؤكدات", "مبررا", "جازما", "معلنا", "معلنة",  # version 5
)
CUE_WORDS: tuple[str, ...] = FINITE_CUES + PARTICIPLE_CUES
#: Finite cues of the first version (feature version 2): the ablation's "small lexicon".
_V2_CUES: tuple[str, ...] = (
    "قال", "قالت", "يقول", "تقول", "أكد", "أكدت", "يؤكد", "تؤكد", "أضاف", "أضافت", "يضيف", "تضيف",
    "أوضح", "أوضحت", "يوضح", "صرح", "صرحت", "أشار", "أشارت", "يشير", "تشير", "تابع", "تابعت",
    "ذكر", "ذكرت", "يذكر", "اعتبر", "اعتبرت", "يعتبر", "أعلن", "أعلنت", "يعلن", "استطرد", "استطردت",
    "أجاب", "أجابت", "سأل", "سألت", "كتب", "كتبت", "أخبر", "أخبرت", "نفى", "نفت", "ينفي", "زعم", "زعمت",
    "تزعم", "يزعم", "شدد", "شددت", "لفت", "لفتت", "رأى", "رأت", "يرى", "ترى", "حذر", "حذرت", "دعا", "دعت",
    "قائلا", "قائلة", "مشيرا", "مشيرة", "مضيفا", "مضيفة", "مؤكدا", "مؤكدة", "موضحا", "موضحة", "معتبرا",
)
_PARTICIPLE_KEYS = frozenset(normalise_token(w) for w in PARTICIPLE_CUES)
_OBJECT_PRONOUNS = ("هما", "هم", "ها", "نا", "ه")
_COMPLEMENTISERS = frozenset(normalise_token(w) for w in (
    "إن", "أن", "بأن", "إنه", "أنه", "إنها", "أنها", "بأنه", "بأنها", "أنهم", "إنهم", "بأنهم", "أنهما", "إنهما",
    "إننا", "أننا", "بأننا", "إنني", "أنني", "وأن", "أنهن", "إنهن", "بأنهن"))
#: Words where narration resumes after reported content (besides cues): ``… رافضا الإفصاح``، ``… إلا أن``.
_RESUMES = frozenset(normalise_token(w) for w in ("رافضا", "رافضة", "واصفا", "وصافا", "واصفة", "إلا", "لكن",
                                                   "ولكن", "ولكنه", "ولكنها", "بينما", "داعيا", "داعية",
                                                   # version 5
                                                   "لكنه", "لكنها", "لكنهم", "متمنيا", "متمنية", "مثمنا", "مثمنة",
                                                   "مستدركا", "مستدركة", "مطالبا", "مطالبة", "باعتبارها", "باعتباره"))
_SHORT_WORDS = frozenset(normalise_token(w) for w in ("في", "تم", "من", "على", "عن", "قد", "لا", "لم", "لن", "هو",
                                                      "هي", "مع", "كان", "كانت", "إن", "أن"))
_BEFORE_CUE = frozenset(normalise_token(w) for w in ("حسبما", "كما", "حسب", "بحسب", "وفق", "وفقا", "طبقا"))
OPENING_MARKS = '"«“”'
_STYLE_PAIRS = frozenset({('"', '"'), ("«", "»"), ("“", "”"), ("”", "”"), ("“", "“")})
CLOSING_MARKS = '"»”“'
MAX_SUBJECT_WORDS = 25  # words a cue's subject may take before the complementiser
MAX_CLOSERS = 4  # closing marks tried for each opening mark
_SENTENCE_END = ".!?؟\n"
_CLAUSE_STOPS = ".؛;!?؟\n"


@dataclass(frozen=True)
class SpanConfig:
    """Which candidate generators run (all on by default; the ablation switches them off one by one)."""

    colon: bool = True
    before_cue: bool = True
    large_lexicon: bool = True  # the full cue lexicon (participles, بين/أفاد/كشف/نقل…) and object pronouns
    paragraph_marks: bool = True  # paragraph-bounded mark pairing with alternatives; off: first-match pairing
    long_subject: bool = True  # up to MAX_SUBJECT_WORDS words between cue and complementiser; off: 8 tokens


@dataclass
class Candidate:
    """A candidate quote span with the evidence that produced it."""

    start: int
    end: int
    origin: str  # "marks", "reported", "colon" or "before-cue"
    cue: tuple[int, int] | None
    complementiser: bool
    features: dict[str, Any] = field(default_factory=dict)


def _cue_keys(large: bool) -> frozenset[str]:
    return frozenset(normalise_token(w) for w in (CUE_WORDS if large else _V2_CUES))


_KEYS = {True: _cue_keys(True), False: _cue_keys(False)}


def find_cues(text: str, large_lexicon: bool = True) -> list[tuple[int, int]]:
    """Spans of cue words in ``text``, without a proclitic ``و``/``ف`` (attached object pronouns stay).

    >>> text = 'وتابع: "نعم" وقال بوتين إن الوضع مستقر، لافتاً إلى أن الزيارة مهمة'
    >>> [text[s:e] for s, e in find_cues(text)]
    ['تابع', 'قال', 'لافتاً']
    """
    keys = _KEYS[large_lexicon]
    cues = []
    for token in tokenize(text):
        key, start = normalise_token(token.text), token.start
        if key not in keys and key[:1] in ("و", "ف") and key[1:] in keys:
            key, start = key[1:], start + 1
        if key not in keys and large_lexicon:  # an attached object pronoun stays in the cue (§5.5: أجابنا)
            bare = key[1:] if key[:1] in ("و", "ف") else key
            if any(bare.endswith(p) and bare[: -len(p)] in keys for p in _OBJECT_PRONOUNS):
                cues.append((token.end - len(bare), token.end))
                continue
        if key in keys:
            cues.append((start, token.end))
    return cues


_END = re.compile(r"[!?؟\n]|\.(?!\s?\d)")  # a full stop before a digit is a decimal point (``4.5``, ``4. 5``)


def _is_end(text: str, i: int) -> bool:
    return bool(_END.match(text, i)) and not (text[i] == "." and i > 0 and text[i - 1].isdigit()
                                              and text[i + 1:i + 3].strip()[:1].isdigit())


def _sentence_start(text: str, position: int) -> int:
    i = position - 1
    while i >= 0 and not (text[i] in _SENTENCE_END and _is_end(text, i)):
        i -= 1
    return i + 1


def _sentence_end(text: str, position: int) -> int:
    match = _END.search(text, position)
    while match is not None and not _is_end(text, match.start()):
        match = _END.search(text, match.start() + 1)
    return match.start() if match else len(text)


def _paragraph(text: str, position: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, (len(text) if end == -1 else end)


def _strip_final_punctuation(text: str, start: int, end: int) -> tuple[int, int]:
    start, end = trim_span(text, start, end)
    while (end > start and text[end - 1] in ".،,؛;:!?؟…-–") or (end > start and text[end - 1].isspace()):
        end -= 1
    return start, end


# --------------------------------------------------------------------------- quotation marks


def _can_open(text: str, i: int) -> bool:
    return text[i] != "»" and i + 1 < len(text)


def _can_close(text: str, i: int) -> bool:
    return text[i] != "«" and i > 0


def _continues(text: str, paragraph_end: int) -> bool:
    """Does the paragraph after ``paragraph_end`` continue an open quotation (§5.2)?"""
    nxt = paragraph_end
    while nxt < len(text) and text[nxt].isspace():
        nxt += 1
    if nxt >= len(text):
        return False
    if text[nxt] in "«“\"":
        return True
    _, end = _paragraph(text, nxt)
    closes = [i for i in range(nxt, end) if text[i] in CLOSING_MARKS]
    opens = [i for i in range(nxt, end) if text[i] in "«“"]
    return bool(closes) and (not opens or closes[0] < opens[0]) and text[closes[0]] in "»”"


def quotation_spans(text: str, paragraph_bounded: bool = True) -> list[tuple[int, int, dict[str, float]]]:
    """Candidate quotation spans ``(start, end, features)``, marks included (see the module docs).

    >>> text = 'قال: "نعم الأمر "جيد" جدا". وقال: "لا\\nثم "هنا".'
    >>> spans = {text[s:e] for s, e, _ in quotation_spans(text)}
    >>> '"نعم الأمر "جيد" جدا"' in spans, '"نعم الأمر "' in spans, '"هنا"' in spans
    (True, True, True)
    >>> any("\\n" in span for span in spans)  # the mark left open closes at its paragraph end
    False
    """
    if not paragraph_bounded:
        return [(s, e, {"closer_rank": 0.0}) for s, e in _first_match_pairs(text)]
    out = []
    marks = [i for i, ch in enumerate(text) if ch in OPENING_MARKS or ch in CLOSING_MARKS]
    for index, i in enumerate(marks):
        if not _can_open(text, i):
            continue
        _, par_end = _paragraph(text, i)
        closers = [j for j in marks[index + 1:] if j < par_end and _can_close(text, j)][:MAX_CLOSERS]
        for rank, j in enumerate(closers):
            inner = sum(1 for k in marks if i < k < j)
            out.append((i, j + 1, {"closer_rank": rank / MAX_CLOSERS, "first_closer": float(rank == 0),
                                   "inner_marks": min(inner, 4) / 4, "unclosed": 0.0,
                                   "space_after_open": float(text[i + 1].isspace()),
                                   "space_before_close": float(text[j - 1].isspace()),
                                   "same_style": float((text[i], text[j]) in _STYLE_PAIRS)}))
        if closers:
            continue
        end = par_end
        while _continues(text, end):  # the newspaper convention for a quote over several paragraphs
            nxt_start = end + 1
            _, nxt_end = _paragraph(text, nxt_start)
            last_close = max((k for k in range(nxt_start, nxt_end) if text[k] in CLOSING_MARKS), default=-1)
            if last_close != -1:
                out.append((i, last_close + 1, {"closer_rank": 0.0, "first_closer": 1.0, "inner_marks": 0.0,
                                                "unclosed": 0.0, "multi_paragraph": 1.0}))
                break
            end = nxt_end
        else:
            s, e = trim_span(text, i, end)
            if e > s + 1:
                out.append((s, e, {"closer_rank": 1.0, "first_closer": 0.0, "inner_marks": 0.0, "unclosed": 1.0}))
    return out


def _first_match_pairs(text: str) -> list[tuple[int, int]]:
    """Feature version 2's pairing: each opening mark with the first matching mark after it, anywhere."""
    pairs = {'"': '"', "«": "»", "“": "”"}
    spans, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch in pairs:
            close = text.find(pairs[ch], i + 1)
            if close > i + 1:
                spans.append((i, close + 1))
                i = close + 1
                continue
        i += 1
    return spans


# --------------------------------------------------------------------------- generators


def _word_before_is_complementiser(text: str, start: int) -> bool:
    words = text[max(0, start - 30):start].split()
    return bool(words) and normalise_token(words[-1]) in _COMPLEMENTISERS


def _mark_candidates(text: str, cues: list[tuple[int, int]], config: SpanConfig) -> Iterator[Candidate]:
    for start, end, extra in quotation_spans(text, config.paragraph_marks):
        sentence = _sentence_start(text, start)
        before = [c for c in cues if sentence <= c[0] and c[1] <= start]
        after = [c for c in cues if end <= c[0] < _sentence_end(text, end) and c[0] - end < 40]
        cue = before[-1] if before else (after[0] if after else None)
        gap = text[before[-1][1]:start] if before else ""
        comp = _word_before_is_complementiser(text, start)
        surface = text[start:end]
        following = text[end:end + 3].lstrip()
        yield Candidate(start, end, "marks", cue, comp, {
            "origin=marks": 1.0, "has_cue": float(bool(before)), "cue_after": float(not before and bool(after)),
            "colon_before": float(text[:start].rstrip().endswith(":")),
            "gap_words": min(len(gap.split()), 10) / 10, "len_words": min(len(surface.split()), 60) / 60,
            "short": float(len(surface.split()) <= 3), "complementiser_before": float(comp),
            "followed_by_punct": float(following[:1] in ".،,؛:" or not following),
            "followed_by_word": float(bool(following) and following[:1].isalpha()),
            "starts_paragraph": float(text[_paragraph(text, start)[0]:start].strip() == ""),
            **_reported_gap_features(gap),
            **extra,
        })


def _reported_gap_features(gap: str) -> dict[str, float]:
    """Version 5: does a complementiser stand between the cue and the opening mark, and how many words after it
    (``وأكد أن عملية «الانتشار …»``: the words between say the quote is the mixed reported clause, not the marks).

    >>> _reported_gap_features(" أن عملية ")
    {'words_after_complementiser=1': 1.0}
    """
    words = [normalise_token(w) for w in gap.split()]
    last = max((i for i, w in enumerate(words) if w in _COMPLEMENTISERS), default=None)
    if last is None:
        return {}
    after = len(words) - last - 1
    return {f"words_after_complementiser={min(after, 4)}": 1.0}


def _bare_cue(key: str) -> str:
    """A normalised word without a proclitic ``و``/``ف`` when what is left is a cue (``وبين`` → ``بين``)."""
    return key[1:] if key[:1] in ("و", "ف") and key[1:] in _KEYS[True] else key


def _clause_ends(text: str, start: int) -> list[tuple[int, str]]:
    """Where a reported clause starting at ``start`` may end, with the reason."""
    sentence_end = _sentence_end(text, start)
    ends = [(sentence_end, "sentence")]
    stop = next((i for i in range(start, sentence_end) if text[i] in "؛;"), None)
    if stop is not None:
        ends.append((stop, "clause"))
    commas = 0
    for token in tokenize(text[start:sentence_end])[1:]:
        key = normalise_token(token.text)
        bare = _bare_cue(key)
        if bare in _KEYS[True] or key in _RESUMES:
            ends.append((start + token.start, "participle" if bare in _PARTICIPLE_KEYS else "resumes"))
        elif token.text in "،," and commas < 6:
            commas += 1
            ends.append((start + token.start, "comma"))
    if text[start:start + 1] in OPENING_MARKS:
        for s, e, _ in quotation_spans(text[start:sentence_end + 1]):
            if s == 0:
                ends.append((start + e, "mark"))
                break
    return ends


def _next_word_features(text: str, end: int) -> dict[str, float]:
    """What follows a reported clause that ends at ``end`` (version 5): the next word itself (``حسب``،
    ``داعيا``، ``ووصف``…: the report resumes; or the clause goes on), whether it starts with the conjunction
    ``و``, and whether it looks like an adverbial participle ending in ``ا`` (``مستدركا``، ``مثمنا``).

    >>> feats = _next_word_features("قال إن الوضع مستقر، مستدركا أن", 18)
    >>> feats["next=مستدركا"], feats["next_adverbial"]
    (1.0, 1.0)
    """
    following = [t for t in tokenize(text[end:end + 40]) if t.text.strip() and t.text not in "،,؛;"][:1]
    if not following:
        return {"next=<none>": 1.0}
    key = normalise_token(following[0].text)
    bare = _bare_cue(key)
    return {f"next={key}": 1.0, "next_wa": float(key.startswith("و") and len(key) > 3),
            "next_is_cue": float(bare in _KEYS[True]),
            "next_adverbial": float(len(key) >= 5 and key.endswith("ا") and not key.startswith("ال"))}


def _inner_report(text: str, start: int, end: int) -> bool:
    """Whether a new report starts inside ``[start, end)``: a cue word followed, within six words, by a
    complementiser (``…، وبين المهاجم أنه …``): the span runs over the next quote.

    >>> text = "الزيارة مهمة، وبين الوزير أنه سيعود"
    >>> _inner_report(text, 0, len(text)), _inner_report(text, 0, 12)
    (True, False)
    """
    tokens = [normalise_token(t.text) for t in tokenize(text[start:end]) if t.text.strip()]
    for i, key in enumerate(tokens[1:], start=1):
        bare = _bare_cue(key)
        if bare in _KEYS[True] and any(w in _COMPLEMENTISERS for w in tokens[i + 1:i + 7]):
            return True
    return False


def _reported_candidates(text: str, cues: list[tuple[int, int]], config: SpanConfig) -> Iterator[Candidate]:
    limit = MAX_SUBJECT_WORDS if config.long_subject else 8
    cue_starts = {c[0] for c in cues}
    for cue in cues:
        window = text[cue[1]:_sentence_end(text, cue[1])] if config.long_subject else text[cue[1]:cue[1] + 200]
        following = tokenize(window)[:limit]
        comp: Token | None = None
        words_before, mark_in_subject = 0, False
        for token in following:
            if normalise_token(token.text) in _COMPLEMENTISERS:
                comp = token
                break
            if cue[1] + token.start in cue_starts:
                break
            mark_in_subject = mark_in_subject or token.text in OPENING_MARKS
            words_before += 1
        if comp is None:
            continue
        start = cue[1] + comp.end
        while start < len(text) and text[start].isspace():
            start += 1
        if start >= len(text) or text[start] in _CLAUSE_STOPS:
            continue
        colon = ":" in text[cue[1]:cue[1] + comp.start]
        cue_key = normalise_token(text[cue[0]:cue[1]])
        colon_first = ":" in text[_sentence_start(text, cue[0]):cue[0]]  # the cue inside speech after a colon
        for end, reason in sorted(set(_clause_ends(text, start))):
            s, e = _strip_final_punctuation(text, start, end) if reason != "mark" else (start, end)
            if e <= s:
                continue
            yield Candidate(s, e, "reported", cue, True, {
                **_next_word_features(text, e), f"cue_word={cue_key}": 1.0, "colon_before_cue": float(colon_first),
                "inner_report": float(_inner_report(text, s, e)),
                "origin=reported": 1.0, "has_cue": 1.0, "gap_words": min(words_before, 10) / 10,
                "gap_words>3": float(words_before > 3), f"end={reason}": 1.0, "colon_before_comp": float(colon),
                "mark_in_subject": float(mark_in_subject),
                "len_words": min(len(text[s:e].split()), 60) / 60, "short": float(len(text[s:e].split()) <= 3),
                "ends_mark": float(text[e - 1] in CLOSING_MARKS),
                "marks_inside": float(any(ch in text[s:e] for ch in OPENING_MARKS)),
                "participle_cue": float(cue_key in _PARTICIPLE_KEYS),
            })


def _colon_candidates(text: str, cues: list[tuple[int, int]]) -> Iterator[Candidate]:
    for cue in cues:
        sentence_end = _sentence_end(text, cue[1])
        colon = text.find(":", cue[1], min(sentence_end, cue[1] + 120))
        if colon == -1 or any(cue[1] <= c[0] < colon for c in cues):
            continue
        start = colon + 1
        while start < len(text) and text[start] in " \t\u200f\u200e":
            start += 1
        if start >= len(text) or text[start] in OPENING_MARKS or text[start] in CLOSING_MARKS or text[start] == "\n":
            continue
        first = tokenize(text[start:start + 20])[:1]
        if first and normalise_token(first[0].text) in _COMPLEMENTISERS:
            continue
        _, par_end = _paragraph(text, start)
        ends = {(_sentence_end(text, start), "sentence"), (par_end, "paragraph")}
        ends |= {(e, r) for e, r in _clause_ends(text, start) if r == "participle"}
        for end, reason in sorted(ends):
            s, e = _strip_final_punctuation(text, start, end)
            if e > s:
                yield Candidate(s, e, "colon", cue, False, {
                    "origin=colon": 1.0, "has_cue": 1.0, f"end={reason}": 1.0, **_next_word_features(text, e),
                    "inner_report": float(_inner_report(text, s, e)),
                    "gap_words": min(len(text[cue[1]:colon].split()), 10) / 10,
                    "len_words": min(len(text[s:e].split()), 60) / 60, "short": float(len(text[s:e].split()) <= 3),
                    "marks_inside": float(any(ch in text[s:e] for ch in OPENING_MARKS)),
                })


def _before_cue_candidates(text: str, cues: list[tuple[int, int]]) -> Iterator[Candidate]:
    for cue in cues:
        before = tokenize(text[max(0, cue[0] - 30):cue[0]])
        if not before:
            continue
        offset = max(0, cue[0] - 30)
        words = [t for t in before if t.text.strip()]
        connector = next((t for t in reversed(words[-2:]) if normalise_token(t.text) in _BEFORE_CUE
                          or normalise_token(t.text) == "ما"), None)
        if connector is None:
            continue
        cut = offset + connector.start
        if normalise_token(connector.text) == "ما" and len(words) >= 2:
            prev = words[words.index(connector) - 1]
            cut = offset + prev.start
        sentence = _sentence_start(text, cut)
        start = sentence
        while start < cut and (text[start].isspace() or text[start] in "-–"):
            start += 1
        first = tokenize(text[start:cut])[:1]
        key = normalise_token(first[0].text) if first else ""
        if token_stem(key)[0][:1] in ("و", "ف") or (key[:1] in ("و", "ف") and key[1:] in _SHORT_WORDS):
            start += 1  # the conjunction of the sentence's first word stays out (§5.3.1)
        s, e = _strip_final_punctuation(text, start, cut)
        if e - s < 10:
            continue
        yield Candidate(s, e, "before-cue", cue, False, {
            "origin=before-cue": 1.0, "has_cue": 1.0, "len_words": min(len(text[s:e].split()), 60) / 60,
            "comma_before_connector": float(text[:cut].rstrip().endswith(("،", ","))),
            "marks_inside": float(any(ch in text[s:e] for ch in OPENING_MARKS)),
        })


def span_candidates(text: str, config: SpanConfig | None = None) -> list[Candidate]:
    """Every candidate quote span of ``text`` from the generators ``config`` switches on (default: all)."""
    config = config or SpanConfig()
    cues = find_cues(text, config.large_lexicon)
    candidates = list(_mark_candidates(text, cues, config))
    quotations = [(c.start, c.end) for c in candidates if c.features.get("first_closer")]
    others = list(_reported_candidates(text, cues, config))
    if config.colon:
        others += _colon_candidates(text, cues)
    if config.before_cue:
        others += _before_cue_candidates(text, cues)
    for cand in others:  # reported content inside a quotation that opens after its cue: the quotation is the quote
        cand.features["inside_quotation"] = float(any(
            s < cand.start and cand.end <= e and (cand.cue is None or cand.cue[1] <= s) for s, e in quotations))
    return candidates + others
