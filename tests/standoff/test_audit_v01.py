"""scripts/audit_v01_rounds.py: the pure helpers, and the whole audit on a tiny corpus the test writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..support import load_script


@pytest.fixture(scope="module")
def audit():
    return load_script("audit_v01_rounds")


def test_disagreement_kinds_counts_each_unmatched_mention_once_per_pass(audit):
    a = [(0, 3, "PER"), (5, 9, "GPE"), (20, 30, "ORG"), (50, 52, "DATE")]
    b = [(0, 3, "PER"), (5, 9, "LOC"), (22, 30, "ORG"), (40, 44, "DATE")]
    kinds = audit.disagreement_kinds(a, b)
    assert kinds == {"label": 2, "boundary": 2, "a_only": 1, "b_only": 1}
    assert audit.disagreement_kinds(a, a) == {}


def test_f1_and_strict_counts(audit):
    assert audit.strict_counts([(1, 2, "X"), (1, 2, "X")], [(1, 2, "X")]) == (1, 1, 1)
    assert audit.f1(0, 0, 0) == 1.0
    assert audit.f1(1, 2, 2) == 0.5


def test_text_measures(audit):
    line = "a note line that is long enough to count"
    assert audit.shared_lines(line + "\nshort", "short\n" + line) == (1, 1)
    assert audit.ngram_jaccard("one two three four five", "one two three four five") == 1.0
    assert audit.ngram_jaccard("one two", "one two") == 0.0  # no 5-gram at all
    assert audit.text_similarity("same", "same") == 1.0


def test_blocks_by_doc_splits_at_each_named_document(audit):
    script = 'X = 1\nA("doc/1", E=[("PER", "x")])\nA("doc/2", E=[])\n'
    blocks = audit.blocks_by_doc(script, ["doc/2", "doc/1", "doc/3"])
    assert set(blocks) == {"doc/1", "doc/2"}
    assert blocks["doc/1"].startswith("doc/1") and "doc/2" not in blocks["doc/1"]


def test_resample_share_and_nearest_matches(audit):
    perfect, poor = (5, 5, 5), (0, 5, 5)
    assert audit.resample_share_at_least([perfect] * 4, 2, 0.99, 50) == 1.0
    assert audit.resample_share_at_least([poor] * 4, 2, 0.5, 50) == 0.0
    share = audit.resample_share_at_least([perfect, poor, perfect, poor], 2, 0.99, 2000, seed=1)
    assert 0.05 < share < 0.3  # only the pair of the two perfect documents (1 of 6)
    assert audit.nearest_matches([(10.0,), (1.0,)], [(1.2,), (9.0,), (10.5,)]) == [2, 0]


def test_decision_table_rows_and_sections(audit):
    guidelines = "\n".join([
        "## 7. Decisions table", "| case | rule | § | v01 |", "|---|---|---|---|",
        "| `x` | y | 3.2 | B |", "| `z` | w | 5.3.1, 5.4 | both |", "| q | r | 1.5 | neither (both did x) |",
        "## 8. Checklist", "| a | b | 9.9 | A |",
    ])
    rows = [("3.2", "B"), ("5.3.1, 5.4", "both"), ("1.5", "neither (both did x)")]
    assert audit.decision_table_rows(guidelines) == rows
    assert audit.sections_of("§3.2/§5.3.1 (v1.1)") == {"3.2", "5.3.1"}


def _standoff(doc_id: str, entities, quotes=(), length=100, source="outlet"):
    return {
        "doc_id": doc_id, "text_length": length, "source": source,
        "entities": [{"id": f"m{i}", "start": s, "end": e, "label": lab, "cluster": f"m{i}"}
                     for i, (s, e, lab) in enumerate(entities, 1)],
        "quotes": [{"id": f"q{i}", "start": s, "end": e, "kind": k} for i, (s, e, k) in enumerate(quotes, 1)],
    }


def _write_jsonl(path: Path, records) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _pass_folder(folder: Path, docs: dict[str, list], script_glob_name: str) -> None:
    """A pass folder as the audit reads it: notes, build.py, render.py, one script, locators + articles."""
    folder.mkdir(parents=True)
    (folder / "notes.md").write_text(f"# notes of {folder.name}\nsome remark that is long enough to be a line\n")
    (folder / "build.py").write_text("print('build')\n")
    (folder / "render.py").write_text("print('render')\n")
    (folder / script_glob_name).write_text("".join(f'A("{d}", E={ents!r})\n' for d, ents in docs.items()))
    locators, articles = [], []
    for doc_id, ents in docs.items():
        locators.append({"doc_id": doc_id, "entities": [
            {"id": f"m{i}", "label": lab, "at": at, **({"n": 1} if "[" not in at else {})}
            for i, (_, _, lab, at) in enumerate(ents, 1)], "quotes": [], "stances": []})
        articles.append({"doc_id": doc_id, "entities": [
            {"id": f"m{i}", "start": s, "end": e} for i, (s, e, _, _) in enumerate(ents, 1)], "quotes": []})
    _write_jsonl(folder / "locators.jsonl", locators)
    _write_jsonl(folder / "articles.jsonl", articles)


@pytest.fixture
def tiny(tmp_path):
    """Three documents: two in round 1 (the passes disagree on a boundary), one in round 2 (identical)."""
    ids = ["t/1", "t/2", "t/3"]
    a = {"t/1": [(0, 5, "PER", "name"), (10, 14, "GPE", "ب[لد]")], "t/2": [(0, 4, "DATE", "date")],
         "t/3": [(2, 6, "ORG", "org")]}
    b = {"t/1": [(0, 5, "PER", "name"), (9, 14, "GPE", "بلد")], "t/2": [(0, 4, "DATE", "date")],
         "t/3": [(2, 6, "ORG", "org")]}
    selection = tmp_path / "selection.json"
    selection.write_text(json.dumps({"articles": [{"doc_id": d} for d in ids]}))
    paths = {}
    for who, spans in (("a", a), ("b", b)):
        paths[who] = _write_jsonl(tmp_path / f"{who}.jsonl", [_standoff(d, [s[:3] for s in spans[d]]) for d in ids])
    paths["gold"] = _write_jsonl(tmp_path / "gold.jsonl", [_standoff(d, [s[:3] for s in a[d]]) for d in ids])
    paths["crf"] = _write_jsonl(tmp_path / "crf.jsonl", [
        {"doc_id": "t/1", "entities": [{"start": 0, "end": 5, "label": "PER"}]},
        {"doc_id": "t/2", "entities": []}, {"doc_id": "t/3", "entities": [{"start": 2, "end": 6, "label": "ORG"}]}])
    paths["adjudication"] = _write_jsonl(tmp_path / "adjudication.jsonl", [
        {"doc_id": "t/1", "layer": "entity", "start": 9, "end": 14, "reason": "§3.7: proclitic out"}])
    guidelines = tmp_path / "guidelines.md"
    guidelines.write_text("## 7. Decisions\n| case | rule | § | v01 |\n|---|---|---|---|\n| لل | x | 3.7 | B |\n## 8.")
    work = tmp_path / "work"
    for pass_name, spans, script in (("passA", a, "ann01.py"), ("passB", b, "specs_01.py")):
        _pass_folder(work / pass_name, {d: spans[d] for d in ids[:2]}, script)
        _pass_folder(work / pass_name / "extra", {d: spans[d] for d in ids[2:]}, script)
    argv = ["--selection", str(selection), "--pass-a", str(paths["a"]), "--pass-b", str(paths["b"]),
            "--gold", str(paths["gold"]), "--crf", str(paths["crf"]), "--adjudication", str(paths["adjudication"]),
            "--guidelines", str(guidelines), "--work", str(work), "--round1", "2", "--resamples", "20"]
    return argv, tmp_path


def test_the_whole_audit_on_a_tiny_corpus(audit, tiny, capsys):
    argv, tmp_path = tiny
    out_json = tmp_path / "audit.json"
    assert audit.main([*argv, "--json", str(out_json)]) == 0
    report = json.loads(out_json.read_text())
    round1, round2 = report["agreement"]["round1"], report["agreement"]["round2"]
    assert round1["entity_strict_f1"] == pytest.approx(2 * 2 / 6, abs=1e-3)
    assert round1["disagreement_shares"] == {"boundary": 1.0}
    assert round2["entity_strict_f1"] == 1.0
    assert round1["stance_holders_both_labelled_of_either"] is None  # no stances in the tiny corpus
    # random one-document sets of round 1: t/1 (F1 0.5) never reaches round 2's 1.0, t/2 (F1 1.0) does
    assert 0.0 < report["difficulty"]["round1_random_20_reaching_round2_f1"]["share"] < 1.0
    median, p95, top = report["difficulty"]["round1_random_20_f1_median_p95_max"]
    assert 0.5 <= median <= p95 <= top == 1.0
    guidelines = report["guidelines"]
    assert guidelines["rows_by_v01_column"] == {"B": 1}
    assert guidelines["round1"]["citing_a_split_ruling_section"] == 1
    assert guidelines["round2"]["adjudication_lines"] == 0
    files = report["working_files"]
    assert files["round1"]["cross_references_to_the_other_pass_folder"] == 0
    assert files["round1"]["same_span_mentions_with_identical_locator"] == 1.0  # the two same-span mentions
    assert files["round1"]["entity_locator_lines_identical"] == pytest.approx(2 / 3, abs=1e-3)
    assert files["round2"]["entity_locator_lines_identical"] == 1.0
    assert files["round1"]["same_document_order"] is True
    assert report["crf"]["round2"]["a_vs_crf_f1"] == 1.0
    printed = capsys.readouterr().out
    assert "== agreement" in printed and "entity_strict_f1: 1.0" in printed


def test_a_missing_file_is_named_with_the_fix(audit, tiny, capsys):
    argv, tmp_path = tiny
    missing = tmp_path / "nowhere.jsonl"
    argv[argv.index("--crf") + 1] = str(missing)
    assert audit.main(argv) == 2
    error = capsys.readouterr().err
    assert str(missing) in error and "fix:" in error
