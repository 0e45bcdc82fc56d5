"""``khabar rehydrate STANDOFF.jsonl --corpus NAME:PATH --out ARTICLES.jsonl``: stand-off → articles.

Khabar's SaudiNewsNet annotations are committed as stand-off records (offsets + the SHA-256 of
each text; :mod:`benchmark.standoff`). This command reads the user's copy of the corpus through
its importer and writes full Article JSONL. It lists every record it cannot rehydrate (doc_id
missing from the corpus, text/title hash mismatch, invalid article) and then writes nothing.

    khabar rehydrate annotations/v0.1/gold.standoff.jsonl \\
        --corpus saudinewsnet:../shared/data/saudinewsnet --out work/khabar-v0.1/gold.articles.jsonl
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmark.cli._options import add_progress_option

NAME = "rehydrate"
HELP = "rebuild full articles from stand-off annotations and your copy of the corpus (hash-checked)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("standoff", type=Path, help="stand-off JSONL (e.g. annotations/v0.1/gold.standoff.jsonl)")
    parser.add_argument(
        "--corpus",
        required=True,
        metavar="NAME:PATH",
        help="the corpus the texts come from, read by its importer (e.g. saudinewsnet:../shared/data/saudinewsnet)",
    )
    parser.add_argument("--out", type=Path, required=True, help="Article JSONL to write")
    add_progress_option(parser)


def run(args: argparse.Namespace) -> int:
    from tqdm.auto import tqdm

    from benchmark.importers import IMPORTERS, get_importer
    from benchmark.io import write_articles
    from benchmark.standoff import StandoffError, read_standoff, rehydrate_all

    name, sep, path = args.corpus.partition(":")
    if not sep or not path:
        print(f"error: --corpus {args.corpus!r} must be NAME:PATH (e.g. saudinewsnet:../shared/data/saudinewsnet)",
              file=sys.stderr)
        return 2
    if name not in IMPORTERS:
        print(f"error: --corpus: no importer named {name!r}; known: {sorted(IMPORTERS)}", file=sys.stderr)
        return 2
    if not Path(path).exists():
        print(f"error: --corpus: {path} does not exist (fix: point to your copy of {name})", file=sys.stderr)
        return 2
    try:
        records = list(read_standoff(args.standoff))
    except (OSError, StandoffError) as error:
        print(f"error: {args.standoff}: {error}", file=sys.stderr)
        return 1
    wanted = {r["doc_id"] for r in records}
    corpus = {}
    for article in tqdm(get_importer(name).load(path), desc=f"reading {name}", unit="doc", disable=not args.progress):
        if article.doc_id in wanted:
            corpus[article.doc_id] = article
    result = rehydrate_all(records, corpus)
    if not result.ok:
        print(f"error: {len(result.problems)} problem(s); {args.out} not written:", file=sys.stderr)
        for problem in result.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    count = write_articles(args.out, result.articles)
    print(f"rehydrated {count} article(s) from {name}:{path} → {args.out}")
    return 0
