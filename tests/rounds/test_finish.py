"""``khabar round finish`` and :mod:`benchmark.rounds.decisions` / :mod:`benchmark.rounds.finish`."""

from __future__ import annotations

import json

import pytest

from benchmark.io import write_articles
from benchmark.model import Article, Mention, Provenance, Quote, Span, Stance
from benchmark.rounds.decisions import DecisionError, load_decisions

from ..support import run_cli

TEXT = "وقالت الشرطة في ولاية كاليفورنيا إن المرأة بخير. وأضاف الوزير أن الخطة جاهزة."
A, B = "annotator-a@khabar.local", "annotator-b@khabar.local"


def _span(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)




@pytest.fixture
def round_(tmp_path):
    """Two passes over two documents (the second agreed on), written as the pull writes them."""
    police, state, cal, minister = _span("الشرطة"), _span("ولاية كاليفورنيا"), _span("كاليفورنيا"), _span("الوزير")
    q1 = (_span("المرأة")[0], _span("بخير")[1])
    q2 = (_span("الخطة")[0], _span("جاهزة")[1])
    same = Article("d/2", "قال الوزير إن الخطة جاهزة.", entities=(Mention("m1", 4, 10, "PER"),))
    a = Article("d/1", TEXT, entities=(Mention("m1", *police, "ORG"), Mention("m2", *cal, "GPE"),
                                       Mention("m3", *minister, "PER")),
                quotes=(Quote("q1", *q1, "indirect", cue=Span(1, 5), speaker="m1"),
                        Quote("q2", *q2, "indirect", cue=Span(*_span("أضاف")), speaker="m3")),
                stances=(Stance("st-q2", "q2", "الخطة", "favor"),), provenance=Provenance(annotator=A))
    b = Article("d/1", TEXT, entities=(Mention("m1", *state, "GPE"), Mention("m2", *police, "ORG"),
                                       Mention("m3", *minister, "PER")),
                quotes=(Quote("q1", *q1, "indirect", cue=Span(1, 5), speaker=None),
                        Quote("q2", *q2, "indirect", cue=Span(*_span("أضاف")), speaker="m3")),
                stances=(Stance("st-q1", "q1", "سلامة المرأة", "neutral"), Stance("st-q2", "q2", "الخطة", "favor")),
                provenance=Provenance(annotator=B))
    write_articles(tmp_path / "a.jsonl", [a, same.replace(provenance=Provenance(annotator=A))])
    write_articles(tmp_path / "b.jsonl", [b, same.replace(provenance=Provenance(annotator=B))])
    return tmp_path


def _finish(tmp, *extra: str) -> tuple[int, str, str]:
    return run_cli(["round", "finish", "--pass", f"annotator-a={tmp / 'a.jsonl'}", "--pass",
                 f"annotator-b={tmp / 'b.jsonl'}", "--out", str(tmp / "v0.2"), "--work", str(tmp / "work"),
                 "--name", "Khabar v0.2", *extra])


def test_finish_refuses_undecided_conflicts_and_lists_them_to_fill_in(round_):
    code, _, errors = _finish(round_, "--decisions", str(round_ / "adjudication.jsonl"))
    assert code == 1
    assert "4 of 4 conflict(s) have no decision" in errors and "decisions-todo.jsonl" in errors
    todo = [json.loads(line) for line in (round_ / "work" / "decisions-todo.jsonl").read_text("utf-8").splitlines()]
    assert sorted(row["layer"] for row in todo) == ["entity", "entity", "quote speaker", "stance (quote)"]
    assert all(row["reason"] == "" and row["decision"] is None for row in todo)
    # the reports the reviewer reads are there (the committed one without text); no gold yet
    out = round_ / "v0.2"
    conflicts = json.loads((out / "conflicts.json").read_text("utf-8"))["conflicts"]
    assert len(conflicts) == 4 and all("surface" not in row for row in conflicts)
    assert (out / "conflicts.md").read_text("utf-8").startswith(
        "# Khabar v0.2 — adjudication conflicts (annotator-a × annotator-b)")
    assert "المرأة بخير" in (round_ / "work" / "conflicts.md").read_text("utf-8")  # a quote, with its text
    assert "المرأة بخير" not in (out / "conflicts.md").read_text("utf-8")
    assert not (out / "gold.standoff.jsonl").exists()
    with pytest.raises(DecisionError, match=r"decisions-todo.jsonl:1: .* reason '' must be one non-empty line"):
        load_decisions(round_ / "work" / "decisions-todo.jsonl")  # unfilled lines are never taken as decisions


