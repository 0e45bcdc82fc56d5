"""benchmark.rounds.decisions (v0.1's step 7): reviewer decisions + the lead rule turn two passes into one gold."""

from __future__ import annotations

import json

import pytest

from benchmark.model import Article, Mention, Provenance, Quote, Span, Stance
from benchmark.rounds.decisions import apply_decisions
from benchmark.studio.adjudicate import adjudicate

TEXT = "وقالت الشرطة في ولاية كاليفورنيا إن المرأة بخير. وأضاف الوزير أن الخطة جاهزة."


def _span(word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return start, start + len(word)


@pytest.fixture
def passes():
    police, state, cal, minister = _span("الشرطة"), _span("ولاية كاليفورنيا"), _span("كاليفورنيا"), _span("الوزير")
    q1 = (_span("المرأة")[0], _span("بخير")[1])
    q2 = (_span("الخطة")[0], _span("جاهزة")[1])
    a = Article("d/1", TEXT, entities=(Mention("m1", *police, "ORG"), Mention("m2", *cal, "GPE"),
                                       Mention("m3", *minister, "PER")),
                quotes=(Quote("q1", *q1, "indirect", cue=Span(1, 5), speaker="m1"),
                        Quote("q2", *q2, "indirect", cue=Span(*_span("أضاف")), speaker="m3")),
                stances=(Stance("st-q2", "q2", "الخطة", "favor"),),
                provenance=Provenance(annotator="annotator-a@khabar.local"))
    b = Article("d/1", TEXT, entities=(Mention("m1", *state, "GPE"), Mention("m2", *minister, "PER")),
                quotes=(Quote("q1", *q1, "indirect", cue=Span(1, 5), speaker=None),
                        Quote("q2", *q2, "indirect", cue=Span(*_span("أضاف")), speaker="m2")),
                stances=(Stance("st-q1", "q1", "سلامة المرأة", "neutral"), Stance("st-q2", "q2", "الخطة", "favor")),
                provenance=Provenance(annotator="annotator-b@khabar.local"))
    return a, b


def test_decisions_then_lead_rule(passes):
    a, b = passes
    outcome = adjudicate([a, b], rule="majority")
    layers = sorted(c.layer for c in outcome.conflicts)
    assert layers == ["entity", "entity", "entity", "quote speaker", "stance (quote)"]
    state, cal = _span("ولاية كاليفورنيا"), _span("كاليفورنيا")
    q1 = (_span("المرأة")[0], _span("بخير")[1])
    decisions = {
        ("d/1", "entity", *state): {"decision": "GPE"},
        ("d/1", "entity", *cal): {"decision": None},
        ("d/1", "stance (quote)", *q1): {"decision": None},
    }
    gold, ledger = apply_decisions([a, b], outcome.conflicts, decisions, "annotator-a@khabar.local",
                                      "annotator-b@khabar.local")
    (article,) = gold
    assert [(m.start, m.end, m.label) for m in article.entities] == [
        (*_span("الشرطة"), "ORG"), (*state, "GPE"), (*_span("الوزير"), "PER")]
    speakers = {(q.start, q.end): article.surface(article.mention(q.speaker)) for q in article.quotes}
    assert speakers[q1] == "الشرطة"  # the unreviewed speaker conflict follows the lead
    assert [s.holder for s in article.stances] == ["q2"]  # B's q1 stance was decided away, not re-added
    assert sorted(row["by"] for row in ledger) == ["reviewed", "reviewed", "reviewed", "ruled", "ruled"]


def test_dropping_a_speaker_mention_is_refused_by_name(passes):
    a, b = passes
    outcome = adjudicate([a, b], rule="majority")
    police = _span("الشرطة")
    conflicts = outcome.conflicts  # A's الشرطة is an entity conflict (B left it out)
    with pytest.raises(ValueError, match=r"d/1: quote .* speaker points at .*not a gold mention"):
        apply_decisions([a, b], conflicts, {("d/1", "entity", *police): {"decision": None}},
                           "annotator-a@khabar.local", None)


def test_committed_conflicts_and_decisions_hold_no_span_text(repo_root):
    v01 = repo_root / "annotations" / "v0.1"
    conflicts = json.loads((v01 / "conflicts.json").read_text(encoding="utf-8"))["conflicts"]
    assert conflicts and all("surface" not in c for c in conflicts)
    decisions = [json.loads(line) for line in (v01 / "adjudication.jsonl").read_text(encoding="utf-8").splitlines()]
    keys = {(c["doc_id"], c["layer"], c["start"], c["end"]) for c in conflicts}
    assert all((d["doc_id"], d["layer"], d["start"], d["end"]) in keys and d["reason"] for d in decisions)
    summary = json.loads((v01 / "adjudication-summary.json").read_text(encoding="utf-8"))
    assert summary["reviewed"] + summary["ruled"] == summary["conflicts"] == len(conflicts)
