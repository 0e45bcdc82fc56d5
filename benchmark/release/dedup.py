"""Near-duplicate search for splits and leakage checks (DESIGN §4).

Republished wire stories (the same text at several outlets, with a different first line or
signature) must never straddle splits. Texts are compared after :func:`normalise_for_matching`
as sets of word shingles (``shingle_size`` consecutive words); a MinHash LSH index
(`datasketch`) finds candidate pairs, and a pair counts as a near-duplicate when the MinHash
estimate of its Jaccard similarity reaches ``threshold``. Exact duplicates (identical
normalised text) are always reported, whatever the threshold.

The normalisation is for *matching only*: it never touches the stored text or its offsets.

>>> config = DedupConfig(threshold=0.8, shingle_size=3)
>>> index = NearDuplicateIndex(config)
>>> story = "قال وزير الخارجية إن المحادثات ستستأنف الأسبوع المقبل في الرياض بمشاركة جميع الأطراف المعنية"
>>> index.add("a", story)
>>> index.add("b", "«" + story.replace("إن", "إنّ") + "»")
>>> index.add("c", "أعلنت الشركة عن أرباح قياسية في الربع الثاني من العام")
>>> [(p.first, p.second, p.exact) for p in index.pairs()]
[('a', 'b', True)]
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

__all__ = [
    "NORMALISATION_VERSION",
    "Cluster",
    "DedupConfig",
    "NearDuplicateClusters",
    "NearDuplicateIndex",
    "SimilarPair",
    "minhash_values",
    "normalise_for_matching",
    "reference_clusters",
    "shingles",
    "text_fingerprint",
]

NORMALISATION_VERSION = "khabar-match-1"
"""Names the exact steps of :func:`normalise_for_matching`; stored in manifests so that a change
of normalisation is never mixed with old assignments silently."""

_LETTER_VARIANTS: tuple[tuple[str, str], ...] = (
    ("أ", "ا"),
    ("إ", "ا"),
    ("آ", "ا"),
    ("ٱ", "ا"),
    ("ى", "ي"),
    ("ئ", "ي"),
    ("ؤ", "و"),
    ("ة", "ه"),
    *((chr(0x0660 + d), str(d)) for d in range(10)),  # Arabic-Indic digits
    *((chr(0x06F0 + d), str(d)) for d in range(10)),  # Extended (Persian) digits
)
_NOT_WORD = re.compile(r"[\W_]+")


@cache
def _invisible() -> re.Pattern[str]:
    """Format characters (category Cf: bidi marks, ZWJ/ZWNJ, BOM…), harakat and tatweel, as one
    character class of ranges (a class of single escaped characters is ten times slower)."""
    import sys

    ranges: list[list[int]] = []
    for code in range(sys.maxunicode + 1):
        if unicodedata.category(chr(code)) == "Cf":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    format_class = "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)
    return re.compile(f"[{format_class}\\u0610-\\u061a\\u064b-\\u065f\\u0670\\u06d6-\\u06ed\\u0640]+")


def normalise_for_matching(text: str) -> str:
    """Fold the variation that does not change what a news text says, for matching only.

    NFKC (presentation forms → letters), drop format characters (bidi marks U+200E/U+200F,
    ZWJ/ZWNJ…), harakat and tatweel, unify alef/ya/hamza-seat/taa-marbuta variants and digits,
    casefold Latin, and turn punctuation (Arabic and Latin quotes, Arabic comma…) into spaces.

    >>> normalise_for_matching("«قالَ» الرئيـــس، \u200fإنّ 'مصر' ٢٠٢٤")
    'قال الرييس ان مصر 2024'

    Computed token by token (whitespace-separated), the frequent tokens once
    (:data:`_TOKEN_CACHE_SIZE`): every step above maps characters one by one except NFKC,
    which never composes or reorders across a whitespace character (none is a format
    character either), so the result equals :func:`_normalise_whole` of the whole text (tested
    on every SaudiNewsNet article and on generated text). Three to four times faster on news text.
    """
    cache = _TOKEN_CACHE
    tokens = text.split()
    try:
        parts = [cache[token] for token in tokens]
    except KeyError:
        parts = [cache[token] if token in cache else _learn_token(token) for token in tokens]
    return " ".join(filter(None, parts))


_TOKEN_CACHE: dict[str, str] = {}
_TOKEN_CACHE_SIZE = 1 << 18
"""Distinct raw tokens whose normalisation is kept: the first ones met, which include the
frequent ones (a news corpus of 31,000 articles has 516,000 distinct tokens, and its 262,144
most frequent cover 97 % of the running text); about 40 MB at most."""


def _learn_token(token: str) -> str:
    normalised = _normalise_whole(token)
    if normalised == token:
        normalised = token  # one string object for both
    if len(_TOKEN_CACHE) < _TOKEN_CACHE_SIZE:
        _TOKEN_CACHE[token] = normalised
    return normalised


def _normalise_whole(text: str) -> str:
    """The definition of :func:`normalise_for_matching`, applied to the whole text at once."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = _invisible().sub("", text)
    for variant, plain in _LETTER_VARIANTS:
        if variant in text:
            text = text.replace(variant, plain)
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def shingles(normalised: str, size: int) -> set[str]:
    """The set of ``size``-word shingles of an already normalised text (one shingle holding
    every word when the text is shorter than ``size``; empty for a text without words).

    >>> sorted(shingles("a b c d", 3))
    ['a b c', 'b c d']
    >>> shingles("a b", 3)
    {'a b'}
    """
    words = normalised.split()
    if not words:
        return set()
    if len(words) <= size:
        return {" ".join(words)}
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def text_fingerprint(text: str) -> str:
    """A short sha256 of the normalised text: equal for exact duplicates after normalisation.

    >>> text_fingerprint("مصر،") == text_fingerprint("مصر")
    True
    """
    return hashlib.sha256(normalise_for_matching(text).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class DedupConfig:
    """Parameters of the near-duplicate search (stored in the split manifest)."""

    threshold: float = 0.8
    shingle_size: int = 5
    num_perm: int = 128
    seed: int = 1
    normalisation: str = NORMALISATION_VERSION

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"dedup threshold {self.threshold} must be in (0, 1]; 0.8 is the usual choice")
        if self.shingle_size < 1:
            raise ValueError(f"shingle size {self.shingle_size} must be at least 1 word")
        if self.num_perm < 16:
            raise ValueError(f"num_perm {self.num_perm} is too small for a stable estimate; use 128")
        if self.normalisation != NORMALISATION_VERSION:
            raise ValueError(
                f"normalisation {self.normalisation!r} is not the one this version implements "
                f"({NORMALISATION_VERSION!r}); use a Khabar version that matches the manifest"
            )

    def to_dict(self) -> dict[str, Any]:
        return {"method": "minhash-lsh", **asdict(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DedupConfig:
        known = {k: v for k, v in data.items() if k != "method"}
        return cls(**known)


@dataclass(frozen=True, slots=True)
class SimilarPair:
    """Two texts that are near-duplicates (``exact``: identical after normalisation)."""

    first: Hashable
    second: Hashable
    similarity: float
    exact: bool


def _identity(value: int) -> int:
    return value


def minhash_values(normalised: str, shingle_size: int, permutations: tuple[Any, Any]) -> Any:
    """The MinHash signature (a numpy ``uint32`` array, one value per permutation) of the
    ``shingle_size``-word shingles of a normalised text; ``None`` when it has no words.

    Same construction as datasketch's ``affine32`` scheme, vectorised with numpy: each word is
    hashed once (crc32), a shingle's 32-bit hash combines its words' hashes (FNV-style), is
    mixed with the MurmurHash3 finaliser and permuted by ``a·h + b mod 2³²``; the signature is
    the minimum per permutation. Deterministic across processes (no Python ``hash``).
    ``permutations`` is datasketch's ``MinHash(...).permutations`` (the ``a`` and ``b`` arrays).
    """
    import numpy as np

    words = normalised.split()
    if not words:
        return None
    word_hashes = np.array(_word_hashes(words), dtype=np.uint32)
    size = min(shingle_size, len(words))
    count = len(words) - size + 1
    shingle = np.zeros(count, dtype=np.uint32)
    for offset in range(size):
        shingle = (shingle * np.uint32(0x01000193)) ^ word_hashes[offset : offset + count]
    hv = np.unique(shingle)
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    hv = hv ^ (hv >> np.uint32(16))
    a, b = permutations
    return (hv[:, None] * a[None, :] + b[None, :]).min(axis=0)


_WORD_HASHES: dict[str, int] = {}
_WORD_HASHES_SIZE = 1 << 18
"""Normalised words whose crc32 is kept (the first ones met, as for :data:`_TOKEN_CACHE`)."""


def _word_hashes(words: list[str]) -> list[int]:
    """``zlib.crc32`` of each word's UTF-8 (looked up for the frequent words)."""
    cache = _WORD_HASHES
    try:
        return [cache[word] for word in words]
    except KeyError:
        hashes = [cache.get(word) or zlib.crc32(word.encode("utf-8")) for word in words]
        if len(cache) < _WORD_HASHES_SIZE:
            cache.update(zip(words, hashes, strict=True))
        return hashes


def _permutations(config: DedupConfig) -> tuple[Any, Any]:
    """datasketch's ``affine32`` permutation parameters for ``config`` (num_perm and seed)."""
    from datasketch import MinHash

    return MinHash(num_perm=config.num_perm, seed=config.seed, hashfunc=_identity).permutations


class NearDuplicateIndex:
    """MinHash LSH over word shingles; add texts by key, then ask for neighbours or all pairs.

    Keys are any hashable (doc ids, or ``(split, doc_id)`` tuples). Memory is about 0.6 kB per
    text (128 × uint32 signature plus the LSH buckets); the texts themselves are not kept.
    """

    def __init__(self, config: DedupConfig | None = None):
        from datasketch import MinHashLSH

        self.config = config or DedupConfig()
        self._permutations = _permutations(self.config)
        self._lsh = MinHashLSH(threshold=self.config.threshold, num_perm=self.config.num_perm)
        self._signatures: dict[Hashable, Any] = {}
        self._order: dict[Hashable, int] = {}
        self._by_fingerprint: dict[str, list[Hashable]] = {}
        self._fingerprint: dict[Hashable, str] = {}

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._order

    def signature(self, normalised: str) -> Any:
        """The MinHash of a normalised text (``None`` when it has no words), as a datasketch
        ``LeanMinHash`` holding :func:`minhash_values`."""
        from datasketch import LeanMinHash

        values = minhash_values(normalised, self.config.shingle_size, self._permutations)
        if values is None:
            return None
        return LeanMinHash(seed=self.config.seed, hashvalues=values, scheme="affine32")

    def add(self, key: Hashable, text: str, *, normalised: str | None = None) -> None:
        """Index one text under ``key`` (a key may be added once); pass ``normalised`` when the
        caller already has :func:`normalise_for_matching` of it."""
        if key in self._order:
            raise ValueError(f"{key!r} was added twice to the near-duplicate index; keys must be unique")
        self._order[key] = len(self._order)
        if normalised is None:
            normalised = normalise_for_matching(text)
        if not normalised:
            return  # nothing to compare: an empty text is no one's duplicate
        fingerprint = hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]
        self._fingerprint[key] = fingerprint
        self._by_fingerprint.setdefault(fingerprint, []).append(key)
        signature = self.signature(normalised)
        self._signatures[key] = signature
        self._lsh.insert(key, signature, check_duplication=False)

    def neighbours(self, key: Hashable) -> list[tuple[Hashable, float, bool]]:
        """``(other_key, similarity, exact)`` for every indexed text similar to ``key``'s,
        most similar first (ties by insertion order)."""
        if key not in self._signatures:
            return []
        signature = self._signatures[key]
        exact = set(self._by_fingerprint[self._fingerprint[key]])
        found: dict[Hashable, tuple[float, bool]] = {k: (1.0, True) for k in exact if k != key}
        for other in self._lsh.query(signature):
            if other == key or other in found:
                continue
            similarity = float(signature.jaccard(self._signatures[other]))
            if similarity >= self.config.threshold:
                found[other] = (similarity, False)
        return sorted(((k, s, e) for k, (s, e) in found.items()), key=lambda t: (-t[1], self._order[t[0]]))

    def pairs(self, keys: Iterable[Hashable] | None = None) -> Iterator[SimilarPair]:
        """Every similar pair once (``first`` added before ``second``), in insertion order.
        With ``keys``, only pairs that involve at least one of them."""
        wanted = None if keys is None else set(keys)
        for key in sorted(self._signatures, key=self._order.__getitem__):
            for other, similarity, exact in self.neighbours(key):
                if self._order[other] <= self._order[key]:
                    continue
                if wanted is not None and key not in wanted and other not in wanted:
                    continue
                yield SimilarPair(key, other, similarity, exact)


# --------------------------------------------------------------------------- clusters


@dataclass(frozen=True, slots=True)
class Cluster:
    """One connected group of near-duplicates: the keys added without an anchor (in the order
    they were added) and the anchors (fixed groups, e.g. assigned clusters) they reach."""

    members: tuple[Hashable, ...]
    anchors: tuple[Hashable, ...] = ()


class _Roots:
    """Union-find over the integers ``0..size-1`` (path halving; the smaller root wins, so a
    root never depends on the order of the unions)."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, node: int) -> int:
        parent = self.parent
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(self, a: int, b: int) -> int:
        """Join the groups of ``a`` and ``b``; return the root of the joined group."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        low, high = min(ra, rb), max(ra, rb)
        self.parent[high] = low
        return low


def _regroup(held: dict[int, list[int]], roots: _Roots) -> dict[int, list[int]]:
    """``held`` keyed by the current roots: the row lists of clusters joined since are merged
    (the shorter list into the longer)."""
    if all(roots.parent[root] == root for root in held):
        return held
    merged: dict[int, list[int]] = {}
    for root, rows in held.items():
        current = roots.find(root)
        other = merged.get(current)
        if other is None:
            merged[current] = rows
        else:
            if len(other) < len(rows):
                other, rows = rows, other
                merged[current] = other
            other.extend(rows)
    return merged


class NearDuplicateClusters:
    """Near-duplicate clusters in near-linear time, whatever the duplication rate.

    **What a cluster is** (the transitive closure of near-duplication, unchanged since the first
    release): two texts are *linked* when they fall in the same bucket of at least one LSH band
    (datasketch's ``MinHashLSH`` banding for ``threshold`` and ``num_perm``: ``b`` bands of
    ``r`` signature values) **and** the MinHash estimate of their Jaccard similarity is
    ``≥ threshold``; identical normalised texts are always linked (their signatures are equal).
    A cluster is a connected component of the links, so a chain ``A ~ B ~ C`` is one cluster
    even when ``A`` and ``C`` are not similar. Texts without words link to nothing.

    Keys added with an ``anchor`` belong to a fixed group (an assigned cluster of the split
    manifest): two anchored texts are never linked to each other (fixed groups never merge by
    themselves), an un-anchored text linked to an anchored one joins its anchor, and through it
    everything else linked to that anchor.

    **How** (bounded work per bucket instead of every pair): for each band the signatures are
    grouped into buckets (a sort of the band's values). Within a bucket, each text is compared
    only with the clusters *other than its own* that the bucket already holds, and with each of
    them only until one member is similar enough (vectorised, the most recent members first);
    a pair already in one cluster is never compared. On heavy duplication a bucket soon holds
    one cluster, so each text costs a few comparisons per band. The result equals the pairwise
    definition exactly (:func:`reference_clusters`, kept for the tests and the benchmark): every
    link inside a bucket is either compared or already implied. The worst case left is a bucket
    of many texts that share a band but are *not* similar to each other (each is then compared
    with all the clusters of the bucket, vectorised).

    >>> clusters = NearDuplicateClusters(DedupConfig(shingle_size=1))
    >>> for key, text in [("a", "x y z w"), ("b", "q r s t"), ("c", "x y z w")]:
    ...     clusters.add(key, normalise_for_matching(text))
    >>> [cluster.members for cluster in clusters.clusters()]
    [('a', 'c'), ('b',)]
    """

    _FIRST_TRIES = 8
    """Members of a cluster compared first (the most recently added): in a cluster of edited
    copies almost any member is similar, so the first try nearly always decides."""

    def __init__(self, config: DedupConfig | None = None):
        from datasketch import MinHashLSH

        self.config = config or DedupConfig()
        lsh = MinHashLSH(threshold=self.config.threshold, num_perm=self.config.num_perm)
        self.bands, self.rows = lsh.b, lsh.r
        self._permutations = _permutations(self.config)
        self._signatures = bytearray()  # num_perm uint32 per text with words, in row order
        self._row_item: list[int] = []  # row → item
        self._keys: dict[Hashable, int] = {}  # key → item (insertion order)
        self._item_anchor: list[int] = []  # item → anchor number, -1 when none
        self._anchors: dict[Hashable, int] = {}
        self.comparisons = 0
        """Signature comparisons made by the last :meth:`clusters` (for the benchmark)."""

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._keys

    def add(self, key: Hashable, normalised: str, *, anchor: Hashable | None = None) -> None:
        """Add the already normalised (:func:`normalise_for_matching`) text of ``key`` (each key
        once), optionally in the fixed group ``anchor``."""
        if key in self._keys:
            raise ValueError(f"{key!r} was added twice to the near-duplicate clusters; keys must be unique")
        item = len(self._keys)
        self._keys[key] = item
        self._item_anchor.append(-1 if anchor is None else self._anchors.setdefault(anchor, len(self._anchors)))
        values = minhash_values(normalised, self.config.shingle_size, self._permutations)
        if values is not None:
            self._signatures += values.tobytes()
            self._row_item.append(item)

    def clusters(self, *, progress: bool = False) -> list[Cluster]:
        """Every cluster holding at least one un-anchored key, ordered by its first such key
        (``progress``: a progress bar over the LSH bands)."""
        import numpy as np
        from tqdm.auto import tqdm

        items, anchors = len(self._keys), len(self._anchors)
        roots = _Roots(items + anchors)
        signatures = np.frombuffer(bytes(self._signatures), dtype=np.uint32).reshape(-1, self.config.num_perm)
        node = np.array(
            [item if anchor < 0 else items + anchor for item, anchor in enumerate(self._item_anchor)], dtype=np.int64
        )[np.array(self._row_item, dtype=np.int64)] if self._row_item else np.zeros(0, dtype=np.int64)
        anchored = node >= items
        self.comparisons = 0
        for band in tqdm(range(self.bands), desc="near-duplicates", unit="band", disable=not progress):
            for bucket in self._buckets(signatures, band, anchored):
                self._link_bucket(bucket, signatures, node, anchored, roots)
        return self._components(roots)

    def _buckets(self, signatures: Any, band: int, anchored: Any) -> Iterator[Any]:
        """The rows sharing band ``band`` with at least one other row, bucket by bucket, anchored
        rows first, then by row (= insertion) order."""
        import numpy as np

        if len(signatures) < 2:
            return
        values = np.ascontiguousarray(signatures[:, band * self.rows : (band + 1) * self.rows])
        _, bucket, sizes = np.unique(
            values.view(np.dtype((np.void, values.shape[1] * 4))).ravel(), return_inverse=True, return_counts=True
        )
        rows = np.flatnonzero(sizes[bucket] > 1)
        if not len(rows):
            return
        rows = rows[np.lexsort((rows, ~anchored[rows], bucket[rows]))]
        starts = np.flatnonzero(np.diff(bucket[rows])) + 1
        yield from np.split(rows, starts)

    def _link_bucket(self, bucket: Any, signatures: Any, node: Any, anchored: Any, roots: _Roots) -> None:
        """Link the rows of one bucket (see the class docstring): each un-anchored row is compared
        with the other clusters present, until one member of each is similar enough."""
        held: dict[int, list[int]] = {}  # cluster root → rows of this bucket in that cluster
        for row in bucket.tolist():
            own = roots.find(int(node[row]))
            if not anchored[row] and held:
                held = _regroup(held, roots)
                for root in [root for root in held if root != own]:
                    if self._similar_to_any(row, held[root], signatures):
                        own = roots.union(own, root)
                held = _regroup(held, roots)
            held.setdefault(own, []).append(row)

    def _similar_to_any(self, row: int, members: list[int], signatures: Any) -> bool:
        """Whether the MinHash estimate of ``row``'s similarity to one of ``members`` reaches the
        threshold (same arithmetic as ``LeanMinHash.jaccard``: matches / num_perm)."""
        import numpy as np

        first = members[-self._FIRST_TRIES :]
        for chunk in (first, members[: -self._FIRST_TRIES]):
            if not chunk:
                continue
            self.comparisons += len(chunk)
            matches = np.count_nonzero(signatures[chunk] == signatures[row], axis=1)
            if np.any(matches.astype(np.float64) / np.float64(self.config.num_perm) >= self.config.threshold):
                return True
        return False

    def _components(self, roots: _Roots) -> list[Cluster]:
        members: dict[int, list[Hashable]] = {}
        reached: dict[int, list[Hashable]] = defaultdict(list)
        items = len(self._keys)
        anchor_keys = list(self._anchors)
        for number, anchor in enumerate(anchor_keys):
            root = roots.find(items + number)
            if root < items:
                reached[root].append(anchor)
        for key, item in self._keys.items():
            if self._item_anchor[item] < 0:
                members.setdefault(roots.find(item), []).append(key)
        return [Cluster(tuple(keys), tuple(reached.get(root, ()))) for root, keys in members.items()]


def reference_clusters(
    texts: Iterable[tuple[Hashable, str, Hashable | None]], config: DedupConfig | None = None
) -> list[Cluster]:
    """The clusters of :class:`NearDuplicateClusters` computed pair by pair, as ``khabar split``
    did until 0.1: every un-anchored text is joined with each of its :meth:`NearDuplicateIndex.neighbours`
    (an anchored neighbour stands for its anchor). Quadratic in the size of a group of
    near-duplicates (each text compares itself with every text of its LSH buckets); kept as the
    definition that the fast algorithm is tested against, and as the benchmark's reference.

    ``texts`` holds ``(key, text, anchor)`` triples (``anchor`` ``None`` for a free text).
    """
    index = NearDuplicateIndex(config)
    anchor_of: dict[Hashable, Hashable] = {}
    free: list[Hashable] = []
    for key, text, anchor in texts:
        index.add(key, text)
        if anchor is None:
            free.append(key)
        else:
            anchor_of[key] = anchor
    parent: dict[Hashable, Hashable] = {}

    def find(node: Hashable) -> Hashable:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def node(key: Hashable) -> Hashable:
        return ("anchor", anchor_of[key]) if key in anchor_of else ("free", key)

    for key in free:
        find(node(key))
        for other, _similarity, _exact in index.neighbours(key):
            a, b = find(node(key)), find(node(other))
            if a != b:
                parent[b] = a
    members: dict[Hashable, list[Hashable]] = {}
    for key in free:
        members.setdefault(find(node(key)), []).append(key)
    reached: dict[Hashable, list[Hashable]] = defaultdict(list)
    for anchor in dict.fromkeys(anchor_of.values()):
        if ("anchor", anchor) in parent:
            reached[find(("anchor", anchor))].append(anchor)
    return [Cluster(tuple(keys), tuple(reached.get(root, ()))) for root, keys in members.items()]
