"""Quote attribution scoring: end-to-end F1 at three matching levels, span F1, speaker accuracy.

A predicted quote is paired with at most one gold quote (and vice versa) at three levels, each
containing the one before:

* **exact**: the same ``[start, end)``.
* **robust** (the headline's level): the same *core* span. The core is the span without the
  quotation marks, whitespace and punctuation at its edges and without a leading complementizer
  token (أن، إن، أنّ، بأن، وأن، فإن … also with a pronoun suffix: أنه، إنها، بأنهم …), repeatedly:
  ``أن "سنزور روسيا".`` and ``«سنزور روسيا»`` share the core ``سنزور روسيا``. Two reasonable
  annotation conventions (complementizer and quotation marks inside or outside the span) thus
  score the same, while every content word must still agree.
* **overlap**: the robust pairs, then greedily (highest first) pairs whose cores share at least
  half of their word tokens (token Jaccard ≥ 0.5; tokens of :func:`benchmark.text.tokenize`
  that contain a letter or digit) — a partial-match figure in the spirit of PARC's partial
  scores, one-to-one so that it is an F1 like the others.

Figures (per document counts, then summed):

* **e2e** (the headline, robust level): a robust pair whose predicted speaker span is one of the
  spans of the gold speaker's entity cluster; when the gold quote has no named speaker, the
  prediction must say ``speaker: null``. **e2e_exact** and **e2e_overlap**: the same at the
  exact and overlap levels.
* **span_exact**, **span_robust**: quote spans only. **span_overlap**: P = predicted quotes
  that overlap some gold quote / predicted quotes; R = gold quotes overlapped by some
  predicted quote / gold quotes (the lenient match of quote extraction papers).
* **speaker_accuracy**: e2e / robust pairs; **kind_accuracy** likewise for kinds.
* **by kind** (``kind/<k>/{exact,e2e}/...``): span_exact and e2e restricted to gold quotes of
  kind k and predicted quotes labelled k (a kind error costs both).
* **by speaker** (``speaker/<named|elided|unnamed>/...``) over gold quotes: ``named`` (speaker
  named at the quote), ``elided`` (speaker_elided: named earlier, ``وتابع: "…"``), ``unnamed``
  (no speaker in the text): e2e recall and speaker accuracy on the robust pairs.
* **e2e_v1** (comparable with quotes v1.x): the e2e pairs, but a gold quote whose speaker is a
  ``SOURCE`` (an unnamed source, guidelines 2.0 §5.7; v1.x gold had no speaker there) is also
  right with no predicted speaker. On gold without ``SOURCE`` speakers it equals e2e.
* **by speaker type** (``speaker_type/<entity|source|none>/...``): what the gold speaker is — an
  entity mention, a ``SOURCE`` mention, or none — with e2e recall and speaker accuracy as above.
  A gold quote says its type in ``speaker_type`` (:func:`with_speaker_types` adds it from the
  gold row's entities); without it, a speaker cluster counts as ``entity``.

Undefined figures (0/0) are NaN in :func:`quote_scores_from_counts` and ``None`` in
:func:`quote_scores`.

>>> text = 'قال بوتين إن "روسيا مستعدة".'
>>> gold = [[{"start": 10, "end": 27, "kind": "indirect", "speaker_cluster": [{"start": 4, "end": 9}],
...           "speaker_elided": False}]]
>>> pred = [[{"start": 14, "end": 26, "kind": "indirect", "speaker": {"start": 4, "end": 9}}]]
>>> scores = quote_scores(gold, pred, texts=[text])
>>> scores["e2e/f1"], scores["e2e_exact/f1"]
(1.0, 0.0)
>>> core_span(text, 10, 27), text[14:26]
((14, 26), 'روسيا مستعدة')
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from benchmark.metrics.base import CountTable, as_figure, prf, ratio

__all__ = [
    "MATCH_LEVELS",
    "OVERLAP_THRESHOLD",
    "SPEAKER_GROUPS",
    "SPEAKER_TYPES",
    "core_span",
    "is_complementizer",
    "match_quotes",
    "quote_count_columns",
    "quote_doc_counts",
    "quote_scores",
    "quote_scores_from_counts",
    "speaker_right",
    "speaker_right_v1",
    "with_speaker_types",
]

SPEAKER_GROUPS: tuple[str, ...] = ("named", "elided", "unnamed")
SPEAKER_TYPES: tuple[str, ...] = ("entity", "source", "none")
"""What a gold quote's speaker is: an entity mention, a ``SOURCE`` mention (guidelines 2.0 §5.7), none."""
MATCH_LEVELS: tuple[str, ...] = ("exact", "robust", "overlap")
"""Quote matching levels, each containing the one before (see the module docstring)."""
OVERLAP_THRESHOLD = 0.5
"""Least token Jaccard of two cores for an ``overlap`` pair."""

