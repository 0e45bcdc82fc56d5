"""``SOURCE`` speaker candidates for the quote baseline (guidelines 2.0 §5.7, docs/design-v0.2.md §7).

An unnamed source (``قالت مصادر أمنية``، ``أفاد مصدر في وزارة الداخلية``، ``ذكر شهود عيان``) is the speaker
of its quote from guidelines 2.0 on, annotated as a ``SOURCE`` mention (not an entity: the NER never
predicts it). :func:`source_spans` finds the phrase from the text alone:

* the **cue's subject phrase** — among the first words after a cue (up to a comma, colon, mark or
  complementiser), the first whose head is in :data:`SOURCE_HEADS` (a proclitic ``و``/``ف``/``ل``/``ب``
  left out of the span; ``للمصادر`` → ``لمصادر`` as §3.7 spells it);
* the **relayed source** after ``عن``/``نقلاً عن`` in the cue's clause (``نقلت الوكالة عن مسؤولين …``).

The phrase is extended right (:func:`source_phrase`): a quantifier or construct head (``أحد``، ``بعض``،
``عدد من``، ``وسائل``…) takes its genitive noun; then adjectives, read as the next words that agree with the
noun in definiteness (``مصادر أمنية``، ``المصادر الأمنية``, not ``مصدر الأمن``); then a ``في``/``من``/``لدى``
complement of up to four words (``مصدر في وزارة الداخلية``، ``مصادر مقربة من الحكومة``). It stops at
punctuation, a complementiser, a cue, a preposition or time word, ``لـ``/``قوله``, a negation (``مصدر لم
تسمه``), the addressee (``للصحيفة``، ``لوكالة``; version 7), and the anonymity formulas after a comma are
never reached.

>>> text = "وقالت مصادر أمنية في وزارة الداخلية إن الوضع مستقر"
>>> [text[s:e] for s, e in source_spans(text, [(1, 5)])]
['مصادر أمنية في وزارة الداخلية']
"""

from __future__ import annotations

from collections.abc import Sequence

from baselines.sklearn.features import normalise_token
from benchmark.text import Token, tokenize

__all__ = ["SOURCE_HEADS", "source_phrase", "source_spans"]

#: Heads of an unnamed source phrase (design §7), normalised; with ``ال`` they match too (``المصدر``).
SOURCE_HEADS: frozenset[str] = frozenset(normalise_token(w) for w in (
    "مصدر", "مصادر", "مسؤول", "مسؤولون", "مسؤولين", "شاهد", "شهود", "محتجون", "محتجين", "سكان", "وسائل",
    "تقارير", "أحد", "بعض", "عدد", "مراسلون", "المراسلين", "محللون", "مراقبون", "ناشطون", "ناشطين", "خبراء",
    "موظف", "متحدث",
    # version 7: heads of the training gold's SOURCE speakers the list missed
    "متحدثة", "باحثون", "باحثين", "علماء", "كثيرون", "آخرون", "أكاديميون", "تقرير", "قائد", "قيادي", "عائلة",
    "إحدى", "محققون", "محققين", "سياسيون", "محللو", "مديرو", "دبلوماسي", "دبلوماسيون", "مسؤولا", "مصدرا"))
#: Heads whose next word is a genitive noun of any definiteness (``أحد المسؤولين``، ``وسائل الإعلام``).
_CONSTRUCT_HEADS = frozenset(normalise_token(w) for w in ("أحد", "بعض", "عدد", "وسائل", "تقارير", "إحدى", "محللو",
                                                           "مديرو"))
_EYEWITNESS = frozenset(normalise_token(w) for w in ("عيان", "العيان"))
_COMPLEMENT_PREPOSITIONS = frozenset(normalise_token(w) for w in ("في", "من", "لدى"))
_RELAY = frozenset(normalise_token(w) for w in ("عن",))
_COMPLEMENTISERS = frozenset(normalise_token(w) for w in (
    "إن", "أن", "بأن", "إنه", "أنه", "إنها", "أنها", "بأنه", "بأنها", "أنهم", "إنهم", "بأنهم"))
#: Words that end a source phrase: prepositions, time words, ``قوله``, relative pronouns, verbs of anonymity.
_STOPS = frozenset(normalise_token(w) for w in (
    "في", "من", "على", "عن", "إلى", "الى", "خلال", "أمس", "اليوم", "مساء", "صباح", "أيضا", "كذلك", "بعد", "قبل",
    "عقب", "حول", "لدى", "مع", "قد", "وقد", "ما", "الذي", "التي", "الذين", "حيث", "يوم", "السبت", "الأحد",
    "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "قوله", "قولها", "قولهم", "قولهما", "طلب", "فضل",
    "رفض", "رفضت", "فضلت", "طلبت", "لـ", "ل", "هذا", "هذه", "ذلك", "تلك", "إنه", "أنه", "إن", "أن",
    "لم", "لا", "لن"))
#: Who a source spoke to (``مصدر لصحيفة …``، ``مسؤول لرويترز``), never part of the source (version 7).
_ADDRESSEES = frozenset(normalise_token(w) for w in ("لصحيفة", "لوكالة", "لرويترز", "لقناة", "لموقع", "لمراسل",
                                                      "لوسائل"))
_BREAK_CHARS = set(':،,"«“”».؛;؟?!()\n')
_PROCLITICS = ("و", "ف")
_PREPOSITION_CLITICS = ("ل", "ب")
MAX_SUBJECT_WORDS = 4  # words after the cue where the source's head may stand
MAX_RELAY_WORDS = 25  # words after the cue where a relaying عن may stand
MAX_ADJECTIVES = 3
MAX_COMPLEMENT_WORDS = 4


