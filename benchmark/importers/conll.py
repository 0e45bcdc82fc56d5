"""Any CoNLL-style file (one token per line, one tag column per nesting depth) → articles.

The layout is declared, never guessed line by line, and a line that does not fit it stops the
import with ``file:line`` and the fix (:class:`~benchmark.importers.ImportProblem`):

- ``token_column`` and ``tag_columns`` are 1-based column numbers (as ``cut -f``); the tag
  columns go from the outermost nesting depth to the innermost (``tag_columns=(2, 3)``: column 2
  holds depth 1, column 3 the entities nested inside them). Other columns are not read, and the
  report says so once (``columns_not_read``).
- ``delimiter``: ``"tab"``, ``"space"`` (exactly one space between columns) or ``"auto"`` (the
  first data line decides; every later line must use the same). Every data line has the same
  number of columns as the first one.
- ``scheme``: ``"IOB2"``, ``"IOB1"`` or ``"BIOES"``, read strictly (see :func:`decode_tags`):
  IOB2 refuses ``I-X`` that does not continue an ``X`` entity unless ``repair=True`` (then it is
  read as ``B-X`` and every repair is noted with its line); IOB1 refuses ``B-X`` that does not
  directly follow an ``X`` entity (the sign of an IOB2 file); BIOES refuses every broken entity.
- sentences end at blank lines and, with ``sentence_marker``, at a line whose token is the marker
  (the marker is not text). Documents are ``sentences_per_doc`` sentences, or, with
  ``doc_marker``, the sentences between two lines whose token is the marker (e.g. ``-DOCSTART-``).
- ``encoding`` names the file's encoding (a UTF-8 BOM is dropped); a byte that does not decode
  stops the import with its line.

Text and offsets: a document's tokens (all its sentences) are joined by single spaces, so every
entity is the half-open code-point span of its tokens in that text (invisible marks at its edges
trimmed, as the data model asks). ``meta`` keeps ``sentence_offsets`` (where each sentence
starts), ``lines`` and ``file``. Nesting is kept whole: an entity of depth ``k + 1`` must lie
inside an entity of depth ``k`` (else the line is refused: move it to the column of its depth),
so the depth of every mention is the number of mentions around it, plus one, and
:func:`article_tags` writes the columns back (the round trip is tested for every layer).

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "news.conll"
>>> _ = path.write_text("زار\\tO\\tO\\nوزير\\tB-PER\\tO\\nخارجية\\tI-PER\\tB-ORG\\nعمان\\tI-PER\\tI-ORG\\n",
...                     encoding="utf-8")
>>> [article] = import_conll(path, tag_columns=(2, 3))
>>> article.text, [(article.surface(m), m.label) for m in article.entities]
('زار وزير خارجية عمان', [('وزير خارجية عمان', 'PER'), ('خارجية عمان', 'ORG')])
>>> article_tags(article, depth=2)[0][2]
('خارجية', 'I-PER', 'B-ORG')
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmark.importers._common import ImportProblem, ImportReport, checked, skip_invalid
from benchmark.model import Article, Mention, Provenance
from benchmark.schema import LabelSchema, resolve_schema

__all__ = [
    "CONLL_SCHEMA",
    "DELIMITERS",
    "SCHEMES",
    "ConllLayout",
    "article_tags",
    "decode_tags",
    "encode_tags",
    "import_conll",
    "read_documents",
]

SCHEMES = ("IOB2", "IOB1", "BIOES")
DELIMITERS = ("auto", "tab", "space")
CONLL_SCHEMA = LabelSchema(name="conll", entity_labels=None, stance_labels=())
"""Used when no schema is given: any entity label (the labels found are listed in the report)."""

_PREFIXES = {"IOB2": "BI", "IOB1": "BI", "BIOES": "BIES"}


@dataclass(frozen=True, slots=True)
class ConllLayout:
    """How a CoNLL file is laid out; built from :func:`import_conll`'s options and checked here."""

    token_column: int = 1
    tag_columns: tuple[int, ...] = (2,)
    delimiter: str = "auto"
    scheme: str = "IOB2"
    sentence_marker: str = ""
    doc_marker: str = ""
    sentences_per_doc: int = 10
    encoding: str = "utf-8"
    repair: bool = False

    def __post_init__(self) -> None:
        if self.scheme not in SCHEMES:
            raise ValueError(f"scheme must be one of {list(SCHEMES)}, got {self.scheme!r}")
        if self.delimiter not in DELIMITERS:
            raise ValueError(f"delimiter must be one of {list(DELIMITERS)}, got {self.delimiter!r}")
        columns = (self.token_column, *self.tag_columns)
        if not self.tag_columns or any(not isinstance(c, int) or c < 1 for c in columns):
            raise ValueError(f"columns are numbered from 1 and at least one tag column is needed; got token "
                             f"column {self.token_column}, tag columns {list(self.tag_columns)}")
        if len(set(columns)) != len(columns):
            raise ValueError(f"the token column and the tag columns must differ; got token column "
                             f"{self.token_column}, tag columns {list(self.tag_columns)}")
        if self.repair and self.scheme != "IOB2":
            raise ValueError("repair applies to IOB2 only (I-X after O read as B-X); "
                             f"{self.scheme} is read strictly")
        if self.sentences_per_doc < 1:
            raise ValueError(f"sentences_per_doc must be at least 1, got {self.sentences_per_doc}")


