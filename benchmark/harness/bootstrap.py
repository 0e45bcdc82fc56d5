"""Bootstrap confidence intervals and the paired bootstrap test, resampling DOCUMENTS.

Every metric is a function of per-document counts summed over documents
(:mod:`benchmark.metrics.base`). A bootstrap resample draws ``n`` documents with replacement
(a seeded ``numpy.random.Generator``); its totals are ``weights @ counts`` where ``weights[d]``
is how often document ``d`` was drawn. So 1,000 resamples cost one matrix product, not 1,000
re-scorings.

* :func:`bootstrap_ci`: percentile intervals (default 95 %, 1,000 resamples) for every metric.
* :func:`paired_bootstrap`: two submissions on the same gold, the same resampled documents for
  both; the delta ``b - a`` with its percentile interval and a two-sided p-value
  ``min(1, 2 · (min(#{δ* ≤ 0}, #{δ* ≥ 0}) + 1) / (B + 1))`` — the share of resamples on the
  other side of zero, doubled; the +1 keeps it above 0 with finitely many resamples.

>>> import numpy as np
>>> from benchmark.metrics.base import prf
>>> counts = np.array([[1, 1, 1], [0, 1, 1], [1, 1, 2], [2, 2, 2]])  # tp, n_pred, n_gold per doc
>>> f1 = lambda t: {"f1": prf(t[..., 0], t[..., 1], t[..., 2])["f1"]}
>>> ci = bootstrap_ci(counts, f1, n_resamples=200, seed=1)["f1"]
>>> ci.low <= ci.value <= ci.high
True

An undefined metric (0/0, see :mod:`benchmark.metrics.base`) has ``value``, ``low`` and ``high``
``None``. When the point estimate is defined but some resamples are not (speaker accuracy on a
resample without matched quotes), the interval is taken over the resamples where it is defined.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np

__all__ = ["DEFAULT_CONFIDENCE", "DEFAULT_RESAMPLES", "Interval", "PairedResult", "bootstrap_ci",
           "paired_bootstrap", "resampled_totals"]

DEFAULT_RESAMPLES = 1000
DEFAULT_CONFIDENCE = 0.95
ScoreFn = Callable[[np.ndarray], Mapping[str, np.ndarray]]


@dataclass(frozen=True, slots=True)
class Interval:
    """A point estimate with its bootstrap percentile interval."""

    value: float | None
    low: float | None
    high: float | None

    @property
    def defined(self) -> bool:
        """False for an undefined metric (0/0): value and interval are ``None``."""
        return self.value is not None

    def to_dict(self) -> dict[str, float | None]:
        return {"value": self.value, "ci_low": self.low, "ci_high": self.high}


@dataclass(frozen=True, slots=True)
class PairedResult:
    """Paired bootstrap comparison of submission B against A on one metric (delta = B - A).

    When the metric is undefined for A or B, ``delta``, the interval and ``p_value`` are ``None``.
    """

    metric: str
    value_a: float | None
    value_b: float | None
    delta: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    n_resamples: int
    confidence: float
    seed: int

    def to_dict(self) -> dict[str, float | int | str | None]:
        return {"metric": self.metric, "a": self.value_a, "b": self.value_b, "delta": self.delta,
                "ci_low": self.ci_low, "ci_high": self.ci_high, "p_value": self.p_value,
                "n_resamples": self.n_resamples, "confidence": self.confidence, "seed": self.seed}


def _weight_chunks(n_docs: int, n_resamples: int, rng: np.random.Generator,
                   max_cells: int = 4_000_000) -> Iterator[np.ndarray]:
    """Resample weights (how often each document is drawn), ``(chunk, n_docs)`` at a time."""
    chunk = max(1, min(n_resamples, max_cells // max(n_docs, 1)))
    done = 0
    while done < n_resamples:
        size = min(chunk, n_resamples - done)
        draws = rng.integers(0, n_docs, size=(size, n_docs))
        flat = (draws + (np.arange(size) * n_docs)[:, None]).ravel()
        yield np.bincount(flat, minlength=size * n_docs).reshape(size, n_docs)
        done += size


def resampled_totals(counts: np.ndarray | list[np.ndarray], n_resamples: int = DEFAULT_RESAMPLES,
                     seed: int = 0) -> list[np.ndarray]:
    """Totals of each count table over the same ``n_resamples`` document resamples: ``(B, k)`` each.

    Several tables (one per submission) share the resampled documents: that is the pairing.
    """
    tables = [np.asarray(c, dtype=np.float64) for c in (counts if isinstance(counts, list) else [counts])]
    n_docs = tables[0].shape[0]
    if any(t.shape[0] != n_docs for t in tables):
        raise ValueError("paired count tables must describe the same documents")
    if n_docs == 0:
        raise ValueError("cannot bootstrap over zero documents")
    rng = np.random.default_rng(seed)
    out: list[list[np.ndarray]] = [[] for _ in tables]
    for weights in _weight_chunks(n_docs, n_resamples, rng):
        weights = weights.astype(np.float64)
        for i, table in enumerate(tables):
            out[i].append(weights @ table)
    return [np.concatenate(parts, axis=0) for parts in out]


def _point(value: np.ndarray | float) -> float | None:
    value = float(value)
    return None if np.isnan(value) else value


def _percentiles(samples: np.ndarray, confidence: float) -> tuple[float | None, float | None]:
    """The percentile interval of the defined (non-NaN) samples; ``(None, None)`` if none is."""
    samples = np.asarray(samples, dtype=float)
    samples = samples[~np.isnan(samples)]
    if not samples.size:
        return None, None
    alpha = (1.0 - confidence) / 2.0
    low, high = np.percentile(samples, [100 * alpha, 100 * (1 - alpha)])
    return float(low), float(high)


def bootstrap_ci(counts: np.ndarray, score: ScoreFn, n_resamples: int = DEFAULT_RESAMPLES,
                 confidence: float = DEFAULT_CONFIDENCE, seed: int = 0,
                 metrics: list[str] | None = None) -> dict[str, Interval]:
    """Percentile intervals for every metric ``score`` returns (or just ``metrics``).

    ``counts`` is ``(n_docs, k)``; ``score`` maps totals ``(..., k)`` to ``{metric: (...)}``.
    """
    counts = np.asarray(counts)
    point = {k: _point(v) for k, v in score(counts.sum(axis=0)).items()}
    (totals,) = resampled_totals(counts, n_resamples, seed)
    samples = score(totals)
    names = metrics if metrics is not None else list(point)
    undefined = Interval(None, None, None)
    return {name: Interval(point[name], *_percentiles(np.asarray(samples[name]), confidence))
            if point[name] is not None else undefined for name in names}


def paired_bootstrap(counts_a: np.ndarray, counts_b: np.ndarray, score: ScoreFn, metric: str,
                     n_resamples: int = DEFAULT_RESAMPLES, confidence: float = DEFAULT_CONFIDENCE,
                     seed: int = 0) -> PairedResult:
    """Compare two submissions scored on the same documents (rows of both tables aligned)."""
    counts_a, counts_b = np.asarray(counts_a), np.asarray(counts_b)
    value_a = _point(score(counts_a.sum(axis=0))[metric])
    value_b = _point(score(counts_b.sum(axis=0))[metric])
    if value_a is None or value_b is None:  # nothing to compare: say so, never a made-up p-value
        return PairedResult(metric, value_a, value_b, None, None, None, None, n_resamples, confidence, seed)
    totals_a, totals_b = resampled_totals([counts_a, counts_b], n_resamples, seed)
    deltas = np.asarray(score(totals_b)[metric]) - np.asarray(score(totals_a)[metric])
    deltas = deltas[~np.isnan(deltas)]  # resamples where the metric is defined for both
    low, high = _percentiles(deltas, confidence)
    other_side = min(int((deltas <= 0).sum()), int((deltas >= 0).sum()))
    p_value = min(1.0, 2.0 * (other_side + 1) / (len(deltas) + 1))
    return PairedResult(metric, value_a, value_b, value_b - value_a, low, high, p_value, n_resamples,
                        confidence, seed)
