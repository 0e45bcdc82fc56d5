"""A tiny, randomly initialised BERT with a WordPiece tokenizer trained on your own texts.

For tests and smoke runs where no pretrained model can be downloaded: it exercises the whole
baseline pipeline (train, windows, predict, score) in seconds on a CPU. Its scores are **not**
baseline figures: the encoder has seen no pretraining at all.

    python -m baselines.transformers.tiny ARTICLES.jsonl OUT_DIR [--vocab 2000] [--hidden 32]

builds ``OUT_DIR`` (``config.json``, weights, ``tokenizer.json``) that ``--model`` accepts.

>>> import tempfile
>>> folder = build_tiny_bert(["وقال بوتين إن روسيا ستدعم كوريا"], tempfile.mkdtemp(), vocab_size=60)
>>> (folder / "tokenizer.json").is_file() and (folder / "config.json").is_file()
True
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path

__all__ = ["build_tiny_bert"]

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def build_tiny_bert(texts: Iterable[str], out_dir: str | Path, *, vocab_size: int = 2000, hidden_size: int = 32,
                    layers: int = 2, heads: int = 2, max_positions: int = 512, seed: int = 0) -> Path:
    """Train a WordPiece tokenizer on ``texts`` (no lower-casing, accents kept: Arabic diacritics
    survive) and save it with a random ``BertModel`` of the given size in ``out_dir``."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import BertConfig, BertModel, BertTokenizerFast, set_seed

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    wordpiece = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    wordpiece.normalizer = normalizers.BertNormalizer(lowercase=False, strip_accents=False)
    wordpiece.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    wordpiece.train_from_iterator(texts, trainers.WordPieceTrainer(vocab_size=vocab_size,
                                                                   special_tokens=SPECIAL_TOKENS))
    cls, sep = wordpiece.token_to_id("[CLS]"), wordpiece.token_to_id("[SEP]")
    wordpiece.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    wordpiece.decoder = decoders.WordPiece()
    tokenizer = BertTokenizerFast(tokenizer_object=wordpiece, model_max_length=max_positions)
    tokenizer.save_pretrained(out)
    set_seed(seed)
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=hidden_size, num_hidden_layers=layers,
                        num_attention_heads=heads, intermediate_size=2 * hidden_size,
                        max_position_embeddings=max_positions)
    BertModel(config).save_pretrained(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m baselines.transformers.tiny", description=__doc__.split("\n")[0])
    parser.add_argument("articles", help="Article JSONL whose texts (and stance targets) train the tokenizer")
    parser.add_argument("out", help="folder to write the model and tokenizer to")
    parser.add_argument("--vocab", type=int, default=2000, help="WordPiece vocabulary size (default 2000)")
    parser.add_argument("--hidden", type=int, default=32, help="hidden size (default 32; 2 layers, 2 heads)")
    args = parser.parse_args(argv)
    from benchmark.io import read_articles
    from benchmark.schema import ANY

    def texts() -> Iterable[str]:
        for article in read_articles(args.articles, ANY):
            yield article.text
            yield from (stance.target for stance in article.stances)

    folder = build_tiny_bert(texts(), args.out, vocab_size=args.vocab, hidden_size=args.hidden)
    print(f"wrote a tiny random BERT (NOT pretrained: for smoke runs only) to {folder}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
