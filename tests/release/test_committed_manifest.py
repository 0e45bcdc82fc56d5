"""The committed split manifest covers every document Khabar ships annotations for."""

from __future__ import annotations

import json
from pathlib import Path

from benchmark.release.splits import Manifest

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ROOT / "annotations" / "splits" / "manifest.json"


def test_gold_sample_and_v01_documents_have_their_splits() -> None:
    manifest = Manifest.load(MANIFEST)
    selected = [a["doc_id"] for a in json.loads((ROOT / "annotations" / "v0.1" / "selection.json").read_text(
        encoding="utf-8"))["articles"]]
    standoff = [json.loads(line)["doc_id"] for line in (ROOT / "annotations" / "v0.1" / "gold.standoff.jsonl")
                .read_text(encoding="utf-8").splitlines() if line.strip()]
    sample = [json.loads(line)["doc_id"] for line in (ROOT / "annotations" / "gold" / "sample.articles.jsonl")
              .read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(selected) == 60 and set(standoff) == set(selected)
    missing = sorted(set(selected + sample) - set(manifest.documents))
    assert not missing, f"documents without a split: {missing} (fix: khabar split … --manifest {MANIFEST})"
    counts = {split: sum(a.split == split for a in manifest.documents.values()) for split in manifest.ratios}
    assert counts == {"train": 48, "validation": 7, "test": 7}  # 60 v0.1 + 2 gold-sample docs (both train)
