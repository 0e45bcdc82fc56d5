r"""Where proclitics end, for every word of many texts at once (the fast path of
:func:`benchmark.text.batch.tokenize_batch`).

:func:`clitic_points` gives exactly the cuts of :class:`~benchmark.text.CliticRule` (the readable
definition in :mod:`benchmark.text.tokenize`), in numpy passes over the words:

* a word can only be cut when it is long enough for a proclitic and a stem, and begins with
  one of ``و ف ب ك ل`` (and ``ا`` when the article is split): other words are never looked at;
* the rule itself reads only the word's length and its first four letters, so for words made of
  plain letters it is a handful of array comparisons;
* two kinds of word take the rule's own code instead (each distinct word once, then cached):
  words with combining marks or tatweel (the rule counts letters, not code points) and words
  that may begin, at letter 0, 1 or 2, with an entry of ``keep_whole`` (found by comparing their
  first letters with the entries' first letters, which can only flag too many, never too few).

Differential tests (``tests/text/test_batch.py``) hold it equal to ``tokenize`` on random text,
on the rule's hard words and on real news, for several rules.

>>> import numpy as np
>>> from benchmark.text import DEFAULT_CLITIC_RULE
>>> text = "وبالزعيم لروسيا وزير"
>>> codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
>>> clitic_points(text, codes, np.array([0, 9, 17]), np.array([8, 15, 21]),
...               np.array([], dtype=np.int64), DEFAULT_CLITIC_RULE).tolist()
[1, 2, 10]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import compress

import numpy as np

from benchmark.text.tokenize import _CLITIC_INITIALS, CliticRule, _clitic_cuts

__all__ = ["clitic_points"]

_CACHE_LIMIT = 1 << 20  # words whose clitic cuts are remembered (per rule)
_cut_cache: dict[CliticRule, dict[str, tuple[int, ...]]] = {}
_KEY_LETTERS = 4  # keep_whole entries are compared on at most this many first letters
_WAW, _FEH, _BEH, _KAF, _LAM, _ALEF, _YEH = map(ord, "وفبكلاي")


def clitic_points(joined: str, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                  marked: np.ndarray, rule: CliticRule) -> np.ndarray:
    """Offsets in ``joined`` where proclitics end, for the word tokens ``starts``/``ends``.

    ``codes`` are the code points of ``joined``; ``marked`` the (sorted) offsets of its combining
    marks and tatweels. Tokens that are not words are never cut (none begins with a proclitic
    letter). The offsets come unsorted.
    """
    shortest = _shortest_cut_words(rule)  # per first code point below 0x700 (the Arabic block)
    candidate = np.flatnonzero(ends - starts >= shortest[np.minimum(codes[starts], len(shortest) - 1)])
    if not len(candidate):
        return np.zeros(0, dtype=np.int64)
    word_starts, word_ends = starts[candidate], ends[candidate]

    tables = _keep_tables(rule)
    exact = np.zeros(len(candidate), dtype=bool)
    if len(marked):  # words holding a mark: letters are not code points there
        holder = np.searchsorted(word_starts, marked, side="right") - 1
        holder = holder[(holder >= 0) & (marked < word_ends[np.maximum(holder, 0)])]
        exact[holder] = True
    letters = _first_letters(codes, word_starts, word_ends, _KEY_LETTERS + 2)
    if tables is None:
        exact[:] = True
    else:  # the rule looks for keep_whole entries at letters 0, 1 (after و ف ب ك ل) and 2 (after و/ف ل)
        exact |= _may_start_with_kept_word(letters, tables, range(3))

    plain = ~exact
    points = [_plain_points(word_starts[plain], word_ends[plain] - word_starts[plain],
                            letters[:4, plain], rule)]
    points.append(_exact_points(joined, word_starts[exact], word_ends[exact], rule))
    return np.concatenate(points)


# --------------------------------------------------------------------------- plain-letter words


def _plain_points(starts: np.ndarray, length: np.ndarray, c: np.ndarray, rule: CliticRule) -> np.ndarray:
    """The rule (``tokenize._letter_cuts``) on words of plain letters that cannot start with a
    ``keep_whole`` entry at letter 0, 1 or 2: ``c[j]`` is letter ``j`` of each word (0 past its end)."""
    c0 = c[0]
    waw_or_feh = (c0 == _WAW) | (c0 == _FEH)
    own_chain = _chain(c, 0, length, rule)  # [ب|ك|ل] [ال] from letter 0
    after = _chain(c, 1, length, rule)  # the same after و / ف
    with_prefix = waw_or_feh & after.found & ((c0 == _WAW) | after.article)
    waw_alone = ~with_prefix & (c0 == _WAW) & (length - 1 >= rule.min_stem + (c[1] == _ALEF))

    points = [starts[with_prefix | waw_alone] + 1]
    for cut in after.cuts:  # cuts inside the chain after و / ف
        points.append(starts[with_prefix & cut.taken] + cut.at)
    for cut in own_chain.cuts:
        points.append(starts[~waw_or_feh & cut.taken] + cut.at)
    return np.concatenate(points).astype(np.int64, copy=False)


@dataclass(frozen=True)
class _Cut:
    taken: np.ndarray  # which words have this cut
    at: int  # at which letter


@dataclass(frozen=True)
class _Chain:
    found: np.ndarray
    article: np.ndarray  # the chain holds the article (else it is a lone ل)
    cuts: tuple[_Cut, ...]


def _chain(c: np.ndarray, i: int, length: np.ndarray, rule: CliticRule) -> _Chain:
    """``tokenize._chain`` from letter ``i`` (``keep_whole`` already ruled out)."""
    stem = length - i
    article = (c[i] == _ALEF) & (c[i + 1] == _LAM) & (stem - 2 >= rule.min_stem)
    preposition = ((c[i] == _BEH) | (c[i] == _KAF)) & (c[i + 1] == _ALEF) & (c[i + 2] == _LAM) & (
        stem - 3 >= rule.min_stem)
    double_lam = (c[i] == _LAM) & (c[i + 1] == _LAM) & (stem - 2 >= rule.min_stem)
    lam = (c[i] == _LAM) & ~double_lam & (stem - 1 >= rule.min_stem_after_lam) & (c[i + 1] != _YEH)
    cuts = [_Cut(preposition | double_lam | lam, i + 1)]
    if rule.split_article:
        cuts += [_Cut(article, i + 2), _Cut(preposition, i + 3), _Cut(double_lam, i + 2)]
    with_article = article | preposition | double_lam
    return _Chain(with_article | lam, with_article, tuple(cuts))


def _first_letters(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray, count: int) -> np.ndarray:
    """``(count, len(starts))`` array: code point ``j`` of each word, 0 past the word's end."""
    out = np.zeros((count, len(starts)), dtype=codes.dtype)
    last = len(codes) - 1
    for j in range(count):
        inside = starts + j < ends
        out[j] = np.where(inside, codes[np.minimum(starts + j, last)], 0)
    return out


