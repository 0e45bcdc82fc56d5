"""The split manifest: deterministic, append-only, near-duplicates never straddle splits."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmark.model import Article
from benchmark.release.dedup import DedupConfig
from benchmark.release.splits import (
    Manifest,
    ManifestError,
    assign_splits,
    hash_split,
    parse_ratios,
)


def _assign(articles, manifest=None, **options):
    return assign_splits(articles, manifest, progress=False, **options)


def test_assignment_is_deterministic_and_order_independent(corpus):
    first = _assign(corpus).manifest
    second = _assign(list(reversed(corpus))).manifest
    assert first.to_json() == second.to_json()
    assert set(first.documents) == {a.doc_id for a in corpus}


def test_near_duplicates_share_cluster_and_split(corpus):
    manifest = _assign(corpus).manifest
    for dup, original in (("khabar/dup-of-003", "khabar/003"), ("khabar/dup-of-010", "khabar/010")):
        assert manifest.documents[dup].cluster == manifest.documents[original].cluster
        assert manifest.split_of(dup) == manifest.split_of(original)
    assert manifest.documents["khabar/dup-of-003"].cluster == "khabar/003"  # smallest doc_id names it


def test_ratios_are_followed_on_many_documents():
    articles = [Article(doc_id=f"doc-{i}", text=f"نص رقم {i}") for i in range(3000)]
    counts = _assign(articles, dedup=DedupConfig(shingle_size=1)).manifest.counts()
    assert abs(counts["train"] / 3000 - 0.7) < 0.03
    assert abs(counts["validation"] / 3000 - 0.1) < 0.02
    assert abs(counts["test"] / 3000 - 0.2) < 0.03


def test_hash_split_depends_only_on_id_salt_and_ratios():
    ratios = {"train": 0.5, "test": 0.5}
    splits = {hash_split(f"d{i}", ratios) for i in range(50)}
    assert splits == {"train", "test"}
    assert hash_split("d1", ratios, "salt-a") == hash_split("d1", ratios, "salt-a")
    assert [hash_split(f"d{i}", ratios, "salt-a") for i in range(40)] != [
        hash_split(f"d{i}", ratios, "salt-b") for i in range(40)
    ]


def test_new_near_duplicate_joins_the_old_split_and_old_never_move(corpus, make_article, make_story):
    first = _assign(corpus).manifest
    newcomer = make_article("khabar/zz-republished-007", make_story(7) + " المصدر: واس")
    report = _assign([*corpus, newcomer], first)
    manifest = report.manifest
    assert all(manifest.documents[d] == a for d, a in first.documents.items())
    assert report.added == ["khabar/zz-republished-007"]
    assert report.joined == {"khabar/zz-republished-007": first.documents["khabar/007"].cluster}
    assert manifest.split_of("khabar/zz-republished-007") == first.split_of("khabar/007")
    assert manifest.documents["khabar/zz-republished-007"].by == "cluster"
    assert report.conflicts == [] and report.changed_text == []


def test_official_split_is_kept_and_its_near_duplicates_follow(make_article, make_story):
    official = make_article("corpus/a", make_story(1), meta={"split": "dev"})
    follower = make_article("khabar/b", make_story(1) + " (أ ف ب)")
    manifest = _assign([official, follower]).manifest
    assert manifest.documents["corpus/a"].split == "dev" and manifest.documents["corpus/a"].by == "official"
    assert manifest.split_of("khabar/b") == "dev"


def test_conflicting_official_splits_are_reported_not_moved(make_article, make_story):
    a = make_article("corpus/a", make_story(2), meta={"split": "train"})
    b = make_article("corpus/b", make_story(2) + " انتهى", meta={"split": "test"})
    report = _assign([a, b])
    assert report.manifest.split_of("corpus/a") == "train" and report.manifest.split_of("corpus/b") == "test"
    assert report.conflicts and "corpus/b" in str(report.conflicts[-1])


def test_changed_text_is_reported_and_kept(corpus, make_article, make_story):
    first = _assign(corpus).manifest
    edited = [make_article("khabar/000", make_story(99)) if a.doc_id == "khabar/000" else a for a in corpus]
    report = _assign(edited, first)
    assert report.changed_text == ["khabar/000"]
    assert report.manifest.documents["khabar/000"] == first.documents["khabar/000"]


def test_manifest_json_round_trip_one_document_per_line(tmp_path, corpus):
    manifest = _assign(corpus).manifest
    path = manifest.save(tmp_path / "splits" / "manifest.json")
    text = path.read_text(encoding="utf-8")
    assert json.loads(text)["documents"]["khabar/000"]["split"] == manifest.split_of("khabar/000")
    assert sum(1 for line in text.splitlines() if line.startswith('    "khabar/')) == len(corpus)
    assert Manifest.load(path) == manifest
    assert Manifest.load(path).to_json() == text


def test_manifest_errors_name_the_problem(tmp_path):
    path = tmp_path / "m.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ManifestError, match="not valid JSON"):
        Manifest.load(path)
    good = json.loads(Manifest(documents={}).to_json())
    good["documents"] = {"d1": {"split": "train", "cluster": "d1", "by": "magic"}}
    with pytest.raises(ManifestError, match=r"documents\['d1'\] by='magic'"):
        Manifest.from_dict(good)
    with pytest.raises(KeyError, match="run `khabar split`"):
        Manifest().split_of("nope")


@pytest.mark.parametrize(
    "text, message",
    [
        ("train=0.7,test=0.2", "sum to"),
        ("train=abc", "NAME=NUMBER"),
        ("tr-ain=1", "not allowed"),
        ("train=1,test=0", "above 0"),
    ],
)
def test_bad_ratios_are_refused(text, message):
    with pytest.raises(ManifestError, match=message):
        parse_ratios(text)


def test_existing_manifest_parameters_cannot_change(corpus):
    manifest = _assign(corpus).manifest
    with pytest.raises(ManifestError, match="ratios"):
        _assign(corpus, manifest, ratios={"train": 0.5, "test": 0.5})
    with pytest.raises(ManifestError, match="salt"):
        _assign(corpus, manifest, salt="other")


def test_duplicate_doc_ids_in_input_are_refused(corpus):
    with pytest.raises(ManifestError, match="khabar/000: doc_id appears twice"):
        _assign([*corpus, corpus[0]])


_texts = st.lists(
    st.sampled_from(["السوق", "النفط", "الوزير", "الرياض", "القمة", "المنتخب", "قال", "أكد"]),
    min_size=1,
    max_size=12,
).map(" ".join)
_docs = st.dictionaries(st.text("abcdefgh", min_size=1, max_size=4), _texts, min_size=1, max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(old=_docs, new=_docs)
def test_property_adding_articles_never_moves_old_ones(old, new):
    """assign(A) then assign(A ∪ B) keeps every split (and cluster) of A."""
    a = [Article(doc_id=d, text=t) for d, t in old.items()]
    b = [Article(doc_id=d, text=t) for d, t in new.items() if d not in old]
    config = DedupConfig(shingle_size=2, num_perm=32)
    first = _assign(a, dedup=config).manifest
    second = _assign([*b, *a], first).manifest
    for doc_id, assignment in first.documents.items():
        assert second.documents[doc_id] == assignment
    assert set(second.documents) == set(old) | set(new)
    for doc in b:  # an exact copy of an old text joins that text's split
        for old_id, old_text in old.items():
            if old_text == doc.text:
                assert second.split_of(doc.doc_id) == first.split_of(old_id)


def test_manifest_json_lines_are_what_json_dumps_writes():
    """to_json writes each document line by hand (fast for 100k documents): it must be exactly
    ``json.dumps`` of the doc_id and the assignment, for awkward ids too."""
    import json

    from benchmark.release.splits import Assignment, Manifest

    documents = {
        'saudinewsnet/2015-07-21/"quoted"\\back': Assignment("train", "a\u200fb", "hash", None),
        "خبر/١٢٣\ttab": Assignment("test", "خبر/١٢٣\ttab", "cluster", "ab" * 32),
        "x\u2028y": Assignment("validation", "x\u2028y", "official", "\x00"),
    }
    text = Manifest(documents=documents).to_json()
    lines = text.split("\n")  # not splitlines(): U+2028 stays unescaped, as json.dumps leaves it
    start = lines.index('  "documents": {') + 1
    expected = [f"    {json.dumps(d, ensure_ascii=False)}: {json.dumps(a.to_dict(), ensure_ascii=False)}"
                for d, a in sorted(documents.items())]
    assert [line.rstrip(",") for line in lines[start:start + 3]] == expected
    assert [line.endswith(",") for line in lines[start:start + 3]] == [True, True, False]
    assert json.loads(text)["documents"] == {d: a.to_dict() for d, a in documents.items()}


def test_a_chain_of_new_articles_joins_the_old_cluster_at_its_far_end():
    """A ~ B ~ C ~ D with A and D not similar (test_dedup checks the links): D still joins A's
    cluster and split (clusters are transitive)."""
    config = DedupConfig(shingle_size=1)
    words = [f"كلمة{i}" for i in range(200)]
    articles = [Article(doc_id=f"doc-{n}", text=" ".join(words[5 * n : 5 * n + 100])) for n in range(4)]
    first = _assign(articles[:1], dedup=config).manifest
    report = _assign(articles[::-1], first)
    assert report.joined == {"doc-1": "doc-0", "doc-2": "doc-0", "doc-3": "doc-0"}
    assert {report.manifest.split_of(a.doc_id) for a in articles} == {first.split_of("doc-0")}


def _outlet_articles(prefix, sizes):
    return [Article(doc_id=f"{prefix}-{outlet}-{i:03d}", text=f"خبر {prefix} {outlet} رقم {i}", source=outlet)
            for outlet, n in sizes.items() for i in range(n)]


def _per_outlet(manifest, articles):
    table: dict = {}
    for article in articles:
        row = table.setdefault(article.source, dict.fromkeys(manifest.ratios, 0))
        row[manifest.split_of(article.doc_id)] += 1
    return table


def test_stratified_manifest_keeps_the_ratios_inside_every_outlet_and_later_additions_too():
    ratios = "train=0.6,validation=0.1,test=0.3"
    first = _outlet_articles("a", {"big": 50, "mid": 20, "tiny": 3})
    dedup = DedupConfig(shingle_size=1)
    manifest = _assign(first, ratios=ratios, stratify="source", dedup=dedup).manifest
    table = _per_outlet(manifest, first)
    assert table["big"] == {"train": 30, "validation": 5, "test": 15}
    assert table["mid"] == {"train": 12, "validation": 2, "test": 6}
    assert sum(table["tiny"].values()) == 3 and table["tiny"]["test"] == 1
    assert {a.by for a in manifest.documents.values()} == {"stratified"}
    assert Manifest.from_dict(json.loads(manifest.to_json())) == manifest  # stratify survives the file
    assert json.loads(manifest.to_json())["stratify"] == "source"
    # append-only: the first documents never move, and the ratios still hold per outlet
    more = first + _outlet_articles("b", {"big": 50, "mid": 20})
    grown = _assign(more, manifest).manifest
    assert all(grown.split_of(d) == manifest.split_of(d) for d in manifest.documents)
    assert _per_outlet(grown, more)["big"] == {"train": 60, "validation": 10, "test": 30}
    assert _assign(list(reversed(more)), manifest).manifest.to_json() == grown.to_json()


def test_a_new_manifest_can_inherit_an_older_releases_assignments():
    old_articles = _outlet_articles("old", {"x": 10})
    old = _assign(old_articles, dedup=DedupConfig(shingle_size=1)).manifest
    articles = old_articles + _outlet_articles("new", {"x": 30, "y": 10})
    new = _assign(articles, ratios="train=0.6,validation=0.1,test=0.3", stratify="source",
                  inherit=old, dedup=DedupConfig(shingle_size=1)).manifest
    for doc_id, assignment in old.documents.items():
        assert new.split_of(doc_id) == assignment.split and new.documents[doc_id].by == "inherited"
    table = _per_outlet(new, articles)
    assert table["x"]["test"] == 12 and table["y"]["test"] == 3  # 0.3 of 40 and of 10, the inherited counted
    with pytest.raises(ManifestError, match="lack"):
        _assign(articles, ratios="train=0.5,dev=0.5", inherit=old)
    with pytest.raises(ManifestError, match="new manifest"):
        _assign(articles, new, inherit=old)
    with pytest.raises(ManifestError, match="stratify"):
        _assign(articles, new, stratify="published")


def test_stratified_manifest_names_an_article_without_the_field():
    articles = [Article(doc_id="no-source", text="نص بلا مصدر")]
    with pytest.raises(ManifestError, match=r"no-source.*stratifies splits by 'source'"):
        _assign(articles, stratify="source")
