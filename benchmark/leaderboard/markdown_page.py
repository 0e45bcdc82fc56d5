"""The leaderboard as Markdown (``leaderboard.md``): one ranked table per task, per-label scores,
refused submissions with their numbered reasons, and ignored files.

Every value from a submission is escaped (``|``, ``*``, ``<`` …) so a team name cannot break the
table or inject markup.

>>> md_escape("a|b *c* <x>")
'a\\\\|b \\\\*c\\\\* &lt;x&gt;'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from benchmark.leaderboard.board import Leaderboard, TaskBoard
from benchmark.leaderboard.discovery import Rejection
from benchmark.leaderboard.formatting import comparison_mark, fmt_interval
from benchmark.leaderboard.plots import Plot

__all__ = ["md_escape", "render_markdown"]

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def md_escape(text: object) -> str:
    """Text safe in a Markdown table cell: specials backslash-escaped, ``<``/``>``/``&`` as entities,
    line breaks as spaces."""
    value = " ".join(str(text).split())
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", value)


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def _rejections(rejections: Sequence[Rejection]) -> list[str]:
    lines: list[str] = []
    for rejection in rejections:
        lines.append(f"- `{md_escape(rejection.where)}`"
                     + (f" (system {md_escape(rejection.system_id)})" if rejection.system_id else ""))
        lines.extend(f"    {'-' if rejection.self_numbered else f'{number}.'} {md_escape(reason)}"
                     for number, reason in enumerate(rejection.reasons, 1))
    return lines


def _task_section(board: TaskBoard, plots: Sequence[Plot]) -> list[str]:
    confidence = f"{round(board.confidence * 100)}%"
    lines = [f"## {board.task} (version {board.version})", "",
             f"Ranked by **{board.headline}** ({'higher' if board.higher_is_better else 'lower'} is better), "
             f"in percent with {confidence} bootstrap confidence intervals ({board.n_resamples} resamples of "
             f"the documents). Dataset revision `{board.dataset_revision}`.", ""]
    if board.rows:
        header = ["Rank", "System", "Team", "Model", f"{board.headline} [{confidence} CI]", "vs above",
                  "vs top", "Docs"]
        lines += _table(header, (
            [str(row.placement.rank), md_escape(row.display_name), md_escape(row.info.team or ""),
             md_escape(row.info.model or ""), fmt_interval(row.headline), comparison_mark(row, "above"),
             comparison_mark(row, "top"), str(row.counts.get("documents", ""))]
            for row in board.rows))
        lines += ["", f"≈: the paired bootstrap test finds no significant difference (p ≥ {board.alpha}), "
                      "and systems that are also not distinguishable from the first of their group share a "
                      f"rank; ≠: significant at {board.alpha}.", ""]
        if board.labels:
            lines += [f"### {board.task}: {board.per_label_metric} per label [{confidence} CI]", ""]
            lines += _table(["System", *[md_escape(label) for label in board.labels]], (
                [md_escape(row.display_name)]
                + [fmt_interval(row.per_label[label]) if label in row.per_label else "–"
                   for label in board.labels]
                for row in board.rows))
            lines.append("")
        for plot in plots:
            lines += [f"![{md_escape(plot.caption)}]({plot.path})", ""]
    else:
        lines += ["No submission could be scored for this task.", ""]
    if board.rejections:
        lines += [f"### {board.task}: refused submissions", "", *_rejections(board.rejections), ""]
    return lines


def render_markdown(board: Leaderboard, plots: Mapping[str, Sequence[Plot]]) -> str:
    """The whole leaderboard as one Markdown document."""
    lines = ["# Khabar leaderboard", "",
             f"Generated {board.generated} by khabar {board.package_version}.", ""]
    for task_board in board.boards:
        lines += _task_section(task_board, plots.get(task_board.task, ()))
    if board.rejections:
        lines += ["## Refused submissions (no task)", "", *_rejections(board.rejections), ""]
    if board.not_requested:
        lines += ["## Submissions for tasks not on this board", ""]
        lines += [f"- `{md_escape(where)}`: {md_escape(why)}" for where, why in board.not_requested] + [""]
    if board.ignored:
        lines += ["## Files not read", ""]
        lines += [f"- `{md_escape(where)}`: {md_escape(why)}" for where, why in board.ignored] + [""]
    return "\n".join(lines).rstrip() + "\n"
