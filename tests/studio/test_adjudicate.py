"""Adjudication rules (majority, unanimous, lead) and the conflict report."""

from __future__ import annotations

import json

import pytest

from benchmark.model import Mention, Provenance, Quote, Stance
from benchmark.studio.adjudicate import adjudicate


def _as(article, annotator, annotation_id):
    return article.replace(
        provenance=Provenance(
            annotator=annotator,
            annotation_ids=(annotation_id,),
            guidelines_version="1.0",
            source="export.json",
        )
    )


@pytest.fixture()
def three(make_article):
    """a = the reference; b drops the GPE 'موسكو' and says q1 is 'against'; c picks another mention
    of Putin's cluster as q1's speaker and labels 'موسكو' LOC."""
    a = _as(make_article(), "a@x", "1")
    b = _as(
        a.replace(
            entities=tuple(m for m in a.entities if m.id != "m2"),
            stances=tuple(Stance(s.id, s.holder, s.target, "against") if s.id == "st-q1" else s for s in a.stances),
        ),
        "b@x",
        "2",
    )
    ents = tuple(Mention(m.id, m.start, m.end, "LOC") if m.id == "m2" else m for m in a.entities)
    quotes = tuple(Quote(q.id, q.start, q.end, q.kind, q.cue, "m3") if q.id == "q1" else q for q in a.quotes)
    c = _as(a.replace(entities=ents, quotes=quotes), "c@x", "3")
    return a, b, c


def test_majority_keeps_what_most_said_and_reports_the_rest(three):
    a, b, c = three
    result = adjudicate([c, b, a], "majority")
    (gold,) = result.gold
    surfaces = {(gold.surface(m), m.label) for m in gold.entities}
    assert ("موسكو", "GPE") not in surfaces and ("موسكو", "LOC") not in surfaces  # 1 vote each of 3
    assert {("بوتين", "PER"), ("الرئيس الروسي", "PER"), ("روسيا", "GPE")} <= surfaces
    q1 = gold.quotes[0]
    assert gold.surface(gold.mention(q1.speaker)) == "بوتين"  # all three speakers are in Putin's cluster
    assert {s.holder: s.label for s in gold.stances}[q1.id] == "favor"
    assert gold.provenance.annotator == "adjudicated:majority"
    assert gold.provenance.annotation_ids == ("1", "2", "3")
    layers = {(c.layer, c.surface) for c in result.conflicts}
    assert ("entity", "موسكو") in layers and ("stance (quote)", gold.surface(q1)) in layers
    speaker = next(c for c in result.conflicts if c.layer == "quote speaker")
    assert speaker.votes["c@x"]["text"] == "الرئيس الروسي" and speaker.resolution.startswith("kept 'بوتين'")
    md = result.to_markdown()
    assert "| `test/1` | entity | [" in md and "c@x" in md
    json.dumps(result.to_dict(), ensure_ascii=False)


def test_unanimous_drops_every_disputed_item(three):
    a, b, c = three
    (gold,) = adjudicate([a, b, c], "unanimous").gold
    assert "موسكو" not in {gold.surface(m) for m in gold.entities}
    assert [s.holder for s in gold.stances if s.holder != "article"] == ["q2"]  # q1 disputed, q3 has none
    # speakers differ by mention (c picked الرئيس الروسي) but every speaker cluster holds بوتين: unanimous
    assert gold.surface(gold.mention(gold.quotes[0].speaker)) == "بوتين"


def test_lead_wins_and_missing_lead_is_unresolved(three, make_article):
    a, b, c = three
    other = _as(make_article("test/2"), "b@x", "4")
    result = adjudicate([a, b, c, other], "lead", lead="c@x")
    (gold,) = result.gold
    assert (gold.entities, gold.quotes, gold.stances) == (c.entities, c.quotes, c.stances)
    assert result.unresolved == {"test/2": "the lead annotator 'c@x' did not annotate it"}
    assert all(conflict.resolution.startswith("lead c@x wins") for conflict in result.conflicts)
    with pytest.raises(ValueError, match="needs the lead annotator"):
        adjudicate([a], "lead")


def test_agreeing_annotators_give_the_same_article_and_no_conflict(make_article):
    a = _as(make_article(), "a@x", "1")
    b = _as(make_article(), "b@x", "2")
    result = adjudicate([a, b], "unanimous")
    assert result.conflicts == []
    (gold,) = result.gold
    assert [gold.surface(m) for m in gold.entities] == [a.surface(m) for m in a.entities]
    assert [(q.start, q.end, q.kind, q.cue, q.speaker_elided) for q in gold.quotes] == [
        (q.start, q.end, q.kind, q.cue, q.speaker_elided) for q in a.quotes
    ]
    assert [(s.label, s.target) for s in gold.stances] == [(s.label, s.target) for s in a.stances]


