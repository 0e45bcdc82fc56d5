"""The one check of a Label Studio export file, shared by ``khabar validate``, ``khabar stats``
and ``khabar build`` (so that ``validate`` never passes what ``build`` refuses).

:func:`scan_export` streams the file task by task (:func:`benchmark.io.iter_json_items`),
converts every task strictly (:func:`benchmark.studio.convert.convert_task`) and adds the checks
that need the whole file or the release's rule:

- a task id, doc_id or annotation id used twice;
- more than one completed annotation in a task (a release holds one adjudicated annotation per
  task);
- values that cannot be written back as UTF-8 JSON (a lone surrogate, NaN, ±Infinity), looked
  for in the tasks whose text holds a surrogate escape or a NaN/Infinity constant;
- an empty export, or one where no task has a completed annotation (nothing to release).

A file that cannot be read (not JSON, truncated, nested too deep, not a list, CSV by mistake)
raises :class:`~benchmark.studio.convert.ExportError` naming the item, its line and column and the fix.
Cancelled annotations and tasks without a completed annotation are *notices*: skipped on
purpose, always listed (task, doc_id, annotation, why), never an error.

>>> import json, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "export.json"
>>> task = {"id": 1, "data": {"doc_id": "d1", "text": "قال"},
...         "annotations": [{"id": 5, "was_cancelled": True, "result": []}]}
>>> _ = path.write_text(json.dumps([task, {**task, "id": 2, "data": {"doc_id": "d1", "text": "x"}}]))
>>> outcomes = scan_export(path)
>>> print(next(outcomes).notices[0])  # doctest: +ELLIPSIS
task 1, doc_id d1, annotation 5: annotation by an unknown annotator was cancelled ... [skipped]
>>> print(next(outcomes).problems[0])  # doctest: +ELLIPSIS
task 2, doc_id d1: doc_id d1 is also the doc_id of task 1 ... [rejected]
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmark.io import InputError, iter_json_items, line_column
from benchmark.schema import KHABAR, LabelSchema
from benchmark.studio.convert import EMPTY_EXPORT, ConversionProblem, ExportError, TaskOutcome, convert_task

__all__ = ["ExportChecks", "scan_export"]

_ADJUDICATE = ("adjudicate first (khabar annotate adjudicate EXPORT --out gold.jsonl) and release gold.jsonl, "
               "or delete the extra annotations in Label Studio and export again")


class ExportChecks:
    """The checks across tasks of one export (ids used twice, the one-annotation rule), fed one
    converted task at a time."""

    def __init__(self) -> None:
        self.task_ids: dict[Any, int] = {}
        self.doc_ids: dict[str, Any] = {}
        self.annotation_ids: dict[Any, Any] = {}
        self.tasks = self.articles = self.problems = 0

    def add(self, outcome: TaskOutcome, index: int, has_id: bool) -> TaskOutcome:
        """Add the cross-task problems of ``outcome`` (item ``index``) to it. A task with a problem
        keeps no article, except when its only problem is several valid annotations (not
        adjudicated yet): those stay, so that ``khabar stats`` counts a raw export's annotators."""
        def problem(annotation_id: Any, message: str, fix: str) -> None:
            outcome.problems.append(ConversionProblem(outcome.task_id, annotation_id, None, message, fix,
                                                      outcome.doc_id))

        self.tasks += 1
        if has_id:
            if _key(outcome.task_id) in self.task_ids:
                problem(None, f"task id {outcome.task_id} is used twice (items {self.task_ids[_key(outcome.task_id)]} "
                        f"and {index})", "export the project again from Label Studio (do not join exports by hand)")
            else:
                self.task_ids[_key(outcome.task_id)] = index
        if outcome.doc_id is not None:
            if outcome.doc_id in self.doc_ids:
                problem(None, f"doc_id {outcome.doc_id} is also the doc_id of task {self.doc_ids[outcome.doc_id]}",
                        "keep one task per article: delete the duplicate task in Label Studio (or give it its "
                        "own doc_id) and export again")
            else:
                self.doc_ids[outcome.doc_id] = outcome.task_id
        here: set[Any] = set()
        for given, _ in outcome.completed:
            if given is None:
                continue
            annotation_id = _key(given)
            if annotation_id in here:
                problem(annotation_id, f"annotation id {annotation_id} is used twice in this task",
                        "export again from Label Studio (it never repeats an id); remove the copied annotation")
            elif annotation_id in self.annotation_ids:
                problem(annotation_id, f"annotation id {annotation_id} is also used in task "
                        f"{self.annotation_ids[annotation_id]}", "export the project again from Label Studio "
                        "(annotation ids are unique there; do not join exports by hand)")
            here.add(annotation_id)
            self.annotation_ids.setdefault(annotation_id, outcome.task_id)
        broken = bool(outcome.problems)
        if len(outcome.completed) > 1:
            who = ", ".join(f"annotation {a} by {name or 'unknown'}" for a, name in outcome.completed)
            problem(None, f"task has {len(outcome.completed)} annotations completed ({who}); a release holds one "
                    "adjudicated annotation per task", _ADJUDICATE)
        if broken:
            outcome.articles = []
        if outcome.problems:
            self.problems += 1
        self.articles += len(outcome.articles)
        return outcome

    def finish(self, path: Path) -> None:
        """Raise :class:`ExportError` for an export that gives nothing: no task, or no task with a
        completed annotation (and no other problem to explain it)."""
        if not self.tasks:
            raise ExportError(f"{path}: {EMPTY_EXPORT}")
        if not self.articles and not self.problems:
            raise ExportError(
                f"{path}: none of its {self.tasks} task(s) has a completed annotation, so there is nothing to "
                "validate or release (the notices say why each task was skipped) (fix: annotate the tasks in "
                "Label Studio and export again)"
            )


def _key(value: Any) -> Any:
    """A dict key for an id as exported (a number or a string; anything else by its repr)."""
    return value if isinstance(value, int | str) else repr(value)


def scan_export(path: str | Path, schema: LabelSchema = KHABAR) -> Iterator[TaskOutcome]:
    """Check a Label Studio JSON export task by task (see the module docstring); yield each task's
    :class:`~benchmark.studio.convert.TaskOutcome` (articles only when it has no problem).

    Raises :class:`~benchmark.studio.convert.ExportError` for a file that cannot be read, and at
    the end for an export that gives nothing.
    """
    path = Path(path)
    checks = ExportChecks()
    try:
        for item in iter_json_items(path):
            outcome = convert_task(item.value, item.index, source=path.name, schema=schema, strict=True,
                                   check_values=item.odd)
            if outcome.problems and outcome.doc_id is None:
                line, column = line_column(path, item.offset)
                where = f"item {item.index} (line {line}, column {column}): "
                outcome.problems = [ConversionProblem(p.task_id, p.annotation_id, p.region_id, where + p.message,
                                                      p.fix, p.doc_id, p.action) for p in outcome.problems]
            has_id = isinstance(item.value, dict) and "id" in item.value
            yield checks.add(outcome, item.index, has_id)
    except ExportError:
        raise
    except InputError as error:
        raise ExportError(str(error)) from None
    checks.finish(path)