def _decide(round_, reasons: dict[str, str] | None = None) -> list[dict]:
    """Fill the to-do list: keep A's speaker and state span, drop the bare name, drop B's q1 stance."""
    _finish(round_)
    rows = [json.loads(line) for line in (round_ / "work" / "decisions-todo.jsonl").read_text("utf-8").splitlines()]
    cal, state = list(_span("كاليفورنيا")), list(_span("ولاية كاليفورنيا"))
    for row in rows:
        if row["layer"] == "entity":
            row["decision"] = "GPE" if [row["start"], row["end"]] == state else None
        elif row["layer"] == "quote speaker":
            row["decision"] = {"start": _span("الشرطة")[0], "end": _span("الشرطة")[1]}
        row["reason"] = (reasons or {}).get(row["layer"], "§3.2: the division name includes ولاية")
    assert cal != state
    path = round_ / "adjudication.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    return rows


def test_finish_with_every_conflict_decided_writes_textless_standoffs(round_):
    _decide(round_)
    code, printed, errors = _finish(round_, "--decisions", str(round_ / "adjudication.jsonl"))
    assert code == 0, errors
    assert "4 conflict(s): 4 reviewed, 0 ruled" in printed
    out = round_ / "v0.2"
    summary = json.loads((out / "adjudication-summary.json").read_text("utf-8"))
    assert summary["gold"] == {"articles": 2, "entities": 4, "quotes": 2, "quotes_with_speaker": 2, "stances": 1}
    assert summary["rule"].startswith("every conflict decided by the reviewer")
    gold = [json.loads(line) for line in (out / "gold.standoff.jsonl").read_text("utf-8").splitlines()]
    assert [g["doc_id"] for g in gold] == ["d/1", "d/2"]
    assert sorted((m["start"], m["end"], m["label"]) for m in gold[0]["entities"]) == [
        (*_span("الشرطة"), "ORG"), (*_span("ولاية كاليفورنيا"), "GPE"), (*_span("الوزير"), "PER")]
    assert sorted(p.name for p in (out / "passes").iterdir()) == ["annotator-a.standoff.jsonl",
                                                                  "annotator-b.standoff.jsonl"]
    for path in out.rglob("*"):
        if path.is_file():
            assert "المرأة بخير" not in path.read_text("utf-8"), path  # no corpus text (a quote) committed
    assert "المرأة بخير" in (round_ / "work" / "gold.articles.jsonl").read_text("utf-8")
    versus = json.loads((out / "agreement-vs-gold.json").read_text("utf-8"))
    assert versus and json.loads((out / "agreement.json").read_text("utf-8"))


