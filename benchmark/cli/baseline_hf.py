"""``khabar baseline-hf {ner,quotes,stance} {train,predict}``: the transformer baselines.

Train a model from any Hub id or local folder (``--model``), then predict with the folder it
wrote (``--model`` again) and score the submission with ``khabar evaluate``::

    khabar baseline-hf ner train --model CAMeL-Lab/bert-base-arabic-camelbert-msa \\
        --train train.jsonl --dev dev.jsonl --out models/ner-camelbert
    khabar baseline-hf ner predict --model models/ner-camelbert --input test.jsonl --out sub/ner.jsonl
    khabar evaluate --task ner --submission sub/ner.jsonl --gold test.jsonl

``--train``/``--dev``/``--input`` take an Article JSONL (validated against ``--schema``) or the
task's rows (JSONL; parquet for ``--input``). An Article JSONL can be selected by a split manifest
(``--manifest FILE --split train``, ``--dev-split validation``: Khabar's own corpora) or filtered by
meta (``--where split=train``, ``--exclude``, ``--dev-where split=dev``: imported corpora), and
``predict --gold-out`` writes the selected articles (the gold to score against)::

    khabar baseline-hf ner train --model M --train data/khabar-v0.1.articles.jsonl \\
        --manifest annotations/splits/manifest.json --split train --dev data/khabar-v0.1.articles.jsonl \\
        --dev-split validation --out models/khabar-ner-hf

    khabar baseline-hf stance train --model M --train ans.jsonl --schema ans --where split=train \\
        --dev ans.jsonl --dev-where split=dev --out models/ans
    khabar baseline-hf stance predict --model models/ans --input ans.jsonl --where split=test \\
        --out sub/ans.jsonl --gold-out ans-test.jsonl

``--schema`` is ``khabar`` (default), an importer's name (``ans``, ``anercorp`` …) or a schema file; predict
reads the schema saved with the model. See ``docs/transformer-baselines.md``.
"""

from __future__ import annotations

import argparse
import json
import sys

from benchmark.cli._options import add_progress_option, progress_environment
from benchmark.cli._schema_option import add_schema_option

NAME = "baseline-hf"
HELP = "transformer baselines: fine-tune an encoder (Hub id or local path) for ner, quotes or stance, and predict"
TASKS = ("ner", "quotes", "stance")


def configure(parser: argparse.ArgumentParser) -> None:
    tasks = parser.add_subparsers(dest="baseline_task", metavar="TASK", required=True)
    for task in TASKS:
        task_parser = tasks.add_parser(task, help=f"the {task} baseline")
        actions = task_parser.add_subparsers(dest="baseline_action", metavar="ACTION", required=True)
        train = actions.add_parser("train", help=f"fine-tune --model on {task} training data, save to --out")
        train.add_argument("--model", required=True, help="base model: a Hub id or a local folder")
        train.add_argument("--train", required=True, help="training data: Article JSONL or gold task rows JSONL")
        train.add_argument("--dev", default=None, help="development data (evaluation loss after each epoch)")
        train.add_argument("--out", required=True, help="folder to save the fine-tuned model in")
        add_schema_option(train)
        train.add_argument("--where", action="append", default=[], metavar="KEY=VALUE",
                           help="train on the articles whose meta[KEY] == VALUE (repeatable; e.g. split=train)")
        train.add_argument("--exclude", action="append", default=[], metavar="KEY=VALUE",
                           help="leave out the articles whose meta[KEY] == VALUE (repeatable)")
        train.add_argument("--dev-where", action="append", default=[], metavar="KEY=VALUE",
                           help="select the --dev articles by meta (e.g. split=dev, with --dev the same file)")
        _manifest_flags(train, "train on")
        train.add_argument("--dev-split", action="append", default=[], metavar="NAME",
                           help="select the --dev articles the --manifest puts in split NAME (e.g. validation)")
        train.add_argument("--epochs", type=float, default=3.0, help="training epochs (default 3)")
        train.add_argument("--max-steps", type=int, default=-1, help="stop after this many steps (overrides --epochs)")
        train.add_argument("--batch-size", type=int, default=8, help="batch size (default 8)")
        train.add_argument("--lr", type=float, default=5e-5, help="learning rate (default 5e-5)")
        train.add_argument("--head-lr", type=float, default=None,
                           help="learning rate of the new task head alone (default: --lr); e.g. 2e-3 for e5-small")
        train.add_argument("--max-length", type=int, default=256,
                           help="sub-tokens per window / pair, special tokens included (default 256)")
        if task != "stance":
            train.add_argument("--stride", type=int, default=64,
                               help="sub-tokens shared by consecutive windows of a long article (default 64)")
        train.add_argument("--seed", type=int, default=13, help="random seed (default 13)")
        add_progress_option(train)
        predict = actions.add_parser("predict", help=f"write a {task} submission with a model trained here")
        predict.add_argument("--model", required=True, help="a folder written by `train`")
        predict.add_argument("--input", required=True, help="Article JSONL, or task rows (JSONL or parquet)")
        predict.add_argument("--out", required=True, help="the submission JSONL to write")
        predict.add_argument("--batch-size", type=int, default=16, help="batch size (default 16)")
        predict.add_argument("--where", action="append", default=[], metavar="KEY=VALUE",
                             help="predict for the articles whose meta[KEY] == VALUE (repeatable; e.g. split=test)")
        predict.add_argument("--exclude", action="append", default=[], metavar="KEY=VALUE",
                             help="leave out the articles whose meta[KEY] == VALUE (repeatable)")
        _manifest_flags(predict, "predict for")
        predict.add_argument("--gold-out", default=None, metavar="FILE",
                             help="also write the selected articles (the gold for exactly these documents)")
        add_progress_option(predict)
        if task == "stance":
            predict.add_argument("--quotes", default=None, metavar="FILE",
                                 help="a quotes submission JSONL whose quotes are the candidate holders of "
                                      "quote-holder stances (default: the spans in quotation marks)")


