"""A catalogue of malformed Label Studio exports: each gets a clear message naming the item and the
fix, and ``khabar validate`` and ``khabar build`` agree on every one (validate fails ⇔ build
refuses; a notice in one is a notice in the other), so validate never passes what build refuses.

Each case starts from a valid two-task export (``cat/1``, ``cat/2``: every layer, see
``conftest.sample_article``) and breaks one thing. Kinds:

- ``problem``: validate exits 1 and build exits 2, both naming the item and the fix;
- ``notice``: skipped on purpose (cancelled, predictions only, no annotation): validate exits 0 and
  build exits 0, both printing a notice naming the task, the annotation and why;
- ``ok``: odd but valid (a BOM): both pass.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from benchmark.cli import main
from benchmark.release.splits import Assignment, Manifest
from benchmark.studio.convert import articles_to_export

from .conftest import sample_article

Tasks = list[dict[str, Any]]
LONE = "\ud800"  # half of a UTF-16 pair: not encodable as UTF-8


def _base() -> Tasks:
    return articles_to_export([sample_article("cat/1"), sample_article("cat/2", annotation_id="12")])


def _result(tasks: Tasks, task: int = 0) -> list[dict[str, Any]]:
    return tasks[task]["annotations"][0]["result"]


def _region(tasks: Tasks, rid: str, name: str | None = None) -> dict[str, Any]:
    return next(r for r in _result(tasks) if r.get("id") == rid and (name is None or r["from_name"] == name))


def _relation(tasks: Tasks, from_id: str, label: str) -> dict[str, Any]:
    return next(r for r in _result(tasks) if r.get("from_id") == from_id and r["labels"] == [label])


def _set(tasks: Tasks, change: Callable[[Tasks], Any]) -> Tasks:
    change(tasks)
    return tasks


def _annotation(tasks: Tasks, task: int = 0) -> dict[str, Any]:
    return tasks[task]["annotations"][0]


def _second_annotation(tasks: Tasks, **changes: Any) -> Tasks:
    extra = copy.deepcopy(_annotation(tasks))
    extra.update(changes)
    tasks[0]["annotations"].append(extra)
    return tasks


def _json_min(tasks: Tasks) -> list[dict[str, Any]]:
    """What Label Studio's JSON-MIN export of these tasks looks like: flat, no 'data', no relations."""
    return [
        {"id": t["id"], **{k: v for k, v in t["data"].items() if k != "meta"}, "annotator": "ali@example.org",
         "annotation_id": t["annotations"][0]["id"], "entity": [{"start": 5, "end": 10, "text": "بوتين",
                                                                  "labels": ["PER"]}], "lead_time": 12.5}
        for t in tasks
    ]


def _csv(tasks: Tasks) -> str:
    return "id,doc_id,text,entity\n" + "".join(f'{t["id"]},{t["data"]["doc_id"]},"{t["data"]["text"]}",[]\n'
                                                  for t in tasks)


