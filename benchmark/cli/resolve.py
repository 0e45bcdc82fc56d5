"""``khabar resolve LOCATORS.jsonl --texts ARTICLES.jsonl --out OUT.jsonl``: locator annotations → Articles.

Each line of LOCATORS is a locator record (see :mod:`benchmark.authoring`) for an article of TEXTS
(Article JSONL, e.g. from ``khabar import saudinewsnet``), matched by doc_id. Every problem of every
record is listed; nothing is written unless all records resolve (exit 1 otherwise).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "resolve"
HELP = "resolve locator annotations (surface + context) against article texts into Article JSONL"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("locators", type=Path, help="JSONL of locator records (benchmark.authoring)")
    parser.add_argument("--texts", type=Path, required=True, help="Article JSONL holding the texts (by doc_id)")
    parser.add_argument("--out", type=Path, required=True, help="where to write the resolved Article JSONL")
    parser.add_argument("--annotator", default=None, help="provenance annotator name")


def run(args: argparse.Namespace) -> int:
    from benchmark.authoring import resolve_record
    from benchmark.io import iter_jsonl_records, read_articles, write_articles
    from benchmark.model import ArticleError, Provenance
    from benchmark.schema import GUIDELINES_VERSION, KHABAR

    bases = {a.doc_id: a for a in read_articles(args.texts, schema=None)}
    provenance = Provenance(annotator=args.annotator, guidelines_version=GUIDELINES_VERSION,
                            source=args.locators.name)
    resolved, problems = [], []
    for number, record, issue in iter_jsonl_records(args.locators):
        if issue is not None:
            problems.append(f"line {number}: {issue}")
            continue
        doc_id = record.get("doc_id") if isinstance(record, dict) else None
        if doc_id not in bases:
            problems.append(f"line {number}: doc_id {doc_id!r} is not in {args.texts} (fix: check the doc_id)")
            continue
        try:
            resolved.append(resolve_record(record, bases[doc_id].text, schema=KHABAR, provenance=provenance,
                                           base=bases[doc_id]))
        except ArticleError as error:
            problems.extend(f"line {number}: {p}" for p in error.issues)
    for number, problem in enumerate(problems, start=1):
        print(f"{number}. {problem}")
    if problems:
        print(f"{len(problems)} problem(s); nothing written", file=sys.stderr)
        return 1
    count = write_articles(args.out, resolved)
    print(f"{count} article(s) resolved → {args.out}")
    return 0
