"""Builds of real public corpora (skipped with a reason when ../shared/data is absent)."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from benchmark.cli import main
from benchmark.importers import get_importer

pytestmark = pytest.mark.realdata


def test_ans_builds_its_own_config_with_official_splits_and_hidden_test(shared_data, tmp_path):
    from datasets import load_dataset

    corpus = shared_data / "ans"
    if not corpus.is_dir():
        pytest.skip(f"corpus 'ans' not found under {shared_data}")
    official = Counter(a.meta["split"] for a in get_importer("ans").load(corpus))
    out = tmp_path / "ans-release"
    assert main(["build", "--corpus", f"ans:{corpus}", "--out", str(out), "--quiet"]) == 0
    record = json.loads((out / "khabar_release.json").read_text(encoding="utf-8"))
    assert record["documents"]["ans"]["documents"] == dict(sorted(official.items()))
    assert record["sources"]["ans"]["license"] == get_importer("ans").license
    data = load_dataset(str(out), "ans")
    assert {split: len(rows) for split, rows in data.items()} == dict(official)
    assert data["train"].features["label"].names == ["agree", "disagree", "other"]
    assert all(label is None for label in data["test"]["label"])
    gold = load_dataset(str(tmp_path / "ans-release-private"), "ans")["test"]
    assert len(gold) == official["test"] and None not in gold["label"]
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "Khouja" in card and "config_name: ans" in card
    # the leakage report runs on the real corpus and names what it finds (ANS pairs share claims)
    code = main(["leakage", str(out), "--no-progress", "--report", str(tmp_path / "leak.json")])
    report = json.loads((tmp_path / "leak.json").read_text(encoding="utf-8"))
    assert code == (1 if report["pairs"] or report["doc_ids_in_several_splits"] else 0)
    assert report["documents"] == sum(official.values())


@pytest.mark.slow
def test_saudinewsnet_day_file_split_assignment_clusters_republished_stories(shared_data, tmp_path):
    day = shared_data / "saudinewsnet" / "dataset" / "2015-07-21.zip"
    if not day.exists():
        pytest.skip(f"{day} not found")
    manifest = tmp_path / "snn.json"
    assert main(["split", f"saudinewsnet:{day}", "--manifest", str(manifest), "--quiet"]) == 0
    documents = json.loads(manifest.read_text(encoding="utf-8"))["documents"]
    clusters: dict[str, list[str]] = {}
    for entry in documents.values():
        clusters.setdefault(entry["cluster"], []).append(entry["split"])
    assert all(len(set(splits)) == 1 for splits in clusters.values())
    assert any(len(splits) > 1 for splits in clusters.values())  # the corpus has republished copies


def test_anercorp_builds_a_ner_config_with_importer_options(shared_data, tmp_path, capsys):
    from datasets import load_dataset

    corpus = shared_data / "anercorp"
    if not corpus.is_dir():
        pytest.skip(f"corpus 'anercorp' not found under {shared_data}")
    out = tmp_path / "aner"
    assert (
        main(
            [
                "build",
                "--corpus",
                f"anercorp:{corpus}",
                "-O",
                "anercorp:sentences_per_doc=50",
                "--out",
                str(out),
                "--quiet",
            ]
        )
        == 0
    )
    expected = Counter(a.meta["split"] for a in get_importer("anercorp").load(corpus, sentences_per_doc=50))
    data = load_dataset(str(out), "anercorp")
    assert {split: len(rows) for split, rows in data.items()} == dict(expected)
    assert data["train"].features["ner_tags"].feature.names[:3] == ["O", "B-PER", "I-PER"]
    assert all(tags is None for tags in data["test"]["ner_tags"])
    assert (
        main(
            [
                "build",
                "--corpus",
                f"anercorp:{corpus}",
                "-O",
                "anercorp:nope=1",
                "--out",
                str(tmp_path / "x"),
                "--quiet",
            ]
        )
        == 2
    )
    assert "unknown option 'nope'" in capsys.readouterr().err
