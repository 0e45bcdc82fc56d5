"""The ``stance`` task: the stance of a holder (the article, or a quote's speaker) toward a target.

Gold row (one per :class:`~benchmark.model.Stance`)::

    {"id": "<doc_id>#<n>",                      # opaque: a per-document counter (see below)
     "doc_id": str, "text": str, "target": str,
     "holder_kind": "article" | "quote",
     "stance_id": str, "holder": "article" | <quote id>,
     "holder_start": int, "holder_end": int,   # the holder quote's span, -1 for the article
     "label": str}                             # ClassLabel of the schema

Inputs-only row (the public hidden split): ``{"id", "doc_id", "text", "target", "holder_kind"}``.
Nothing in it comes from another task's labels: no quote span, no quote or stance id (the quote
spans are the hidden labels of the ``quotes`` config, on the same documents). In the other splits
every column is public, so the holder quote is given there (the oracle setting).

Row ids number a document's stances ``1, 2, …`` in the order (article before quote holders,
target, annotation order): the order says nothing the public columns do not already say.

Submission line: ``{"id": str, "label": str}`` for an article-holder row and
``{"id": str, "label": str, "quote": {"start": int, "end": int}}`` for a quote-holder row: the
system names the quote whose speaker holds the stance (end to end: the public hidden split does
not say which quote it is). Such a row is right when the quote matches the gold holder quote
(the ``quotes`` headline rule: the same core span, quotation marks and a leading
complementizer trimmed) and the label is right. The rows of one
document and target with a quote holder are interchangeable (nothing public tells them apart), so
their lines are matched to their gold quotes as a set (:mod:`benchmark.metrics.stance`).

Label sets differ per corpus (Khabar: favor/against/neutral; ANS: agree/disagree/other), so
everything takes a :class:`~benchmark.schema.LabelSchema`. F_avg is the mean F1 of the schema's
two polar labels (:func:`polar_labels`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmark.schema import ARTICLE_HOLDER, LabelSchema
from benchmark.tasks.arrow import cached_arrow_schema
from benchmark.tasks.base import FieldProblem, Row, Task
from benchmark.tasks.checks import check_span, expect_keys

if TYPE_CHECKING:  # pragma: no cover
    import datasets
    import pyarrow

    from benchmark.metrics.base import CountTable
    from benchmark.model import Article, Stance

__all__ = ["HOLDER_KINDS", "STANCE", "candidate_quotes", "holder_candidates", "holder_kind", "polar_labels",
           "read_quote_candidates", "stance_labels", "stance_line", "stance_row_id", "with_candidate_quotes"]

ID_SEPARATOR = "#"
HOLDER_KINDS: tuple[str, ...] = (ARTICLE_HOLDER, "quote")
"""``holder_kind`` values: the article itself, or a quote's speaker."""
INPUT_COLUMNS: tuple[str, ...] = ("id", "doc_id", "text", "target", "holder_kind")
"""The columns of the public hidden split: the inputs, and nothing derived from a label."""


def stance_row_id(doc_id: str, number: int) -> str:
    """The row id of a document's ``number``-th stance row: ``f"{doc_id}#{number}"``."""
    return f"{doc_id}{ID_SEPARATOR}{number}"


def holder_kind(holder: str) -> str:
    """``"article"`` for the article holder, ``"quote"`` for a quote id."""
    return ARTICLE_HOLDER if holder == ARTICLE_HOLDER else "quote"


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
        "id": Value("string"), "doc_id": Value("string"), "text": Value("string"), "target": Value("string"),
        "holder_kind": Value("string"), "stance_id": Value("string"), "holder": Value("string"),
        "holder_start": Value("int32"), "holder_end": Value("int32"),
        "label": ClassLabel(names=list(stance_labels(schema))),
    })


def _input_features(schema: LabelSchema) -> datasets.Features:
    from datasets import Features

    full = _features(schema)
    return Features({k: full[k] for k in INPUT_COLUMNS})


def _numbered(article: Article) -> list[tuple[int, Stance]]:
    """The article's stances in row order (article holders first, then by target, then as
    annotated), numbered from 1: the order and the numbers depend on the inputs alone."""
    ordered = sorted(enumerate(article.stances),
                     key=lambda item: (holder_kind(item[1].holder) != ARTICLE_HOLDER, item[1].target, item[0]))
    return [(number, stance) for number, (_, stance) in enumerate(ordered, start=1)]


