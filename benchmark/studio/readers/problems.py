"""What the readers report: :class:`ConversionProblem` (where, what, the fix, what was done) and
the per-annotation :class:`Collector`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Collector", "ConversionProblem", "is_object"]


@dataclass(frozen=True, slots=True)
class ConversionProblem:
    """One thing wrong in an export: where (task, annotation, region), what, and the fix.

    ``action`` says what the converter did about it: ``"rejected"`` (no article for this
    annotation), ``"dropped"`` (this region/relation left out, rest converted) or ``"skipped"``
    (a notice, not an error: a cancelled annotation or a task without a completed annotation,
    left out on purpose and reported so that nothing vanishes unseen).
    """

    task_id: Any
    annotation_id: Any
    region_id: str | None
    message: str
    fix: str
    doc_id: str | None = None
    action: str = "rejected"

    def __str__(self) -> str:
        where = [f"task {self.task_id}"]
        if self.doc_id:
            where.append(f"doc_id {self.doc_id}")
        if self.annotation_id is not None:
            where.append(f"annotation {self.annotation_id}")
        if self.region_id is not None:
            where.append(f"region {self.region_id}")
        return f"{', '.join(where)}: {self.message} (fix: {self.fix}) [{self.action}]"

    def to_dict(self) -> dict[str, Any]:
        return {
            "task_id": self.task_id,
            "doc_id": self.doc_id,
            "annotation_id": self.annotation_id,
            "region_id": self.region_id,
            "message": self.message,
            "fix": self.fix,
            "action": self.action,
        }


class Collector:
    """Problems for one annotation (or prediction) of one task."""

    __slots__ = ("annotation_id", "doc_id", "problems", "strict", "task_id")

    def __init__(self, task_id: Any, annotation_id: Any, doc_id: str | None, strict: bool):
        self.task_id, self.annotation_id, self.doc_id, self.strict = task_id, annotation_id, doc_id, strict
        self.problems: list[ConversionProblem] = []

    def add(self, region_id: Any, message: str, fix: str) -> None:
        region = None if region_id is None else str(region_id)
        self.problems.append(
            ConversionProblem(
                self.task_id,
                self.annotation_id,
                region,
                message,
                fix,
                self.doc_id,
                "rejected" if self.strict else "dropped",
            )
        )

    def reject_all(self) -> list[ConversionProblem]:
        return [
            ConversionProblem(p.task_id, p.annotation_id, p.region_id, p.message, p.fix, p.doc_id, "rejected")
            for p in self.problems
        ]


def is_object(value: Any) -> bool:
    """A JSON object (``type(...) is dict`` first: the ``Mapping`` check is slow, and this runs for
    every region of every task)."""
    return type(value) is dict or isinstance(value, Mapping)
