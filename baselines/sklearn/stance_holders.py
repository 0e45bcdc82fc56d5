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

A Khabar stance model (version 4) carries a :class:`HolderRanker` instead: the same one-to-one matching over
learned scores (a logistic regression over these shares, ranks and the candidate's place, length, cue and
marks), trained on the training rows' own holder quotes. 5-fold CV on the v0.2 train/validation documents:
rows with a wrong holder 643 → 621 of 2,066 (docs/RESULTS.md). Since stance model v7 the ranker learns among the
quotes the quote baseline predicts in each training document out of fold, the candidates it meets at prediction
(:func:`baselines.sklearn.quotes.cross_fitted_quote_spans`); a candidate is a positive when it answers a holder
quote of its target by the scorer's rule (the same core span).

>>> text = 'قال الوزير: "الاتفاق مع إيران خطأ". وأضاف: "الدوري السعودي قوي".'
>>> rows = [{"id": "d#1", "doc_id": "d", "text": text, "target": "الدوري السعودي", "holder_kind": "quote"},
...         {"id": "d#2", "doc_id": "d", "text": text, "target": "إيران", "holder_kind": "quote"}]
>>> [text[r["holder_start"]:r["holder_end"]] for r in assign_holder_quotes(rows, {"d": [(13, 33), (44, 62)]})]
['الدوري السعودي قوي', 'الاتفاق مع إيران خطأ']
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from baselines.sklearn.quotes import _bucket
from baselines.sklearn.stance import _words, light_stem
from benchmark.tasks.stance import holder_candidates, with_candidate_quotes

__all__ = ["HolderRanker", "assign_holder_quotes", "prefetch_embeddings", "relevance"]

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


def _shares(pieces: tuple[set[str], set[str], set[str]], target_stems: set[str]) -> tuple[float, float, float]:
    """The share of the target's stems found in the quote, its left and its right context (0s for no stems)."""
    if not target_stems:
        return 0.0, 0.0, 0.0
    quote, left, right = (len(piece & target_stems) / len(target_stems) for piece in pieces)
    return quote, left, right


def _weighted(shares: tuple[float, float, float]) -> float:
    quote, left, right = shares
    return quote + left + RIGHT_WEIGHT * right


def _score(pieces: tuple[set[str], set[str], set[str]], target_stems: set[str]) -> float:
    return _weighted(_shares(pieces, target_stems))


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
                         candidates: Mapping[str, Sequence[tuple[int, int]]] | None = None,
                         ranker: HolderRanker | None = None) -> list[Row]:
    """Inputs-only copies of stance ``rows`` (as :func:`benchmark.tasks.stance.with_candidate_quotes`)
    whose quote-holder rows carry the candidate quote assigned to them by target relevance (module
    docstring). ``candidates``: ``doc_id -> spans`` (e.g. a quotes submission); a document without
    any falls back to its spans in quotation marks, then to the whole text."""
    import numpy as np

    out = with_candidate_quotes(rows, candidates)
    article_targets = _article_targets(out) if ranker is not None else {}
    documents = _documents(out)
    spans_of = {doc_id: holder_candidates(doc_id, out[members[0]]["text"], candidates)
                for doc_id, members in documents.items()}
    if ranker is not None and ranker.encoder is not None:
        prefetch_embeddings(ranker.encoder, [(out[m[0]]["text"], spans_of[doc_id], [out[i]["target"] for i in m])
                                             for doc_id, m in documents.items()])
    for doc_id, members in documents.items():
        text, spans = out[members[0]]["text"], spans_of[doc_id]
        if ranker is not None:
            scores = ranker.scores([out[i] for i in members], spans, article_targets.get(doc_id, set()))
        else:
            pieces = [_span_stems(text, span, bound)
                      for span, bound in zip(spans, _context_bounds(spans, len(text)), strict=True)]
            scores = np.array([[_score(p, _stems(out[i]["target"])) for p in pieces] for i in members])
        for slot, cand in _assign(scores).items():
            out[members[slot]]["holder_start"], out[members[slot]]["holder_end"] = spans[cand]
        _in_text_order(out, members)
    return out


