"""``khabar leakage DATASET``: near-duplicate and exact-duplicate texts across the splits of a built folder.

Example::

    khabar leakage release/khabar            # exit 1 when any pair crosses splits
    khabar leakage release/khabar --threshold 0.7 --report leakage.json
    khabar leakage release/khabar --json | jq .groups  # the report as JSON on stdout

The summary names each group of documents the cross-split pairs join once (a story republished ten times
across the splits is one line of ten documents, not 45 pair lines); the JSON report has the groups and every pair.
"""

from __future__ import annotations

import argparse
import sys

from benchmark.cli._options import add_progress_option

NAME = "leakage"
HELP = "report near-duplicate articles across the splits of a built dataset folder (exit 1 if any)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dataset", help="a folder built by `khabar build` (Hub layout)")
    parser.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="Jaccard threshold (default: the one in the folder's splits.json, else 0.8)",
    )
    parser.add_argument("--shingle-size", type=int, default=None, help="words per shingle (default as above)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON instead of the summary")
    parser.add_argument("--report", default=None, metavar="PATH", help="also write the report as JSON here")
    add_progress_option(parser)


def run(args: argparse.Namespace) -> int:
    import dataclasses
    import json
    from pathlib import Path

    from benchmark.release.dedup import DedupConfig
    from benchmark.release.leakage import find_leakage
    from benchmark.release.splits import Manifest, ManifestError

    folder = Path(args.dataset)
    try:
        dedup = None
        if args.threshold is not None or args.shingle_size is not None:
            base = (
                Manifest.load(folder / "splits.json").dedup
                if (folder / "splits.json").exists()
                else DedupConfig()
            )
            dedup = dataclasses.replace(
                base,
                threshold=args.threshold if args.threshold is not None else base.threshold,
                shingle_size=args.shingle_size or base.shingle_size,
            )
        report = find_leakage(folder, dedup, progress=args.progress)
    except (FileNotFoundError, ManifestError, ValueError) as error:
        print(f"khabar leakage: {error}", file=sys.stderr)
        return 2
    as_json = json.dumps(
        {
            "dataset": str(folder),
            "documents": report.documents,
            "dedup": report.config.to_dict(),
            "pairs": [dataclasses.asdict(p) for p in report.pairs],
            "groups": [{"members": [{"split": split, "doc_id": doc} for split, doc in g.members], "splits": g.splits,
                        "pairs": g.pairs, "max_similarity": g.max_similarity, "exact": g.exact}
                       for g in report.groups],
            "doc_ids_in_several_splits": report.doc_ids_in_several_splits,
            "exact_within_split": report.exact_within_split,
            "configs": report.configs,
            "skipped_configs": report.skipped_configs,
        },
        ensure_ascii=False,
        indent=2,
    )
    print(as_json if args.json else report.summary())
    if args.report:
        Path(args.report).write_text(as_json + "\n", encoding="utf-8")
    return 1 if report.leaks else 0
