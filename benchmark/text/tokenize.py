r"""A tokenizer for Arabic news text with code-point offsets on the ORIGINAL text.

Rules (in this order, one regex pass):

* Whitespace and invisible format characters (Unicode category Cf: bidi marks, U+061C,
  BOM, ZWSP, ZWJ/ZWNJ, …) separate tokens and are never part of one.
* A number is a run of digits (any script: 0-9, ٠-٩, ۰-۹) with inner separators kept when a
  digit follows them: ``2024``, ``2,5``, ``3.14``, ``1,000,000``, ``10:30`` and ``25/6`` are one
  token each; ``2020-2024`` is three (a range may be two dates).
* A word is a run of letters and combining marks (harakat, shadda, superscript alef; tatweel
  counts as a letter); digits are not part of words (``2024م`` → ``2024`` + ``م``).
* Every other character is a token of its own: punctuation (، ؛ ؟ . , ; : ! ? ( ) [ ] - / …),
  quotation marks (" « » “ ” „ ' ‘ ’), symbols and emoji.

Optional proclitic splitting (``split_clitics=True`` or a :class:`CliticRule`) cuts a word at
its proclitics, conservatively (see :class:`CliticRule`)::

>>> [t.text for t in tokenize('قال لروسيا وبوتين بالزعيم: "الإمبريالية"', split_clitics=True)]
['قال', 'ل', 'روسيا', 'و', 'بوتين', 'ب', 'الزعيم', ':', '"', 'الإمبريالية', '"']
>>> [t.text for t in tokenize("وبالزعيم", split_clitics=CliticRule(split_article=True))]
['و', 'ب', 'ال', 'زعيم']
>>> tokenize("«روسيا»\u200f")[1]
Token(text='روسيا', start=1, end=6)

When a caller knows where an entity starts or ends, :func:`split_at` cuts tokens exactly there.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

__all__ = ["DEFAULT_CLITIC_RULE", "KEEP_WHOLE", "CliticRule", "Token", "split_at", "split_proclitics",
           "tokenize"]


@dataclass(frozen=True, slots=True)
class Token:
    """A token: ``text == original[start:end]`` (half-open code-point offsets)."""

    text: str
    start: int
    end: int


# Frequent news words and names that begin like a proclitic but are not one (matched as a
# prefix of the word, on letters only, diacritics and tatweel ignored). Extend per corpus.
KEEP_WHOLE: frozenset[str] = frozenset({
    # و-initial
    "واشنطن", "وزير", "وزارة", "وزارات", "وزراء", "وسائل", "وسيلة", "وكالة", "وكالات", "ولاية",
    "ولايات", "وثيقة", "وثائق", "وحدة", "وحدات", "وطني", "وطنية", "وقائع", "واقع", "واضح", "واحد",
    "وجود", "وظيفة", "وظائف", "وصول", "وفاة", "وقود", "والد", "وادي", "وراء", "وليد", "وائل",
    "ويلز", "ويكيليكس", "ويكيبيديا", "ويمبلدون", "ويليام", "ويلسون", "وودورد", "وقاص",
    # ل-initial
    "لبنان", "ليبي", "لافروف", "لاجئ", "لاعب", "لحظة", "ليلة", "لهجة", "لوحة", "لائحة", "لاهاي",
    "لديه", "لديها", "لدينا", "لديهم", "لديك", "لديكم", "لكنه", "لكنها", "لكنهم", "لماذا", "لوكسمبورغ",
    # ب/ك + ال look-alikes
    "بالون", "بالست", "بالتيك", "كالمار", "كاليفورنيا", "كالديرون", "فالنسيا",
    # relative pronouns and God's name, kept whole when the article is split
    "الذي", "التي", "الذين", "اللذان", "اللتان", "اللذين", "اللتين", "اللاتي", "اللواتي", "الله",
})


@dataclass(frozen=True, slots=True)
class CliticRule:
    """When a word is cut at its proclitics. Lengths count letters (not diacritics or tatweel).

    Grammar: ``[و|ف] [ب ال | ك ال | لل | ل | ال] stem``.

    * ``ال`` chains: ``بال``/``كال``/``وال``/``فال``/``وبال``/``لل``/``ولل``… are split when the
      stem after the article has at least ``min_stem`` letters (``بالزعيم`` → ``ب`` ``الزعيم``;
      ``للزوار`` → ``ل`` ``لزوار``: the article's alef is not written after ل).
    * ``ل`` alone: split when the stem has at least ``min_stem_after_lam`` letters and does not
      begin with ``ي`` (``لروسيا`` → ``ل`` ``روسيا``; ``لندن``, ``لقاء``, and transliterated
      names like ``ليبرمان``, ``ليفربول`` stay whole).
    * ``و`` alone: split when the stem has at least ``min_stem`` letters, one more when it begins
      with a bare alef ``ا`` (``وبوتين`` → ``و`` ``بوتين``, ``وقال`` → ``و`` ``قال``,
      ``وانتصار`` → ``و`` ``انتصار``; ``وقت``, ``وجد``, ``وقع``, ``وود``, ``وانغ``, ``وايت`` stay whole).
    * ``ف``, ``ب`` and ``ك`` are split only before an ``ال`` chain: names often begin with
      them (فرنسا، فلاديمير، بوتين، بريطانيا، كوريا، كيم).
    * The article ``ال`` itself is split off only with ``split_article=True`` (default False:
      entity names conventionally include it, e.g. ``الأمم المتحدة``, ``الكرملين``).
    * Nothing is split when the word at that point starts with an entry of ``keep_whole``.

    No rule of this kind is always right (``واشنطن`` must be listed in ``keep_whole``); use
    :func:`split_at` / ``benchmark.text.tokenize_for_spans`` to cut at known entity boundaries.
    """

    split_article: bool = False
    min_stem: int = 3
    min_stem_after_lam: int = 4
    keep_whole: frozenset[str] = KEEP_WHOLE

    def __post_init__(self) -> None:
        for name in ("min_stem", "min_stem_after_lam"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"CliticRule.{name} must be an integer of at least 1, got {value!r} "
                                 "(a stem needs letters: a cut may never leave an empty token)")


DEFAULT_CLITIC_RULE = CliticRule()


def tokenize(text: str, *, split_clitics: bool | CliticRule = False) -> list[Token]:
    """Split ``text`` into :class:`Token` s with offsets on ``text`` (see the module rules).

    ``split_clitics``: ``False`` (default), ``True`` (:data:`DEFAULT_CLITIC_RULE`) or a
    :class:`CliticRule`.

    >>> [t.text for t in tokenize("في 2 كانون الثاني/يناير 2024، قال: 2,5%")]
    ['في', '2', 'كانون', 'الثاني', '/', 'يناير', '2024', '،', 'قال', ':', '2,5', '%']
    >>> tokenize("في 2024.")[1:]
    [Token(text='2024', start=3, end=7), Token(text='.', start=7, end=8)]
    """
    if not isinstance(text, str):
        raise TypeError(f"tokenize() needs a str, got {type(text).__name__}")
    rule = _rule(split_clitics)
    pattern = _token_pattern()
    if rule is None:
        return [Token(m.group(), m.start(), m.end()) for m in pattern.finditer(text)]
    tokens: list[Token] = []
    for match in pattern.finditer(text):
        word, start = match.group(), match.start()
        if word[0] not in _CLITIC_INITIALS:
            tokens.append(Token(word, start, match.end()))
            continue
        previous = 0
        for cut in _clitic_cuts(word, rule):
            tokens.append(Token(word[previous:cut], start + previous, start + cut))
            previous = cut
        tokens.append(Token(word[previous:], start + previous, match.end()))
    return tokens


def split_proclitics(word: str, rule: CliticRule = DEFAULT_CLITIC_RULE) -> list[str]:
    """The pieces of one word under ``rule``; the last one is the stem.

    >>> split_proclitics("وللأمم")
    ['و', 'ل', 'لأمم']
    >>> split_proclitics("وَبُوتِين")
    ['وَ', 'بُوتِين']
    """
    cuts = [0, *_clitic_cuts(word, rule), len(word)] if word else [0, 0]
    return [word[a:b] for a, b in itertools.pairwise(cuts)]


def split_at(tokens: Sequence[Token], offsets: Iterable[int]) -> list[Token]:
    """Cut tokens at the given character offsets (offsets between tokens change nothing).

    >>> [t.text for t in split_at(tokenize("لروسيا الاتحادية"), [1])]
    ['ل', 'روسيا', 'الاتحادية']
    """
    cut_points = sorted(set(offsets))
    if not cut_points:
        return list(tokens)
    result: list[Token] = []
    index, n_cuts = 0, len(cut_points)
    for token in tokens:
        while index < n_cuts and cut_points[index] <= token.start:
            index += 1
        if index == n_cuts or cut_points[index] >= token.end:
            result.append(token)  # nothing cuts this token: keep it (tokens are immutable)
            continue
        start = token.start
        while index < n_cuts and cut_points[index] < token.end:
            cut = cut_points[index]
            result.append(Token(token.text[start - token.start : cut - token.start], start, cut))
            start = cut
            index += 1
        result.append(Token(token.text[start - token.start :], start, token.end))
    return result


# --------------------------------------------------------------------------- internals

_CLITIC_INITIALS = frozenset("وفبلكا")
NUMBER_SEPARATORS = ".,٫٬/:"
"""Characters kept inside a number when digits stand on both sides (``3.14``, ``10:30``, ``25/6``)."""


def _rule(split_clitics: bool | CliticRule) -> CliticRule | None:
    if isinstance(split_clitics, CliticRule):
        return split_clitics
    if split_clitics is True:
        return DEFAULT_CLITIC_RULE
    if split_clitics is False:
        return None
    raise TypeError(f"split_clitics must be a bool or a CliticRule, got {split_clitics!r}")


@cache
def _keep_whole_tuple(keep_whole: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted(keep_whole))


@lru_cache(maxsize=1 << 16)  # news vocabulary repeats a lot: most words are decided once
def _clitic_cuts(word: str, rule: CliticRule) -> tuple[int, ...]:
    """Character offsets inside ``word`` where proclitics end (empty: keep whole)."""
    keep = _keep_whole_tuple(rule.keep_whole)
    if word.isalpha() and "\u0640" not in word:  # no diacritics or tatweel: letters are characters
        return tuple(_letter_cuts(word, rule, keep)) if word[0] in _CLITIC_INITIALS else ()
    letters: list[str] = []
    positions: list[int] = []  # positions[k] = index in word of the k-th letter
    for i, ch in enumerate(word):
        if ch == "\u0640" or unicodedata.category(ch)[0] == "M":
            continue
        letters.append(ch)
        positions.append(i)
    base = "".join(letters)
    if not base or base[0] not in _CLITIC_INITIALS:
        return ()
    return tuple(positions[k] for k in _letter_cuts(base, rule, keep))


def _letter_cuts(base: str, rule: CliticRule, keep: tuple[str, ...]) -> list[int]:
    """Cut positions counted in letters of ``base`` (see :class:`CliticRule`)."""
    if base.startswith(keep):
        return []
    if base[0] not in "وف":
        found = _chain(base, 0, rule, keep)
        return found[0] if found else []
    found = _chain(base, 1, rule, keep)
    if found is not None and (base[0] == "و" or found[1] == "article"):
        return [1, *found[0]]
    if base[0] == "و" and len(base) - 1 >= rule.min_stem + (base[1:2] == "ا"):
        return [1]
    return []


def _chain(base: str, i: int, rule: CliticRule, keep: tuple[str, ...]) -> tuple[list[int], str] | None:
    """The cuts of a ``[ب|ك|ل] [ال]`` chain starting at letter ``i`` and its kind
    (``"article"`` or ``"lam"``), or None when there is none."""
    stem = len(base) - i  # letters from i on
    if base.startswith(keep, i):
        return None
    if base.startswith("ال", i) and stem - 2 >= rule.min_stem:
        return ([i + 2] if rule.split_article else []), "article"
    if base[i : i + 1] in ("ب", "ك") and base.startswith("ال", i + 1) and stem - 3 >= rule.min_stem:
        return ([i + 1, i + 3] if rule.split_article else [i + 1]), "article"
    if base.startswith("لل", i) and stem - 2 >= rule.min_stem:
        return ([i + 1, i + 2] if rule.split_article else [i + 1]), "article"
    if (base[i : i + 1] == "ل" and stem - 1 >= rule.min_stem_after_lam and base[i + 1] != "ي"
            and not base.startswith(keep, i + 1)):
        return [i + 1], "lam"
    return None


@cache
def _token_pattern() -> re.Pattern[str]:
    """Numbers, words (letters + combining marks), or any other single visible character."""
    c = character_classes()
    number = rf"{c['digit']}+(?:{c['number_separator']}{c['digit']}+)*"
    word = rf"(?:{c['letter']}+|{c['mark']}+)+"  # runs, not characters: one loop per mark run
    visible = f"[^{c['separator'][1:-1]}]"  # any one character that is not a separator
    return re.compile(f"{number}|{word}|{visible}")


@cache
def character_classes() -> dict[str, str]:
    """The one-character regex classes the token rules are made of.

    ``letter`` and ``mark`` make words, ``digit`` (and ``number_separator`` between digits)
    numbers; ``separator`` (white space and invisible format marks) is never part of a token;
    every other character is a token of its own. :mod:`benchmark.text.batch` derives its
    per-character table from these very classes.
    """
    marks: list[int] = []
    invisible: list[int] = []
    for cp in (*range(0x20000), *range(0xE0000, 0xE0200)):
        category = unicodedata.category(chr(cp))
        if category == "Cf":
            invisible.append(cp)
        elif category[0] == "M":
            marks.append(cp)
    return {
        "letter": r"[^\W\d_]",
        "mark": f"[{_char_class(marks)}]",
        "digit": r"\d",
        "number_separator": f"[{NUMBER_SEPARATORS}]",
        "separator": rf"[\s{_char_class(invisible)}]",
    }


def _char_class(code_points: list[int]) -> str:
    """A regex character-class body for sorted code points, with runs as ranges."""
    parts: list[str] = []
    run_start = previous = code_points[0]
    for cp in [*code_points[1:], -1]:
        if cp == previous + 1:
            previous = cp
            continue
        parts.append(re.escape(chr(run_start)) if run_start == previous
                     else f"{re.escape(chr(run_start))}-{re.escape(chr(previous))}")
        run_start = previous = cp
    return "".join(parts)
