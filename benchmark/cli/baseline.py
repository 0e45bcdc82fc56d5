"""``khabar baseline {ner,quotes,stance} {train,predict}``, ``khabar baseline clusters``: the scikit-learn baselines.

Each ``train`` reads an Article JSONL (``--schema`` names its label schema: ``khabar`` or an importer
such as ``anercorp``/``ans``/``baly2018``), keeps the articles a split manifest puts in ``--split``
(``--manifest FILE``, as in ``khabar build``; Khabar's own corpora keep their splits there) and whose
``meta`` matches ``--where`` (and not ``--exclude``; imported corpora keep ``meta.split``), fits, and
saves the model in ``--out`` (a folder; do not commit it). ``clusters`` trains the NER baseline's word
clusters from raw SaudiNewsNet text.
Each ``predict`` writes a submission JSONL that ``khabar evaluate`` scores; ``--gold-out`` also
writes the selected articles, i.e. the gold for exactly those documents.

Examples::

    khabar baseline clusters --corpus ../shared/data/saudinewsnet --out ~/.cache/khabar/word_clusters.npz
    khabar baseline ner train --train data/khabar-v0.1.articles.jsonl \\
        --manifest annotations/splits/manifest.json --split train --split validation \\
        --clusters ~/.cache/khabar/word_clusters.npz --out models/khabar-ner
    khabar baseline ner predict --model models/khabar-ner --input data/khabar-v0.1.articles.jsonl \\
        --manifest annotations/splits/manifest.json --split test --out runs/ner.jsonl --gold-out runs/test.jsonl

    khabar import anercorp ../shared/data/anercorp --out data/anercorp.jsonl
    khabar baseline ner train --train data/anercorp.jsonl --schema anercorp --where split=train \\
        --clusters ~/.cache/khabar/word_clusters.npz --out models/ner-crf
    khabar baseline ner predict --model models/ner-crf --input data/anercorp.jsonl --schema anercorp \\
        --where split=test --out runs/ner.jsonl --gold-out runs/anercorp-test.jsonl
    khabar evaluate --task ner --submission runs/ner.jsonl --gold runs/anercorp-test.jsonl --schema anercorp

    khabar baseline stance train --train data/ans.jsonl --schema ans --where split=train --out models/ans
    khabar baseline stance predict --model models/ans --input data/ans.jsonl --schema ans --where split=test \\
        --out runs/ans.jsonl --gold-out runs/ans-test.jsonl
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from baselines.selection import ManifestSplits

from benchmark.cli._options import add_encoder_option, add_progress_option
from benchmark.cli._schema_option import add_schema_option

NAME = "baseline"
HELP = "scikit-learn baselines: train and predict ner (CRF), quotes (cues + ranker), stance (TF-IDF + LR)"


def _selection(parser: argparse.ArgumentParser, what: str) -> None:
    add_schema_option(parser)
    parser.add_argument("--where", action="append", default=[], metavar="KEY=VALUE",
                        help=f"keep {what} articles whose meta[KEY] == VALUE (repeatable; e.g. split=train)")
    parser.add_argument("--exclude", action="append", default=[], metavar="KEY=VALUE",
                        help="drop articles whose meta[KEY] == VALUE (repeatable; e.g. fold=3)")
    parser.add_argument("--manifest", default=None, metavar="FILE",
                        help="split manifest (as in khabar build) that assigns the documents; with --split")
    parser.add_argument("--split", action="append", default=[], metavar="NAME",
                        help=f"keep {what} articles the --manifest puts in split NAME (repeatable; e.g. train)")


def configure(parser: argparse.ArgumentParser) -> None:
    tasks = parser.add_subparsers(dest="baseline_task", metavar="TASK", required=True)
    for task, train_help in (
        ("ner", "CRF over token features and word clusters"),
        ("quotes", "cue/quotation-mark candidates, logistic-regression span scorer and speaker ranker"),
        ("stance", "word/char TF-IDF of (target, text) into class-weighted logistic regression"),
    ):
        task_parser = tasks.add_parser(task, help=train_help, description=train_help)
        actions = task_parser.add_subparsers(dest="baseline_action", metavar="ACTION", required=True)

        train = actions.add_parser("train", help=f"train the {task} baseline")
        train.add_argument("--train", required=True, metavar="FILE", help="Article JSONL with gold annotations")
        _selection(train, "training")
        train.add_argument("--out", required=True, metavar="DIR", help="folder for the model (not committed)")
        if task == "ner":
            train.add_argument("--clusters", default=None, metavar="NPZ",
                               help="word clusters from `khabar baseline clusters` (strongly recommended)")
            train.add_argument("--c1", type=float, default=0.05, help="L1 penalty (default 0.05)")
            train.add_argument("--c2", type=float, default=0.05, help="L2 penalty (default 0.05)")
            train.add_argument("--iterations", type=int, default=100, help="L-BFGS iterations (default 100)")
            train.add_argument("--split-clitics", choices=("auto", "yes", "no"), default="auto",
                               help="cut proclitics off tokens (auto: decided from the gold spans)")
            train.add_argument("--depths", type=int, default=1, metavar="N",
                               help="nested layers to learn, one CRF each (default 1: the outermost layer)")
            add_progress_option(train)
        elif task == "stance":
            train.add_argument("--C", type=float, default=None,
                               help="inverse L2 strength (default: 1 when holders are quotes, as Khabar's; "
                                    "10 for claim–text pairs such as ANS)")
            train.add_argument("--max-words", type=int, default=None,
                               help="keep the first N words of each text (long articles; default: all)")
            add_encoder_option(train)
        else:
            train.add_argument("--span-learner", choices=("boosted", "linear"), default="boosted",
                               help="the span scorer: gradient-boosted trees (default; model version 6) or the "
                                    "logistic regression of version 5")
            train.add_argument("--C", type=float, default=1.0,
                               help="inverse L2 strength of the linear span scorer (default 1)")

        predict = actions.add_parser("predict", help=f"write a {task} submission JSONL")
        predict.add_argument("--model", required=True, metavar="DIR", help="folder written by train")
        predict.add_argument("--input", required=True, metavar="FILE", help="Article JSONL to predict on")
        _selection(predict, "the")
        if task == "stance":
            predict.add_argument("--quotes", default=None, metavar="FILE",
                                 help="a quotes submission JSONL (khabar baseline quotes predict) whose quotes are "
                                      "the candidate holders of quote-holder stances (default: the spans in "
                                      "quotation marks)")
        predict.add_argument("--out", required=True, metavar="FILE", help="submission JSONL to write")
        predict.add_argument("--gold-out", default=None, metavar="FILE",
                             help="also write the selected articles (the gold for khabar evaluate --gold)")
        if task == "ner":
            predict.add_argument("--no-propagate", action="store_true",
                                 help="CRF output only: no document-level label propagation")
        if task == "quotes":
            predict.add_argument("--ner-model", default=None, metavar="DIR",
                                 help="NER baseline model for speaker candidates when the input has no "
                                      "entities (default: use the input's entities, else cue heuristics)")
            predict.add_argument("--ignore-gold-entities", action="store_true",
                                 help="do not use the input's entity annotations (simulates raw text)")
    _configure_clusters(tasks)


def _configure_clusters(tasks: argparse._SubParsersAction) -> None:
    what = "word clusters from a raw news corpus, for the NER baseline's --clusters"
    clusters = tasks.add_parser("clusters", help=what, description=what)
    clusters.add_argument("--corpus", required=True, type=Path, metavar="DIR",
                          help="SaudiNewsNet folder (with dataset/*.zip) or a folder of .txt files")
    clusters.add_argument("--out", type=Path, default=Path("~/.cache/khabar/word_clusters.npz"), metavar="NPZ",
                          help="output .npz (default ~/.cache/khabar/word_clusters.npz; outside the repository)")
    clusters.add_argument("--granularities", default="64,256,1024",
                          help="cluster counts, coarse to fine, comma-separated (default 64,256,1024)")
    clusters.add_argument("--vocab-size", type=int, default=60_000, help="words clustered (default 60000)")
    clusters.add_argument("--context-size", type=int, default=8_000, help="context words (default 8000)")
    clusters.add_argument("--min-count", type=int, default=3, help="least count of a clustered word (default 3)")
    clusters.add_argument("--dims", type=int, default=100, help="SVD dimensions (default 100)")
    clusters.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    add_progress_option(clusters)


def run(args: argparse.Namespace) -> int:
    from benchmark.model import ArticleError

    try:
        if args.baseline_task == "clusters":
            return _clusters(args)
        if args.baseline_action == "train":
            return _train(args)
        return _predict(args)
    except (ValueError, FileNotFoundError, ArticleError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def _clusters(args: argparse.Namespace) -> int:
    from baselines.sklearn.corpus_clusters import cluster_examples, train_corpus_clusters

    try:
        granularities = tuple(int(g) for g in args.granularities.split(","))
    except ValueError:
        raise ValueError(f"--granularities must be integers separated by commas, got {args.granularities!r}") from None
    started = time.perf_counter()
    clusters = train_corpus_clusters(args.corpus, granularities=granularities, vocab_size=args.vocab_size,
                                     context_size=args.context_size, min_count=args.min_count, dims=args.dims,
                                     seed=args.seed, show_progress=args.progress)
    out = clusters.save(args.out.expanduser())
    print(f"{len(clusters)} words, granularities {clusters.granularities}, {clusters.meta['tokens']} tokens, "
          f"{time.perf_counter() - started:.1f} s -> {out}")
    for line in cluster_examples(clusters):
        print(f"  {line}")
    print(f"use it with: khabar baseline ner train ... --clusters {out}")
    return 0


def _splits(args: argparse.Namespace) -> ManifestSplits | None:
    """The ``--manifest FILE --split NAME`` selection, or ``None`` when neither is given."""
    from baselines.selection import ManifestSplits

    return ManifestSplits.from_args(args.manifest, args.split)


def _train(args: argparse.Namespace) -> int:
    from baselines.sklearn.data import load_articles

    articles = load_articles(args.train, args.schema, args.where, args.exclude, _splits(args))
    started = time.perf_counter()
    if args.baseline_task == "ner":
        from baselines.sklearn.data import resolve_schema
        from baselines.sklearn.ner import NerModel, NestedSpansWarning
        from baselines.sklearn.wordclusters import WordClusters

        clusters = WordClusters.load(Path(args.clusters).expanduser()) if args.clusters else None
        split = {"auto": "auto", "yes": True, "no": False}[args.split_clitics]
        with warnings.catch_warnings(record=True) as caught:  # shown as one plain line each
            warnings.simplefilter("always", NestedSpansWarning)
            model = NerModel.train(articles, clusters=clusters, split_clitics=split, c1=args.c1, c2=args.c2,
                                   max_iterations=args.iterations, show_progress=args.progress, depths=args.depths,
                                   schema=resolve_schema(args.schema))
        for warning in caught:
            print(f"warning: {warning.message}", file=sys.stderr)
    elif args.baseline_task == "stance":
        from baselines.sklearn.data import resolve_schema
        from baselines.sklearn.stance import StanceModel, predicted_holder_candidates
        from benchmark.tasks import get_task

        rows = get_task("stance").rows(articles, resolve_schema(args.schema))
        model = StanceModel.train(rows, C=args.C, max_words=args.max_words, encoder=args.encoder,
                                  holder_candidates=predicted_holder_candidates(articles, rows))  # as khabar run
    else:
        from baselines.sklearn.quotes import QuoteModel

        model = QuoteModel.train(articles, C=args.C, span_learner=args.span_learner)
    path = model.save(args.out)
    elapsed = time.perf_counter() - started
    print(f"trained {args.baseline_task} on {len(articles)} articles in {elapsed:.1f} s -> {path}")
    print(f"model: {model.meta}")
    return 0


def _predict(args: argparse.Namespace) -> int:
    from baselines.sklearn.data import load_articles, resolve_schema, write_jsonl
    from baselines.sklearn.submission import ner_lines, quote_lines, stance_lines
    from benchmark.io import write_articles

    articles = load_articles(args.input, args.schema, args.where, args.exclude, _splits(args))
    started = time.perf_counter()
    if args.baseline_task == "ner":
        from baselines.sklearn.ner import NerModel

        model = NerModel.load(args.model)
        model.propagate = not args.no_propagate
        lines = ner_lines(model, articles)
    elif args.baseline_task == "stance":
        from baselines.sklearn.stance import StanceModel

        model = StanceModel.load(args.model)
        from benchmark.tasks.stance import read_quote_candidates

        candidates = read_quote_candidates(args.quotes) if args.quotes else None
        lines = stance_lines(model, articles, resolve_schema(args.schema), candidates=candidates)
    else:
        from baselines.sklearn.quotes import QuoteModel

        model = QuoteModel.load(args.model)
        ner = None
        if args.ner_model:
            from baselines.sklearn.ner import NerModel

            ner = NerModel.load(args.ner_model)
        lines = quote_lines(model, articles, ner=ner, use_gold_entities=not args.ignore_gold_entities)
    count = write_jsonl(args.out, lines)
    elapsed = time.perf_counter() - started
    print(f"wrote {count} submission lines for {len(articles)} articles to {args.out} in {elapsed:.1f} s")
    if args.gold_out:
        write_articles(args.gold_out, articles)
        print(f"wrote the {len(articles)} selected articles (gold) to {args.gold_out}")
    return 0
