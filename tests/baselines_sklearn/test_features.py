"""Token features and word clusters: deterministic, Arabic-aware, and trained from a tiny corpus."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from baselines.sklearn.features import normalise_token, sentence_features, token_stem
from baselines.sklearn.wordclusters import WordClusters, iter_saudinewsnet_texts, train_word_clusters

from ..support import load_script

TOKENS = ["وقال", "بوتين", "لروسيا", ":", "«", "2024", "Putin", "»"]


def test_features_are_deterministic_and_cover_the_spec():
    first = sentence_features(TOKENS)
    second = sentence_features(list(TOKENS))
    assert first == second
    putin = first[1]
    assert putin["stem"] == "بوتين" and putin["-1:stem"] == "قال" and putin["+1:stem"] == "روسيا"
    assert putin["-2:word"] == "<s>" and putin["+2:norm"] == ":"
    assert first[0]["clitics"] == "و"
    assert first[4]["quote"] is True and first[3]["punct"] is True
    assert first[5]["digit"] is True and first[6]["latin"] is True
    assert {"pre1", "pre3", "suf1", "suf3", "shape", "-1|0", "0|+1"} <= set(putin)


def test_normalisation_folds_variants_and_stems_strip_proclitics():
    assert normalise_token("إلى") == normalise_token("الي")
    assert normalise_token("مدرسة") == "مدرسه"
    assert normalise_token("٢٠٢٤") == "2024"
    assert token_stem(normalise_token("وبالزعيم")) == ("و+ب+ال", "زعيم")


def _tiny_corpus(folder: Path) -> Path:
    folder.mkdir()
    people = ["بوتين", "ماكرون", "أوباما", "ميركل"]
    cities = ["موسكو", "باريس", "واشنطن", "برلين"]
    for i in range(40):
        person, city = people[i % 4], cities[(i + 1) % 4]
        (folder / f"{i:02d}.txt").write_text(
            f"قال الرئيس {person} في {city} إن الوضع مستقر . وصل الرئيس {person} إلى {city} أمس .",
            encoding="utf-8")
    return folder


def test_word_clusters_from_a_tiny_corpus(tmp_path: Path):
    from benchmark.text import tokenize

    corpus = _tiny_corpus(tmp_path / "corpus")
    docs = [[t.text for t in tokenize(text)] for text in iter_saudinewsnet_texts(corpus)]
    clusters = train_word_clusters(docs, key=normalise_token, granularities=(2, 4), dims=4, min_count=2,
                                   show_progress=False)
    assert clusters.granularities == (2, 4)
    # nested levels: the coarse cluster is a function of the fine one (Brown-like prefixes)
    fine_to_coarse: dict[int, int] = {}
    for coarse, fine in clusters.labels:
        assert fine_to_coarse.setdefault(int(fine), int(coarse)) == int(coarse)
    # deterministic for a seed, and a save/load round trip keeps everything
    again = train_word_clusters(docs, key=normalise_token, granularities=(2, 4), dims=4, min_count=2,
                                show_progress=False)
    assert np.array_equal(clusters.labels, again.labels)
    path = clusters.save(tmp_path / "clusters.npz")
    loaded = WordClusters.load(path)
    assert loaded.words == clusters.words and np.array_equal(loaded.labels, clusters.labels)
    assert loaded.lookup(normalise_token("بوتين")) is not None and loaded.lookup("غير-موجود") is None
    feats = sentence_features(["الرئيس", "بوتين"], loaded)
    assert {"c2", "c4"} <= set(feats[1]) and "-1:c4" in feats[1]


def test_word_clusters_script_writes_a_loadable_file(tmp_path: Path, capsys):
    module = load_script("train_word_clusters")
    corpus = _tiny_corpus(tmp_path / "corpus")
    out = tmp_path / "wc.npz"
    assert module.main(["--corpus", str(corpus), "--out", str(out), "--granularities", "2,4", "--dims", "4",
                        "--min-count", "2", "--quiet"]) == 0
    assert len(WordClusters.load(out)) > 4
    assert "words, granularities (2, 4)" in capsys.readouterr().out


def test_too_small_corpus_and_bad_files_are_explained(tmp_path: Path):
    with pytest.raises(ValueError, match="fewer than the 1024 clusters"):
        train_word_clusters([["كلمة", "واحدة"]] * 3, min_count=1, show_progress=False)
    with pytest.raises(FileNotFoundError, match=r"train_word_clusters\.py"):
        WordClusters.load(tmp_path / "missing.npz")
    bad = tmp_path / "bad.npz"
    np.savez(bad, something=np.zeros(2))
    with pytest.raises(ValueError, match="not a word clusters file"):
        WordClusters.load(bad)
