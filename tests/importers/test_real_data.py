"""The importers on the real public corpora (skipped with a reason when ../shared/data is absent):
counts against each SOURCE.md, offsets recomputed independently, and the pinned ANERcorp split."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from benchmark.importers import IMPORTERS, ImportReport
from benchmark.importers.anercorp import describe_split
from benchmark.model import find_problems

pytestmark = pytest.mark.realdata

SPLIT_FILE = Path(__file__).resolve().parents[2] / "annotations" / "splits" / "anercorp.json"


def corpus(shared: Path, name: str) -> Path:
    path = shared / name
    if not path.is_dir():
        pytest.skip(f"corpus {name!r} not found under {shared}")
    return path


def load(name: str, path: Path, **options):
    report = ImportReport(name)
    articles = list(IMPORTERS[name].load(path, report=report, **options))
    schema = IMPORTERS[name].schema_for(**options)
    for article in articles:
        assert find_problems(article, schema) == [], article.doc_id
    assert len({a.doc_id for a in articles}) == len(articles), "doc_ids must be unique"
    return articles, report


def iob_surfaces(lines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(surface, type) of every IOB2 span, written independently of the importer: tokens of a
    span joined with single spaces; an I- after O or another type starts a new span."""
    spans: list[tuple[list[str], str]] = []
    current: str | None = None
    for token, tag in lines:
        if tag == "O" or token is None:
            current = None
            continue
        prefix, kind = tag.split("-", 1)
        if prefix == "B" or kind != current:
            spans.append(([token], kind))
            current = kind
        else:
            spans[-1][0].append(token)
    return [(" ".join(tokens), kind) for tokens, kind in spans]


# --------------------------------------------------------------------------- ANERcorp


def test_anercorp_counts_offsets_and_split(shared_data):
    path = corpus(shared_data, "anercorp")
    articles, report = load("anercorp", path)
    assert report.counts["lines"] == 150_285  # SOURCE.md: 150,285 tokens
    assert report.counts["sentence_end_tokens"] == 5_076  # SOURCE.md: 5,076 pseudo-sentences (no run merging)
    assert report.counts["empty_token_skipped"] == 5 and report.counts["bidi_only_token_kept"] == 186
    labels = Counter(m.label for a in articles for m in a.entities)
    assert labels == {"LOC": 4_436, "PER": 3_606, "ORG": 2_028, "MISC": 1_118}  # 11,188 spans

    raw = (path / "ANERCorp").read_text(encoding="utf-8-sig").split("\n")
    lines = []
    for line in raw:
        token, _, tag = line.rpartition(" ")
        lines.append((token.strip(), tag) if token.strip() else (None, "O"))
    kept = [x for x in lines if x[0] is not None]
    # text[start:end] is exactly the joined tokens of every span, in order, minus invisible marks at its edges
    raw_surfaces = iob_surfaces(kept)
    expected = [(s.strip("\u200e\u200f "), {"PERS": "PER"}.get(k, k)) for s, k in raw_surfaces]
    got = [(a.surface(m), m.label) for a in articles for m in a.entities]
    assert got == expected
    marked_edges = sum(s[:1] in "\u200e\u200f" or s[-1:] in "\u200e\u200f" for s, _ in raw_surfaces)
    assert report.counts["mention_edges_trimmed"] == marked_edges > 0

    splits = [a.meta["split"] for a in articles]
    assert splits == sorted(splits, key=["train", "test"].index)  # sequential: all train, then all test
    first_test = next(a for a in articles if a.meta["split"] == "test")
    pinned = json.loads(SPLIT_FILE.read_text(encoding="utf-8"))
    assert first_test.meta["sentences"][0] == pinned["cut"]["first_test_sentence_index"]
    assert first_test.meta["lines"][0] == pinned["cut"]["first_test_file_line"]


def test_anercorp_pinned_split_matches_the_file(shared_data):
    path = corpus(shared_data, "anercorp")
    pinned = json.loads(SPLIT_FILE.read_text(encoding="utf-8"))
    if hashlib.sha256((path / "ANERCorp").read_bytes()).hexdigest() != pinned["source_sha256"]:
        pytest.skip("this ANERCorp is not the copy the split was pinned on (sha256 differs)")
    assert describe_split(path) == pinned
    words = pinned["words"]
    camel = pinned["camel_lab_reported_words"]
    assert abs(words["train"] - camel["train"]) <= 20 and abs(words["test"] - camel["test"]) <= 5
    assert words["train"] / (words["train"] + words["test"]) == pytest.approx(5 / 6, abs=1e-3)