# --------------------------------------------------------------------------- tags <-> spans


def decode_tags(tags: list[str], scheme: str, lines: Sequence[int], where: str, column: int,
                report: ImportReport | None = None, repair: bool = False) -> list[tuple[int, int, str]]:
    """One sentence's tags of one column → ``(first_token, end_token, type)`` (end exclusive).

    Strict per scheme; a violation raises :class:`ImportProblem` at ``where:line`` with the fix.
    With ``repair`` (IOB2 only) an ``I-X`` that does not continue an ``X`` entity is read as
    ``B-X`` and noted in ``report`` (kind ``i_after_o_repaired``).

    >>> decode_tags(["I-PER", "I-PER", "O", "I-LOC", "B-LOC"], "IOB1", [1, 2, 3, 4, 5], "f", 2)
    [(0, 2, 'PER'), (3, 4, 'LOC'), (4, 5, 'LOC')]
    """
    if tags.count("O") == len(tags):  # most inner columns: nothing to decode
        return []
    allowed = _PREFIXES[scheme]
    spans: list[tuple[int, int, str]] = []
    start = -1
    current = ""  # type of the open entity ("" = none)
    for index, tag in enumerate(tags):
        if tag == "O":
            if current and scheme == "BIOES":
                _refuse(where, lines[index], column, tag, f"the {current} entity opened at line "
                        f"{lines[start]} is not closed: BIOES ends an entity with E-{current}")
            if current:
                spans.append((start, index, current))
                current = ""
            continue
        prefix, kind = tag[:1], tag[2:]
        if len(tag) < 3 or tag[1] != "-" or prefix not in allowed or kind.split() != [kind]:
            shapes = "O, " + ", ".join(f"{p}-TYPE" for p in allowed)
            _refuse(where, lines[index], column, tag, f"not a {scheme} tag ({shapes}, TYPE without spaces); fix the "
                    "tag, or pass the file's scheme (--scheme) and its tag columns (--tag-columns)")
        continues = current == kind
        if scheme == "IOB2":
            if prefix == "I" and not continues:
                if not repair:
                    before = f"a {current} entity" if current else "O"
                    _refuse(where, lines[index], column, tag, f"it follows {before}: in IOB2 an entity starts with "
                            f"B-{kind}; change it to B-{kind}, pass --scheme IOB1 if the file is IOB1, or "
                            "--repair to read it as B- (each repair noted in the report)")
                if report is not None:
                    report.note(f"{where}:{lines[index]}", "i_after_o_repaired",
                                f"column {column}: {tag} does not continue a {kind} entity; read as B-{kind}")
            opens = prefix == "B" or not continues
        elif scheme == "IOB1":
            if prefix == "B" and not continues:
                _refuse(where, lines[index], column, tag, f"in IOB1, B-{kind} only starts a {kind} entity that "
                        f"directly follows another {kind} entity; an entity after O starts with I-{kind}. "
                        "If the file is IOB2, pass --scheme IOB2")
            opens = prefix == "B" or not continues
        else:  # BIOES
            if prefix in "BS" and current:
                _refuse(where, lines[index], column, tag, f"the {current} entity opened at line {lines[start]} "
                        f"is not closed: BIOES ends an entity with E-{current} before {tag}")
            if prefix in "IE" and not continues:
                before = f"a {current} entity" if current else "O"
                _refuse(where, lines[index], column, tag, f"it follows {before}: in BIOES, {prefix}-{kind} continues a "
                        f"{kind} entity opened by B-{kind} (a one-token entity is S-{kind})")
            opens = prefix in "BS"
        if opens:
            if current:
                spans.append((start, index, current))
            start, current = index, kind
        if scheme == "BIOES" and prefix in "ES":
            spans.append((start, index + 1, current))
            current = ""
    if current:
        if scheme == "BIOES":
            _refuse(where, lines[start], column, tags[start], f"the {current} entity is not closed at the end of "
                    f"its sentence: BIOES ends an entity with E-{current}")
        spans.append((start, len(tags), current))
    return spans


