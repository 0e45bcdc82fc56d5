"""SaudiNewsNet (Alhagri, 2015) raw articles → :class:`~benchmark.model.Article` (no annotations).

``dataset/YYYY-MM-DD.zip`` each hold one ``YYYY-MM-DD.json``: an array of articles with
``source, url, date_extracted, title, author, content``. This importer streams one day file at
a time (a few MB) and yields:

- doc_id ``saudinewsnet/<source>/<day>/<NNNN>``: ``<day>`` is the day file's name and ``NNNN``
  the article's position in that file's array (0-based, at least 4 digits), so an id is stable
  and points straight back to its record; skipped records keep their number;
- ``text`` = ``content`` unchanged, ``title``/``source``/``url`` as given (empty → null),
  ``published`` = the date part of ``date_extracted`` (the crawl date; the corpus README says
  it approximates publication only from 2015-08-01), ``meta["author"]`` (often a dateline plus
  a name), ``meta["date_extracted"]`` (full timestamp);
- records with empty ``content`` (354 in the corpus) are skipped, counted and noted
  (``empty_content_skipped``), never dropped silently.

Licence: CC BY-NC-SA 4.0 (non-commercial): use as an external test/scale resource only.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmark.importers._common import ImportProblem, ImportReport, checked
from benchmark.model import Article, Provenance
from benchmark.schema import LabelSchema, builtin_schema

__all__ = ["SAUDINEWSNET_SCHEMA", "import_saudinewsnet", "iter_day_files"]

SAUDINEWSNET_SCHEMA: LabelSchema = builtin_schema("saudinewsnet")
"""No annotation layers: any entity or stance would be an error."""


def iter_day_files(path: str | Path) -> Iterator[tuple[str, str, list[Any]]]:
    """Yield ``(where, day, records)`` per day file, in date order, from the corpus folder, the
    ``dataset`` folder, one ``.zip`` or one ``.json``."""
    path = Path(path)
    if path.is_dir():
        folder = path / "dataset" if (path / "dataset").is_dir() else path
        files = sorted(folder.glob("*.zip")) + sorted(folder.glob("*.json"))
        if not files:
            raise FileNotFoundError(f"{path}: no day files (*.zip or *.json)")
    elif path.is_file():
        files = [path]
    else:
        raise FileNotFoundError(f"{path}: no such file or folder")
    for file in files:
        if file.suffix == ".zip":
            with zipfile.ZipFile(file) as archive:
                members = sorted(n for n in archive.namelist() if n.endswith(".json"))
                if not members:
                    raise ImportProblem(file.name, ["no .json member in the zip"])
                for member in members:
                    yield f"{file.name}:{member}", Path(member).stem, _parse(archive.read(member), file.name)
        else:
            yield file.name, file.stem, _parse(file.read_bytes(), file.name)


def _parse(data: bytes, where: str) -> list[Any]:
    try:
        records = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportProblem(where, [f"not a UTF-8 JSON file ({error})"]) from None
    if not isinstance(records, list):
        raise ImportProblem(where, [f"expected a JSON array of articles, got {type(records).__name__}"])
    return records


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def import_saudinewsnet(path: str | Path, *, report: ImportReport | None = None,
                        strict: bool = True) -> Iterator[Article]:
    """Yield the SaudiNewsNet articles in day-file order (see the module docs)."""
    report = report if report is not None else ImportReport("saudinewsnet")
    for where_file, day, records in iter_day_files(path):
        width = max(4, len(str(len(records) - 1)))
        for index, record in enumerate(records):
            where = f"{where_file}[{index}]"
            report.count("records")
            if not isinstance(record, dict):
                raise ImportProblem(where, [f"expected an article object, got {type(record).__name__}"])
            content = record.get("content")
            if not isinstance(content, str) or not content.strip():
                report.note(where, "empty_content_skipped", "empty content; article skipped")
                continue
            source = _text(record.get("source")) or "unknown"
            stamp = _text(record.get("date_extracted"))
            meta = {"author": _text(record.get("author")), "date_extracted": stamp}
            fields = {"doc_id": f"saudinewsnet/{source}/{day}/{index:0{width}d}", "text": content,
                      "title": _text(record.get("title")), "source": source, "url": _text(record.get("url")),
                      "published": stamp[:10] if stamp else None, "variety": "msa", "meta": meta,
                      "provenance": Provenance(source=f"saudinewsnet:{where_file}")}
            article = checked(fields, SAUDINEWSNET_SCHEMA, where, report, strict)
            if article is not None:
                report.count("articles")
                yield article
