"""What a benchmark task is: one frozen :class:`Task` declaration per task (DESIGN §3).

A task says how an :class:`~benchmark.model.Article` becomes dataset rows (gold), how the
inputs-only rows of the public test split are derived, what a submission line looks like, how
a submission line is checked, and how a submission is scored. Everything that depends on a
corpus' label set takes a :class:`~benchmark.schema.LabelSchema` (default: Khabar's own).

The declarations live in :mod:`benchmark.tasks.ner`, :mod:`benchmark.tasks.quotes` and
:mod:`benchmark.tasks.stance`; :mod:`benchmark.tasks` holds the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from benchmark.schema import KHABAR, LabelSchema

if TYPE_CHECKING:  # pragma: no cover
    import datasets

    from benchmark.metrics.base import CountTable
    from benchmark.model import Article

__all__ = ["FieldProblem", "Row", "Task"]

Row = dict[str, Any]
"""One dataset row (a plain dict, as ``datasets`` yields it)."""


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One problem in one submission line, before it is numbered and located by the validator.

    ``code`` is a stable error code from :data:`benchmark.harness.validation.ERROR_CODES`.
    """

    code: str
    message: str
    fix: str


@dataclass(frozen=True)
class Task:
    """A benchmark task, declared once.

    Attributes:
        name: registry key (``"ner"``).
        version: bumped whenever rows, submission format or scoring change; results are keyed by
            (task, version, dataset revision).
        description: one paragraph for cards and ``--help``.
        unit: what one gold row / one submission line is (``"document"`` or ``"stance"``).
        id_field: the row key that identifies a gold row and a submission line.
        headline: the flat metric name that ranks systems (a key of the metric's scores).
        higher_is_better: direction of the headline metric.
        submission_keys: the keys a submission line must have (used to recognise a file that was
            written for another task).
        submission_example: one valid submission line, for docs and error messages.
        build_features: ``schema -> datasets.Features`` of the gold rows (lazy ``datasets`` import).
        build_input_features: ``schema -> datasets.Features`` of the inputs-only rows.
        article_rows: ``(article, schema) -> list[Row]``: the gold rows of one article.
        input_row: ``row -> Row``: the same row with every gold field removed.
        input_rows: ``(article, schema) -> list[Row]``: the inputs-only rows of the public hidden
            split, made from the article's inputs alone, so that no column can carry a label of
            this or another task (the gold rows may: ``ner``'s tokens are cut at entity
            boundaries, ``stance`` rows once gave the holder quote's span). Default
            (``None``): ``input_row`` of the rows of the article stripped of every layer
            (:meth:`Task.public_rows`). Same ids and order as ``article_rows``.
        labels: ``schema -> tuple[str, ...]``: the label names the task predicts.
        check_line: ``(record, gold_row, schema) -> list[FieldProblem]``: checks one submission
            line against its gold row (types, spans in range, labels); ids are checked by the
            validator.
        doc_counts: ``(gold_rows, submission_lines, schema) -> CountTable``: per-document raw
            counts; every metric is a function of summed counts (that is what makes bootstrap
            resampling of documents fast).
        scores_from_counts: ``(totals, columns, schema) -> {metric: value}``: the metrics from
            summed counts; ``totals`` may carry leading batch axes (bootstrap resamples).
        headline_metrics: the metrics shown first (terminal table, cards); all get CIs.
        submission_id: ``line -> id`` when a submission line may spell its id in several ways
            (stance: ``id`` or ``doc_id`` + ``stance_id``); default: ``line[id_field]``.
        arrow_rows: optional ``(articles, schema) -> pyarrow.Table``: the gold rows of many
            articles already encoded for Arrow (class ids), exactly what ``article_rows`` and
            the features' encoding give, made in vectorised passes; ``khabar build`` uses it for
            tasks whose rows are costly (``ner``'s token/BIO view). Tests hold the two equal.
        article_fields: the :class:`~benchmark.model.Article` fields ``article_rows`` and
            ``arrow_rows`` read (``doc_id`` and ``text`` always; ``None``: all of them).
            ``khabar build`` sends a worker process only these (:meth:`Article.only`); tests
            check the rows of the reduced article are the same.
    """

    name: str
    version: str
    description: str
    unit: str
    id_field: str
    headline: str
    higher_is_better: bool
    submission_keys: tuple[str, ...]
    submission_example: Mapping[str, Any]
    build_features: Callable[[LabelSchema], datasets.Features]
    build_input_features: Callable[[LabelSchema], datasets.Features]
    article_rows: Callable[[Article, LabelSchema], list[Row]]
    input_row: Callable[[Row], Row]
    labels: Callable[[LabelSchema], tuple[str, ...]]
    check_line: Callable[[Mapping[str, Any], Row, LabelSchema], list[FieldProblem]]
    doc_counts: Callable[[Sequence[Row], Sequence[Mapping[str, Any]], LabelSchema], CountTable]
    scores_from_counts: Callable[..., dict[str, Any]]
    headline_metrics: tuple[str, ...] = ()
    submission_id: Callable[[Mapping[str, Any]], Any] | None = None
    arrow_rows: Callable[[Sequence[Article], LabelSchema], Any] | None = None
    article_fields: frozenset[str] | None = None
    input_rows: Callable[[Article, LabelSchema], list[Row]] | None = None

    # -- convenience -------------------------------------------------------------------------

    def features(self, schema: LabelSchema = KHABAR) -> datasets.Features:
        """The ``datasets.Features`` of this task's gold rows for ``schema``."""
        return self.build_features(schema)

    def input_features(self, schema: LabelSchema = KHABAR) -> datasets.Features:
        """The ``datasets.Features`` of this task's inputs-only rows (public test split)."""
        return self.build_input_features(schema)

    def rows(self, articles: Sequence[Article] | Any, schema: LabelSchema = KHABAR) -> list[Row]:
        """Gold rows of many articles, in order."""
        out: list[Row] = []
        for article in articles:
            out.extend(self.article_rows(article, schema))
        return out

    def public_rows(self, article: Article, schema: LabelSchema = KHABAR) -> list[Row]:
        """The inputs-only rows of ``article`` for the public hidden split (see ``input_rows``)."""
        if self.input_rows is not None:
            return self.input_rows(article, schema)
        return [self.input_row(row) for row in self.article_rows(article.only(()), schema)]

    def label_names(self, schema: LabelSchema = KHABAR) -> tuple[str, ...]:
        """The label names this task predicts under ``schema``."""
        return self.labels(schema)

    def row_id(self, row: Mapping[str, Any]) -> str:
        """The id of a gold row / submission line."""
        return str(row[self.id_field])

    def line_id(self, line: Mapping[str, Any]) -> Any:
        """The id a submission line claims (``None`` when it has none)."""
        if self.submission_id is not None:
            return self.submission_id(line)
        return line.get(self.id_field)

    def __repr__(self) -> str:
        return f"Task(name={self.name!r}, version={self.version!r}, headline={self.headline!r})"