def encode_tags(spans: Sequence[tuple[int, int, str]], length: int, scheme: str) -> list[str]:
    """``(first_token, end_token, type)`` spans of one layer (not overlapping) → tags in ``scheme``.

    >>> encode_tags([(0, 2, "PER"), (2, 3, "PER")], 4, "IOB1")
    ['I-PER', 'I-PER', 'B-PER', 'O']
    >>> encode_tags([(0, 2, "PER"), (3, 4, "LOC")], 4, "BIOES")
    ['B-PER', 'E-PER', 'O', 'S-LOC']
    """
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {list(SCHEMES)}, got {scheme!r}")
    tags = ["O"] * length
    previous_end, previous_kind = -1, ""
    for first, end, kind in sorted(spans):
        if scheme == "BIOES":
            if end - first == 1:
                tags[first] = f"S-{kind}"
            else:
                tags[first], tags[end - 1] = f"B-{kind}", f"E-{kind}"
                tags[first + 1 : end - 1] = [f"I-{kind}"] * (end - first - 2)
        else:
            tags[first:end] = [f"I-{kind}"] * (end - first)
            if scheme == "IOB2" or (previous_end == first and previous_kind == kind):
                tags[first] = f"B-{kind}"
        previous_end, previous_kind = end, kind
    return tags


def _refuse(where: str, line: int, column: int, tag: str, why: str) -> None:
    raise ImportProblem(f"{where}:{line}", [f"column {column}, tag {tag!r}: {why}"])


# --------------------------------------------------------------------------- reading


@dataclass(slots=True)
class _Sentence:
    tokens: list[str]
    tags: list[list[str]]  # one list per tag column
    lines: Sequence[int]


@dataclass(slots=True)
class _Document:
    sentences: list[_Sentence]
    number: int  # 1-based among the file's documents (with doc_marker), else 0
    first_sentence: int  # index of its first sentence in the file


def _decode_file(path: Path, encoding: str) -> str:
    data = path.read_bytes()
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportProblem(f"{path.name}:{line}", [f"bytes do not decode as {encoding} ({error.reason}); "
                                                    "pass the file's encoding (--encoding)"]) from None
    except LookupError:
        raise ValueError(f"unknown encoding {encoding!r} (a Python codec name such as utf-8, cp1256)") from None
    text = text[1:] if text.startswith("\ufeff") else text
    return text.replace("\r\n", "\n") if "\r" in text else text  # CRLF files; a lone CR stays (and is refused)


