"""``khabar validate FILE``: list every problem in an articles file; exit 1 if there is any."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmark.cli._schema_option import add_schema_option

NAME = "validate"
HELP = "check articles (JSONL) or a Label Studio export (JSON): every problem listed, exit 1 if any"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="Article JSONL (.jsonl) or Label Studio JSON export (.json)")
    parser.add_argument("--max-problems", type=int, default=0, help="list at most N problems (0: all)")
    add_schema_option(parser)


def run(args: argparse.Namespace) -> int:
    from benchmark.cli._schema_option import schema_from_args
    from benchmark.validate import check_file

    try:
        report = check_file(args.file, schema_from_args(args), keep_articles=False)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    shown = report.problems if args.max_problems <= 0 else report.problems[: args.max_problems]
    for number, problem in enumerate(shown, start=1):
        print(f"{number}. {problem}")
    if len(shown) < len(report.problems):
        print(f"… and {len(report.problems) - len(shown)} more problem(s)")
    for notice in report.notices:
        print(f"notice: {notice}")
    status = "OK" if report.ok else f"{len(report.problems)} problem(s)"
    if report.notices:
        status += f", {len(report.notices)} notice(s) (skipped on purpose, listed above)"
    print(f"{args.file}: {report.records} record(s) checked ({report.kind}): {status}")
    return 0 if report.ok else 1
