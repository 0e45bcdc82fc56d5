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

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from benchmark.metrics.base import CountTable, as_figure, defined_mean, prf, ratio

__all__ = ["HolderOutcome", "holder_count_columns", "holder_doc_counts", "holder_outcomes",
           "holder_scores_from_counts", "stance_by_target", "stance_count_columns", "stance_doc_counts",
           "stance_scores", "stance_scores_from_counts"]

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
    polar = tuple(polar) if polar is not None else tuple(labels[:2])
    return _label_figures(labels, tp, matrix[..., :k].sum(axis=-2), matrix.sum(axis=-1), polar)


def _label_figures(labels: Sequence[str], tp: np.ndarray, n_pred: np.ndarray, n_gold: np.ndarray,
                   polar: Sequence[str]) -> dict[str, np.ndarray]:
    """Per-label and macro precision/recall/F1, F_avg over the polar labels and accuracy, from per-label
    true positives and prediction/gold totals (last axis = label)."""
    per_label = prf(tp, n_pred, n_gold)
    out: dict[str, np.ndarray] = {}
    for key, value in per_label.items():
        out[f"macro/{key}"] = defined_mean(value)
        for i, label in enumerate(labels):
            out[f"{label}/{key}"] = value[..., i]
    out["f_avg"] = defined_mean(np.stack([per_label["f1"][..., list(labels).index(p)] for p in polar], axis=-1))
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
        if not column.startswith("confusion/"):
            continue  # the holder columns of :func:`holder_doc_counts`
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


# --------------------------------------------------------------------------- quote holders, end to end
#
# The stance task's rows with a quote holder are posed end to end on the hidden split: the line
# names the quote (``{"id", "label", "quote": {"start", "end"}}``) and is right only when the quote
# is the gold holder quote and the label is right. A wrong quote is a wrong answer: it counts
# against the gold label (recall) and for the predicted one (precision), like a wrong label; it
# is kept in its own columns (``wrong_holder/<gold>/<pred>``) because the confusion matrix cannot
# hold "the right label for the wrong holder". Columns prefixed ``quote_holder/`` repeat the counts
# of the quote-holder rows, so article- and quote-holder figures come out apart.

QUOTE_PREFIX = "quote_holder/"


@dataclass(frozen=True, slots=True)
class HolderOutcome:
    """What one gold stance row got: the predicted label (``None``: no line) and whether the
    line's holder is the gold one (always true for an article holder)."""

    label: str | None
    holder_right: bool


def quote_spans_match(predicted: Mapping[str, Any] | None, start: int, end: int, text: str | None = None) -> bool:
    """The quote matching rule of the ``quotes`` task's headline: the same span, or (with ``text``) the
    same core span (:func:`benchmark.metrics.quotes.core_span`: edge quotation marks, punctuation and a
    leading complementizer trimmed)."""
    if not isinstance(predicted, Mapping) or not isinstance(predicted.get("start"), int) or not isinstance(
            predicted.get("end"), int):
        return False
    if (predicted["start"], predicted["end"]) == (start, end):
        return True
    if text is None or not 0 <= predicted["start"] < predicted["end"] <= len(text):
        return False
    from benchmark.metrics.quotes import core_span

    return core_span(text, predicted["start"], predicted["end"]) == core_span(text, start, end)


def _is_quote_row(row: Mapping[str, Any]) -> bool:
    kind = row.get("holder_kind")
    return kind == "quote" if kind is not None else row.get("holder", "article") != "article"


def _match(lines: Sequence[Mapping[str, Any]], spans: Sequence[tuple[int, int]], text: str | None) -> dict[int, int]:
    """A maximum matching ``{gold index: line index}`` of lines to gold quotes whose span they
    match (Kuhn's augmenting paths; a group is a handful of rows)."""
    owner: dict[int, int] = {}

    def place(line: int, seen: set[int]) -> bool:
        for gold, (start, end) in enumerate(spans):
            if gold in seen or not quote_spans_match(lines[line].get("quote"), start, end, text):
                continue
            seen.add(gold)
            if gold not in owner or place(owner[gold], seen):
                owner[gold] = line
                return True
        return False

    for line in range(len(lines)):
        place(line, set())
    return owner


def holder_outcomes(gold_rows: Sequence[Mapping[str, Any]],
                    predictions: Mapping[str, Mapping[str, Any]]) -> list[HolderOutcome]:
    """One :class:`HolderOutcome` per gold row, in order.

    An article-holder row gets its line's label. The quote-holder rows of one document and target
    are interchangeable to a system (nothing public tells them apart), so their lines are matched
    to their gold quotes as a set: a line whose quote matches a gold quote of the group answers
    that row (holder right); the other lines answer the group's remaining rows (holder wrong);
    rows left over have no answer.
    """
    outcomes: list[HolderOutcome | None] = [None] * len(gold_rows)
    groups: dict[tuple[Any, Any], list[int]] = {}
    for i, row in enumerate(gold_rows):
        if _is_quote_row(row):
            groups.setdefault((row["doc_id"], row["target"]), []).append(i)
        else:
            line = predictions.get(row["id"])
            outcomes[i] = HolderOutcome(None if line is None else line["label"], True)
    for members in groups.values():
        answered = [i for i in members if gold_rows[i]["id"] in predictions]
        lines = [predictions[gold_rows[i]["id"]] for i in answered]
        owner = _match(lines, [(gold_rows[i]["holder_start"], gold_rows[i]["holder_end"]) for i in members],
                       gold_rows[members[0]].get("text"))
        spare = [line for line in range(len(lines)) if line not in owner.values()]
        for position, i in enumerate(members):
            if position in owner:
                outcomes[i] = HolderOutcome(lines[owner[position]]["label"], True)
            elif spare:
                outcomes[i] = HolderOutcome(lines[spare.pop(0)]["label"], False)
            else:
                outcomes[i] = HolderOutcome(None, False)
    return [outcome for outcome in outcomes if outcome is not None]


