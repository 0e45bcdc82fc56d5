"""Near-duplicate search: normalisation for matching, shingles, MinHash LSH pairs."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmark.release.dedup import (
    Cluster,
    DedupConfig,
    NearDuplicateClusters,
    NearDuplicateIndex,
    normalise_for_matching,
    reference_clusters,
    shingles,
)
from tests.release.conftest import story


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


# --------------------------------------------------------------------------- clusters (issue #17)


def _fast_clusters(texts, config=None):
    clusters = NearDuplicateClusters(config)
    for key, text, anchor in texts:
        clusters.add(key, normalise_for_matching(text), anchor=anchor)
    return clusters.clusters(), clusters


def _edited(words: list[str], rng: random.Random, edits: int) -> list[str]:
    words = list(words)
    for _ in range(edits):
        at = rng.randrange(len(words))
        choice = rng.random()
        if choice < 0.4:
            words[at] = f"بديل{rng.randrange(50)}"
        elif choice < 0.7 and len(words) > 3:
            del words[at]
        else:
            words.insert(at, f"زيادة{rng.randrange(50)}")
    return words


def _generated(rate: float, seed: int, count: int, anchored: float) -> list[tuple[str, str, str | None]]:
    """``count`` texts of which ``rate`` are edited copies (of an original or of a copy: chains),
    a fraction ``anchored`` of them in one of four fixed groups."""
    rng = random.Random(seed)
    originals: list[list[str]] = []
    texts: list[list[str]] = []
    items = []
    for number in range(count):
        if originals and rng.random() < rate:
            source = rng.choice(texts) if rng.random() < 0.4 else originals[int(len(originals) * rng.random() ** 3)]
            words = _edited(source, rng, rng.choice([1, 2, 4, 8, 16]))
        else:
            words = story(len(originals), length=rng.choice([3, 12, 40, 80])).split()
            originals.append(words)
        texts.append(words)
        anchor = f"old-{rng.randrange(4)}" if rng.random() < anchored else None
        items.append((f"doc-{number:04d}", " ".join(words), anchor))
    return items


@pytest.mark.parametrize(
    ("rate", "anchored", "config"),
    [
        (0.0, 0.0, DedupConfig()),
        (0.3, 0.2, DedupConfig()),
        (0.7, 0.0, DedupConfig()),
        (0.7, 0.3, DedupConfig(shingle_size=2)),
        (0.95, 0.1, DedupConfig()),
        (0.95, 0.3, DedupConfig(threshold=0.5, shingle_size=1)),
        (0.9, 0.0, DedupConfig(threshold=0.9, shingle_size=3)),
    ],
)
@pytest.mark.parametrize("seed", [1, 2])
def test_bucket_clusters_equal_the_pairwise_definition(rate, anchored, config, seed):
    items = _generated(rate, seed, 400, anchored)
    found, _ = _fast_clusters(items, config)
    assert found == reference_clusters(items, config)
    assert sorted(k for c in found for k in c.members) == sorted(k for k, _, a in items if a is None)


def test_a_chain_is_one_cluster_although_its_ends_are_not_similar():
    config = DedupConfig(shingle_size=1)
    words = [f"كلمة{i}" for i in range(200)]
    chain = [(f"link-{step}", " ".join(words[5 * step : 5 * step + 100]), None) for step in range(4)]
    index = NearDuplicateIndex(config)
    for key, text, _ in chain:
        index.add(key, text)
    linked = {(p.first, p.second) for p in index.pairs()}
    assert {("link-0", "link-1"), ("link-1", "link-2"), ("link-2", "link-3")} <= linked
    assert ("link-0", "link-3") not in linked  # the ends are not near-duplicates of each other
    for order in (chain, chain[::-1], [chain[0], chain[3], chain[1], chain[2]]):
        found, _ = _fast_clusters(order, config)
        assert [sorted(c.members) for c in found] == [["link-0", "link-1", "link-2", "link-3"]]
        assert found == reference_clusters(order, config)


def test_anchored_texts_never_join_each_other_but_a_free_text_joins_both_anchors(make_story):
    story_text = make_story(7, length=60)
    items = [("old-a", story_text, "cluster-a"), ("old-b", story_text + " (واس)", "cluster-b")]
    found, _ = _fast_clusters(items)
    assert found == []  # only anchored texts: no new cluster
    items.append(("new", "الرياض - " + story_text, None))
    found, _ = _fast_clusters(items)
    assert found == [Cluster(("new",), ("cluster-a", "cluster-b"))] == reference_clusters(items)


def test_empty_texts_are_singletons_and_keys_are_unique():
    found, clusters = _fast_clusters([("e1", "", None), ("e2", "...", None), ("a", "x y", None)])
    assert [c.members for c in found] == [("e1",), ("e2",), ("a",)]
    with pytest.raises(ValueError, match="added twice"):
        clusters.add("a", "x y")


def test_work_stays_linear_on_many_copies_of_one_story(make_story):
    """Issue #17: 1,000 light edits of one story cost a few comparisons each, not one per pair
    (the pairwise definition compares each copy with the whole bucket: about 500,000 comparisons)."""
    rng = random.Random(3)
    words = make_story(11, length=120).split()
    items = [(f"copy-{i:04d}", " ".join(_edited(words, rng, rng.randint(1, 3))), None) for i in range(1000)]
    found, clusters = _fast_clusters(items)
    assert max(len(c.members) for c in found) > 800  # most copies are near-duplicates of each other
    assert clusters.comparisons < 20 * len(items)  # pairwise: about 1,000 per copy


def test_normalisation_token_by_token_equals_the_whole_text_definition():
    from benchmark.release.dedup import _normalise_whole

    samples = [
        "a\u00a8b ﻻ ﷲ x\u00a0y \u200fإنّ \u2028 ß İ ＡＢＣ ①\u3000z \u0301e e\u0301 \u1e9b\u0323 _a_ «ب»،ج",
        "\u00a8 \u0308a a\u0308 \u2126 \ufb01 \ufdfa ٢٠٢٤ ۱۲ \x1c\x1d وَقالَ\u0640 \u200d\u200c",
    ]
    for text in samples:
        assert normalise_for_matching(text) == _normalise_whole(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(
    " \t\n\u00a0\u2028\u3000\u200b\u200c\u200d\u200f\ufeff\u00a8\u0301\u0308\u0323\u064b\u0651\u0640_-،«»"
    "abcßİIΣς\u1e9b\ufb01\ufefb\ufe8d\u2126\u00bd①Ａアｱاأإآىئؤةيلمنوهقصسش٠١٢۳"
)), max_size=60))
def test_property_normalisation_token_by_token_equals_the_whole_text_definition(text):
    from benchmark.release.dedup import _normalise_whole

    assert normalise_for_matching(text) == _normalise_whole(text)


def test_normalisation_token_by_token_on_real_news(shared_data):
    from benchmark.importers import get_importer
    from benchmark.release.dedup import _normalise_whole

    day = shared_data / "saudinewsnet" / "dataset" / "2015-07-21.zip"
    if not day.exists():
        pytest.skip(f"{day} not found")
    texts = [article.text for article in get_importer("saudinewsnet").load(day)]
    assert len(texts) > 1000
    assert [normalise_for_matching(t) for t in texts] == [_normalise_whole(t) for t in texts]
