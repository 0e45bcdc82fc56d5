"""`khabar validate` lists every problem of a broken copy; `khabar stats` prints the sample's counts."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from benchmark.cli import main

SAMPLE = Path(__file__).resolve().parents[2] / "annotations" / "gold" / "sample.json"
SAMPLE_JSONL = SAMPLE.with_name("sample.articles.jsonl")


def test_stats_on_bundled_sample_meets_the_issue_thresholds(capsys) -> None:
    assert main(["stats", str(SAMPLE), "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["articles"] == 2
    assert counts["entities"]["total"] >= 40
    assert counts["quotes"]["with_speaker"] >= 12
    assert counts["stances"]["total"] >= 4
    assert set(counts["entities"]["by_label"]) <= {"PER", "ORG", "LOC", "GPE", "DATE", "MISC"}


def test_stats_table_and_jsonl_agree(capsys) -> None:
    assert main(["stats", str(SAMPLE_JSONL)]) == 0
    table = capsys.readouterr().out
    assert "entities" in table and "quotes" in table and "stances" in table
    assert main(["stats", str(SAMPLE_JSONL), "--json"]) == 0
    from_jsonl = json.loads(capsys.readouterr().out)
    assert main(["stats", str(SAMPLE), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == from_jsonl


def test_validate_sample_is_clean(capsys) -> None:
    assert main(["validate", str(SAMPLE)]) == 0
    assert "OK" in capsys.readouterr().out
    assert main(["validate", str(SAMPLE_JSONL)]) == 0


def test_validate_lists_each_problem_of_a_broken_export(tmp_path, capsys) -> None:
    tasks = json.loads(SAMPLE.read_text(encoding="utf-8"))
    first = tasks[0]["annotations"][0]["result"]
    entity = next(r for r in first if r.get("from_name") == "entity")
    entity["value"]["end"] += 1                                   # misaligned: value.text ≠ text[start:end]
    other = [r for r in first if r.get("from_name") == "entity"][5]
    other["value"]["labels"] = ["PERSON"]                        # label not in the set
    relation = next(r for r in first if r.get("type") == "relation")
    relation["to_id"] = "ghost"                                  # relation to a missing region
    second = tasks[1]["annotations"][0]["result"]
    second[0]["value"]["start"] = 99_999                         # span outside the text
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")

    assert main(["validate", str(broken)]) == 1
    out = capsys.readouterr().out
    assert f"region {entity['id']}: value.text" in out
    assert f"region {other['id']}: entity label 'PERSON'" in out
    assert "region 'ghost', which is missing" in out
    assert "doc_id seed/un-security-council" in out and "outside the text" in out
    assert "problem(s)" in out.splitlines()[-1]


def test_validate_lists_each_problem_of_broken_jsonl(tmp_path, capsys) -> None:
    lines = SAMPLE_JSONL.read_text(encoding="utf-8").splitlines()
    first, second = json.loads(lines[0]), json.loads(lines[1])
    bad = copy.deepcopy(first)
    bad["entities"][0]["start"] = bad["entities"][0]["end"]       # empty span
    bad["quotes"][0]["speaker"] = "nobody"                        # dangling speaker
    second["stances"][0]["label"] = "maybe"                       # bad stance label
    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join([json.dumps(bad, ensure_ascii=False), "{oops",
                               json.dumps(second, ensure_ascii=False)]) + "\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "line 1: seed/vostochny: entities[0]" in out and "empty or reversed" in out
    assert "speaker 'nobody'" in out
    assert "line 2:" in out and "not valid JSON" in out
    assert "line 3: seed/un-security-council: stances[0]" in out and "'maybe'" in out
    assert "3 record(s) checked" in out


@pytest.mark.parametrize("name", ["missing.jsonl", "notes.txt"])
def test_validate_bad_path_or_kind_is_a_clear_error(tmp_path, capsys, name) -> None:
    path = tmp_path / name
    if name.endswith(".txt"):
        path.write_text("x")
    code = main(["validate", str(path)])
    captured = capsys.readouterr()
    assert code in (1, 2)
    assert "fix:" in captured.out + captured.err


def _sample_tasks() -> list:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def test_stats_lists_skipped_annotations_and_tasks(tmp_path, capsys) -> None:
    """A cancelled annotation beside a completed one, and a task with only a cancelled one: stats
    counts what is converted and names every skip (task, doc_id, annotation, why) on stderr."""
    tasks = _sample_tasks()
    extra = copy.deepcopy(tasks[0]["annotations"][0])
    extra.update(id=990, was_cancelled=True)
    tasks[0]["annotations"].append(extra)
    tasks[1]["annotations"][0]["was_cancelled"] = True
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    assert main(["stats", str(path), "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["articles"] == 1
    second = tasks[1]["annotations"][0]["id"]
    assert "notice: task 1, doc_id seed/vostochny, annotation 990: annotation by" in captured.err
    assert f"notice: task 2, doc_id seed/un-security-council, annotation {second}:" in captured.err
    assert "task has no completed annotation (1 cancelled annotation(s))" in captured.err


@pytest.mark.parametrize("command", ["validate", "stats", "annotate agreement"])
def test_deeply_nested_export_is_one_clear_error(tmp_path, capsys, command) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert main([*command.split(), str(path)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert "deep.json: item 0 (line 1, column 2) is nested deeper than the JSON reader allows" in (
        captured.out + captured.err)


def test_an_empty_file_never_validates_and_never_builds(tmp_path, capsys) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    assert main(["validate", str(empty)]) == 1
    assert "the file holds no articles" in capsys.readouterr().out
    assert main(["build", str(empty), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert "khabar: the input holds no articles" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"doc_id": "d", "text": "abc", "meta": {"w": NaN}}', "meta.w holds the number NaN"),
        ('{"doc_id": "d", "text": "ab\\ud800c"}', "text holds a lone surrogate"),
        ("[" * 50_000 + "]" * 50_000, "the record is nested deeper than the JSON reader allows"),
    ],
    ids=["nan", "lone-surrogate", "deep"],
)
def test_jsonl_values_that_cannot_be_written_back_are_problems(tmp_path, capsys, line, message) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"line 1: a.jsonl:1: line: {message}" in out
    assert main(["build", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert message in capsys.readouterr().err


def test_a_raw_export_with_two_annotators_is_counted_by_stats_and_refused_by_validate(tmp_path, capsys) -> None:
    """Several valid annotations of one task: not releasable (validate fails as build does), but
    stats still counts every annotator's article and says why it exits 1."""
    tasks = _sample_tasks()
    second = copy.deepcopy(tasks[0]["annotations"][0])
    second.update(id=991, completed_by={"email": "sara@example.org"})
    tasks[0]["annotations"].append(second)
    path = tmp_path / "raw.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    assert main(["stats", str(path), "--json"]) == 1
    captured = capsys.readouterr()
    counts = json.loads(captured.out)
    assert counts["articles"] == 3 and counts["annotators"]["sara@example.org"] == 1
    assert "task has 2 annotations completed" in captured.err and "khabar annotate adjudicate" in captured.err
    assert main(["validate", str(path)]) == 1