def _article_rows(article: Article, schema: LabelSchema) -> list[Row]:
    quotes = {q.id: q for q in article.quotes}
    rows = []
    for number, s in _numbered(article):
        quote = quotes.get(s.holder) if s.holder != ARTICLE_HOLDER else None
        rows.append({
            "id": stance_row_id(article.doc_id, number), "doc_id": article.doc_id, "text": article.text,
            "target": s.target, "holder_kind": holder_kind(s.holder), "stance_id": s.id, "holder": s.holder,
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
    return {k: row[k] for k in INPUT_COLUMNS}


def _input_rows(article: Article, schema: LabelSchema) -> list[Row]:
    """The public rows of the hidden split, made from the inputs alone: the text, and each
    stance's target and holder kind (never its quote, its ids or its label)."""
    return [{"id": stance_row_id(article.doc_id, number), "doc_id": article.doc_id, "text": article.text,
             "target": s.target, "holder_kind": holder_kind(s.holder)} for number, s in _numbered(article)]


def _check_line(record: Mapping[str, Any], gold: Row, schema: LabelSchema) -> list[FieldProblem]:
    problems = expect_keys(record, required={"id": str, "label": str}, optional={"quote": (dict, type(None))})
    label = record.get("label")
    labels = stance_labels(schema)
    if isinstance(label, str) and label not in labels:
        problems.append(FieldProblem("E11", f"label {label!r} is not one of {list(labels)}",
                                     "use the corpus' stance labels exactly (case matters)"))
    quote = record.get("quote")
    if "holder_kind" not in gold and "holder" not in gold:
        return problems  # no gold row (the validator reports the line's id): types only
    if gold.get("holder_kind", holder_kind(gold.get("holder", ARTICLE_HOLDER))) == ARTICLE_HOLDER:
        if quote is not None:
            problems.append(FieldProblem("E18", "'quote' given for a row whose holder is the article",
                                         "remove 'quote' (or write null): only quote-holder rows name a quote"))
    elif quote is None:
        problems.append(FieldProblem("E18", "no 'quote' for a row whose holder is a quote",
                                     'add "quote": {"start": S, "end": E}, the span of the quote whose speaker '
                                     "holds this stance (code points on the row's text, end exclusive)"))
    elif isinstance(quote, dict):
        problems += expect_keys(quote, required={"start": int, "end": int}, where="quote")
        check_span(quote.get("start"), quote.get("end"), len(gold["text"]), "quote", problems)
    return problems


def _doc_counts(gold_rows: Sequence[Row], predictions: Mapping[str, Mapping[str, Any]],
                schema: LabelSchema) -> CountTable:
    from benchmark.metrics.stance import holder_doc_counts

    return holder_doc_counts(gold_rows, predictions, labels=stance_labels(schema))


def _scores_from_counts(totals: Any, columns: Sequence[str], schema: LabelSchema) -> dict[str, Any]:
    from benchmark.metrics.stance import holder_scores_from_counts

    return holder_scores_from_counts(totals, columns, polar=polar_labels(schema))


# --------------------------------------------------------------------------- for systems (baselines)

_QUOTATION_MARKS = re.compile(r'«[^«»]+»|"[^"]+"|“[^“”]+”|„[^„“”]+[“”]')


def candidate_quotes(text: str) -> list[tuple[int, int]]:
    """The spans inside quotation marks (« », " ", “ ”), in text order: the fallback candidates a
    system without a quote model can name as a stance's holder quote.

    >>> candidate_quotes('قال: "نعم" ثم «لا»')
    [(6, 9), (15, 17)]
    """
    return [(m.start() + 1, m.end() - 1) for m in _QUOTATION_MARKS.finditer(text)]


def holder_candidates(doc_id: str, text: str,
                      candidates: Mapping[str, Sequence[tuple[int, int]]] | None = None) -> list[tuple[int, int]]:
    """The quote spans a quote-holder row of document ``doc_id`` may name: ``candidates[doc_id]`` (e.g. a
    ``quotes`` submission), else :func:`candidate_quotes` of the text, else the whole text.

    >>> holder_candidates("d", 'قال: "نعم"'), holder_candidates("d", "نص", {"d": [(0, 1)]})
    ([(6, 9)], [(0, 1)])
    """
    return list((candidates or {}).get(doc_id, ())) or candidate_quotes(text) or [(0, len(text))]


def with_candidate_quotes(rows: Sequence[Row],
                          candidates: Mapping[str, Sequence[tuple[int, int]]] | None = None) -> list[Row]:
    """Inputs-only copies of ``rows`` whose quote-holder rows carry a candidate holder quote as
    ``holder_start``/``holder_end`` (a system's guess, never the gold one): the ``i``-th quote-holder
    row of a document takes the document's ``i``-th candidate (cycling), from ``candidates``
    (``doc_id -> spans``, e.g. a ``quotes`` submission), else :func:`candidate_quotes` of the
    text, else the whole text. Article-holder rows get ``-1``.

    >>> rows = [{"id": "d#1", "doc_id": "d", "text": 'قال: "نعم"', "target": "t", "holder_kind": "quote",
    ...          "holder_start": 5, "holder_end": 10, "label": "favor"}]
    >>> [(r["holder_start"], r["holder_end"]) for r in with_candidate_quotes(rows)]
    [(6, 9)]
    """
    out: list[Row] = []
    taken: dict[str, int] = {}
    for row in rows:
        inputs = _input_row(row)
        kind = inputs["holder_kind"]
        start = end = -1
        if kind != ARTICLE_HOLDER:
            spans = holder_candidates(inputs["doc_id"], inputs["text"], candidates)
            group = inputs["doc_id"]
            start, end = spans[taken.get(group, 0) % len(spans)]
            taken[group] = taken.get(group, 0) + 1
        out.append({**inputs, "holder_start": start, "holder_end": end})
    return out


def read_quote_candidates(path: str | Path) -> dict[str, list[tuple[int, int]]]:
    """``doc_id -> quote spans`` (sorted) of a ``quotes`` submission JSONL, the candidates of
    :func:`with_candidate_quotes`. A line that is not a quotes submission line raises ``ValueError``
    naming it."""
    from benchmark.io import iter_jsonl_records

    out: dict[str, list[tuple[int, int]]] = {}
    for number, record, issue in iter_jsonl_records(path):
        quotes = record.get("quotes") if isinstance(record, dict) else None
        if issue is not None or not isinstance(record.get("doc_id"), str) or not isinstance(quotes, list) or not all(
                isinstance(q, dict) and isinstance(q.get("start"), int) and isinstance(q.get("end"), int)
                for q in quotes):
            raise ValueError(f"{path}, line {number}: not a quotes submission line (fix: pass a quotes "
                             'submission, e.g. from `khabar baseline quotes predict`: {"doc_id", "quotes": '
                             '[{"start", "end", ...}]} per line)')
        out[record["doc_id"]] = sorted((q["start"], q["end"]) for q in quotes)
    return out


def stance_line(row: Mapping[str, Any], label: str) -> dict[str, Any]:
    """The submission line of one stance row: ``{"id", "label"}``, plus ``quote`` (the row's
    ``holder_start``/``holder_end``) for a quote-holder row."""
    line: dict[str, Any] = {"id": row["id"], "label": label}
    if row["holder_kind"] != ARTICLE_HOLDER:
        line["quote"] = {"start": row["holder_start"], "end": row["holder_end"]}
    return line


STANCE = Task(
    name="stance",
    version="2.0",
    description="Stance of a holder (the article or a quoted speaker) toward a target, in Arabic news. "
                "A quote-holder row names its quote (end to end: the hidden split does not give it) and "
                "counts when quote and label are right. Scored by macro-F1 over all labels; F_avg over "
                "the two polar labels (favor/against, StanceEval style), per-label figures, article- and "
                "quote-holder figures apart and the confusion matrix are also reported.",
    unit="stance",
    id_field="id",
    headline="macro/f1",
    higher_is_better=True,
    submission_keys=("id", "label"),
    submission_example={"id": "saudinewsnet/2015-07-21/0042#2", "label": "against",
                        "quote": {"start": 12, "end": 31}},
    build_features=_features,
    build_input_features=_input_features,
    article_rows=_article_rows,
    arrow_rows=_arrow_rows,
    input_row=_input_row,
    input_rows=_input_rows,
    article_fields=frozenset({"doc_id", "text", "entities", "quotes", "stances"}),
    labels=stance_labels,
    check_line=_check_line,
    doc_counts=_doc_counts,
    scores_from_counts=_scores_from_counts,
    headline_metrics=("macro/f1", "f_avg", "accuracy", "article_holder/macro/f1", "quote_holder/macro/f1",
                      "quote_holder/holder_accuracy"),
)
