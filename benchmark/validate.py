"""Check an articles file — Khabar JSONL or a Label Studio JSON export — and list every problem.

The file kind is told by its content shape via the suffix: ``.jsonl`` is Article JSONL, ``.json`` a
Label Studio export, checked by :func:`benchmark.studio.export_scan.scan_export` — the very check
``khabar build`` runs, so a file that validates also builds. Every problem is collected; nothing
stops at the first one. What is skipped on purpose (cancelled annotations, tasks without a
completed annotation) is listed as a notice. A file with no article at all is a problem.

>>> import tempfile, pathlib, json
>>> path = pathlib.Path(tempfile.mkdtemp()) / "a.jsonl"
>>> _ = path.write_text(json.dumps({"doc_id": "d", "text": "abc",
...     "entities": [{"id": "m", "start": 0, "end": 9, "label": "PER"}]}) + "\\n")
>>> report = check_file(path)
>>> report.ok, len(report.problems)
(False, 1)
"""

from __future__ import annotations

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
    notices: list[str] = field(default_factory=list)
    """What was skipped on purpose and why (not problems: they do not fail the check)."""

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
    """Validate every record of ``path``; collect the valid articles, every problem and every notice.

    Records are lines of Article JSONL, tasks of a Label Studio export.
    """
    path = Path(path)
    kind = file_kind(path)
    report = FileReport(path=path, kind=kind)
    if not path.is_file():
        report.problems.append(f"{path}: no such file (fix: check the path)")
        return report
    if kind == "jsonl":
        _check_jsonl(path, schema, report, keep_articles)
    else:
        _check_studio(path, schema, report, keep_articles)
    return report


def _check_jsonl(path: Path, schema: LabelSchema, report: FileReport, keep_articles: bool) -> None:
    from benchmark.io import scan_articles

    for number, article, problems in scan_articles(path, schema):
        report.records += 1
        report.problems.extend(f"line {number}: {p}" for p in problems)
        if article is not None and keep_articles:
            report.articles.append(article)
    if not report.records:
        report.problems.append(f"{path}: the file holds no articles (fix: write one article object per line)")


def _check_studio(path: Path, schema: LabelSchema, report: FileReport, keep_articles: bool) -> None:
    from benchmark.studio.convert import ExportError
    from benchmark.studio.export_scan import scan_export

    try:
        for outcome in scan_export(path, schema):
            report.records += 1
            report.problems.extend(str(p) for p in outcome.problems)
            report.notices.extend(str(n) for n in outcome.notices)
            if keep_articles:
                report.articles.extend(outcome.articles)
    except ExportError as error:
        report.problems.append(str(error))