def read_documents(path: str | Path, layout: ConllLayout, report: ImportReport) -> Iterator[_Document]:
    """The file's documents (lists of sentences), each line checked against ``layout``."""
    path = Path(path)
    if not path.is_file():
        what = "a folder" if path.is_dir() else "no such file"
        raise FileNotFoundError(f"{path}: {what}; pass the CoNLL file(s) themselves")
    name = path.name
    token_at = layout.token_column - 1
    tag_at = [c - 1 for c in layout.tag_columns]
    sep = {"tab": "\t", "space": " "}.get(layout.delimiter, "")
    width = 0  # columns per data line, from the first one
    sentences: list[_Sentence] = []
    rows: list[list[str]] = []  # the current sentence's lines, split into columns
    first_line = 0  # file line of its first row (a sentence's lines are consecutive)
    documents = sentence_count = 0

    def end_sentence() -> None:
        nonlocal rows
        if not rows:
            return
        tokens = [row[token_at] for row in rows]
        if " ".join(tokens).split() != tokens:  # one check per sentence: an empty token or white space in one
            bad = next(i for i, token in enumerate(tokens) if token.split() != [token])
            _line_problem(name, first_line + bad, sep.join(rows[bad]), f"token {tokens[bad]!r} is empty or holds "
                          "white space; tokens are joined with single spaces into the text, so it could not be "
                          "read back: fix the token")
        tags = [[row[at] for row in rows] for at in tag_at]
        sentences.append(_Sentence(tokens, tags, range(first_line, first_line + len(rows))))
        rows = []

    markers = tuple(m for m in (layout.doc_marker, layout.sentence_marker) if m)
    for number, line in enumerate(_decode_file(path, layout.encoding).split("\n"), start=1):
        if not line or line.isspace():
            if line:
                _line_problem(name, number, line, "holds only white space: a sentence break is an empty line")
            end_sentence()
            continue
        if markers and line.startswith(markers):
            head = line.split(None, 1)[0]
            if head == layout.doc_marker:
                _marker_line(name, number, line, layout.doc_marker)
                end_sentence()
                if sentences:
                    documents += 1
                    yield _Document(sentences, documents, sentence_count)
                sentence_count += len(sentences)
                sentences = []
                continue
            if head == layout.sentence_marker:
                _marker_line(name, number, line, layout.sentence_marker)
                end_sentence()
                continue
        if not sep:
            sep = "\t" if "\t" in line else " "
        fields = line.split(sep)
        if not width:
            width = len(fields)
            _check_width(name, number, line, layout, width, sep)
            unread = sorted(set(range(1, width + 1)) - {layout.token_column, *layout.tag_columns})
            if unread:
                report.note(f"{name}:{number}", "columns_not_read",
                            f"column(s) {unread} of {width} are neither the token nor a tag column: not read")
        if len(fields) != width or "" in fields:
            _bad_columns(name, number, line, fields, width, sep)
        if not rows:
            first_line = number
        rows.append(fields)
    end_sentence()
    if sentences:
        yield _Document(sentences, documents + 1 if layout.doc_marker else 0, sentence_count)


def _bad_columns(name: str, number: int, line: str, fields: list[str], width: int, sep: str) -> None:
    kind = "tabs" if sep == "\t" else "spaces"
    if "" in fields:
        _line_problem(name, number, line, f"has an empty column (two {kind} in a row, or one at the start or end "
                      "of the line): remove the extra separator")
    other = " " if sep == "\t" else "\t"
    hint = f" (it separates columns with {'tabs' if other == chr(9) else 'spaces'})" if other in line else ""
    one = "one tab" if sep == "\t" else "one space"
    _line_problem(name, number, line, f"has {len(fields)} column(s), the file has {width} (from its first line)"
                  f"{hint}; every line is token and tag columns separated by {one}: fix the line, or declare the "
                  "layout (--token-column, --tag-columns, --delimiter)")


def _line_problem(name: str, number: int, line: str, why: str) -> None:
    raise ImportProblem(f"{name}:{number}", [f"line {line!r} {why}"])


def _check_width(name: str, number: int, line: str, layout: ConllLayout, width: int, sep: str) -> None:
    needed = max(layout.token_column, *layout.tag_columns)
    if width < needed:
        _line_problem(name, number, line, f"has {width} column(s) (separated by "
                      f"{'tabs' if sep == chr(9) else 'spaces'}) but the layout reads column {needed}: pass the "
                      "file's --token-column and --tag-columns (and --delimiter)")


def _marker_line(name: str, number: int, line: str, marker: str) -> None:
    tagged = [field for field in line.split()[1:] if field[:2] in ("B-", "I-", "E-", "S-")]
    if tagged:
        _line_problem(name, number, line, f"is the marker {marker!r} but carries the tag(s) {tagged}: a marker "
                      "is not text; tag it O or remove the tags")


# --------------------------------------------------------------------------- articles


