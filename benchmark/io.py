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
import math
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import jsonlines

from benchmark.model import Article, ArticleError, Issue
from benchmark.schema import KHABAR, LabelSchema

__all__ = [
    "InputError",
    "JsonItem",
    "iter_json_array",
    "iter_json_items",
    "iter_jsonl_records",
    "line_column",
    "read_articles",
    "read_json",
    "scan_articles",
    "unwritable_values",
    "write_articles",
    "write_jsonl",
]

_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE_ESCAPE_BYTES = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
"""A JSON escape of a surrogate: the only way a lone surrogate gets into decoded text (the UTF-8
decoder refuses encoded ones), so texts without one need no further look."""
_TOO_DEEP = (
    "is nested deeper than the JSON reader allows (about 1,000 levels; a real record is a few levels deep)"
)


class InputError(ValueError):
    """An input file that cannot be read as it is; the message names the file, the place (item,
    line, column) and the fix."""


def unwritable_values(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """``(json_path, what)`` for every value of a decoded JSON document that cannot be written back
    as valid UTF-8 JSON: a lone surrogate in a string (or key), a NaN or ±Infinity number.

    >>> list(unwritable_values({"a": [1.5, float("nan")], "t": "x" + chr(0xD800)}))
    [('a[1]', 'the number NaN (not valid JSON)'), ('t', "a lone surrogate '\\\\ud800' (not valid UTF-8)")]
    """
    if isinstance(value, str):
        found = _SURROGATE.search(value)
        if found:
            yield path or "(value)", f"a lone surrogate {found.group()!r} (not valid UTF-8)"
    elif isinstance(value, float):
        if not math.isfinite(value):
            name = "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"
            yield path or "(value)", f"the number {name} (not valid JSON)"
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and _SURROGATE.search(key):
                yield where, "a key with a lone surrogate (not valid UTF-8)"
            yield from unwritable_values(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from unwritable_values(item, f"{path}[{index}]")


def read_json(path: str | Path, what: str = "JSON file") -> Any:
    """Read a whole (small) JSON file, raising :class:`InputError` naming the file, the line and
    column and the fix when it is missing, not UTF-8, not JSON or nested too deep to read.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.json"
    >>> _ = p.write_text('{"a": [1,\\n 2] x}', encoding="utf-8")
    >>> try:
    ...     read_json(p, "agreement report")
    ... except InputError as error:
    ...     print(str(error).split(": ", 1)[1].split(" (fix: ")[0])
    the agreement report is not valid JSON (Expecting ',' delimiter at line 2, column 5)
    """
    path = Path(path)
    fix = "write it again, e.g. with khabar annotate agreement --json" if "agreement" in what else "write it again"
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such {what} (fix: check the path)") from None
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: the {what} is not UTF-8 text ({error.reason} at byte {error.start}) "
                         f"(fix: {fix})") from None
    except json.JSONDecodeError as error:
        raise InputError(f"{path}: the {what} is not valid JSON ({error.msg} at line {error.lineno}, column "
                         f"{error.colno}) (fix: {fix})") from None
    except RecursionError:
        raise InputError(f"{path}: the {what} {_TOO_DEEP} (fix: {fix})") from None


class JsonItem(NamedTuple):
    """One item of a JSON array file: its index, value, ``offset`` (the character where it starts;
    :func:`line_column` turns it into a line and column) and ``odd``: True when its text holds a
    surrogate escape or a NaN/Infinity constant, i.e. when :func:`unwritable_values` may find
    something (the usual item needs no look)."""

    index: int
    value: Any
    offset: int
    odd: bool


def line_column(path: str | Path, offset: int, chunk_chars: int = 1 << 20) -> tuple[int, int]:
    """The 1-based (line, column) of character ``offset`` of a UTF-8 file (BOM not counted), read
    again from the start: for messages only, so the readers need not count lines as they go.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.json"
    >>> _ = p.write_text("[\\n  {},\\n {}]", encoding="utf-8-sig")
    >>> line_column(p, 4), line_column(p, 9)
    ((2, 3), (3, 2))
    """
    line, column, left = 1, 1, offset
    with Path(path).open("r", encoding="utf-8-sig", errors="replace", newline="") as handle:
        while left > 0:
            chunk = handle.read(min(chunk_chars, left))
            if not chunk:
                break
            left -= len(chunk)
            newlines = chunk.count("\n")
            if newlines:
                line += newlines
                column = len(chunk) - chunk.rfind("\n")
            else:
                column += len(chunk)
    return line, column


def iter_json_array(path: str | Path, chunk_bytes: int = 1 << 21) -> Iterator[Any]:
    """Yield the items of a JSON array file (UTF-8, with or without a BOM) one at a time
    (memory: one item plus one chunk of ``chunk_bytes``); see :func:`iter_json_items`.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.json"
    >>> _ = p.write_text('[{"a": 1}, {"b": [2, 3]} ,\\n {"c": "ع"}]', encoding="utf-8")
    >>> list(iter_json_array(p, chunk_bytes=4))
    [{'a': 1}, {'b': [2, 3]}, {'c': 'ع'}]
    """
    for item in iter_json_items(path, chunk_bytes):
        yield item.value


def _not_a_list_hint(head: str) -> str:
    """What a file that does not start with ``[`` probably is, and what to do instead."""
    first = head.lstrip()[:1]
    line = head.lstrip().split("\n", 1)[0]
    if first == "{":
        return ("it holds a JSON object, not a list of tasks (Article JSONL? name it .jsonl); export again "
                "from Label Studio choosing the JSON format")
    if "," in line or "\t" in line:
        return "it looks like CSV/TSV; export again from Label Studio choosing the JSON format (not CSV/TSV)"
    if not first:
        return "the file is empty; export again from Label Studio choosing the JSON format"
    return "export again from Label Studio choosing the JSON format (not CSV/TSV/CoNLL)"


def _recording_decoder() -> tuple[json.JSONDecoder, list[str]]:
    """A JSON decoder that also records every NaN/Infinity/-Infinity constant it reads (in the list)."""
    constants: list[str] = []

    def constant(name: str) -> float:
        constants.append(name)
        return float(name)

    return json.JSONDecoder(parse_constant=constant), constants


def iter_json_items(path: str | Path, chunk_bytes: int = 1 << 21) -> Iterator[JsonItem]:
    """Yield every item of a JSON array file as a :class:`JsonItem`, streaming.

    Raises :class:`InputError` naming the file, the item, its line and column and the fix: not
    UTF-8, not a list, a truncated or broken item, an item nested too deep for the reader.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.json"
    >>> _ = p.write_text('[\\n {"a": 1},\\n {"b": NaN}]', encoding="utf-8")
    >>> [(i.index, line_column(p, i.offset), i.odd) for i in iter_json_items(p)]
    [(0, (2, 2), False), (1, (3, 2), True)]
    """
    import codecs

    path = Path(path)
    decoder, constants = _recording_decoder()
    text_decoder = codecs.getincrementaldecoder("utf-8-sig")()  # bytes.decode speed, BOM dropped
    with path.open("rb") as handle:
        buffer, pos, eof, offset, base = "", 0, False, 0, 0  # base: the file's character at buffer[0]
        escapes, tail = False, b""  # a surrogate escape seen yet; the end of the last chunk

        def fill() -> bool:
            nonlocal buffer, pos, eof, offset, base, escapes, tail
            data = handle.read(chunk_bytes)
            eof = not data
            held = len(text_decoder.getstate()[0])  # bytes of a character cut at the last chunk's end
            try:
                more = text_decoder.decode(data, final=eof)
            except UnicodeDecodeError as error:
                raise InputError(f"{path}: not UTF-8 text ({error.reason} at byte {offset - held + error.start}); "
                                 f"export again with Label Studio's JSON format") from None
            if not escapes:  # one search of the bytes per chunk; items are looked at only once one is seen
                seen = tail + data
                escapes = _SURROGATE_ESCAPE_BYTES.search(seen) is not None
                tail = seen[-5:]
            offset += len(data)
            buffer, base, pos = buffer[pos:] + more, base + pos, 0
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

        def at(position: int) -> str:
            line, column = line_column(path, base + position)
            return f"line {line}, column {column}"

        if skip_space() != "[":
            raise InputError(f"{path}: expected a JSON list of tasks (a Label Studio JSON export): "
                             f"{_not_a_list_hint(buffer[pos:pos + 400])}")
        pos += 1
        first, index = True, 0
        while True:
            char = skip_space()
            if char == "]":
                return
            if not first:
                if char != ",":
                    got = "the end of the file (the file is cut short)" if not char else repr(char)
                    raise InputError(f"{path}: item {index}: expected ',' or ']' in the JSON list, got {got} at "
                                     f"{at(pos)}; export again with Label Studio's JSON format")
                pos += 1
                skip_space()
            while True:
                try:
                    item, end = decoder.raw_decode(buffer, pos)
                    break
                except json.JSONDecodeError as error:
                    if not eof:
                        fill()  # the item may go on in the next chunk: decode again (positions move)
                        continue
                    cut = " (the file is cut short)" if error.pos >= len(buffer) else ""
                    raise InputError(
                        f"{path}: item {index} is not valid JSON ({error.msg} at {at(max(error.pos, pos))}{cut}; "
                        f"the item starts at {at(pos)}); export again with Label Studio's JSON format"
                    ) from None
                except RecursionError:
                    raise InputError(
                        f"{path}: item {index} ({at(pos)}) {_TOO_DEEP}: this is not a Label Studio export; "
                        f"export again with Label Studio's JSON format"
                    ) from None
            odd = bool(constants) or (escapes and _SURROGATE_ESCAPE.search(buffer, pos, end) is not None)
            constants.clear()
            yield JsonItem(index, item, base + pos, odd)
            pos, first, index = end, False, index + 1


def iter_jsonl_records(path: str | Path) -> Iterator[tuple[int, Any, Issue | None]]:
    """Yield ``(line_number, record, None)`` per line, or ``(line_number, None, issue)`` for a line
    that is not valid JSON, is nested too deep to read, or holds a value that cannot be written
    back (NaN/Infinity, a lone surrogate: :func:`unwritable_values`). Blank lines are skipped.
    Streaming."""
    path = Path(path)
    decoder, constants = _recording_decoder()
    with path.open("r", encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                record = decoder.decode(line)
            except json.JSONDecodeError as error:
                yield number, None, Issue(where, "line", f"not valid JSON ({error.msg}, "
                                          f"column {error.colno})", "write one JSON object per line")
                continue
            except RecursionError:
                yield number, None, Issue(where, "line", f"the record {_TOO_DEEP}",
                                          "write one article object per line")
                continue
            if constants or ("\\u" in line and _SURROGATE_ESCAPE.search(line)):
                constants.clear()
                bad = [f"{field} holds {what}" for field, what in unwritable_values(record)]
                if bad:
                    yield number, None, Issue(where, "line", "; ".join(bad),
                                              "write numbers as finite numbers or null, and text as valid Unicode")
                    continue
            yield number, record, None


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
