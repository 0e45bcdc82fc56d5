"""``khabar leaderboard``: score every submission in a folder and write the ranked board.

    khabar leaderboard SUBMISSIONS_DIR --gold PRIVATE_DIR [--task T ...] [--out DIR]

Writes ``index.html`` (self-contained), ``leaderboard.md``, ``leaderboard.csv``,
``per_label.csv``, ``leaderboard.json``, ``plots/`` and ``results/`` into ``--out``. Refused
submissions are listed with their numbered reasons; they never stop the board. Fields a task does
not define (a ``model`` name, an entity ``score``) are ignored with a warning kept in the system's
``results.json``; ``--strict`` refuses such submissions. Exit code 0 when the board was written, 1
with ``--strict`` when any submission was refused, 2 for a bad call (missing folder, unknown
task). See ``docs/leaderboard.md``.
"""

from __future__ import annotations

import argparse
import sys

from benchmark.cli._options import add_progress_option
from benchmark.cli._schema_option import add_schema_option

NAME = "leaderboard"
HELP = "score every submission in a folder against the private gold and write the ranked leaderboard"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("submissions", metavar="SUBMISSIONS_DIR",
                        help="folder of submissions: <system>/<task>.jsonl, <system>.<task>.jsonl, <task>/…")
    parser.add_argument("--gold", required=True, metavar="PRIVATE_DIR",
                        help="the private gold folder written by 'khabar build' (or an Article JSONL file)")
    parser.add_argument("--task", action="append", dest="tasks", metavar="T",
                        help="build the board of this task only (repeatable; default: every task submitted)")
    parser.add_argument("--out", default="leaderboard", metavar="DIR",
                        help="output folder (default: ./leaderboard; must not be inside SUBMISSIONS_DIR)")
    parser.add_argument("--split", default="test", help="gold split in PRIVATE_DIR (default: test)")
    parser.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (default: 1000)")
    parser.add_argument("--confidence", type=float, default=0.95, help="CI level (default: 0.95)")
    parser.add_argument("--alpha", type=float, default=0.05,
                        help="significance level of the paired bootstrap tests (default: 0.05)")
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed (default: 0)")
    parser.add_argument("--max-bytes", type=int, default=None, metavar="N",
                        help="largest predictions file read, in bytes (default: 50 MiB)")
    parser.add_argument("--screenshot", action="store_true",
                        help="also render index.html in headless Chromium to index.png (needs chromium)")
    parser.add_argument("--strict", action="store_true",
                        help="refuse submissions with fields the task does not define (default: ignore them with "
                             "a warning), and exit 1 when any submission was refused")
    add_schema_option(parser, default="the release's own labels (khabar for an Article JSONL gold)")
    add_progress_option(parser)


def _summary(board) -> str:
    from benchmark.leaderboard.formatting import comparison_mark, fmt_interval

    lines = []
    for task in board.boards:
        lines.append(f"{task.task} v{task.version} · ranked by {task.headline} · {len(task.rows)} scored, "
                     f"{len(task.rejections)} refused · revision {task.dataset_revision[:32]}")
        for row in task.rows:
            lines.append(f"  {row.placement.rank:>3}  {row.display_name[:40]:<40} {fmt_interval(row.headline):<22} "
                         f"{comparison_mark(row, 'above')}")
        for rejection in task.rejections:
            lines.append(f"  refused {rejection.where}: {len(rejection.reasons)} reason(s), first: "
                         f"{rejection.reasons[0][:160]}")
    for rejection in board.rejections:
        lines.append(f"refused {rejection.where}: {rejection.reasons[0][:160]}")
    for where, why in board.not_requested:
        lines.append(f"not on this board: {where}: {why}")
    for where, why in board.ignored:
        lines.append(f"not read: {where}: {why}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    import dataclasses
    from pathlib import Path

    from benchmark.cli._schema_option import schema_from_args
    from benchmark.leaderboard.output import write_leaderboard
    from benchmark.leaderboard.safety import DEFAULT_MAX_BYTES
    from benchmark.leaderboard.scoring import ScoringOptions, build_leaderboard
    from benchmark.tasks import UnknownTaskError

    if not Path(args.submissions).is_dir():
        print(f"error: {args.submissions}: not a folder (give the folder that holds the submissions)",
              file=sys.stderr)
        return 2
    if not Path(args.gold).exists():
        print(f"error: --gold {args.gold} does not exist (give the private gold folder from 'khabar build')",
              file=sys.stderr)
        return 2
    if args.resamples < 1 or not 0 < args.confidence < 1 or not 0 < args.alpha < 1:
        print("error: --resamples must be ≥ 1, --confidence and --alpha strictly between 0 and 1", file=sys.stderr)
        return 2
    options = ScoringOptions(n_resamples=args.resamples, confidence=args.confidence, alpha=args.alpha,
                             seed=args.seed, max_bytes=args.max_bytes or DEFAULT_MAX_BYTES, split=args.split,
                             strict=args.strict)
    try:
        options = dataclasses.replace(options, schema=schema_from_args(args, default=None))
        board = build_leaderboard(args.submissions, args.gold, args.out, tasks=args.tasks, options=options,
                                  progress=args.progress)
    except (UnknownTaskError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    written = write_leaderboard(board, args.out)
    print(_summary(board))
    print(f"wrote {written['html']}, {written['markdown'].name}, {written['csv'].name}, "
          f"{written['per_label_csv'].name}, {written['json'].name}")
    if args.screenshot:
        from benchmark.leaderboard.browser import BrowserError, screenshot

        try:
            print(f"wrote {screenshot(written['html'], Path(args.out) / 'index.png')}")
        except BrowserError as error:
            print(f"warning: no screenshot: {error}", file=sys.stderr)
    refused = sum(len(t.rejections) for t in board.boards) + len(board.rejections)
    return 1 if args.strict and refused else 0
