"""Shared machinery for the corpus importers: the import report, validation with the corpus'
own label schema, IOB2 decoding, and running text rebuilt from tokens with exact offsets.

Every importer yields :class:`~benchmark.model.Article` records and never drops anything
silently: data quirks it repairs or skips are counted and noted (file and line) in an
:class:`ImportReport`; a record that fails validation raises :class:`ImportProblem` naming
the file, the line and every issue (or, with ``strict=False``, is skipped and noted).

>>> tokens = [Token("عاد", "B-PER", 1), Token("بوتين", "I-PER", 2), Token("أمس", "O", 3)]
>>> text, offsets = join_tokens([t.text for t in tokens])
>>> spans = iob2_spans(tokens, ImportReport("demo"), "demo.txt")
>>> [(text[offsets[s][0]:offsets[e - 1][1]], label) for s, e, label in spans]
[('عاد بوتين', 'PER')]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmark.model import Article, ArticleError, Issue, Mention
from benchmark.schema import LabelSchema

__all__ = [
    "BIDI_MARKS",
    "ImportNote",
    "ImportProblem",
    "ImportReport",
    "Token",
    "checked",
    "group_sentences",
    "iob2_spans",
    "join_tokens",
    "resolve_file",
]

BIDI_MARKS = "\u200e\u200f"
"""LEFT-TO-RIGHT MARK and RIGHT-TO-LEFT MARK, common in public Arabic corpora."""

MAX_NOTES = 10_000
"""Notes kept verbatim per report; beyond this only the counters grow (and say so)."""


# --------------------------------------------------------------------------- reporting


@dataclass(frozen=True, slots=True)
class ImportNote:
    """One thing an importer repaired, skipped or wants a human to know, with its place."""

    where: str  # "ANERCorp:123386", "2015-07-21.zip:2015-07-21.json[42]"
    kind: str  # a counter key, e.g. "empty_token_skipped"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def to_dict(self) -> dict[str, str]:
        return {"where": self.where, "kind": self.kind, "message": self.message}


@dataclass
class ImportReport:
    """What an import did besides yielding articles: counters and located notes.

    ``counts`` always holds the full totals (``articles``, ``tokens``, skipped items, repairs…);
    ``notes`` lists each located event (capped at :data:`MAX_NOTES`).
    """

    corpus: str
    counts: Counter[str] = field(default_factory=Counter)
    notes: list[ImportNote] = field(default_factory=list)

    def count(self, kind: str, n: int = 1) -> None:
        self.counts[kind] += n

    def note(self, where: str, kind: str, message: str) -> None:
        """Count ``kind`` once and keep the located note."""
        self.counts[kind] += 1
        if len(self.notes) < MAX_NOTES:
            self.notes.append(ImportNote(where, kind, message))
        else:
            self.counts["notes_not_kept"] += 1

    def summary(self, max_notes: int = 20) -> str:
        """A few human lines: the counters, then the first ``max_notes`` notes."""
        lines = [f"{self.corpus}: " + ", ".join(f"{k}={v:,}" for k, v in sorted(self.counts.items()))]
        for note in self.notes[:max_notes]:
            lines.append(f"  - {note}")
        if len(self.notes) > max_notes:
            lines.append(f"  … {len(self.notes) - max_notes:,} more note(s) in the report file")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"corpus": self.corpus, "counts": dict(sorted(self.counts.items())),
                "notes": [n.to_dict() for n in self.notes]}


class ImportProblem(ValueError):
    """A source record could not be turned into a valid article; names the file and line."""

    def __init__(self, where: str, issues: Sequence[Issue | str]):
        self.where = where
        self.issues = tuple(issues)
        lines = "\n".join(f"  - {issue}" for issue in self.issues)
        super().__init__(f"{where}: {len(self.issues)} problem(s):\n{lines}")


def checked(fields: Mapping[str, Any], schema: LabelSchema, where: str,
            report: ImportReport, strict: bool) -> Article | None:
    """Build ``Article(**fields)`` and validate it against the corpus' own ``schema``.

    Structural problems (raised by :class:`Article` itself) and label problems (from
    :func:`~benchmark.model.find_problems` with ``schema``) both end here. With ``strict`` an
    :class:`ImportProblem` naming ``where`` is raised; otherwise the record is skipped, counted
    as ``invalid_skipped`` and every issue is noted.
    """
    records = {key: fields[key] for key in ("entities", "quotes", "stances", "provenance") if key in fields}
    plain = {key: value for key, value in fields.items() if key not in records}
    try:  # validated once, with the schema (structure and labels)
        return Article.from_records(plain, schema=schema, **records)
    except ArticleError as error:
        issues: list[Issue] = list(error.issues)
    if strict:
        raise ImportProblem(where, issues)
    skip_invalid(ImportProblem(where, issues), report)
    return None


def skip_invalid(problem: ImportProblem, report: ImportReport) -> None:
    """Not strict (``--keep-going``): the record with ``problem`` is left out, counted as ``invalid_skipped``
    and each issue noted at its place, so the report names its line and fix."""
    for issue in problem.issues:
        report.note(problem.where, "invalid_skipped_issue", str(issue))
    report.count("invalid_skipped")


def resolve_file(path: str | Path, default_name: str, corpus: str) -> Path:
    """``path`` itself, or ``path/default_name`` when ``path`` is the corpus folder."""
    path = Path(path)
    if path.is_dir():
        candidate = path / default_name
        if not candidate.is_file():
            raise FileNotFoundError(f"{path}: no {default_name} in this folder "
                                    f"(pass the {corpus} file itself)")
        return candidate
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file (expected the {corpus} file or its folder)")
    return path


# --------------------------------------------------------------------------- tokens and tags


@dataclass(frozen=True, slots=True)
class Token:
    """One token of a CoNLL-like file: its text, its IOB2 tag and its 1-based file line."""

    text: str
    tag: str
    line: int


def join_tokens(tokens: Sequence[str], sep: str = " ") -> tuple[str, list[tuple[int, int]]]:
    """Join tokens with ``sep``; return the text and each token's ``[start, end)`` in it."""
    offsets: list[tuple[int, int]] = []
    position = 0
    for token in tokens:
        offsets.append((position, position + len(token)))
        position += len(token) + len(sep)
    return sep.join(tokens), offsets


