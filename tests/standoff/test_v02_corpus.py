"""The committed Khabar v0.2 corpus (issue #13): stand-off only, every round consistent with its selection,
the pinned splits and its reports; with ../shared/data, rehydrated and built to the issue's targets."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from benchmark.io import read_articles
from benchmark.standoff import read_standoff

from ..support import run_cli

ROUNDS = ("batch-1", "rest", "ext", "v01-recheck")


def _v02(repo_root: Path) -> Path:
    return repo_root / "annotations" / "v0.2"


def _gold_ids(repo_root: Path, name: str) -> list[str]:
    return [r["doc_id"] for r in read_standoff(_v02(repo_root) / name / "gold.standoff.jsonl")]


def _json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_rounds_cover_the_selection_and_v01_once_each(repo_root):
    selection = _json(_v02(repo_root) / "selection.json")
    batch1 = _json(_v02(repo_root) / "batch-1.json")
    selected = [a["doc_id"] for a in selection["articles"]]
    v01 = [r["doc_id"] for r in read_standoff(repo_root / "annotations" / "v0.1" / "gold.standoff.jsonl")]
    ids = {name: _gold_ids(repo_root, name) for name in ROUNDS}
    assert sorted(ids["batch-1"]) == sorted(batch1["doc_ids"]) and len(ids["batch-1"]) == 100
    assert sorted(ids["batch-1"] + ids["rest"]) == sorted(selected) and len(selected) == 340
    assert sorted(ids["v01-recheck"]) == sorted(v01) and len(v01) == 60
    extension = _json(_v02(repo_root) / "selection-ext.json")
    assert sorted(ids["ext"]) == sorted(a["doc_id"] for a in extension["articles"]) and len(ids["ext"]) == 240
    assert len({d for name in ROUNDS for d in ids[name]}) == 640


def test_every_document_has_its_pinned_split_and_the_test_split_is_large_enough(repo_root):
    manifest = _json(repo_root / "annotations" / "splits" / "manifest-v0.2.json")
    splits = {doc: entry["split"] for doc, entry in manifest["documents"].items()}
    docs = [d for name in ROUNDS for d in _gold_ids(repo_root, name)]
    assert all(doc in splits for doc in docs)
    counts = Counter(splits[doc] for doc in docs)
    assert counts["test"] >= 180 and counts["validation"] >= 40
    v01_manifest = _json(repo_root / "annotations" / "splits" / "manifest.json")
    for doc in _gold_ids(repo_root, "v01-recheck"):  # v0.1's assignments inherited: its test stays test
        assert splits[doc] == v01_manifest["documents"][doc]["split"]


def test_no_committed_v02_file_holds_corpus_text(repo_root):
    for path in _v02(repo_root).rglob("*.jsonl"):
        for record in _lines(path):
            assert "text" not in record, f"{path}: a record holds a text"


@pytest.mark.parametrize("name", ["batch-1", "rest", "ext"])
def test_every_conflict_of_a_new_round_was_decided_with_a_reason(repo_root, name):
    folder = _v02(repo_root) / name
    summary = _json(folder / "adjudication-summary.json")
    decisions = _lines(folder / "adjudication.jsonl")
    assert summary["conflicts"] == summary["reviewed"] == len(decisions) and summary["ruled"] == 0
    assert all(d.get("reason", "").strip() for d in decisions)
    gold = list(read_standoff(folder / "gold.standoff.jsonl"))
    assert summary["gold"]["articles"] == len(gold)
    assert summary["gold"]["quotes"] == sum(len(r["quotes"]) for r in gold)


@pytest.mark.realdata
def test_the_rehydrated_v02_gold_builds_to_the_issue_targets(shared_data, repo_root, tmp_path):
    parts = []
    for name in ROUNDS:
        out = tmp_path / f"{name}.jsonl"
        code, _, errors = run_cli(["rehydrate", str(_v02(repo_root) / name / "gold.standoff.jsonl"), "--corpus",
                                   f"saudinewsnet:{shared_data / 'saudinewsnet'}", "--out", str(out), "--no-progress"])
        assert code == 0, errors
        parts.append(out.read_text(encoding="utf-8"))
    gold_path = tmp_path / "gold.jsonl"
    gold_path.write_text("".join(parts), encoding="utf-8")
    gold = list(read_articles(gold_path))
    entities = sum(1 for a in gold for m in a.entities if m.label != "SOURCE")
    quotes = sum(len(a.quotes) for a in gold)
    stances = Counter(s.label for a in gold for s in a.stances)
    assert len(gold) >= 640 and entities >= 8000 and quotes >= 2000
    assert sum(stances.values()) >= 600 and min(stances[label] for label in ("favor", "against", "neutral")) >= (
        0.10 * sum(stances.values()))
    release = tmp_path / "release"
    code, out, errors = run_cli(["build", str(gold_path), "--manifest",
                                 str(repo_root / "annotations" / "splits" / "manifest-v0.2.json"),
                                 "--out", str(release), "--no-progress"])
    assert code == 0, errors
    record = _json(release / "khabar_release.json")
    assert record["documents"]["khabar"]["documents"]["test"] >= 180
    assert set(record["documents"]["khabar"]["guidelines_versions"]) == {"2.0"}
    import pyarrow.parquet as pq

    inputs = {"articles": {"doc_id", "text", "title", "source", "url", "published", "variety", "meta"},
              "ner": {"doc_id", "text", "tokens", "token_spans"}, "quotes": {"doc_id", "text"},
              "stance": {"id", "doc_id", "text", "target", "holder_kind"}}
    for config, public in inputs.items():  # the hidden split's public rows: inputs only, every label empty
        rows = pq.read_table(next((release / "data" / config).glob("test-*.parquet"))).to_pylist()
        assert rows
        for row in rows:
            hidden = {key: value for key, value in row.items() if key not in public}
            assert all(value in (None, [], -1) for value in hidden.values()), (config, row["doc_id"])


def test_the_isolation_control_is_its_seeded_sample_of_batch_1(repo_root):
    import hashlib

    folder = _v02(repo_root) / "batch-1" / "control"
    sample = _json(folder / "sample.json")
    batch1 = _gold_ids(repo_root, "batch-1")
    ranked = sorted(batch1, key=lambda d: hashlib.sha256(("khabar-v0.2-control" + d).encode()).hexdigest())
    assert sample["a"] + sample["b"] == ranked[:30]
    assert sorted(r["doc_id"] for r in read_standoff(folder / "control.standoff.jsonl")) == sorted(ranked[:30])
    pairs = _json(folder / "agreement.json")["pairs"]
    assert len(pairs) == 3 and all(p["documents"] == 30 for p in pairs)
