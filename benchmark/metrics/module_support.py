"""What the three ``evaluate`` modules share: one input convention, one result shape, one error style.

**Inputs.** ``predictions`` are what a Khabar submission holds, one per document (per stance item):

* ``khabar_ner``: a submission line ``{"doc_id": …, "entities": [{"start", "end", "label"}]}`` or
  just its ``entities`` list;
* ``khabar_quotes``: a submission line ``{"doc_id": …, "quotes": [{"start", "end", "kind",
  "speaker": {"start", "end"} | null}]}`` or just its ``quotes`` list;
* ``khabar_stance``: a submission line ``{"id": …, "label": …}`` or just the label.

``references`` are the gold rows of the task's dataset config (``load_dataset(...)["test"]``
items, with ClassLabel ids decoded to names) or just their ``entities`` / ``quotes`` list / the
label. Quotes need each document's text (the headline's robust matching trims quotation marks and
complementizers): from the reference rows, or ``texts=[...]``. Extra fields of a submission (a
``model`` name, an entity ``score``) are ignored, as ``khabar evaluate`` does by default.

**Result.** A flat ``{metric name: value}`` dict with exactly the names and values that
``khabar evaluate`` writes into ``results.json`` under ``metrics`` (``None`` when undefined: 0/0),
plus ``"headline"``: the name of the task's headline metric, and ``"counts"``: the summed raw
counts (``results.json``'s ``counts``)::

    result = metric.compute(predictions=..., references=...)
    result[result["headline"]]          # strict/f1, e2e/f1 or macro/f1

**Errors.** A label outside the label set, a malformed item or a length mismatch raise a
:class:`ValueError` that names the module, the item, the field, the allowed values and the fix.

Inputs travel through ``evaluate`` as JSON strings (:class:`JsonInputs`), so nested and optional
fields (``speaker: null``) keep their exact shape.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from benchmark.metrics.base import as_figure

__all__ = ["JsonInputs", "score_module"]

_LIST_KEY = {"ner": "entities", "quotes": "quotes"}
_MODULE = {"ner": "khabar_ner", "quotes": "khabar_quotes", "stance": "khabar_stance"}


class JsonInputs:
    """Mixin for an ``evaluate.Metric`` whose features are one JSON string per prediction/reference:
    ``add``/``add_batch`` (and so ``compute``) encode each value; ``_compute`` decodes them."""

    def _encode(self, values):
        return None if values is None else [json.dumps(v, ensure_ascii=False) for v in values]

    # ``compute(predictions=…, references=…)`` goes through ``add_batch``; evaluate appends the
    # module's inputs description to these docstrings, so they must exist.
    def add_batch(self, *, predictions=None, references=None, **kwargs):
        """Add a batch of predictions and references, scored by a later ``compute()``."""
        return super().add_batch(predictions=self._encode(predictions), references=self._encode(references),
                                 **kwargs)

    def add(self, *, prediction=None, reference=None, **kwargs):
        """Add one prediction and its reference, scored by a later ``compute()``."""
        encode = lambda v: None if v is None else json.dumps(v, ensure_ascii=False)  # noqa: E731
        return super().add(prediction=encode(prediction), reference=encode(reference), **kwargs)


def _error(task: str, where: str, problem: str, fix: str) -> ValueError:
    return ValueError(f"{_MODULE[task]}: {where}: {problem}; {fix}")


def _items(task: str, value: Any, side: str, index: int) -> list[Mapping[str, Any]]:
    """The entity/quote list of one prediction or reference (a line/row or the bare list)."""
    key = _LIST_KEY[task]
    if isinstance(value, Mapping):
        if key not in value:
            raise _error(task, f"{side} {index}", f"has no {key!r} field (fields: {sorted(value)})",
                         f"pass a submission line / gold row with {key!r}, or the {key} list itself")
        value = value[key]
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise _error(task, f"{side} {index}", f"{key} must be a list of objects, got {type(value).__name__}",
                     f"pass one list of {key} per document")
    return value


def _check_field(task: str, where: str, value: Any, field: str, allowed: Sequence[str], what: str) -> None:
    if isinstance(value, int) and not isinstance(value, bool):
        raise _error(task, where, f"{field} {value!r} is a ClassLabel id, not a name",
                     "decode it first: dataset.features['label'].int2str(id)")
    if value not in allowed:
        raise _error(task, where, f"{field} {value!r} is not one of {list(allowed)}",
                     f"fix the {field} (case matters) or pass {what}=[...] with your corpus' label set")


def _spans(task: str, docs: Sequence[Any], side: str, labels: Sequence[str]) -> list[list[Mapping[str, Any]]]:
    out = []
    for d, doc in enumerate(docs):
        entities = _items(task, doc, side, d)
        for i, entity in enumerate(entities):
            for key in ("start", "end", "label"):
                if key not in entity:
                    raise _error(task, f"{side} {d}, entity {i}", f"missing {key!r}",
                                 "give every entity start, end and label")
            _check_field(task, f"{side} {d}, entity {i}", entity["label"], "label", labels, "labels")
        out.append(entities)
    return out


def _speaker(quote: Mapping[str, Any]) -> Mapping[str, int] | None:
    if "speaker" in quote:
        return quote["speaker"]
    start = quote.get("speaker_start", -1)  # the gold rows' spelling
    return None if start is None or start < 0 else {"start": start, "end": quote["speaker_end"]}


def _quotes(task: str, docs: Sequence[Any], side: str, kinds: Sequence[str]) -> list[list[dict[str, Any]]]:
    """The quote lists, checked; a reference row with ``entities`` gives each gold quote its
    ``speaker_type`` (entity / SOURCE / none: ``e2e_v1`` and ``speaker_type/*``)."""
    from benchmark.metrics.quotes import with_speaker_types
    from benchmark.schema import KHABAR

    out = []
    for d, doc in enumerate(docs):
        quotes = []
        items = _items(task, doc, side, d)
        if side == "reference" and isinstance(doc, Mapping) and isinstance(doc.get("entities"), list):
            items = [{"speaker_type": typed["speaker_type"], **quote} for quote, typed in zip(
                items, with_speaker_types({"entities": doc["entities"], "quotes": items}, KHABAR.source_labels),
                strict=True)]
        for i, quote in enumerate(items):
            where = f"{side} {d}, quote {i}"
            for key in ("start", "end", "kind", *(("speaker_cluster",) if side == "reference" else ())):
                if key not in quote:
                    raise _error(task, where, f"missing {key!r}",
                                 "predictions are submission quotes {start, end, kind, speaker}; references "
                                 "are quotes rows {start, end, kind, speaker_cluster, speaker_elided}")
            _check_field(task, where, quote["kind"], "kind", kinds, "kinds")
            speaker = _speaker(quote)
            if speaker is not None and not (isinstance(speaker, Mapping) and {"start", "end"} <= set(speaker)):
                raise _error(task, where, f"speaker must be {{'start', 'end'}} or null, got {speaker!r}",
                             "write the speaker's span, or null when the text does not name one")
            quotes.append({**quote, "speaker": speaker})
        out.append(quotes)
    return out


def _labels(task: str, values: Sequence[Any], side: str, labels: Sequence[str]) -> list[str | None]:
    out = []
    for i, value in enumerate(values):
        label = value.get("label") if isinstance(value, Mapping) else value
        if label is None and side == "prediction":
            out.append(None)  # an unanswered item: wrong for its gold label
            continue
        _check_field(task, f"{side} {i}", label, "label", labels, "labels")
        out.append(label)
    return out


def _texts(references: Sequence[Any], texts: Sequence[str] | None) -> list[str]:
    if texts is not None:
        if len(texts) != len(references):
            raise _error("quotes", "texts", f"{len(texts)} texts for {len(references)} references",
                         "pass one text per document")
        return list(texts)
    out = []
    for d, reference in enumerate(references):
        if not isinstance(reference, Mapping) or not isinstance(reference.get("text"), str):
            raise _error("quotes", f"reference {d}", "no document text",
                         "pass the quotes rows (they have 'text') as references, or texts=[...]: the headline "
                         "e2e/f1 trims quotation marks and complementizers, which needs the text")
        out.append(reference["text"])
    return out


def _stance_items(references: Sequence[Any], predictions: Sequence[Any], gold: Sequence[str],
                  pred: Sequence[str | None]) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Gold rows and lines (keyed by position) for :func:`~benchmark.metrics.stance.holder_doc_counts`:
    a reference that is a gold row keeps its holder (a quote-holder line is right only with the gold
    quote); a bare label is an article-holder item."""
    rows, lines = [], {}
    for i, (reference, label, answer) in enumerate(zip(references, gold, pred, strict=True)):
        row = dict(reference) if isinstance(reference, Mapping) else {"holder_kind": "article"}
        rows.append({**row, "id": f"#{i}", "doc_id": row.get("doc_id", f"#{i}"), "target": row.get("target"),
                     "label": label})
        if answer is not None:
            prediction = predictions[i]
            lines[f"#{i}"] = {"label": answer, "quote": prediction.get("quote") if isinstance(prediction, Mapping)
                              else None}
    return rows, lines


def score_module(task: str, predictions: Sequence[Any], references: Sequence[Any], *,
                 labels: Sequence[str] | None = None, polar: Sequence[str] | None = None,
                 texts: Sequence[str] | None = None, min_overlap_percentage: float = 1.0) -> dict[str, Any]:
    """Score decoded inputs of the ``evaluate`` module of ``task``; see the module docstring.

    ``labels``: the entity labels (ner), quote kinds (quotes) or stance labels (stance); default:
    Khabar's. ``polar``: the two labels F_avg averages (stance; default the first two labels).
    """
    from benchmark.schema import KHABAR
    from benchmark.tasks import get_task

    spec = get_task(task)
    if len(predictions) != len(references):
        raise _error(task, "inputs", f"{len(predictions)} predictions for {len(references)} references",
                     "pass one prediction per reference, in the same order")
    if task == "ner":
        from benchmark.metrics.base import CountTable
        from benchmark.metrics.ner import (
            ner_doc_counts,
            ner_outermost_counts,
            ner_outermost_scores_from_counts,
            ner_scores_from_counts,
        )

        labels = tuple(labels or KHABAR.entity_labels)
        gold, pred = _spans(task, references, "reference", labels), _spans(task, predictions, "prediction", labels)
        table = CountTable.concat([  # as the ner task: all layers, then the outermost layer
            ner_doc_counts(gold, pred, labels=labels, min_overlap_percentage=min_overlap_percentage),
            ner_outermost_counts(gold, pred, labels=labels)])
        totals = table.counts.sum(axis=0)
        scores = {**ner_scores_from_counts(totals, table.columns),
                  **ner_outermost_scores_from_counts(totals, table.columns)}
    elif task == "quotes":
        from benchmark.metrics.quotes import quote_doc_counts, quote_scores_from_counts

        kinds = tuple(labels or KHABAR.quote_kinds)
        table = quote_doc_counts(_quotes(task, references, "reference", kinds),
                                 _quotes(task, predictions, "prediction", kinds), kinds=kinds,
                                 texts=_texts(references, texts))
        scores = quote_scores_from_counts(table.counts.sum(axis=0), table.columns)
    else:
        from benchmark.metrics.stance import holder_doc_counts, holder_scores_from_counts

        labels = tuple(labels or KHABAR.stance_labels)
        if polar is not None:
            for label in polar:
                _check_field(task, "polar", label, "polar label", labels, "labels")
        rows, lines = _stance_items(references, predictions, _labels(task, references, "reference", labels),
                                    _labels(task, predictions, "prediction", labels))
        table = holder_doc_counts(rows, lines, labels)
        scores = holder_scores_from_counts(table.counts.sum(axis=0), table.columns, polar)
    return {"headline": spec.headline, **{name: as_figure(value) for name, value in scores.items()},
            "counts": table.totals()}