def span_mentions(text: str, offsets: Sequence[tuple[int, int]], spans: Sequence[tuple[int, int, str]],
                  tokens: Sequence[Token], report: ImportReport, file_name: str) -> list[Mention]:
    """Mentions for token spans, trimmed of invisible marks at their edges (a U+200F glued to a name
    is not part of it). Each trim is counted (``mention_edges_trimmed``); a span made only of
    invisible marks cannot be a mention and is noted with its line (``mention_invisible_skipped``)."""
    from benchmark.text import trim_span

    mentions: list[Mention] = []
    for first, end, label in spans:
        raw = (offsets[first][0], offsets[end - 1][1])
        start, stop = trim_span(text, *raw)
        if start >= stop:
            report.note(f"{file_name}:{tokens[first].line}", "mention_invisible_skipped",
                        f"a {label} entity made only of invisible marks ({text[raw[0]:raw[1]]!r}) is not a mention")
            continue
        if (start, stop) != raw:
            report.count("mention_edges_trimmed")
        mentions.append(Mention(f"m{len(mentions) + 1}", start, stop, label))
    return mentions


def iob2_spans(tokens: Sequence[Token], report: ImportReport, file_name: str,
               type_map: Mapping[str, str] | None = None) -> list[tuple[int, int, str]]:
    """Decode IOB2 tags into ``(first_token, end_token, label)`` (end exclusive).

    An ``I-X`` that follows ``O`` or a different type is repaired as ``B-X`` and noted with its
    line (kind ``i_after_o_repaired``), never silently. ``type_map`` maps raw types to labels;
    an unknown raw type or a malformed tag raises :class:`ImportProblem`.
    """
    spans: list[tuple[int, int, str]] = []
    start: int | None = None
    current: str | None = None
    for index, token in enumerate(tokens):
        tag = token.tag
        if tag == "O":
            prefix, raw = "O", None
        elif len(tag) > 2 and tag[1] == "-" and tag[0] in "BI":
            prefix, raw = tag[0], tag[2:]
        else:
            raise ImportProblem(f"{file_name}:{token.line}",
                                [f"tag {tag!r} is not IOB2 (O, B-TYPE or I-TYPE); fix the line"])
        if prefix == "I" and raw != current:
            before = "O" if current is None else f"a {current} entity"
            report.note(f"{file_name}:{token.line}", "i_after_o_repaired",
                        f"I-{raw} follows {before}; read as B-{raw}")
            prefix = "B"
        if prefix in ("O", "B") and current is not None:
            spans.append((start, index, current))  # type: ignore[arg-type]
            current = None
        if prefix == "B":
            start, current = index, raw
    if current is not None:
        spans.append((start, len(tokens), current))  # type: ignore[arg-type]
    if type_map is None:
        return spans
    mapped = []
    for first, end, raw in spans:
        if raw not in type_map:
            raise ImportProblem(f"{file_name}:{tokens[first].line}",
                                [f"entity type {raw!r} has no mapping (known: {sorted(type_map)}); "
                                 "add it to the importer's mapping table"])
        mapped.append((first, end, type_map[raw]))
    return mapped


def group_sentences(sentences: Sequence[Any], size: int,
                    breaks: Sequence[int] = ()) -> Iterator[tuple[int, int]]:
    """``[first, end)`` sentence ranges of at most ``size`` sentences, also cut at every index in
    ``breaks`` (so a pseudo-document never straddles a split boundary)."""
    if size < 1:
        raise ValueError(f"sentences_per_doc must be at least 1, got {size}")
    cuts = sorted({b for b in breaks if 0 < b < len(sentences)} | {len(sentences)})
    first = 0
    for cut in cuts:
        while first < cut:
            end = min(first + size, cut)
            yield first, end
            first = end
