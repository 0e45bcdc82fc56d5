"""``khabar round select`` / ``khabar round articles`` and :mod:`benchmark.rounds.selection`."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from benchmark.model import Provenance
from benchmark.rounds.selection import SelectionError, outlet_quotas
from benchmark.standoff import sha256_text, write_standoff

from ..support import run_cli, write_saudinewsnet

VOCABULARY = ("الوزير المدينة الحكومة المشروع الاقتصاد السوق الشركة المجلس الرياض جدة التعليم الصحة الطلاب "
         "المستشفى الطريق البلدية المواطنين الخطة العام الأسبوع الماضي المقبل الدولة المنطقة النادي الفريق "
         "المباراة الدوري الأمير الملك المملكة البنك النفط الأسعار المياه الكهرباء الجامعة المعرض")
WORDS = VOCABULARY.split()


def _text(rng: random.Random, quotes: bool = True) -> str:
    """About 80 random words; with ``quotes`` three cues and a direct quote (the rule's eligibility)."""
    words = [rng.choice(WORDS) for _ in range(80)]
    if quotes:
        words[10:10] = ["وقال", "الوزير", "«", *words[:6], "»"]
        words[40:40] = ["وأضاف", "أن"]
        words[60:60] = ["وأكد", "أن"]
    return " ".join(words)


def _corpus(folder: Path, outlets: dict[str, list[str]]) -> Path:
    """A SaudiNewsNet-shaped folder (dataset/DAY.zip holding DAY.json) with the given texts per outlet."""
    records = [{"source": outlet, "url": f"http://{outlet}/{i}", "date_extracted": "2015-07-21 10:00:00",
                "title": "عنوان", "author": "الرياض", "content": text}
               for outlet, texts in sorted(outlets.items()) for i, text in enumerate(texts)]
    return write_saudinewsnet(folder, records)




@pytest.fixture
def world(tmp_path):
    """Outlets of 30, 10 and 4 quote-rich texts plus one without quotes; near-duplicates planted:
    big/0 ≈ big/1 (two candidates) and mid/0 ≈ the annotated document big/2."""
    rng = random.Random(7)
    outlets = {"big": [_text(rng) for _ in range(30)], "mid": [_text(rng) for _ in range(10)],
               "small": [_text(rng) for _ in range(4)], "noquotes": [_text(rng, quotes=False) + " قال"
                                                                    for _ in range(3)]}
    outlets["big"][1] = outlets["big"][0] + " والله الموفق"
    outlets["mid"][0] = "«" + outlets["big"][2] + "»"
    corpus = _corpus(tmp_path / "snn", outlets)
    from benchmark.importers import get_importer

    articles = {a.doc_id: a for a in get_importer("saudinewsnet").load(corpus)}
    annotated = articles["saudinewsnet/big/2015-07-21/0002"]
    standoff = tmp_path / "gold.standoff.jsonl"
    write_standoff(standoff, [annotated.replace(provenance=Provenance(annotator="gold"))])
    return {"corpus": corpus, "articles": articles, "standoff": standoff, "tmp": tmp_path}


def _select(world, out: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli(["round", "select", "--corpus", f"saudinewsnet:{world['corpus']}", "--n", "20", "--seed", "s1",
                 "--min-chars", "100", "--max-chars", "5000", "--floor", "2",
                 "--exclude-standoff", str(world["standoff"]), "--out", str(out), *extra])


def test_select_is_deterministic_stratified_deduplicated_and_textless(world):
    out = world["tmp"] / "selection.json"
    code, printed, errors = _select(world, out)
    assert code == 0, errors
    first = out.read_bytes()
    assert _select(world, world["tmp"] / "again.json")[0] == 0
    assert (world["tmp"] / "again.json").read_bytes() == first  # same inputs + seed → same bytes
    assert _select(world, world["tmp"] / "other.json", "--seed", "s2")[0] == 0
    assert (world["tmp"] / "other.json").read_bytes() != first

    selection = json.loads(first)
    ids = [row["doc_id"] for row in selection["articles"]]
    assert len(ids) == 20 and ids == sorted(ids)
    assert "saudinewsnet/big/2015-07-21/0002" not in ids  # annotated already
    assert "saudinewsnet/mid/2015-07-21/0000" not in ids  # near-duplicate of the annotated document
    assert not {"saudinewsnet/big/2015-07-21/0000", "saudinewsnet/big/2015-07-21/0001"} <= set(ids)
    assert selection["dropped"] == {"near-duplicate of a better-ranked candidate": 1,
                                    "near-duplicate of an annotated document": 1}
    # every outlet represented: the quote-less one by the top-up rule; the rest in proportion
    per = selection["per_outlet"]
    assert {o: row["selected"] for o, row in per.items()} == {"big": 12, "mid": 4, "noquotes": 2, "small": 2}
    assert per["noquotes"] == {"corpus": 3, "eligible": 0, "after_dedup": 0, "topped_up": 2, "selected": 2}
    assert selection["outlets_not_represented"] == []
    assert sum(row["selected"] for row in per.values()) == len(ids)
    for row in selection["articles"]:
        assert row["sha256"] == sha256_text(world["articles"][row["doc_id"]].text)
        assert row["outlet"] == row["doc_id"].split("/")[1]
    rule = selection["rule"]
    assert (rule["seed"], rule["n"], rule["floor"], rule["min_chars"]) == ("s1", 20, 2, 100)
    assert rule["exclude"][0]["documents"] == 1 and rule["near_duplicates"]["threshold"] == 0.8
    assert rule["exclude"][0]["standoff"] == "gold.standoff.jsonl"  # outside the working folder: no machine path
    text = first.decode("utf-8")
    assert not any(a.text[:40] in text for a in world["articles"].values())  # no corpus text
    assert "selected 20 of" in printed and "noquotes 2" in printed


def test_round_articles_reads_the_selection_back_hash_checked(world):
    selection = world["tmp"] / "selection.json"
    assert _select(world, selection)[0] == 0
    out = world["tmp"] / "raw.jsonl"
    code, printed, errors = run_cli(["round", "articles", str(selection), "--corpus",
                                  f"saudinewsnet:{world['corpus']}", "--out", str(out)])
    assert code == 0, errors
    from benchmark.io import read_articles

    expected = [row["doc_id"] for row in json.loads(selection.read_text(encoding="utf-8"))["articles"]]
    assert [a.doc_id for a in read_articles(out)] == expected and "20 selected article(s)" in printed

    # a changed text and a missing document: both named, nothing written
    rows = json.loads(selection.read_text(encoding="utf-8"))
    rows["articles"][0]["sha256"] = "0" * 64
    rows["articles"][1]["doc_id"] = "saudinewsnet/big/2015-07-21/0999"
    selection.write_text(json.dumps(rows), encoding="utf-8")
    out2 = world["tmp"] / "not-written.jsonl"
    code, _, errors = run_cli(["round", "articles", str(selection), "--corpus", f"saudinewsnet:{world['corpus']}",
                            "--out", str(out2)])
    assert code == 1 and not out2.exists()
    assert f"{expected[0]}: text sha256" in errors and "differs from the selection's 000" in errors
    assert "saudinewsnet/big/2015-07-21/0999: not in your corpus" in errors


def test_select_refuses_with_the_fix(world):
    out = world["tmp"] / "never.json"
    code, _, errors = _select(world, out, "--n", "500")
    assert code == 1 and "only 43 article(s) are left" in errors and "fix: a smaller --n" in errors
    code, _, errors = _select(world, out, "--n", "3")
    assert code == 1 and "floor of 2" in errors
    # the annotated stand-off was made on another copy of the text
    record = json.loads(world["standoff"].read_text(encoding="utf-8"))
    world["standoff"].write_text(json.dumps(dict(record, text_sha256="f" * 64)) + "\n", encoding="utf-8")
    code, _, errors = _select(world, out)
    assert code == 1 and "saudinewsnet/big/2015-07-21/0002: your copy's text differs" in errors
    code, _, errors = run_cli(["round", "select", "--corpus", "nosuch:/x", "--n", "2", "--seed", "s",
                               "--out", str(out)])
    assert code == 2 and "no importer named 'nosuch'" in errors
    assert not out.exists()


def test_outlet_quotas_floor_then_proportional_largest_remainder():
    assert outlet_quotas({"a": 100, "b": 10, "c": 1}, 20, 2) == {"a": 17, "b": 2, "c": 1}
    assert outlet_quotas({"a": 50, "b": 50}, 11, 0) == {"a": 6, "b": 5}  # a tie goes to the first name
    assert outlet_quotas({"a": 3, "b": 100}, 10, 5) == {"a": 3, "b": 7}  # never more than an outlet has
    assert outlet_quotas({"a": 0, "b": 4}, 4, 1) == {"b": 4}
    with pytest.raises(SelectionError, match="only 4 article"):
        outlet_quotas({"a": 4}, 5, 1)


@pytest.mark.realdata
@pytest.mark.slow
def test_select_340_from_saudinewsnet_every_outlet_and_no_near_duplicate_of_v01(shared_data, repo_root, tmp_path):
    from benchmark.importers import get_importer
    from benchmark.release.dedup import NearDuplicateIndex
    from benchmark.standoff import read_standoff

    corpus = shared_data / "saudinewsnet"
    gold = repo_root / "annotations" / "v0.1" / "gold.standoff.jsonl"
    out = tmp_path / "selection.json"
    code, _, errors = run_cli(["round", "select", "--corpus", f"saudinewsnet:{corpus}", "--n", "340", "--seed",
                            "khabar-v0.2", "--exclude-standoff", str(gold), "--out", str(out)])
    assert code == 0, errors
    selection = json.loads(out.read_text(encoding="utf-8"))
    chosen = {row["doc_id"] for row in selection["articles"]}
    v01 = {record["doc_id"] for record in read_standoff(gold)}
    assert len(chosen) == 340 and not chosen & v01
    articles = {a.doc_id: a for a in get_importer("saudinewsnet").load(corpus) if a.doc_id in chosen | v01}
    outlets = {row["outlet"] for row in selection["articles"]}
    assert outlets == set(selection["per_outlet"]) and len(outlets) == 14  # every outlet of the corpus
    index = NearDuplicateIndex()
    for doc_id in sorted(chosen | v01):
        index.add(doc_id, articles[doc_id].text)
    pairs = [(p.first, p.second) for p in index.pairs()]
    assert not [pair for pair in pairs if set(pair) & chosen]  # none near v0.1, none near each other


def test_select_shows_its_scan_on_stderr_unless_no_progress(world):
    code, _, errors = _select(world, world["tmp"] / "with-bar.json")
    assert code == 0 and "scanning saudinewsnet" in errors
    code, _, errors = _select(world, world["tmp"] / "quiet.json", "--no-progress")
    assert code == 0 and "scanning" not in errors
    assert (world["tmp"] / "with-bar.json").read_bytes() == (world["tmp"] / "quiet.json").read_bytes()
