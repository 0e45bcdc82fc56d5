"""``khabar import CORPUS PATH --out FILE.jsonl``: a corpus to Article JSONL.

Examples::

    khabar import --list
    khabar import conll train.conll --tag-columns 2,3 --doc-marker -DOCSTART- --out train.jsonl
    khabar import conll a.txt b.txt --delimiter tab --scheme BIOES --schema my-labels.json --out ab.jsonl
    khabar import anercorp ../shared/data/anercorp --out data/anercorp.jsonl -O sentences_per_doc=1
    khabar import newsfane ../shared/data/newsfane_gold --out newsfane.jsonl -O labels=fine
    khabar import saudinewsnet ../shared/data/saudinewsnet --out snn.jsonl --limit 10000

Every article is validated with the corpus' own label schema, or with ``--schema NAME|FILE``
(``conll`` without ``--schema`` accepts any label and writes the labels it found as a schema
file beside the output, ``FILE.schema.json``, for the commands that follow). Repairs and skipped records are
counted and noted (file and line) in a report printed at the end and written beside the output
(``FILE.report.json``). A record that fails validation stops the import with its location,
unless ``--keep-going`` (then it is skipped, listed in the report, and the exit code is 1).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from benchmark.cli._options import add_limit_option, add_progress_option
from benchmark.cli._schema_option import add_schema_option

NAME = "import"
HELP = ("import a corpus to Article JSONL: any CoNLL/IOB file (conll) or a public corpus (anercorp, newsfane, ans, "
        "baly2018, mawqif, saudinewsnet)")

CONLL_FLAGS = ("token_column", "tag_columns", "scheme", "delimiter", "sentence_marker", "doc_marker",
               "sentences_per_doc", "encoding", "repair")
"""The ``conll`` importer's options that have flags of their own (the rest go through ``-O``)."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("corpus", nargs="?", help="importer name (see --list)")
    parser.add_argument("path", nargs="*", help="the corpus folder or file (conll: one or more files)")
    parser.add_argument("--out", help="output JSONL file")
    parser.add_argument("-O", "--option", action="append", default=[], metavar="KEY=VALUE",
                        help="importer option, e.g. sentences_per_doc=1, labels=fine, split=none (repeatable)")
    add_limit_option(parser, "articles")
    parser.add_argument("--keep-going", action="store_true",
                        help="skip (and report) invalid records instead of stopping at the first")
    parser.add_argument("--report", default=None, help="report JSON path (default: OUT.report.json)")
    parser.add_argument("--list", action="store_true", help="list the importers, their options and licences")
    add_schema_option(parser, default="the corpus' own (conll: any label, written to OUT.schema.json)")
    conll = parser.add_argument_group("conll (khabar import conll FILE... --out OUT.jsonl)")
    conll.add_argument("--token-column", type=int, default=None, metavar="N", help="column of the token (default 1)")
    conll.add_argument("--tag-columns", default=None, metavar="N,M,…",
                       help="tag columns, outermost nesting depth first (default 2)")
    conll.add_argument("--scheme", default=None, choices=("IOB2", "IOB1", "BIOES"), help="tag scheme (default IOB2)")
    conll.add_argument("--delimiter", default=None, choices=("auto", "tab", "space"),
                       help="column separator (default auto: from the first line, then the same on every line)")
    conll.add_argument("--sentence-marker", default=None, metavar="TOKEN",
                       help="a line whose token is TOKEN ends a sentence (blank lines always do)")
    conll.add_argument("--doc-marker", default=None, metavar="TOKEN",
                       help="a line whose token is TOKEN starts a document (e.g. -DOCSTART-); "
                            "else documents are --sentences-per-doc sentences")
    conll.add_argument("--sentences-per-doc", type=int, default=None, metavar="N",
                       help="sentences per document without --doc-marker (default 10)")
    conll.add_argument("--encoding", default=None, help="file encoding (default utf-8; a BOM is dropped)")
    conll.add_argument("--repair", action="store_true", default=None,
                       help="IOB2: read an I-X that does not continue an X entity as B-X (each repair noted); "
                            "without it such a tag stops the import")
    add_progress_option(parser)


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
        options = {k: v for k, v in importer.options().items() if k not in ("strict", "schema")}
        print(f"{importer.name}: {importer.description}")
        print(f"    options: {options or 'none'}")
        print(f"    licence: {importer.license}")
    return 0