def _manifest_flags(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--manifest", default=None, metavar="FILE",
                        help="split manifest (as in khabar build) that assigns the documents; with --split")
    parser.add_argument("--split", action="append", default=[], metavar="NAME",
                        help=f"{what} the articles the --manifest puts in split NAME (repeatable; e.g. train)")


def run(args: argparse.Namespace) -> int:
    with progress_environment(args.progress):  # the Trainer's bars read KHABAR_NO_PROGRESS
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    from baselines.selection import ManifestSplits
    from baselines.transformers.common import BaselineError, TrainOptions
    from benchmark.model import ArticleError

    task, action = args.baseline_task, args.baseline_action
    if task == "ner":
        from baselines.transformers.ner import predict_ner as predict
        from baselines.transformers.ner import train_ner as train
    elif task == "quotes":
        from baselines.transformers.quotes import predict_quotes as predict
        from baselines.transformers.quotes import train_quotes as train
    else:
        from baselines.transformers.stance import predict_stance as predict
        from baselines.transformers.stance import train_stance as train
    try:
        splits = ManifestSplits.from_args(args.manifest, args.split)
        if action == "train":
            dev_splits = (ManifestSplits.from_args(args.manifest, args.dev_split, flag="--dev-split")
                          if args.dev_split else None)
            options = TrainOptions(epochs=args.epochs, max_steps=args.max_steps, batch_size=args.batch_size,
                                   learning_rate=args.lr, head_learning_rate=args.head_lr,
                                   max_length=args.max_length,
                                   stride=getattr(args, "stride", 0), seed=args.seed)
            summary = train(args.train, base_model=args.model, out_dir=args.out, schema=args.schema,
                            dev_path=args.dev, options=options, where=args.where, exclude=args.exclude,
                            dev_where=args.dev_where, splits=splits, dev_splits=dev_splits)
        else:
            extra = {"quotes": args.quotes} if task == "stance" else {}
            summary = predict(args.model, args.input, args.out, batch_size=args.batch_size, where=args.where,
                              exclude=args.exclude, gold_out=args.gold_out, splits=splits, **extra)
    except (BaselineError, ArticleError, ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    if action == "predict":
        gold = args.gold_out or "<gold file>"
        print(f"score it with: khabar evaluate --task {task} --submission {args.out} --gold {gold}", file=sys.stderr)
    return 0
