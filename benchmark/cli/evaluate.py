"""``khabar evaluate --task T --submission S (--gold G | --dataset D --split S) [--out DIR]``.

Validates the submission (an invalid one is never scored: its errors are listed and the exit
code is 1), scores it, computes bootstrap confidence intervals over documents, prints a table
and, with ``--out``, writes ``DIR/results.json`` and ``DIR/documents.jsonl``.
``--compare OTHER_DIR`` adds a paired bootstrap test against earlier results. Fields the task
does not define are ignored with a warning naming line, item and field; ``--strict`` refuses them.

Examples::

    khabar evaluate --task ner --submission preds.jsonl --gold test.articles.jsonl --out results/crf
    khabar evaluate --task stance --submission preds.jsonl --dataset build/khabar-private --split test
"""

from __future__ import annotations

import argparse
import sys

from benchmark.harness.cli_support import add_gold_arguments

NAME = "evaluate"
HELP = "score a submission against gold: metrics with bootstrap CIs, results JSON, per-document JSONL"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--submission", required=True, help="the submission JSONL")
    add_gold_arguments(parser)
    parser.add_argument("--strict", action="store_true",
                        help="refuse fields the task does not define (default: warn, naming line, item and field, "
                             "and ignore them)")
    parser.add_argument("--out", default=None, help="write results.json and documents.jsonl here")
    parser.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (default 1000)")
    parser.add_argument("--confidence", type=float, default=0.95, help="interval coverage (default 0.95)")
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    parser.add_argument("--all-metrics", action="store_true", help="print every metric, not just the headline ones")
    parser.add_argument("--compare", metavar="DIR", default=None,
                        help="a results folder of another system: paired bootstrap test (needs --out)")


def run(args: argparse.Namespace) -> int:
    from benchmark.harness.cli_support import load_gold_from_args
    from benchmark.harness.evaluate import ComparisonError, compare_results, evaluate_submission
    from benchmark.harness.gold import GoldError
    from benchmark.harness.validation import SubmissionInvalid
    from benchmark.model import ArticleError

    if args.compare and not args.out:
        print("error: --compare needs --out (the comparison reads both results folders)", file=sys.stderr)
        return 2
    try:
        gold = load_gold_from_args(args)
    except (GoldError, ArticleError, ValueError, FileNotFoundError) as error:
        print(f"error: cannot load the gold: {error}", file=sys.stderr)
        return 2
    try:
        results = evaluate_submission(args.task, args.submission, gold=gold, dataset_name=args.dataset or args.gold,
                                      split=args.split, revision=args.revision, n_resamples=args.resamples,
                                      confidence=args.confidence, seed=args.seed, strict=args.strict)
    except SubmissionInvalid as error:
        print(str(error), file=sys.stderr)
        print("The submission was not scored. Fix the errors above (khabar validate-submission lists them all).",
              file=sys.stderr)
        return 1
    if results.validation is not None and results.validation.warnings:
        print(results.validation.warnings_summary(), file=sys.stderr)
    print(results.table(all_metrics=args.all_metrics))
    if args.out:
        results_path, documents_path = results.write(args.out)
        print(f"wrote {results_path} and {documents_path}")
    if args.compare:
        try:
            paired = compare_results(args.compare, args.out, n_resamples=args.resamples, confidence=args.confidence,
                                     seed=args.seed)
        except ComparisonError as error:
            print(f"error: {error} (the results above are written; only the comparison was not made)",
                  file=sys.stderr)
            return 1
        if paired.delta is None:
            print(f"paired bootstrap vs {args.compare} on {paired.metric}: undefined (— : the metric is 0/0 for "
                  "one of the two systems)")
        else:
            print(f"paired bootstrap vs {args.compare} on {paired.metric}: delta {paired.delta:+.4f} "
                  f"[{paired.ci_low:+.4f}, {paired.ci_high:+.4f}], p = {paired.p_value:.4f}")
    return 0