def _document_article(document: _Document, layout: ConllLayout, name: str, prefix: str, schema: LabelSchema,
                      report: ImportReport, strict: bool, split: str) -> Article | None:
    """One document's article: tokens joined by single spaces, every tag column decoded into
    mentions (labels checked against ``schema`` at their line), validated by :func:`checked`."""
    sentences = document.sentences
    tokens = [token for sentence in sentences for token in sentence.tokens]
    text = " ".join(tokens)
    starts: list[int] = []
    position = 0
    for token in tokens:
        starts.append(position)
        position += len(token) + 1
    known = None if schema.entity_labels is None else frozenset(schema.entity_labels)
    spans: list[tuple[int, int, str, int, int]] = []  # start, end, label, depth, line
    sentence_offsets: list[int] = []
    base = 0
    for sentence in sentences:
        sentence_offsets.append(starts[base])
        for depth, (column, tags) in enumerate(zip(layout.tag_columns, sentence.tags, strict=True), start=1):
            for first, end, label in decode_tags(tags, layout.scheme, sentence.lines, name, column, report,
                                                 layout.repair):
                if known is not None and label not in known:
                    raise ImportProblem(f"{name}:{sentence.lines[first]}", [
                        f"column {column}: entity type {label!r} is not in the {schema.name} schema "
                        f"{sorted(known)}; add it to the schema file (--schema) or fix the tag"])
                spans.append((starts[base + first], starts[base + end - 1] + len(tokens[base + end - 1]), label,
                              depth, sentence.lines[first]))
        base += len(sentence.tokens)
    mentions = _mentions(text, spans, name, layout)
    first_line, last_line = sentences[0].lines[0], sentences[-1].lines[-1]
    if document.number:
        doc_id = f"{prefix}/d{document.number:05d}"
    else:
        doc_id = f"{prefix}/s{document.first_sentence:05d}-{document.first_sentence + len(sentences) - 1:05d}"
    meta: dict = {"file": name, "lines": [first_line, last_line], "sentence_offsets": sentence_offsets}
    if split:
        meta["split"] = split
    fields = {"doc_id": doc_id, "text": text, "meta": meta, "entities": tuple(mentions),
              "provenance": Provenance(source=f"conll:{name}")}
    article = checked(fields, schema, f"{name}:{first_line}-{last_line} ({doc_id})", report, strict)
    if article is not None:
        report.count("articles")
        report.count("tokens", len(tokens))
        report.count("sentences", len(sentences))
        report.count("entities", len(mentions))
        report.counts.update([f"entities_depth_{span[3]}" for span in spans])
        report.counts.update([f"label:{span[2]}" for span in spans])
    return article


def _mentions(text: str, spans: list[tuple[int, int, str, int, int]], name: str,
              layout: ConllLayout) -> list[Mention]:
    """Mentions in (start, -end) order, trimmed of invisible edge marks; refuses a span that the
    data model cannot hold or whose depth is not the column it came from."""
    from benchmark.text import trim_span

    spans.sort(key=lambda s: (s[0], -s[1], s[3]))
    mentions: list[Mention] = []
    open_: list[tuple[int, int, str, int, int]] = []
    for span in spans:
        start, end, label, depth, line = span
        while open_ and open_[-1][1] <= start:
            open_.pop()
        column = layout.tag_columns[depth - 1]
        if open_ and open_[-1][:2] == (start, end):
            raise ImportProblem(f"{name}:{line}", [
                f"column {column}: the {label} entity covers the same tokens as the {open_[-1][2]} entity of column "
                f"{layout.tag_columns[open_[-1][3] - 1]}; the data model keeps one mention per span: keep one"])
        if open_ and open_[-1][1] < end:
            raise ImportProblem(f"{name}:{line}", [
                f"column {column}: the {label} entity crosses the {open_[-1][2]} entity of column "
                f"{layout.tag_columns[open_[-1][3] - 1]} (line {open_[-1][4]}); entities may nest but not cross: fix "
                "one of the boundaries"])
        if len(open_) != depth - 1:
            raise ImportProblem(f"{name}:{line}", [
                f"column {column} (depth {depth}): the {label} entity lies inside {len(open_)} other entities, so its "
                f"depth is {len(open_) + 1}; an entity of depth k+1 lies inside one of depth k: move it to column "
                f"{layout.tag_columns[len(open_)] if len(open_) < len(layout.tag_columns) else '?'} (or fix the tags)"])
        visible = text[start].isprintable() and text[end - 1].isprintable()  # no mark to trim (the usual case)
        trimmed = (start, end) if visible else trim_span(text, start, end)
        if trimmed[0] >= trimmed[1] or text.find(" ", start, trimmed[0]) >= 0 or text.find(" ", trimmed[1], end) >= 0:
            raise ImportProblem(f"{name}:{line}", [
                f"column {column}: the {label} entity starts or ends with a token made only of invisible marks "
                f"({text[start:end]!r}); move the tag off that token"])
        open_.append(span)
        mentions.append(Mention(f"m{len(mentions) + 1}", trimmed[0], trimmed[1], label))
    return mentions


def _parse_columns(value: str | int | Sequence[int]) -> tuple[int, ...]:
    if isinstance(value, int):
        return (value,)
    if isinstance(value, str):
        try:
            return tuple(int(part) for part in value.split(",") if part.strip())
        except ValueError:
            raise ValueError(f"tag_columns is a comma-separated list of column numbers (e.g. 2,3), got {value!r}") \
                from None
    return tuple(value)


