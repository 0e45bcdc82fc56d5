"""``scripts/stance_test_submissions.py``: the stance baseline trained on train/validation documents, predicting the
test documents end to end (holder quotes named among a quotes submission's spans) and with the gold holders given."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmark.io import read_articles, write_jsonl

from ..support import load_script, sample_manifest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "annotations" / "gold" / "sample.articles.jsonl"


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_it_writes_the_end_to_end_and_the_gold_holder_submissions_of_the_test_rows(tmp_path: Path, capsys):
    from benchmark.schema import KHABAR
    from benchmark.tasks import get_task

    manifest = sample_manifest(tmp_path, {"seed/un-security-council": "train", "seed/vostochny": "test"})
    test_doc = next(a for a in read_articles(SAMPLE) if a.doc_id == "seed/vostochny")
    quotes = tmp_path / "quotes.jsonl"  # the candidates: the test document's gold quote spans but the first
    spans = sorted((q.start, q.end) for q in test_doc.quotes)[1:]
    write_jsonl(quotes, [{"doc_id": test_doc.doc_id, "quotes": [{"start": s, "end": e} for s, e in spans]}])
    out = tmp_path / "out"
    args = [str(SAMPLE), "--manifest", str(manifest), "--quotes", str(quotes), "--out", str(out)]
    assert load_script("stance_test_submissions").main(args) == 0
    e2e, oracle = _read(out / "e2e.jsonl"), _read(out / "oracle.jsonl")
    rows = get_task("stance").rows([test_doc], KHABAR)
    assert [line["id"] for line in e2e] == [line["id"] for line in oracle] == [row["id"] for row in rows]
    assert all(line["label"] in {"favor", "against", "neutral"} for line in e2e + oracle)
    named = [(line["quote"]["start"], line["quote"]["end"]) for line in e2e if "quote" in line]
    assert named and set(named) <= set(spans)  # end to end: only the submission's spans are named
    given = [(line["quote"]["start"], line["quote"]["end"]) for line in oracle if "quote" in line]
    assert given == [(row["holder_start"], row["holder_end"]) for row in rows if row["holder_start"] >= 0]
    assert "wrote" in capsys.readouterr().out


def test_a_manifest_without_test_documents_is_refused_with_the_fix(tmp_path: Path):
    manifest = sample_manifest(tmp_path, {"seed/un-security-council": "train", "seed/vostochny": "validation"})
    with pytest.raises(ValueError, match=r"0 test document\(s\).*fix: pass the corpus and the manifest"):
        load_script("stance_test_submissions").stance_test_submissions(SAMPLE, manifest, tmp_path / "none.jsonl")
