"""Per-document raw counts, the common currency of every Khabar metric.

Every figure Khabar reports (F1, accuracy, macro averages) is a function of counts summed over
documents. A metric therefore has two halves:

* ``doc_counts(...) -> CountTable``: one row of integer counts per document;
* ``scores_from_counts(totals, columns, ...) -> {name: value}``: the figures from summed counts,
  written with numpy so that ``totals`` may have leading axes (one per bootstrap resample).

The bootstrap (:mod:`benchmark.harness.bootstrap`) resamples documents by summing rows of the
table, which costs one matrix product instead of re-scoring the submission 1,000 times.

>>> import numpy as np
>>> table = CountTable(("d1", "d2"), ("tp", "n_pred", "n_gold"), np.array([[1, 2, 2], [0, 1, 0]]))
>>> table.totals()
{'tp': 1, 'n_pred': 3, 'n_gold': 2}
>>> prf(np.array(1), np.array(3), np.array(2))["f1"].item()
0.4

**Undefined figures.** A ratio whose denominator is 0 (precision with no prediction, recall with
no gold item, F1 with neither, speaker accuracy with no matched quote) is *undefined*: NaN inside
the vectorised ``*_scores_from_counts`` functions, ``None`` in every figure a user sees (the plain
functions, ``results.json`` as ``null``, the terminal and the leaderboard as "—"), never 0.
Averages over labels (macro) are taken over the labels whose figure is defined, as
scikit-learn's ``zero_division=np.nan`` does; an average with no defined member is undefined.

>>> prf(np.array(0), np.array(0), np.array(2))["precision"].item()
nan
>>> as_figure(np.float64("nan")) is None, as_figure(np.float64(0.5))
(True, 0.5)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["CountTable", "as_figure", "defined_mean", "prf", "ratio", "safe_divide"]


@dataclass(frozen=True)
class CountTable:
    """Integer counts: ``counts[i, j]`` is column ``columns[j]`` for document ``doc_ids[i]``."""

    doc_ids: tuple[str, ...]
    columns: tuple[str, ...]
    counts: np.ndarray

    def __post_init__(self) -> None:
        if self.counts.shape != (len(self.doc_ids), len(self.columns)):
            raise ValueError(f"counts has shape {self.counts.shape}, expected "
                             f"({len(self.doc_ids)}, {len(self.columns)}) for the doc ids and columns given")

    def column(self, name: str) -> np.ndarray:
        """One column over documents."""
        return self.counts[:, self.columns.index(name)]

    def totals(self) -> dict[str, int]:
        """Column sums as plain ints."""
        return {name: int(value) for name, value in zip(self.columns, self.counts.sum(axis=0), strict=True)}

    def doc_rows(self) -> list[dict[str, int]]:
        """One ``{column: count}`` dict per document (for the per-document JSONL)."""
        return [{name: int(v) for name, v in zip(self.columns, row, strict=True)} for row in self.counts]

    @staticmethod
    def concat(tables: Sequence[CountTable]) -> CountTable:
        """Join tables over the same documents column-wise."""
        first = tables[0]
        for table in tables[1:]:
            if table.doc_ids != first.doc_ids:
                raise ValueError("count tables describe different documents")
        return CountTable(first.doc_ids, tuple(c for t in tables for c in t.columns),
                          np.concatenate([t.counts for t in tables], axis=1))


def safe_divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """``numerator / denominator`` with 0 where the denominator is 0 (sklearn ``zero_division=0``)."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    out = np.zeros(np.broadcast(numerator, denominator).shape, dtype=float)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """``numerator / denominator``, NaN (undefined) where the denominator is 0."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    out = np.full(np.broadcast(numerator, denominator).shape, np.nan, dtype=float)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def defined_mean(values: np.ndarray, axis: int = -1) -> np.ndarray:
    """Mean over ``axis`` of the defined (non-NaN) values; NaN where none is (no warning)."""
    values = np.asarray(values, dtype=float)
    defined = ~np.isnan(values)
    return ratio(np.where(defined, values, 0.0).sum(axis=axis), defined.sum(axis=axis))


def prf(tp: np.ndarray, n_pred: np.ndarray, n_gold: np.ndarray) -> dict[str, np.ndarray]:
    """Precision, recall and F1 from counts; NaN where undefined.

    Precision is undefined without predictions, recall without gold items; F1 is
    ``2·tp / (n_pred + n_gold)`` (the harmonic mean of P and R wherever both exist, 0 when one of
    them is 0 or undefined while the other side has items), undefined only when both are empty.
    This is scikit-learn's definition (≥ 1.3) with ``zero_division=np.nan``.
    """
    tp = np.asarray(tp, dtype=float)
    n_pred = np.asarray(n_pred, dtype=float)
    n_gold = np.asarray(n_gold, dtype=float)
    return {"precision": ratio(tp, n_pred), "recall": ratio(tp, n_gold), "f1": ratio(2 * tp, n_pred + n_gold)}


def as_figure(value: float | np.ndarray) -> float | None:
    """A scalar figure for users: a float, or ``None`` when undefined (NaN)."""
    value = float(value)
    return None if np.isnan(value) else value
