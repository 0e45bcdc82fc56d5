"""Entity span scoring on character offsets: strict span P/R/F1 and the SemEval-2013 schemes.

* **Strict span F1** (the headline, DESIGN §3): a predicted entity counts only if a gold entity
  of the same document has the same ``[start, end)`` and the same label. Micro over all
  entities, macro over labels, and per label. On a BIO view this equals seqeval's
  ``mode="strict", scheme=IOB2`` numbers (tested).
* **SemEval-2013 Task 9.1 schemes** (Segura-Bedmar et al. 2013, as implemented by nervaluate
  1.2.1, whose numbers these equal — tested): ``strict`` (boundaries and type), ``exact``
  (boundaries only), ``partial`` (overlap counts half), ``ent_type`` (overlap and type), with the
  raw counts ``correct, incorrect, partial, missed, spurious, possible, actual``. As in
  nervaluate, a prediction overlaps a gold entity when the overlap covers at least
  ``min_overlap_percentage`` (default 1.0) percent of the gold span, and predictions are matched
  greedily in document order (sorted by start, end, label).

Speed: everything is numpy over all documents at once. Exact matches use sorted integer keys;
the SemEval matching finds, for every entity, how many entities of the other side overlap it
(two ``searchsorted`` calls). Isolated entities and isolated one-to-one pairs — nearly all of
them — are classified with array operations; only the rare entities that overlap several
others run nervaluate's greedy loop in Python.

>>> gold = [[(0, 5, "PER"), (10, 16, "LOC")]]
>>> pred = [[(0, 5, "PER"), (10, 14, "LOC")]]
>>> report = ner_scores(gold, pred)
>>> round(report["strict"]["f1"], 3), report["schemes"]["partial"]["partial"]
(0.5, 1)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from benchmark.metrics.base import CountTable, as_figure, defined_mean, prf, ratio

__all__ = [
    "CATEGORIES",
    "OUTERMOST_COLUMNS",
    "SCHEMES",
    "SpanArrays",
    "ner_count_columns",
    "ner_doc_counts",
    "ner_f1",
    "ner_outermost_counts",
    "ner_outermost_scores",
    "ner_outermost_scores_from_counts",
    "ner_scores",
    "ner_scores_from_counts",
    "outermost_mask",
]

SCHEMES: tuple[str, ...] = ("strict", "exact", "partial", "ent_type")
"""SemEval-2013 §9.1 evaluation schemes, with nervaluate's names."""
CATEGORIES: tuple[str, ...] = ("correct", "incorrect", "partial", "missed", "spurious")
"""Raw outcome categories of the SemEval schemes."""

_CORRECT, _INCORRECT, _PARTIAL, _MISSED, _SPURIOUS = range(5)

SpanLike = tuple[int, int, str] | Mapping[str, Any]


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class SpanArrays:
    """Entities of many documents as parallel arrays, sorted by (doc, start, end, label)."""

    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray
    label: np.ndarray

    def __len__(self) -> int:
        return len(self.doc)

    def take(self, mask: np.ndarray) -> SpanArrays:
        return SpanArrays(self.doc[mask], self.start[mask], self.end[mask], self.label[mask])

    @staticmethod
    def from_docs(docs: Sequence[Sequence[SpanLike]], label_index: Mapping[str, int]) -> SpanArrays:
        """Read ``(start, end, label)`` tuples or ``{"start", "end", "label"}`` dicts per document."""
        doc_ids: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        labels: list[int] = []
        for i, spans in enumerate(docs):
            if not spans:
                continue
            try:  # fast path: a document's spans all of one shape
                if isinstance(spans[0], Mapping):
                    new = ([s["start"] for s in spans], [s["end"] for s in spans],
                           [label_index[s["label"]] for s in spans])
                else:
                    new = ([s[0] for s in spans], [s[1] for s in spans], [label_index[s[2]] for s in spans])
            except (KeyError, TypeError, IndexError):
                new = _read_slowly(i, spans, label_index)
            starts += new[0]
            ends += new[1]
            labels += new[2]
            doc_ids += [i] * len(new[0])
        arrays = [np.asarray(x, dtype=np.int64) for x in (doc_ids, starts, ends, labels)]
        if len(arrays[0]) and (arrays[2] <= arrays[1]).any():
            bad = int(np.flatnonzero(arrays[2] <= arrays[1])[0])
            raise ValueError(f"document {arrays[0][bad]}: span [{arrays[1][bad]}, {arrays[2][bad]}) is empty "
                             "or reversed")
        order = np.lexsort((arrays[3], arrays[2], arrays[1], arrays[0]))
        return SpanArrays(*(a[order] for a in arrays))


