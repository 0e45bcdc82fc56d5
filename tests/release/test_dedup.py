"""Near-duplicate search: normalisation for matching, shingles, MinHash LSH pairs."""

from __future__ import annotations

import pytest

from benchmark.release.dedup import DedupConfig, NearDuplicateIndex, normalise_for_matching, shingles


def test_normalisation_folds_arabic_variation_but_keeps_words():
    raw = "«قالَ» الرئيـــس، \u200fإنّ 'مصر' أكّدت ٢٠٢٤ Hello"
    assert normalise_for_matching(raw) == "قال الرييس ان مصر اكدت 2024 hello"
    assert normalise_for_matching("") == ""


def test_shingles_short_and_long_texts():
    assert shingles("", 3) == set()
    assert shingles("a b", 5) == {"a b"}
    assert shingles("a b c d e", 2) == {"a b", "b c", "c d", "d e"}


def test_republished_story_is_found_and_distinct_stories_are_not(make_story):
    story = make_story
    index = NearDuplicateIndex()
    index.add("wire", story(3))
    index.add("outlet", story(3) + " (واس)")
    index.add("other", story(4))
    index.add("prefixed", "الرياض - " + story(3))
    pairs = {(p.first, p.second) for p in index.pairs()}
    assert pairs == {("wire", "outlet"), ("wire", "prefixed"), ("outlet", "prefixed")}
    assert [k for k, _, _ in index.neighbours("other")] == []


def test_exact_duplicates_after_normalisation_are_flagged_exact(make_story):
    story = make_story
    index = NearDuplicateIndex(DedupConfig(threshold=0.95))
    index.add("a", story(5))
    index.add("b", story(5).replace("ا", "أ"))
    [pair] = index.pairs()
    assert (pair.first, pair.second, pair.exact, pair.similarity) == ("a", "b", True, 1.0)


def test_threshold_is_honoured(make_story):
    story = make_story
    base = story(6, length=60).split()
    edited = " ".join(base[:45] + ["تعديل"] * 15)  # shares about half of its shingles
    strict = NearDuplicateIndex(DedupConfig(threshold=0.9))
    loose = NearDuplicateIndex(DedupConfig(threshold=0.3))
    for index in (strict, loose):
        index.add("a", " ".join(base))
        index.add("b", edited)
    assert list(strict.pairs()) == []
    assert [(p.first, p.second) for p in loose.pairs()] == [("a", "b")]


def test_empty_texts_are_no_ones_duplicates_and_keys_are_unique():
    index = NearDuplicateIndex()
    index.add("e1", "")
    index.add("e2", "   ")
    assert list(index.pairs()) == []
    with pytest.raises(ValueError, match="added twice"):
        index.add("e1", "x")


@pytest.mark.parametrize(
    "bad",
    [
        {"threshold": 0.0},
        {"threshold": 1.5},
        {"shingle_size": 0},
        {"num_perm": 4},
        {"normalisation": "other-1"},
    ],
)
def test_bad_dedup_parameters_are_refused(bad):
    with pytest.raises(ValueError):
        DedupConfig(**bad)