def _in_text_order(rows: list[Row], members: Sequence[int]) -> None:
    """Give the quotes assigned to one document's rows of one target to those rows in text order.

    Such rows have the same inputs, so which of them names which quote is arbitrary; without this,
    float noise between processes (an encoder's batch padding) could swap two of them and change the
    submission's bytes, though never its score (the scorer matches them as a set)."""
    by_target: dict[str, list[int]] = {}
    for i in members:
        by_target.setdefault(rows[i]["target"], []).append(i)
    for same in by_target.values():
        spans = sorted((rows[i]["holder_start"], rows[i]["holder_end"]) for i in same)
        for i, (start, end) in zip(same, spans, strict=True):
            rows[i]["holder_start"], rows[i]["holder_end"] = start, end


# --------------------------------------------------------------------------- the learned holder ranker

CUE_WINDOW = 80  # characters before a candidate searched for a cue word
ENCODER_CONTEXT = 150  # characters before a candidate embedded with it (cue, speaker, subject)
ENCODER_SCALE = 5.0  # cosine similarities scaled up so L2 regularisation does not mute them


def _document_pairs(text: str, spans: Sequence[tuple[int, int]], targets: Sequence[str],
                    article_targets: set[str], slots_per_target: Mapping[str, int],
                    encoder: Any = None) -> list[list[dict[str, float]]]:
    """``[target][candidate] -> features`` of one document (see :class:`HolderRanker`)."""
    from baselines.sklearn.quote_spans import OPENING_MARKS, find_cues

    cues = find_cues(text)
    bounds = _context_bounds(spans, len(text))
    pieces = [_span_stems(text, span, bound) for span, bound in zip(spans, bounds, strict=True)]
    words_at = [(m.start(), light_stem(w)) for m in re.finditer(r"\S+", text) for w in _words(m.group())]
    stems = [_stems(target) for target in targets]
    shares = [[_shares(piece, ts) for piece in pieces] for ts in stems]
    totals = [[_weighted(share) for share in row] for row in shares]
    n_cands, n_targets = len(spans), len(targets)
    out = []
    for t, (target, ts) in enumerate(zip(targets, stems, strict=True)):
        order = sorted(range(n_cands), key=lambda c: -totals[t][c])
        rank = {c: r for r, c in enumerate(order)}
        hits = [p for p, stem in words_at if stem in ts]
        k = slots_per_target.get(target, 1)
        multi = "multi" if n_targets > 1 else "single"
        row = []
        for c, (start, end) in enumerate(spans):
            q, left, right = shares[t][c]
            before = [start - p for p in hits if p < start]
            target_rank = sum(totals[u][c] > totals[t][c] for u in range(n_targets))
            surface = text[start:end]
            feats = {
                "rel_quote": q, "rel_left": left, "rel_right": right, "rel_total": totals[t][c],
                f"rel_rank={min(rank[c], 3)}": 1.0, f"{multi}&rel_rank={min(rank[c], 3)}": 1.0,
                "rank_within_k": float(rank[c] < k), f"{multi}&rank_within_k": float(rank[c] < k),
                "best_target_for_candidate": float(target_rank == 0),
                f"{multi}&best_target_for_candidate": float(target_rank == 0),
                "target_in_quote": float(q > 0), "no_target_near": float(q + left + right == 0),
                f"n_targets={min(n_targets, 3)}": 1.0, "slots_share": k / max(n_cands, 1),
                "position": c / max(n_cands - 1, 1), "first": float(c == 0), "last": float(c == n_cands - 1),
                f"words={_bucket(len(surface.split()), (3, 8, 20, 50))}": 1.0,
                "cue_before": float(any(start - CUE_WINDOW <= cue_end <= start for _, cue_end in cues)),
                "marks": float(surface[:1] in OPENING_MARKS or (start > 0 and text[start - 1] in OPENING_MARKS)),
                "article_target": float(target in article_targets),
                f"target_seen={_bucket(min(before), (200, 600, 1500)) if before else 'never'}": 1.0,
            }
            row.append(feats)
        out.append(row)
    if encoder is not None:
        _add_encoder_features(out, text, spans, targets, encoder)
    return out


