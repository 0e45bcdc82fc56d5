"""``khabar split INPUT... --manifest PATH``: assign new articles to splits (existing ones never move).

Examples::

    khabar split annotations/gold/sample.articles.jsonl --manifest annotations/splits/manifest.json
    khabar split export.json --manifest m.json --ratios train=0.8,test=0.2 --threshold 0.85
    khabar split saudinewsnet:../shared/data/saudinewsnet --manifest snn-splits.json --dry-run

Inputs: Khabar JSONL, a Label Studio JSON export, or ``CORPUS:PATH`` (a registered importer; its
official ``meta["split"]`` is kept). Pass every article (old and new): near-duplicates of old
articles are found among the texts given. ``--ratios``/``--salt``/``--threshold``/
``--shingle-size``/``--stratify`` start a new manifest; an existing manifest fixes them.
``--stratify source`` keeps the ratios per outlet; ``--inherit OLD.json`` starts a new manifest
from an older release's assignments (its test documents stay in test). Exit code 1 when a
near-duplicate cluster straddles splits and cannot be fixed without moving old articles (the
manifest is still written; the conflicts are listed).
"""

from __future__ import annotations

import argparse
import sys

from benchmark.cli._options import add_progress_option
from benchmark.cli._schema_option import add_schema_option

NAME = "split"
HELP = "assign articles to fixed train/validation/test splits in the committed manifest (append-only)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="articles: FILE.jsonl, a Label Studio export FILE.json, or CORPUS:PATH",
    )
    parser.add_argument("--manifest", required=True, help="the manifest JSON to create or update")
    parser.add_argument("--ratios", default=None, help="new manifest only: e.g. train=0.7,validation=0.1,test=0.2")
    parser.add_argument("--salt", default=None, help="new manifest only: salt of the hash assignment")
    parser.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="new manifest only: Jaccard threshold of near-duplicates (default 0.8)",
    )
    parser.add_argument(
        "--shingle-size", type=int, default=None, help="new manifest only: words per shingle (default 5)"
    )
    parser.add_argument(
        "--stratify", default=None, metavar="FIELD",
        help="new manifest only: keep the ratios inside each value of this article field (e.g. source: the outlet)",
    )
    parser.add_argument(
        "--inherit", default=None, metavar="MANIFEST",
        help="new manifest only: start from this manifest's assignments (they keep their splits)",
    )
    parser.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    add_schema_option(parser)  # the label schema of FILE.jsonl inputs
    add_progress_option(parser)


def run(args: argparse.Namespace) -> int:
    import itertools
    from pathlib import Path

    from benchmark.cli._schema_option import schema_from_args
    from benchmark.model import ArticleError
    from benchmark.release.dedup import DedupConfig
    from benchmark.release.sources import SourceError, parse_source, read_source
    from benchmark.release.splits import Manifest, ManifestError, assign_splits

    path = Path(args.manifest)
    try:
        manifest = Manifest.load(path) if path.exists() else None
        dedup = None
        if args.threshold is not None or args.shingle_size is not None:
            defaults = DedupConfig()
            dedup = DedupConfig(
                threshold=args.threshold if args.threshold is not None else defaults.threshold,
                shingle_size=args.shingle_size or defaults.shingle_size,
            )
        specs = [parse_source(text) for text in args.inputs]
        schema = schema_from_args(args)
        articles = itertools.chain.from_iterable(read_source(spec, texts_only=True, schema=schema) for spec in specs)
        inherit = Manifest.load(args.inherit) if args.inherit else None
        report = assign_splits(
            articles, manifest, ratios=args.ratios, salt=args.salt, dedup=dedup, stratify=args.stratify,
            inherit=inherit, progress=args.progress,
        )
    except (ManifestError, SourceError, ArticleError, ValueError, FileNotFoundError) as error:
        print(f"khabar split: {error}", file=sys.stderr)
        return 2
    for doc_id in report.changed_text:
        print(f"warning: {doc_id}: text changed since it was assigned; it keeps its split", file=sys.stderr)
    for conflict in report.conflicts:
        print(f"conflict: {conflict}", file=sys.stderr)
    print(report.summary())
    if args.dry_run:
        print(f"dry run: {path} not written")
    else:
        report.manifest.save(path)
        print(f"wrote {path}")
    return 1 if report.conflicts else 0
