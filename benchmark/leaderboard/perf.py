"""Cost of a leaderboard run, as ratios against the harness scoring the same submissions alone.

    python -m benchmark.leaderboard.perf [--docs N] [--systems S] [--resamples B]

Builds a synthetic ner gold set (``--docs`` articles, 5 entities each) and ``--systems``
submissions that drop a growing share of the entities, in a temporary folder. Then times, in the
same process:

* **reference**: ``evaluate_submission`` of every submission against the loaded gold (what any
  scoring of S systems must cost);
* **board**: ``build_leaderboard`` (discovery, bounded reads, the same scoring, results written,
  paired bootstrap tests for the ranking);
* **render**: ``write_leaderboard`` (plots, HTML, Markdown, CSV, JSON).

and prints seconds and the ratio board / reference (the leaderboard's own overhead).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

LABELS = ("PER", "ORG", "LOC", "GPE", "DATE", "MISC")


def _synthetic(folder: Path, n_docs: int, n_systems: int) -> tuple[Path, Path, list[Path]]:
    from benchmark.io import write_articles
    from benchmark.model import Article, Mention

    articles = []
    for d in range(n_docs):
        words = [f"كلمة{d % 7}{k}" for k in range(40)]
        text = " ".join(words)
        mentions, offset = [], 0
        for k, word in enumerate(words):
            if k % 8 == 3:
                mentions.append(Mention(f"m{k}", offset, offset + len(word), LABELS[(d + k) % len(LABELS)]))
            offset += len(word) + 1
        articles.append(Article(doc_id=f"perf/{d:06d}", text=text, entities=tuple(mentions)))
    gold = folder / "gold.jsonl"
    write_articles(gold, articles)
    submissions = folder / "submissions"
    paths = []
    for s in range(n_systems):
        path = submissions / f"system-{s:02d}" / "ner.jsonl"
        path.parent.mkdir(parents=True)
        with path.open("w", encoding="utf-8") as handle:
            for d, article in enumerate(articles):
                kept = [{"start": m.start, "end": m.end, "label": m.label}
                        for i, m in enumerate(article.entities) if (d * 5 + i) % (n_systems + 2) >= s]
                handle.write(json.dumps({"doc_id": article.doc_id, "entities": kept}, ensure_ascii=False) + "\n")
        paths.append(path)
    return gold, submissions, paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--systems", type=int, default=10)
    parser.add_argument("--resamples", type=int, default=1000)
    args = parser.parse_args(argv)

    from benchmark.harness import evaluate_submission, load_gold
    from benchmark.leaderboard.output import write_leaderboard
    from benchmark.leaderboard.scoring import ScoringOptions, build_leaderboard

    with tempfile.TemporaryDirectory(prefix="khabar-leaderboard-perf-") as tmp:
        folder = Path(tmp)
        gold_path, submissions, paths = _synthetic(folder, args.docs, args.systems)

        started = time.perf_counter()
        gold = load_gold("ner", gold_path)
        load_seconds = time.perf_counter() - started
        started = time.perf_counter()
        for path in paths:
            evaluate_submission("ner", path, gold=gold, n_resamples=args.resamples)
        reference = time.perf_counter() - started + load_seconds

        started = time.perf_counter()
        board = build_leaderboard(submissions, gold_path, folder / "out",
                                  options=ScoringOptions(n_resamples=args.resamples), progress=False)
        board_seconds = time.perf_counter() - started
        started = time.perf_counter()
        write_leaderboard(board, folder / "out")
        render_seconds = time.perf_counter() - started

    rows = board.boards[0].rows
    print(f"{args.systems} ner systems × {args.docs} documents, {args.resamples} bootstrap resamples")
    print(f"reference (gold load + evaluate_submission × {args.systems}): {reference:8.2f} s")
    print(f"build_leaderboard (score + rank, {len(rows)} ranked):        {board_seconds:8.2f} s  "
          f"ratio {board_seconds / reference:.2f}×")
    print(f"write_leaderboard (plots, HTML, MD, CSV, JSON):           {render_seconds:8.2f} s")
    print("ranks: " + " ".join(str(r.placement.rank) for r in rows))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
