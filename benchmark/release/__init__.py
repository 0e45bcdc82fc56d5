"""Releasing Khabar: fixed, leak-proof splits and the Hugging Face dataset build (docs/release.md).

- :mod:`benchmark.release.dedup` — text normalisation for matching, word shingles, MinHash LSH
  near-duplicate search (exact duplicates too).
- :mod:`benchmark.release.splits` — the committed split manifest (doc_id → split, clusters) and the
  deterministic, append-only assignment.
- :mod:`benchmark.release.sources` — the inputs: JSONL, Label Studio export (streamed), importers.
- :mod:`benchmark.release.rows` — the ``articles`` config: features, row encoder, row → Article.
- :mod:`benchmark.release.encode` — a row encoder compiled once from ``datasets.Features``.
- :mod:`benchmark.release.build` — articles + manifest → Hub-layout parquet folders (public and private).
- :mod:`benchmark.release.card` — the generated dataset card (``README.md``).
- :mod:`benchmark.release.revision` — the dataset revision hash and its verification.
- :mod:`benchmark.release.leakage` — near-duplicate pairs across the splits of a dataset folder.
- :mod:`benchmark.release.publish` — upload a public folder to the Hub (refuses private gold).
"""
