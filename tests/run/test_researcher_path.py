"""The researcher's path (issue 16.6): word clusters as a CLI step, and the sklearn baselines trained and
scored on the splits of a split manifest (``--manifest FILE --split NAME``), on the bundled sample and on
Khabar v0.1 rehydrated from SaudiNewsNet (realdata)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmark.cli import main
from benchmark.io import read_articles
from benchmark.release.splits import Assignment, Manifest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "annotations" / "gold" / "sample.articles.jsonl"
COMMITTED_MANIFEST = REPO / "annotations" / "splits" / "manifest.json"


def _khabar(*argv: object) -> int:
    return main([str(a) for a in argv])


@pytest.fixture()
def sample_manifest(tmp_path: Path) -> Path:
    """The two sample documents, one in train and one in test (their articles have no meta split)."""
    first, second = (a.doc_id for a in read_articles(SAMPLE))
    manifest = Manifest(documents={first: Assignment("train", first, "hash"),
                                   second: Assignment("test", second, "hash")})
    return manifest.save(tmp_path / "manifest.json")


def test_where_split_selects_nothing_on_khabar_articles_but_the_manifest_does(tmp_path, sample_manifest, capsys):
    assert _khabar("baseline", "ner", "train", "--train", SAMPLE, "--where", "split=train", "--out",
                   tmp_path / "m") == 1
    assert "no article among 2 matches where=['split=train']" in capsys.readouterr().err
    _, second = (a.doc_id for a in read_articles(SAMPLE))
    model = tmp_path / "ner-model"
    assert _khabar("baseline", "ner", "train", "--train", SAMPLE, "--manifest", sample_manifest, "--split", "train",
                   "--iterations", "20", "--out", model) == 0
    assert "trained ner on 1 articles" in capsys.readouterr().out
    submission, gold = tmp_path / "ner.jsonl", tmp_path / "gold.jsonl"
    assert _khabar("baseline", "ner", "predict", "--model", model, "--input", SAMPLE, "--manifest", sample_manifest,
                   "--split", "test", "--out", submission, "--gold-out", gold) == 0
    assert [a.doc_id for a in read_articles(gold)] == [second]
    assert [json.loads(line)["doc_id"] for line in submission.read_text("utf-8").splitlines()] == [second]
    assert _khabar("evaluate", "--task", "ner", "--submission", submission, "--gold", gold,
                   "--resamples", "20") == 0
    # both splits at once (repeatable), and the quotes/stance commands take the same flags
    assert _khabar("baseline", "quotes", "train", "--train", SAMPLE, "--manifest", sample_manifest,
                   "--split", "train", "--split", "test", "--out", tmp_path / "q") == 0
    assert "trained quotes on 2 articles" in capsys.readouterr().out


def test_manifest_selection_errors_name_the_fix(tmp_path, sample_manifest, capsys):
    out = tmp_path / "m"
    assert _khabar("baseline", "ner", "train", "--train", SAMPLE, "--split", "train", "--out", out) == 1
    assert "--split train needs --manifest FILE" in capsys.readouterr().err
    assert _khabar("baseline", "ner", "train", "--train", SAMPLE, "--manifest", sample_manifest, "--out", out) == 1
    assert "needs --split NAME" in capsys.readouterr().err
    assert _khabar("baseline", "ner", "train", "--train", SAMPLE, "--manifest", sample_manifest,
                   "--split", "validation", "--out", out) == 1
    assert "no document is in split(s) ['validation'] (it has {'train': 1, 'test': 1}" in capsys.readouterr().err
    other = Manifest(documents={"elsewhere/1": Assignment("train", "elsewhere/1", "hash")}).save(tmp_path / "o.json")
    assert _khabar("baseline", "stance", "train", "--train", SAMPLE, "--manifest", other, "--split", "train",
                   "--out", out) == 1
    assert "none of its 2 article(s) is among the 1 document(s)" in capsys.readouterr().err
    assert _khabar("baseline", "ner", "train", "--train", SAMPLE, "--manifest", tmp_path / "missing.json",
                   "--split", "train", "--out", out) == 1
    assert "missing.json does not exist" in capsys.readouterr().err
    assert not out.exists()


def _tiny_corpus(folder: Path) -> Path:
    folder.mkdir()
    people, cities = ["بوتين", "أوباما", "ماكرون", "ميركل"], ["موسكو", "باريس", "برلين", "الرياض"]
    for i in range(40):
        person, city = people[i % 4], cities[(i + 1) % 4]
        (folder / f"{i:02d}.txt").write_text(
            f"قال الرئيس {person} في {city} إن الوضع مستقر . وصل الرئيس {person} إلى {city} أمس .", encoding="utf-8")
    return folder


def test_word_clusters_are_a_cli_step_the_ner_baseline_takes(tmp_path, sample_manifest, capsys):
    from baselines.sklearn.ner import NerModel
    from baselines.sklearn.wordclusters import WordClusters

    clusters = tmp_path / "clusters.npz"
    assert _khabar("baseline", "clusters", "--corpus", _tiny_corpus(tmp_path / "corpus"), "--out", clusters,
                   "--granularities", "2,4", "--dims", "4", "--min-count", "2", "--no-progress") == 0
    printed = capsys.readouterr().out
    assert "words, granularities (2, 4)" in printed and f"--clusters {clusters}" in printed
    assert len(WordClusters.load(clusters)) > 4
    model = tmp_path / "ner"
    assert _khabar("baseline", "ner", "train", "--train", SAMPLE, "--manifest", sample_manifest, "--split", "train",
                   "--clusters", clusters, "--iterations", "10", "--out", model) == 0
    assert NerModel.load(model).meta["clusters"]["granularities"] == [2, 4]
    assert _khabar("baseline", "clusters", "--corpus", tmp_path / "none", "--out", clusters) == 1
    assert "does not exist" in capsys.readouterr().err
    assert _khabar("baseline", "clusters", "--corpus", tmp_path / "corpus", "--granularities", "2,x") == 1
    assert "--granularities must be integers" in capsys.readouterr().err


@pytest.mark.realdata
@pytest.mark.slow
def test_researcher_path_on_khabar_v01(shared_data, tmp_path, capsys):
    """The README's sequence on the real corpus: rehydrate, build, train on the manifest's train and
    validation splits, predict its test split, score it (no word clusters: they take a minute to train)."""
    from benchmark.harness import evaluate_submission

    corpus = shared_data / "saudinewsnet"
    if not corpus.is_dir():
        pytest.skip(f"SaudiNewsNet not found under {shared_data}")
    articles = tmp_path / "khabar-v0.1.articles.jsonl"
    assert _khabar("rehydrate", REPO / "annotations" / "v0.1" / "gold.standoff.jsonl", "--corpus",
                   f"saudinewsnet:{corpus}", "--out", articles) == 0
    assert len(list(read_articles(articles))) == 60
    release = tmp_path / "release" / "khabar"
    assert _khabar("build", articles, "--manifest", COMMITTED_MANIFEST, "--out", release, "--quiet",
                   "--license", "cc-by-nc-sa-4.0") == 0
    model, submission, gold = tmp_path / "ner", tmp_path / "ner.jsonl", tmp_path / "test.jsonl"
    assert _khabar("baseline", "ner", "train", "--train", articles, "--manifest", COMMITTED_MANIFEST,
                   "--split", "train", "--split", "validation", "--out", model) == 0
    assert "trained ner on 53 articles" in capsys.readouterr().out
    assert _khabar("baseline", "ner", "predict", "--model", model, "--input", articles, "--manifest",
                   COMMITTED_MANIFEST, "--split", "test", "--out", submission, "--gold-out", gold) == 0
    assert len(list(read_articles(gold))) == 7
    results = evaluate_submission("ner", submission, gold=gold, n_resamples=50)
    print(f"v0.1 test split, NER without word clusters: strict F1 {results.metrics['strict/f1'].value:.3f}")
    assert 0.3 < results.metrics["strict/f1"].value < 0.9
