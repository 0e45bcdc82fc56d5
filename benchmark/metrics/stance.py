"""Stance scoring: macro-F1 over all labels, F_avg over the two polar labels, per label, confusion.

Numbers equal scikit-learn's (``f1_score(..., labels=all_labels, average="macro",
zero_division=np.nan)``: a label absent from gold and predictions has an undefined F1 and the
macro average is over the other labels; undefined figures are ``None``). F_avg is the same over
the two polar labels, as in SemEval-2016 Task 6 and StanceEval 2024. A missing prediction
(``None``) counts as wrong for its gold label and as a prediction of no label.

Counts are one confusion matrix per document (``groups``), so the bootstrap can resample
documents: a document's stances stay together.

>>> y_true = ["favor", "against", "neutral", "favor"]
>>> y_pred = ["favor", "favor", "neutral", "against"]
>>> scores = stance_scores(y_true, y_pred, labels=("favor", "against", "neutral"))
>>> round(scores["macro/f1"], 4), round(scores["f_avg"], 4)
(0.5, 0.25)
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np

from benchmark.metrics.base import CountTable, as_figure, defined_mean, prf, ratio

__all__ = ["stance_by_target", "stance_count_columns", "stance_doc_counts", "stance_scores",
           "stance_scores_from_counts"]

MISSING = "<missing>"
"""Column name used for the prediction of an unanswered stance."""


def stance_count_columns(labels: Sequence[str]) -> tuple[str, ...]:
    """``confusion/<gold>/<pred>`` for every label pair, plus ``confusion/<gold>/<missing>``."""
    return tuple(f"confusion/{g}/{p}" for g in labels for p in (*labels, MISSING))


def stance_doc_counts(y_true: Sequence[str], y_pred: Sequence[str | None],
                      groups: Sequence[Hashable] | None = None,
                      labels: Sequence[str] | None = None) -> CountTable:
    """One flattened confusion matrix per group (document). ``groups=None``: one row per item."""
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} items but y_pred has {len(y_pred)}")
    labels = tuple(labels) if labels is not None else tuple(sorted({*y_true, *(p for p in y_pred if p)}))
    index = {label: i for i, label in enumerate(labels)}
    width = len(labels) + 1
    groups = list(groups) if groups is not None else [str(i) for i in range(len(y_true))]
    group_index: dict[Hashable, int] = {}
    for g in groups:
        group_index.setdefault(g, len(group_index))
    counts = np.zeros((len(group_index), len(labels) * width), dtype=np.int64)
    for gold, pred, group in zip(y_true, y_pred, groups, strict=True):
        if gold not in index:
            raise ValueError(f"gold label {gold!r} is not one of {list(labels)}")
        if pred is not None and pred not in index:
            raise ValueError(f"predicted label {pred!r} is not one of {list(labels)}")
        column = index[gold] * width + (index[pred] if pred is not None else len(labels))
        counts[group_index[group], column] += 1
    return CountTable(tuple(str(g) for g in group_index), stance_count_columns(labels), counts)


def _labels_from_columns(columns: Sequence[str]) -> list[str]:
    labels: list[str] = []
    for column in columns:
        gold = column.split("/")[1]
        if gold not in labels:
            labels.append(gold)
    return labels


def stance_scores_from_counts(totals: np.ndarray, columns: Sequence[str],
                              polar: Sequence[str] | None = None) -> dict[str, np.ndarray]:
    """``macro/{precision,recall,f1}``, ``f_avg``, ``accuracy``, ``<label>/{precision,recall,f1}``."""
    totals = np.asarray(totals)
    labels = _labels_from_columns(columns)
    k = len(labels)
    matrix = totals.reshape(*totals.shape[:-1], k, k + 1)  # [..., gold, pred (+ missing)]
    tp = np.diagonal(matrix[..., :k], axis1=-2, axis2=-1)
    n_gold = matrix.sum(axis=-1)
    n_pred = matrix[..., :k].sum(axis=-2)
    per_label = prf(tp, n_pred, n_gold)
    out: dict[str, np.ndarray] = {}
    for key, value in per_label.items():
        out[f"macro/{key}"] = defined_mean(value)
        for i, label in enumerate(labels):
            out[f"{label}/{key}"] = value[..., i]
    polar = tuple(polar) if polar is not None else tuple(labels[:2])
    out["f_avg"] = defined_mean(np.stack([per_label["f1"][..., labels.index(p)] for p in polar], axis=-1))
    out["accuracy"] = ratio(tp.sum(axis=-1), n_gold.sum(axis=-1))
    return out


def stance_scores(y_true: Sequence[str], y_pred: Sequence[str | None], labels: Sequence[str] | None = None,
                  polar: Sequence[str] | None = None) -> dict[str, Any]:
    """Every stance figure, plus ``confusion`` (``{gold: {pred: count}}``, ``<missing>`` included)."""
    table = stance_doc_counts(y_true, y_pred, labels=labels)
    totals = table.counts.sum(axis=0)
    scores: dict[str, Any] = {k: as_figure(v) for k, v in
                              stance_scores_from_counts(totals, table.columns, polar).items()}
    scores["confusion"] = confusion_from_counts(totals, table.columns)
    return scores


def confusion_from_counts(totals: np.ndarray, columns: Sequence[str]) -> dict[str, dict[str, int]]:
    """``{gold: {pred: count}}`` from summed confusion columns."""
    out: dict[str, dict[str, int]] = {}
    for column, value in zip(columns, np.asarray(totals).tolist(), strict=True):
        _, gold, pred = column.split("/")
        out.setdefault(gold, {})[pred] = int(value)
    return out


def stance_by_target(y_true: Sequence[str], y_pred: Sequence[str | None], targets: Sequence[str],
                     labels: Sequence[str],
                     polar: Sequence[str] | None = None) -> dict[str, dict[str, float]]:
    """Per target: ``n``, ``macro/f1``, ``f_avg`` and ``accuracy`` on that target's items."""
    by_target: dict[str, list[int]] = {}
    for i, target in enumerate(targets):
        by_target.setdefault(target, []).append(i)
    out: dict[str, dict[str, float]] = {}
    for target, items in sorted(by_target.items()):
        scores = stance_scores([y_true[i] for i in items], [y_pred[i] for i in items], labels, polar)
        out[target] = {"n": len(items), "macro/f1": scores["macro/f1"], "f_avg": scores["f_avg"],
                       "accuracy": scores["accuracy"]}
    return out
