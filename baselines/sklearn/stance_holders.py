"""Which candidate quote answers each quote-holder stance row: a target-relevance assignment.

On the hidden split a quote-holder stance row gives the document, the target and ``holder_kind``
only; the system names the holder quote itself, and the scorer matches a document's lines for one
target to its gold holder quotes as a set (:func:`benchmark.metrics.stance.holder_outcomes`). A
document often has several targets and more candidate quotes than stance rows, so *which* candidate
each row names decides most of the end-to-end score: on the interim v0.2 test (42 documents) the
classifier's macro-F1 is 0.619 with the gold holder quotes and 0.359 with the task's plain
``i``-th row → ``i``-th candidate rule (docs/RESULTS.md, "Stance baseline on Khabar v0.2").

The rule here: a candidate's relevance to a target is the share of the target's light stems
(:func:`baselines.sklearn.stance.light_stem`) found in the quote, plus the share found in the 200
characters before it (the cue and speaker, where the subject is often named) and a tenth of the
share in the 100 characters after it — each context stopping at the neighbouring candidate, so that one
quote's words are not credited to the next. Per document, the quote-holder rows (slots) and the candidates
are matched one to one maximising the total relevance (Hungarian algorithm; ties keep text order);
when there are more rows than candidates, every candidate is used once and the other rows take their
most relevant candidate. Nothing is learned, so nothing can leak from the test labels.

>>> text = 'قال الوزير: "الاتفاق مع إيران خطأ". وأضاف: "الدوري السعودي قوي".'
>>> rows = [{"id": "d#1", "doc_id": "d", "text": text, "target": "الدوري السعودي", "holder_kind": "quote"},
...         {"id": "d#2", "doc_id": "d", "text": text, "target": "إيران", "holder_kind": "quote"}]
>>> [text[r["holder_start"]:r["holder_end"]] for r in assign_holder_quotes(rows, {"d": [(13, 33), (44, 62)]})]
['الدوري السعودي قوي', 'الاتفاق مع إيران خطأ']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from baselines.sklearn.stance import _words, light_stem
from benchmark.tasks.stance import holder_candidates, with_candidate_quotes

__all__ = ["assign_holder_quotes", "relevance"]

LEFT_CONTEXT = 200  # characters before a quote searched for the target (cue, speaker, subject)
RIGHT_CONTEXT = 100
RIGHT_WEIGHT = 0.1
ORDER_TIE_BREAK = 1e-6  # equal relevance: the i-th slot prefers the i-th candidate (the plain rule)

Row = dict[str, Any]


def _stems(text: str) -> set[str]:
    return {light_stem(word) for word in _words(text)} - {""}


def relevance(text: str, span: tuple[int, int], target: str, bounds: tuple[int, int] | None = None) -> float:
    """How much the quote at ``span`` (and its context, inside ``bounds``: by default the whole text)
    is about ``target``: 0 when no target stem occurs near it, at most 2.1.

    >>> relevance('قال: "إيران تهدد المنطقة"', (6, 23), "إيران")
    1.0
    """
    return _score(_span_stems(text, span, bounds or (0, len(text))), _stems(target))


def _span_stems(text: str, span: tuple[int, int], bounds: tuple[int, int]) -> tuple[set[str], set[str], set[str]]:
    """The stems of the quote, of its left context and of its right context (each inside ``bounds``)."""
    start, end = span
    low, high = bounds
    return (_stems(text[start:end]), _stems(text[max(low, start - LEFT_CONTEXT):start]),
            _stems(text[end:min(high, end + RIGHT_CONTEXT)]))


def _score(pieces: tuple[set[str], set[str], set[str]], target_stems: set[str]) -> float:
    if not target_stems:
        return 0.0
    quote, left, right = (len(piece & target_stems) / len(target_stems) for piece in pieces)
    return quote + left + RIGHT_WEIGHT * right


def _context_bounds(spans: Sequence[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """Per span, where its context may reach: from the end of the nearest candidate before it to the
    start of the nearest one after it."""
    bounds = []
    for start, end in spans:
        before = [e for s, e in spans if e <= start]
        after = [s for s, e in spans if s >= end]
        bounds.append((max(before, default=0), min(after, default=length)))
    return bounds


def _assign(scores: Any) -> dict[int, int]:
    """slot → candidate, one to one while candidates last, maximising the total score."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    n_slots, n_cands = scores.shape
    weighted = scores - ORDER_TIE_BREAK * np.abs(np.subtract.outer(np.arange(n_slots), np.arange(n_cands)))
    slots, cands = linear_sum_assignment(-weighted)
    pick = {int(s): int(c) for s, c in zip(slots, cands, strict=True)}
    for slot in range(n_slots):  # more slots than candidates: the rest take their best candidate
        if slot not in pick:
            pick[slot] = int(np.argmax(weighted[slot]))
    return pick


def assign_holder_quotes(rows: Sequence[Mapping[str, Any]],
                         candidates: Mapping[str, Sequence[tuple[int, int]]] | None = None) -> list[Row]:
    """Inputs-only copies of stance ``rows`` (as :func:`benchmark.tasks.stance.with_candidate_quotes`)
    whose quote-holder rows carry the candidate quote assigned to them by target relevance (module
    docstring). ``candidates``: ``doc_id -> spans`` (e.g. a quotes submission); a document without
    any falls back to its spans in quotation marks, then to the whole text."""
    import numpy as np

    out = with_candidate_quotes(rows, candidates)
    slots: dict[str, list[int]] = {}
    for i, row in enumerate(out):
        if row["holder_kind"] != "article":
            slots.setdefault(row["doc_id"], []).append(i)
    for doc_id, members in slots.items():
        text = out[members[0]]["text"]
        spans = holder_candidates(doc_id, text, candidates)
        pieces = [_span_stems(text, span, bound) for span, bound in zip(spans, _context_bounds(spans, len(text)),
                                                                         strict=True)]
        targets = [_stems(out[i]["target"]) for i in members]
        scores = np.array([[_score(p, target) for p in pieces] for target in targets])
        for slot, cand in _assign(scores).items():
            out[members[slot]]["holder_start"], out[members[slot]]["holder_end"] = spans[cand]
    return out
