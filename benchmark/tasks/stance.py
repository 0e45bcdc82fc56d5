"""The ``stance`` task: the stance of a holder (the article, or a quote's speaker) toward a target.

Gold row (one per :class:`~benchmark.model.Stance`)::

    {"id": "<doc_id>#<stance_id>", "doc_id": str, "stance_id": str, "text": str, "target": str,
     "holder": "article" | <quote id>,
     "holder_start": int, "holder_end": int,   # the holder quote's span, -1 for the article
     "label": str}                             # ClassLabel of the schema

Inputs-only row (public test split): the same without ``label``.

Submission line: ``{"id": "<doc_id>#<stance_id>", "label": str}`` or
``{"doc_id": str, "stance_id": str, "label": str}``.

Label sets differ per corpus (Khabar: favor/against/neutral; ANS: agree/disagree/other), so
everything takes a :class:`~benchmark.schema.LabelSchema`. F_avg is the mean F1 of the schema's
two polar labels (:func:`polar_labels`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from benchmark.schema import ARTICLE_HOLDER, LabelSchema
from benchmark.tasks.arrow import cached_arrow_schema
from benchmark.tasks.base import FieldProblem, Row, Task
from benchmark.tasks.checks import expect_keys

if TYPE_CHECKING:  # pragma: no cover
    import datasets
    import pyarrow

    from benchmark.metrics.base import CountTable
    from benchmark.model import Article

__all__ = ["STANCE", "polar_labels", "stance_id", "stance_labels"]

ID_SEPARATOR = "#"


def stance_id(doc_id: str, item_id: str) -> str:
    """The row id of a stance: ``f"{doc_id}#{stance_id}"``."""
    return f"{doc_id}{ID_SEPARATOR}{item_id}"


def stance_labels(schema: LabelSchema) -> tuple[str, ...]:
    """The stance labels of a schema (an open label set cannot be scored)."""
    if not schema.stance_labels:
        raise ValueError(f"schema {schema.name!r} has no closed stance label set; the stance task needs one")
    return tuple(schema.stance_labels)


def polar_labels(schema: LabelSchema) -> tuple[str, str]:
    """The two polar labels averaged by F_avg.

    A schema may declare them as ``stance_polar_labels``; otherwise they are its first two stance
    labels (Khabar: favor, against; ANS: agree, disagree; Mawqif: Favor, Against).
    """
    declared = getattr(schema, "stance_polar_labels", None)
    labels = tuple(declared) if declared else stance_labels(schema)[:2]
    if len(labels) != 2:
        raise ValueError(f"schema {schema.name!r}: F_avg needs two polar stance labels, got {labels}")
    return labels[0], labels[1]


def _features(schema: LabelSchema) -> datasets.Features:
    from datasets import ClassLabel, Features, Value

    return Features({
        "id": Value("string"), "doc_id": Value("string"), "stance_id": Value("string"),
        "text": Value("string"), "target": Value("string"), "holder": Value("string"),
        "holder_start": Value("int32"), "holder_end": Value("int32"),
        "label": ClassLabel(names=list(stance_labels(schema))),
    })


def _input_features(schema: LabelSchema) -> datasets.Features:
    from datasets import Features

    full = _features(schema)
    return Features({k: v for k, v in full.items() if k != "label"})


def _article_rows(article: Article, schema: LabelSchema) -> list[Row]:
    quotes = {q.id: q for q in article.quotes}
    rows = []
    for s in article.stances:
        quote = quotes.get(s.holder) if s.holder != ARTICLE_HOLDER else None
        rows.append({
            "id": stance_id(article.doc_id, s.id), "doc_id": article.doc_id, "stance_id": s.id,
            "text": article.text, "target": s.target, "holder": s.holder,
            "holder_start": quote.start if quote else -1, "holder_end": quote.end if quote else -1,
            "label": s.label,
        })
    return rows


def _arrow_rows(articles: Sequence[Article], schema: LabelSchema) -> pyarrow.Table:
    """The encoded gold rows of ``articles`` as one Arrow table, a column at a time from
    ``_article_rows`` (labels as class ids): no encoded dict per row (tested equal)."""
    import pyarrow as pa

    arrow_schema = cached_arrow_schema(_features, schema)
    rows = [row for article in articles for row in _article_rows(article, schema)]
    ids = {name: i for i, name in enumerate(stance_labels(schema))}
    columns = []
    for field in arrow_schema:
        values = [row[field.name] for row in rows]
        if field.name == "label":
            values = [ids[value] for value in values]  # KeyError: the build names the document
        columns.append(pa.array(values, field.type))
    return pa.Table.from_arrays(columns, schema=arrow_schema)


def _input_row(row: Row) -> Row:
    return {k: v for k, v in row.items() if k != "label"}


def _submission_id(line: Mapping[str, Any]) -> Any:
    if "id" in line:
        return line["id"]
    if isinstance(line.get("doc_id"), str) and isinstance(line.get("stance_id"), str):
        return stance_id(line["doc_id"], line["stance_id"])
    return None


def _check_line(record: Mapping[str, Any], gold: Row, schema: LabelSchema) -> list[FieldProblem]:
    if "id" in record:
        problems = expect_keys(record, required={"id": str, "label": str},
                               optional={"doc_id": str, "stance_id": str})
        if isinstance(record.get("doc_id"), str) and isinstance(record.get("stance_id"), str) and isinstance(
                record["id"], str) and stance_id(record["doc_id"], record["stance_id"]) != record["id"]:
            problems.append(FieldProblem("E16", f"id {record['id']!r} disagrees with doc_id + stance_id "
                                         f"({stance_id(record['doc_id'], record['stance_id'])!r})",
                                         "give either id, or doc_id and stance_id, consistently"))
    else:
        problems = expect_keys(record, required={"doc_id": str, "stance_id": str, "label": str})
    label = record.get("label")
    labels = stance_labels(schema)
    if isinstance(label, str) and label not in labels:
        problems.append(FieldProblem("E11", f"label {label!r} is not one of {list(labels)}",
                                     "use the corpus' stance labels exactly (case matters)"))
    return problems


def _doc_counts(gold_rows: Sequence[Row], predictions: Mapping[str, Mapping[str, Any]],
                schema: LabelSchema) -> CountTable:
    from benchmark.metrics.stance import stance_doc_counts

    return stance_doc_counts(
        [row["label"] for row in gold_rows],
        [predictions[row["id"]]["label"] if row["id"] in predictions else None for row in gold_rows],
        groups=[row["doc_id"] for row in gold_rows], labels=stance_labels(schema))


def _scores_from_counts(totals: Any, columns: Sequence[str], schema: LabelSchema) -> dict[str, Any]:
    from benchmark.metrics.stance import stance_scores_from_counts

    return stance_scores_from_counts(totals, columns, polar=polar_labels(schema))


STANCE = Task(
    name="stance",
    version="1.0",
    description="Stance of a holder (the article or a quoted speaker) toward a target, in Arabic news. "
                "Scored by macro-F1 over all labels; F_avg over the two polar labels (favor/against, "
                "StanceEval style), per-label figures and the confusion matrix are also reported.",
    unit="stance",
    id_field="id",
    headline="macro/f1",
    higher_is_better=True,
    submission_keys=("id", "label"),
    submission_example={"id": "saudinewsnet/2015-07-21/0042#st-article", "label": "against"},
    build_features=_features,
    build_input_features=_input_features,
    article_rows=_article_rows,
    arrow_rows=_arrow_rows,
    input_row=_input_row,
    article_fields=frozenset({"doc_id", "text", "entities", "quotes", "stances"}),
    labels=stance_labels,
    check_line=_check_line,
    doc_counts=_doc_counts,
    scores_from_counts=_scores_from_counts,
    headline_metrics=("macro/f1", "f_avg", "accuracy"),
    submission_id=_submission_id,
)
