"""The stance target inventory (guidelines 2.0 §6.5): one canonical wording per target, per topic.

Stance is compared per target across articles, so annotators copy targets from a controlled list
instead of typing their own wording (v0.1 had 62 wordings for 111 stances). The list is a JSON Lines
file, ``annotations/targets.jsonl``, one target per line::

    {"id": "T0007", "topic": "labour-residency", "target": "قرارات تنظيم نقل كفالة العمالة الوافدة",
     "kind": "policy", "aliases": ["نقل الكفالة"], "added_in": "v0.2", "note": ""}

:func:`read_inventory` checks every line and raises :class:`InventoryError` listing every problem
(file:line, field, what is wrong, the fix); :meth:`Inventory.target_problem` is the check a converter
applies to a typed target (it names the closest entry).

>>> inventory = Inventory((Target("T0001", "health", "حملة التطعيم ضد الحصبة", "event"),))
>>> inventory.target_problem("حملة التطعيم ضد الحصبة", "health") is None
True
>>> inventory.target_problem("حملة تطعيم الحصبة", "health")
"'حملة تطعيم الحصبة' is not in the inventory of topic 'health' (closest: T0001 'حملة التطعيم ضد الحصبة')"
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmark.io import iter_jsonl_records
from benchmark.model import Issue

if TYPE_CHECKING:  # pragma: no cover
    from benchmark.model import Article

__all__ = ["GENERAL_TOPIC", "TARGET_KINDS", "ArticleTopic", "Inventory", "InventoryError", "Target",
           "check_stance_targets", "read_article_topics", "read_inventory", "read_topics", "task_data"]

TARGET_KINDS: tuple[str, ...] = ("entity", "policy", "event", "practice", "claim")
"""What a target is (guidelines §6.5): a person/body/country, a decision or programme, an event, a
practice or phenomenon, or a proposition (suggested claims only)."""

GENERAL_TOPIC = "general"
"""Targets shared by every topic."""

_REQUIRED = ("id", "topic", "target", "kind")
_OPTIONAL = ("aliases", "added_in", "note")
_ID = re.compile(r"^T\d{4,}$")
# a canonical target starts at the word, not at a glued proclitic + article (guidelines §6.5 rule 3)
_PROCLITIC_ARTICLE = re.compile(r"^(?:[وفبك]ال|لل)")


@dataclass(frozen=True, slots=True)
class Target:
    """One inventory entry: ``target`` is the canonical wording annotators copy."""

    id: str
    topic: str
    target: str
    kind: str
    aliases: tuple[str, ...] = ()
    added_in: str = ""
    note: str = ""


class InventoryError(ValueError):
    """Raised by :func:`read_inventory`; ``issues`` lists every problem found in the file."""

    def __init__(self, issues: Sequence[Issue]):
        self.issues: tuple[Issue, ...] = tuple(issues)
        super().__init__("target inventory has problems:\n" + "\n".join(f"  - {i}" for i in self.issues))


@dataclass(frozen=True, slots=True)
class Inventory:
    """The targets of a round, in file order."""

    targets: tuple[Target, ...]

    def for_topic(self, topic: str) -> tuple[Target, ...]:
        """The entries an article of ``topic`` may use: the topic's own and the general ones."""
        return tuple(t for t in self.targets if t.topic in (topic, GENERAL_TOPIC))

    def header(self, topic: str) -> str:
        """What a task of ``topic`` shows annotators (``data.targets``): one ``id  target`` line per
        entry of :meth:`for_topic`, the topic's own first, then the general ones.

        >>> Inventory((Target("T0001", "health", "وزارة الصحة", "entity"),)).header("health")
        'T0001  وزارة الصحة'
        """
        entries = sorted(self.for_topic(topic), key=lambda t: t.topic == GENERAL_TOPIC)
        return "\n".join(f"{t.id}  {t.target}" for t in entries)

    def target_id(self, text: str, topic: str) -> str | None:
        """The id of the entry of ``topic`` (or general) whose wording is ``text``, else ``None``."""
        return next((t.id for t in self.for_topic(topic) if t.target == text), None)

    def target_problem(self, text: str, topic: str) -> str | None:
        """``None`` when ``text`` is an entry of ``topic`` (or general), copied exactly; else the
        problem, naming the closest entry (by wording or alias) so the annotator can copy it."""
        entries = self.for_topic(topic)
        if any(t.target == text for t in entries):
            return None
        message = f"{text!r} is not in the inventory of topic {topic!r}"
        by_wording = {w: t for t in entries for w in (t.target, *t.aliases)}
        close = difflib.get_close_matches(text, list(by_wording), n=1, cutoff=0.0)
        if close:
            best = by_wording[close[0]]
            message += f" (closest: {best.id} {best.target!r})"
        return message


