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
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

__all__ = [
    "NORMALISATION_VERSION",
    "DedupConfig",
    "NearDuplicateIndex",
    "SimilarPair",
    "normalise_for_matching",
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
    """
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


class NearDuplicateIndex:
    """MinHash LSH over word shingles; add texts by key, then ask for neighbours or all pairs.

    Keys are any hashable (doc ids, or ``(split, doc_id)`` tuples). Memory is about 0.6 kB per
    text (128 × uint32 signature plus the LSH buckets); the texts themselves are not kept.
    """

    def __init__(self, config: DedupConfig | None = None):
        from datasketch import MinHash, MinHashLSH

        self.config = config or DedupConfig()
        template = MinHash(num_perm=self.config.num_perm, seed=self.config.seed, hashfunc=_identity)
        self._permutations = template.permutations
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
        """The MinHash of a normalised text (``None`` when it has no words).

        Same construction as datasketch's ``affine32`` scheme, vectorised with numpy: each word is
        hashed once (crc32), a shingle's 32-bit hash combines its words' hashes (FNV-style), is
        mixed with the MurmurHash3 finaliser and permuted by ``a·h + b mod 2³²``; the signature is
        the minimum per permutation. Deterministic across processes (no Python ``hash``).
        """
        import numpy as np
        from datasketch import LeanMinHash

        words = normalised.split()
        if not words:
            return None
        word_hashes = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint32, count=len(words))
        size = min(self.config.shingle_size, len(words))
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
        a, b = self._permutations
        values = (hv[:, None] * a[None, :] + b[None, :]).min(axis=0)
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