def holder_count_columns(labels: Sequence[str]) -> tuple[str, ...]:
    """:func:`stance_count_columns`, ``wrong_holder/<gold>/<pred>``, and all of it again for the
    quote-holder rows alone (``quote_holder/…``)."""
    base = (*stance_count_columns(labels), *(f"wrong_holder/{g}/{p}" for g in labels for p in labels))
    return (*base, *(QUOTE_PREFIX + column for column in base))


def holder_doc_counts(gold_rows: Sequence[Mapping[str, Any]], predictions: Mapping[str, Mapping[str, Any]],
                      labels: Sequence[str]) -> CountTable:
    """Per document, the counts of :func:`holder_count_columns` (see :func:`holder_outcomes`)."""
    labels = tuple(labels)
    columns = holder_count_columns(labels)
    index = {column: i for i, column in enumerate(columns)}
    doc_index: dict[Any, int] = {}
    for row in gold_rows:
        doc_index.setdefault(row["doc_id"], len(doc_index))
    counts = np.zeros((len(doc_index), len(columns)), dtype=np.int64)
    for row, outcome in zip(gold_rows, holder_outcomes(gold_rows, predictions), strict=True):
        gold, pred = row["label"], outcome.label
        if gold not in labels:
            raise ValueError(f"gold label {gold!r} is not one of {list(labels)}")
        if pred is not None and pred not in labels:
            raise ValueError(f"predicted label {pred!r} is not one of {list(labels)}")
        if pred is None:
            column = f"confusion/{gold}/{MISSING}"
        elif outcome.holder_right:
            column = f"confusion/{gold}/{pred}"
        else:
            column = f"wrong_holder/{gold}/{pred}"
        counts[doc_index[row["doc_id"]], index[column]] += 1
        if _is_quote_row(row):
            counts[doc_index[row["doc_id"]], index[QUOTE_PREFIX + column]] += 1
    return CountTable(tuple(str(d) for d in doc_index), columns, counts)


def _matrices(totals: np.ndarray, columns: Sequence[str], prefix: str = "") -> tuple[list[str], Any, Any]:
    """``labels``, the ``[..., gold, pred + missing]`` confusion and ``[..., gold, pred]`` wrong-holder
    counts of ``prefix`` (``""``: every row; ``"quote_holder/"``: the quote-holder rows)."""
    labels = [c.split("/")[1] for c in columns if c.startswith("confusion/") and c.endswith(f"/{MISSING}")]
    k = len(labels)
    at = {column: i for i, column in enumerate(columns)}
    right = totals[..., [at[f"{prefix}confusion/{g}/{p}"] for g in labels for p in (*labels, MISSING)]]
    wrong = totals[..., [at[f"{prefix}wrong_holder/{g}/{p}"] for g in labels for p in labels]]
    return labels, right.reshape(*totals.shape[:-1], k, k + 1), wrong.reshape(*totals.shape[:-1], k, k)


def _holder_scores(labels: Sequence[str], right: np.ndarray, wrong: np.ndarray,
                   polar: Sequence[str]) -> dict[str, np.ndarray]:
    k = len(labels)
    tp = np.diagonal(right[..., :k], axis1=-2, axis2=-1)
    n_gold = right.sum(axis=-1) + wrong.sum(axis=-1)
    n_pred = right[..., :k].sum(axis=-2) + wrong.sum(axis=-2)
    out = _label_figures(labels, tp, n_pred, n_gold, polar)
    out["n"] = n_gold.sum(axis=-1).astype(float)
    return out


def holder_scores_from_counts(totals: np.ndarray, columns: Sequence[str],
                              polar: Sequence[str] | None = None) -> dict[str, np.ndarray]:
    """Every figure of :func:`stance_scores_from_counts` over all rows (a wrong holder quote is a
    wrong answer), then ``article_holder/…`` and ``quote_holder/…`` (``macro/f1``, ``f_avg``,
    ``accuracy``, ``n``) apart, and ``quote_holder/holder_accuracy``: the share of quote-holder
    rows whose line named the gold quote."""
    totals = np.asarray(totals)
    labels, right, wrong = _matrices(totals, columns)
    polar = tuple(polar) if polar is not None else tuple(labels[:2])
    out = _holder_scores(labels, right, wrong, polar)
    out.pop("n")
    _, q_right, q_wrong = _matrices(totals, columns, QUOTE_PREFIX)
    for name, (r, w) in (("article_holder", (right - q_right, wrong - q_wrong)), ("quote_holder", (q_right, q_wrong))):
        part = _holder_scores(labels, r, w, polar)
        for key in ("macro/f1", "f_avg", "accuracy", "n"):
            out[f"{name}/{key}"] = part[key]
    k = len(labels)
    out["quote_holder/holder_accuracy"] = ratio(q_right[..., :k].sum(axis=(-2, -1)),
                                                (q_right.sum(axis=-1) + q_wrong.sum(axis=-1)).sum(axis=-1))
    return out
