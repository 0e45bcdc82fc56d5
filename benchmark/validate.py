"""Check an articles file — Khabar JSONL or a Label Studio JSON export — and list every problem.

The file kind is told by its content shape via the suffix: ``.jsonl`` is Article JSONL, ``.json`` a
Label Studio export (converted per annotator with :mod:`benchmark.studio.convert`, strict). Every
problem is collected; nothing stops at the first one.

>>> import tempfile, pathlib, json
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.jsonl"
>>> _ = path.write_text(json.dumps({"doc_id": "d", "text": "abc",
...     "entities": [{"id": "m", "start": 0, "end": 9, "label": "PER"}]}) + "\\n")
>>> report = check_file(path)
>>> report.ok, len(report.problems)
(False, 1)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from benchmark.model import Article
from benchmark.schema import KHABAR, LabelSchema

__all__ = ["FileReport", "check_file", "file_kind"]


@dataclass
class FileReport:
    """Result of :func:`check_file`: the valid articles and every problem (as readable lines)."""

    path: Path
    kind: str
    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    records: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def file_kind(path: str | Path) -> str:
    """``"jsonl"`` (Article JSONL) or ``"studio"`` (Label Studio JSON export)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".jsonl":
        return "jsonl"
    if suffix == ".json":
        return "studio"
    raise ValueError(f"{path}: unknown file kind {suffix!r} (fix: pass Article JSONL (.jsonl) or a Label Studio "
                     "JSON export (.json))")


def check_file(path: str | Path, schema: LabelSchema = KHABAR, keep_articles: bool = True) -> FileReport:
    """Validate every record of ``path``; collect the valid articles and every problem."""
    path = Path(path)
    kind = file_kind(path)
    report = FileReport(path=path, kind=kind)
    if not path.is_file():
        report.problems.append(f"{path}: no such file (fix: check the path)")
        return report
    for article, problems in (_scan_jsonl(path, schema) if kind == "jsonl" else _scan_studio(path, schema)):
        report.records += 1
        report.problems.extend(problems)
        if article is not None and keep_articles:
            report.articles.append(article)
    return report


def _scan_jsonl(path: Path, schema: LabelSchema) -> Iterator[tuple[Article | None, list[str]]]:
    from benchmark.io import scan_articles

    for number, article, problems in scan_articles(path, schema):
        yield article, [f"line {number}: {p}" for p in problems]


def _scan_studio(path: Path, schema: LabelSchema) -> Iterator[tuple[Article | None, list[str]]]:
    from benchmark.release.sources import SourceError, iter_json_array
    from benchmark.studio.convert import export_to_articles

    try:
        for task in iter_json_array(path):
            result = export_to_articles([task], source=path.name, schema=schema, strict=True)
            problems = [str(p) for p in result.problems]
            if not result.articles:
                yield None, problems or [f"task {task.get('id') if isinstance(task, dict) else '?'}: "
                                         "no annotation to convert (fix: annotate or remove the task)"]
            for i, article in enumerate(result.articles):
                yield article, problems if i == 0 else []
    except SourceError as error:
        yield None, [str(error)]
