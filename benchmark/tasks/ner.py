"""The ``ner`` task: find entity mentions (character spans + labels) in a news article.

Gold row (one per article)::

    {"doc_id": str, "text": str,
     "entities": [{"start": int, "end": int, "label": str}],          # sorted by (start, end)
     "tokens": [str], "token_spans": [{"start": int, "end": int}],   # the BIO view, from benchmark.text
     "ner_tags": [str]}                                             # "O", "B-PER", "I-PER", … (ClassLabel)

``entities`` holds every entity mention, nested ones included, and is what submissions are scored
against. Only mentions with an entity label are the task's (:func:`entity_view`): a ``SOURCE``
mention (a speaker-only label of the schema's ``source_labels``, guidelines 2.0 §5.7) is not an
entity, and no NER row, BIO view or NER baseline sees it. The token/BIO view
(``benchmark.text.article_to_bio``: clitics split, tokens cut at every entity boundary) can
carry only the outermost layer of nested mentions; it is published for training convenience.

Inputs-only row (public test split): ``{"doc_id", "text", "tokens", "token_spans"}``.

Submission line: ``{"doc_id": str, "entities": [{"start": int, "end": int, "label": str}]}``.
Scoring is on character spans (:mod:`benchmark.metrics.ner`); the headline is strict span micro-F1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from benchmark.schema import LabelSchema
from benchmark.tasks.arrow import cached_arrow_schema
from benchmark.tasks.base import FieldProblem, Row, Task
from benchmark.tasks.checks import check_list_of_objects, check_repeated_span, check_span, expect_keys

if TYPE_CHECKING:  # pragma: no cover
    import datasets
    import pyarrow

    from benchmark.metrics.base import CountTable
    from benchmark.model import Article
    from benchmark.text.batch import TokenBatch

__all__ = ["NER", "bio_names", "entity_labels", "entity_view"]


def entity_labels(schema: LabelSchema) -> tuple[str, ...]:
    """The entity labels of a schema (an open label set cannot be scored)."""
    if not schema.entity_labels:
        raise ValueError(f"schema {schema.name!r} has no closed entity label set; the ner task needs one")
    return tuple(schema.entity_labels)


def entity_view(article: Article, schema: LabelSchema) -> Article:
    """``article`` as the NER task sees it: its mentions without the schema's source labels
    (``SOURCE``), no quotes or stances (they may name a dropped mention); the article itself when
    it has no source mention. Mentions with any other label stay (a label outside the schema is an
    error where it is encoded, not a silent drop).

    >>> from benchmark.model import Article, Mention, Quote
    >>> from benchmark.schema import KHABAR
    >>> art = Article(doc_id="d", text="قالت مصادر إن بوتين وصل", entities=(
    ...     Mention("s1", 5, 10, "SOURCE"), Mention("m1", 14, 19, "PER")),
    ...     quotes=(Quote("q1", 14, 23, "indirect", speaker="s1"),))
    >>> [m.label for m in entity_view(art, KHABAR).entities]
    ['PER']
    """
    sources = schema.source_labels
    if not sources or not any(m.label in sources for m in article.entities):
        return article
    from benchmark.model import Mention

    kept = tuple(m for m in article.entities if m.label not in sources)
    ids = {m.id for m in kept}
    # an entity cluster never names a SOURCE mention in valid data; the view does not depend on it
    kept = tuple(m if m.cluster in ids else Mention(m.id, m.start, m.end, m.label) for m in kept)
    return article.only({"entities"}).replace(entities=kept)


def bio_names(schema: LabelSchema) -> tuple[str, ...]:
    """IOB2 tag names: ``O`` then ``B-X``, ``I-X`` for every label X, in schema order."""
    return ("O", *(f"{prefix}-{label}" for label in entity_labels(schema) for prefix in ("B", "I")))


def _features(schema: LabelSchema) -> datasets.Features:
    from datasets import ClassLabel, Features, List, Value

    span = {"start": Value("int32"), "end": Value("int32")}
    return Features({
        "doc_id": Value("string"),
        "text": Value("string"),
        "entities": List({**span, "label": Value("string")}),
        "tokens": List(Value("string")),
        "token_spans": List(span),
        "ner_tags": List(ClassLabel(names=list(bio_names(schema)))),
    })


def _input_features(schema: LabelSchema) -> datasets.Features:
    from datasets import Features

    full = _features(schema)
    return Features({k: full[k] for k in ("doc_id", "text", "tokens", "token_spans")})


def _article_rows(article: Article, schema: LabelSchema) -> list[Row]:
    from benchmark.text import article_to_bio

    article = entity_view(article, schema)
    view = article_to_bio(article)  # tokens cut at every entity boundary; the outermost layer in BIO
    return [{
        "doc_id": article.doc_id,
        "text": article.text,
        "entities": _entities(article),
        "tokens": [t.text for t in view.tokens],
        "token_spans": [{"start": t.start, "end": t.end} for t in view.tokens],
        "ner_tags": list(view.tags),
    }]


def _entities(article: Article) -> list[Row]:
    """The row's ``entities``: every mention of the :func:`entity_view` as ``{start, end, label}``,
    sorted by (start, end)."""
    return [{"start": s, "end": e, "label": label} for s, e, label in sorted(
        (m.start, m.end, m.label) for m in article.entities)]


def _arrow_rows(articles: Sequence[Article], schema: LabelSchema) -> pyarrow.Table:
    """The encoded gold rows of ``articles`` as one Arrow table, in vectorised passes
    (:func:`benchmark.text.batch.bio_batch`): equal to ``_article_rows`` + encoding, row for row."""
    import pyarrow as pa

    from benchmark.text.batch import bio_batch

    arrow_schema = cached_arrow_schema(_features, schema)
    articles = [entity_view(article, schema) for article in articles]
    view = bio_batch(articles, {name: i for i, name in enumerate(bio_names(schema))})
    tokens = view.tokens
    offsets = pa.array(tokens.bounds, pa.int32())

    def column(name: str, values: pa.Array) -> pa.Array:
        return pa.ListArray.from_arrays(offsets, values, type=arrow_schema.field(name).type)

    span_type = arrow_schema.field("token_spans").type.value_type
    spans = pa.StructArray.from_arrays([pa.array(tokens.starts, pa.int32()), pa.array(tokens.ends, pa.int32())],
                                       fields=list(span_type))
    texts, token_strings = _strings(tokens)
    return pa.Table.from_arrays([
        pa.array([a.doc_id for a in articles], pa.string()),
        texts,
        pa.array([_entities(a) for a in articles], arrow_schema.field("entities").type),
        column("tokens", token_strings),
        column("token_spans", spans),
        column("ner_tags", pa.array(view.tags, arrow_schema.field("ner_tags").type.value_type)),
    ], schema=arrow_schema)


def _strings(tokens: TokenBatch) -> tuple[pyarrow.Array, pyarrow.Array]:
    """The texts and every token as Arrow string arrays, the tokens cut out of the texts' own
    UTF-8 buffer (:meth:`TokenBatch.byte_offsets`): no token string is made. The texts are
    encoded once, by Arrow, which leaves each ``str`` holding its UTF-8 form: other configs'
    text columns of the same articles reuse it."""
    import numpy as np
    import pyarrow as pa

    texts = pa.array(tokens.texts, pa.string())  # (refuses lone surrogates, with Arrow's message)
    text_offsets, token_offsets = tokens.byte_offsets()
    if text_offsets.dtype == np.int32:
        if not np.array_equal(np.frombuffer(texts.buffers()[1], np.int32, len(texts) + 1), text_offsets):
            raise RuntimeError("ner: Arrow's UTF-8 of the texts differs from TokenBatch.byte_offsets (a bug)")
        kind, buffer = pa.string(), texts.buffers()[2]
    else:  # a batch of 512M code points or more: 64-bit offsets, over the texts encoded once more
        kind, buffer = pa.large_string(), pa.py_buffer("".join(tokens.texts).encode("utf-8"))
    # strings alternate token / the gap after it; every other one is a token (Arrow's take copies them)
    pieces = pa.Array.from_buffers(kind, max(len(token_offsets) - 1, 0),
                                   [None, pa.py_buffer(token_offsets if len(token_offsets) else text_offsets[:1]),
                                    buffer])
    token_strings = pieces.take(pa.array(np.arange(0, len(pieces), 2)))
    return texts, token_strings.cast(pa.string()) if kind != pa.string() else token_strings


def _input_row(row: Row) -> Row:
    return {k: row[k] for k in ("doc_id", "text", "tokens", "token_spans") if k in row}


_ENTITY_KEYS = frozenset({"start", "end", "label"})


def _all_plainly_valid(entities: list[Any], length: int, labels: frozenset[str]) -> bool:
    """Fast path for the common case: every entity a well-formed, in-range, distinct span.
    When it says no, the full checks below find and explain every problem."""
    spans = set()
    for item in entities:
        if type(item) is not dict or item.keys() != _ENTITY_KEYS:
            return False
        start, end = item["start"], item["end"]
        if type(start) is not int or type(end) is not int or not 0 <= start < end <= length:
            return False
        if type(item["label"]) is not str or item["label"] not in labels:
            return False
        spans.add((start, end))
    return len(spans) == len(entities)


def _check_line(record: Mapping[str, Any], gold: Row, schema: LabelSchema) -> list[FieldProblem]:
    problems = expect_keys(record, required={"doc_id": str, "entities": list}, optional={})
    entities = record.get("entities")
    if not isinstance(entities, list):
        return problems
    labels = entity_labels(schema)
    length = len(gold["text"])
    if _all_plainly_valid(entities, length, frozenset(labels)):
        return problems
    seen: dict[tuple[int, int], int] = {}
    for i, item in check_list_of_objects(entities, "entities", problems):
        where = f"entities[{i}]"
        problems += expect_keys(item, required={"start": int, "end": int, "label": str}, optional={},
                                where=where)
        span_ok = check_span(item.get("start"), item.get("end"), length, where, problems)
        label = item.get("label")
        if isinstance(label, str) and label not in labels:
            problems.append(FieldProblem("E11", f"{where}: label {label!r} is not one of {list(labels)}",
                                         "use the task's entity labels exactly (case matters)"))
        if span_ok:
            check_repeated_span(item, i, seen, "entities", "give each span once, with one label", problems)
    return problems


def _doc_counts(gold_rows: Sequence[Row], predictions: Mapping[str, Mapping[str, Any]],
                schema: LabelSchema) -> CountTable:
    from benchmark.metrics.base import CountTable
    from benchmark.metrics.ner import ner_doc_counts, ner_outermost_counts

    doc_ids = [row["doc_id"] for row in gold_rows]
    y_true = [row["entities"] for row in gold_rows]
    y_pred = [predictions[d]["entities"] if d in predictions else [] for d in doc_ids]
    labels = entity_labels(schema)
    return CountTable.concat([ner_doc_counts(y_true, y_pred, labels=labels, doc_ids=doc_ids),
                              ner_outermost_counts(y_true, y_pred, labels=labels, doc_ids=doc_ids)])


def _scores_from_counts(totals: Any, columns: Sequence[str], schema: LabelSchema) -> dict[str, Any]:
    from benchmark.metrics.ner import ner_outermost_scores_from_counts, ner_scores_from_counts

    return {**ner_scores_from_counts(totals, columns), **ner_outermost_scores_from_counts(totals, columns)}


NER = Task(
    name="ner",
    version="1.0",
    description="Named entity recognition on Arabic news: character spans with labels. Scored by strict "
                "span micro-F1 (exact boundaries and label); per label and the SemEval-2013 §9.1 schemes "
                "(strict, exact, partial, ent_type) are also reported.",
    unit="document",
    id_field="doc_id",
    headline="strict/f1",
    higher_is_better=True,
    submission_keys=("doc_id", "entities"),
    submission_example={"doc_id": "saudinewsnet/2015-07-21/0042",
                        "entities": [{"start": 5, "end": 10, "label": "PER"}]},
    build_features=_features,
    build_input_features=_input_features,
    article_rows=_article_rows,
    arrow_rows=_arrow_rows,
    input_row=_input_row,
    article_fields=frozenset({"doc_id", "text", "entities"}),
    labels=entity_labels,
    check_line=_check_line,
    doc_counts=_doc_counts,
    scores_from_counts=_scores_from_counts,
    headline_metrics=("strict/f1", "strict/precision", "strict/recall", "macro/f1", "exact/f1",
                      "partial/f1", "ent_type/f1", "outermost/f1"),
)