_BASE = ("n_gold", "n_pred", "exact_tp", "robust_tp", "overlap_tp", "pred_overlapping", "gold_overlapped",
         "e2e_exact_tp", "e2e_tp", "e2e_overlap_tp", "e2e_v1_tp", "kind_correct")

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_COMPLEMENTIZER = re.compile("^[وف]?ب?[أإا]نن?(?:ه|ها|هم|هما|هن|ني|ي|نا|ك|كم|كما)?$")


def is_complementizer(word: str) -> bool:
    """True for a complementizer token that may open an indirect quote (diacritics and tatweel ignored).

    >>> [is_complementizer(w) for w in ("أن", "إنّ", "بأنه", "وأنها", "إنني", "لأن", "الأمن")]
    [True, True, True, True, True, False, False]
    """
    return bool(_COMPLEMENTIZER.match(_DIACRITICS.sub("", word)))


def _is_edge(char: str) -> bool:
    """Whitespace, punctuation (quotation marks included) and invisible format marks."""
    return char.isspace() or unicodedata.category(char)[0] in "PC"


def core_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without edge quotation marks, whitespace, punctuation and a leading
    complementizer token (repeated until nothing changes); the span itself if nothing would remain."""
    from benchmark.text import tokenize

    s, e = start, end
    while True:
        while s < e and _is_edge(text[s]):
            s += 1
        while e > s and _is_edge(text[e - 1]):
            e -= 1
        first = tokenize(text[s:min(e, s + 32)])[:1]  # the first token is all we need
        if not first or not is_complementizer(first[0].text) or first[0].end >= e - s:
            break
        s += first[0].end
    return (s, e) if s < e else (start, end)


class _Words:
    """The word tokens (with a letter or digit) of ``text[start:end]``, widened to whitespace so that
    no word is cut, to count the words two spans share."""

    def __init__(self, text: str, start: int = 0, end: int | None = None) -> None:
        from benchmark.text import tokenize

        end = len(text) if end is None else end
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        words = [t for t in tokenize(text[start:end]) if any(ch.isalnum() for ch in t.text)]
        self.starts = [start + t.start for t in words]
        self.ends = [start + t.end for t in words]

    def range(self, start: int, end: int) -> tuple[int, int]:
        """Indices ``[lo, hi)`` of the words overlapping ``[start, end)`` (inside the tokenized part)."""
        return bisect.bisect_right(self.ends, start), bisect.bisect_left(self.starts, end)


def _jaccard(a: tuple[int, int], b: tuple[int, int]) -> float:
    shared = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = (a[1] - a[0]) + (b[1] - b[0]) - shared
    return shared / union if union else 0.0


def match_quotes(text: str | None, gold: Sequence[Mapping[str, Any]], pred: Sequence[Mapping[str, Any]]
                 ) -> dict[str, dict[int, int]]:
    """One-to-one pairs ``{pred index: gold index}`` at each of :data:`MATCH_LEVELS`.

    Without ``text`` only exact pairs can be made; the robust and overlap levels then equal exact.
    """
    exact: dict[int, int] = {}
    by_span = {(g["start"], g["end"]): gi for gi, g in enumerate(gold)}
    for pi, p in enumerate(pred):
        gi = by_span.get((p["start"], p["end"]))
        if gi is not None and gi not in exact.values():
            exact[pi] = gi
    if text is None:
        return {"exact": exact, "robust": dict(exact), "overlap": dict(exact)}
    gold_cores = [core_span(text, g["start"], g["end"]) for g in gold]
    pred_cores = [core_span(text, p["start"], p["end"]) for p in pred]
    robust = _pair_equal_cores(exact, gold_cores, pred_cores)
    overlap = _pair_overlapping_cores(text, robust, gold_cores, pred_cores)
    return {"exact": exact, "robust": robust, "overlap": overlap}


def _pair_equal_cores(pairs: dict[int, int], gold_cores: list[tuple[int, int]],
                      pred_cores: list[tuple[int, int]]) -> dict[int, int]:
    """``pairs`` plus pairs of still unpaired quotes with the same core (in document order)."""
    out = dict(pairs)
    taken = set(pairs.values())
    free_gold: dict[tuple[int, int], list[int]] = {}
    for gi, core in enumerate(gold_cores):
        if gi not in taken:
            free_gold.setdefault(core, []).append(gi)
    for pi, core in enumerate(pred_cores):
        if pi not in out and free_gold.get(core):
            out[pi] = free_gold[core].pop(0)
    return out


def _pair_overlapping_cores(text: str, pairs: dict[int, int], gold_cores: list[tuple[int, int]],
                            pred_cores: list[tuple[int, int]]) -> dict[int, int]:
    """``pairs`` plus, greedily by decreasing token Jaccard, pairs of still unpaired quotes whose
    cores share at least :data:`OVERLAP_THRESHOLD` of their words."""
    out = dict(pairs)
    taken = set(pairs.values())
    open_gold = [gi for gi in range(len(gold_cores)) if gi not in taken]
    open_pred = [pi for pi in range(len(pred_cores)) if pi not in out]
    if not open_gold or not open_pred:
        return out
    cores = [gold_cores[gi] for gi in open_gold] + [pred_cores[pi] for pi in open_pred]
    words = _Words(text, min(c[0] for c in cores), max(c[1] for c in cores))
    gold_words = {gi: words.range(*gold_cores[gi]) for gi in open_gold}
    candidates = []
    for pi in open_pred:
        pred_words = words.range(*pred_cores[pi])
        for gi, gw in gold_words.items():
            score = _jaccard(pred_words, gw)
            if score >= OVERLAP_THRESHOLD:
                candidates.append((-score, pi, gi))
    for _, pi, gi in sorted(candidates):
        if pi not in out and gi not in taken:
            out[pi] = gi
            taken.add(gi)
    return out


def quote_count_columns(kinds: Sequence[str]) -> tuple[str, ...]:
    """Columns of :func:`quote_doc_counts`' table."""
    columns = list(_BASE)
    for kind in kinds:
        columns += [f"kind/{kind}/{c}" for c in ("n_gold", "n_pred", "exact_tp", "e2e_tp")]
    for group in SPEAKER_GROUPS:
        columns += [f"speaker/{group}/n_gold", f"speaker/{group}/matched", f"speaker/{group}/e2e_tp"]
    for kind in SPEAKER_TYPES:
        columns += [f"speaker_type/{kind}/n_gold", f"speaker_type/{kind}/matched", f"speaker_type/{kind}/e2e_tp"]
    return tuple(columns)