def read_inventory(path: str | Path, topics: Iterable[str] | None = None) -> Inventory:
    """Read and check an inventory file; ``topics``, when given, is the closed topic list
    (``general`` is always allowed). Raises :class:`InventoryError` listing every problem."""
    path = Path(path)
    allowed = None if topics is None else {*topics, GENERAL_TOPIC}
    targets: list[Target] = []
    issues: list[Issue] = []
    first_line_of: dict[str, int] = {}
    for number, record, issue in iter_jsonl_records(path):
        if issue is not None:
            issues.append(issue)
            continue
        where = f"{path.name}:{number}"
        problems = _record_problems(record, allowed)
        issues.extend(Issue(where, field, message, fix) for field, message, fix in problems)
        if problems:
            continue
        target = _target(record)
        if target.id in first_line_of:
            issues.append(Issue(where, "id", f"id {target.id!r} is already used on line {first_line_of[target.id]}",
                                "give the new target the next free id (ids are never reused)"))
            continue
        first_line_of[target.id] = number
        targets.append(target)
    issues.extend(_wording_clashes(path.name, targets, first_line_of))
    if issues:
        raise InventoryError(issues)
    return Inventory(tuple(targets))


def read_topics(path: str | Path) -> tuple[str, ...]:
    """The closed topic list (``annotations/topics.txt``): one topic id per line, blank lines skipped.
    Raises :class:`InventoryError` for a topic given twice or one with spaces."""
    path = Path(path)
    topics: list[str] = []
    issues: list[Issue] = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        topic = line.strip()
        if not topic:
            continue
        where = f"{path.name}:{number}"
        if " " in topic or "\t" in topic:
            issues.append(Issue(where, "topic", f"topic {topic!r} holds a space", "write one topic id per line"))
        elif topic in topics:
            issues.append(Issue(where, "topic", f"topic {topic!r} is listed twice", "keep one line"))
        else:
            topics.append(topic)
    if issues:
        raise InventoryError(issues)
    return tuple(topics)


@dataclass(frozen=True, slots=True)
class ArticleTopic:
    """One line of a round's article topics (``annotations/v0.2/article-topics.jsonl``): the
    article's topic and the id of its main target (``None``: no evaluable target, guidelines §6.4)."""

    doc_id: str
    topic: str
    main_target: str | None = None


def read_article_topics(path: str | Path, inventory: Inventory | None = None,
                        topics: Iterable[str] | None = None) -> dict[str, ArticleTopic]:
    """doc_id → :class:`ArticleTopic` from a JSON Lines file of ``{"doc_id", "topic", "main_target"}``.
    With ``topics`` (the closed list), every topic must be in it; with ``inventory``, every
    ``main_target`` must be an entry of the article's topic or ``general``. Raises
    :class:`InventoryError` listing every problem (file:line, field, the fix)."""
    path = Path(path)
    known_topics = None if topics is None else set(topics)
    by_id = {} if inventory is None else {t.id: t for t in inventory.targets}
    found: dict[str, ArticleTopic] = {}
    issues: list[Issue] = []
    for number, record, issue in iter_jsonl_records(path):
        if issue is not None:
            issues.append(issue)
            continue
        where = f"{path.name}:{number}"
        problems = _article_topic_problems(record, found, known_topics, by_id)
        issues.extend(Issue(where, field, message, fix) for field, message, fix in problems)
        if not problems:
            found[record["doc_id"]] = ArticleTopic(record["doc_id"], record["topic"], record.get("main_target"))
    if issues:
        raise InventoryError(issues)
    return found


