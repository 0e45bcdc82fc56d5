"""Data files shipped inside the package, so that ``khabar run`` works from an installed wheel.

The main command's defaults — the bundled gold sample (a Label Studio export) and the committed split
manifest — are package data here, read through :mod:`importlib.resources`, so they are found the same
way from a checkout, an editable install or a wheel in an empty folder. The annotation team keeps
editing the originals under ``annotations/`` (see :data:`ORIGINALS`); a test holds these copies equal to
them, and its failure prints the copy command.

>>> bundled_path(SAMPLE).name, bundled_path(MANIFEST).name
('sample.json', 'manifest.json')
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["MANIFEST", "ORIGINALS", "SAMPLE", "bundled_path"]

SAMPLE = "gold/sample.json"
"""The bundled gold sample: two documents, every layer (``annotations/gold/README.md``)."""

MANIFEST = "splits/manifest.json"
"""The committed split manifest (the sample's documents and Khabar v0.1's)."""

ORIGINALS: dict[str, str] = {
    SAMPLE: "annotations/gold/sample.json",
    MANIFEST: "annotations/splits/manifest.json",
}
"""Each bundled file → the file it copies, relative to a checkout's root."""


def bundled_path(name: str) -> Path:
    """The file system path of the bundled file ``name`` (one of :data:`ORIGINALS`)."""
    if name not in ORIGINALS:
        raise ValueError(f"{name!r} is not a bundled file (one of {sorted(ORIGINALS)})")
    found = files(__name__).joinpath(*name.split("/"))
    if not isinstance(found, Path) or not found.is_file():
        raise FileNotFoundError(f"the bundled file {name} is missing from the installed package at {found} "
                                "(fix: reinstall khabar from a wheel built from a complete checkout)")
    return found