def _is_break(token: Token) -> bool:
    return any(ch in _BREAK_CHARS for ch in token.text) or not any(ch.isalnum() for ch in token.text)


def _letters_offset(raw: str, letters: int) -> int:
    """The offset in ``raw`` after its first ``letters`` letters (diacritics and tatweel attach to a letter)."""
    seen = 0
    for i, ch in enumerate(raw):
        if ch.isalpha() and ch != "\u0640":
            if seen == letters:
                return i
            seen += 1
    return len(raw)


def _head(token: Token) -> tuple[int, str] | None:
    """``(letters of proclitics left out of the span, key)`` when the token's stem is a source head."""
    whole = normalise_token(token.text)
    candidates = []
    for cut, key in ((0, whole), (1, whole[1:])) if whole[:1] in _PROCLITICS and len(whole) > 3 else ((0, whole),):
        candidates.append((cut, key))  # وسائل: the و may be the word's own letter
        if key[:1] in _PREPOSITION_CLITICS and len(key) > 3:
            candidates.append((cut + 1, key[1:]))
        if key.startswith("لل") and len(key) > 4:  # للمصادر → لمصادر (§3.7: the ل stands for the article's ال)
            candidates.append((cut + 1, "ال" + key[2:]))
    for letters, stem in candidates:
        bare = stem[2:] if stem.startswith("ال") and len(stem) > 4 else stem
        if bare in SOURCE_HEADS:
            return letters, bare
    return None


def _definite(key: str) -> bool:
    return key.startswith("ال") or key.startswith("لل")


def _phrase_word(token: Token) -> bool:
    key = normalise_token(token.text)
    return (not _is_break(token) and key not in _STOPS and key not in _COMPLEMENTISERS
            and not key.startswith(("لال", "لل")) and key not in _ADDRESSEES)  # ``لـ`` + article: an addressee


def source_phrase(text: str, tokens: Sequence[Token], i: int, base: int, cues: frozenset[str] = frozenset()
                  ) -> tuple[int, int] | None:
    """The source phrase starting at ``tokens[i]`` (offsets of ``tokens`` relative to ``base``), when its
    head is a source head; ``cues`` (normalised) end the phrase.

    >>> text = "أفاد أحد شهود العيان الذين"
    >>> tokens = tokenize(text)
    >>> s, e = source_phrase(text, tokens, 1, 0)
    >>> text[s:e]
    'أحد شهود العيان'
    """
    found = _head(tokens[i])
    if found is None:
        return None
    letters, head = found
    start = base + tokens[i].start + _letters_offset(tokens[i].text, letters)
    end = base + tokens[i].end
    definite = _definite(normalise_token(tokens[i].text)[letters:])
    j = i + 1
    ok = lambda k: k < len(tokens) and _phrase_word(tokens[k]) and normalise_token(tokens[k].text) not in cues  # noqa: E731
    if head in _CONSTRUCT_HEADS:
        if j < len(tokens) and normalise_token(tokens[j].text) == "من" and ok(j + 1):
            j += 1  # عدد من المسؤولين
        if ok(j):
            definite, end, j = _definite(normalise_token(tokens[j].text)), base + tokens[j].end, j + 1
    if ok(j) and normalise_token(tokens[j].text) in _EYEWITNESS:  # شهود عيان، أحد شهود العيان
        definite, end, j = _definite(normalise_token(tokens[j].text)), base + tokens[j].end, j + 1
    adjectives = 0
    while adjectives < MAX_ADJECTIVES and ok(j) and _definite(normalise_token(tokens[j].text)) == definite:
        end, j, adjectives = base + tokens[j].end, j + 1, adjectives + 1
    if j < len(tokens) and normalise_token(tokens[j].text) in _COMPLEMENT_PREPOSITIONS:
        k = j + 1
        while k < len(tokens) and k - j <= MAX_COMPLEMENT_WORDS and ok(k):
            k += 1
        if k > j + 1:
            end = base + tokens[k - 1].end
    return start, end


def source_spans(text: str, cues: Sequence[tuple[int, int]], cue_keys: frozenset[str] = frozenset()
                 ) -> list[tuple[int, int]]:
    """The ``SOURCE`` candidates of a text: per cue, its subject phrase and the phrase after a relaying
    ``عن`` in its clause, when their head is a source head (each span once, in text order)."""
    out: set[tuple[int, int]] = set()
    for _, cue_end in cues:
        tokens = tokenize(text[cue_end:cue_end + 400])
        for i, token in enumerate(tokens[:MAX_SUBJECT_WORDS]):  # the subject: among the first words
            if _is_break(token) or normalise_token(token.text) in _COMPLEMENTISERS:
                break
            span = source_phrase(text, tokens, i, cue_end, cue_keys)
            if span is not None:
                out.add(span)
                break
        for i, token in enumerate(tokens[:MAX_RELAY_WORDS]):  # a relayed source: عن / نقلاً عن in the clause
            key = normalise_token(token.text)
            if token.text in ".\n؟?!" or key in _COMPLEMENTISERS:
                break
            if key in _RELAY and i + 1 < len(tokens):
                span = source_phrase(text, tokens, i + 1, cue_end, cue_keys)
                if span is not None:
                    out.add(span)
    return sorted(out)