def _read_slowly(doc: int, spans: Sequence[SpanLike], label_index: Mapping[str, int]
                 ) -> tuple[list[int], list[int], list[int]]:
    """Read one document span by span, naming the first bad one."""
    starts, ends, labels = [], [], []
    for span in spans:
        try:
            start, end, label = ((span["start"], span["end"], span["label"]) if isinstance(span, Mapping)
                                 else tuple(span))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"document {doc}: {span!r} is not a (start, end, label) tuple or a "
                             "{'start', 'end', 'label'} dict") from error
        if label not in label_index:
            raise ValueError(f"document {doc}: label {label!r} is not one of {sorted(label_index)}; "
                             "pass labels=... with every label used")
        starts.append(start)
        ends.append(end)
        labels.append(label_index[label])
    return starts, ends, labels


def _label_order(y_true: Sequence[Sequence[SpanLike]], y_pred: Sequence[Sequence[SpanLike]],
                 labels: Sequence[str] | None) -> tuple[str, ...]:
    if labels is not None:
        return tuple(labels)
    seen: set[str] = set()
    for docs in (y_true, y_pred):
        for spans in docs:
            for span in spans:
                seen.add(span["label"] if isinstance(span, Mapping) else span[2])
    return tuple(sorted(seen))


# --------------------------------------------------------------------------- strict (exact key match)


def _keys(spans: SpanArrays, n_offsets: int, n_labels: int) -> np.ndarray | None:
    """One int64 per entity encoding (doc, start, end, label), or None when it would overflow."""
    if len(spans) == 0:
        return np.zeros(0, dtype=np.int64)
    n_docs = int(spans.doc.max()) + 1
    if float(n_docs) * n_offsets * n_offsets * n_labels >= 2.0**62:
        return None
    return ((spans.doc * n_offsets + spans.start) * n_offsets + spans.end) * n_labels + spans.label


def _strict_matches(gold: SpanArrays, pred: SpanArrays, n_labels: int) -> tuple[np.ndarray, np.ndarray]:
    """(doc, label) of every matched pair (same doc, start, end, label; duplicates matched once each)."""
    n_offsets = int(max(gold.end.max(initial=0), pred.end.max(initial=0))) + 1
    gold_keys, pred_keys = _keys(gold, n_offsets, n_labels), _keys(pred, n_offsets, n_labels)
    if gold_keys is None or pred_keys is None:  # huge offsets: number the distinct rows instead
        rows = np.concatenate([np.stack([a.doc, a.start, a.end, a.label], axis=1) for a in (gold, pred)])
        _, inverse = np.unique(rows, axis=0, return_inverse=True)
        inverse = inverse.ravel().astype(np.int64)
        gold_keys, pred_keys = inverse[: len(gold)], inverse[len(gold):]
    gold_unique, gold_count = np.unique(gold_keys, return_counts=True)
    pred_unique, pred_count = np.unique(pred_keys, return_counts=True)
    _, gi, pi = np.intersect1d(gold_unique, pred_unique, assume_unique=True, return_indices=True)
    sorter = np.argsort(gold_keys, kind="stable")
    rows = sorter[np.searchsorted(gold_keys[sorter], gold_unique[gi])]  # one gold row per matched key
    multiplicity = np.minimum(gold_count[gi], pred_count[pi])
    return np.repeat(gold.doc[rows], multiplicity), np.repeat(gold.label[rows], multiplicity)


# --------------------------------------------------------------------------- SemEval schemes


