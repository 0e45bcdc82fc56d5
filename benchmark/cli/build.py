"""``khabar build INPUT... --manifest M --out DIR``: build the Hub-layout dataset folders.

Examples::

    khabar build annotations/gold/sample.articles.jsonl --manifest annotations/splits/manifest.json \\
        --out release/khabar
    khabar build export.json --manifest m.json --out release/khabar --private /secure/khabar-gold \\
        --corpus anercorp:../shared/data/anercorp -O anercorp:sentences_per_doc=1 \\
        --corpus ans:../shared/data/ans --agreement agreement.json

Writes ``DIR`` (public: ``data/<config>/<split>-*.parquet``, ``README.md`` card,
``khabar_release.json``, ``splits.json``; the test split holds inputs only) and the private gold
folder (``DIR-private`` unless ``--private``). Khabar's inputs build the configs ``articles``,
``ner``, ``quotes`` and ``stance``; each ``--corpus NAME:PATH`` builds a config named after the
corpus with the rows of its task (``ner`` when it has entity labels only, ``stance`` when it has
stance labels only, else ``articles``) and its own licence and citation in the card.
"""

from __future__ import annotations

import argparse
import os
import sys

from benchmark.cli._options import add_progress_option
from benchmark.cli._schema_option import add_schema_option

NAME = "build"
HELP = "build the Hugging Face dataset folders (public inputs + private test gold) from articles and splits"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "inputs",
        nargs="*",
        metavar="INPUT",
        help="Khabar articles: FILE.jsonl or a Label Studio export FILE.json",
    )
    parser.add_argument(
        "--manifest",
        default=None,
        help="split manifest (annotations/splits/manifest.json); articles without an entry "
        "need an official meta['split']",
    )
    parser.add_argument("--out", required=True, help="public output folder")
    parser.add_argument("--private", default=None, help="private gold folder (default: OUT-private)")
    parser.add_argument(
        "--corpus",
        action="append",
        default=[],
        metavar="NAME:PATH",
        help="also build an imported public corpus into its own config (repeatable)",
    )
    parser.add_argument(
        "-O",
        "--corpus-option",
        action="append",
        default=[],
        metavar="NAME:KEY=VALUE",
        help="importer option for --corpus NAME, e.g. anercorp:sentences_per_doc=1 (repeatable)",
    )
    parser.add_argument(
        "--configs",
        default="articles,ner,quotes,stance",
        help="Khabar configs to build (comma-separated; default all four)",
    )
    parser.add_argument("--agreement", default=None, help="agreement report JSON to quote in the card")
    parser.add_argument("--license", default="cc-by-4.0", help="licence of Khabar's annotations (Hub id)")
    parser.add_argument("--citation", default="", help="citation of the Khabar release")
    parser.add_argument("--name", default="Khabar", help="pretty name in the card")
    parser.add_argument(
        "--description",
        default="Khabar's own annotation (entities, quotes, stance).",
        help="how Khabar's annotations were made (shown in the card under the source)",
    )
    parser.add_argument("--hidden-split", default="test", help="the split whose gold is kept private")
    parser.add_argument("--overwrite", action="store_true", help="replace existing output folders")
    parser.add_argument(
        "--workers",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="processes sharing the configs; the main one reads and validates the inputs once and sends them on "
        "(default: 2 on a machine with 2+ cores; POSIX fork; the output is identical with any number)",
    )
    add_schema_option(parser)  # the label schema of the Khabar INPUTs (an imported corpus keeps its own)
    add_progress_option(parser)


def corpus_kind(schema) -> str:
    """The task an imported corpus is released for, from its label schema."""
    if schema.entity_labels and not schema.stance_labels:
        return "ner"
    if schema.stance_labels and not schema.entity_labels:
        return "stance"
    return "articles"


