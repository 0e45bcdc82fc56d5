"""Leaderboard plots (matplotlib, Agg backend, PNG): per-label bars and headline scores with CI whiskers.

Each task board gets two figures:

* ``<task>-per-label.png``: one group of bars per label (entity type, quote kind, stance label),
  one bar per system, whiskers = bootstrap confidence interval;
* ``<task>-headline.png``: the headline score of every system with its interval, in rank order.

Names are drawn as plain text (``$`` is escaped, so mathtext never parses them); Arabic names
are drawn shaped and right-to-left (matplotlib ≥ 3.11 lays text out with libraqm). File names
are fixed (``<task>-….png``); nothing from a submission is used in a path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from benchmark.leaderboard.board import Interval, TaskBoard

__all__ = ["Plot", "plot_task"]

LRM = "\u200e"


@dataclass(frozen=True, slots=True)
class Plot:
    """A written figure: a caption and its path relative to the output folder."""

    caption: str
    path: str


def _percent(value: float | None) -> float:
    """A score in percent; NaN (not drawn) for an undefined one."""
    return float("nan") if value is None else 100.0 * value


def _errors(values: list[float], lows: list[float], highs: list[float]):
    import numpy as np

    return np.array([[max(0.0, v - lo) for v, lo in zip(values, lows, strict=True)],
                     [max(0.0, hi - v) for v, hi in zip(values, highs, strict=True)]])


def _legend_name(row, width: int = 28) -> str:
    """``"2. name"``, cut to ``width``; the left-to-right mark keeps the number on the left of an
    Arabic name (otherwise the first strong character makes the whole label right-to-left)."""
    name = f"{row.placement.position}. {row.display_name}"
    name = name if len(name) <= width else name[: width - 1] + "…"
    return LRM + name.replace("$", r"\$")  # a "$" would start matplotlib mathtext


def plot_task(board: TaskBoard, out_dir: Path, *, dpi: int = 110) -> list[Plot]:
    """Draw the figures of one task board into ``out_dir / "plots"``; return what was written."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    import numpy as np

    if not board.rows:
        return []
    plot_dir = out_dir / "plots"
    plot_dir.mkdir(parents=True, exist_ok=True)
    written: list[Plot] = []
    colours = plt.get_cmap("tab10" if len(board.rows) <= 10 else "tab20")
    percent = 100.0

    labels = list(board.labels)
    if labels:
        n_systems = len(board.rows)
        width = 0.8 / n_systems
        width_inches = min(14.0, max(6.0, 0.5 + len(labels) * (0.35 * n_systems + 0.6)))
        fig, ax = plt.subplots(figsize=(width_inches, 4.6))
        x = np.arange(len(labels))
        for i, row in enumerate(board.rows):
            missing = Interval(None, None, None)  # undefined: no bar
            intervals = [row.per_label.get(label, missing) for label in labels]
            values = [_percent(i.value) for i in intervals]
            lows = [_percent(i.low) for i in intervals]
            highs = [_percent(i.high) for i in intervals]
            ax.bar(x - 0.4 + width * (i + 0.5), values, width, yerr=_errors(values, lows, highs), capsize=3,
                   color=colours(i % colours.N), edgecolor="white", linewidth=0.5, label=_legend_name(row),
                   error_kw={"elinewidth": 1.0, "ecolor": "#333333"})
        ax.set_xticks(x, labels)
        ax.set_ylim(0, 105)
        ax.set_ylabel(f"{board.per_label_metric} (%)")
        ax.set_title(f"{board.task}: {board.per_label_metric} per label, {round(board.confidence * 100)}% "
                     "bootstrap CI")
        ax.grid(axis="y", alpha=0.3)
        ax.set_axisbelow(True)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)
        fig.tight_layout()
        path = plot_dir / f"{board.task}-per-label.png"
        fig.savefig(path, dpi=dpi, metadata={"Software": None})
        plt.close(fig)
        caption = f"{board.task}: {board.per_label_metric} per label and system"
        written.append(Plot(caption, f"plots/{path.name}"))

    rows = board.rows
    fig, ax = plt.subplots(figsize=(7.5, 0.9 + 0.42 * len(rows)))
    y = np.arange(len(rows))[::-1]
    values = [_percent(r.headline.value) for r in rows]
    lows = [_percent(r.headline.low) for r in rows]
    errors = _errors(values, lows, [_percent(r.headline.high) for r in rows])
    ax.errorbar(values, y, xerr=errors, fmt="o", color="#1f4e79", ecolor="#1f4e79", capsize=4)
    ax.set_yticks(y, [_legend_name(r, 36) for r in rows])
    ax.set_xlabel(f"{board.headline} (%)")
    ax.set_title(f"{board.task}: {board.headline}, {round(board.confidence * 100)}% bootstrap CI")
    ax.grid(axis="x", alpha=0.3)
    low = min((r.headline.low for r in rows if r.headline.low is not None), default=0.0) * percent
    ax.set_xlim(max(0.0, low - 5), 101.5)  # room for a marker at 100
    ax.set_ylim(-0.7, len(rows) - 0.3)
    fig.tight_layout()
    path = plot_dir / f"{board.task}-headline.png"
    fig.savefig(path, dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    written.append(Plot(f"{board.task}: {board.headline} by system", f"plots/{path.name}"))
    return written
