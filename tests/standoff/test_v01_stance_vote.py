"""benchmark.rounds.stance_vote (v0.1 step 9): the three-annotator stance vote, its checks, the committed votes."""

from __future__ import annotations

import json
from collections import Counter

import pytest

import benchmark.rounds.stance_vote as sv
from benchmark.model import Article, Mention, Provenance, Quote, Span, Stance
from benchmark.standoff import sha256_text
from benchmark.studio.agreement import fleiss_kappa

from ..support import load_script

TEXT = "قال الوزير إن الخطة جاهزة. وأضاف أن مصر شريك. وقال النادي إن المدرب ممتاز. وذكر أن الفريق وصل."
A, B, C = "annotator-a@khabar.local", "annotator-b@khabar.local", "annotator-c@khabar.local"


def _span(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def _quote(qid: str, first: str, last: str) -> Quote:
    return Quote(qid, _span(first)[0], _span(last)[1], "indirect", cue=Span(*_span("قال")))


QUOTES = (_quote("q1", "الخطة", "جاهزة"), _quote("q2", "مصر", "شريك"), _quote("q3", "المدرب", "ممتاز"),
          _quote("q4", "الفريق", "وصل"))
ENTITIES = (Mention("m1", *_span("الوزير"), "PER"), Mention("m2", *_span("مصر"), "GPE"))


def _article(annotator: str, stances, quotes=QUOTES) -> Article:
    return Article("d/1", TEXT, entities=ENTITIES, quotes=quotes, stances=tuple(stances),
                   provenance=Provenance(annotator=annotator))


@pytest.fixture
def three():
    """Reviewed gold + passes a, b + a third pass, covering every outcome of the rule."""
    wf = sv
    gold = _article("adjudicated", [Stance("st-q1", "q1", "الخطة", "favor"),
                                    Stance("st-q3", "q3", "المدرب", "favor"),
                                    Stance("st-article", "article", "الخطة", "neutral")])
    a = _article(A, [Stance("st-q1", "q1", "خطة الوزير", "favor"), Stance("st-q3", "q3", "المدرب", "favor")],
                 quotes=QUOTES[:3])  # a has no quote q4: its vote there is none
    b = _article(B, [Stance("st-q1", "q1", "الخطة", "favor"), Stance("st-q2", "q2", "مصر", "favor", "m2"),
                     Stance("st-q3", "q3", "المدرب", "against"), Stance("st-q4", "q4", "الفريق", "favor")])
    sha = sha256_text(TEXT)

    def row(holder, decision, target=None, tm=None):
        h = "article" if holder == "article" else {"start": holder.start, "end": holder.end}
        return {"doc_id": "d/1", "text_sha256": sha, "holder": h, "decision": decision, "target": target,
                "target_mention": tm}

    c_rows = [row(QUOTES[0], "favor", "الخطة الجاهزة"), row(QUOTES[1], "favor", "شراكة مصر"),
              row(QUOTES[2], "neutral", "المدرب"), row(QUOTES[3], "none"), row("article", "none")]
    return wf, gold, {A: [a], B: [b]}, c_rows


def test_vote_majority_targets_and_split(three):
    wf, gold, passes, c_rows = three
    third = wf.read_stance_pass(c_rows, [gold])
    (new,), votes = wf.vote_stances([gold], passes, third)
    by = {v["holder"]: v for v in votes}
    assert [(v["a"], v["b"], v["c"], v["result"], v["rule"]) for v in votes] == [
        ("favor", "favor", "favor", "favor", "unanimous"),
        ("none", "favor", "favor", "favor", "majority 2/3"),
        ("favor", "against", "neutral", "favor", "split: reviewer's gold"),
        ("none", "favor", "none", "none", "majority 2/3"),
        ("none", "none", "none", "none", "unanimous"),
    ]
    assert by["q4"]["no_quote_in_pass"] == ["annotator-a"]
    stances = {s.holder: s for s in new.stances}
    assert sorted(stances) == ["q1", "q2", "q3"]  # the reviewer's article stance is voted away
    assert stances["q1"].target == "الخطة" and by["q1"]["target_from"] == "reviewer"
    # no reviewed stance on q2: target and mention from the first agreeing annotator (b), mention re-id'd
    assert (stances["q2"].target, stances["q2"].target_mention, by["q2"]["target_from"]) == ("مصر", "m2", "annotator-b")
    assert stances["q3"].label == "favor" and by["q3"]["reviewer"] == "favor"
    assert new.entities == gold.entities and new.quotes == gold.quotes
    assert all(set(v) <= {"doc_id", "holder", "span", "a", "b", "c", "reviewer", "result", "rule", "target_from",
                          "no_quote_in_pass"} for v in votes)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"holder": {"start": 0, "end": 3}}, r"is no gold quote"),
        ({"decision": "support"}, r"decision 'support' is not one of"),
        ({"decision": "none"}, r"a stance needs a target and 'none' takes none"),
        ({"target_mention": {"start": _span("الوزير")[0], "end": _span("الوزير")[1]}}, r"not a gold mention inside"),
        ({"text_sha256": "0" * 64}, r"text_sha256 differs"),
        ({"doc_id": "d/2"}, r"doc_id 'd/2' is not in the gold"),
    ],
)
def test_read_stance_pass_names_the_line_and_the_fix(three, change, message):
    wf, gold, _, c_rows = three
    rows = [dict(c_rows[0], **change), *c_rows[1:]]
    with pytest.raises(ValueError, match=message) as error:
        wf.read_stance_pass(rows, [gold], where="c.jsonl")
    assert "c.jsonl:1:" in str(error.value)


