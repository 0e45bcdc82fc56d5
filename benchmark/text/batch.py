r"""Tokens and BIO tags of many texts at once, as numpy arrays (the fast path of large builds).

:func:`tokenize_batch` gives exactly the tokens of :func:`~benchmark.text.tokenize` (and, with
``cut_at``, of :func:`~benchmark.text.split_at`), and :func:`bio_batch` exactly the view of
:func:`~benchmark.text.article_to_bio`, for a whole list of texts in a few vectorised passes:
every character is looked up in per-code-point class tables derived from the tokenizer's own
regex classes (:func:`benchmark.text.tokenize.character_classes`), token edges are where the
class changes, and proclitics are cut by :func:`benchmark.text.clitic_batch.clitic_points` (the
clitic rule in array passes over the words that begin like a proclitic).
The regex tokenizer stays the readable definition; differential tests hold the two equal on
random text and on real news. No :class:`~benchmark.text.Token` objects are made.

>>> batch = tokenize_batch(["وقال بوتين لروسيا", "في 2024."], split_clitics=True)
>>> batch.texts_tokens(0)
['و', 'قال', 'بوتين', 'ل', 'روسيا']
>>> batch.spans(1)
[(0, 2), (3, 7), (7, 8)]
>>> batch.bounds.tolist()
[0, 5, 8]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from benchmark.text.clitic_batch import clitic_points
from benchmark.text.tokenize import CliticRule, _rule, character_classes

if TYPE_CHECKING:  # pragma: no cover
    from benchmark.model import Article, Mention

__all__ = ["BioBatch", "TokenBatch", "bio_batch", "tokenize_batch"]

_SEP, _WORD, _DIGIT, _NUMSEP, _OTHER, _MARK = 0, 1, 2, 3, 4, 5  # _MARK: in words, but not a letter


@dataclass(frozen=True)
class TokenBatch:
    """Tokens of ``len(bounds) - 1`` texts: text ``i`` owns tokens ``bounds[i]:bounds[i + 1]``;
    ``starts``/``ends`` are half-open code-point offsets on that token's own text. ``codes`` (the
    code points of the texts joined by ``"\\n"``) is what tokenizing read, kept for :meth:`utf8`."""

    texts: tuple[str, ...]
    bounds: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    codes: np.ndarray = field(repr=False)

    def __len__(self) -> int:
        return len(self.texts)

    def spans(self, i: int) -> list[tuple[int, int]]:
        """``(start, end)`` of every token of text ``i``."""
        a, b = self.bounds[i], self.bounds[i + 1]
        return list(zip(self.starts[a:b].tolist(), self.ends[a:b].tolist(), strict=True))

    def texts_tokens(self, i: int) -> list[str]:
        """The token strings of text ``i``."""
        text = self.texts[i]
        return [text[s:e] for s, e in self.spans(i)]

    def utf8(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The texts' UTF-8 bytes back to back, and where each text and each token lies in them:
        ``(data, text_offsets, token_offsets)`` with text ``i`` in
        ``data[text_offsets[i]:text_offsets[i + 1]]`` and token ``k`` in
        ``data[token_offsets[2k]:token_offsets[2k + 1]]`` (starts and ends interleaved, never
        decreasing: the buffers of Arrow string arrays, no token string is made).
        Raises ``UnicodeEncodeError`` on lone surrogates.

        >>> data, texts, tokens = tokenize_batch(["قال: نعم", "لا"]).utf8()
        >>> texts.tolist(), tokens.tolist()
        ([0, 14, 18], [0, 6, 6, 7, 8, 14, 14, 18])
        >>> bytes(data[8:14]).decode()
        'نعم'
        """
        data = np.frombuffer("".join(self.texts).encode("utf-8"), dtype=np.uint8)
        return (data, *self.byte_offsets())

    def byte_offsets(self) -> tuple[np.ndarray, np.ndarray]:
        """``(text_offsets, token_offsets)`` of :meth:`utf8`, without making the bytes (for a
        caller that has them, e.g. an Arrow string array of the texts). int32 unless the texts
        could take 2 GiB or more."""
        sizes = _utf8_sizes(self.codes)  # UTF-8 bytes of every code point of the joined texts
        base = _text_starts(self.texts)
        sizes[base[1:-1] - 1] = 0  # the separators between texts are not in the bytes
        wide = np.int32 if 4 * len(self.codes) < 2**31 else np.int64  # int32 sums run 3x faster
        position = np.zeros(len(self.codes) + 1, dtype=wide)  # byte offset of every code point
        np.cumsum(sizes, dtype=wide, out=position[1:])
        text_offsets = np.append(position[base[:-1]], position[-1])
        owner_base = np.repeat(base[:-1], np.diff(self.bounds))
        token_offsets = np.empty(2 * len(self.starts), dtype=wide)
        token_offsets[0::2] = position[self.starts + owner_base]
        token_offsets[1::2] = position[self.ends + owner_base]
        return text_offsets, token_offsets

    def all_tokens(self) -> list[str]:
        """Every token string, text after text (what a ``list<string>`` column flattens to)."""
        out: list[str] = []
        starts, ends, bounds = self.starts.tolist(), self.ends.tolist(), self.bounds.tolist()
        for i, text in enumerate(self.texts):
            a, b = bounds[i], bounds[i + 1]
            out.extend([text[s:e] for s, e in zip(starts[a:b], ends[a:b], strict=True)])
        return out


