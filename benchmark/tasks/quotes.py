"""The ``quotes`` task: who said what — quote spans, their kind and their speaker's span.

Gold row (one per article)::

    {"doc_id": str, "text": str,
     "entities": [{"id", "start", "end", "label", "cluster"}],
     "quotes": [{"id": str, "start": int, "end": int, "kind": str,
                 "cue_start": int, "cue_end": int,            # -1 when the quote has no cue
                 "speaker_start": int, "speaker_end": int,    # the linked speaker mention, -1 when none
                 "speaker_cluster": [{"start": int, "end": int}],  # every mention of the speaker's entity
                 "speaker_elided": bool}]}

``speaker_cluster`` lists the spans of all mentions in the speaker's entity cluster, sorted: a
predicted speaker span is right when it is any of them (DESIGN §2: a speaker is scored by
cluster, not by which mention was picked). It is empty when the speaker is not named anywhere.
``entities`` holds every mention, ``SOURCE`` mentions included (an unnamed source that speaks a
quote, guidelines 2.0 §5.7): a ``SOURCE`` speaker's cluster is filled like a named one's, and the
scorer reads the speaker type from the entities' labels (``speaker_type/*``, ``e2e_v1``).

Version 2.0 (guidelines 2.0): the headline ``e2e`` requires ``SOURCE`` speakers to be found;
``e2e_v1`` is the figure comparable with 1.x results (a ``SOURCE`` speaker is also right with
``speaker: null``, what v1.x gold had there).

Inputs-only row (public test split): ``{"doc_id", "text"}``.

Submission line::

    {"doc_id": str, "quotes": [{"start", "end", "kind", "speaker": {"start", "end"} | null}]}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from benchmark.schema import LabelSchema
from benchmark.tasks.arrow import cached_arrow_schema, list_of_structs
from benchmark.tasks.base import FieldProblem, Row, Task
from benchmark.tasks.checks import check_list_of_objects, check_repeated_span, check_span, expect_keys

if TYPE_CHECKING:  # pragma: no cover
    import datasets
    import pyarrow

    from benchmark.metrics.base import CountTable
    from benchmark.model import Article

__all__ = ["QUOTES", "quote_kinds"]


def quote_kinds(schema: LabelSchema) -> tuple[str, ...]:
    """The quote kinds of a schema."""
    return tuple(schema.quote_kinds)


def _features(schema: LabelSchema) -> datasets.Features:
    from datasets import Features, List, Value

    span = {"start": Value("int32"), "end": Value("int32")}
    return Features({
        "doc_id": Value("string"),
        "text": Value("string"),
        "entities": List({"id": Value("string"), **span, "label": Value("string"),
                          "cluster": Value("string")}),
        "quotes": List({
            "id": Value("string"), **span, "kind": Value("string"),
            "cue_start": Value("int32"), "cue_end": Value("int32"),
            "speaker_start": Value("int32"), "speaker_end": Value("int32"),
            "speaker_cluster": List(span),
            "speaker_elided": Value("bool"),
        }),
    })


def _input_features(schema: LabelSchema) -> datasets.Features:
    from datasets import Features

    full = _features(schema)
    return Features({k: full[k] for k in ("doc_id", "text")})


_ENTITY_FIELDS = ("id", "start", "end", "label", "cluster")
_QUOTE_FIELDS = ("id", "start", "end", "kind", "cue_start", "cue_end", "speaker_start", "speaker_end",
                 "speaker_cluster", "speaker_elided")


def _layers(article: Article) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The row's entities and quotes as tuples of field values (in ``_ENTITY_FIELDS`` /
    ``_QUOTE_FIELDS`` order), sorted by span: what both row makers are built from."""
    mentions = sorted(article.entities, key=lambda m: (m.start, m.end))
    entities = [(m.id, m.start, m.end, m.label, m.cluster) for m in mentions]
    if not article.quotes:
        return entities, []
    by_id = {m.id: m for m in article.entities}
    cluster_spans: dict[str, list[dict[str, int]]] = {}
    for m in mentions:
        cluster_spans.setdefault(m.cluster, []).append({"start": m.start, "end": m.end})
    quotes = []
    for q in sorted(article.quotes, key=lambda q: (q.start, q.end)):
        speaker = by_id.get(q.speaker) if q.speaker is not None else None
        quotes.append((q.id, q.start, q.end, q.kind, q.cue.start if q.cue else -1, q.cue.end if q.cue else -1,
                       speaker.start if speaker else -1, speaker.end if speaker else -1,
                       list(cluster_spans[speaker.cluster]) if speaker else [], q.speaker_elided))
    return entities, quotes


def _article_rows(article: Article, schema: LabelSchema) -> list[Row]:
    entities, quotes = _layers(article)
    return [{
        "doc_id": article.doc_id,
        "text": article.text,
        "entities": [dict(zip(_ENTITY_FIELDS, values, strict=True)) for values in entities],
        "quotes": [dict(zip(_QUOTE_FIELDS, values, strict=True)) for values in quotes],
    }]


