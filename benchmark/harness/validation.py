"""Submission validation: numbered, explained errors, all of them, before anything is scored.

A submission is JSONL with one line per gold id (DESIGN §5). :func:`validate_submission`
reads every line and collects every problem as a :class:`SubmissionError` carrying a stable
code (:data:`ERROR_CODES`), the line number, the id, what is wrong and how to fix it. A
submission with any error is never scored (:func:`benchmark.harness.evaluate.evaluate_submission`
raises :class:`SubmissionInvalid`).

>>> from benchmark.harness.gold import GoldSet
>>> from benchmark.tasks import get_task
>>> gold = GoldSet.from_rows(get_task("stance"), [
...     {"id": "d1#s1", "doc_id": "d1", "stance_id": "s1", "text": "…", "target": "t",
...      "holder": "article", "holder_start": -1, "holder_end": -1, "label": "favor"}])
>>> report = validate_submission("stance", [{"id": "d1#s1", "label": "pro"}], gold)
>>> error = report.errors[0]
>>> error.code, error.line, error.id
('E11', 1, 'd1#s1')
>>> error.message
"label 'pro' is not one of ['favor', 'against', 'neutral']"

A field the task does not define (E07: a ``model`` name, an entity ``score``) is a **warning**
naming the line, the item and the field, and the line is scored without it; with
``strict=True`` (``--strict``) it is an error like any other:

>>> line = {"id": "d1#s1", "label": "favor", "model": "x"}
>>> report = validate_submission("stance", [line], gold)
>>> report.ok, [str(w) for w in report.warnings]
(True, ["#1 [E07 unknown-field] line 1, id 'd1#s1': unknown field 'model' (ignored; --strict makes it an error)"])
>>> validate_submission("stance", [line], gold, strict=True).codes()
['E07']
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmark.tasks import TASKS, Task, get_task
from benchmark.tasks.checks import json_repr

if TYPE_CHECKING:  # pragma: no cover
    from benchmark.harness.gold import GoldSet

__all__ = ["ERROR_CODES", "WARNING_CODES", "SubmissionError", "SubmissionInvalid", "ValidationReport",
           "read_submission_lines", "validate_submission"]

ERROR_CODES: dict[str, tuple[str, str]] = {
    "E01": ("empty-file", "the submission has no lines"),
    "E02": ("not-json", "a line is not valid JSON"),
    "E03": ("not-object", "a line is JSON but not an object"),
    "E04": ("wrong-task", "the line is shaped like another task's submission"),
    "E05": ("missing-field", "a required field is missing"),
    "E06": ("wrong-type", "a field has the wrong JSON type"),
    "E07": ("unknown-field", "a field the task does not define (often a typo)"),
    "E08": ("unknown-id", "the id is not in the gold data of this split"),
    "E09": ("duplicate-id", "the id appears on more than one line"),
    "E10": ("missing-id", "a gold id has no line in the submission"),
    "E11": ("bad-label", "a label that is not in the task's label set"),
    "E12": ("span-out-of-range", "a span starts before 0 or ends after the text"),
    "E13": ("span-empty-or-reversed", "a span with end <= start"),
    "E14": ("duplicate-span", "the same span twice in one line"),
    "E15": ("bad-kind", "a quote kind that is not in the schema"),
    "E17": ("unreadable", "the file cannot be read as UTF-8 text"),
    "E18": ("holder-quote", "a quote-holder stance line without its quote, or an article-holder line with one"),
}
"""Every error code: ``code -> (short name, meaning)``. Codes never change meaning; a retired code
is never reused (E16 ``id-mismatch``: the ``doc_id`` + ``stance_id`` spelling of a stance id,
retired with stance v2.0, whose ids are opaque)."""


@dataclass(frozen=True, slots=True)
class SubmissionError:
    """One numbered problem in a submission."""

    number: int
    code: str
    line: int | None
    id: str | None
    message: str
    fix: str
    warning: bool = False

    @property
    def name(self) -> str:
        return ERROR_CODES[self.code][0]

    def __str__(self) -> str:
        where = ", ".join(p for p in (f"line {self.line}" if self.line else "",
                                      f"id {self.id!r}" if self.id is not None else "") if p)
        advice = self.fix if self.warning else f"fix: {self.fix}"
        return f"#{self.number} [{self.code} {self.name}] {where or 'file'}: {self.message} ({advice})"

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "code": self.code, "name": self.name, "line": self.line, "id": self.id,
                "message": self.message, "fix": self.fix, "severity": "warning" if self.warning else "error"}


WARNING_CODES = frozenset({"E07"})
"""Codes that are warnings unless ``strict``: harmless extra fields, ignored when scoring."""


@dataclass(frozen=True)
class ValidationReport:
    """Every error and warning found, and (when there are no errors) the submission lines keyed by id."""

    task: str
    n_lines: int
    errors: tuple[SubmissionError, ...]
    predictions: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    warnings: tuple[SubmissionError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    def codes(self) -> list[str]:
        """The error codes in order (handy in tests)."""
        return [e.code for e in self.errors]

    def summary(self, limit: int = 20) -> str:
        """A readable report listing at most ``limit`` errors (and warnings) and the total counts."""
        if self.ok:
            lines = [f"OK: {self.n_lines} line(s), a valid {self.task} submission."]
        else:
            lines = [f"INVALID {self.task} submission: {len(self.errors)} error(s) in {self.n_lines} line(s)."]
            lines += _listing(self.errors, limit)
        if self.warnings:
            lines.append(f"{len(self.warnings)} warning(s): fields the task does not define, ignored when scoring "
                         "(--strict refuses them):")
            lines += _listing(self.warnings, limit)
        return "\n".join(lines)

    def warnings_summary(self, limit: int = 20) -> str:
        """The warnings alone (empty when there are none), for a command that goes on to score."""
        if not self.warnings:
            return ""
        return "\n".join([f"warning: {len(self.warnings)} field(s) the {self.task} task does not define were "
                          "ignored (--strict refuses them):", *_listing(self.warnings, limit)])

    def to_dict(self) -> dict[str, Any]:
        return {"task": self.task, "ok": self.ok, "n_lines": self.n_lines, "n_errors": len(self.errors),
                "errors": [e.to_dict() for e in self.errors], "n_warnings": len(self.warnings),
                "warnings": [w.to_dict() for w in self.warnings]}


def _listing(problems: tuple[SubmissionError, ...], limit: int) -> list[str]:
    """At most ``limit`` problems, one a line, then a count of the rest by code."""
    lines = [f"  {problem}" for problem in problems[:limit]]
    if len(problems) > limit:
        hidden: dict[str, int] = {}
        for problem in problems[limit:]:
            hidden[problem.code] = hidden.get(problem.code, 0) + 1
        lines.append(f"  … and {len(problems) - limit} more ("
                     + ", ".join(f"{code}×{n}" for code, n in sorted(hidden.items())) + ")")
    return lines


class SubmissionInvalid(ValueError):
    """Raised instead of scoring a submission that failed validation; ``report`` has every error."""

    def __init__(self, report: ValidationReport, limit: int = 20):
        self.report = report
        super().__init__(report.summary(limit))


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    record: Any
    problem: tuple[str, str, str] | None  # (code, message, fix) when the line could not be read


def read_submission_lines(source: str | Path | Iterable[Mapping[str, Any]]) -> tuple[list[_Line], str | None]:
    """Lines of a JSONL file (or records given in memory), and a file-level E17 message if unreadable."""
    if not isinstance(source, str | Path):
        return [_Line(i, record, None) for i, record in enumerate(source, start=1)], None
    path = Path(source)
    try:
        raw = path.read_bytes()
    except OSError as error:
        return [], f"cannot read {path}: {error.strerror or error}"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return [], f"{path.name} is not UTF-8 text (byte {error.start}: {error.reason})"
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            lines.append(_Line(number, json.loads(line), None))
        except json.JSONDecodeError as error:
            lines.append(_Line(number, None, ("E02", f"not valid JSON ({error.msg}, column {error.colno})",
                                              "write exactly one JSON object per line")))
    return lines, None


# --------------------------------------------------------------------------- validation


def _looks_like(task: Task, record: Mapping[str, Any]) -> Task | None:
    """Another task whose submission shape this line has (and ours it has not)."""
    generic = {"doc_id", "id"}
    ours = set(task.submission_keys) - generic
    if ours <= set(record):
        return None
    for other in TASKS.values():
        distinctive = set(other.submission_keys) - generic - ours
        if other is not task and distinctive and distinctive <= set(record):
            return other
    return None


def validate_submission(task: str | Task, submission: str | Path | Iterable[Mapping[str, Any]],
                        gold: GoldSet, *, strict: bool = False) -> ValidationReport:
    """Check every line of a submission against the gold rows; collect every error and warning.

    ``submission`` is a JSONL path or an iterable of dict lines. ``gold`` gives the ids, texts
    and label schema (:class:`~benchmark.harness.gold.GoldSet`). Fields the task does not define
    (:data:`WARNING_CODES`) are warnings, and ignored when scoring, unless ``strict``.
    """
    task = get_task(task)
    errors: list[tuple[str, int | None, str | None, str, str]] = []
    warnings: list[tuple[str, int | None, str | None, str, str]] = []

    def add(code: str, line: int | None, item: Any, message: str, fix: str, typo: bool = False) -> None:
        if code in WARNING_CODES and not strict and not typo:
            warnings.append((code, line, None if item is None else str(item), message,
                             "ignored; --strict makes it an error"))
            return
        errors.append((code, line, None if item is None else str(item), message, fix))

    lines, unreadable = read_submission_lines(submission)
    if unreadable is not None:
        add("E17", None, None, unreadable, "save the submission as UTF-8 JSONL and check the path")
    elif not lines:
        add("E01", None, None, "the submission has no lines",
            f"write one JSON line per {task.unit} id, e.g. {json.dumps(task.submission_example, ensure_ascii=False)}")

    seen: dict[str, int] = {}
    predictions: dict[str, Mapping[str, Any]] = {}
    wrong_task_lines = 0
    unknown_hints = 0
    for line in lines:
        if line.problem is not None:
            add(line.problem[0], line.number, None, line.problem[1], line.problem[2])
            continue
        record = line.record
        if not isinstance(record, Mapping):
            add("E03", line.number, None, f"expected a JSON object, got {json_repr(record)}",
                f"write each line as an object like {json.dumps(task.submission_example, ensure_ascii=False)}")
            continue
        other = _looks_like(task, record)
        if other is not None:
            wrong_task_lines += 1
            add("E04", line.number, task.line_id(record) if isinstance(task.line_id(record), str) else None,
                f"this line has the fields of a {other.name!r} submission ({sorted(record)}), not of "
                f"{task.name!r}", f"submit it with --task {other.name}, or write {task.name} lines like "
                f"{json.dumps(task.submission_example, ensure_ascii=False)}")
            continue
        item_id = task.line_id(record)
        gold_row = None
        if isinstance(item_id, str):
            if item_id in seen:
                add("E09", line.number, item_id, f"id already given on line {seen[item_id]}",
                    "give each id exactly once")
                continue
            seen[item_id] = line.number
            gold_row = gold.get(item_id)
            if gold_row is None:
                hint = gold.closest_id(item_id) if unknown_hints < 20 else None  # difflib is slow: first 20
                unknown_hints += 1
                add("E08", line.number, item_id, f"id is not in the gold data ({gold.describe()})"
                    + (f"; did you mean {hint!r}?" if hint else ""),
                    "score against the right split, and copy ids exactly from the inputs")
                continue
        if gold_row is None:  # no usable id: report its type problems only
            problems = [p for p in task.check_line(record, {"text": ""}, gold.schema)
                        if p.code in ("E05", "E06", "E07")]
            typo = any(p.code == "E05" for p in problems)
            for problem in problems:
                add(problem.code, line.number, None, problem.message, problem.fix, typo)
            continue
        problems = task.check_line(record, gold_row, gold.schema)
        # an unknown field on a line that misses a required one is most likely its misspelling: an error
        typo = any(p.code == "E05" for p in problems)
        for problem in problems:
            add(problem.code, line.number, item_id, problem.message, problem.fix, typo)
        if all(problem.code in WARNING_CODES and not strict and not typo for problem in problems):
            predictions[item_id] = record

    if unreadable is None and lines and wrong_task_lines < len(lines):
        missing = [i for i in gold.ids if i not in seen]
        for item_id in missing:
            add("E10", None, item_id, "no line for this gold id", _missing_fix(task, item_id))
    if lines and wrong_task_lines == len(lines):  # a whole file for another task: say it once
        first = next(e for e in errors if e[0] == "E04")
        errors = [("E04", None, None, first[3].replace("this line", f"every line ({len(lines)})", 1), first[4])]
    numbered = tuple(SubmissionError(n, *e) for n, e in enumerate(errors, start=1))
    warned = tuple(SubmissionError(n, *w, warning=True) for n, w in enumerate(warnings, start=1))
    return ValidationReport(task.name, len(lines), numbered, predictions if not numbered else {}, warned)


def _missing_fix(task: Task, item_id: str) -> str:
    if task.id_field == "doc_id":
        empty = {"doc_id": item_id, **{k: [] for k in task.submission_keys if k != "doc_id"}}
        return (f"add a line for every document of the split; predicting nothing is written "
                f"{json.dumps(empty, ensure_ascii=False)}")
    return f"add a line with a predicted label for every {task.unit} of the split"
