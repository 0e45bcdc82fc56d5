"""The reviewer's decisions on SOURCE mentions (guidelines 2.0 §5.7): the ``source`` layer of
:class:`benchmark.rounds.decisions.GoldBuilder` and :func:`apply_decisions`."""

from __future__ import annotations

import pytest

from benchmark.model import Article, Mention, Provenance, Quote, Span
from benchmark.rounds.decisions import GoldBuilder, apply_decisions, conflict_key
from benchmark.studio.adjudicate import adjudicate

TEXT = "وقالت مصادر أمنية إن الهجوم وقع ليلا. وأضافت أن التحقيق مستمر. وقال الوزير إن الخطة جاهزة."
A, B = "annotator-a@khabar.local", "annotator-b@khabar.local"


def _span(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


SOURCES, MINISTER = _span("مصادر أمنية"), _span("الوزير")
Q1 = (_span("الهجوم")[0], _span("ليلا")[1])
Q2 = (_span("التحقيق")[0], _span("مستمر")[1])
Q3 = (_span("الخطة")[0], _span("جاهزة")[1])
CUE3 = _span("قال الوزير")[0]


def _pass(annotator: str, sources_label: str) -> Article:
    """Both speak q1 and q2 by 'مصادر أمنية' (a SOURCE for one, an ORG for the other), q3 by the minister."""
    return Article("d/1", TEXT,
                   entities=(Mention("m1", *SOURCES, sources_label), Mention("m2", *MINISTER, "PER")),
                   quotes=(Quote("q1", *Q1, "indirect", cue=Span(1, 5), speaker="m1"),
                           Quote("q2", *Q2, "indirect", cue=Span(*_span("أضافت")), speaker="m1", speaker_elided=True),
                           Quote("q3", *Q3, "indirect", cue=Span(CUE3, CUE3 + 3), speaker="m2")),
                   provenance=Provenance(annotator=annotator))


@pytest.fixture
def passes():
    return [_pass(A, "SOURCE"), _pass(B, "ORG")]


def _decide(passes, decisions: dict[str, object]):
    conflicts = adjudicate(passes, "majority").conflicts
    rows = {}
    for conflict in conflicts:
        if (conflict.start, conflict.end) == SOURCES and conflict.layer in decisions:
            rows[conflict_key(conflict)] = {"decision": decisions[conflict.layer], "reason": "§5.7"}
    assert len(rows) == len(decisions), [c.layer for c in conflicts]
    return apply_decisions(passes, conflicts, rows, A, None)


def test_the_conflict_has_an_entity_and_a_source_layer(passes):
    layers = {c.layer: c.votes for c in adjudicate(passes, "majority").conflicts if (c.start, c.end) == SOURCES}
    assert layers["source"] == {A: "SOURCE", B: None}
    assert layers["entity"] == {A: None, B: "ORG"}


def test_deciding_the_source_keeps_it_as_the_speaker(passes):
    (gold,), _ = _decide(passes, {"entity": None, "source": "SOURCE"})
    labels = {gold.surface(m): m.label for m in gold.entities}
    assert labels == {"مصادر أمنية": "SOURCE", "الوزير": "PER"}
    assert [gold.mention(q.speaker).label for q in gold.quotes] == ["SOURCE", "SOURCE", "PER"]


def test_deciding_the_entity_relabels_the_lead_source(passes):
    (gold,), _ = _decide(passes, {"entity": "ORG", "source": None})
    labels = {gold.surface(m): m.label for m in gold.entities}
    assert labels == {"مصادر أمنية": "ORG", "الوزير": "PER"}


def test_a_span_decided_both_ways_is_refused(passes):
    with pytest.raises(ValueError, match=r"is decided 'ORG' \(entity\) and 'SOURCE' \(source\)"):
        _decide(passes, {"entity": "ORG", "source": "SOURCE"})


def test_a_source_label_in_the_entity_layer_is_refused(passes):
    builder = GoldBuilder({A: passes[0], B: passes[1]}, A)
    with pytest.raises(ValueError, match=r"entity decision 'SOURCE' at .* is a source label"):
        builder.apply("entity", SOURCES, "SOURCE")


def test_a_relabelled_head_leaves_its_cluster_to_the_others():
    lead = Article("d/1", TEXT, entities=(Mention("m1", *SOURCES, "PER"), Mention("m2", *MINISTER, "PER", "m1")),
                   quotes=(Quote("q1", *Q1, "indirect", speaker="m1"),), provenance=Provenance(annotator=A))
    builder = GoldBuilder({A: lead}, A)
    builder.apply("source", SOURCES, "SOURCE")
    gold = builder.article(Provenance(annotator="gold"))
    clusters = {gold.surface(m): (m.label, gold.surface(gold.mention(m.cluster))) for m in gold.entities}
    assert clusters == {"مصادر أمنية": ("SOURCE", "مصادر أمنية"), "الوزير": ("PER", "الوزير")}


def test_coreference_between_a_source_and_an_entity_is_refused(passes):
    builder = GoldBuilder({A: passes[0], B: passes[1]}, A)
    with pytest.raises(ValueError, match="joins a source and an entity mention"):
        builder.apply("coreference", None, {"pair": [list(SOURCES), list(MINISTER)], "same": True})


def test_a_source_left_without_a_quote_is_refused_by_name(passes):
    builder = GoldBuilder({A: passes[0], B: passes[1]}, A)
    builder.apply("quote", Q1, "drop")
    builder.apply("quote", Q2, "drop")
    with pytest.raises(ValueError, match=r"the source 'مصادر أمنية' .* speaks no gold quote"):
        builder.article(Provenance(annotator="gold"))
    builder.apply("source", SOURCES, None)
    gold = builder.article(Provenance(annotator="gold"))
    assert [m.label for m in gold.entities] == ["PER"]
