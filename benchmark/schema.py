"""Label sets: the one place that says which labels a layer may carry.

A :class:`LabelSchema` is a small file (JSON, or YAML when PyYAML is installed)::

    {"name": "mine",
     "entity_labels": ["PER", "ORG", "LOC"],        # null: any label; [] or left out: no entities
     "quote_kinds": ["direct", "indirect"],         # [] or left out: no quotes
     "stance_labels": ["pro", "con", "none"],       # null: any label; [] or left out: no stances
     "stance_polar_labels": ["pro", "con"],         # optional: the two labels F_avg averages
     "source_labels": ["SOURCE"],                   # optional: speaker-only mention labels (not entities)
     "description": "free text"}                    # optional

The built-in schemas are files of that same form in ``benchmark/resources/schemas/`` (Khabar's
own, ``khabar``, and one per imported corpus: ``anercorp``, ``ans`` …); :func:`resolve_schema`
takes a built-in name or a file path, which is what every command's ``--schema`` accepts.
Imported public corpora keep their own label sets, so nothing is silently re-labelled.

>>> KHABAR.entity_labels[:3]
('PER', 'ORG', 'LOC')
>>> "favor" in KHABAR.stance_labels
True
>>> resolve_schema("ans").stance_labels
('agree', 'disagree', 'other')
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "ANY",
    "ARTICLE_HOLDER",
    "GUIDELINES_VERSION",
    "KHABAR",
    "LabelSchema",
    "SchemaError",
    "builtin_schema",
    "builtin_schema_names",
    "load_schema_file",
    "resolve_schema",
    "schema_from_dict",
    "schema_to_dict",
]

SCHEMA_DIR = Path(__file__).parent / "resources" / "schemas"
"""Where the built-in schema files live (shipped as package data)."""

ARTICLE_HOLDER = "article"
GUIDELINES_VERSION = "2.0"
"""The version of ``annotations/guidelines.md`` new annotations follow (recorded in their provenance)."""

_LABEL_KEYS = ("entity_labels", "quote_kinds", "stance_labels", "source_labels")
_OPEN_KEYS = ("entity_labels", "stance_labels")  # may be null (any label)
_KEYS = ("name", *_LABEL_KEYS, "stance_polar_labels", "description")


class SchemaError(ValueError):
    """A schema file or name that cannot be used; the message names the file, the field and the fix."""


@dataclass(frozen=True, slots=True)
class LabelSchema:
    """The label sets a corpus is validated against.

    ``entity_labels``/``stance_labels`` of ``None`` mean "any non-empty string" (used only by
    tools that must read foreign data before a schema is known). ``stance_polar_labels`` are the
    two labels the stance F_avg averages (default: the first two stance labels).
    ``source_labels`` are mention labels that are not entity labels: an unnamed source annotated
    only as a quote's speaker (Khabar's ``SOURCE``, guidelines 2.0 §5.7; ``docs/design-v0.2.md``).
    The NER task never sees them.

    >>> KHABAR.source_labels, KHABAR.mention_labels[-2:]
    (('SOURCE',), ('MISC', 'SOURCE'))
    """

    name: str
    entity_labels: tuple[str, ...] | None = ("PER", "ORG", "LOC", "GPE", "DATE", "MISC")
    quote_kinds: tuple[str, ...] = ("direct", "indirect", "mixed")
    stance_labels: tuple[str, ...] | None = ("favor", "against", "neutral")
    stance_polar_labels: tuple[str, ...] | None = None
    description: str = field(default="", compare=False)
    source_labels: tuple[str, ...] = ()

    @property
    def mention_labels(self) -> tuple[str, ...] | None:
        """Every label a mention may carry: the entity labels, then the source labels
        (``None`` when the entity labels are open)."""
        if self.entity_labels is None:
            return None
        return self.entity_labels + self.source_labels


def schema_from_dict(data: Any, source: str = "schema") -> LabelSchema:
    """A :class:`LabelSchema` from its file form, checked field by field (:class:`SchemaError`).

    >>> schema_from_dict({"name": "mine", "entity_labels": ["PER", "ORG"]}).stance_labels
    ()
    """
    if not isinstance(data, Mapping):
        raise SchemaError(f"{source}: a schema is an object with the keys {list(_KEYS)}, got {type(data).__name__}")
    unknown = sorted(set(data) - set(_KEYS))
    if unknown:
        raise SchemaError(f"{source}: unknown key(s) {unknown}; a schema has {list(_KEYS)}")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SchemaError(f'{source}: "name" must be a non-empty string (e.g. "name": "my-corpus")')
    values: dict[str, Any] = {}
    for key in (*_LABEL_KEYS, "stance_polar_labels"):
        value = data.get(key, None if key == "stance_polar_labels" else [])
        if value is None and key in (*_OPEN_KEYS, "stance_polar_labels"):
            values[key] = None
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() == v and v for v in value):
            raise SchemaError(f'{source}: "{key}" must be a list of non-empty labels without surrounding '
                              f"spaces{' (or null: any label)' if key in _OPEN_KEYS else ''}, got {value!r}")
        repeated = sorted({v for v in value if value.count(v) > 1})
        if repeated:
            raise SchemaError(f'{source}: "{key}" lists {repeated} more than once; list each label once')
        values[key] = tuple(value)
    polar = values["stance_polar_labels"]
    if polar is not None and (len(polar) != 2 or (values["stance_labels"] is not None
                                                  and not set(polar) <= set(values["stance_labels"]))):
        raise SchemaError(f'{source}: "stance_polar_labels" must be two of the stance labels '
                          f"{list(values['stance_labels'] or [])}, got {list(polar)}")
    shared = sorted(set(values["source_labels"]) & set(values["entity_labels"] or ()))
    if shared:
        raise SchemaError(f'{source}: {shared} is both an entity label and a source label; a source label '
                          "(a speaker-only mention, e.g. SOURCE) must not be an entity label")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise SchemaError(f'{source}: "description" must be a string')
    return LabelSchema(name=name, description=description, **values)


def schema_to_dict(schema: LabelSchema) -> dict[str, Any]:
    """The file form of ``schema`` (what :func:`schema_from_dict` reads back)."""
    record: dict[str, Any] = {"name": schema.name}
    if schema.description:
        record["description"] = schema.description
    for key in _LABEL_KEYS:
        value = getattr(schema, key)
        if key == "source_labels" and not value:
            continue
        record[key] = None if value is None else list(value)
    if schema.stance_polar_labels is not None:
        record["stance_polar_labels"] = list(schema.stance_polar_labels)
    return record


def load_schema_file(path: str | Path) -> LabelSchema:
    """Read a schema file: ``.json``, or ``.yaml``/``.yml`` when PyYAML is installed."""
    path = Path(path)
    if not path.is_file():
        raise SchemaError(f"{path}: no such schema file (a JSON file with name, entity_labels, …; "
                          f"or a built-in name: {', '.join(builtin_schema_names())})")
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            import yaml
        except ImportError:  # pragma: no cover - PyYAML comes with datasets
            raise SchemaError(f"{path}: reading YAML needs PyYAML (pip install pyyaml); or write the schema "
                              "as JSON") from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise SchemaError(f"{path}: not valid YAML ({error}); fix the file") from None
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise SchemaError(f"{path}: not valid JSON ({error.msg}, line {error.lineno} column {error.colno}); "
                              "fix the file") from None
    return schema_from_dict(data, str(path))


def builtin_schema_names() -> list[str]:
    """The names of the built-in schemas (``khabar``, ``any`` and one per imported corpus)."""
    return sorted(p.stem for p in SCHEMA_DIR.glob("*.json"))


@cache
def builtin_schema(name: str) -> LabelSchema:
    """The built-in schema ``name`` (from ``benchmark/resources/schemas/<name>.json``)."""
    path = SCHEMA_DIR / f"{name}.json"
    if not path.is_file():
        raise SchemaError(f"unknown schema {name!r}: use a built-in name ({', '.join(builtin_schema_names())}) "
                          "or the path of a schema file (.json, .yaml)")
    return load_schema_file(path)


def resolve_schema(value: str | LabelSchema | None, default: LabelSchema | None = None) -> LabelSchema | None:
    """What ``--schema`` means: a built-in name, a schema file path, or ``None`` → ``default``.

    A value that names an existing file, or ends in ``.json``/``.yaml``/``.yml``, is a file.
    """
    if value is None:
        return default
    if isinstance(value, LabelSchema):
        return value
    path = Path(value)
    if path.suffix.lower() in (".json", ".yaml", ".yml") or path.is_file() or "/" in value:
        return load_schema_file(path)
    return builtin_schema(value)


KHABAR = builtin_schema("khabar")
"""Khabar's own label sets: entities PER/ORG/LOC/GPE/DATE/MISC, quotes direct/indirect/mixed,
stance favor/against/neutral (``benchmark/resources/schemas/khabar.json``)."""

ANY = builtin_schema("any")
"""Accepts any non-empty label: for reading data whose label set is not known yet."""

ENTITY_LABELS: tuple[str, ...] = tuple(KHABAR.entity_labels or ())
QUOTE_KINDS: tuple[str, ...] = KHABAR.quote_kinds
STANCE_LABELS: tuple[str, ...] = tuple(KHABAR.stance_labels or ())