def run(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from benchmark.importers import IMPORTERS, ImportProblem, ImportReport
    from benchmark.schema import SchemaError, schema_to_dict

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
        options = _options(args, importer)
        schema = _schema(args)
    except (ValueError, SchemaError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if importer.name == "conll" and schema is not None:
        options["schema"] = schema
    report = ImportReport(importer.name)
    out = Path(args.out)
    report_path = Path(args.report) if args.report else out.with_name(out.name + ".report.json")
    try:
        written = _write(importer, args, options, schema, report, out)
    except (ImportProblem, FileNotFoundError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    used = schema or importer.schema_for(**options)
    shown = {k: v for k, v in options.items() if k != "schema"}
    record = {"importer": importer.name, "path": args.path[0] if len(args.path) == 1 else args.path,
              "options": shown, "written": written, "output": str(out), "schema": used.name,
              "license": importer.license, **report.to_dict()}
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {written:,} articles to {out} (schema {record['schema']}); report: {report_path}")
    if used.entity_labels is None:  # conll without --schema: the labels found become a schema file
        labels = sorted(k.partition(":")[2] for k in report.counts if k.startswith("label:"))
        found = type(used)(name=out.stem, entity_labels=tuple(labels), quote_kinds=(), stance_labels=(),
                           description=f"the entity labels found by khabar import {importer.name} in "
                                       f"{', '.join(args.path)}")
        schema_path = out.with_name(out.stem + ".schema.json")
        schema_path.write_text(json.dumps(schema_to_dict(found), ensure_ascii=False, indent=2) + "\n",
                               encoding="utf-8")
        print(f"entity labels found: {', '.join(labels) or 'none'}; wrote them as a schema to {schema_path}: "
              f"pass --schema {schema_path} to validate, stats, baseline, evaluate …")
    print(report.summary())
    return 1 if report.counts.get("invalid_skipped") else 0


def _options(args: argparse.Namespace, importer: Any) -> dict[str, Any]:
    """The importer's options from ``-O`` and, for ``conll``, its own flags."""
    defaults = {k: v for k, v in importer.options().items() if k not in ("strict", "schema")}
    options = parse_options(args.option, defaults)
    given = {key: getattr(args, key) for key in CONLL_FLAGS if getattr(args, key) is not None}
    if given and importer.name != "conll":
        flags = ", ".join("--" + key.replace("_", "-") for key in given)
        raise ValueError(f"{flags}: for `khabar import conll` only; {importer.name} reads its own declared format")
    options.update(given)
    if importer.name != "conll" and len(args.path) != 1:
        raise ValueError(f"{importer.name} takes one PATH (its file or folder), got {len(args.path)}")
    options["strict"] = not args.keep_going
    return options


def _schema(args: argparse.Namespace):
    from benchmark.cli._schema_option import schema_from_args

    return schema_from_args(args, default=None)


def _articles(importer: Any, paths: list[str], options: dict[str, Any], schema: Any, report: Any):
    """Every file's articles in turn; with ``--schema`` (other than conll, which checks while
    reading), every article is checked against it too and the first misfit stops the import."""
    from benchmark.importers import ImportProblem
    from benchmark.model import find_problems

    stems = [Path(p).stem for p in paths]
    repeated = sorted({s for s in stems if stems.count(s) > 1})
    if repeated:
        raise ValueError(f"several files are named {repeated}: doc_ids start with the file name; rename "
                         "one or import them separately with -O id_prefix=…")
    for path in paths:
        for article in importer.load(path, report=report, **options):
            if schema is not None and importer.name != "conll":
                problems = find_problems(article, schema)
                if problems:
                    raise ImportProblem(f"{path} ({article.doc_id})", problems)
            yield article


def _write(importer: Any, args: argparse.Namespace, options: dict[str, Any], schema: Any, report: Any,
           out: Any) -> int:
    import itertools

    from tqdm import tqdm

    from benchmark.io import write_articles

    articles = _articles(importer, args.path, options, schema, report)
    if args.limit is not None:
        articles = itertools.islice(articles, args.limit)
    progress = tqdm(articles, desc=f"import {importer.name}", unit=" articles",
                    disable=None if args.progress else True, file=sys.stderr)
    partial = out.with_name(out.name + ".partial")  # a failed import never leaves a half file at OUT
    try:
        written = write_articles(partial, progress)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(out)
    return written