@dataclass(frozen=True)
class BioBatch:
    """:func:`bio_batch`'s result: the tokens, one tag id per token, and per article the
    mentions BIO could not carry (nested ones), as ``article_to_bio`` reports them."""

    tokens: TokenBatch
    tags: np.ndarray
    not_in_bio: tuple[tuple[Mention, ...], ...]


def tokenize_batch(texts: Sequence[str], *, split_clitics: bool | CliticRule = False,
                   cut_at: Sequence[Sequence[int]] | None = None) -> TokenBatch:
    """The tokens of every text, as :func:`~benchmark.text.tokenize` would give them.

    ``cut_at[i]`` (optional) lists offsets of text ``i`` where tokens are cut, as
    :func:`~benchmark.text.split_at` does after tokenizing (offsets between tokens change nothing).

    >>> tokenize_batch(["لروسيا الاتحادية"], cut_at=[[1]]).texts_tokens(0)
    ['ل', 'روسيا', 'الاتحادية']
    """
    texts = tuple(texts)
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"tokenize_batch() needs str texts; text {i} is a {type(text).__name__}")
    rule = _rule(split_clitics)
    if cut_at is not None and len(cut_at) != len(texts):
        raise ValueError(f"cut_at has {len(cut_at)} entries for {len(texts)} texts (fix: one list per text)")
    base = _text_starts(texts)
    points = None
    if cut_at is not None:
        pieces = [np.asarray(offsets, dtype=np.int64) + base[i] for i, offsets in enumerate(cut_at) if len(offsets)]
        points = np.concatenate(pieces) if pieces else None
    return _tokenize(texts, rule, base, points)


def _tokenize(texts: tuple[str, ...], rule: CliticRule | None, base: np.ndarray,
              points: np.ndarray | None) -> TokenBatch:
    """:func:`tokenize_batch` with the extra cut ``points`` as offsets in the joined texts."""
    joined = "\n".join(texts)  # a separator between texts: no token crosses one
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    kinds = _classes(codes)
    marked = np.flatnonzero(kinds == _MARK)  # combining marks and tatweel (the clitic rule skips them)
    kinds[marked] = _WORD
    starts, ends = _token_edges(kinds)

    cuts: list[np.ndarray] = []
    if rule is not None and len(starts):
        cuts.append(clitic_points(joined, codes, starts, ends, marked, rule))
    if points is not None and len(points):
        cuts.append(points)
    if cuts:
        starts, ends = _cut(starts, ends, np.concatenate(cuts))

    bounds = np.searchsorted(starts, base)
    bounds[-1] = len(starts)
    owner_base = np.repeat(base[:-1], np.diff(bounds))
    return TokenBatch(texts, bounds, starts - owner_base, ends - owner_base, codes)