def _overlap_degree(a: SpanArrays, b: SpanArrays, n_offsets: int) -> tuple[np.ndarray, np.ndarray]:
    """For every entity of ``a``: how many entities of ``b`` (same doc) overlap it, and the index
    of the last ``b`` entity (in sort order) that starts before it ends (-1 if none)."""
    if len(a) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    start_keys = b.doc * n_offsets + b.start  # sorted, as b is sorted by (doc, start, ...)
    end_keys = np.sort(b.doc * n_offsets + b.end)
    doc_base = a.doc * n_offsets
    doc_first = np.searchsorted(start_keys, doc_base, "left")
    starts_before_end = np.searchsorted(start_keys, doc_base + a.end, "left")
    ends_before_start = (np.searchsorted(end_keys, doc_base + a.start, "right")
                         - np.searchsorted(end_keys, doc_base, "left"))
    degree = (starts_before_end - doc_first) - ends_before_start
    return degree, starts_before_end - 1


def _enough_overlap(p_start, p_end, g_start, g_end, min_overlap_percentage: float):
    """nervaluate's test: the overlap covers ``min_overlap_percentage`` % of the gold span."""
    overlap = np.minimum(p_end, g_end) - np.maximum(p_start, g_start)
    length = g_end - g_start
    return (overlap > 0) & ((overlap / length) * 100.0 >= min_overlap_percentage)


def _greedy_document(gold: list[tuple[int, int, int]], pred: list[tuple[int, int, int]],
                     min_overlap_percentage: float) -> np.ndarray:
    """nervaluate 1.2.1's per-document greedy matching for the four schemes: counts (4, 5)."""
    out = np.zeros((4, 5), dtype=np.int64)

    def overlaps(p, t) -> bool:
        if p[0] >= t[1] or p[1] <= t[0]:
            return False
        return ((min(p[1], t[1]) - max(p[0], t[0])) / (t[1] - t[0])) * 100.0 >= min_overlap_percentage

    for scheme in range(4):
        counts = out[scheme]
        matched: set[int] = set()
        for p in pred:
            found, candidate, best_distance = False, -1, None
            for ti, t in enumerate(gold):
                if ti in matched:
                    continue
                same_bounds = p[0] == t[0] and p[1] == t[1]
                if scheme in (0, 1):  # strict / exact: exact match wins at once
                    if same_bounds and (scheme == 1 or p[2] == t[2]):
                        counts[_CORRECT] += 1
                        matched.add(ti)
                        found = True
                        break
                    if candidate < 0 and overlaps(p, t):
                        candidate = ti
                elif scheme == 2:  # partial
                    if overlaps(p, t):
                        if same_bounds:
                            counts[_CORRECT] += 1
                            matched.add(ti)
                            found = True
                            break
                        if candidate < 0:
                            candidate = ti
                elif overlaps(p, t):  # ent_type: same label, closest boundaries
                    if p[2] == t[2]:
                        distance = abs(p[0] - t[0]) + abs(p[1] - t[1])
                        if best_distance is None or distance < best_distance:
                            best_distance, best = distance, ti
                    elif candidate < 0:
                        candidate = ti
            if scheme == 3 and best_distance is not None:
                counts[_CORRECT] += 1
                matched.add(best)
            elif not found:
                if candidate >= 0:
                    counts[_PARTIAL if scheme == 2 else _INCORRECT] += 1
                    matched.add(candidate)
                else:
                    counts[_SPURIOUS] += 1
        counts[_MISSED] += len(gold) - len(matched)
    return out


