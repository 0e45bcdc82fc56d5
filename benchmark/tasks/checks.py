"""Small checks shared by the tasks' submission-line validators (codes: ``benchmark.harness.validation``).

>>> problems = []
>>> check_span(4, 2, 10, "entities[0]", problems)
False
>>> problems[0].code
'E13'
>>> [p.code for p in expect_keys({"doc_id": 3, "extra": 1}, required={"doc_id": str, "entities": list})]
['E06', 'E05', 'E07']
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from benchmark.tasks.base import FieldProblem

__all__ = ["check_list_of_objects", "check_span", "expect_keys", "is_int"]

_TYPE_NAMES = {str: "a string", int: "an integer", list: "a list", dict: "an object", type(None): "null",
               bool: "true/false"}


def is_int(value: Any) -> bool:
    """A JSON integer (``True``/``False`` are not integers here)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _matches(value: Any, kind: type | tuple[type, ...]) -> bool:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return any(is_int(value) if k is int else isinstance(value, k) for k in kinds)


def _describe(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(_TYPE_NAMES.get(k, k.__name__) for k in kinds)


def expect_keys(record: Mapping[str, Any], required: Mapping[str, type | tuple[type, ...]],
                optional: Mapping[str, type | tuple[type, ...]] | None = None,
                where: str = "") -> list[FieldProblem]:
    """Missing keys (E05), wrong types (E06) and unknown keys (E07) of one JSON object."""
    optional = optional or {}
    prefix = f"{where}: " if where else ""
    problems: list[FieldProblem] = []
    for key, kind in {**required, **optional}.items():
        if key not in record:
            if key in required:
                problems.append(FieldProblem("E05", f"{prefix}missing field {key!r}",
                                             f"add {key!r} ({_describe(kind)})"))
        elif not _matches(record[key], kind):
            problems.append(FieldProblem("E06", f"{prefix}{key!r} must be {_describe(kind)}, got "
                                         f"{json_repr(record[key])}", f"write {key!r} as {_describe(kind)}"))
    for key in record:
        if key not in required and key not in optional:
            problems.append(FieldProblem("E07", f"{prefix}unknown field {key!r}",
                                         f"remove it; allowed fields: {sorted({*required, *optional})}"))
    # report type problems before missing ones, in key order, for stable listings
    return sorted(problems, key=lambda p: p.code != "E06")


def check_list_of_objects(items: list[Any], name: str,
                          problems: list[FieldProblem]) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """Yield ``(index, item)`` for the objects of a list; record E06 for anything else."""
    for i, item in enumerate(items):
        if isinstance(item, Mapping):
            yield i, item
        else:
            problems.append(FieldProblem("E06", f"{name}[{i}] must be an object, got {json_repr(item)}",
                                         f"write each item of {name!r} as an object"))


def check_span(start: Any, end: Any, length: int, where: str, problems: list[FieldProblem]) -> bool:
    """Integers (type errors are reported by :func:`expect_keys`), inside ``[0, length]`` (E12),
    non-empty and not reversed (E13). Returns whether the span is usable."""
    if not (is_int(start) and is_int(end)):
        return False
    if start < 0 or end > length:
        problems.append(FieldProblem("E12", f"{where}: span [{start}, {end}) lies outside the text "
                                     f"(length {length})", "use code-point offsets on the original text, "
                                     "half-open [start, end)"))
        return False
    if start >= end:
        problems.append(FieldProblem("E13", f"{where}: span [{start}, {end}) is empty or reversed",
                                     "end is exclusive and must be greater than start"))
        return False
    return True


def check_repeated_span(item: Mapping[str, Any], index: int, seen: dict[tuple[int, int], int], name: str,
                        fix: str, problems: list[FieldProblem]) -> None:
    """E14 when ``item``'s (valid) span already appeared in the list ``name``; else remember it in ``seen``."""
    key = (item["start"], item["end"])
    if key in seen:
        problems.append(FieldProblem("E14", f"{name}[{index}]: span [{key[0]}, {key[1]}) repeats {name}[{seen[key]}]",
                                     fix))
    else:
        seen[key] = index


def json_repr(value: Any, limit: int = 40) -> str:
    """A short printable form of a JSON value for error messages."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