def task_data(doc_ids: Iterable[str], topics: Mapping[str, ArticleTopic],
              inventory: Inventory) -> dict[str, dict[str, str]]:
    """doc_id → the Label Studio task data of the inventory (``topic``, and ``targets``: the topic's
    entries and the general ones, one ``id  target`` per line, :meth:`Inventory.header`), shown in
    the stance header. Raises :class:`InventoryError` naming every doc_id without a topic line."""
    out: dict[str, dict[str, str]] = {}
    issues = []
    for doc_id in doc_ids:
        line = topics.get(doc_id)
        if line is None:
            issues.append(Issue(doc_id, "topic", "the article has no line in the article topics",
                                'add {"doc_id", "topic", "main_target"} for it (guidelines §6.5: every article '
                                "of a round gets a topic before annotation)"))
            continue
        out[doc_id] = {"topic": line.topic, "targets": inventory.header(line.topic)}
    if issues:
        raise InventoryError(issues)
    return out


def check_stance_targets(articles: Iterable[Article], topics: Mapping[str, ArticleTopic],
                         inventory: Inventory) -> None:
    """Every stance target of ``articles`` must be an entry of its article's topic or general (the
    converter's check, for Article JSONL such as a round's passes). Raises :class:`InventoryError`
    naming every article without a topic line and every stance whose target is not an entry."""
    issues = []
    for article in articles:
        line = topics.get(article.doc_id)
        if line is None:
            if article.stances:
                issues.append(Issue(article.doc_id, "topic", "the article has stances but no line in the article "
                                    "topics", "add its topic line (guidelines §6.5)"))
            continue
        for stance in article.stances:
            problem = inventory.target_problem(stance.target, line.topic)
            if problem is not None:
                who = article.provenance.annotator or "unknown annotator"
                issues.append(Issue(article.doc_id, f"stance {stance.id!r} ({who})", problem,
                                    "copy the entry exactly, or map the target to an entry in the decisions "
                                    "(guidelines §6.5)"))
    if issues:
        raise InventoryError(issues)


def _article_topic_problems(record: Any, found: Mapping[str, ArticleTopic], known_topics: set[str] | None,
                            by_id: Mapping[str, Target]) -> list[tuple[str, str, str]]:
    if not isinstance(record, dict):
        return [("line", f"expected a JSON object, got {type(record).__name__}",
                 'write {"doc_id", "topic", "main_target"} per line')]
    problems = []
    for name in ("doc_id", "topic"):
        if not isinstance(record.get(name), str) or not record[name].strip():
            problems.append((name, f"{name!r} is missing or not a non-empty string", f"give the article its {name}"))
    for name in sorted(set(record) - {"doc_id", "topic", "main_target"}):
        problems.append((name, f"unknown field {name!r}", "remove it (fields: doc_id, topic, main_target)"))
    main = record.get("main_target")
    if main is not None and not isinstance(main, str):
        problems.append(("main_target", "'main_target' is not a target id or null", "write e.g. \"T0007\" or null"))
    if problems:
        return problems
    doc_id, topic = record["doc_id"], record["topic"]
    if doc_id in found:
        problems.append(("doc_id", f"doc_id {doc_id!r} already has a topic line", "keep one line per article"))
    if topic == GENERAL_TOPIC:
        problems.append(("topic", f"{GENERAL_TOPIC!r} is not an article topic", "give the article its own topic"))
    elif known_topics is not None and topic not in known_topics:
        problems.append(("topic", f"topic {topic!r} is not in the topic list",
                         "use a listed topic, or add the topic to the list first"))
    if main is not None and by_id:
        entry = by_id.get(main)
        if entry is None:
            problems.append(("main_target", f"{main!r} is not an id of the inventory", "use an existing id"))
        elif entry.topic not in (topic, GENERAL_TOPIC):
            problems.append(("main_target", f"{main} belongs to topic {entry.topic!r}, not {topic!r} or general",
                             "pick an entry of the article's topic, or change its topic"))
    return problems


