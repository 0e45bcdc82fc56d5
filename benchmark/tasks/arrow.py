"""Arrow columns from plain tuples, and the tasks' Arrow schemas: what the vectorised row makers
share (``Task.arrow_rows`` of the tasks, the ``articles`` config's ``ArticleRows.table``).

>>> import pyarrow as pa
>>> kind = pa.list_(pa.struct([("start", pa.int32()), ("label", pa.string())]))
>>> list_of_structs([[(0, "PER")], [], [(4, "LOC"), (9, "ORG")]], kind).to_pylist()[2]
[{'start': 4, 'label': 'LOC'}, {'start': 9, 'label': 'ORG'}]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

__all__ = ["cached_arrow_schema", "list_of_structs"]


@cache
def cached_arrow_schema(build_features: Callable[[Any], Any], schema: Any) -> Any:
    """The ``pyarrow.Schema`` of a task's ``build_features(schema)``, made once per (task, schema)."""
    return build_features(schema).arrow_schema


def list_of_structs(items: Sequence[Sequence[tuple[Any, ...]]], list_type: Any) -> Any:
    """A ``list<struct>`` Arrow array of type ``list_type`` from, per row, a list of tuples holding
    the struct's fields in order (nested values as ``pyarrow.array`` accepts them): one Arrow
    conversion per field instead of one dict per item."""
    import pyarrow as pa

    offsets = [0]
    for these in items:
        offsets.append(offsets[-1] + len(these))
    flat = [item for these in items for item in these]
    struct_type = list_type.value_type
    columns = list(zip(*flat, strict=True)) if flat else [()] * struct_type.num_fields
    children = [pa.array(list(values), struct_type.field(i).type) for i, values in enumerate(columns)]
    values = pa.StructArray.from_arrays(children, fields=list(struct_type))
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), values, type=list_type)
