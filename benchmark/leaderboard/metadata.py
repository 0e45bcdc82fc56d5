"""The optional metadata file that describes one submitted system.

A small JSON object; every field is optional and every value is a short string::

    {"name": "AraBERT-CRF", "team": "فريق الخبر", "model": "aubmindlab/bert-base-arabertv02",
     "url": "https://example.org/paper", "description": "fine-tuned on the train split",
     "task": "ner"}

``task`` is only needed when the task cannot be read from a file or folder name. ``url`` must be
``http(s)://`` (it becomes a link on the HTML page). Unknown keys are reported, not used. Values
are shown as text on every page (escaped), never interpreted.

>>> info, problems = parse_metadata(b'{"name": "Base", "team": "\\u0641\\u0631\\u064a\\u0642"}')
>>> info.name, info.team, problems
('Base', 'فريق', [])
>>> print(*parse_metadata(b'{"url": "javascript:alert(1)"}')[1])
"url" must start with http:// or https:// (got 'javascript:alert(1)'); give a web address or leave it out
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from typing import Any

__all__ = ["BIDI_CONTROLS", "FIELD_LIMITS", "SystemInfo", "parse_metadata", "unsafe_characters"]

FIELD_LIMITS: dict[str, int] = {
    "name": 80, "team": 120, "model": 200, "url": 500, "description": 1000, "task": 40,
}
"""Every metadata field and its longest allowed value, in characters."""


@dataclass(frozen=True, slots=True)
class SystemInfo:
    """What a submission says about itself (all optional; shown as escaped text)."""

    name: str | None = None
    team: str | None = None
    model: str | None = None
    url: str | None = None
    description: str | None = None
    task: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {"name": self.name, "team": self.team, "model": self.model, "url": self.url,
                "description": self.description, "task": self.task}


BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Bidi embeddings, overrides and isolates: they can make a name display as another text.
(The plain marks U+200E/U+200F that Arabic text often carries are allowed.)"""


def unsafe_characters(value: str, allowed: str = "") -> str | None:
    """What is wrong with the characters of a shown name: control characters (other than those in
    ``allowed``) or bidi overrides; None when it is fine.

    >>> unsafe_characters("فريق\u200f X"), unsafe_characters("evil\u202eexe.txt")
    (None, 'bidi embedding/override characters (U+202A–U+202E, U+2066–U+2069)')
    """
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value):
        return "control characters"
    if any(ch in BIDI_CONTROLS for ch in value):
        return "bidi embedding/override characters (U+202A–U+202E, U+2066–U+2069)"
    return None


def parse_metadata(data: bytes) -> tuple[SystemInfo, list[str]]:
    """Parse metadata bytes; return the info and a list of problems (empty when it can be trusted).

    When there are problems the returned info is empty: nothing from a file we cannot trust is shown.
    """
    try:
        raw: Any = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        return SystemInfo(), [f"metadata is not UTF-8 ({error.reason} at byte {error.start}); "
                              "save it as UTF-8"]
    except json.JSONDecodeError as error:
        return SystemInfo(), [f"metadata is not valid JSON ({error.msg}, line {error.lineno} column "
                              f"{error.colno}); write one JSON object"]
    if not isinstance(raw, dict):
        return SystemInfo(), [f"metadata must be a JSON object, got {type(raw).__name__}; "
                              'write {"name": ..., "team": ...}']
    problems: list[str] = []
    values: dict[str, str | None] = {}
    for key, value in raw.items():
        if key not in FIELD_LIMITS:
            problems.append(f"unknown field {key!r}; the fields are {sorted(FIELD_LIMITS)} (remove it)")
            continue
        if value is None:
            values[key] = None
            continue
        if not isinstance(value, str):
            problems.append(f"{key!r} must be a string, got {type(value).__name__}; write it as text")
            continue
        value = value.strip()
        if len(value) > FIELD_LIMITS[key]:
            problems.append(f"{key!r} is {len(value)} characters long, over the limit of "
                            f"{FIELD_LIMITS[key]}; shorten it")
            continue
        unsafe = unsafe_characters(value, allowed="\t\n")
        if unsafe:
            problems.append(f"{key!r} contains {unsafe}; remove them")
            continue
        values[key] = value or None
    url = values.get("url")
    if url is not None and not url.lower().startswith(("http://", "https://")):
        problems.append(f'"url" must start with http:// or https:// (got {url!r}); give a web address or '
                        "leave it out")
    if problems:
        return SystemInfo(), problems
    return SystemInfo(**values), []