def test_read_stance_pass_refuses_an_undecided_or_twice_decided_holder(three):
    wf, gold, _, c_rows = three
    with pytest.raises(ValueError, match=r"not decided \(fix: add a line, 'none' if no stance\)"):
        wf.read_stance_pass(c_rows[:-1], [gold])
    with pytest.raises(ValueError, match=r"c.jsonl:6: .*decided twice"):
        wf.read_stance_pass([*c_rows, c_rows[0]], [gold], where="c.jsonl")


def test_stance_pass_from_ids_converts_gold_ids_to_offsets(three):
    wf, gold, _, _ = three
    rows = [{"doc_id": "d/1", "holder": q.id, "decision": "none", "target": None, "target_mention": None}
            for q in QUOTES] + [{"doc_id": "d/1", "holder": "article", "decision": "none", "target": None,
                                 "target_mention": None}]
    rows[1].update(decision="favor", target="مصر", target_mention="m2")
    out = wf.stance_pass_from_ids(rows, [gold], C)
    assert out[1]["holder"] == {"start": QUOTES[1].start, "end": QUOTES[1].end}
    assert out[1]["target_mention"] == {"start": ENTITIES[1].start, "end": ENTITIES[1].end}
    with pytest.raises(ValueError, match=r"holder 'q9' is neither 'article' nor a gold quote id"):
        wf.stance_pass_from_ids([dict(rows[0], holder="q9"), *rows[1:]], [gold], C)


def test_stance_agreement_counts_none_as_a_category():
    wf = sv
    votes = [{"holder": "q1", "a": "favor", "b": "favor", "c": "none"},
             {"holder": "q2", "a": "none", "b": "none", "c": "none"},
             {"holder": "article", "a": "against", "b": "against", "c": "against"}]
    report = wf.stance_agreement(votes)
    expected = fleiss_kappa([[2, 0, 0, 1], [0, 0, 0, 3], [0, 3, 0, 0]])
    assert report["all holders"]["fleiss_kappa"] == round(expected, 4)
    assert report["all holders"]["unanimous"] == 2 and report["labelled (not none)"] == {"a": 2, "b": 2, "c": 1}
    assert report["articles"]["holders"] == 1