def _semeval_counts(gold: SpanArrays, pred: SpanArrays, n_docs: int,
                    min_overlap_percentage: float) -> np.ndarray:
    """Per-document SemEval counts, shape (n_docs, 4 schemes, 5 categories)."""
    out = np.zeros((n_docs, 4, 5), dtype=np.int64)
    n_offsets = int(max(gold.end.max(initial=0), pred.end.max(initial=0))) + 1
    pred_degree, pred_candidate = _overlap_degree(pred, gold, n_offsets)
    gold_degree, _ = _overlap_degree(gold, pred, n_offsets)

    def add(doc: np.ndarray, scheme_categories: np.ndarray) -> None:
        """``scheme_categories``: (n, 4) category per scheme for entities of documents ``doc``."""
        for scheme in range(4):
            out[:, scheme, :] += np.bincount(doc * 5 + scheme_categories[:, scheme],
                                             minlength=n_docs * 5).reshape(n_docs, 5)

    # isolated entities
    lonely_gold, lonely_pred = gold_degree == 0, pred_degree == 0
    out[:, :, _MISSED] += np.bincount(gold.doc[lonely_gold], minlength=n_docs)[:, None]
    out[:, :, _SPURIOUS] += np.bincount(pred.doc[lonely_pred], minlength=n_docs)[:, None]

    # one-to-one pairs: a prediction overlapping exactly one gold entity that overlaps only it
    candidate = np.where(pred_degree == 1, pred_candidate, 0)
    paired = pred_degree == 1
    if len(gold):
        paired &= gold_degree[candidate] == 1
        paired &= (gold.end[candidate] > pred.start) & (gold.start[candidate] < pred.end)
    else:
        paired[:] = False
    p_index = np.flatnonzero(paired)
    g_index = candidate[p_index]
    ps, pe, pl = pred.start[p_index], pred.end[p_index], pred.label[p_index]
    gs, ge, gl = gold.start[g_index], gold.end[g_index], gold.label[g_index]
    doc = pred.doc[p_index]
    enough = _enough_overlap(ps, pe, gs, ge, min_overlap_percentage)
    same_bounds = (ps == gs) & (pe == ge)
    same_label = pl == gl
    categories = np.empty((len(p_index), 4), dtype=np.int64)
    categories[:, 0] = np.where(same_bounds & same_label, _CORRECT, _INCORRECT)
    categories[:, 1] = np.where(same_bounds, _CORRECT, _INCORRECT)
    categories[:, 2] = np.where(same_bounds, _CORRECT, _PARTIAL)
    categories[:, 3] = np.where(same_label, _CORRECT, _INCORRECT)
    add(doc[enough], categories[enough])
    # a pair whose overlap is too small is a missed gold plus a spurious prediction
    out[:, :, _MISSED] += np.bincount(doc[~enough], minlength=n_docs)[:, None]
    out[:, :, _SPURIOUS] += np.bincount(doc[~enough], minlength=n_docs)[:, None]

    # everything else overlaps several entities: nervaluate's greedy loop, per document
    gold_done = lonely_gold.copy()
    gold_done[g_index] = True
    pred_done = lonely_pred | paired
    rest_gold, rest_pred = gold.take(~gold_done), pred.take(~pred_done)
    if len(rest_gold) or len(rest_pred):
        by_doc_gold: dict[int, list[tuple[int, int, int]]] = {}
        by_doc_pred: dict[int, list[tuple[int, int, int]]] = {}
        for target, arrays in ((by_doc_gold, rest_gold), (by_doc_pred, rest_pred)):
            for d, s, e, lab in zip(arrays.doc.tolist(), arrays.start.tolist(), arrays.end.tolist(),
                                    arrays.label.tolist(), strict=True):
                target.setdefault(d, []).append((s, e, lab))
        for d in set(by_doc_gold) | set(by_doc_pred):
            out[d] += _greedy_document(by_doc_gold.get(d, []), by_doc_pred.get(d, []), min_overlap_percentage)
    return out


# --------------------------------------------------------------------------- public API


def ner_count_columns(labels: Sequence[str]) -> tuple[str, ...]:
    """Column names of :func:`ner_doc_counts`' table.

    ``strict/tp|n_pred|n_gold`` (overall), ``strict/<LABEL>/...`` per label,
    ``scheme/<scheme>/<category>`` and ``scheme/<scheme>/<LABEL>/<category>``.
    """
    columns = ["strict/tp", "strict/n_pred", "strict/n_gold"]
    for label in labels:
        columns += [f"strict/{label}/tp", f"strict/{label}/n_pred", f"strict/{label}/n_gold"]
    for scheme in SCHEMES:
        columns += [f"scheme/{scheme}/{c}" for c in CATEGORIES]
        for label in labels:
            columns += [f"scheme/{scheme}/{label}/{c}" for c in CATEGORIES]
    return tuple(columns)


