"""Stand-off annotations (benchmark.standoff, khabar rehydrate): round trip, refusals, the committed v0.1."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmark.io import read_articles
from benchmark.model import Article, Mention, Provenance, Quote, Span, Stance
from benchmark.standoff import (
    StandoffError,
    read_standoff,
    rehydrate,
    rehydrate_all,
    sha256_text,
    to_standoff,
    write_standoff,
)

from ..support import run_cli, write_saudinewsnet

WORDS = st.text(alphabet="ابتثجحخدرزسشصضطظعغفقكلمنهوي؟،ًٌٍَُِّ😀\u200f", min_size=1, max_size=6).filter(
    lambda w: w[0] != "\u200f" and w[-1] != "\u200f"
)


@st.composite
def articles(draw) -> Article:
    words = draw(st.lists(WORDS, min_size=3, max_size=20))
    sep = draw(st.sampled_from([" ", "\r\n", " \n"]))
    text = sep.join(words)
    offsets, pos = [], 0
    for word in words:
        offsets.append((pos, pos + len(word)))
        pos += len(word) + len(sep)
    tokens = sorted(draw(st.sets(st.integers(0, len(words) - 1), max_size=5)))
    mentions, head = [], {}
    for i, token in enumerate(tokens):
        cluster = head.setdefault(draw(st.integers(0, 1)), f"m{i}")
        label = draw(st.sampled_from(["PER", "ORG", "LOC", "GPE", "DATE", "MISC"]))
        mentions.append(Mention(f"m{i}", *offsets[token], label, cluster=cluster))
    ids = [m.id for m in mentions]
    quotes = []
    for i, first in enumerate(sorted(draw(st.sets(st.integers(0, len(words) - 1), max_size=3)))):
        last = min(len(words) - 1, first + draw(st.integers(0, 3)))
        speaker = draw(st.none() | st.sampled_from(ids)) if ids else None
        quotes.append(Quote(f"q{i}", offsets[first][0], offsets[last][1], draw(st.sampled_from(["direct", "indirect",
                      "mixed"])), cue=draw(st.none() | st.sampled_from(offsets).map(lambda o: Span(*o))),
                      speaker=speaker, speaker_elided=speaker is not None and draw(st.booleans())))
    target = st.text(alphabet="ابت ثج", min_size=1, max_size=8).filter(lambda t: t.strip() != "")
    stances = [Stance(f"st-{q.id}", q.id, draw(target), draw(st.sampled_from(["favor", "against", "neutral"])),
                      draw(st.none() | st.sampled_from(ids)) if ids else None)
               for q in quotes if draw(st.booleans())]
    if draw(st.booleans()):
        stances.append(Stance("st-article", "article", draw(target), "neutral"))
    return Article(
        doc_id=draw(st.sampled_from(["saudinewsnet/okaz/2015-07-21/0042", "other/7"])),
        text=text,
        title=draw(st.none() | WORDS),
        source=draw(st.none() | st.just("okaz")),
        url=draw(st.none() | st.just("http://example.org/a")),
        published=draw(st.sampled_from([None, "2015-07-21"])),
        meta=draw(st.sampled_from([{}, {"author": None, "date_extracted": "2015-07-21 10:00:00"},
                                   {"author": "الرياض: فلان", "date_extracted": None}])),
        entities=tuple(mentions),
        quotes=tuple(quotes),
        stances=tuple(stances),
        provenance=Provenance(annotator=draw(st.sampled_from([None, "annotator-a@khabar.local"])),
                              annotation_ids=("12",), guidelines_version="1.0", lead_time=None, source="export.json"),
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles())
def test_article_to_standoff_to_rehydrate_is_identity(article):
    record = json.loads(json.dumps(to_standoff(article), ensure_ascii=False))
    assert rehydrate(record, article.text, title=article.title, text_meta=article.meta) == article


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles())
def test_standoff_holds_no_corpus_text(article):
    """No span surface, no title, no author: only the annotator-written stance targets are text."""
    record = to_standoff(article)
    blob = json.dumps({k: v for k, v in record.items() if k != "stances"}, ensure_ascii=False)
    assert "text" not in record and "title" not in record
    if article.meta.get("author"):
        assert article.meta["author"] not in blob
    surfaces = {article.surface(m) for m in article.entities} | {article.surface(q) for q in article.quotes}
    arabic = [s for s in surfaces if any("\u0600" <= c <= "\u06ff" for c in s) and len(s) > 3]
    assert not [s for s in arabic if s in blob]


def _article(text: str = "وقال بوتين إن روسيا مستعدة", doc_id: str = "saudinewsnet/okaz/2015-07-21/0001"):
    return Article(doc_id=doc_id, text=text, title="عنوان", source="okaz",
                   entities=(Mention("m1", 5, 10, "PER"), Mention("m2", 14, 19, "GPE")),
                   quotes=(Quote("q1", 11, len(text), "indirect", cue=Span(1, 4), speaker="m1"),),
                   stances=(Stance("st-q1", "q1", "جاهزية روسيا", "favor", "m2"),))


def test_hash_mismatch_names_the_doc_the_hashes_and_the_fix():
    article = _article()
    record = to_standoff(article)
    with pytest.raises(StandoffError) as caught:
        rehydrate(record, article.text.replace("روسيا", "روسية"), title=article.title)
    message = str(caught.value)
    assert message.startswith(f"{article.doc_id}: your copy of the corpus differs from the one annotated")
    assert f"expected sha256 {sha256_text(article.text)}" in message
    assert "fix: use the original corpus at commit 4e39239966c2ae8a3faa591201acb9cd1f51199d" in message
    with pytest.raises(StandoffError, match="the title in your copy"):
        rehydrate(record, article.text, title="عنوان آخر")


def test_rehydrate_all_lists_every_missing_and_mismatched_doc():
    good, changed, missing = (_article(doc_id=f"saudinewsnet/okaz/2015-07-21/000{i}") for i in range(3))
    records = [to_standoff(a) for a in (good, changed, missing)]
    corpus = {good.doc_id: good, changed.doc_id: changed.replace(text=changed.text + " اليوم")}
    result = rehydrate_all(records, corpus)
    assert [a.doc_id for a in result.articles] == [good.doc_id]
    assert {(p.doc_id, p.item) for p in result.problems} == {(changed.doc_id, "text"), (missing.doc_id, "doc_id")}
    assert "not in your copy" in next(p.message for p in result.problems if p.doc_id == missing.doc_id)


def test_read_standoff_names_bad_lines(tmp_path):
    path = tmp_path / "s.jsonl"
    record = to_standoff(_article())
    path.write_text(json.dumps(record) + "\n" + json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(StandoffError, match=r"s.jsonl:2: .*duplicate doc_id \(first on line 1\)"):
        list(read_standoff(path))
    path.write_text("{oops\n", encoding="utf-8")
    with pytest.raises(StandoffError, match=r"s\.jsonl:1: not valid JSON"):
        list(read_standoff(path))




def test_cli_rehydrates_from_the_importer_and_refuses_without_writing(tmp_path):
    texts = ["وقال بوتين إن روسيا مستعدة", "وأكد الوزير أن الخطة جاهزة"]
    corpus = write_saudinewsnet(tmp_path / "snn", [
        {"source": "okaz", "url": f"http://okaz/{i}", "date_extracted": "2015-07-21 10:00:00", "title": "عنوان",
         "author": "جدة: فلان", "content": text} for i, text in enumerate(texts)])
    from benchmark.importers import get_importer

    originals = list(get_importer("saudinewsnet").load(corpus))
    first = originals[0]
    gold = first.replace(entities=(Mention("m1", 5, 10, "PER"),),
                         quotes=(Quote("q1", 11, len(first.text), "indirect", cue=Span(1, 4), speaker="m1"),))
    standoff = tmp_path / "gold.standoff.jsonl"
    write_standoff(standoff, [gold, originals[1]])
    out = tmp_path / "articles.jsonl"
    code, printed, _ = run_cli(["rehydrate", str(standoff), "--corpus", f"saudinewsnet:{corpus}", "--out", str(out),
                             "--quiet"])
    assert code == 0 and "rehydrated 2 article(s)" in printed
    assert list(read_articles(out)) == [gold, originals[1]]

    # the user's copy differs (one text edited) and a doc_id is unknown: both listed, nothing written
    records = [json.loads(line) for line in standoff.read_text(encoding="utf-8").splitlines()]
    records.append(dict(records[1], doc_id="saudinewsnet/okaz/2015-07-21/0099"))
    standoff.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    changed = write_saudinewsnet(tmp_path / "snn2", [
        {"source": "okaz", "url": f"http://okaz/{i}", "date_extracted": "2015-07-21 10:00:00", "title": "عنوان",
         "author": "جدة: فلان", "content": text + ("" if i else " ")} for i, text in enumerate(texts)])
    out2 = tmp_path / "not-written.jsonl"
    code, _, errors = run_cli(["rehydrate", str(standoff), "--corpus", f"saudinewsnet:{changed}", "--out", str(out2),
                            "--quiet"])
    assert code == 1 and not out2.exists()
    assert "2 problem(s)" in errors
    assert f"{originals[0].doc_id}: text: your copy of the corpus differs" in errors
    assert "saudinewsnet/okaz/2015-07-21/0099: doc_id: this doc_id is not in your copy of the corpus" in errors
    code, _, errors = run_cli(["rehydrate", str(standoff), "--corpus", "nosuch:/x", "--out", str(out2)])
    assert code == 2 and "no importer named 'nosuch'" in errors


@pytest.mark.realdata
def test_committed_v01_gold_rehydrates_from_shared_data(shared_data, repo_root, tmp_path):
    v01 = repo_root / "annotations" / "v0.1"
    standoff = v01 / "gold.standoff.jsonl"
    if not standoff.exists():
        pytest.skip("annotations/v0.1/gold.standoff.jsonl is not committed yet")
    out = tmp_path / "gold.jsonl"
    code, _, errors = run_cli(["rehydrate", str(standoff), "--corpus",
                                  f"saudinewsnet:{shared_data / 'saudinewsnet'}", "--out", str(out), "--quiet"])
    assert code == 0, errors
    gold = list(read_articles(out))
    summary = json.loads((v01 / "adjudication-summary.json").read_text(encoding="utf-8"))["gold"]
    assert len(gold) == summary["articles"] >= 40
    assert sum(len(a.entities) for a in gold) == summary["entities"] >= 800
    assert sum(1 for a in gold for q in a.quotes if q.speaker) == summary["quotes_with_speaker"] >= 150
    assert sum(len(a.stances) for a in gold) == summary["stances"]
    selection = json.loads((v01 / "selection.json").read_text(encoding="utf-8"))
    assert {a.doc_id: sha256_text(a.text) for a in gold} == {r["doc_id"]: r["sha256"] for r in selection["articles"]}
    for name in ("annotator-a", "annotator-b"):
        records = list(read_standoff(v01 / "passes" / f"{name}.standoff.jsonl"))
        assert len(records) == summary["articles"] == len(selection["articles"])
        assert all("text" not in r for r in records)


def test_a_source_mention_round_trips_and_a_schema_without_source_refuses_it_by_name():
    """A SOURCE mention (guidelines 2.0 §5.7) is an ``entities`` item with ``"label": "SOURCE"``."""
    from benchmark.model import ArticleError
    from benchmark.schema import LabelSchema

    from ..support import source_article

    article = source_article("saudinewsnet/okaz/2015-07-21/0002")
    record = json.loads(json.dumps(to_standoff(article), ensure_ascii=False))
    assert [e["label"] for e in record["entities"]].count("SOURCE") == 2
    assert rehydrate(record, article.text) == article
    v1 = LabelSchema("khabar-1.1", entity_labels=("PER", "ORG", "LOC", "GPE", "DATE", "MISC"))
    with pytest.raises(ArticleError) as info:
        rehydrate(record, article.text, schema=v1)
    problems = [p for p in info.value.issues if "'SOURCE'" in p.message]
    assert [p.item for p in problems] == ["entities[0] id='s1'", "entities[2] id='s2'"]
    assert all(p.doc_id == article.doc_id and "khabar schema" in p.fix for p in problems)
