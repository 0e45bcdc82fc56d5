"""Streaming JSONL read/write of :class:`~benchmark.model.Article` records (via ``jsonlines``).

Nothing here loads a whole file: readers yield one article at a time.

>>> import tempfile, pathlib
>>> from benchmark.model import Article
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.jsonl"
>>> write_articles(path, [Article(doc_id="d1", text="خبر")])
1
>>> [a.doc_id for a in read_articles(path)]
['d1']
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import jsonlines

from benchmark.model import Article, ArticleError, Issue
from benchmark.schema import KHABAR, LabelSchema

__all__ = ["iter_jsonl_records", "read_articles", "scan_articles", "write_articles", "write_jsonl"]


def iter_jsonl_records(path: str | Path) -> Iterator[tuple[int, Any, Issue | None]]:
    """Yield ``(line_number, record, None)`` per line, or ``(line_number, None, issue)`` for a line
    that is not valid JSON. Blank lines are skipped. Streaming."""
    path = Path(path)
    with path.open("r", encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line), None
            except json.JSONDecodeError as error:
                yield number, None, Issue(f"{path.name}:{number}", "line", f"not valid JSON ({error.msg}, "
                                          f"column {error.colno})", "write one JSON object per line")


def scan_articles(path: str | Path, schema: LabelSchema | None = KHABAR
                  ) -> Iterator[tuple[int, Article | None, list[Issue]]]:
    """Yield ``(line_number, article_or_None, problems)`` for every line; never stops early.

    Used by ``khabar validate`` to list every problem in a file.
    """
    seen: dict[str, int] = {}
    for number, record, issue in iter_jsonl_records(path):
        if issue is not None:
            yield number, None, [issue]
            continue
        try:
            article = Article.from_dict(record, schema)
        except ArticleError as error:
            yield number, None, list(error.issues)
            continue
        if article.doc_id in seen:
            yield number, None, [Issue(article.doc_id, "doc_id", f"duplicate doc_id (first on line "
                                       f"{seen[article.doc_id]})", "give every article a unique doc_id")]
            continue
        seen[article.doc_id] = number
        yield number, article, []


def read_articles(path: str | Path, schema: LabelSchema | None = KHABAR) -> Iterator[Article]:
    """Yield validated articles from a JSONL file; raise :class:`ArticleError` at the first bad line,
    naming the line, the doc_id, the item and the fix."""
    for number, article, problems in scan_articles(path, schema):
        if problems:
            located = [Issue(p.doc_id, f"line {number}: {p.item}", p.message, p.fix) for p in problems]
            raise ArticleError(located)
        assert article is not None
        yield article


def write_articles(path: str | Path, articles: Iterable[Article]) -> int:
    """Write articles as JSONL (UTF-8, Arabic unescaped); return how many were written."""
    return write_jsonl(path, (article.to_dict() for article in articles))


def write_jsonl(path: str | Path, records: Iterable[Any]) -> int:
    """Write JSON records (articles, submission lines, rows) one per line, UTF-8 with Arabic unescaped,
    creating the folder; return how many were written. Streaming: records may be a generator."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with jsonlines.open(path, mode="w", dumps=lambda obj: json.dumps(obj, ensure_ascii=False)) as writer:
        for record in records:
            writer.write(record)
            count += 1
    return count
