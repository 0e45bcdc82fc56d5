"""Quote attribution scoring: end-to-end F1, quote span F1 (exact and overlap), speaker accuracy.

Definitions (per document, then summed):

* **span_exact**: a predicted quote is a true positive when a gold quote has the same
  ``[start, end)``. P = tp / predicted quotes, R = tp / gold quotes.
* **span_overlap**: P = predicted quotes that overlap some gold quote / predicted quotes;
  R = gold quotes overlapped by some predicted quote / gold quotes (the lenient match of quote
  extraction papers; one prediction may cover two gold quotes).
* **e2e** (the headline): a span_exact match whose predicted speaker span is one of the spans of
  the gold speaker's entity cluster; when the gold quote has no named speaker, the prediction
  must say ``speaker: null``.
* **speaker_accuracy**: e2e matches / span_exact matches; **kind_accuracy** likewise for kinds.
* **by kind** (``kind/<k>/...``): the same P/R/F1 restricted to gold quotes of kind k and
  predicted quotes labelled k (a kind error costs both).
* **by speaker** (``speaker/<named|elided|unnamed>/...``) over gold quotes: ``named`` (speaker
  named at the quote), ``elided`` (speaker_elided: named earlier, ``وتابع: "…"``), ``unnamed``
  (no speaker in the text): e2e recall and speaker accuracy on the matched ones.

>>> gold = [[{"start": 10, "end": 20, "kind": "direct", "speaker_cluster": [{"start": 0, "end": 5}],
...           "speaker_elided": False}]]
>>> pred = [[{"start": 10, "end": 20, "kind": "direct", "speaker": {"start": 0, "end": 5}}]]
>>> quote_scores(gold, pred)["e2e/f1"]
1.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from benchmark.metrics.base import CountTable, as_figure, prf, ratio

__all__ = ["SPEAKER_GROUPS", "quote_count_columns", "quote_doc_counts", "quote_scores",
           "quote_scores_from_counts"]

SPEAKER_GROUPS: tuple[str, ...] = ("named", "elided", "unnamed")
_BASE = ("n_gold", "n_pred", "exact_tp", "pred_overlapping", "gold_overlapped", "e2e_tp", "kind_correct")


def quote_count_columns(kinds: Sequence[str]) -> tuple[str, ...]:
    """Columns of :func:`quote_doc_counts`' table."""
    columns = list(_BASE)
    for kind in kinds:
        columns += [f"kind/{kind}/{c}" for c in ("n_gold", "n_pred", "exact_tp", "e2e_tp")]
    for group in SPEAKER_GROUPS:
        columns += [f"speaker/{group}/n_gold", f"speaker/{group}/matched", f"speaker/{group}/e2e_tp"]
    return tuple(columns)


def _speaker_group(quote: Mapping[str, Any]) -> str:
    if not quote.get("speaker_cluster"):
        return "unnamed"
    return "elided" if quote.get("speaker_elided") else "named"


def _speaker_right(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> bool:
    speaker = pred.get("speaker")
    cluster = gold.get("speaker_cluster") or []
    if not cluster:
        return speaker is None
    if speaker is None:
        return False
    return any(m["start"] == speaker["start"] and m["end"] == speaker["end"] for m in cluster)


def quote_doc_counts(y_true: Sequence[Sequence[Mapping[str, Any]]],
                     y_pred: Sequence[Sequence[Mapping[str, Any]]],
                     kinds: Sequence[str] = ("direct", "indirect", "mixed"),
                     doc_ids: Sequence[str] | None = None) -> CountTable:
    """Per-document raw counts (columns: :func:`quote_count_columns`).

    ``y_true[i]``: gold quotes of document i as in the ``quotes`` task rows (``start``, ``end``,
    ``kind``, ``speaker_cluster``, ``speaker_elided``); ``y_pred[i]``: predicted quotes
    (``start``, ``end``, ``kind``, ``speaker``: ``{"start", "end"}`` or ``None``).
    """
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} documents but y_pred has {len(y_pred)}")
    columns = quote_count_columns(kinds)
    position = {c: i for i, c in enumerate(columns)}
    counts = np.zeros((len(y_true), len(columns)), dtype=np.int64)
    for d, (gold, pred) in enumerate(zip(y_true, y_pred, strict=True)):
        row = counts[d]

        def add(column: str, value: int = 1, row=row) -> None:
            if column in position:
                row[position[column]] += value

        add("n_gold", len(gold))
        add("n_pred", len(pred))
        by_span = {(g["start"], g["end"]): g for g in gold}
        overlapped = [False] * len(gold)
        for p in pred:
            add(f"kind/{p['kind']}/n_pred")
            hit = False
            for gi, g in enumerate(gold):
                if g["start"] < p["end"] and p["start"] < g["end"]:
                    overlapped[gi] = hit = True
            add("pred_overlapping", int(hit))
            g = by_span.get((p["start"], p["end"]))
            if g is None:
                continue
            group = _speaker_group(g)
            right = _speaker_right(g, p)
            add("exact_tp")
            add("e2e_tp", int(right))
            add("kind_correct", int(g["kind"] == p["kind"]))
            add(f"speaker/{group}/matched")
            add(f"speaker/{group}/e2e_tp", int(right))
            if g["kind"] == p["kind"]:
                add(f"kind/{g['kind']}/exact_tp")
                add(f"kind/{g['kind']}/e2e_tp", int(right))
        add("gold_overlapped", sum(overlapped))
        for g in gold:
            add(f"kind/{g['kind']}/n_gold")
            add(f"speaker/{_speaker_group(g)}/n_gold")
    ids = tuple(doc_ids) if doc_ids is not None else tuple(str(i) for i in range(len(y_true)))
    return CountTable(ids, columns, counts)


