"""Write every leaderboard file into one output folder.

::

    OUT/
      index.html          self-contained page (plots embedded as data URIs, no script)
      leaderboard.md      the same tables in Markdown (plots linked from plots/)
      leaderboard.csv     one row per task and system
      per_label.csv       one row per task, system and label
      leaderboard.json    everything above as data (ranks, p-values, intervals, refusals)
      plots/<task>-per-label.png, plots/<task>-headline.png
      results/…           the harness' results JSON and per-document JSONL of every scored system
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from benchmark.leaderboard.board import Leaderboard

__all__ = ["leaderboard_dict", "write_leaderboard"]


def leaderboard_dict(board: Leaderboard) -> dict[str, object]:
    """The leaderboard as JSON-ready data."""
    return {
        "generated": board.generated,
        "package_version": board.package_version,
        "boards": [
            {
                "task": b.task, "version": b.version, "dataset_revision": b.dataset_revision,
                "headline": b.headline, "higher_is_better": b.higher_is_better, "labels": list(b.labels),
                "per_label_metric": b.per_label_metric, "alpha": b.alpha, "n_resamples": b.n_resamples,
                "confidence": b.confidence,
                "rows": [{"system_id": r.system_id, "submission": r.where, "info": r.info.to_dict(),
                          "placement": asdict(r.placement), "headline": r.headline.to_dict(),
                          "per_label": {k: v.to_dict() for k, v in r.per_label.items()},
                          "counts": r.counts, "results_file": r.results_file} for r in b.rows],
                "refused": [r.to_dict() for r in b.rejections],
            }
            for b in board.boards
        ],
        "refused": [r.to_dict() for r in board.rejections],
        "not_requested": [{"where": w, "why": y} for w, y in board.not_requested],
        "ignored": [{"where": w, "why": y} for w, y in board.ignored],
    }


def write_leaderboard(board: Leaderboard, out_dir: str | Path) -> dict[str, Path]:
    """Draw the plots and write the HTML, Markdown, CSV and JSON files; return their paths by kind."""
    from benchmark.leaderboard.csv_table import render_csv
    from benchmark.leaderboard.html_page import render_html
    from benchmark.leaderboard.markdown_page import render_markdown
    from benchmark.leaderboard.plots import plot_task

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    plots = {task_board.task: plot_task(task_board, out) for task_board in board.boards}
    summary_csv, per_label_csv = render_csv(board)
    files = {
        "html": (out / "index.html", render_html(board, plots, out)),
        "markdown": (out / "leaderboard.md", render_markdown(board, plots)),
        "csv": (out / "leaderboard.csv", summary_csv),
        "per_label_csv": (out / "per_label.csv", per_label_csv),
        "json": (out / "leaderboard.json", json.dumps(leaderboard_dict(board), ensure_ascii=False, indent=2)),
    }
    for path, text in files.values():
        path.write_text(text, encoding="utf-8")
    written = {kind: path for kind, (path, _) in files.items()}
    for task, task_plots in plots.items():
        for plot in task_plots:
            written[f"plot:{task}:{Path(plot.path).stem}"] = out / plot.path
    return written
