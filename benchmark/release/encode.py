"""A fast row encoder compiled once from ``datasets.Features``.

``Features.encode_example`` walks every nested value of every row in Python (≈60 µs for a row
with a few hundred tokens). Only two feature types actually change a value before Arrow:
``ClassLabel`` (name → id) and ``Json`` (object → JSON text). :func:`compile_encoder` builds a
function that touches exactly those paths and leaves everything else to pyarrow's C conversion;
features it does not know (images, audio…) fall back to ``encode_example``. The release tests
compare its output with ``encode_example`` on every built row.

>>> from datasets import ClassLabel, Features, List, Value
>>> features = Features({"id": Value("string"), "tags": List(ClassLabel(names=["O", "B-PER"])),
...                      "spans": List({"start": Value("int32"), "label": ClassLabel(names=["PER"])})})
>>> encode = compile_encoder(features)
>>> encode({"id": "d1", "tags": ["O", "B-PER"], "spans": [{"start": 3, "label": "PER"}]})
{'id': 'd1', 'tags': [0, 1], 'spans': [{'start': 3, 'label': 0}]}
>>> encode({"id": "d2", "tags": ["B-LOC"], "spans": []})
Traceback (most recent call last):
...
ValueError: label 'B-LOC' is not one of ['O', 'B-PER']
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

__all__ = ["compile_encoder"]

Encoder = Callable[[Any], Any]


class _Unsupported(Exception):
    pass


def _class_label(names: list[str]) -> Encoder:
    index = {name: i for i, name in enumerate(names)}
    count = len(names)

    def encode(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            if -1 <= value < count:
                return value
            raise ValueError(f"class id {value} is out of range for {names}")
        try:
            return index[value]
        except (KeyError, TypeError):
            raise ValueError(f"label {value!r} is not one of {names}") from None

    return encode


def _json(value: Any) -> Any:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _compile(feature: Any) -> Encoder | None:
    """An encoder for one feature, or ``None`` when values pass through unchanged."""
    import datasets
    from datasets import ClassLabel, LargeList, List, Value

    json_type = getattr(datasets, "Json", None)  # datasets >= 4.7 only; Khabar's own features do not use it
    if isinstance(feature, Value):
        return None
    if isinstance(feature, ClassLabel):
        return _class_label(list(feature.names))
    if json_type is not None and isinstance(feature, json_type):
        return _json
    if isinstance(feature, List | LargeList):
        inner = _compile(feature.feature)
        if inner is None:
            return None
        if isinstance(feature.feature, ClassLabel):  # tag sequences: one dict lookup per tag
            index = {name: i for i, name in enumerate(feature.feature.names)}

            def encode_labels(values: Any) -> Any:
                if values is None:
                    return None
                try:
                    return [index[v] for v in values]
                except (KeyError, TypeError):  # class ids, or a bad label: the checked path
                    return [inner(v) for v in values]

            return encode_labels
        return lambda values: None if values is None else [inner(v) for v in values]
    if isinstance(feature, dict):
        fields = {key: _compile(sub) for key, sub in feature.items()}
        changing = [(key, enc) for key, enc in fields.items() if enc is not None]
        if not changing:
            return None

        def encode_struct(value: Any) -> Any:
            if value is None:
                return None
            out = dict(value)
            for key, enc in changing:
                out[key] = enc(value.get(key))
            return out

        return encode_struct
    raise _Unsupported(type(feature).__name__)


def compile_encoder(features: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """A function ``row -> arrow-ready row`` equivalent to ``features.encode_example`` for
    ``Value``/``ClassLabel``/``Json``/``List``/struct features (the fallback is
    ``encode_example`` itself)."""
    try:
        columns = [(key, _compile(feature)) for key, feature in features.items()]
    except _Unsupported:
        return features.encode_example
    changing = [(key, enc) for key, enc in columns if enc is not None]

    def encode(row: dict[str, Any]) -> dict[str, Any]:
        out = {key: row.get(key) for key, _ in columns}
        for key, enc in changing:
            out[key] = enc(out[key])
        return out

    return encode
