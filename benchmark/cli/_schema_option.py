"""The one ``--schema`` option every command that knows labels takes (one spelling, one meaning).

``--schema NAME|FILE``: a built-in schema name (``khabar``, ``anercorp``, ``ans`` …, see
``benchmark/resources/schemas/``) or the path of a schema file (JSON, or YAML with PyYAML) with
``name``, ``entity_labels``, ``quote_kinds``, ``stance_labels`` and optionally
``stance_polar_labels`` (see :mod:`benchmark.schema`). Left out, a command uses Khabar's own
schema unless it says otherwise (``khabar import`` uses the corpus' own).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from benchmark.schema import LabelSchema

__all__ = ["add_schema_option", "schema_from_args"]

_KHABAR = object()  # "Khabar's own schema" as a default, resolved lazily


def add_schema_option(parser: argparse.ArgumentParser | argparse._ArgumentGroup,
                      default: str = "khabar") -> None:
    """Add ``--schema NAME|FILE``; ``default`` only words the help (what leaving it out means)."""
    parser.add_argument("--schema", default=None, metavar="NAME|FILE",
                        help="label schema: a built-in name (khabar, anercorp, newsfane, ans, mawqif, baly2018 …) "
                             f"or a schema file (.json, .yaml); default: {default}")


def schema_from_args(args: argparse.Namespace, default: LabelSchema | object | None = _KHABAR) -> LabelSchema | None:
    """The :class:`~benchmark.schema.LabelSchema` ``--schema`` names (``default`` when left out:
    Khabar's own unless given); raises :class:`~benchmark.schema.SchemaError` (a ``ValueError``)
    naming the file or name and the fix."""
    from benchmark.schema import KHABAR, resolve_schema

    fallback = KHABAR if default is _KHABAR else default
    return resolve_schema(getattr(args, "schema", None), default=fallback)  # type: ignore[arg-type]