def bio_batch(articles: Sequence[Article], tag_ids: Mapping[str, int], *,
              split_clitics: bool | CliticRule = True) -> BioBatch:
    """The token/BIO view of many articles, as :func:`~benchmark.text.article_to_bio` gives it,
    with tags as ids (``tag_ids`` maps ``"O"``, ``"B-PER"``, ``"I-PER"``… to ids).

    An article whose spans do not fall on token edges raises the very
    :class:`~benchmark.text.AlignmentError` of ``article_to_bio`` (it names the doc_id and span).

    >>> from benchmark.model import Article, Mention
    >>> art = Article(doc_id="d1", text="وقال بوتين لروسيا",
    ...               entities=(Mention("m1", 5, 10, "PER"), Mention("m2", 12, 17, "GPE")))
    >>> view = bio_batch([art], {"O": 0, "B-PER": 1, "I-PER": 2, "B-GPE": 3, "I-GPE": 4})
    >>> view.tokens.texts_tokens(0), view.tags.tolist()
    (['و', 'قال', 'بوتين', 'ل', 'روسيا'], [0, 0, 1, 0, 3])
    """
    from benchmark.text.align import AlignmentError, article_to_bio, outermost_layer

    texts = tuple(a.text for a in articles)
    base = _text_starts(texts)
    mentions = [m for article in articles for m in article.entities]
    owner = np.repeat(np.arange(len(articles), dtype=np.int64),
                      np.fromiter((len(a.entities) for a in articles), dtype=np.int64, count=len(articles)))
    start = np.fromiter((m.start for m in mentions), dtype=np.int64, count=len(mentions))
    end = np.fromiter((m.end for m in mentions), dtype=np.int64, count=len(mentions))
    outside = (start < 0) | (start >= end) | (end > np.diff(base)[owner] - 1)
    if outside.any():
        article_to_bio(articles[int(owner[np.flatnonzero(outside)[0]])], split_clitics=split_clitics)  # raises
    batch = _tokenize(texts, _rule(split_clitics), base, np.concatenate([start, end]) + np.tile(base[owner], 2))

    # the outermost layer (align.outermost_layer): by start, longest first, then input order. Where
    # no two mentions of an article overlap, all are kept; other articles take the exact rule.
    order = np.lexsort((np.arange(len(mentions)), -end, start, owner))
    s_owner, s_start, s_end = owner[order], start[order], end[order]
    overlapping = np.zeros(len(articles), dtype=bool)
    crossing = (s_owner[1:] == s_owner[:-1]) & (s_start[1:] < s_end[:-1])
    overlapping[s_owner[1:][crossing]] = True
    not_in_bio: list[tuple[Mention, ...]] = [()] * len(articles)
    kept = ~overlapping[owner]
    for i in np.flatnonzero(overlapping).tolist():
        layer, rest = outermost_layer(articles[i].entities)
        not_in_bio[i] = tuple(rest)
        offset = int(np.searchsorted(owner, i))  # where article i's mentions start
        chosen = {id(m) for m in layer}
        kept[offset:offset + len(articles[i].entities)] = [id(m) in chosen for m in articles[i].entities]
    kept_index = order[kept[order]]  # article by article, in the layer's order

    labels = [m.label for m in mentions]
    b_of = {label: tag_ids.get(f"B-{label}", -1) for label in set(labels)}
    i_of = {label: tag_ids.get(f"I-{label}", -1) for label in set(labels)}
    b_ids = np.fromiter((b_of[label] for label in labels), dtype=np.int64, count=len(labels))[kept_index]
    i_ids = np.fromiter((i_of[label] for label in labels), dtype=np.int64, count=len(labels))[kept_index]
    untagged = (b_ids < 0) | (i_ids < 0)
    if untagged.any():
        k = int(kept_index[np.flatnonzero(untagged)[0]])
        mention, article = mentions[k], articles[int(owner[k])]
        raise AlignmentError(f"{article.doc_id}: mention {mention.id} has label {mention.label!r}, "
                             f"which has no BIO tag here (fix: use one of the schema's entity labels)", span=mention)
    tags = np.full(len(batch.starts), tag_ids["O"], dtype=np.int64)
    if len(kept_index):
        k_owner = owner[kept_index]
        first = _find(batch, batch.starts, k_owner, start[kept_index])
        last = _find(batch, batch.ends, k_owner, end[kept_index])
        bad = (first < 0) | (last < 0)
        if bad.any():
            article = articles[int(k_owner[np.flatnonzero(bad)[0]])]
            article_to_bio(article, split_clitics=split_clitics)  # raises the detailed error
            raise AlignmentError(f"{article.doc_id}: a span does not fall on token edges")  # pragma: no cover
        tags[first] = b_ids
        inside = last - first
        if inside.sum():
            positions = np.repeat(first + 1 - np.cumsum(inside) + inside, inside) + np.arange(inside.sum())
            tags[positions] = np.repeat(i_ids, inside)
    return BioBatch(batch, tags, tuple(not_in_bio))


# --------------------------------------------------------------------------- internals


def _text_starts(texts: Sequence[str]) -> np.ndarray:
    """Where each text starts in the texts joined with one separator, then the joined length + 1."""
    base = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1, out=base[1:])
    return base