def quote_scores_from_counts(totals: np.ndarray, columns: Sequence[str]) -> dict[str, np.ndarray]:
    """Flat metrics from summed counts (leading axes kept): ``e2e/*``, ``span_exact/*``,
    ``span_overlap/*``, ``speaker_accuracy``, ``kind_accuracy``, ``kind/<k>/{exact,e2e}/*``,
    ``speaker/<group>/{e2e_recall,speaker_accuracy}``."""
    totals = np.asarray(totals)
    col = {name: totals[..., i] for i, name in enumerate(columns)}
    out: dict[str, np.ndarray] = {}
    for key, value in prf(col["e2e_tp"], col["n_pred"], col["n_gold"]).items():
        out[f"e2e/{key}"] = value
    for key, value in prf(col["exact_tp"], col["n_pred"], col["n_gold"]).items():
        out[f"span_exact/{key}"] = value
    precision = ratio(col["pred_overlapping"], col["n_pred"])
    recall = ratio(col["gold_overlapped"], col["n_gold"])
    out["span_overlap/precision"], out["span_overlap/recall"] = precision, recall
    out["span_overlap/f1"] = ratio(2 * precision * recall, precision + recall)
    # both sides empty: undefined; one side empty: 0 (as prf)
    empty = (col["n_pred"] + col["n_gold"]) == 0
    out["span_overlap/f1"] = np.where(empty, np.nan, np.nan_to_num(out["span_overlap/f1"], nan=0.0))
    out["speaker_accuracy"] = ratio(col["e2e_tp"], col["exact_tp"])
    out["kind_accuracy"] = ratio(col["kind_correct"], col["exact_tp"])
    kinds = [c.split("/")[1] for c in columns if c.startswith("kind/") and c.endswith("/n_gold")]
    for kind in kinds:
        for match in ("exact", "e2e"):
            scores = prf(col[f"kind/{kind}/{match}_tp"], col[f"kind/{kind}/n_pred"],
                         col[f"kind/{kind}/n_gold"])
            for key, value in scores.items():
                out[f"kind/{kind}/{match}/{key}"] = value
    for group in SPEAKER_GROUPS:
        out[f"speaker/{group}/e2e_recall"] = ratio(col[f"speaker/{group}/e2e_tp"],
                                                         col[f"speaker/{group}/n_gold"])
        out[f"speaker/{group}/speaker_accuracy"] = ratio(col[f"speaker/{group}/e2e_tp"],
                                                               col[f"speaker/{group}/matched"])
    return out


def quote_scores(y_true: Sequence[Sequence[Mapping[str, Any]]],
                 y_pred: Sequence[Sequence[Mapping[str, Any]]],
                 kinds: Sequence[str] = ("direct", "indirect", "mixed")) -> dict[str, Any]:
    """Every quote metric (flat names, see :func:`quote_scores_from_counts`) plus raw counts
    under ``counts``."""
    table = quote_doc_counts(y_true, y_pred, kinds)
    scores: dict[str, Any] = {k: as_figure(v) for k, v in
                              quote_scores_from_counts(table.counts.sum(axis=0), table.columns).items()}
    scores["counts"] = table.totals()
    return scores