def _encoder_views(text: str, spans: Sequence[tuple[int, int]]) -> dict[str, list[str]]:
    """The passages embedded per candidate: the quote, and the quote with the words before it."""
    return {"quote": [text[start:end] for start, end in spans],
            "context": [text[max(0, start - ENCODER_CONTEXT):end] for start, end in spans]}


def prefetch_embeddings(encoder: Any,
                        documents: Sequence[tuple[str, Sequence[tuple[int, int]], Sequence[str]]]) -> None:
    """Embed every passage and target the ranker will ask for, in large batches (``documents``: text, candidate
    spans, targets): one call instead of a few small ones per document."""
    encoder.queries(sorted({target for _, _, targets in documents for target in targets}))
    encoder.passages(sorted({passage for text, spans, _ in documents
                             for view in _encoder_views(text, spans).values() for passage in view}))


def _add_encoder_features(pairs: list[list[dict[str, float]]], text: str, spans: Sequence[tuple[int, int]],
                          targets: Sequence[str], encoder: Any) -> None:
    """Add to ``pairs[target][candidate]`` the cosine similarity of the target (a query) to the candidate quote and
    to the quote with the words before it (passages), each candidate's rank by it among the document's candidates,
    and with several targets the margin over the candidate's closest other target."""
    import numpy as np

    queries = encoder.queries(list(targets))
    for name, passages in _encoder_views(text, spans).items():
        similarity = queries @ encoder.passages(passages).T  # [target, candidate]
        for t, row in enumerate(pairs):
            rank = {int(c): r for r, c in enumerate(np.argsort(-similarity[t], kind="stable"))}
            for c, feats in enumerate(row):
                feats[f"emb_{name}"] = float(similarity[t, c]) * ENCODER_SCALE
                feats[f"emb_{name}_rank={min(rank[c], 3)}"] = 1.0
                if len(targets) > 1:
                    closest_other = max(similarity[u, c] for u in range(len(targets)) if u != t)
                    feats[f"emb_{name}_margin"] = float(similarity[t, c] - closest_other) * ENCODER_SCALE
                    feats[f"emb_{name}_best_target"] = float(similarity[t, c] >= closest_other)


def _documents(rows: Sequence[Mapping[str, Any]]) -> dict[str, list[int]]:
    """doc_id → the indices of its quote-holder rows."""
    out: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        if row["holder_kind"] != "article":
            out.setdefault(row["doc_id"], []).append(i)
    return out


def _article_targets(rows: Sequence[Mapping[str, Any]]) -> dict[str, set[str]]:
    """doc_id → the targets of its article-holder rows."""
    out: dict[str, set[str]] = {}
    for row in rows:
        if row["holder_kind"] == "article":
            out.setdefault(row["doc_id"], set()).add(row["target"])
    return out


def _target_pairs(doc_rows: Sequence[Mapping[str, Any]], spans: Sequence[tuple[int, int]], article_targets: set[str],
                  encoder: Any = None) -> tuple[list[str], list[list[dict[str, float]]]]:
    """The document's targets (sorted) and their ``[target][candidate]`` features."""
    targets = sorted({row["target"] for row in doc_rows})
    counts = {t: sum(row["target"] == t for row in doc_rows) for t in targets}
    return targets, _document_pairs(doc_rows[0]["text"], spans, targets, article_targets, counts, encoder)


def _names_a_holder(text: str, span: tuple[int, int], holders: Sequence[tuple[int, int]]) -> bool:
    """Whether a line naming the quote at ``span`` answers one of the ``holders`` (the scorer's rule,
    :func:`benchmark.metrics.stance.quote_spans_match`: the same span or the same core span)."""
    from benchmark.metrics.stance import quote_spans_match

    predicted = {"start": span[0], "end": span[1]}
    return any(quote_spans_match(predicted, start, end, text) for start, end in holders)


