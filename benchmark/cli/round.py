"""``khabar round``: run an annotation round (docs/annotation-workflow.md, "Running a round").

    khabar round select --corpus saudinewsnet:PATH --n 340 --seed khabar-v0.2 \\
        --exclude-standoff annotations/v0.1/gold.standoff.jsonl --out annotations/v0.2/selection.json
    khabar round articles annotations/v0.2/selection.json --corpus saudinewsnet:PATH --out WORK/raw.jsonl
    # push WORK/raw.jsonl, annotate, pull: khabar annotate push / pull
    khabar round finish --pass annotator-a=A.jsonl --pass annotator-b=B.jsonl \\
        --decisions annotations/v0.2/adjudication.jsonl --out annotations/v0.2 --work WORK

The library behind it is :mod:`benchmark.rounds`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "round"
HELP = "an annotation round: select articles (seeded rule), read them back (hash-checked), finish it"


def _corpus_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", required=True, metavar="NAME:PATH",
                        help="the corpus, read by its importer (e.g. saudinewsnet:../shared/data/saudinewsnet)")


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    p = actions.add_parser("select", help="choose a round's articles by the seeded rule (no text in the output)")
    _corpus_arg(p)
    p.add_argument("--n", type=int, required=True, help="how many articles to select")
    p.add_argument("--seed", required=True, help="the seed of the ranking (recorded; e.g. khabar-v0.2)")
    p.add_argument("--exclude-standoff", type=Path, action="append", default=[], metavar="STANDOFF.jsonl",
                   help="already-annotated documents: never selected, nor their near-duplicates (repeatable)")
    p.add_argument("--min-chars", type=int, default=900, help="shortest text in code points (default 900)")
    p.add_argument("--max-chars", type=int, default=2600, help="longest text in code points (default 2600)")
    p.add_argument("--min-quote-cues", type=int, default=3, help="speech-verb cues required (default 3)")
    p.add_argument("--any-quote", action="store_true",
                   help="do not require a direct quote (a cue followed by a quotation mark)")
    p.add_argument("--floor", type=int, default=5, help="articles every outlet gives at least (default 5)")
    p.add_argument("--out", type=Path, required=True, help="selection JSON to write")

    p = actions.add_parser("articles", help="the selected articles from your corpus, every text hash checked")
    p.add_argument("selection", type=Path, help="selection JSON (khabar round select)")
    _corpus_arg(p)
    p.add_argument("--out", type=Path, required=True, help="Article JSONL to write (holds text: keep it out of git)")


def run(args: argparse.Namespace) -> int:
    from benchmark.rounds.selection import SelectionError

    try:
        return {"select": _select, "articles": _articles}[args.action](args)
    except SelectionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def _corpus(spec: str):
    """``NAME:PATH`` → (name, iterator of articles); ``None`` after printing the fix."""
    from benchmark.importers import IMPORTERS, get_importer

    name, sep, path = spec.partition(":")
    if not sep or not path:
        print(f"error: --corpus {spec!r} must be NAME:PATH (e.g. saudinewsnet:../shared/data/saudinewsnet)",
              file=sys.stderr)
        return None
    if name not in IMPORTERS:
        print(f"error: --corpus: no importer named {name!r}; known: {sorted(IMPORTERS)}", file=sys.stderr)
        return None
    if not Path(path).exists():
        print(f"error: --corpus: {path} does not exist (fix: point to your copy of {name})", file=sys.stderr)
        return None
    return name, get_importer(name).load(path)


def _select(args: argparse.Namespace) -> int:
    from benchmark.rounds.selection import SelectionRule, annotated_hashes, select_articles, write_selection
    from benchmark.standoff import StandoffError

    corpus = _corpus(args.corpus)
    if corpus is None:
        return 2
    rule = SelectionRule(n=args.n, seed=args.seed, min_chars=args.min_chars, max_chars=args.max_chars,
                         min_quote_cues=args.min_quote_cues, direct_quote=not args.any_quote, floor=args.floor)
    try:
        annotated, sources = annotated_hashes(args.exclude_standoff)
    except (OSError, StandoffError) as error:
        print(f"error: --exclude-standoff: {error}", file=sys.stderr)
        return 1
    name, articles = corpus
    selection = select_articles(articles, rule, corpus_name=name, annotated=annotated, exclude_sources=sources)
    write_selection(args.out, selection)
    per_outlet = ", ".join(f"{o} {row['selected']}" for o, row in selection["per_outlet"].items())
    print(f"selected {len(selection['articles'])} of {selection['eligible']} eligible article(s) "
          f"({selection['considered']} considered; dropped {selection['dropped'] or 'none'}) → {args.out}")
    print(f"per outlet: {per_outlet}")
    if selection["outlets_not_represented"]:
        print(f"warning: no eligible article left in {selection['outlets_not_represented']} "
              "(fix: wider --min-chars/--max-chars or fewer --min-quote-cues)", file=sys.stderr)
    return 0


def _articles(args: argparse.Namespace) -> int:
    from benchmark.io import write_articles
    from benchmark.rounds.selection import load_selection

    corpus = _corpus(args.corpus)
    if corpus is None:
        return 2
    articles = load_selection(args.selection, corpus[1])
    count = write_articles(args.out, articles)
    print(f"{count} selected article(s), text hashes checked → {args.out}")
    return 0