def test_a_decision_without_a_reason_or_matching_no_conflict_is_refused_by_line(round_):
    _decide(round_, reasons={"quote speaker": "  "})
    code, _, errors = _finish(round_, "--decisions", str(round_ / "adjudication.jsonl"))
    assert code == 1 and "adjudication.jsonl:" in errors and "quote speaker: reason '  ' must be one" in errors
    rows = _decide(round_)
    rows.append(dict(rows[0], start=0, end=3))
    (round_ / "adjudication.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                               encoding="utf-8")
    code, _, errors = _finish(round_, "--decisions", str(round_ / "adjudication.jsonl"))
    assert code == 1 and "1 decision(s) match no conflict" in errors and "('d/1', 'entity', 0, 3)" in errors
    (round_ / "adjudication.jsonl").write_text('{"doc_id": "d/1"\n', encoding="utf-8")
    code, _, errors = _finish(round_, "--decisions", str(round_ / "adjudication.jsonl"))
    assert code == 1 and "adjudication.jsonl:1: not JSON" in errors


def test_lead_decides_the_rest_is_v01s_rule(round_):
    code, printed, errors = _finish(round_, "--lead-decides-the-rest", "--lead", "annotator-a")
    assert code == 0, errors
    assert "4 conflict(s): 0 reviewed, 4 ruled" in printed
    summary = json.loads((round_ / "v0.2" / "adjudication-summary.json").read_text("utf-8"))
    assert summary["rule"].startswith(f"unreviewed conflicts: lead {A}")
    assert summary["gold"]["entities"] == 3 + 1  # A's mentions in d/1, the agreed one in d/2


def test_passes_that_differ_in_documents_or_annotator_are_refused(round_):
    lines = (round_ / "b.jsonl").read_text("utf-8").splitlines()
    (round_ / "b.jsonl").write_text(lines[0] + "\n", encoding="utf-8")
    code, _, errors = _finish(round_)
    assert code == 1 and f"{B}: d/2: not in this pass" in errors
    code, _, errors = run_cli(["round", "finish", "--pass", f"annotator-c={round_ / 'a.jsonl'}", "--pass",
                            f"annotator-b={round_ / 'a.jsonl'}", "--out", str(round_ / "o"), "--work",
                            str(round_ / "w")])
    assert code == 1 and f"annotator-c@khabar.local: d/1: annotated by '{A}'" in errors
    code, _, errors = run_cli(["round", "finish", "--pass", "annotator-a", "--out", "o", "--work", "w"])
    assert code == 2 and "must be NAME=ARTICLES.jsonl" in errors


def test_pre_annotations_are_compared_with_the_gold(round_):
    """The anchoring check: the pushed pre-annotation (as pull writes it) is a row of agreement-vs-gold."""
    prediction = Article("d/1", TEXT, entities=(Mention("m1", *_span("الشرطة"), "ORG"),))
    write_articles(round_ / "pred.jsonl", [prediction])
    code, _, errors = _finish(round_, "--lead-decides-the-rest", "--predictions", str(round_ / "pred.jsonl"),
                              "--model-version", "crf-0.1")
    assert code == 0, errors
    versus = (round_ / "v0.2" / "agreement-vs-gold.md").read_text("utf-8")
    assert "model:crf-0.1" in versus and A in versus
    assert "model:crf-0.1" in json.dumps(json.loads((round_ / "v0.2" / "agreement-vs-gold.json").read_text("utf-8")))


def test_a_coreference_decision_must_say_same_or_not(tmp_path):
    row = {"doc_id": "d/1", "layer": "coreference", "start": None, "end": None, "options": {},
           "decision": {"pair": [[0, 3], [10, 13]], "same": None}, "reason": "§6: the same minister"}
    path = tmp_path / "adjudication.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(DecisionError, match=r"adjudication.jsonl:1: d/1 coreference: decision .* \"same\": true"):
        load_decisions(path)
    path.write_text(json.dumps(dict(row, decision={"pair": [[0, 3], [10, 13]], "same": True})) + "\n", "utf-8")
    assert list(load_decisions(path)) == [("d/1", "coreference", None, None, ((0, 3), (10, 13)))]


@pytest.mark.parametrize(("layer", "decision", "expected"), [
    ("quote speaker", [4, 9], r'\{"start": S, "end": E\}'),  # the speaker is an object, the cue a list
    ("quote cue", {"start": 1, "end": 4}, r"\[start, end\] or null"),
    ("quote speaker_elided", "yes", "true or false"),
    ("quote", {"take": "annotator-a@x"}, r'\{"take": ANNOTATOR, "kind": KIND\} or "drop"'),
    ("stance target", "", "the target text to keep"),
    ("stance target_mention", [9, 4], r"\[start, end\] or null"),
    ("speaker", None, "a decision of a known layer"),
])
def test_a_decision_of_the_wrong_form_is_refused_by_line_with_the_form_it_needs(tmp_path, layer, decision, expected):
    good = {"doc_id": "d/1", "layer": "entity", "start": 0, "end": 3, "options": {}, "decision": "PER",
            "reason": "§3.5: a person"}
    bad = dict(good, layer=layer, start=12, end=30, decision=decision)
    path = tmp_path / "adjudication.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(DecisionError, match=rf"adjudication.jsonl:2: d/1 {layer} \[12, 30\): decision .* must be "
                                            rf"{expected}.*\(fix: "):
        load_decisions(path)


def test_round_agreement_over_the_documents_the_passes_share(round_):
    """The from-scratch pair covers only some documents: agreement is over those both have."""
    lines = (round_ / "b.jsonl").read_text("utf-8").splitlines()
    (round_ / "b.jsonl").write_text(lines[0] + "\n", encoding="utf-8")  # B has d/1 only
    out = round_ / "v0.2" / "agreement-from-scratch.json"
    code, printed, errors = run_cli(["round", "agreement", "--pass", f"annotator-a={round_ / 'a.jsonl'}",
                                  "--pass", f"annotator-b={round_ / 'b.jsonl'}", "--out", str(out),
                                  "--name", "Khabar v0.2"])
    assert code == 0, errors
    (pair,) = json.loads(out.read_text("utf-8"))["pairs"]
    assert pair["documents"] == 1 and pair["entities"]["strict"]["f1"] == pytest.approx(2 * 2 / (3 + 3), abs=1e-4)
    assert out.with_suffix(".md").read_text("utf-8").startswith(
        "# Khabar v0.2 — agreement (annotator-a × annotator-b, 1 shared document(s))")
    assert "1 document(s) in every pass" in printed


