"""Throughput of the text layer, as ratios against plain-Python references run in the same process.

    python -m benchmark.text.perf [TEXT_FILE] [--chars N] [--repeat R]

TEXT_FILE defaults to the seed article (``../shared/seed/article.txt``), repeated to ``--chars``
characters. Prints characters per second and the ratio of each step to its reference:
``normalize`` (with its offset map) against ``pyarabic`` ``strip_tatweel(strip_tashkeel())``
(strings only, no map), ``tokenize`` against ``re.findall(r"\\S+")`` (whitespace split), and the
vectorised ``tokenize_batch`` (the same tokens, for many texts: the text is cut into 2,000-character
"articles") against the same reference.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmark.text.align import spans_to_bio
from benchmark.text.batch import tokenize_batch
from benchmark.text.normalize import normalize
from benchmark.text.tokenize import tokenize

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "article.txt"


def best_of(repeat: int, func: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("text_file", nargs="?", type=Path, default=SEED)
    parser.add_argument("--chars", type=int, default=2_000_000,
                        help="repeat the text to this many characters")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (the best is kept)")
    args = parser.parse_args(argv)
    if not args.text_file.is_file():
        print(f"error: {args.text_file} not found (fix: pass a UTF-8 text file)", file=sys.stderr)
        return 2
    sample = args.text_file.read_text(encoding="utf-8")
    if not sample:
        print(f"error: {args.text_file} is empty", file=sys.stderr)
        return 2
    text = (sample * (args.chars // len(sample) + 1))[: args.chars]
    rows: list[tuple[str, float, float | None]] = []

    try:
        import pyarabic.araby as araby
    except ImportError:  # pragma: no cover - optional reference
        araby = None
    norm = best_of(args.repeat, lambda: normalize(text))
    reference = (best_of(args.repeat, lambda: araby.strip_tatweel(araby.strip_tashkeel(text)))
                 if araby is not None else None)
    rows.append(("normalize (text + offset map)", norm, reference))
    rows.append(("normalize, all folds on", best_of(args.repeat, lambda: normalize(
        text, fold_alef_maqsura=True, fold_teh_marbuta=True, fold_hamza_carriers=True, fold_digits=True,
        fold_punctuation=True)), reference))

    split = best_of(args.repeat, lambda: re.findall(r"\S+", text))
    rows.append(("tokenize", best_of(args.repeat, lambda: tokenize(text)), split))
    clitics = best_of(args.repeat, lambda: tokenize(text, split_clitics=True))
    rows.append(("tokenize, split_clitics=True", clitics, split))
    pieces = [text[i : i + 2000] for i in range(0, len(text), 2000)]
    tokenize_batch(pieces[:1])  # the per-code-point class tables are built once per process
    rows.append(("tokenize_batch (2,000-char texts)", best_of(args.repeat, lambda: tokenize_batch(pieces)), split))
    rows.append(("tokenize_batch, split_clitics=True", best_of(
        args.repeat, lambda: tokenize_batch(pieces, split_clitics=True)), split))
    tokens = tokenize(text)
    spans = [(t.start, t.end, "PER") for t in tokens[::7]]
    bio = best_of(args.repeat, lambda: spans_to_bio(tokens, spans))
    rows.append(("spans_to_bio (1 span per 7 tokens)", bio, None))

    print(f"{len(text):,} characters from {args.text_file.name}, best of {args.repeat} runs")
    print(f"{'step':40} {'seconds':>8} {'M chars/s':>10} {'x reference':>12}")
    for name, seconds, ref in rows:
        ratio = f"{seconds / ref:12.2f}" if ref else f"{'-':>12}"
        print(f"{name:40} {seconds:8.3f} {len(text) / seconds / 1e6:10.2f} {ratio}")
    print("references: normalize → pyarabic strip_tatweel(strip_tashkeel(text)) (no offsets); "
          "tokenize → re.findall(r'\\S+', text)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
