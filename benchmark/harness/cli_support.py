"""Arguments shared by ``khabar evaluate`` and ``khabar validate-submission``: where the gold is.

Gold is ``--gold FILE`` (Article JSONL, gold rows JSONL, or a gold rows parquet from the private
folder) or ``--dataset D --split S [--config C]`` (a Hub-layout folder or repo, loaded with
``datasets.load_dataset``). ``--schema`` names the label schema of an Article JSONL gold:
``khabar`` (default) or an importer's name (``ans``, ``mawqif``, ``anercorp`` …).
"""

from __future__ import annotations

import argparse

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
    parser.add_argument("--schema", default=None,
                        help="label schema of --gold Article JSONL: khabar (default) or an importer name")
    parser.add_argument("--revision", default=None,
                        help="dataset revision to record (default: khabar_release.json, else a gold hash)")


def resolve_schema(name: str | None):
    """``None``/``"khabar"`` → KHABAR; an importer name → that corpus' schema."""
    from benchmark.schema import KHABAR

    if name in (None, "khabar"):
        return KHABAR if name else None
    from benchmark.importers import IMPORTERS

    if name not in IMPORTERS:
        raise ValueError(f"unknown schema {name!r}; use 'khabar' or one of {sorted(IMPORTERS)}")
    return IMPORTERS[name].schema


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