def ner_doc_counts(y_true: Sequence[Sequence[SpanLike]], y_pred: Sequence[Sequence[SpanLike]],
                   labels: Sequence[str] | None = None, doc_ids: Sequence[str] | None = None,
                   min_overlap_percentage: float = 1.0, schemes: bool = True) -> CountTable:
    """Per-document raw counts for every NER figure (columns: :func:`ner_count_columns`).

    ``y_true[i]`` and ``y_pred[i]`` are the entities of document ``i``: ``(start, end, label)``
    tuples or ``{"start", "end", "label"}`` dicts. ``schemes=False`` skips the SemEval counts
    (their columns are then zero), for when only strict figures are needed.
    """
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} documents but y_pred has {len(y_pred)}")
    labels = _label_order(y_true, y_pred, labels)
    index = {label: i for i, label in enumerate(labels)}
    n_docs, n_labels = len(y_true), len(labels)
    gold, pred = SpanArrays.from_docs(y_true, index), SpanArrays.from_docs(y_pred, index)

    match_doc, match_label = _strict_matches(gold, pred, max(n_labels, 1))

    def per_doc_label(doc: np.ndarray, label: np.ndarray) -> np.ndarray:
        return np.bincount(doc * n_labels + label, minlength=n_docs * n_labels).reshape(n_docs, n_labels)

    tp, n_pred, n_gold = (per_doc_label(match_doc, match_label), per_doc_label(pred.doc, pred.label),
                          per_doc_label(gold.doc, gold.label))
    blocks = [np.stack([tp.sum(1), n_pred.sum(1), n_gold.sum(1)], axis=1),
              np.stack([tp, n_pred, n_gold], axis=2).reshape(n_docs, 3 * n_labels)]
    semeval = np.zeros((n_docs, 4, 1 + n_labels, 5), dtype=np.int64)
    if schemes:
        semeval[:, :, 0, :] = _semeval_counts(gold, pred, n_docs, min_overlap_percentage)
        for li in range(n_labels):
            semeval[:, :, 1 + li, :] = _semeval_counts(gold.take(gold.label == li),
                                                       pred.take(pred.label == li),
                                                       n_docs, min_overlap_percentage)
    blocks.append(semeval.reshape(n_docs, -1))
    ids = tuple(doc_ids) if doc_ids is not None else tuple(str(i) for i in range(n_docs))
    return CountTable(ids, ner_count_columns(labels), np.concatenate(blocks, axis=1).astype(np.int64))


def _scheme_scores(counts: dict[str, np.ndarray], scheme: str) -> dict[str, np.ndarray]:
    correct, incorrect, partial, missed, spurious = (counts[c] for c in CATEGORIES)
    actual = correct + incorrect + partial + spurious
    possible = correct + incorrect + partial + missed
    hits = correct + 0.5 * partial if scheme in ("partial", "ent_type") else correct
    # F1 = 2PR/(P+R) = 2·hits/(actual+possible): defined whenever either side has an entity
    return {"possible": possible, "actual": actual, "precision": ratio(hits, actual),
            "recall": ratio(hits, possible), "f1": ratio(2 * hits, actual + possible)}


def ner_scores_from_counts(totals: np.ndarray, columns: Sequence[str]) -> dict[str, np.ndarray]:
    """Flat metrics from summed counts (``totals[..., len(columns)]``; leading axes are kept).

    Keys: ``strict/{precision,recall,f1}``, ``macro/{precision,recall,f1}`` (mean over the labels
    whose figure is defined: for F1 the labels that occur in gold or predictions, as seqeval),
    ``strict/<LABEL>/...``,
    ``<scheme>/{precision,recall,f1,possible,actual}`` and per label ``<scheme>/<LABEL>/...``.
    """
    totals = np.asarray(totals)
    col = {name: totals[..., i] for i, name in enumerate(columns)}
    labels = [c.split("/")[1] for c in columns if c.startswith("strict/") and c.count("/") == 2
              and c.endswith("/tp")]
    out: dict[str, np.ndarray] = {}
    for key, value in prf(col["strict/tp"], col["strict/n_pred"], col["strict/n_gold"]).items():
        out[f"strict/{key}"] = value
    per_label = []
    for label in labels:
        scores = prf(col[f"strict/{label}/tp"], col[f"strict/{label}/n_pred"], col[f"strict/{label}/n_gold"])
        for key, value in scores.items():
            out[f"strict/{label}/{key}"] = value
        per_label.append(scores)
    if labels:  # over the labels whose figure is defined (F1: labels in gold or predictions, as seqeval)
        for key in ("precision", "recall", "f1"):
            out[f"macro/{key}"] = defined_mean(np.stack([s[key] for s in per_label], axis=-1))
    for scheme in SCHEMES:
        if f"scheme/{scheme}/correct" not in col:
            continue
        for prefix in ["", *(f"{label}/" for label in labels)]:
            counts = {c: col[f"scheme/{scheme}/{prefix}{c}"] for c in CATEGORIES}
            for key, value in _scheme_scores(counts, scheme).items():
                out[f"{scheme}/{prefix}{key}"] = value
    return out


