"""Token features for the CRF NER baseline (deterministic: same tokens → same feature dicts).

Per token (``sklearn-crfsuite`` takes one ``{name: value}`` dict per token):

- the token as written (lower-cased), its normalised form (:func:`normalise_token`: the text
  layer's normaliser with every fold on) and its clitic-stripped stem (the text layer's proclitic
  splitter, article included: ``وبالزعيم`` → ``زعيم``) plus the proclitic chain (``و+ب+ال``);
- prefixes and suffixes (1–3 letters) of the normalised form and of the stem;
- shape flags: digits, punctuation, quotation mark, Latin letters, length bucket;
- unsupervised word clusters (:mod:`baselines.sklearn.wordclusters`) at every granularity, looked
  up by the normalised form, falling back to the stem (so ``لروسيا`` gets ``روسيا``'s cluster);
- the same word/stem/cluster features of the tokens at offsets −2…+2, and the bigrams
  (previous word, word) and (word, next word).

>>> feats = sentence_features(["وقال", "بوتين", ":"], clusters=None)
>>> feats[1]["stem"], feats[1]["-1:stem"], feats[0]["clitics"]
('بوتين', 'قال', 'و')
>>> feats[2]["punct"], feats[2]["+1:word"]
(True, '</s>')
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from benchmark.text import CliticRule, NormalizationConfig, normalize, split_proclitics

if TYPE_CHECKING:  # pragma: no cover
    from baselines.sklearn.wordclusters import WordClusters

__all__ = ["FEATURE_VERSION", "QUOTE_MARKS", "normalise_token", "sentence_features", "token_stem"]

FEATURE_VERSION = 1
"""Bumped whenever the features change (a saved model records it and refuses a mismatch)."""

QUOTE_MARKS = frozenset('"«»“”„\'‘’')

# Every fold on: for matching and cluster lookup, not for display.
_MATCHING = NormalizationConfig(fold_alef_maqsura=True, fold_teh_marbuta=True, fold_hamza_carriers=True,
                                fold_digits=True, fold_punctuation=True)
# Stems: split the article too, so that الزعيم / بالزعيم / وزعيم share a stem.
_STEM_RULE = CliticRule(split_article=True)


@lru_cache(maxsize=200_000)
def normalise_token(token: str) -> str:
    """The matching key of a token: normalised with every fold (diacritics, tatweel, bidi marks
    removed; أ/إ/آ→ا, ى→ي, ة→ه, ؤ→و, ئ→ي, digits → 0-9) and lower-cased.

    >>> normalise_token("إلى"), normalise_token("ألمانيا"), normalise_token("٢٠٢٤")
    ('الي', 'المانيا', '2024')
    """
    return normalize(token, _MATCHING).text.lower()


@lru_cache(maxsize=200_000)
def token_stem(normalised: str) -> tuple[str, str]:
    """``(proclitics, stem)`` of a normalised token, using the text layer's splitter with the
    article split off. ``("و+ب+ال", "زعيم")`` for ``وبالزعيم``."""
    pieces = split_proclitics(normalised, _STEM_RULE)
    return "+".join(pieces[:-1]), pieces[-1]


def _shape(token: str) -> str:
    """A coarse shape: A (Arabic letter), L (Latin), D (digit), P (other); runs collapsed."""
    out = []
    for ch in token:
        if ch.isdigit():
            kind = "D"
        elif "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f":
            kind = "A" if ch.isalpha() else "P"
        elif ch.isalpha():
            kind = "L"
        elif unicodedata.category(ch)[0] == "M":
            continue
        else:
            kind = "P"
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out) or "_"


def _token_features(token: str, clusters: WordClusters | None) -> dict[str, Any]:
    norm = normalise_token(token) or token
    clitics, stem = token_stem(norm)
    feats: dict[str, Any] = {
        "word": token.lower(),
        "norm": norm,
        "stem": stem,
        "clitics": clitics,
        "shape": _shape(token),
        "len": min(len(norm), 8),
        "digit": norm.isdigit(),
        "has_digit": any(ch.isdigit() for ch in norm),
        "punct": all(unicodedata.category(ch)[0] in "PS" for ch in norm),
        "quote": token in QUOTE_MARKS,
        "latin": any("a" <= ch <= "z" for ch in norm),
    }
    for n in (1, 2, 3):
        if len(norm) > n:
            feats[f"pre{n}"] = norm[:n]
            feats[f"suf{n}"] = norm[-n:]
        if len(stem) > n:
            feats[f"stem_suf{n}"] = stem[-n:]
    if clusters is not None:
        found = clusters.lookup(norm)
        source = "w"
        if found is None and stem != norm:
            found = clusters.lookup(stem)
            source = "s"
        if found is None:
            feats["cluster_oov"] = True
        else:
            for granularity, cluster in zip(clusters.granularities, found, strict=True):
                feats[f"c{granularity}"] = f"{source}{cluster}"
        stem_found = clusters.lookup(stem) if stem != norm else None
        if stem_found is not None:
            for granularity, cluster in zip(clusters.granularities, stem_found, strict=True):
                feats[f"sc{granularity}"] = cluster
    return feats


_CONTEXT_KEYS = ("norm", "stem", "shape", "quote", "punct")


def sentence_features(tokens: Sequence[str], clusters: WordClusters | None = None) -> list[dict[str, Any]]:
    """Feature dicts for one sequence of token strings (see the module docstring)."""
    base = [_token_features(token, clusters) for token in tokens]
    cluster_keys = [] if clusters is None else [f"c{g}" for g in clusters.granularities]
    # cluster bigrams at a middle granularity (the second coarsest when there are several)
    pair_key = None if not cluster_keys else cluster_keys[min(1, len(cluster_keys) - 1)]
    out: list[dict[str, Any]] = []
    n = len(tokens)
    for i, own in enumerate(base):
        feats: dict[str, Any] = {"bias": 1.0, **own}
        for offset in (-2, -1, 1, 2):
            j = i + offset
            prefix = f"{offset:+d}:"
            if j < 0 or j >= n:
                feats[f"{prefix}word"] = "<s>" if j < 0 else "</s>"
                continue
            other = base[j]
            for key in _CONTEXT_KEYS:
                feats[prefix + key] = other[key]
            for key in cluster_keys:
                if key in other:
                    feats[prefix + key] = other[key]
        feats["-1|0"] = (base[i - 1]["norm"] if i > 0 else "<s>") + "|" + own["norm"]
        feats["0|+1"] = own["norm"] + "|" + (base[i + 1]["norm"] if i + 1 < n else "</s>")
        if pair_key is not None:
            left = base[i - 1].get(pair_key, "<s>") if i > 0 else "<s>"
            right = base[i + 1].get(pair_key, "</s>") if i + 1 < n else "</s>"
            here = own.get(pair_key, "?")
            feats["c-1|c0"] = f"{left}|{here}"
            feats["c0|c+1"] = f"{here}|{right}"
        out.append(feats)
    return out
