"""``khabar import CORPUS PATH --out FILE.jsonl``: a public corpus to Article JSONL.

Examples::

    khabar import --list
    khabar import anercorp ../shared/data/anercorp --out data/anercorp.jsonl -O sentences_per_doc=1
    khabar import newsfane ../shared/data/newsfane_gold --out newsfane.jsonl -O labels=fine
    khabar import saudinewsnet ../shared/data/saudinewsnet --out snn.jsonl --limit 10000

Every article is validated with the corpus' own label schema. Repairs and skipped records are
counted and noted (file and line) in a report printed at the end and written beside the output
(``FILE.report.json``). A record that fails validation stops the import with its location,
unless ``--keep-going`` (then it is skipped, listed in the report, and the exit code is 1).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

NAME = "import"
HELP = "import a public corpus (anercorp, newsfane, ans, baly2018, mawqif, saudinewsnet) to JSONL"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("corpus", nargs="?", help="importer name (see --list)")
    parser.add_argument("path", nargs="?", help="the corpus folder or file")
    parser.add_argument("--out", help="output JSONL file")
    parser.add_argument("-O", "--option", action="append", default=[], metavar="KEY=VALUE",
                        help="importer option, e.g. sentences_per_doc=1, labels=fine (repeatable)")
    parser.add_argument("--limit", type=int, default=None, help="stop after N articles")
    parser.add_argument("--keep-going", action="store_true",
                        help="skip (and report) invalid records instead of stopping at the first")
    parser.add_argument("--report", default=None, help="report JSON path (default: OUT.report.json)")
    parser.add_argument("--list", action="store_true", help="list the importers, their options and licences")


def parse_options(pairs: list[str], defaults: dict[str, Any]) -> dict[str, Any]:
    """``["labels=fine", "sentences_per_doc=1"]`` → typed options, typed after each default.

    >>> parse_options(["sentences_per_doc=1", "private=yes"], {"sentences_per_doc": 10, "private": False})
    {'sentences_per_doc': 1, 'private': True}
    """
    options: dict[str, Any] = {}
    for pair in pairs:
        key, eq, value = pair.partition("=")
        key = key.strip()
        if not eq or not key:
            raise ValueError(f"option {pair!r} is not KEY=VALUE")
        if key not in defaults:
            raise ValueError(f"unknown option {key!r}; this importer knows: {sorted(defaults) or 'none'}")
        default = defaults[key]
        if isinstance(default, bool):
            if value.lower() not in {"1", "0", "true", "false", "yes", "no"}:
                raise ValueError(f"option {key} wants true/false, got {value!r}")
            options[key] = value.lower() in {"1", "true", "yes"}
        elif isinstance(default, int):
            try:
                options[key] = int(value)
            except ValueError:
                raise ValueError(f"option {key} wants an integer, got {value!r}") from None
        else:
            options[key] = value
    return options


def _list() -> int:
    from benchmark.importers import IMPORTERS

    for importer in IMPORTERS.values():
        options = {k: v for k, v in importer.options().items() if k != "strict"}
        print(f"{importer.name}: {importer.description}")
        print(f"    options: {options or 'none'}")
        print(f"    licence: {importer.license}")
    return 0


def run(args: argparse.Namespace) -> int:
    import itertools
    import json
    from pathlib import Path

    from tqdm import tqdm

    from benchmark.importers import IMPORTERS, ImportProblem, ImportReport
    from benchmark.io import write_articles

    if args.list:
        return _list()
    if not args.corpus or not args.path or not args.out:
        print("usage: khabar import CORPUS PATH --out FILE.jsonl [-O KEY=VALUE] (see khabar import --list)",
              file=sys.stderr)
        return 2
    if args.corpus not in IMPORTERS:
        known = ", ".join(sorted(IMPORTERS))
        print(f"error: no importer named {args.corpus!r}; known: {known}", file=sys.stderr)
        return 2
    importer = IMPORTERS[args.corpus]
    try:
        options = parse_options(args.option, {k: v for k, v in importer.options().items() if k != "strict"})
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    options["strict"] = not args.keep_going
    report = ImportReport(importer.name)
    out = Path(args.out)
    report_path = Path(args.report) if args.report else out.with_name(out.name + ".report.json")
    articles = importer.load(args.path, report=report, **options)
    if args.limit is not None:
        articles = itertools.islice(articles, args.limit)
    progress = tqdm(articles, desc=f"import {importer.name}", unit=" articles", disable=None, file=sys.stderr)
    partial = out.with_name(out.name + ".partial")  # a failed import never leaves a half file at OUT
    try:
        written = write_articles(partial, progress)
    except (ImportProblem, FileNotFoundError, ValueError) as error:
        partial.unlink(missing_ok=True)
        print(f"error: {error}", file=sys.stderr)
        return 1
    partial.replace(out)
    record = {"importer": importer.name, "path": str(args.path), "options": options, "written": written,
              "output": str(out), "schema": importer.schema_for(**options).name, "license": importer.license,
              **report.to_dict()}
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {written:,} articles to {out} (schema {record['schema']}); report: {report_path}")
    print(report.summary())
    return 1 if report.counts.get("invalid_skipped") else 0