def import_conll(path: str | Path, *, token_column: int = 1, tag_columns: str | Sequence[int] = "2",
                 scheme: str = "IOB2", delimiter: str = "auto", sentence_marker: str = "", doc_marker: str = "",
                 sentences_per_doc: int = 10, encoding: str = "utf-8", repair: bool = False, split: str = "",
                 id_prefix: str = "", schema: LabelSchema | str | None = None, report: ImportReport | None = None,
                 strict: bool = True) -> Iterator[Article]:
    """Yield the articles of one CoNLL file laid out as declared (see the module docs).

    ``tag_columns``: column numbers, outermost depth first (``"2,3"`` or ``(2, 3)``). ``split``:
    ``meta["split"]`` of every article (none by default). ``id_prefix``: doc_ids are
    ``<prefix>/d<n>`` (marked documents) or ``<prefix>/s<first>-<last>`` (sentence groups); the
    default prefix is the file name without its suffix. ``schema``: the labels allowed, a
    :class:`LabelSchema`, a built-in name or a schema file (default: any label, listed in the
    report as ``label:<type>`` counts).
    """
    layout = ConllLayout(token_column=token_column, tag_columns=_parse_columns(tag_columns), delimiter=delimiter,
                         scheme=scheme.upper(), sentence_marker=sentence_marker, doc_marker=doc_marker,
                         sentences_per_doc=sentences_per_doc, encoding=encoding, repair=repair)
    report = report if report is not None else ImportReport("conll")
    schema = resolve_schema(schema, default=CONLL_SCHEMA)
    assert schema is not None
    path = Path(path)
    prefix = id_prefix or path.stem
    for document in _grouped(read_documents(path, layout, report), layout):
        try:
            article = _document_article(document, layout, path.name, prefix, schema, report, strict, split)
        except ImportProblem as problem:  # a label outside the schema, a tag the scheme forbids …
            if strict:
                raise
            skip_invalid(problem, report)
            continue
        if article is not None:
            yield article


def _grouped(documents: Iterator[_Document], layout: ConllLayout) -> Iterator[_Document]:
    """Marked documents as they are; otherwise runs of ``sentences_per_doc`` sentences."""
    for document in documents:
        if layout.doc_marker:
            yield document
            continue
        size = layout.sentences_per_doc
        for first in range(0, len(document.sentences), size):
            yield _Document(document.sentences[first : first + size], 0, document.first_sentence + first)


# --------------------------------------------------------------------------- back to tags


def article_tags(article: Article, depth: int, scheme: str = "IOB2") -> list[list[tuple[str, ...]]]:
    """The article as CoNLL sentences of ``(token, tag_depth_1, …, tag_depth_depth)`` rows.

    Tokens are the text split at single spaces, sentences start at ``meta["sentence_offsets"]``
    (one sentence when absent), and each mention's depth is the number of mentions around it
    plus one; a mention deeper than ``depth`` raises ``ValueError``.
    """
    text = article.text
    tokens = text.split(" ")
    starts: list[int] = []
    position = 0
    for token in tokens:
        starts.append(position)
        position += len(token) + 1
    bounds = [bisect.bisect_left(starts, offset) for offset in article.meta.get("sentence_offsets", [0])]
    bounds.append(len(tokens))
    layers: list[list[tuple[int, int, str]]] = [[] for _ in range(depth)]
    open_: list[Mention] = []
    for mention in sorted(article.entities, key=lambda m: (m.start, -m.end)):
        while open_ and open_[-1].end <= mention.start:
            open_.pop()
        if len(open_) >= depth:
            raise ValueError(f"{article.doc_id}: mention {mention.id} is at depth {len(open_) + 1} > {depth}")
        first = bisect.bisect_right(starts, mention.start) - 1
        last = bisect.bisect_right(starts, mention.end - 1) - 1
        layers[len(open_)].append((first, last + 1, mention.label))
        open_.append(mention)
    sentences: list[list[tuple[str, ...]]] = []
    for first, end in itertools.pairwise(bounds):
        if end <= first:
            continue
        columns = [encode_tags([(s - first, e - first, label) for s, e, label in layer if first <= s < end],
                               end - first, scheme) for layer in layers]
        sentences.append(list(zip(tokens[first:end], *columns, strict=True)))
    return sentences