@dataclass
class HolderRanker:
    """A learned relevance of a candidate quote to a quote-holder row's target (stance task v2.0).

    Per document, each (target, candidate quote) pair is scored by a logistic regression over: the
    target-stem shares of :func:`relevance` (quote, left and right context) and the candidate's rank among
    the document's candidates by that relevance (also split by documents with one target or several), whether
    the candidate is within the first ``k`` for a target with ``k`` rows, whether the target is the most
    relevant of the document's targets for it, the number of targets, rows per candidate, the candidate's
    place, length, a cue word before it, quotation marks, whether the target also has an article-holder row,
    and how far back the target was last named; with a sentence ``encoder``
    (:class:`~baselines.sklearn.encoder.SentenceEncoder`), also the target's embedding similarity to the
    candidate quote and to the quote with the words before it, the candidate's rank by each and, with several
    targets, the margin over its closest other target. Trained on gold rows and each document's candidate
    spans (label: the candidate answers a holder quote of a row with this target by the scorer's core-span rule;
    ``khabar run`` passes the spans the quote baseline predicts in each training document out of fold, and without
    any the stance model passes its training rows' own holder quotes; a saved model carries its ranker); at
    prediction the candidates are a quote model's spans, and :func:`assign_holder_quotes` matches rows and
    candidates one to one maximising the summed scores. Only public inputs (text, target, ``holder_kind``) and the
    candidate spans are read."""

    vectorizer: Any
    classifier: Any
    encoder: Any = None

    @classmethod
    def train(cls, rows: Sequence[Mapping[str, Any]], candidates: Mapping[str, Sequence[tuple[int, int]]],
              C: float = 1.0, encoder: Any = None) -> HolderRanker:
        """Fit on gold stance ``rows`` (with their ``holder_start``/``holder_end``) and each document's
        ``candidates``: its gold holder quotes, or the spans a quote model predicts in it (a candidate is a positive
        for a target when it answers one of the target's holder quotes by the scorer's rule, the same core span);
        ``encoder``: a sentence encoder whose similarities join the features."""
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        x, y = [], []
        article_targets = _article_targets(rows)
        documents = {doc_id: (members, sorted(set(candidates.get(doc_id, ()))))
                     for doc_id, members in _documents(rows).items()}
        if encoder is not None:
            prefetch_embeddings(encoder, [(rows[m[0]]["text"], spans, [rows[i]["target"] for i in m])
                                          for m, spans in documents.values() if spans])
        for doc_id, (members, spans) in documents.items():
            if not spans:
                continue
            doc_rows = [rows[i] for i in members]
            targets, pairs = _target_pairs(doc_rows, spans, article_targets.get(doc_id, set()), encoder)
            for target, row in zip(targets, pairs, strict=True):
                holders = [(r["holder_start"], r["holder_end"]) for r in doc_rows if r["target"] == target]
                for span, feats in zip(spans, row, strict=True):
                    x.append(feats)
                    y.append(int(_names_a_holder(doc_rows[0]["text"], span, holders)))
        if len(set(y)) < 2:
            raise ValueError(f"the holder ranker needs holder and non-holder candidates; got {sum(y)} holder(s) "
                             f"of {len(y)} pair(s) (train on documents with quote-holder stances and quotes)")
        vectorizer = DictVectorizer()
        classifier = LogisticRegression(C=C, class_weight="balanced", max_iter=2000)
        classifier.fit(vectorizer.fit_transform(x), y)
        return cls(vectorizer, classifier, encoder)

    def scores(self, doc_rows: Sequence[Mapping[str, Any]], spans: Sequence[tuple[int, int]],
               article_targets: set[str] = frozenset()) -> Any:
        """``[row][candidate]`` scores of one document's quote-holder rows ``doc_rows`` (``article_targets``:
        the targets of the document's article-holder rows)."""
        import numpy as np

        targets, pairs = _target_pairs(doc_rows, spans, set(article_targets), self.encoder)
        flat = self.classifier.decision_function(self.vectorizer.transform([f for row in pairs for f in row]))
        by_target = {t: flat[i * len(spans):(i + 1) * len(spans)] for i, t in enumerate(targets)}
        return np.array([by_target[row["target"]] for row in doc_rows])
