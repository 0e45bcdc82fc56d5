"""The leaderboard as data: what every renderer (Markdown, CSV, HTML, plots) draws from.

A :class:`Leaderboard` holds one :class:`TaskBoard` per task; a task board holds the ranked
:class:`BoardRow` s and the submissions that were refused for that task. Nothing here scores:
the rows are filled from the harness' results by :mod:`benchmark.leaderboard.scoring`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from benchmark.harness.bootstrap import Interval  # the harness' point estimate + bootstrap interval
from benchmark.leaderboard.discovery import Rejection
from benchmark.leaderboard.metadata import SystemInfo
from benchmark.leaderboard.ranking import Placement

__all__ = ["BoardRow", "Interval", "Leaderboard", "TaskBoard", "has_arabic", "slug"]

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def has_arabic(text: str | None) -> bool:
    """True when ``text`` contains Arabic letters (the renderers then mark it right-to-left).

    >>> has_arabic("فريق X"), has_arabic("team"), has_arabic(None)
    (True, False, False)
    """
    return bool(text) and bool(_ARABIC.search(text or ""))


def slug(text: str, index: int) -> str:
    """A file-name-safe name for generated files: ASCII letters, digits and dashes, plus an index
    so that two systems never share a file (``slug("../../etc", 3) == "etc-3"``).

    >>> slug("../../etc/passwd", 3), slug("فريق", 1)
    ('etc-passwd-3', 'system-1')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()[:40]
    return f"{cleaned or 'system'}-{index}"


@dataclass(frozen=True, slots=True)
class BoardRow:
    """One ranked system on one task board."""

    system_id: str
    where: str
    info: SystemInfo
    placement: Placement
    headline: Interval
    per_label: dict[str, Interval]
    counts: dict[str, int]
    results_file: str

    @property
    def display_name(self) -> str:
        """The metadata name, else the system id."""
        return self.info.name or self.system_id


@dataclass(slots=True)
class TaskBoard:
    """The ranked systems of one task, with what was needed to reproduce the ranking."""

    task: str
    version: str
    dataset_revision: str
    headline: str
    higher_is_better: bool
    labels: tuple[str, ...]
    per_label_metric: str
    alpha: float
    n_resamples: int
    confidence: float
    rows: list[BoardRow] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


@dataclass(slots=True)
class Leaderboard:
    """Every task board, plus the submissions and files that belong to no task board."""

    boards: list[TaskBoard]
    generated: str
    package_version: str
    rejections: list[Rejection] = field(default_factory=list)
    ignored: list[tuple[str, str]] = field(default_factory=list)
    not_requested: list[tuple[str, str]] = field(default_factory=list)
