"""Where release articles come from: a JSONL file, a Label Studio export, or a corpus importer.

All three stream (the Label Studio export is a JSON list, read one task at a time with
:func:`iter_json_array`) and all end in validated :class:`~benchmark.model.Article` records.

- ``articles.jsonl`` — Khabar JSONL (:func:`benchmark.io.read_articles`);
- ``export.json`` — a Label Studio JSON export, converted with
  :func:`benchmark.studio.convert.export_to_articles` (strict: any problem stops the build; each
  doc_id must have exactly one annotation, i.e. adjudicated gold);
- ``anercorp:/path/to/corpus`` — a registered importer (:data:`benchmark.importers.IMPORTERS`).

>>> spec = parse_source("anercorp:/data/anercorp")
>>> spec.kind, spec.name, str(spec.path)
('corpus', 'anercorp', '/data/anercorp')
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmark.model import Article
from benchmark.schema import KHABAR, LabelSchema

__all__ = ["ArticleStream", "SourceError", "SourceSpec", "iter_json_array", "parse_source", "read_source"]


class SourceError(ValueError):
    """An input that cannot be released as it is; the message names the item and the fix."""


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


def iter_json_array(path: str | Path, chunk_bytes: int = 1 << 21) -> Iterator[Any]:
    """Yield the items of a JSON array file (UTF-8, with or without a BOM) one at a time
    (memory: one item plus one chunk of ``chunk_bytes``).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.json"
    >>> _ = p.write_text('[{"a": 1}, {"b": [2, 3]} ,\\n {"c": "ع"}]', encoding="utf-8")
    >>> list(iter_json_array(p, chunk_bytes=4))
    [{'a': 1}, {'b': [2, 3]}, {'c': 'ع'}]
    """
    import codecs

    path = Path(path)
    decoder = json.JSONDecoder()
    text_decoder = codecs.getincrementaldecoder("utf-8-sig")()  # bytes.decode speed, BOM dropped
    with path.open("rb") as handle:
        buffer, pos, eof, offset = "", 0, False, 0

        def fill() -> bool:
            nonlocal buffer, pos, eof, offset
            data = handle.read(chunk_bytes)
            eof = not data
            held = len(text_decoder.getstate()[0])  # bytes of a character cut at the last chunk's end
            try:
                more = text_decoder.decode(data, final=eof)
            except UnicodeDecodeError as error:
                raise SourceError(f"{path}: not UTF-8 text ({error.reason} at byte {offset - held + error.start}); "
                                  f"export again with Label Studio's JSON format") from None
            offset += len(data)
            buffer, pos = buffer[pos:] + more, 0
            return bool(more) or not eof

        def skip_space() -> str:
            nonlocal pos
            while True:
                while pos < len(buffer) and buffer[pos] in " \t\r\n":
                    pos += 1
                if pos < len(buffer):
                    return buffer[pos]
                if not fill():
                    return ""

        if skip_space() != "[":
            raise SourceError(f"{path}: expected a JSON list of tasks (a Label Studio JSON export)")
        pos += 1
        first, index = True, 0
        while True:
            char = skip_space()
            if char == "]":
                return
            if not first:
                if char != ",":
                    raise SourceError(f"{path}: item {index}: expected ',' or ']' in the JSON list, got {char!r}")
                pos += 1
                skip_space()
            while True:
                try:
                    item, end = decoder.raw_decode(buffer, pos)
                    break
                except json.JSONDecodeError as error:
                    if eof or not fill():
                        raise SourceError(
                            f"{path}: item {index} is not valid JSON ({error.msg}); export "
                            f"again with Label Studio's JSON format"
                        ) from None
            yield item
            pos, first, index = end, False, index + 1


def _studio_articles(path: Path) -> Iterator[Article]:
    from benchmark.studio.convert import export_to_articles

    seen: dict[str, Any] = {}
    for index, task in enumerate(iter_json_array(path)):
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise SourceError(
                f"{path}: item {index} is not a task object with a 'data' object; use Label Studio's JSON export"
            )
        result = export_to_articles([task], source=path.name, strict=True)
        if result.problems:
            lines = "\n".join(f"  - {p}" for p in result.problems)
            raise SourceError(f"{path}: task {task.get('id')} cannot be released:\n{lines}")
        if len(result.articles) > 1:
            who = [a.provenance.annotator for a in result.articles]
            raise SourceError(
                f"{path}: task {task.get('id')} (doc_id {result.articles[0].doc_id}) has "
                f"{len(result.articles)} annotations (by {who}); release adjudicated gold: one "
                f"annotation per task"
            )
        for article in result.articles:
            if article.doc_id in seen:
                raise SourceError(
                    f"{path}: doc_id {article.doc_id} appears in tasks {seen[article.doc_id]} and "
                    f"{task.get('id')}; keep one task per article"
                )
            seen[article.doc_id] = task.get("id")
            yield article


def _studio_texts(path: Path) -> Iterator[Article]:
    """The tasks of an export as articles *without* annotations (doc_id, text, metadata): what split
    assignment needs, before or after adjudication."""
    from benchmark.studio.convert import task_to_article_fields

    seen: dict[str, Any] = {}
    for index, task in enumerate(iter_json_array(path)):
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise SourceError(
                f"{path}: item {index} is not a task object with a 'data' object; use Label Studio's JSON export"
            )
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


def read_source(spec: SourceSpec, *, texts_only: bool = False, **importer_options: Any) -> ArticleStream:
    """Stream the validated articles of one input (read again on every ``iter()``). ``texts_only``
    (for split assignment) reads a Label Studio export's task data only, so that un-adjudicated
    exports (several annotations per task) can be assigned to splits too."""
    return ArticleStream(lambda: _open_source(spec, texts_only, importer_options), f"{spec.kind}:{spec.path}")


def _open_source(spec: SourceSpec, texts_only: bool, importer_options: dict[str, Any]) -> Iterator[Article]:
    if spec.kind == "jsonl":
        from benchmark.io import read_articles

        return iter(read_articles(spec.path))
    if spec.kind == "studio":
        return _studio_texts(spec.path) if texts_only else _studio_articles(spec.path)
    from benchmark.importers import get_importer

    return iter(get_importer(spec.name).load(spec.path, **importer_options))
