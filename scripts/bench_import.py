"""Benchmark ``khabar import conll`` on a generated 1,000,000-token multi-column nested file.

Usage::

    python scripts/bench_import.py --tokens 1000000 --workdir work/khabar-bench-import [--repeats 3]

1. Writes ``corpus.conll``: ``token<TAB>POS<TAB>depth-1 tag<TAB>depth-2 tag<TAB>depth-3 tag`` per
   line (made-up Arabic-letter tokens, IOB2, entities nested up to three deep: every 4th outer
   entity holds an inner one, every 3rd inner one a third-level one), a blank line after every
   sentence of 20 tokens and a ``-DOCSTART-`` line every 25 sentences. The POS column is not read
   (as in real files with extra columns).
2. Times, in this process, ``khabar import conll corpus.conll --tag-columns 3,4,5
   --doc-marker=-DOCSTART- --out corpus.jsonl`` through :func:`benchmark.cli.main` (reading,
   strict checks of every line, IOB2 decoding of the three layers, nesting checks, validation of
   every article and the JSONL write), best of ``--repeats`` runs, and a reference: reading the
   same file and splitting every line into its columns (``str.split``), the floor of any importer.

Prints the wall time, the process CPU time, tokens per second and the ratio to the reference; the
target is ≤ 10 s (wall) for 1,000,000 tokens.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import tempfile
import time
from pathlib import Path

LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
LABELS = ("PER", "ORG", "LOC", "GPE", "OCC")
SENTENCE = 20
SENTENCES_PER_DOC = 25


def write_corpus(path: Path, n_tokens: int, seed: int = 0) -> dict[str, int]:
    """Write the nested multi-column file; return how many tokens and entities per depth it holds."""
    rng = random.Random(seed)
    vocabulary = ["".join(rng.choice(LETTERS) for _ in range(rng.randint(2, 7))) for _ in range(5000)]
    counts = {"tokens": 0, "depth_1": 0, "depth_2": 0, "depth_3": 0}
    lines: list[str] = []
    sentence = 0
    while counts["tokens"] < n_tokens:
        if sentence % SENTENCES_PER_DOC == 0:
            lines += ["-DOCSTART-\tX\tO\tO\tO", ""]
        tags = [["O"] * SENTENCE for _ in range(3)]
        position = rng.randint(0, 3)
        while position + 4 <= SENTENCE:  # outer entities of 2-4 tokens
            length = rng.randint(2, 4)
            _tag(tags[0], position, length, rng.choice(LABELS))
            counts["depth_1"] += 1
            if counts["depth_1"] % 4 == 0:  # an inner entity: the last length-1 tokens
                _tag(tags[1], position + 1, length - 1, rng.choice(LABELS))
                counts["depth_2"] += 1
                if counts["depth_2"] % 3 == 0 and length >= 3:
                    _tag(tags[2], position + length - 1, 1, rng.choice(LABELS))
                    counts["depth_3"] += 1
            position += length + rng.randint(1, 4)
        for i in range(SENTENCE):
            lines.append(f"{rng.choice(vocabulary)}\tNOUN\t{tags[0][i]}\t{tags[1][i]}\t{tags[2][i]}")
        lines.append("")
        counts["tokens"] += SENTENCE
        sentence += 1
    path.write_text("\n".join(lines), encoding="utf-8")
    return counts


def _tag(column: list[str], first: int, length: int, label: str) -> None:
    column[first] = f"B-{label}"
    for i in range(first + 1, first + length):
        column[i] = f"I-{label}"


def reference(path: Path) -> float:
    """Read the file and split every line into columns: the floor of any importer."""
    started = time.perf_counter()
    n = 0
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            n += len(line.rstrip("\n").split("\t"))
    return time.perf_counter() - started


def run_import(path: Path, out: Path) -> tuple[float, float]:
    from benchmark.cli import main

    argv = ["import", "conll", str(path), "--tag-columns", "3,4,5", "--doc-marker=-DOCSTART-", "--out", str(out)]
    printed = io.StringIO()
    started, cpu = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(printed):
        code = main(argv)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    if code != 0:
        raise SystemExit(f"import failed (exit {code}):\n{printed.getvalue()}")
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tokens", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "khabar-bench-import")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    corpus, out = args.workdir / "corpus.conll", args.workdir / "corpus.jsonl"
    counts = write_corpus(corpus, args.tokens)
    print(f"corpus: {corpus} ({corpus.stat().st_size / 1e6:.1f} MB), {counts['tokens']:,} tokens, entities by "
          f"depth {counts['depth_1']:,} / {counts['depth_2']:,} / {counts['depth_3']:,}")
    times, cpus = [], []
    for _ in range(args.repeats):
        elapsed, cpu = run_import(corpus, out)
        times.append(elapsed)
        cpus.append(cpu)
    report = json.loads((args.workdir / "corpus.jsonl.report.json").read_text(encoding="utf-8"))
    assert report["counts"]["tokens"] == counts["tokens"], "every token imported"
    assert report["counts"]["entities_depth_3"] == counts["depth_3"], "every layer imported"
    floor = min(reference(corpus) for _ in range(args.repeats))
    best = min(times)
    print(f"khabar import conll: best {best:.2f} s of {args.repeats} ({', '.join(f'{t:.2f}' for t in times)}), "
          f"{counts['tokens'] / best:,.0f} tokens/s, {report['counts']['articles']:,} articles; CPU time of that "
          f"run {cpus[times.index(best)]:.2f} s (wall > CPU when other processes share the cores)")
    print(f"reference (read + split lines): {floor:.2f} s; import / reference = {best / floor:.1f}x")
    print(f"target: <= 10 s for 1,000,000 tokens: {'met' if best * 1_000_000 / counts['tokens'] <= 10 else 'MISSED'}")


if __name__ == "__main__":
    main()