@pytest.mark.parametrize(("content", "message"), [
    ("[" * 100_000 + "]" * 100_000, "the agreement report is nested deeper than the JSON reader allows"),
    ('{"entities": {"f1": 0.9,}}', "the agreement report is not valid JSON ("),
])
def test_build_names_a_broken_agreement_report(tmp_path, capsys, content, message) -> None:
    report = tmp_path / "agreement.json"
    report.write_text(content, encoding="utf-8")
    code = main(["build", str(SAMPLE_JSONL), "--manifest", str(SAMPLE.parents[1] / "splits" / "manifest.json"),
                 "--out", str(tmp_path / "out"), "--agreement", str(report), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and f"agreement.json: {message}" in err and "fix:" in err and "Traceback" not in err


def test_validate_and_stats_accept_source_mentions_and_count_them_apart(tmp_path, capsys) -> None:
    from benchmark.io import write_articles

    from ..support import source_article

    path = tmp_path / "sources.jsonl"
    write_articles(path, [source_article()])
    assert main(["validate", str(path)]) == 0
    capsys.readouterr()
    assert main(["stats", str(path), "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["entities"]["total"] == 3 and "SOURCE" not in counts["entities"]["by_label"]
    assert counts["sources"] == {"total": 2, "clusters": 1}
    assert counts["quotes"]["by_speaker"] == {"entity/named": 1, "entity/elided": 0, "source/named": 2,
                                              "source/elided": 0, "none": 0}
    assert main(["validate", str(path), "--schema", "anercorp"]) == 1
    assert "khabar schema" in capsys.readouterr().out