def _arrow_rows(articles: Sequence[Article], schema: LabelSchema) -> pyarrow.Table:
    """The encoded gold rows of ``articles`` as one Arrow table, column by column: equal to
    ``_article_rows`` made into Arrow, row for row (tested)."""
    import pyarrow as pa

    arrow_schema = cached_arrow_schema(_features, schema)
    layers = [_layers(article) for article in articles]
    return pa.Table.from_arrays([
        pa.array([a.doc_id for a in articles], pa.string()),
        pa.array([a.text for a in articles], pa.string()),
        list_of_structs([entities for entities, _ in layers], arrow_schema.field("entities").type),
        list_of_structs([quotes for _, quotes in layers], arrow_schema.field("quotes").type),
    ], schema=arrow_schema)


def _input_row(row: Row) -> Row:
    return {k: row[k] for k in ("doc_id", "text")}


def _check_line(record: Mapping[str, Any], gold: Row, schema: LabelSchema) -> list[FieldProblem]:
    problems = expect_keys(record, required={"doc_id": str, "quotes": list})
    quotes = record.get("quotes")
    if not isinstance(quotes, list):
        return problems
    kinds = quote_kinds(schema)
    length = len(gold["text"])
    seen: dict[tuple[int, int], int] = {}
    for i, item in check_list_of_objects(quotes, "quotes", problems):
        where = f"quotes[{i}]"
        problems += expect_keys(item, required={"start": int, "end": int, "kind": str,
                                                "speaker": (dict, type(None))}, where=where)
        span_ok = check_span(item.get("start"), item.get("end"), length, where, problems)
        kind = item.get("kind")
        if isinstance(kind, str) and kind not in kinds:
            problems.append(FieldProblem("E15", f"{where}: kind {kind!r} is not one of {list(kinds)}",
                                         "use one of the listed quote kinds"))
        speaker = item.get("speaker")
        if isinstance(speaker, dict):
            problems += expect_keys(speaker, required={"start": int, "end": int}, where=f"{where}.speaker")
            check_span(speaker.get("start"), speaker.get("end"), length, f"{where}.speaker", problems)
        if span_ok:
            check_repeated_span(item, i, seen, "quotes", "give each quote once", problems)
    return problems


def _doc_counts(gold_rows: Sequence[Row], predictions: Mapping[str, Mapping[str, Any]],
                schema: LabelSchema) -> CountTable:
    from benchmark.metrics.quotes import quote_doc_counts, with_speaker_types

    doc_ids = [row["doc_id"] for row in gold_rows]
    y_pred = [predictions[d]["quotes"] if d in predictions else [] for d in doc_ids]
    y_true = [with_speaker_types(row, schema.source_labels) for row in gold_rows]
    return quote_doc_counts(y_true, y_pred, kinds=quote_kinds(schema), doc_ids=doc_ids,
                            texts=[row["text"] for row in gold_rows])


def _scores_from_counts(totals: Any, columns: Sequence[str], schema: LabelSchema) -> dict[str, Any]:
    from benchmark.metrics.quotes import quote_scores_from_counts

    return quote_scores_from_counts(totals, columns)


QUOTES = Task(
    name="quotes",
    version="2.0",
    description="Quote attribution on Arabic news: quote spans (direct, indirect, mixed) and the span of "
                "their speaker. Scored end to end: a quote counts when its span matches (the same core "
                "once edge quotation marks, punctuation and a leading complementizer are trimmed) and its "
                "speaker span is a mention of the gold speaker's cluster (any mention of it), an unnamed "
                "SOURCE speaker included; e2e_v1 forgives a missing speaker for SOURCE speakers (v1.x).",
    unit="document",
    id_field="doc_id",
    headline="e2e/f1",
    higher_is_better=True,
    submission_keys=("doc_id", "quotes"),
    submission_example={"doc_id": "saudinewsnet/2015-07-21/0042",
                        "quotes": [{"start": 12, "end": 31, "kind": "direct",
                                    "speaker": {"start": 5, "end": 10}}]},
    build_features=_features,
    build_input_features=_input_features,
    article_rows=_article_rows,
    arrow_rows=_arrow_rows,
    input_row=_input_row,
    article_fields=frozenset({"doc_id", "text", "entities", "quotes"}),
    labels=quote_kinds,
    check_line=_check_line,
    doc_counts=_doc_counts,
    scores_from_counts=_scores_from_counts,
    headline_metrics=("e2e/f1", "e2e/precision", "e2e/recall", "e2e_v1/f1", "e2e_exact/f1", "e2e_overlap/f1",
                      "span_exact/f1", "span_robust/f1", "span_overlap/f1", "speaker_accuracy"),
)
