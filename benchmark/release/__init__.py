"""Releasing Khabar: fixed, leak-proof splits and the Hugging Face dataset build.

- :mod:`benchmark.release.dedup` — text normalisation for matching, word shingles, MinHash LSH
  near-duplicate search (exact duplicates too).
- :mod:`benchmark.release.splits` — the committed split manifest (doc_id → split, clusters) and the
  deterministic, append-only assignment.
- :mod:`benchmark.release.leakage` — near-duplicate pairs across the splits of a built dataset folder.
- :mod:`benchmark.release.build` — articles + manifest → Hub-layout parquet folders (public and private).
- :mod:`benchmark.release.card` — the generated dataset card (``README.md``).
- :mod:`benchmark.release.revision` — the dataset revision hash.
- :mod:`benchmark.release.publish` — upload a public folder to the Hub (refuses private gold).
"""
