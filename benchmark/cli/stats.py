"""``khabar stats FILE``: per-layer, per-label counts of an articles file, as a table (or JSON)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchmark.cli._schema_option import add_schema_option

NAME = "stats"
_SHOWN = 10
"""Problems printed (``khabar validate`` lists them all)."""
HELP = "per-layer, per-label counts of articles (JSONL) or a Label Studio export (JSON)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="Article JSONL (.jsonl) or Label Studio JSON export (.json)")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    add_schema_option(parser)


def run(args: argparse.Namespace) -> int:
    from benchmark.cli._schema_option import schema_from_args
    from benchmark.stats import corpus_stats
    from benchmark.validate import check_file

    try:
        schema = schema_from_args(args)
        report = check_file(args.file, schema)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if report.articles or not report.problems:  # (no table of zeros for a file that gives nothing)
        stats = corpus_stats(report.articles, *(() if schema is None else (schema,)))
        print(json.dumps(stats.to_dict(), ensure_ascii=False, indent=2) if args.json else stats.to_table())
    for notice in report.notices:
        print(f"notice: {notice}", file=sys.stderr)
    for problem in report.problems[:_SHOWN]:
        print(f"error: {problem}", file=sys.stderr)
    if report.problems and not report.articles:
        print(f"error: none of the {report.records} record(s) is valid; a corpus with its own labels needs "
              "--schema NAME|FILE (a built-in name or a schema file)", file=sys.stderr)
    if report.problems:
        print(f"warning: {len(report.problems)} problem(s); records with a problem are not counted "
              f"(run `khabar validate {args.file}` for the list)", file=sys.stderr)
        return 1
    return 0