def test_one_changed_label_is_one_conflict(make_article):
    """b relabels one mention, one quote's kind and one stance: three conflicts, one per place."""
    a = _as(make_article(), "a@x", "1")
    ents = tuple(Mention(m.id, m.start, m.end, "LOC") if m.id == "m2" else m for m in a.entities)
    quotes = tuple(Quote(q.id, q.start, q.end, "mixed", q.cue, q.speaker) if q.id == "q3" else q for q in a.quotes)
    stances = tuple(
        Stance(s.id, s.holder, s.target, "neutral", s.target_mention) if s.id == "st-q2" else s for s in a.stances
    )
    b = _as(a.replace(entities=ents, quotes=quotes, stances=stances), "b@x", "2")
    result = adjudicate([a, b], "majority")
    moscow = a.mention("m2")
    q2, q3 = a.quotes[1], a.quotes[2]
    assert [(c.layer, c.start, c.end, c.votes, c.resolution) for c in result.conflicts] == [
        ("entity", moscow.start, moscow.end, {"a@x": "GPE", "b@x": "LOC"}, "dropped"),
        ("quote", q3.start, q3.end, {"a@x": "indirect", "b@x": "mixed"}, "dropped"),
        ("stance (quote)", q2.start, q2.end, {"a@x": "against", "b@x": "neutral"}, "dropped"),
    ]
    three = adjudicate([a, b, _as(a, "c@x", "3")], "majority")
    assert [(c.layer, c.resolution) for c in three.conflicts] == [
        ("entity", "kept 'GPE'"),
        ("quote", "kept 'indirect'"),
        ("stance (quote)", "kept 'against'"),
    ]
    (gold,) = three.gold
    assert (gold.surface(gold.entities[1]), gold.entities[1].label) == ("موسكو", "GPE")


# --------------------------------------------------------------------------- SOURCE mentions: a layer of their own


def _source_vs_org(make_source_article, annotator, annotation_id):
    """The source article with 'مصادر أمنية' marked ORG (an entity) instead of SOURCE."""
    a = make_source_article()
    ents = tuple(Mention(m.id, m.start, m.end, "ORG") if m.id == "s1" else m for m in a.entities)
    return _as(a.replace(entities=ents), annotator, annotation_id)


def test_source_mentions_are_their_own_conflict_layer(make_source_article):
    a = _as(make_source_article(), "a@x", "1")
    b = _as(make_source_article(), "b@x", "2")
    c = _source_vs_org(make_source_article, "c@x", "3")
    result = adjudicate([a, b, c], "majority")
    (gold,) = result.gold
    span = (a.mention("s1").start, a.mention("s1").end)
    kept = next(m for m in gold.entities if (m.start, m.end) == span)
    assert kept.label == "SOURCE"
    assert [gold.mention(q.speaker).label for q in gold.quotes] == ["SOURCE", "SOURCE", "SOURCE"]
    at_span = {c.layer: c for c in result.conflicts if (c.start, c.end) == span}
    assert at_span["source"].votes == {"a@x": "SOURCE", "b@x": "SOURCE", "c@x": None}
    assert at_span["source"].resolution == "kept 'SOURCE'"
    assert at_span["entity"].votes == {"a@x": None, "b@x": None, "c@x": "ORG"}
    assert at_span["entity"].resolution == "dropped"
    clusters = {m.cluster for m in gold.entities if m.label == "SOURCE"}
    assert all(gold.mention(c).label == "SOURCE" for c in clusters)


def test_an_even_split_between_source_and_entity_drops_both(make_source_article):
    a = _as(make_source_article(), "a@x", "1")
    b = _source_vs_org(make_source_article, "b@x", "2")
    result = adjudicate([a, b], "majority")
    (gold,) = result.gold
    span = (a.mention("s1").start, a.mention("s1").end)
    assert span not in {(m.start, m.end) for m in gold.entities}
    assert {c.layer for c in result.conflicts if (c.start, c.end) == span} >= {"entity", "source"}
    assert gold.quotes[0].speaker is None  # neither speaker cluster passes the rule


def test_a_kept_source_that_speaks_no_kept_quote_is_dropped(make_source_article):
    a = make_source_article()
    q3 = a.quotes[2]

    def moved(shift, annotator, annotation_id):  # q3 on a span of its own per annotator: no q3 is kept
        quotes = (*a.quotes[:2], Quote(q3.id, q3.start, q3.end - shift, q3.kind, q3.cue, q3.speaker))
        return _as(a.replace(quotes=quotes), annotator, annotation_id)

    result = adjudicate([moved(0, "a@x", "1"), moved(1, "b@x", "2"), moved(2, "c@x", "3")], "majority")
    (gold,) = result.gold
    s2 = a.mention("s2")
    assert (s2.start, s2.end) not in {(m.start, m.end) for m in gold.entities}
    assert len(gold.quotes) == 2 and any(m.label == "ORG" for m in gold.entities)
    dropped = next(c for c in result.conflicts if c.layer == "source")
    assert (dropped.start, dropped.end) == (s2.start, s2.end)
    assert dropped.resolution.startswith("dropped (its cluster speaks no kept quote")


def test_adjudicated_source_gold_validates(validated_sources, make_source_article):
    from benchmark.model import find_problems
    from benchmark.schema import KHABAR

    a = _as(make_source_article(), "a@x", "1")
    b = _as(make_source_article(), "b@x", "2")
    c = _source_vs_org(make_source_article, "c@x", "3")
    (gold,) = adjudicate([a, b, c], "majority").gold
    assert find_problems(gold, KHABAR) == []