def _record_problems(record: Any, allowed_topics: set[str] | None) -> list[tuple[str, str, str]]:
    """(field, message, fix) for every problem of one line's record."""
    if not isinstance(record, dict):
        return [("line", f"expected a JSON object, got {type(record).__name__}", "write one target object per line")]
    problems = []
    for name in _REQUIRED:
        value = record.get(name)
        if not isinstance(value, str) or not value.strip():
            problems.append((name, f"{name!r} is missing or not a non-empty string", f"give the target its {name}"))
    for name in sorted(set(record) - set(_REQUIRED) - set(_OPTIONAL)):
        problems.append((name, f"unknown field {name!r}", f"remove it (fields: {', '.join(_REQUIRED + _OPTIONAL)})"))
    aliases = record.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        problems.append(("aliases", "'aliases' is not a list of non-empty strings", "write a JSON list of wordings"))
    for name in ("added_in", "note"):
        if name in record and not isinstance(record[name], str):
            problems.append((name, f"{name!r} is not a string", f"write {name} as a string"))
    if problems:
        return problems
    if not _ID.match(record["id"]):
        problems.append(("id", f"id {record['id']!r} is not T followed by four or more digits", "use e.g. T0007"))
    if record["kind"] not in TARGET_KINDS:
        problems.append(("kind", f"kind {record['kind']!r} is not one of {list(TARGET_KINDS)}", "pick one of them"))
    if allowed_topics is not None and record["topic"] not in allowed_topics:
        problems.append(("topic", f"topic {record['topic']!r} is not in the topic list",
                         "use a listed topic, or add the topic to the list first"))
    text = record["target"]
    if text != text.strip() or "  " in text:
        problems.append(("target", "target has leading, trailing or doubled spaces", "write it with single spaces"))
    elif _PROCLITIC_ARTICLE.match(text):
        problems.append(("target", f"target {text!r} starts with a proclitic glued to the article",
                         "drop the proclitic (guidelines §6.5 rule 3: بالمملكة → المملكة)"))
    return problems


def _target(record: dict[str, Any]) -> Target:
    return Target(id=record["id"], topic=record["topic"], target=record["target"], kind=record["kind"],
                  aliases=tuple(record.get("aliases", ())), added_in=record.get("added_in", ""),
                  note=record.get("note", ""))


def _wording_clashes(file: str, targets: Sequence[Target], line_of: dict[str, int]) -> list[Issue]:
    """Two entries of one topic with the same wording, or a wording that is another entry's alias:
    annotators could not tell which to copy."""
    issues = []
    seen: dict[tuple[str, str], Target] = {}
    for t in targets:
        key = (t.topic, t.target)
        if key in seen:
            issues.append(Issue(f"{file}:{line_of[t.id]}", "target",
                                f"topic {t.topic!r} already has {t.target!r} as {seen[key].id}",
                                "keep one entry; point annotators to it"))
        else:
            seen[key] = t
    wordings = {(t.topic, t.target): t for t in targets}
    for t in targets:
        for alias in t.aliases:
            other = wordings.get((t.topic, alias))
            if other is not None and other.id != t.id:
                issues.append(Issue(f"{file}:{line_of[t.id]}", "aliases",
                                    f"alias {alias!r} is the target wording of {other.id}",
                                    "remove the alias, or merge the two entries"))
    return issues
