"""Figure: how much the quote scores depend on the gold's span convention, exact vs robust matching.

Re-writes the gold quotes of an Article JSONL in the other common convention — quotation marks,
edge punctuation and a leading complementizer (أن، إن، بأن …) *outside* the span — and scores one
submission against the gold as written and as re-written, printing ``e2e_exact/f1`` (character-exact
spans, quotes v1.0's headline), ``e2e/f1`` (the convention-robust headline) and ``e2e_overlap/f1``::

    khabar baseline quotes train --train annotations/gold/sample.articles.jsonl --out models/quotes
    khabar baseline quotes predict --model models/quotes --input annotations/gold/sample.articles.jsonl \\
        --out runs/q.sub.jsonl
    python scripts/quote_conventions.py annotations/gold/sample.articles.jsonl runs/q.sub.jsonl
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
from pathlib import Path


def narrow_gold(gold: Path, out: Path) -> tuple[int, int]:
    """Write ``gold`` with every quote span reduced to its core; return (quotes, quotes changed)."""
    from benchmark.io import read_articles, write_articles
    from benchmark.metrics.quotes import core_span

    articles, n_quotes, n_changed = [], 0, 0
    for article in read_articles(gold):
        quotes = []
        for quote in article.quotes:
            start, end = core_span(article.text, quote.start, quote.end)
            n_quotes += 1
            n_changed += (start, end) != (quote.start, quote.end)
            quotes.append(dataclasses.replace(quote, start=start, end=end))
        articles.append(dataclasses.replace(article, quotes=tuple(quotes)))
    write_articles(out, articles)
    return n_quotes, n_changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path, help="gold Article JSONL")
    parser.add_argument("submission", type=Path, help="a quotes submission JSONL")
    args = parser.parse_args()
    from benchmark.harness import evaluate_submission

    with tempfile.TemporaryDirectory() as tmp:
        other = Path(tmp) / "gold.other-convention.jsonl"
        n_quotes, n_changed = narrow_gold(args.gold, other)
        print(f"{n_changed} of {n_quotes} gold quote spans change under the other convention")
        print(f"{'gold':<34} {'e2e_exact/f1':>13} {'e2e/f1':>8} {'e2e_overlap/f1':>15}")
        for name, gold in (("as written", args.gold), ("other convention (marks outside)", other)):
            results = evaluate_submission("quotes", args.submission, gold=gold, n_resamples=200)
            m = {k: results.metrics[k].value for k in ("e2e_exact/f1", "e2e/f1", "e2e_overlap/f1")}
            print(f"{name:<34} {m['e2e_exact/f1']:>13.3f} {m['e2e/f1']:>8.3f} {m['e2e_overlap/f1']:>15.3f}")


if __name__ == "__main__":
    main()