def test_pinned_split_file_holds_no_corpus_text():
    text = SPLIT_FILE.read_text(encoding="utf-8")
    record = json.loads(text)
    assert re.search("[\u0621-\u064a]", json.dumps({k: v for k, v in record.items() if k != "rule"},
                                                   ensure_ascii=False)) is None
    cut = record["cut"]
    assert {"first_test_sentence_index", "first_test_token_index", "first_test_file_line",
            "first_test_sentence_sha256"} <= set(cut)
    assert all(re.fullmatch("[0-9a-f]{64}", cut[k]) for k in cut if k.endswith("sha256"))


# --------------------------------------------------------------------------- NewsFANE


def test_newsfane_counts_and_offsets(shared_data):
    path = corpus(shared_data, "newsfane_gold")
    articles, report = load("newsfane", path, labels="fine")
    assert report.counts["sentences"] == 4_760 and report.counts["tokens"] == 168_080
    assert report.counts["i_after_o_repaired"] == 4 and report.counts["bidi_marks_stripped"] == 152_599
    fine = Counter(m.label for a in articles for m in a.entities)
    assert (fine["Nation"], fine["Population-Center"], fine["Politician"]) == (2_232, 1_427, 1_315)
    assert len(fine) == 45

    raw = (path / "NewsFANE_Gold_2014_170K.txt").read_text(encoding="utf-8-sig").split("\n")
    lines = [(None, "O") if line == "\t" else (line.split("\t")[0].lstrip("\u200e\u200f"),
                                               line.split("\t")[1])
             for line in raw if line]
    got = [(a.surface(m), m.label) for a in articles for m in a.entities]
    assert got == iob_surfaces(lines)
    coarse, _ = load("newsfane", path)
    assert {m.label for a in coarse for m in a.entities} == {"PER", "ORG", "LOC", "GPE", "MISC"}


# --------------------------------------------------------------------------- stance corpora


def test_ans_counts(shared_data):
    articles, _ = load("ans", corpus(shared_data, "ans"))
    by_split = Counter(a.meta["split"] for a in articles)
    assert by_split == {"train": 2_652, "dev": 755, "test": 379}
    test_labels = Counter(a.stances[0].label for a in articles if a.meta["split"] == "test")
    assert test_labels == {"agree": 130, "disagree": 242, "other": 7}


def test_baly_counts_folds_and_no_leak(shared_data):
    articles, report = load("baly2018", corpus(shared_data, "baly2018_arabic_fc_stance"))
    assert len(articles) == 3_042 and report.counts["claims"] == 422
    assert Counter(a.stances[0].label for a in articles) == {
        "unrelated": 2_072, "agree": 474, "discuss": 409, "disagree": 87}
    claims_per_fold = Counter(fold for fold, _ in {(a.meta["fold"], a.meta["claim_key"]) for a in articles})
    assert claims_per_fold == {1: 85, 2: 85, 3: 84, 4: 84, 5: 84}
    for article in articles:
        assert not re.search(r"\b[RV]-\d", article.doc_id) and "private" not in article.meta
        assert set(article.meta) == {"fold", "claim_key"}


def test_mawqif_counts(shared_data):
    articles, report = load("mawqif", corpus(shared_data, "mawqif"))
    assert Counter(a.meta["split"] for a in articles) == {"train": 3_502, "test": 619}
    train = Counter(a.stances[0].label for a in articles if a.meta["split"] == "train")
    assert train == {"Favor": 2_148, "Against": 1_021, "None": 333}
    assert report.counts["blind_test_skipped"] == 1
    assert {a.variety for a in articles} == {"dialect"}


def test_saudinewsnet_counts(shared_data):
    articles, report = load("saudinewsnet", corpus(shared_data, "saudinewsnet"))
    assert report.counts["records"] == 31_030
    assert report.counts["empty_content_skipped"] == 354  # SOURCE.md: empty content 354
    assert len(articles) == 31_030 - 354
    assert all(re.fullmatch(r"saudinewsnet/[0-9a-z]+/2015-0[78]-\d\d/\d{4}", a.doc_id) for a in articles)
    assert min(a.published for a in articles) == "2015-07-21"