def ner_scores(y_true: Sequence[Sequence[SpanLike]], y_pred: Sequence[Sequence[SpanLike]],
               labels: Sequence[str] | None = None, min_overlap_percentage: float = 1.0) -> dict[str, Any]:
    """A nested report: strict micro/macro/per-label P/R/F1 and the four SemEval schemes.

    Returns ``{"strict": {precision, recall, f1, tp, n_pred, n_gold}, "macro": {...},
    "per_label": {LABEL: {...}}, "schemes": {scheme: {correct, incorrect, partial, missed,
    spurious, possible, actual, precision, recall, f1}}, "schemes_per_label": {LABEL: {scheme:
    {...}}}}``. An undefined figure (0/0: precision without predictions …) is ``None``.
    """
    labels = _label_order(y_true, y_pred, labels)
    table = ner_doc_counts(y_true, y_pred, labels, min_overlap_percentage=min_overlap_percentage)
    totals = table.counts.sum(axis=0)
    flat = {k: as_figure(v) for k, v in ner_scores_from_counts(totals, table.columns).items()}
    raw = table.totals()
    report: dict[str, Any] = {
        "strict": {**{k: flat[f"strict/{k}"] for k in ("precision", "recall", "f1")},
                   "tp": raw["strict/tp"], "n_pred": raw["strict/n_pred"], "n_gold": raw["strict/n_gold"]},
        "macro": {k: flat.get(f"macro/{k}") for k in ("precision", "recall", "f1")},
        "per_label": {}, "schemes": {}, "schemes_per_label": {},
    }
    for label in labels:
        report["per_label"][label] = {
            **{k: flat[f"strict/{label}/{k}"] for k in ("precision", "recall", "f1")},
            **{k: raw[f"strict/{label}/{k}"] for k in ("tp", "n_pred", "n_gold")}}
    for scheme in SCHEMES:
        report["schemes"][scheme] = {**{c: raw[f"scheme/{scheme}/{c}"] for c in CATEGORIES},
                                     **{k: flat[f"{scheme}/{k}"] for k in ("possible", "actual", "precision",
                                                                         "recall", "f1")}}
        for label in labels:
            report["schemes_per_label"].setdefault(label, {})[scheme] = {
                **{c: raw[f"scheme/{scheme}/{label}/{c}"] for c in CATEGORIES},
                **{k: flat[f"{scheme}/{label}/{k}"]
                   for k in ("possible", "actual", "precision", "recall", "f1")}}
    return report


def ner_f1(y_true: Sequence[Sequence[SpanLike]], y_pred: Sequence[Sequence[SpanLike]],
           labels: Sequence[str] | None = None) -> float | None:
    """Strict span micro-F1 only (the headline), without the SemEval matching; ``None`` when
    there is no entity on either side.

    >>> ner_f1([[(0, 3, "PER")]], [[(0, 3, "PER"), (5, 7, "LOC")]], labels=["PER", "LOC"])
    0.6666666666666666
    """
    table = ner_doc_counts(y_true, y_pred, labels, schemes=False)
    totals = table.totals()
    return as_figure(prf(np.array(totals["strict/tp"]), np.array(totals["strict/n_pred"]),
                         np.array(totals["strict/n_gold"]))["f1"])


# --------------------------------------------------------------------------- outermost layer (nested NER)

OUTERMOST_COLUMNS: tuple[str, ...] = ("outermost/tp", "outermost/n_pred", "outermost/n_gold")
"""Columns of :func:`ner_outermost_counts`."""