def with_speaker_types(row: Mapping[str, Any], source_labels: Sequence[str] = ("SOURCE",)) -> list[dict[str, Any]]:
    """The gold quotes of a ``quotes`` row, each with its ``speaker_type`` (:data:`SPEAKER_TYPES`),
    read from the row's ``entities``: ``source`` when the speaker cluster's mentions carry a
    source label, ``entity`` when they carry another, ``none`` without a speaker.

    >>> row = {"entities": [{"start": 5, "end": 10, "label": "SOURCE"}],
    ...        "quotes": [{"speaker_cluster": [{"start": 5, "end": 10}]}, {"speaker_cluster": []}]}
    >>> [q["speaker_type"] for q in with_speaker_types(row)]
    ['source', 'none']
    """
    labels = {(e["start"], e["end"]): e["label"] for e in row.get("entities") or ()}
    out = []
    for quote in row["quotes"]:
        cluster = quote.get("speaker_cluster") or []
        kind = "none" if not cluster else (
            "source" if labels.get((cluster[0]["start"], cluster[0]["end"])) in source_labels else "entity")
        out.append({**quote, "speaker_type": kind})
    return out


def _speaker_type(quote: Mapping[str, Any]) -> str:
    kind = quote.get("speaker_type")
    if kind is None:
        return "entity" if quote.get("speaker_cluster") else "none"
    if kind not in SPEAKER_TYPES:
        raise ValueError(f"gold quote [{quote.get('start')}, {quote.get('end')}): speaker_type {kind!r} is not one "
                         f"of {list(SPEAKER_TYPES)}; use with_speaker_types(row) to set it from the row's entities")
    return kind