def _classes(codes: np.ndarray) -> np.ndarray:
    """The class of every code point of ``codes`` (a new array), plane by plane: news text rarely
    leaves the Basic Multilingual Plane, and the other planes' tables are made when first needed."""
    if not len(codes) or int(codes.max()) < 0x10000:
        return _plane_classes(0)[codes]
    kinds = np.empty(len(codes), dtype=np.uint8)
    planes = codes >> 16
    for plane in np.unique(planes).tolist():
        where = planes == plane
        kinds[where] = _plane_classes(plane)[codes[where] & 0xFFFF]
    return kinds


@cache
def _plane_classes(plane: int) -> np.ndarray:
    """Class of each code point of one Unicode plane (``_SEP``, ``_WORD``, ``_DIGIT``, ``_NUMSEP``,
    ``_OTHER``, and ``_MARK`` for combining marks and tatweel), read off the tokenizer's own
    one-character regex classes."""
    classes = character_classes()
    every = "".join(map(chr, range(plane << 16, (plane + 1) << 16)))
    table = np.full(0x10000, _OTHER, dtype=np.uint8)
    for name, kind in (("separator", _SEP), ("number_separator", _NUMSEP), ("digit", _DIGIT),
                       ("letter", _WORD), ("mark", _MARK)):  # later classes win: the regex's order
        # every matching character becomes U+0001 (one C pass); U+0001 itself is decided apart
        marked = re.sub(classes[name], "\x01", every).encode("utf-32-le", "surrogatepass")
        hits = np.frombuffer(marked, dtype="<u4") == 1
        if plane == 0:
            hits[1] = re.fullmatch(classes[name], "\x01") is not None
        table[hits] = kind
    if plane == 0:
        table[0x0640] = _MARK  # tatweel: a letter to the regex, not one to the clitic rule
    return table


def _utf8_sizes(codes: np.ndarray) -> np.ndarray:
    """UTF-8 length in bytes of every code point (comparisons, three times faster than a table)."""
    sizes = np.add(codes >= 0x80, 1, dtype=np.uint8)
    wide = np.flatnonzero(codes >= 0x800)  # three or four bytes: rare in news
    if len(wide):
        sizes[wide] += np.add(codes[wide] >= 0x10000, 1, dtype=np.uint8)
    return sizes


def _token_edges(kinds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Token starts and ends (in the joined string) from the character classes (``kinds`` is
    changed in place: number separators become digits or single characters)."""
    n = len(kinds)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    separators = np.flatnonzero(kinds == _NUMSEP)
    inner = separators[(separators > 0) & (separators < n - 1)]
    inner = inner[(kinds[inner - 1] == _DIGIT) & (kinds[inner + 1] == _DIGIT)]
    kinds[separators] = _OTHER
    kinds[inner] = _DIGIT  # a separator between digits is part of the number
    previous = np.empty_like(kinds)
    previous[0] = _SEP
    previous[1:] = kinds[:-1]
    following = np.empty_like(kinds)
    following[-1] = _SEP
    following[:-1] = kinds[1:]
    in_token = kinds != _SEP
    single = kinds == _OTHER
    starts = np.flatnonzero(in_token & (single | (previous != kinds)))
    ends = np.flatnonzero(in_token & (single | (following != kinds))) + 1
    return starts.astype(np.int64), ends.astype(np.int64)


def _cut(starts: np.ndarray, ends: np.ndarray, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Tokens cut at ``points`` that fall strictly inside one (others change nothing)."""
    points = np.unique(points)
    owner = np.searchsorted(starts, points, side="right") - 1
    owner_ok = owner >= 0
    inside = np.zeros(len(points), dtype=bool)
    inside[owner_ok] = (starts[owner[owner_ok]] < points[owner_ok]) & (points[owner_ok] < ends[owner[owner_ok]])
    points = points[inside]
    if not len(points):
        return starts, ends
    # two sorted runs each: the stable sort (timsort) merges them in one pass
    return (np.sort(np.concatenate([starts, points]), kind="stable"),
            np.sort(np.concatenate([ends, points]), kind="stable"))


def _find(batch: TokenBatch, offsets: np.ndarray, owner: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Index of the token of text ``owner[k]`` whose offset (``batch.starts`` or ``batch.ends``)
    is ``wanted[k]``, or -1 when none is: one search over (text, offset) keys."""
    texts = np.repeat(np.arange(len(batch.bounds) - 1, dtype=np.int64), np.diff(batch.bounds))
    keys = (texts << 32) | offsets  # sorted: texts in order, offsets rising within a text
    targets = (owner << 32) | wanted
    found = np.minimum(np.searchsorted(keys, targets), max(len(keys) - 1, 0))
    if not len(keys):
        return np.full(len(wanted), -1, dtype=np.int64)
    return np.where(keys[found] == targets, found, -1)