def _truncated(tasks: Tasks) -> str:
    text = json.dumps(tasks, ensure_ascii=False, indent=1)
    return text[: len(text) // 2]


def _pop(mapping: dict[str, Any], key: str) -> None:
    mapping.pop(key)


# name, make (base tasks → the file's content: JSON value, str or bytes), kind, fragments every output shows
CASES: list[tuple[str, Callable[[Tasks], Any], str, tuple[str, ...]]] = [
    # ---- the file as a whole
    ("empty-list", lambda t: [], "problem", ("holds no tasks", "fix:")),
    ("empty-file", lambda t: "", "problem", ("the file is empty", "choosing the JSON format")),
    ("object-not-list", lambda t: {"tasks": t}, "problem", ("expected a JSON list", "holds a JSON object")),
    ("jsonl-named-json", lambda t: "\n".join(json.dumps(x) for x in t), "problem", ("name it .jsonl",)),
    ("csv-by-mistake", _csv, "problem", ("looks like CSV", "choosing the JSON format")),
    ("json-min", _json_min, "problem", ("item 0 (line 1, column 2)", "JSON-MIN", "choosing 'JSON'")),
    ("truncated", _truncated, "problem", ("item 1 is not valid JSON", "at line", "column", "cut short")),
    ("deeply-nested", lambda t: "[" * 100_000 + "]" * 100_000, "problem",
     ("item 0 (line 1, column 2) is nested deeper", "export again")),
    ("not-utf8", lambda t: json.dumps(t, ensure_ascii=False).replace("موسكو", "Moscou").encode().replace(
        b"Moscou", b"Mosc\xe9u"), "problem", ("not UTF-8 text", "at byte")),
    ("missing-comma", lambda t: json.dumps(t[0]).join(["[", " " + json.dumps(t[1]) + "]"]), "problem",
     ("item 1: expected ',' or ']'", "line 1")),
    ("item-is-a-list", lambda t: [t], "problem", ("item 0 (line 1, column 2)", "the item is a list")),
    ("data-is-a-string", lambda t: _set(t, lambda t: t[0].update(data="text")), "problem",
     ("task 1", "'data' is a str")),
    ("bom", lambda t: "\ufeff" + json.dumps(t, ensure_ascii=False), "ok", ()),
    # ---- task data
    ("no-text", lambda t: _set(t, lambda t: _pop(t[0]["data"], "text")), "problem",
     ("task 1, doc_id cat/1", "task data has no 'text' string", "data.text")),
    ("reserved-id-key", lambda t: _set(t, lambda t: t[0]["data"].update(id=7)), "problem",
     ("task 1, doc_id cat/1", "reserved key 'id'", "rename it to 'doc_id'")),
    ("unknown-data-key", lambda t: _set(t, lambda t: t[1]["data"].update(colour="red")), "problem",
     ("task 2, doc_id cat/2", "unknown task data key 'colour'", "data.meta")),
    ("doc-id-in-two-tasks", lambda t: _set(t, lambda t: t[1]["data"].update(doc_id="cat/1")), "problem",
     ("task 2, doc_id cat/1", "is also the doc_id of task 1", "one task per article")),
    ("task-id-twice", lambda t: _set(t, lambda t: t[1].update(id=1)), "problem",
     ("task id 1 is used twice (items 0 and 1)", "export the project again")),
    ("lone-surrogate-in-text", lambda t: _set(t, lambda t: t[0]["data"].update(text=t[0]["data"]["text"] + LONE)),
     "problem", ("task 1, doc_id cat/1", "field data.text holds a lone surrogate", "valid Unicode")),
    ("lone-surrogate-in-title", lambda t: _set(t, lambda t: t[1]["data"].update(title="x" + LONE)), "problem",
     ("task 2, doc_id cat/2", "field data.title holds a lone surrogate",)),
    ("lone-surrogate-in-stance-target",
     lambda t: _set(t, lambda t: _region(t, "q1", "quote_stance_target")["value"].update(text=["x" + LONE])),
     "problem", ("task 1, doc_id cat/1, annotation 11", "annotations[0].result[7].value.text[0] holds a lone")),
    ("nan-lead-time", lambda t: _set(t, lambda t: _annotation(t).update(lead_time=float("nan"))), "problem",
     ("task 1, doc_id cat/1, annotation 11", "annotations[0].lead_time holds the number NaN", "finite number")),
    ("infinity-in-meta", lambda t: _set(t, lambda t: t[1]["data"]["meta"].update(weight=float("inf"))), "problem",
     ("task 2, doc_id cat/2", "data.meta.weight holds the number Infinity")),
    ("text-not-a-string", lambda t: _set(t, lambda t: t[1]["data"].update(text=42)), "problem",
     ("task 2, doc_id cat/2", "task data has no 'text' string")),
    # ---- annotations
    ("annotations-not-a-list", lambda t: _set(t, lambda t: t[0].update(annotations=3.5)), "problem",
     ("task 1, doc_id cat/1", "task annotations must be a list, got float")),
    ("annotation-id-twice-in-a-task", lambda t: _second_annotation(t), "problem",
     ("task 1, doc_id cat/1, annotation 11", "annotation id 11 is used twice in this task")),
    ("annotation-id-in-two-tasks", lambda t: _set(t, lambda t: _annotation(t, 1).update(id=11)), "problem",
     ("task 2, doc_id cat/2, annotation 11", "annotation id 11 is also used in task 1")),
    ("two-annotators-not-adjudicated",
     lambda t: _second_annotation(t, id=99, completed_by={"email": "sara@example.org"}), "problem",
     ("task 1, doc_id cat/1", "2 annotations completed", "annotation 99 by sara@example.org",
      "khabar annotate adjudicate")),
    ("annotation-not-an-object", lambda t: _set(t, lambda t: t[1]["annotations"].append("oops")), "problem",
     ("task 2, doc_id cat/2", "annotation is not an object")),
    ("result-not-a-list", lambda t: _set(t, lambda t: _annotation(t).update(result={"id": "m1"})), "problem",
     ("task 1, doc_id cat/1, annotation 11", "result must be a list of regions, got dict")),
    ("cancelled-only", lambda t: _set(t, lambda t: _annotation(t).update(was_cancelled=True)), "notice",
     ("task 1, doc_id cat/1, annotation 11", "was cancelled", "task has no completed annotation (1 cancelled")),
    ("cancelled-beside-completed", lambda t: _second_annotation(t, id=99, was_cancelled=True), "notice",
     ("task 1, doc_id cat/1, annotation 99", "annotation by ali@example.org was cancelled")),
    ("predictions-only",
     lambda t: _set(t, lambda t: t[1].update(annotations=[], predictions=[{"id": 5, "result": _result(t)}])),
     "notice", ("task 2, doc_id cat/2", "1 prediction(s) only, which are not annotations")),
    ("no-annotations", lambda t: _set(t, lambda t: t[1].update(annotations=[])), "notice",
     ("task 2, doc_id cat/2", "task has no completed annotation (no annotations)")),
    ("all-cancelled",
     lambda t: _set(t, lambda t: [a.update(was_cancelled=True) for task in t for a in task["annotations"]]),
     "problem", ("none of its 2 task(s) has a completed annotation", "annotate the tasks")),
    # ---- regions
    ("offset-not-an-integer", lambda t: _set(t, lambda t: _region(t, "m1")["value"].update(start="5")), "problem",
     ("task 1, doc_id cat/1, annotation 11, region m1", "value.start/end must be integers", "select the text")),
    ("offset-out-of-range", lambda t: _set(t, lambda t: _region(t, "m2")["value"].update(end=9_999)), "problem",
     ("region m2", "span [14, 9999) is empty or outside the text (length 104)")),
    ("empty-span", lambda t: _set(t, lambda t: _region(t, "m2")["value"].update(end=14)), "problem",
     ("region m2", "span [14, 14) is empty")),
    ("text-differs-from-offsets", lambda t: _set(t, lambda t: _region(t, "m1")["value"].update(text="بوتن")),
     "problem", ("region m1", "value.text 'بوتن' is not text[5:10]", "re-import the original text")),
    ("label-not-in-schema", lambda t: _set(t, lambda t: _region(t, "m1")["value"].update(labels=["PERSON"])),
     "problem", ("region m1", "entity label 'PERSON' is not in the label set", "pick one of the listed labels")),
    ("two-labels", lambda t: _set(t, lambda t: _region(t, "m2")["value"].update(labels=["GPE", "LOC"])),
     "problem", ("region m2", "region has 2 entity labels", "keep exactly one")),
    ("quote-kind-not-in-schema", lambda t: _set(t, lambda t: _region(t, "q3")["value"].update(labels=["rumour"])),
     "problem", ("region q3", "quote label 'rumour' is not in the label set")),
    ("unknown-control", lambda t: _set(t, lambda t: _region(t, "m2").update(from_name="person")), "problem",
     ("region m2", "unknown from_name 'person'", "generated labeling config")),
    ("wrong-to-name", lambda t: _set(t, lambda t: _region(t, "m2").update(to_name="title")), "problem",
     ("region m2", "to_name 'title' is not 'text'",)),
    ("region-without-value", lambda t: _set(t, lambda t: _pop(_region(t, "m2"), "value")), "problem",
     ("region m2", "region has no value object", "draw it again")),
    ("region-not-an-object", lambda t: _set(t, lambda t: _result(t).append("m9")), "problem",
     ("region result[25]", "region is a str, not an object")),
    ("crossing-mentions",
     lambda t: _set(t, lambda t: _region(t, "m2")["value"].update(start=8, text=t[0]["data"]["text"][8:19])),
     "problem", ("task 1, doc_id cat/1, annotation 11, region m2", "partially overlaps")),
    ("control-name-not-a-string", lambda t: _set(t, lambda t: _region(t, "m2").update(from_name=["entity"])),
     "problem", ("region m2", "from_name must be the name of a control, got ['entity']")),
    # ---- relations
    ("relation-end-not-an-id", lambda t: _set(t, lambda t: _relation(t, "q1", "said_by").update(to_id={"id": 1})),
     "problem", ("relation 'q1'->{'id': 1}", "relation from_id/to_id must be region id strings")),
    ("relation-to-missing-region", lambda t: _set(t, lambda t: _relation(t, "q1", "said_by").update(to_id="ghost")),
     "problem", ("relation q1->ghost (said_by)", "region 'ghost', which is missing", "delete the relation")),
    ("relation-label-unknown", lambda t: _set(t, lambda t: _relation(t, "q3", "said_by").update(labels=["says"])),
     "problem", ("relation q3->m3", "relation labels ['says'] must be exactly one of")),
    ("relation-between-wrong-kinds",
     lambda t: _set(t, lambda t: _relation(t, "q1", "said_by").update(to_id="q1-cue")), "problem",
     ("relation q1->q1-cue (said_by)", "said_by links a quote to a cue")),
    ("quote-with-two-speakers", lambda t: _set(t, lambda t: _result(t).append(
        {"from_id": "q1", "to_id": "m3", "type": "relation", "labels": ["said_by"]})), "problem",
     ("region q1", "quote has 2 speakers (m1, m3)", "keep one said_by relation")),
    ("cue-not-linked", lambda t: _set(t, lambda t: _result(t).remove(_relation(t, "q3", "has_cue"))), "problem",
     ("region q3-cue", "cue region is not linked to any quote", "draw a has_cue relation")),
    # ---- stance and per-quote choices
    ("stance-label-not-in-schema",
     lambda t: _set(t, lambda t: _region(t, "q1", "quote_stance")["value"].update(choices=["maybe"])), "problem",
     ("region q1", "quote_stance choice 'maybe' is not in the label set")),
    ("article-stance-twice", lambda t: _set(t, lambda t: _result(t).append(copy.deepcopy(_region(t, "st-article")))),
     "problem", ("region st-article", "'article_stance' is given twice", "keep one article-level value")),
    ("article-target-without-stance", lambda t: _set(t, lambda t: _result(t).remove(_region(t, "st-article"))),
     "problem", ("task 1, doc_id cat/1, annotation 11", "article_stance_target is given but article_stance is not")),
    ("elided-without-said-by", lambda t: _set(t, lambda t: _result(t).remove(_relation(t, "q2", "said_by"))),
     "problem", ("region q2", "speaker_elided is set but the quote has no said_by relation")),
    ("stance-choice-off-its-quote",
     lambda t: _set(t, lambda t: _region(t, "q1", "quote_stance")["value"].update(start=22)), "problem",
     ("region q1", "'quote_stance' span [22, 42) differs from its quote [21, 42)")),
]


def _write(path: Path, content: Any) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8", errors="surrogatepass")
    else:
        path.write_text(json.dumps(content), encoding="utf-8")  # ASCII: lone surrogates as escapes, NaN as NaN
    return path


@pytest.fixture(scope="module")
def manifest(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("manifest") / "manifest.json"
    Manifest(documents={d: Assignment("train", d, "hash") for d in ("cat/1", "cat/2")}).save(path)
    return path


def test_the_catalogue_is_large_and_its_base_is_valid(tmp_path, manifest, capsys) -> None:
    assert len([case for case in CASES if case[2] != "ok"]) >= 30
    assert len({case[0] for case in CASES}) == len(CASES)
    export = _write(tmp_path / "export.json", _base())
    assert main(["validate", str(export)]) == 0
    assert main(["build", str(export), "--manifest", str(manifest), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    assert "notice" not in capsys.readouterr().err


@pytest.mark.parametrize(("name", "make", "kind", "fragments"), CASES, ids=[case[0] for case in CASES])
def test_validate_and_build_agree_and_name_the_item_and_the_fix(
    tmp_path, manifest, capsys, name, make, kind, fragments
) -> None:
    export = _write(tmp_path / "export.json", make(_base()))
    validated = main(["validate", str(export)])
    said = capsys.readouterr()
    built = main(["build", str(export), "--manifest", str(manifest), "--out", str(tmp_path / "out"), "--quiet"])
    build_said = capsys.readouterr()

    assert (validated, built) == {"problem": (1, 2), "notice": (0, 0), "ok": (0, 0)}[kind], (said, build_said)
    assert "Traceback" not in said.out + said.err + build_said.out + build_said.err
    for fragment in fragments:
        assert fragment in said.out, f"validate does not say {fragment!r}:\n{said.out}"
        assert fragment in build_said.err, f"build does not say {fragment!r}:\n{build_said.err}"
    if kind == "problem":
        assert "fix" in said.out or "export again" in said.out
        assert not (tmp_path / "out").exists()
    elif kind == "notice":
        assert "notice:" in said.out and "notice:" in build_said.err and "[skipped]" in said.out
        assert (tmp_path / "out" / "khabar_release.json").exists()
    else:
        assert "notice" not in said.out + build_said.err


_ODD_VALUES = [None, True, 0, -1, 3.5, float("nan"), "", "x", "PER", [], [1], {}, {"a": 1}, 10**20, LONE,
               ["PER", "LOC"]]


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found += _paths(item, (*prefix, key))
    return found


@pytest.mark.parametrize("seed", range(40))
def test_random_damage_never_crashes_and_validate_agrees_with_build(tmp_path, manifest, capsys, seed) -> None:
    """Any value of the export replaced by an odd one (or deleted), twice: no traceback, and
    validate passes exactly when build succeeds (1,000 such exports agreed while this was written)."""
    import random

    rng = random.Random(seed)
    tasks = _base()
    for _ in range(2):
        *where, last = rng.choice(_paths(tasks))
        parent = tasks
        for key in where:
            parent = parent[key]
        if isinstance(parent, dict) and rng.random() < 0.2:
            del parent[last]
        else:
            parent[last] = copy.deepcopy(rng.choice(_ODD_VALUES))
    export = _write(tmp_path / "export.json", tasks)
    validated = main(["validate", str(export)])
    built = main(["build", str(export), "--manifest", str(manifest), "--out", str(tmp_path / "out"), "--quiet"])
    said = capsys.readouterr()
    assert (validated, built) in ((0, 0), (1, 2)), said
    assert "Traceback" not in said.out + said.err
