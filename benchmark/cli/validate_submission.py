"""``khabar validate-submission --task T SUBMISSION (--gold G | --dataset D --split S)``.

Checks every line of a submission against the gold ids, texts and label set, and lists every
problem, numbered, with its code (E01…E17, see ``docs/evaluation.md``), line, id and fix.
Fields the task does not define (a ``model`` name, an entity ``score``) are listed as warnings and
ignored when scoring; ``--strict`` makes them errors. Exit code 0 when valid, 1 when not, 2 when
the gold cannot be read.

Examples::

    khabar validate-submission --task ner preds.jsonl --gold data/test.articles.jsonl
    khabar validate-submission --task stance preds.jsonl --dataset build/khabar-private --split test
"""

from __future__ import annotations

import argparse
import json
import sys

from benchmark.harness.cli_support import add_gold_arguments

NAME = "validate-submission"
HELP = "check a submission file (numbered, explained errors) without scoring it"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("submission", help="the submission JSONL")
    add_gold_arguments(parser)
    parser.add_argument("--strict", action="store_true",
                        help="refuse fields the task does not define (default: warn, naming line, item and field, "
                             "and ignore them)")
    parser.add_argument("--max-errors", type=int, default=50, metavar="N", help="list at most N errors (default 50)")
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")


def run(args: argparse.Namespace) -> int:
    from benchmark.harness.cli_support import load_gold_from_args
    from benchmark.harness.gold import GoldError
    from benchmark.harness.validation import validate_submission
    from benchmark.model import ArticleError

    try:
        gold = load_gold_from_args(args)
    except (GoldError, ArticleError, ValueError, FileNotFoundError) as error:
        print(f"error: cannot load the gold: {error}", file=sys.stderr)
        return 2
    report = validate_submission(args.task, args.submission, gold, strict=args.strict)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(report.summary(args.max_errors))
    return 0 if report.ok else 1