def test_finish_checks_the_passes_against_the_selection(round_):
    from benchmark.standoff import sha256_text

    rows = [{"doc_id": "d/1", "sha256": sha256_text(TEXT)},
            {"doc_id": "d/2", "sha256": sha256_text("قال الوزير إن الخطة جاهزة.")},
            {"doc_id": "d/3", "sha256": "0" * 64}]
    selection = round_ / "selection.json"
    selection.write_text(json.dumps({"articles": rows}), encoding="utf-8")
    code, printed, errors = _finish(round_, "--lead-decides-the-rest", "--selection", str(selection))
    assert code == 0, errors
    assert "note: 1 selected document(s) are not annotated yet, e.g. ['d/3']" in printed
    rows[0]["sha256"] = "f" * 64
    selection.write_text(json.dumps({"articles": rows[:1]}), encoding="utf-8")
    code, _, errors = _finish(round_, "--lead-decides-the-rest", "--selection", str(selection))
    assert code == 1
    assert "d/1: the annotated text differs from the selected one" in errors
    assert "d/2: not in the selection" in errors


def test_finish_checks_every_pass_s_stance_targets_against_the_inventory(round_):
    targets = round_ / "targets.jsonl"
    targets.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in [
        {"id": "T0001", "topic": "security", "target": "خطة الطوارئ", "kind": "policy"},
        {"id": "T0002", "topic": "security", "target": "سلامة المرأة", "kind": "practice"}]), encoding="utf-8")
    topics = round_ / "article-topics.jsonl"
    topics.write_text("".join(json.dumps({"doc_id": d, "topic": "security", "main_target": "T0001"}) + "\n"
                              for d in ("d/1", "d/2")), encoding="utf-8")
    code, _, errors = _finish(round_, "--lead-decides-the-rest", "--targets", str(targets), "--topics", str(topics))
    assert code == 1  # both passes typed 'الخطة' for q2: named per annotator, with the closest entry
    assert (f"d/1: stance 'st-q2' ({A}): 'الخطة' is not in the inventory of topic 'security' "
            "(closest: T0001 'خطة الطوارئ')") in errors
    assert f"stance 'st-q2' ({B})" in errors and "'st-q1'" not in errors  # B's q1 target is an entry
    assert not (round_ / "v0.2").exists()
    code, _, errors = _finish(round_, "--lead-decides-the-rest", "--targets", str(targets))
    assert code == 2 and "--topics and --targets go together" in errors
    for name in ("a.jsonl", "b.jsonl"):
        path = round_ / name
        path.write_text(path.read_text("utf-8").replace('"الخطة"', '"خطة الطوارئ"'), encoding="utf-8")
    code, _, errors = _finish(round_, "--lead-decides-the-rest", "--targets", str(targets), "--topics", str(topics))
    assert code == 0, errors


def test_finish_records_the_guidelines_version_the_passes_followed(round_):
    """A Label Studio export carries no guidelines version: finish records the round's (default: current)."""
    from benchmark.schema import GUIDELINES_VERSION

    def gold_versions(out):
        lines = (round_ / out / "gold.articles.jsonl").read_text("utf-8").splitlines()
        return {json.loads(line)["provenance"]["guidelines_version"] for line in lines}

    _decide(round_)
    decisions = str(round_ / "adjudication.jsonl")
    assert _finish(round_, "--decisions", decisions)[0] == 0
    assert gold_versions("work") == {GUIDELINES_VERSION}
    standoff = (round_ / "v0.2" / "gold.standoff.jsonl").read_text("utf-8")
    assert f'"guidelines_version": "{GUIDELINES_VERSION}"' in standoff
    code, _, errors = run_cli(["round", "finish", "--pass", f"annotator-a={round_ / 'a.jsonl'}", "--pass",
                               f"annotator-b={round_ / 'b.jsonl'}", "--out", str(round_ / "old"), "--work",
                               str(round_ / "work-old"), "--decisions", decisions, "--guidelines", "1.1"])
    assert code == 0, errors
    assert gold_versions("work-old") == {"1.1"}


def test_every_conflict_layer_has_a_decision_form():
    from benchmark.rounds.decisions import _SHAPES, LAYER_ORDER

    assert tuple(_SHAPES) == LAYER_ORDER  # a new layer needs its decision form (decision_shape_problem)
