"""Arguments shared by ``khabar evaluate`` and ``khabar validate-submission``: where the gold is.

Gold is ``--gold FILE`` (Article JSONL, gold rows JSONL, or a gold rows parquet from the private
folder) or ``--dataset D --split S [--config C]`` (a Hub-layout folder or repo, loaded with
``datasets.load_dataset``). ``--schema`` names the label schema of an Article JSONL gold:
``khabar`` (default), an importer's name (``ans``, ``mawqif``, ``anercorp`` …) or a schema file.
"""

from __future__ import annotations

import argparse

from benchmark.cli._schema_option import add_schema_option
from benchmark.tasks import task_names

__all__ = ["add_gold_arguments", "load_gold_from_args", "resolve_schema"]


def add_gold_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--task", required=True, choices=task_names(), help="the task the submission is for")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--gold", metavar="FILE",
                        help="gold: Article JSONL, gold rows JSONL, or gold rows .parquet")
    source.add_argument("--dataset", metavar="D", help="a Hub-layout dataset folder (or Hub repo id)")
    parser.add_argument("--split", default=None, help="split of --dataset to score against (e.g. test)")
    parser.add_argument("--config", default=None, help="config of --dataset (default: the task name)")
    add_schema_option(parser, default="khabar (a released dataset: its own labels)")
    parser.add_argument("--revision", default=None,
                        help="dataset revision to record (default: khabar_release.json, else a gold hash)")


def resolve_schema(name: str | None):
    """``None`` → ``None`` (the caller's default); otherwise a built-in schema name (``khabar``, an
    importer's name …) or a schema file path (:func:`benchmark.schema.resolve_schema`)."""
    from benchmark.schema import resolve_schema as resolve

    return resolve(name)


def load_gold_from_args(args: argparse.Namespace):
    """The :class:`~benchmark.harness.gold.GoldSet` the arguments point to."""
    from benchmark.harness.evaluate import load_gold
    from benchmark.harness.gold import GoldSet

    schema = resolve_schema(args.schema)
    if args.dataset:
        if not args.split:
            raise ValueError("--dataset needs --split (e.g. --split test)")
        return GoldSet.from_dataset(args.task, args.dataset, args.split, config=args.config, schema=schema,
                                    revision=args.revision)
    return load_gold(args.task, args.gold, revision=args.revision, schema=schema)