def _speaker_group(quote: Mapping[str, Any]) -> str:
    if not quote.get("speaker_cluster"):
        return "unnamed"
    return "elided" if quote.get("speaker_elided") else "named"


def speaker_right(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> bool:
    """Whether the predicted speaker is a mention of the gold speaker's cluster (or both are none)."""
    speaker = pred.get("speaker")
    cluster = gold.get("speaker_cluster") or []
    if not cluster:
        return speaker is None
    if speaker is None:
        return False
    return any(m["start"] == speaker["start"] and m["end"] == speaker["end"] for m in cluster)


def speaker_right_v1(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> bool:
    """:func:`speaker_right`, or a gold ``SOURCE`` speaker with no predicted speaker (quotes v1.x
    gold had none there): the speaker rule of ``e2e_v1``."""
    return speaker_right(gold, pred) or (_speaker_type(gold) == "source" and pred.get("speaker") is None)


def quote_doc_counts(y_true: Sequence[Sequence[Mapping[str, Any]]],
                     y_pred: Sequence[Sequence[Mapping[str, Any]]],
                     kinds: Sequence[str] = ("direct", "indirect", "mixed"),
                     doc_ids: Sequence[str] | None = None,
                     texts: Sequence[str] | None = None) -> CountTable:
    """Per-document raw counts (columns: :func:`quote_count_columns`).

    ``y_true[i]``: gold quotes of document i as in the ``quotes`` task rows (``start``, ``end``,
    ``kind``, ``speaker_cluster``, ``speaker_elided``); ``y_pred[i]``: predicted quotes
    (``start``, ``end``, ``kind``, ``speaker``: ``{"start", "end"}`` or ``None``);
    ``texts[i]``: the document's text, needed for the robust and overlap levels (without it
    they equal exact).
    """
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} documents but y_pred has {len(y_pred)}")
    if texts is not None and len(texts) != len(y_true):
        raise ValueError(f"texts has {len(texts)} documents but y_true has {len(y_true)}")
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
        overlapped = [False] * len(gold)
        for p in pred:
            add(f"kind/{p['kind']}/n_pred")
            hit = False
            for gi, g in enumerate(gold):
                if g["start"] < p["end"] and p["start"] < g["end"]:
                    overlapped[gi] = hit = True
            add("pred_overlapping", int(hit))
        add("gold_overlapped", sum(overlapped))
        pairs = match_quotes(texts[d] if texts is not None else None, gold, pred)
        for level, tp, e2e in (("exact", "exact_tp", "e2e_exact_tp"), ("robust", "robust_tp", "e2e_tp"),
                               ("overlap", "overlap_tp", "e2e_overlap_tp")):
            add(tp, len(pairs[level]))
            add(e2e, sum(speaker_right(gold[gi], pred[pi]) for pi, gi in pairs[level].items()))
        for pi, gi in pairs["exact"].items():
            if gold[gi]["kind"] == pred[pi]["kind"]:
                add(f"kind/{gold[gi]['kind']}/exact_tp")
        for pi, gi in pairs["robust"].items():
            g, p = gold[gi], pred[pi]
            group, kind, right = _speaker_group(g), _speaker_type(g), speaker_right(g, p)
            add("kind_correct", int(g["kind"] == p["kind"]))
            add("e2e_v1_tp", int(speaker_right_v1(g, p)))
            add(f"speaker/{group}/matched")
            add(f"speaker/{group}/e2e_tp", int(right))
            add(f"speaker_type/{kind}/matched")
            add(f"speaker_type/{kind}/e2e_tp", int(right))
            if g["kind"] == p["kind"]:
                add(f"kind/{g['kind']}/e2e_tp", int(right))
        for g in gold:
            add(f"kind/{g['kind']}/n_gold")
            add(f"speaker/{_speaker_group(g)}/n_gold")
            add(f"speaker_type/{_speaker_type(g)}/n_gold")
    ids = tuple(doc_ids) if doc_ids is not None else tuple(str(i) for i in range(len(y_true)))
    return CountTable(ids, columns, counts)


def quote_scores_from_counts(totals: np.ndarray, columns: Sequence[str]) -> dict[str, np.ndarray]:
    """Flat metrics from summed counts (leading axes kept): ``e2e/*`` (headline, robust level),
    ``e2e_exact/*``, ``e2e_overlap/*``, ``e2e_v1/*``, ``span_exact/*``, ``span_robust/*``,
    ``span_overlap/*``, ``speaker_accuracy``, ``kind_accuracy``, ``kind/<k>/{exact,e2e}/*``,
    ``speaker/<group>/{e2e_recall,speaker_accuracy}``, ``speaker_type/<type>/{e2e_recall,speaker_accuracy}``."""
    totals = np.asarray(totals)
    col = {name: totals[..., i] for i, name in enumerate(columns)}
    out: dict[str, np.ndarray] = {}
    for prefix, tp in (("e2e", "e2e_tp"), ("e2e_exact", "e2e_exact_tp"), ("e2e_overlap", "e2e_overlap_tp"),
                       ("e2e_v1", "e2e_v1_tp"), ("span_exact", "exact_tp"), ("span_robust", "robust_tp")):
        for key, value in prf(col[tp], col["n_pred"], col["n_gold"]).items():
            out[f"{prefix}/{key}"] = value
    precision = ratio(col["pred_overlapping"], col["n_pred"])
    recall = ratio(col["gold_overlapped"], col["n_gold"])
    out["span_overlap/precision"], out["span_overlap/recall"] = precision, recall
    out["span_overlap/f1"] = ratio(2 * precision * recall, precision + recall)
    # both sides empty: undefined; one side empty: 0 (as prf)
    empty = (col["n_pred"] + col["n_gold"]) == 0
    out["span_overlap/f1"] = np.where(empty, np.nan, np.nan_to_num(out["span_overlap/f1"], nan=0.0))
    out["speaker_accuracy"] = ratio(col["e2e_tp"], col["robust_tp"])
    out["kind_accuracy"] = ratio(col["kind_correct"], col["robust_tp"])
    kinds = [c.split("/")[1] for c in columns if c.startswith("kind/") and c.endswith("/n_gold")]
    for kind in kinds:
        for match in ("exact", "e2e"):
            scores = prf(col[f"kind/{kind}/{match}_tp"], col[f"kind/{kind}/n_pred"],
                         col[f"kind/{kind}/n_gold"])
            for key, value in scores.items():
                out[f"kind/{kind}/{match}/{key}"] = value
    for axis, groups in (("speaker", SPEAKER_GROUPS), ("speaker_type", SPEAKER_TYPES)):
        for group in groups:
            out[f"{axis}/{group}/e2e_recall"] = ratio(col[f"{axis}/{group}/e2e_tp"], col[f"{axis}/{group}/n_gold"])
            out[f"{axis}/{group}/speaker_accuracy"] = ratio(col[f"{axis}/{group}/e2e_tp"],
                                                            col[f"{axis}/{group}/matched"])
    return out


def quote_scores(y_true: Sequence[Sequence[Mapping[str, Any]]],
                 y_pred: Sequence[Sequence[Mapping[str, Any]]],
                 kinds: Sequence[str] = ("direct", "indirect", "mixed"),
                 texts: Sequence[str] | None = None) -> dict[str, Any]:
    """Every quote metric (flat names, see :func:`quote_scores_from_counts`) plus raw counts
    under ``counts``. Pass ``texts`` (one per document) for the robust and overlap levels."""
    table = quote_doc_counts(y_true, y_pred, kinds, texts=texts)
    scores: dict[str, Any] = {k: as_figure(v) for k, v in
                              quote_scores_from_counts(table.counts.sum(axis=0), table.columns).items()}
    scores["counts"] = table.totals()
    return scores