def test_committed_votes_follow_the_rule_and_match_the_gold(repo_root):
    wf = sv
    v01 = repo_root / "annotations" / "v0.1"
    if not (v01 / "stance-votes.jsonl").exists():
        pytest.skip("annotations/v0.1/stance-votes.jsonl is not committed yet")
    votes = [json.loads(line) for line in (v01 / "stance-votes.jsonl").read_text(encoding="utf-8").splitlines()]
    gold = [json.loads(line) for line in (v01 / "gold.standoff.jsonl").read_text(encoding="utf-8").splitlines()]
    quotes = sum(len(record["quotes"]) for record in gold)
    assert len(votes) == quotes + len(gold)  # every gold quote and every article, once
    for vote in votes:
        labels = [vote["a"], vote["b"], vote["c"]]
        top, n = Counter(labels).most_common(1)[0]
        assert vote["result"] == (top if n >= 2 else vote["reviewer"])
        assert vote["rule"] == {3: "unanimous", 2: "majority 2/3", 1: "split: reviewer's gold"}[n]
    stances = {(r["doc_id"], s["holder"]): s["label"] for r in gold for s in r["stances"]}
    assert stances == {(v["doc_id"], v["holder"]): v["result"] for v in votes if v["result"] != "none"}
    summary = json.loads((v01 / "adjudication-summary.json").read_text(encoding="utf-8"))
    assert summary["gold"]["stances"] == len(stances) == summary["stance_vote"]["stances_after"]
    committed = json.loads((v01 / "agreement-stance.json").read_text(encoding="utf-8"))
    assert committed["agreement"] == wf.stance_agreement(votes)
    third = [json.loads(line) for line in (v01 / "passes" / "annotator-c.stances.jsonl").read_text(
        encoding="utf-8").splitlines()]
    assert len(third) == len(votes) and {row["annotator"] for row in third} == {C}
    assert Counter(v["c"] for v in votes) == Counter(row["decision"] for row in third)


@pytest.mark.realdata
def test_vote_from_committed_standoffs_reproduces_the_gold(shared_data, repo_root):
    """Passes rehydrated → reviewer's decisions → vote with annotator-c = the committed gold stand-off."""
    from benchmark.standoff import to_standoff
    from benchmark.studio.adjudicate import adjudicate

    wf = load_script("v01_workflow")
    articles, by_annotator, _ = wf.passes_from_standoff(shared_data / "saudinewsnet", None, None)
    outcome = adjudicate(articles, rule="majority")
    decisions = wf.load_decisions(wf.V01 / "adjudication.jsonl")
    reviewed, _ = wf.apply_decisions(articles, outcome.conflicts, decisions, wf.LEAD, "annotator-b@khabar.local")
    third = wf.read_stance_pass(wf.read_jsonl_rows(wf.V01 / "passes" / "annotator-c.stances.jsonl"), reviewed)
    gold, votes = wf.vote_stances(reviewed, by_annotator, third)
    committed = (wf.V01 / "gold.standoff.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.dumps(to_standoff(a), ensure_ascii=False) for a in gold] == committed
    assert votes == [json.loads(line) for line in (wf.V01 / "stance-votes.jsonl").read_text(
        encoding="utf-8").splitlines()]


def test_stance_pass_from_own_quotes_matches_by_span_then_overlap(three):
    """A third pass on its own quote spans: exact span, else >= 50% overlap of the gold span, else none."""
    wf, gold, _, _ = three
    q1, q2, q3 = QUOTES[0], QUOTES[1], QUOTES[2]
    own_quotes = (
        Quote("c1", q1.start, q1.end, "indirect", cue=q1.cue),                      # exact span
        Quote("c2", q2.start, q2.start + (q2.end - q2.start) // 2 + 1, "indirect"),  # > half of q2
        Quote("c3", q3.start, q3.start + 2, "indirect"),                             # too little of q3
    )
    own = Article("d/1", TEXT, quotes=own_quotes,
                  stances=(Stance("s1", "c1", "الخطة", "favor"), Stance("s2", "c2", "مصر", "against"),
                           Stance("s3", "c3", "المدرب", "favor"), Stance("sa", "article", "الخطة", "neutral")),
                  provenance=Provenance(annotator=C))
    rows, stats = wf.stance_pass_from_own_quotes([own], [gold], C)
    assert [row["decision"] for row in rows] == ["favor", "against", "none", "none", "neutral"]
    assert rows[-1]["holder"] == "article" and rows[1]["target"] == "مصر"
    assert stats == {"gold quotes: exact span": 1, "gold quotes: overlap >= 50%": 1,
                     "gold quotes: no match (none)": 2, "own quotes matched to no gold quote": 1,
                     "own stances lost (quote unmatched)": 1}
    assert wf.read_stance_pass(rows, [gold])  # the committed format, every holder decided once
    with pytest.raises(ValueError, match=r"d/1: the stance pass's text differs from the gold's"):
        wf.stance_pass_from_own_quotes([own.replace(text=TEXT + " ")], [gold], C)
