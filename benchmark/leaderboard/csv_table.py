"""The leaderboard as CSV: ``leaderboard.csv`` (one row per task and system) and
``per_label.csv`` (one row per task, system and label). UTF-8 with a header row.

Text from submissions is guarded against spreadsheet formula injection: a cell that starts
with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe.

>>> csv_safe("=HYPERLINK(1)"), csv_safe("فريق"), csv_safe(None)
("'=HYPERLINK(1)", 'فريق', '')
"""

from __future__ import annotations

import csv
import io

from benchmark.leaderboard.board import Leaderboard

__all__ = ["LEADERBOARD_COLUMNS", "PER_LABEL_COLUMNS", "csv_safe", "render_csv"]

LEADERBOARD_COLUMNS = (
    "task", "task_version", "dataset_revision", "rank", "position", "system_id", "name", "team", "model",
    "url", "headline_metric", "score", "ci_low", "ci_high", "p_vs_above", "tied_with_above", "p_vs_top",
    "tied_with_top", "documents", "submission", "results_file",
)
PER_LABEL_COLUMNS = ("task", "system_id", "label", "metric", "value", "ci_low", "ci_high")


def csv_safe(text: str | None) -> str:
    """Text for a CSV cell that a spreadsheet will not run as a formula."""
    if text is None:
        return ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _write(rows: list[list[object]], header: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}"


def render_csv(board: Leaderboard) -> tuple[str, str]:
    """The texts of ``leaderboard.csv`` and ``per_label.csv`` (scores as fractions in [0, 1])."""
    summary: list[list[object]] = []
    per_label: list[list[object]] = []
    for task in board.boards:
        for row in task.rows:
            p, info, score = row.placement, row.info, row.headline
            summary.append([
                task.task, task.version, task.dataset_revision, p.rank, p.position, csv_safe(row.system_id),
                csv_safe(info.name), csv_safe(info.team), csv_safe(info.model), csv_safe(info.url),
                task.headline, _number(score.value), _number(score.low), _number(score.high),
                _number(p.p_vs_above), "" if p.above is None else str(p.tied_with_above).lower(),
                _number(p.p_vs_top), "" if p.above is None else str(p.tied_with_top).lower(),
                row.counts.get("documents", ""), csv_safe(row.where), row.results_file,
            ])
            per_label.extend([task.task, csv_safe(row.system_id), label, task.per_label_metric,
                              _number(interval.value), _number(interval.low), _number(interval.high)]
                             for label, interval in row.per_label.items())
    return _write(summary, LEADERBOARD_COLUMNS), _write(per_label, PER_LABEL_COLUMNS)