def run(args: argparse.Namespace) -> int:
    import json

    from benchmark.cli._schema_option import schema_from_args
    from benchmark.cli.import_corpus import parse_options
    from benchmark.importers import ImportProblem, get_importer
    from benchmark.io import read_json
    from benchmark.model import ArticleError
    from benchmark.release.build import KHABAR_KINDS, BuildError, ReleaseSource, build_release
    from benchmark.release.sources import ArticleStream, SourceError, parse_source, read_source
    from benchmark.release.splits import Manifest, ManifestError
    from benchmark.schema import SchemaError

    try:
        kinds = tuple(k.strip() for k in args.configs.split(",") if k.strip())
        unknown = sorted(set(kinds) - set(KHABAR_KINDS))
        if unknown:
            raise BuildError(f"unknown config(s) {unknown}; choose from {list(KHABAR_KINDS)}")
        if not args.inputs and not args.corpus:
            raise BuildError("nothing to build: give Khabar inputs and/or --corpus NAME:PATH")
        manifest = Manifest.load(args.manifest) if args.manifest else None
        sources = []
        if args.inputs:
            specs = [parse_source(text) for text in args.inputs]
            if any(spec.kind == "corpus" for spec in specs):
                raise BuildError("pass imported corpora with --corpus NAME:PATH (they build configs of their own)")
            notify = lambda message: print(f"notice: {message}", file=sys.stderr)  # noqa: E731
            schema = schema_from_args(args)
            articles = ArticleStream.chain(read_source(spec, notify=notify, schema=schema) for spec in specs)
            sources.append(
                ReleaseSource(
                    "khabar",
                    articles,
                    schema=schema,
                    kinds=kinds,
                    license=args.license,
                    citation=args.citation,
                    description=args.description,
                )
            )
        option_pairs: dict[str, list[str]] = {}
        for text in args.corpus_option:
            name, sep, pair = text.partition(":")
            if not sep:
                raise BuildError(f"--corpus-option {text}: expected NAME:KEY=VALUE, e.g. anercorp:sentences_per_doc=1")
            option_pairs.setdefault(name, []).append(pair)
        corpus_names = {parse_source(text).name for text in args.corpus}
        stray = sorted(set(option_pairs) - corpus_names)
        if stray:
            raise BuildError(f"--corpus-option for {stray} but no --corpus NAME:PATH for it was given")
        for text in args.corpus:
            spec = parse_source(text)
            if spec.kind != "corpus":
                raise BuildError(f"--corpus {text}: expected NAME:PATH with a registered importer name")
            importer = get_importer(spec.name)
            defaults = {k: v for k, v in importer.options().items() if k != "strict"}
            try:
                options = parse_options(option_pairs.get(spec.name, []), defaults)
            except ValueError as error:
                raise BuildError(f"--corpus-option {spec.name}: {error}") from None
            schema = importer.schema_for(**options)
            sources.append(
                ReleaseSource(
                    spec.name,
                    read_source(spec, **options),
                    schema=schema,
                    kinds=(corpus_kind(schema),),
                    license=importer.license,
                    citation=importer.citation,
                    description=importer.description,
                    homepage=importer.homepage,
                )
            )
        agreement = read_json(args.agreement, "agreement report") if args.agreement else None
        result = build_release(
            sources,
            manifest,
            args.out,
            args.private,
            hidden_split=args.hidden_split,
            agreement=agreement,
            pretty_name=args.name,
            overwrite=args.overwrite,
            workers=args.workers,
            progress=args.progress,
        )
    except (
        BuildError,
        ManifestError,
        SourceError,
        ArticleError,
        ImportProblem,
        SchemaError,
        KeyError,
        OSError,
        json.JSONDecodeError,
    ) as error:
        print(f"khabar build: {error}", file=sys.stderr)
        return 2
    for config, rows in result.rows.items():
        print(f"{config}: " + ", ".join(f"{split} {n}" for split, n in rows.items()))
    print(f"public:  {result.public}\nprivate: {result.private} (never publish)\nrevision: {result.revision}")
    return 0