# --------------------------------------------------------------------------- keep_whole


@dataclass(frozen=True)
class _KeepTables:
    ids: np.ndarray  # code point -> 1 + index of that letter among the entries' first letters (0: none)
    radix: int
    starts_entry: np.ndarray  # flat bool table over ``_KEY_LETTERS`` letter ids: some entry starts so


@cache
def _keep_tables(rule: CliticRule) -> _KeepTables | None:
    """Which runs of ``_KEY_LETTERS`` letters begin like a ``keep_whole`` entry (an entry
    shorter than that marks every run it begins), or None when every word must take the exact
    rule (an empty entry keeps every word whole; an alphabet too large for a table)."""
    entries = rule.keep_whole
    if any(not entry for entry in entries):
        return None
    alphabet = sorted({ch for entry in entries for ch in entry[:_KEY_LETTERS]})
    radix = len(alphabet) + 1
    if radix**_KEY_LETTERS > 1 << 24:
        return None
    ids = np.zeros(0x110000, dtype=np.int32)
    ids[[ord(ch) for ch in alphabet]] = np.arange(1, radix)
    table = np.zeros((radix,) * _KEY_LETTERS, dtype=bool)
    for entry in entries:
        table[tuple(int(ids[ord(ch)]) for ch in entry[:_KEY_LETTERS])] = True
    return _KeepTables(ids, radix, table.ravel())


def _may_start_with_kept_word(letters: np.ndarray, tables: _KeepTables, offsets: range) -> np.ndarray:
    """Words whose letters from ``offset`` on (for any of ``offsets``) begin like some
    ``keep_whole`` entry; ``letters[j]`` is letter ``j`` of each word, 0 past its end."""
    ids = tables.ids[letters]
    hit = np.zeros(letters.shape[1], dtype=bool)
    for offset in offsets:
        key = ids[offset]
        for j in range(1, _KEY_LETTERS):
            key = key * tables.radix + ids[offset + j]
        hit |= tables.starts_entry[key]
    return hit


# --------------------------------------------------------------------------- the exact rule


def _exact_points(joined: str, starts: np.ndarray, ends: np.ndarray, rule: CliticRule) -> np.ndarray:
    """The rule's own code (``tokenize._clitic_cuts``), once per distinct word."""
    cache_of_rule = _cut_cache.setdefault(rule, {})
    if len(cache_of_rule) > _CACHE_LIMIT:
        cache_of_rule.clear()
    word_starts = starts.tolist()
    words = list(map(joined.__getitem__, map(slice, word_starts, ends.tolist())))
    for word in set(words).difference(cache_of_rule):  # words seen for the first time
        cache_of_rule[word] = _clitic_cuts(word, rule)
    cuts = list(map(cache_of_rule.__getitem__, words))
    points = [start + cut for start, found in compress(zip(word_starts, cuts, strict=True), cuts) for cut in found]
    return np.array(points, dtype=np.int64)


@cache
def _shortest_cut_words(rule: CliticRule) -> np.ndarray:
    """Per first code point (below U+0700; the last entry stands for all others), the fewest
    letters a word needs before ``rule`` can cut it (see :class:`~benchmark.text.CliticRule`: a
    proclitic chain plus a stem of ``min_stem`` letters, or ``min_stem_after_lam`` after a lone
    ``ل``); words that begin with no proclitic letter are never cut. Shorter words are never looked at."""
    stem, after_lam = rule.min_stem, rule.min_stem_after_lam
    shortest = {
        "و": min(1 + stem, 2 + after_lam, 3 + stem),  # و + stem | و ل + stem | و ال/لل + stem
        "ف": 3 + stem,  # ف ال/لل + stem (ف alone is never cut)
        "ب": 3 + stem,  # ب ال + stem
        "ك": 3 + stem,
        "ل": min(1 + after_lam, 2 + stem),  # ل + stem | لل + stem
    }
    if rule.split_article:
        shortest["ا"] = 2 + stem  # ال + stem
    table = np.full(0x701, np.iinfo(np.int64).max, dtype=np.int64)
    for letter, length in shortest.items():
        if letter in _CLITIC_INITIALS:
            table[ord(letter)] = max(length, 1)
    return table