def outermost_mask(spans: SpanArrays) -> np.ndarray:
    """Which entities are not inside another entity of their document (the outermost layer).

    An entity is outermost when no other entity of the document contains it; entities with the
    same span (two labels in predictions) share the outcome.

    >>> spans = SpanArrays.from_docs([[(0, 9, "ORG"), (4, 9, "LOC"), (10, 12, "PER")], [(4, 9, "LOC")]],
    ...                              {"ORG": 0, "LOC": 1, "PER": 2})
    >>> outermost_mask(spans).tolist()
    [True, False, True, True]
    """
    n = len(spans)
    if n == 0:
        return np.zeros(0, dtype=bool)
    order = np.lexsort((-spans.end, spans.start, spans.doc))  # in a document: by start, longest first
    doc, start, end = spans.doc[order], spans.start[order], spans.end[order]
    key = doc * (int(end.max()) + 1) + end  # keys grow with the document: a running max stays per document
    reach = np.maximum.accumulate(key)
    outer = np.ones(n, dtype=bool)
    outer[1:] = key[1:] > reach[:-1]
    same = np.zeros(n, dtype=bool)
    same[1:] = (doc[1:] == doc[:-1]) & (start[1:] == start[:-1]) & (end[1:] == end[:-1])
    for i in np.flatnonzero(same).tolist():  # a repeated span (another label) is as outer as its twin
        outer[i] = outer[i - 1]
    mask = np.empty(n, dtype=bool)
    mask[order] = outer
    return mask


def ner_outermost_counts(y_true: Sequence[Sequence[SpanLike]], y_pred: Sequence[Sequence[SpanLike]],
                         labels: Sequence[str] | None = None, doc_ids: Sequence[str] | None = None) -> CountTable:
    """Per-document strict counts on the outermost layer only (columns :data:`OUTERMOST_COLUMNS`).

    Gold and predictions are each cut to their outermost entities (:func:`outermost_mask`) and
    matched strictly. On a corpus without nesting these equal ``strict/tp|n_pred|n_gold``; with
    nesting they show what a one-layer tagger (BIO, a CRF) can reach, beside the all-layer figures.

    >>> table = ner_outermost_counts([[(0, 9, "ORG"), (4, 9, "LOC")]], [[(0, 9, "ORG")]])
    >>> table.totals()
    {'outermost/tp': 1, 'outermost/n_pred': 1, 'outermost/n_gold': 1}
    """
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} documents but y_pred has {len(y_pred)}")
    labels = _label_order(y_true, y_pred, labels)
    index = {label: i for i, label in enumerate(labels)}
    n_docs = len(y_true)
    gold, pred = SpanArrays.from_docs(y_true, index), SpanArrays.from_docs(y_pred, index)
    gold, pred = gold.take(outermost_mask(gold)), pred.take(outermost_mask(pred))
    match_doc, _ = _strict_matches(gold, pred, max(len(labels), 1))
    counts = np.stack([np.bincount(d, minlength=n_docs) for d in (match_doc, pred.doc, gold.doc)], axis=1)
    ids = tuple(doc_ids) if doc_ids is not None else tuple(str(i) for i in range(n_docs))
    return CountTable(ids, OUTERMOST_COLUMNS, counts.astype(np.int64))


def ner_outermost_scores_from_counts(totals: np.ndarray, columns: Sequence[str]) -> dict[str, np.ndarray]:
    """``outermost/{precision,recall,f1}`` from summed counts that hold :data:`OUTERMOST_COLUMNS`
    (an empty dict when they do not; leading axes are kept, as in :func:`ner_scores_from_counts`)."""
    if not set(OUTERMOST_COLUMNS) <= set(columns):
        return {}
    totals = np.asarray(totals)
    tp, n_pred, n_gold = (totals[..., list(columns).index(name)] for name in OUTERMOST_COLUMNS)
    return {f"outermost/{key}": value for key, value in prf(tp, n_pred, n_gold).items()}


def ner_outermost_scores(y_true: Sequence[Sequence[SpanLike]], y_pred: Sequence[Sequence[SpanLike]],
                         labels: Sequence[str] | None = None) -> dict[str, Any]:
    """Strict P/R/F1 (``None`` when undefined) and raw counts on the outermost layer:
    ``{precision, recall, f1, tp, n_pred, n_gold}``.

    >>> ner_outermost_scores([[(0, 9, "ORG"), (4, 9, "LOC")]], [[(0, 9, "ORG")]])["f1"]
    1.0
    """
    table = ner_outermost_counts(y_true, y_pred, labels)
    raw = table.totals()
    scores = {k.split("/")[1]: as_figure(v) for k, v in  # None when undefined (0/0), as every plain scorer
              ner_outermost_scores_from_counts(table.counts.sum(axis=0), table.columns).items()}
    return {**scores, **{k.split("/")[1]: v for k, v in raw.items()}}
