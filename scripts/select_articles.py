#!/usr/bin/env python
"""Pick the articles of a Khabar release from SaudiNewsNet (issue #6), reproducibly.

The rule (recorded with the seed in the output, so anyone can re-run it):

1. every SaudiNewsNet article (``benchmark.importers`` ``saudinewsnet``) whose text is between
   ``--min-chars`` and ``--max-chars`` code points long;
2. with at least ``--min-quote-cues`` speech-verb cues (قال، أكد، أضاف، أوضح، صرح، أشار، تابع، ذكر،
   اعتبر، أعلن with proclitics) and at least one of them followed by a quotation mark (" « “) within
   80 characters — i.e. at least one direct quote;
3. near-duplicates removed (MinHash LSH, the release's own ``NearDuplicateIndex``, Jaccard ≥ 0.8):
   of a cluster only the earliest candidate in the ranking below is eligible;
4. ranked inside each outlet by ``sha256(seed + doc_id)``; outlets are visited round-robin in
   name order, taking the next eligible article, until ``--count`` are chosen (spread over sources).

The output holds doc_ids, outlets, lengths and SHA-256 digests of the exact texts — no corpus text
(the SaudiNewsNet licence is non-commercial; texts are rehydrated from the user's copy).

    python scripts/select_articles.py ../shared/data/saudinewsnet --count 40 --seed khabar-v0.1 \\
        --out annotations/v0.1/selection.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

CUES = "قال|أكد|أضاف|أوضح|صرح|أشار|تابع|ذكر|اعتبر|أعلن"
CUE_RE = re.compile(rf"(?<![\w])(?:و|ف)?(?:{CUES})(?:ت|وا)?(?![\w])")
DIRECT_RE = re.compile(rf"(?<![\w])(?:و|ف)?(?:{CUES})(?:ت|وا)?[^\n\"«“]{{0,80}}[\"«“]")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="the SaudiNewsNet folder (with dataset/*.zip)")
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--seed", default="khabar-v0.1")
    parser.add_argument("--min-chars", type=int, default=900)
    parser.add_argument("--max-chars", type=int, default=2600)
    parser.add_argument("--min-quote-cues", type=int, default=3)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    from benchmark.importers import get_importer
    from benchmark.release.dedup import DedupConfig, NearDuplicateIndex

    by_source: dict[str, list[tuple[str, object]]] = defaultdict(list)
    considered = 0
    for article in get_importer("saudinewsnet").load(args.corpus):
        considered += 1
        text = article.text
        if not args.min_chars <= len(text) <= args.max_chars:
            continue
        if len(CUE_RE.findall(text)) < args.min_quote_cues or not DIRECT_RE.search(text):
            continue
        rank = hashlib.sha256(f"{args.seed}{article.doc_id}".encode()).hexdigest()
        by_source[article.source or "unknown"].append((rank, article))
    candidates = {source: [a for _, a in sorted(items, key=lambda t: t[0])] for source, items in by_source.items()}

    index = NearDuplicateIndex(DedupConfig())
    chosen: list = []
    cursors = dict.fromkeys(candidates, 0)
    while len(chosen) < args.count and any(cursors[s] < len(candidates[s]) for s in candidates):
        for source in sorted(candidates):
            if len(chosen) >= args.count:
                break
            while cursors[source] < len(candidates[source]):
                article = candidates[source][cursors[source]]
                cursors[source] += 1
                index.add(article.doc_id, article.text)
                if index.neighbours(article.doc_id):
                    continue  # a near-duplicate of an article already considered
                chosen.append(article)
                break
    if len(chosen) < args.count:
        print(f"only {len(chosen)} articles satisfy the rule (asked for {args.count})", file=sys.stderr)
    record = {
        "rule": {"corpus": "saudinewsnet", "seed": args.seed, "count": args.count, "min_chars": args.min_chars,
                 "max_chars": args.max_chars, "min_quote_cues": args.min_quote_cues, "cues": CUES,
                 "direct_quote": "a cue followed by \" « or “ within 80 characters",
                 "near_duplicates": "MinHash LSH, Jaccard >= 0.8 (benchmark.release.dedup)",
                 "order": "round-robin over outlets (name order), sha256(seed + doc_id) inside an outlet",
                 "script": "scripts/select_articles.py"},
        "considered": considered,
        "eligible": sum(len(v) for v in candidates.values()),
        "articles": [{"doc_id": a.doc_id, "source": a.source, "chars": len(a.text),
                      "sha256": hashlib.sha256(a.text.encode("utf-8")).hexdigest()} for a in chosen],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    per_source = defaultdict(int)
    for a in chosen:
        per_source[a.source] += 1
    print(f"{len(chosen)} articles from {len(per_source)} outlets ({dict(sorted(per_source.items()))}); "
          f"{record['eligible']} eligible of {considered}; written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
