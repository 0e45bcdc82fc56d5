"""The stance target inventory (guidelines 2.0 §6.5): reading, every problem named, the target check."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest

import benchmark.targets
from benchmark.cli import main
from benchmark.targets import (
    GENERAL_TOPIC,
    InventoryError,
    Target,
    read_article_topics,
    read_inventory,
    read_topics,
)

GOOD = [
    {"id": "T0001", "topic": "health", "target": "حملة التطعيم ضد الحصبة", "kind": "event",
     "aliases": ["حملة الحصبة"], "added_in": "v0.2"},
    {"id": "T0002", "topic": "health", "target": "نظام التأمين الصحي الإلزامي", "kind": "policy"},
    {"id": "T0003", "topic": "football", "target": "نادي الاتحاد", "kind": "entity", "note": "the Jeddah club"},
    {"id": "T0004", "topic": GENERAL_TOPIC, "target": "مجلس التعاون لدول الخليج العربية", "kind": "entity"},
]


def write(tmp_path: Path, records: list, extra_lines: tuple[str, ...] = ()) -> Path:
    path = tmp_path / "targets.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in records] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def problems(path: Path, **kwargs) -> list[tuple[str, str, str]]:
    with pytest.raises(InventoryError) as raised:
        read_inventory(path, **kwargs)
    return [(i.doc_id, i.item, i.message) for i in raised.value.issues]


def test_a_good_inventory_reads_in_file_order_with_defaults(tmp_path):
    inventory = read_inventory(write(tmp_path, GOOD), topics=["health", "football"])
    assert [t.id for t in inventory.targets] == ["T0001", "T0002", "T0003", "T0004"]
    assert inventory.targets[0] == Target("T0001", "health", "حملة التطعيم ضد الحصبة", "event",
                                          ("حملة الحصبة",), "v0.2", "")


def test_a_topic_sees_its_own_and_the_general_targets_only(tmp_path):
    inventory = read_inventory(write(tmp_path, GOOD))
    assert [t.id for t in inventory.for_topic("health")] == ["T0001", "T0002", "T0004"]
    assert [t.id for t in inventory.for_topic("football")] == ["T0003", "T0004"]


def test_the_target_check_accepts_exact_copies_and_names_the_closest_entry(tmp_path):
    inventory = read_inventory(write(tmp_path, GOOD))
    assert inventory.target_problem("نظام التأمين الصحي الإلزامي", "health") is None
    assert inventory.target_problem("مجلس التعاون لدول الخليج العربية", "football") is None  # general
    problem = inventory.target_problem("حملة الحصبة", "health")  # an alias is not a target: copy the entry
    assert problem == ("'حملة الحصبة' is not in the inventory of topic 'health' "
                       "(closest: T0001 'حملة التطعيم ضد الحصبة')")
    assert "closest: T0003" in inventory.target_problem("الاتحاد", "football")
    # another topic's entry is not offered
    assert "T0003" not in inventory.target_problem("نادي الاتحاد", "health")


def test_every_problem_of_a_file_is_listed_with_line_field_and_fix(tmp_path):
    bad = [
        GOOD[0],
        {"id": "T0001", "topic": "health", "target": "وزارة الصحة", "kind": "entity"},  # duplicate id
        {"id": "7", "topic": "weather", "target": "بالمملكة", "kind": "place"},
        {"topic": "health", "target": "", "kind": "event", "colour": "red"},
        {"id": "T0009", "topic": "health", "target": " حملة التطعيم", "kind": "event", "aliases": "حملة"},
        ["not", "an", "object"],
    ]
    found = problems(write(tmp_path, bad, extra_lines=("{broken",)), topics=["health"])
    assert ("targets.jsonl:2", "id", "id 'T0001' is already used on line 1") in found
    items = {(where, item) for where, item, _ in found}
    assert {("targets.jsonl:3", "id"), ("targets.jsonl:3", "kind"), ("targets.jsonl:3", "topic"),
            ("targets.jsonl:3", "target")} <= items
    assert {("targets.jsonl:4", "id"), ("targets.jsonl:4", "target"), ("targets.jsonl:4", "colour")} <= items
    assert ("targets.jsonl:5", "aliases") in items
    assert ("targets.jsonl:6", "line") in items
    assert ("targets.jsonl:7", "line") in items  # not valid JSON, with its column
    assert any("starts with a proclitic" in m for *_, m in found)


def test_leading_spaces_are_refused_once_the_fields_are_sound(tmp_path):
    record = {"id": "T0009", "topic": "health", "target": " حملة التطعيم", "kind": "event"}
    assert problems(write(tmp_path, [record])) == [
        ("targets.jsonl:1", "target", "target has leading, trailing or doubled spaces")]


def test_two_entries_with_one_wording_or_an_alias_clash_are_refused(tmp_path):
    clash = [GOOD[0], {"id": "T0005", "topic": "health", "target": "حملة التطعيم ضد الحصبة", "kind": "event"},
             {"id": "T0006", "topic": "health", "target": "برنامج الفحص المبكر", "kind": "policy",
              "aliases": ["نظام التأمين الصحي الإلزامي"]}, GOOD[1]]
    found = problems(write(tmp_path, clash))
    assert ("targets.jsonl:2", "target", "topic 'health' already has 'حملة التطعيم ضد الحصبة' as T0001") in found
    assert ("targets.jsonl:3", "aliases",
            "alias 'نظام التأمين الصحي الإلزامي' is the target wording of T0002") in found


def test_the_module_examples_run():
    assert doctest.testmod(benchmark.targets).failed == 0


# -- the round's committed inventory (annotations/) -------------------------------------------------

ANNOTATIONS = Path(__file__).resolve().parents[2] / "annotations"


def test_the_committed_inventory_and_article_topics_read_clean():
    topics = read_topics(ANNOTATIONS / "topics.txt")
    assert GENERAL_TOPIC in topics
    inventory = read_inventory(ANNOTATIONS / "targets.jsonl", topics=topics)
    assert len(inventory.targets) >= 240
    by_id = {t.id: t for t in inventory.targets}
    articles = read_article_topics(ANNOTATIONS / "v0.2" / "article-topics.jsonl", inventory, topics)
    assert len(articles) >= 400
    for line in articles.values():
        assert line.topic in topics and line.topic != GENERAL_TOPIC
        if line.main_target is not None:  # the main target is in the article's topic or general
            assert by_id[line.main_target] in inventory.for_topic(line.topic), line.doc_id
            assert inventory.target_problem(by_id[line.main_target].target, line.topic) is None


def test_the_committed_files_hold_ids_and_phrasings_only_no_text():
    for line in (ANNOTATIONS / "v0.2" / "article-topics.jsonl").read_text(encoding="utf-8").splitlines():
        assert set(json.loads(line)) == {"doc_id", "topic", "main_target"}
    rows = (ANNOTATIONS / "v0.1" / "targets-map.tsv").read_text(encoding="utf-8").splitlines()
    assert rows[0].split("\t") == ["v01_target", "id", "note"]
    inventory = read_inventory(ANNOTATIONS / "targets.jsonl")
    ids = {t.id for t in inventory.targets} | {"-"}
    for row in rows[1:]:
        wording, target_id, _note = row.split("\t")
        assert target_id in ids, wording
    assert max(len(t.target) for t in inventory.targets) < 120  # phrasings, not sentences of text


def test_article_topics_problems_are_listed_by_line(tmp_path):
    inventory = read_inventory(write(tmp_path, GOOD))
    path = tmp_path / "article-topics.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"doc_id": "a/1", "topic": "health", "main_target": "T0001"},
        {"doc_id": "a/2", "topic": "football", "main_target": "T0001"},  # another topic's entry
        {"doc_id": "a/1", "topic": "health", "main_target": None},  # doc_id twice
        {"doc_id": "a/3", "topic": "weather", "main_target": "T0099", "text": "…"},
        {"doc_id": "a/4", "topic": GENERAL_TOPIC, "main_target": "T0004"},
    ]) + "\n", encoding="utf-8")
    with pytest.raises(InventoryError) as raised:
        read_article_topics(path, inventory, topics=["health", "football"])
    found = {(i.doc_id, i.item) for i in raised.value.issues}
    assert found == {("article-topics.jsonl:2", "main_target"), ("article-topics.jsonl:3", "doc_id"),
                     ("article-topics.jsonl:4", "text"), ("article-topics.jsonl:5", "topic")}
    # line 4: unknown field stops the other checks; fixed, its topic and id are named
    path.write_text(json.dumps({"doc_id": "a/3", "topic": "weather", "main_target": "T0099"}) + "\n")
    with pytest.raises(InventoryError) as raised:
        read_article_topics(path, inventory, topics=["health"])
    assert {i.item for i in raised.value.issues} == {"topic", "main_target"}


def test_the_task_header_lists_the_topic_then_the_general_entries(tmp_path):
    inventory = read_inventory(write(tmp_path, [GOOD[3], *GOOD[:3]]))
    assert inventory.header("health").splitlines() == [
        "T0001  حملة التطعيم ضد الحصبة", "T0002  نظام التأمين الصحي الإلزامي",
        "T0004  مجلس التعاون لدول الخليج العربية"]
    assert inventory.target_id("نادي الاتحاد", "football") == "T0003"
    assert inventory.target_id("نادي الاتحاد", "health") is None


def test_the_topic_list_refuses_repeats(tmp_path):
    path = tmp_path / "topics.txt"
    path.write_text("health\n\nfootball\nhealth\nbad topic\n", encoding="utf-8")
    with pytest.raises(InventoryError) as raised:
        read_topics(path)
    assert [(i.doc_id, i.item) for i in raised.value.issues] == [("topics.txt:4", "topic"), ("topics.txt:5", "topic")]


# -- khabar annotate targets check ---------------------------------------------------------------


def test_targets_check_passes_the_committed_files(capsys):
    code = main(["annotate", "targets", "check", str(ANNOTATIONS / "targets.jsonl"),
                 "--topic-list", str(ANNOTATIONS / "topics.txt"),
                 "--topics", str(ANNOTATIONS / "v0.2" / "article-topics.jsonl")])
    out = capsys.readouterr().out
    assert code == 0
    n_targets = len((ANNOTATIONS / "targets.jsonl").read_text(encoding="utf-8").splitlines())
    n_articles = len((ANNOTATIONS / "v0.2" / "article-topics.jsonl").read_text(encoding="utf-8").splitlines())
    assert n_targets >= 240 and n_articles >= 400
    assert f"{n_targets} target(s)" in out and f"{n_articles} article(s)" in out


def test_targets_check_lists_every_problem_and_exits_1(tmp_path, capsys):
    inventory = write(tmp_path, [GOOD[0], {**GOOD[1], "id": "T0001"}, {**GOOD[2], "topic": "weather"}])
    topics = tmp_path / "topics.txt"
    topics.write_text("health\nfootball\n", encoding="utf-8")
    articles = tmp_path / "article-topics.jsonl"
    articles.write_text(json.dumps({"doc_id": "a/1", "topic": "tennis", "main_target": None}) + "\n",
                        encoding="utf-8")
    code = main(["annotate", "targets", "check", str(inventory), "--topic-list", str(topics),
                 "--topics", str(articles)])
    err = capsys.readouterr().err
    assert code == 1
    assert "targets.jsonl:2: id: id 'T0001' is already used on line 1" in err
    assert "targets.jsonl:3: topic: topic 'weather' is not in the topic list" in err
    assert "article-topics.jsonl:1: topic: topic 'tennis' is not in the topic list" in err
    assert "3 problem(s)" in err
    # a sound inventory: the article topics' main targets are checked against it
    articles.write_text(json.dumps({"doc_id": "a/1", "topic": "football", "main_target": "T0001"}) + "\n",
                        encoding="utf-8")
    assert main(["annotate", "targets", "check", str(write(tmp_path, GOOD)), "--topics", str(articles)]) == 1
    assert ("article-topics.jsonl:1: main_target: T0001 belongs to topic 'health', not 'football' or general"
            in capsys.readouterr().err)
    assert main(["annotate", "targets", "check", str(tmp_path / "missing.jsonl")]) == 1
    assert "no such file" in capsys.readouterr().err
