"""The task registry: ``ner``, ``quotes`` and ``stance``, each declared once (DESIGN §3).

>>> get_task("ner").headline
'strict/f1'
>>> task_names()
('ner', 'quotes', 'stance')
>>> get_task("nre")
Traceback (most recent call last):
...
benchmark.tasks.UnknownTaskError: Unknown task 'nre'. Did you mean 'ner'?

A task turns articles into dataset rows and back into scores::

    task = get_task("stance")
    rows = task.rows(articles, schema)          # gold rows (labels as strings)
    public = [task.input_row(r) for r in rows]  # the public test split: inputs only
    features = task.features(schema)            # datasets.Features (ClassLabel for labels)
"""

from __future__ import annotations

import difflib
from types import MappingProxyType

from benchmark.tasks.base import FieldProblem, Row, Task
from benchmark.tasks.ner import NER
from benchmark.tasks.quotes import QUOTES
from benchmark.tasks.stance import STANCE

__all__ = ["TASKS", "FieldProblem", "Row", "Task", "UnknownTaskError", "get_task", "task_names"]

TASKS = MappingProxyType({task.name: task for task in (NER, QUOTES, STANCE)})
"""Every task, by name (read-only)."""


def task_names() -> tuple[str, ...]:
    """The registered task names, sorted."""
    return tuple(sorted(TASKS))


class UnknownTaskError(KeyError):
    """``get_task`` with a name that is not registered (message suggests the closest name)."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


def get_task(name: str | Task) -> Task:
    """The task called ``name`` (a :class:`Task` is returned as is).

    Raises :class:`UnknownTaskError` (a ``KeyError``) with the closest registered name.
    """
    if isinstance(name, Task):
        return name
    if name in TASKS:
        return TASKS[name]
    close = difflib.get_close_matches(str(name), list(TASKS), n=1)
    hint = f" Did you mean {close[0]!r}?" if close else f" Known tasks: {', '.join(task_names())}."
    raise UnknownTaskError(f"Unknown task {name!r}.{hint}")
