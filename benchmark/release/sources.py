"""Where release articles come from: a JSONL file, a Label Studio export, or a corpus importer.

All three stream (the Label Studio export is a JSON list, read one task at a time with
:func:`iter_json_array`) and all end in validated :class:`~benchmark.model.Article` records.

- ``articles.jsonl`` — Khabar JSONL (:func:`benchmark.io.read_articles`);
- ``export.json`` — a Label Studio JSON export, checked and converted by
  :func:`benchmark.studio.export_scan.scan_export`, the check ``khabar validate`` runs (strict: any
  problem stops the build; each task must have exactly one completed annotation, i.e. adjudicated
  gold; skipped tasks and annotations are reported as notices);
- ``anercorp:/path/to/corpus`` — a registered importer (:data:`benchmark.importers.IMPORTERS`).

>>> spec = parse_source("anercorp:/data/anercorp")
>>> spec.kind, spec.name, str(spec.path)
('corpus', 'anercorp', '/data/anercorp')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmark.io import InputError, iter_json_array
from benchmark.model import Article
from benchmark.schema import KHABAR, LabelSchema

__all__ = ["ArticleStream", "SourceError", "SourceSpec", "iter_json_array", "parse_source", "read_source"]


SourceError = InputError
"""An input that cannot be released as it is; the message names the item and the fix (the same
error as :class:`benchmark.io.InputError`, which the readers raise)."""


class ArticleStream:
    """Articles read from an input, streamed, and read again from the start by every ``iter()``
    (a generator could be read once only: a second pass, e.g. counting then building, would see
    nothing).

    >>> stream = ArticleStream(lambda: iter([1, 2]), "two numbers")
    >>> list(stream), list(stream)
    ([1, 2], [1, 2])
    >>> list(ArticleStream.chain([stream, stream]))
    [1, 2, 1, 2]
    """

    def __init__(self, open_stream: Callable[[], Iterator[Article]], description: str):
        self._open, self.description = open_stream, description

    def __iter__(self) -> Iterator[Article]:
        return self._open()

    def __repr__(self) -> str:
        return f"ArticleStream({self.description})"

    @classmethod
    def chain(cls, streams: Iterable[Iterable[Article]]) -> ArticleStream:
        """One stream reading several in turn (each re-read on every ``iter()``)."""
        streams = list(streams)

        def read_all() -> Iterator[Article]:
            for stream in streams:
                yield from stream

        return cls(read_all, " + ".join(getattr(s, "description", type(s).__name__) for s in streams))


@dataclass(frozen=True)
class SourceSpec:
    """One input: ``kind`` is ``"jsonl"``, ``"studio"`` or ``"corpus"``; ``name`` is the corpus name
    (``"khabar"`` for Khabar's own annotation)."""

    kind: str
    path: Path
    name: str = "khabar"

    def schema(self) -> LabelSchema:
        if self.kind != "corpus":
            return KHABAR
        from benchmark.importers import get_importer

        return get_importer(self.name).schema


def parse_source(text: str) -> SourceSpec:
    """``PATH.jsonl`` | ``PATH.json`` (Label Studio export) | ``CORPUS:PATH`` (importer)."""
    name, sep, rest = text.partition(":")
    if sep and name and "/" not in name and not Path(text).exists():
        from benchmark.importers import IMPORTERS

        if name not in IMPORTERS:
            raise SourceError(
                f"{text}: no importer named {name!r}; known: {sorted(IMPORTERS)} "
                f"(or pass a .jsonl / Label Studio .json path)"
            )
        return SourceSpec("corpus", Path(rest), name)
    path = Path(text)
    if path.suffix == ".jsonl":
        return SourceSpec("jsonl", path)
    if path.suffix == ".json":
        return SourceSpec("studio", path)
    raise SourceError(
        f"{text}: cannot tell what this input is; pass a .jsonl file of articles, a Label "
        f"Studio JSON export (.json), or CORPUS:PATH for a registered importer"
    )


def _studio_articles(path: Path, notify: Callable[[str], None]) -> Iterator[Article]:
    """The articles of an export, checked by :func:`benchmark.studio.export_scan.scan_export` (the
    check ``khabar validate`` runs): the first task with a problem stops the build; every notice
    (a task or annotation skipped on purpose, and why) goes to ``notify``."""
    from benchmark.studio.export_scan import scan_export

    for outcome in scan_export(path):
        for notice in outcome.notices:
            notify(f"{path}: {notice}")
        if outcome.problems:
            lines = "\n".join(f"  - {p}" for p in outcome.problems)
            raise SourceError(f"{path}: task {outcome.task_id} cannot be released:\n{lines}\n"
                              f"(`khabar validate {path}` lists every problem of the file)")
        yield from outcome.articles


def _notice(message: str) -> None:
    """Where a notice goes when the caller gave no ``notify``: the ``benchmark`` logger (shown on
    stderr when logging is not configured)."""
    import logging

    logging.getLogger("benchmark").warning("notice: %s", message)


def _studio_texts(path: Path) -> Iterator[Article]:
    """The tasks of an export as articles *without* annotations (doc_id, text, metadata): what split
    assignment needs, before or after adjudication."""
    from benchmark.studio.convert import task_shape_problem, task_to_article_fields

    seen: dict[str, Any] = {}
    for index, task in enumerate(iter_json_array(path)):
        shape = task_shape_problem(task)
        if shape:
            raise SourceError(f"{path}: item {index} is not a task object with a 'data' object: {shape}")
        fields, problems = task_to_article_fields(task)
        if problems:
            lines = "\n".join(f"  - {message} (fix: {fix})" for message, fix in problems)
            raise SourceError(f"{path}: task {task.get('id')}:\n{lines}")
        if fields["doc_id"] in seen:
            raise SourceError(
                f"{path}: doc_id {fields['doc_id']} appears in tasks {seen[fields['doc_id']]} and "
                f"{task.get('id')}; keep one task per article"
            )
        seen[fields["doc_id"]] = task.get("id")
        yield Article.from_dict(fields, schema=None)


def read_source(spec: SourceSpec, *, texts_only: bool = False, notify: Callable[[str], None] | None = None,
                schema: LabelSchema = KHABAR, **importer_options: Any) -> ArticleStream:
    """Stream the validated articles of one input (read again on every ``iter()``). ``texts_only``
    (for split assignment) reads a Label Studio export's task data only, so that un-adjudicated
    exports (several annotations per task) can be assigned to splits too. ``notify`` receives every
    notice of a Label Studio export (cancelled annotations, tasks without a completed annotation);
    by default they go to the ``benchmark`` logger. ``schema``: the label schema of a JSONL input."""
    return ArticleStream(lambda: _open_source(spec, texts_only, importer_options, notify or _notice, schema),
                         f"{spec.kind}:{spec.path}")


def _open_source(spec: SourceSpec, texts_only: bool, importer_options: dict[str, Any],
                 notify: Callable[[str], None], schema: LabelSchema = KHABAR) -> Iterator[Article]:
    if spec.kind == "jsonl":
        from benchmark.io import read_articles

        return iter(read_articles(spec.path, schema))
    if spec.kind == "studio":
        return _studio_texts(spec.path) if texts_only else _studio_articles(spec.path, notify)
    from benchmark.importers import get_importer

    return iter(get_importer(spec.name).load(spec.path, **importer_options))
