"""Label Studio export ⇄ :class:`~benchmark.model.Article` (the Khabar Label Studio contract).

Export → articles: :func:`export_to_articles` turns every non-cancelled annotation (one per
task per annotator) into one :class:`Article`, and optionally every prediction too, and lists
every problem it finds as a :class:`ConversionProblem` naming the task id, annotation id, region
id, what is wrong and the fix.

**Error policy** (nothing is dropped silently):

- ``strict=True`` (the default, used for gold data): an annotation with any problem is *rejected*:
  no article is produced for it and all its problems are listed. A partly converted annotation
  would be a wrong gold article.
- ``strict=False`` (useful for agreement on work in progress): each bad region (and whatever
  depends on it, e.g. a relation to it) is left out, every omission is listed, and the rest of
  the annotation is converted. If the remaining article still breaks a model rule (e.g. two
  entity mentions cross), the annotation is rejected and the reasons are listed.

Articles → export: :func:`article_to_task` (task ``data``), :func:`article_to_result` (regions and
relations, used as an annotation or as a prediction) and :func:`articles_to_export` (a file in the
real export shape, used to store the gold sample). Round trip: for an article whose mention
clusters are canonical (each cluster id is the earliest mention of its entity, by start, end,
id) and whose stance ids are ``"st-article"`` / ``"st-" + quote id``, export → convert gives the
same article back.

>>> from benchmark.model import Article, Mention, Quote, Span, Stance, Provenance
>>> art = Article(doc_id="demo/1", text='وقال بوتين: "أهلا بكم في روسيا".',
...     entities=(Mention("m1", 5, 10, "PER"), Mention("m2", 25, 30, "GPE")),
...     quotes=(Quote("q1", 12, 31, "direct", cue=Span(1, 4), speaker="m1"),),
...     stances=(Stance("st-q1", holder="q1", target="روسيا", label="favor", target_mention="m2"),),
...     provenance=Provenance(annotator="a@example.org", annotation_ids=("1",), source="x.json"))
>>> tasks = articles_to_export([art])
>>> result = export_to_articles(tasks, source="x.json")
>>> result.problems
[]
>>> result.articles == [art]
True
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmark.model import Article, ArticleError, Mention, Provenance, Quote, Span, Stance, is_offset
from benchmark.schema import ARTICLE_HOLDER, KHABAR, LabelSchema
from benchmark.studio import config as C

__all__ = [
    "ARTICLE_STANCE_ID",
    "ConversionProblem",
    "ConversionResult",
    "ExportError",
    "article_to_result",
    "article_to_task",
    "articles_to_export",
    "export_to_articles",
    "load_export",
    "task_to_article_fields",
    "write_export",
]

ARTICLE_STANCE_ID = "st-article"
TASK_DATA_KEYS = ("doc_id", "text", "title", "source", "url", "published", "variety", "target", "meta")
_ARTICLE_DATA_KEYS = ("doc_id", "text", "title", "source", "url", "published", "variety")
_SPAN_CONTROLS = {C.ENTITY: "entity", C.QUOTE: "quote", C.CUE: "cue"}
_PER_REGION = (C.SPEAKER_ELIDED, C.QUOTE_STANCE, C.QUOTE_STANCE_TARGET)
_USER_ID = re.compile(r"user-(\d+)")


class ExportError(ValueError):
    """A Label Studio export file that cannot be read at all (not JSON, not a list of tasks)."""


@dataclass(frozen=True, slots=True)
class ConversionProblem:
    """One thing wrong in an export: where (task, annotation, region), what, and the fix.

    ``action`` says what the converter did about it: ``"rejected"`` (no article for this
    annotation) or ``"dropped"`` (this region/relation left out, rest converted).
    """

    task_id: Any
    annotation_id: Any
    region_id: str | None
    message: str
    fix: str
    doc_id: str | None = None
    action: str = "rejected"

    def __str__(self) -> str:
        where = [f"task {self.task_id}"]
        if self.doc_id:
            where.append(f"doc_id {self.doc_id}")
        if self.annotation_id is not None:
            where.append(f"annotation {self.annotation_id}")
        if self.region_id is not None:
            where.append(f"region {self.region_id}")
        return f"{', '.join(where)}: {self.message} (fix: {self.fix}) [{self.action}]"

    def to_dict(self) -> dict[str, Any]:
        return {
            "task_id": self.task_id,
            "doc_id": self.doc_id,
            "annotation_id": self.annotation_id,
            "region_id": self.region_id,
            "message": self.message,
            "fix": self.fix,
            "action": self.action,
        }


@dataclass(slots=True)
class ConversionResult:
    """What :func:`export_to_articles` produced: annotator articles, prediction articles, problems."""

    articles: list[Article] = field(default_factory=list)
    predictions: list[Article] = field(default_factory=list)
    problems: list[ConversionProblem] = field(default_factory=list)
    cancelled: int = 0
    tasks: int = 0

    @property
    def rejected(self) -> list[ConversionProblem]:
        """The problems that cost a whole annotation (no article produced)."""
        return [p for p in self.problems if p.action == "rejected"]

    def by_annotator(self) -> dict[str, list[Article]]:
        """Annotator → their articles (annotator ``None`` is grouped under ``"unknown"``)."""
        groups: dict[str, list[Article]] = defaultdict(list)
        for article in self.articles:
            groups[article.provenance.annotator or "unknown"].append(article)
        return dict(groups)

    def summary(self) -> str:
        return (
            f"{self.tasks} task(s): {len(self.articles)} annotation article(s), "
            f"{len(self.predictions)} prediction article(s), {self.cancelled} cancelled (skipped), "
            f"{len(self.problems)} problem(s), {len(self.rejected)} rejection(s)"
        )


# --------------------------------------------------------------------------- reading


def load_export(path: str | Path) -> list[dict[str, Any]]:
    """Read a Label Studio JSON export (a list of task objects), with a clear error when it is not one."""
    path = Path(path)
    try:
        with path.open("r", encoding="utf-8-sig") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise ExportError(
            f"{path}: no such export file (fix: pass the path of a Label Studio JSON export)"
        ) from None
    except json.JSONDecodeError as error:
        raise ExportError(
            f"{path}: not valid JSON ({error.msg} at line {error.lineno}, column {error.colno}) "
            "(fix: export again with format JSON, not JSON_MIN/CSV/CONLL)"
        ) from None
    if not isinstance(data, list):
        raise ExportError(
            f"{path}: expected a JSON list of tasks, got {type(data).__name__} "
            "(fix: use Label Studio's JSON export, which is a list of task objects)"
        )
    for index, task in enumerate(data):
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise ExportError(
                f"{path}: item {index} is not a task object with a 'data' object "
                "(fix: use Label Studio's JSON export format)"
            )
    return data


def _annotator_name(completed_by: Any, user_emails: Mapping[int, str] | None) -> str | None:
    if _is_object(completed_by):
        if completed_by.get("email"):
            return str(completed_by["email"])
        completed_by = completed_by.get("id")
    if isinstance(completed_by, int) and not isinstance(completed_by, bool):
        if user_emails and completed_by in user_emails:
            return user_emails[completed_by]
        return f"user-{completed_by}"
    return None if completed_by is None else str(completed_by)


def task_to_article_fields(task: Mapping[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The article-level fields from a task's ``data``, plus (message, fix) problems found in it."""
    data = task.get("data") if _is_object(task.get("data")) else {}
    problems: list[tuple[str, str]] = []
    fields: dict[str, Any] = {key: data.get(key) for key in _ARTICLE_DATA_KEYS if data.get(key) is not None}
    for key in ("doc_id", "text"):
        if not isinstance(data.get(key), str) or not data.get(key):
            problems.append((f"task data has no {key!r} string", f"import tasks with data.{key} set"))
    if "id" in data:
        problems.append(
            ("task data uses the reserved key 'id'", "rename it to 'doc_id' in the imported task")
        )
    for key in data:
        if key not in TASK_DATA_KEYS and key != "id":
            problems.append((f"unknown task data key {key!r}", "move it under data.meta"))
    meta = data.get("meta") or {}
    if not _is_object(meta):
        problems.append(("task data.meta is not an object", "store extra fields as key/value pairs"))
        meta = {}
    fields["meta"] = dict(meta)
    fields.setdefault("variety", "msa")
    return fields, problems


class _Collector:
    """Problems for one annotation (or prediction) of one task."""

    def __init__(self, task_id: Any, annotation_id: Any, doc_id: str | None, strict: bool):
        self.task_id, self.annotation_id, self.doc_id, self.strict = task_id, annotation_id, doc_id, strict
        self.problems: list[ConversionProblem] = []

    def add(self, region_id: Any, message: str, fix: str) -> None:
        region = None if region_id is None else str(region_id)
        self.problems.append(
            ConversionProblem(
                self.task_id,
                self.annotation_id,
                region,
                message,
                fix,
                self.doc_id,
                "rejected" if self.strict else "dropped",
            )
        )

    def reject_all(self) -> list[ConversionProblem]:
        return [
            ConversionProblem(p.task_id, p.annotation_id, p.region_id, p.message, p.fix, p.doc_id, "rejected")
            for p in self.problems
        ]


_RELATION_KINDS = {
    C.SAID_BY: ("quote", "entity"),
    C.HAS_CUE: ("quote", "cue"),
    C.STANCE_TARGET: ("quote", "entity"),
    C.SAME_ENTITY: ("entity", "entity"),
}
"""Relation label → (from kind, to kind), whichever way the arrow was drawn."""


def _is_object(value: Any) -> bool:
    """A JSON object (``type(...) is dict`` first: the ``Mapping`` check is slow, and this runs for
    every region of every task)."""
    return type(value) is dict or isinstance(value, Mapping)


def _single(
    value: Any, key: str, region_id: Any, out: _Collector, allowed: Sequence[str] | None, what: str
) -> str | None:
    """The one string in ``value[key]`` (a list), or None after reporting why not."""
    items = value.get(key)
    if type(items) is list and len(items) == 1 and type(items[0]) is str and (allowed is None or items[0] in allowed):
        return items[0]  # the usual case, decided without the checks below
    if not isinstance(items, list) or not items or not all(isinstance(x, str) for x in items):
        out.add(
            region_id,
            f"value.{key} must be a non-empty list of strings, got {items!r}",
            f"give the region exactly one {what}",
        )
        return None
    if len(items) > 1:
        out.add(region_id, f"region has {len(items)} {what}s {items}", f"keep exactly one {what}")
        return None
    if allowed is not None and items[0] not in allowed:
        out.add(
            region_id,
            f"{what} {items[0]!r} is not in the label set {list(allowed)}",
            "pick one of the listed labels (or fix the labeling config and the schema together)",
        )
        return None
    return items[0]


def _components(ids: Sequence[str], edges: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    groups: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        groups[find(i)].append(i)
    return groups


def _result_to_article(
    task: Mapping[str, Any], result: Any, provenance: Provenance, out: _Collector, schema: LabelSchema
) -> Article | None:
    """Convert one annotation/prediction ``result`` list; report every problem into ``out``."""
    fields, task_problems = task_to_article_fields(task)
    for message, fix in task_problems:
        out.add(None, message, fix)
    if "doc_id" not in fields or "text" not in fields:
        out.problems = [
            ConversionProblem(p.task_id, p.annotation_id, p.region_id, p.message, p.fix, p.doc_id, "rejected")
            for p in out.problems
        ]
        return None
    text: str = fields["text"]
    data = task["data"]
    if not isinstance(result, list):
        out.add(
            None, f"result must be a list of regions, got {type(result).__name__}", "export again as JSON"
        )
        result = []

    spans: dict[str, tuple[str, int, int, str]] = {}  # region id -> (kind, start, end, label)
    per_region: dict[str, dict[str, Any]] = defaultdict(dict)
    relations: list[tuple[Any, Any, str, str]] = []  # (from, to, label, direction)
    article_level: dict[str, Any] = {}
    label_sets = {C.ENTITY: schema.entity_labels, C.QUOTE: schema.quote_kinds, C.CUE: (C.CUE_LABEL,)}

    for index, region in enumerate(result):
        if not _is_object(region):
            out.add(
                f"result[{index}]",
                f"region is a {type(region).__name__}, not an object",
                "export again as JSON",
            )
            continue
        rtype = region.get("type")
        rid = region["id"] if "id" in region else f"result[{index}]"  # noqa: SIM401 (no f-string per region)
        if rtype == "relation":
            labels = region.get("labels") or []
            if not isinstance(labels, list) or len(labels) != 1 or labels[0] not in C.RELATION_LABELS:
                out.add(
                    f"relation {region.get('from_id')}->{region.get('to_id')}",
                    f"relation labels {labels!r} must be exactly one of {list(C.RELATION_LABELS)}",
                    "give each relation one label (said_by, has_cue, same_entity or stance_target)",
                )
                continue
            relations.append(
                (region.get("from_id"), region.get("to_id"), labels[0], region.get("direction", "right"))
            )
            continue
        name = region.get("from_name")
        value = region.get("value")
        if region.get("to_name", C.TEXT) != C.TEXT:
            out.add(
                rid,
                f"to_name {region.get('to_name')!r} is not {C.TEXT!r}",
                "use the generated labeling config",
            )
            continue
        if not _is_object(value):
            out.add(rid, "region has no value object", "delete the region and draw it again")
            continue
        if name in (C.ARTICLE_STANCE, C.ARTICLE_STANCE_TARGET) or (
            name in _PER_REGION and "start" not in value and "end" not in value
        ):
            if name in _PER_REGION:
                out.add(
                    rid,
                    f"{name!r} is a per-quote control but the region has no span",
                    "select the quote region, then choose/type the value",
                )
                continue
            key = "choices" if name == C.ARTICLE_STANCE else "text"
            allowed = schema.stance_labels if name == C.ARTICLE_STANCE else None
            what = "stance label" if name == C.ARTICLE_STANCE else "target text"
            if name in article_level:
                out.add(rid, f"{name!r} is given twice", "keep one article-level value")
                continue
            got = _single(value, key, rid, out, allowed, what)
            if got is not None:
                article_level[name] = got
            continue
        if not isinstance(rid, str) or not rid:
            out.add(
                f"result[{index}]", "region has no id", "export again (Label Studio gives every region an id)"
            )
            continue
        start, end = value.get("start"), value.get("end")
        if not (is_offset(start) and is_offset(end)):
            out.add(
                rid,
                f"value.start/end must be integers, got {start!r}/{end!r}",
                "delete the region and select the text again",
            )
            continue
        if not 0 <= start < end <= len(text):
            out.add(
                rid,
                f"span [{start}, {end}) is empty or outside the text (length {len(text)})",
                "delete the region and select the text again",
            )
            continue
        if name in _SPAN_CONTROLS:
            if rtype not in (None, "labels"):
                out.add(
                    rid, f"region type {rtype!r} for {name!r}, expected 'labels'", "use the generated config"
                )
                continue
            given = value.get("text")
            if given is not None and given != text[start:end]:
                out.add(
                    rid,
                    f"value.text {given!r} is not text[{start}:{end}] {text[start:end]!r}",
                    "the task text changed after annotation, or the offsets are "
                    "wrong: re-import the original text and redraw the region",
                )
                continue
            label = _single(value, "labels", rid, out, label_sets[name], f"{name} label")
            if label is None:
                continue
            if rid in spans:
                out.add(
                    rid,
                    f"region id is used by two span regions ({spans[rid][0]} and {name})",
                    "give each span region its own label control (one of entity, quote, cue)",
                )
                continue
            spans[rid] = (_SPAN_CONTROLS[name], start, end, label)
        elif name in _PER_REGION:
            key = "text" if name == C.QUOTE_STANCE_TARGET else "choices"
            allowed = {
                C.SPEAKER_ELIDED: (C.SPEAKER_ELIDED_CHOICE,),
                C.QUOTE_STANCE: schema.stance_labels,
                C.QUOTE_STANCE_TARGET: None,
            }[name]
            got = _single(value, key, rid, out, allowed, "target text" if key == "text" else f"{name} choice")
            if got is None:
                continue
            if name in per_region[rid]:
                out.add(rid, f"{name!r} is given twice for this region", "keep one value")
                continue
            per_region[rid][name] = (got, start, end)
        else:
            out.add(
                rid,
                f"unknown from_name {name!r}",
                f"use the generated labeling config (controls: {', '.join(C.CONTROL_NAMES)})",
            )

    # per-region values must sit on a quote region with the same span
    for rid, values in list(per_region.items()):
        span = spans.get(rid)
        for name, (_, start, end) in list(values.items()):
            if span is None or span[0] != "quote":
                out.add(
                    rid,
                    f"{name!r} refers to region {rid!r}, which is not a quote region",
                    "select a quote region before choosing speaker_elided / quote_stance",
                )
                del values[name]
            elif (start, end) != (span[1], span[2]):
                out.add(
                    rid,
                    f"{name!r} span [{start}, {end}) differs from its quote [{span[1]}, {span[2]})",
                    "redo the per-region value on the quote region",
                )
                del values[name]

    # relations: oriented by the region kinds, whichever way the arrow was drawn
    linked: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    same_entity: list[tuple[str, str]] = []
    for from_id, to_id, label, _direction in relations:
        rel = f"relation {from_id}->{to_id} ({label})"
        if from_id not in spans or to_id not in spans:
            missing = from_id if from_id not in spans else to_id
            out.add(
                rel,
                f"relation points to region {missing!r}, which is missing or was not converted",
                "delete the relation or redraw it between existing regions",
            )
            continue
        kinds = (spans[from_id][0], spans[to_id][0])
        want = _RELATION_KINDS[label]
        if kinds == want:
            a, b = from_id, to_id
        elif kinds == want[::-1]:
            a, b = to_id, from_id
        else:
            out.add(
                rel,
                f"{label} links a {kinds[0]} to a {kinds[1]}, expected {want[0]} → {want[1]}",
                "redraw the relation between the right kinds of region",
            )
            continue
        if label == C.SAME_ENTITY:
            same_entity.append((a, b))
        elif b not in linked[a][label]:
            linked[a][label].append(b)

    ids = sorted(
        (rid for rid, s in spans.items() if s[0] == "entity"), key=lambda r: (spans[r][1], spans[r][2], r)
    )
    cluster_of: dict[str, str] = {rid: rid for rid in ids}  # each its own, unless same_entity joins them
    if same_entity:
        for members in _components(ids, same_entity).values():
            head = min(members, key=lambda r: (spans[r][1], spans[r][2], r))
            for member in members:
                cluster_of[member] = head
    mentions = [
        Mention(rid, spans[rid][1], spans[rid][2], spans[rid][3], cluster=cluster_of[rid]) for rid in ids
    ]

    quotes: list[Quote] = []
    stances: list[Stance] = []
    quote_ids = sorted(
        (r for r, s in spans.items() if s[0] == "quote"), key=lambda r: (spans[r][1], spans[r][2], r)
    )
    for qid in quote_ids:
        _, start, end, kind = spans[qid]
        links = linked.get(qid, {})
        values = per_region.get(qid, {})
        cue = speaker = target_mention = None
        for label, what in (
            (C.SAID_BY, "speakers"),
            (C.HAS_CUE, "cues"),
            (C.STANCE_TARGET, "stance targets"),
        ):
            found = links.get(label, [])
            if len(found) > 1:
                out.add(
                    qid,
                    f"quote has {len(found)} {what} ({', '.join(found)})",
                    f"keep one {label} relation from this quote",
                )
        if len(links.get(C.HAS_CUE, [])) == 1:
            cue_region = spans[links[C.HAS_CUE][0]]
            cue = Span(cue_region[1], cue_region[2])
        if len(links.get(C.SAID_BY, [])) == 1:
            speaker = links[C.SAID_BY][0]
        if len(links.get(C.STANCE_TARGET, [])) == 1:
            target_mention = links[C.STANCE_TARGET][0]
        elided = C.SPEAKER_ELIDED in values
        if elided and speaker is None:
            out.add(
                qid,
                "speaker_elided is set but the quote has no said_by relation",
                "link the quote to the earlier mention of its speaker (said_by)",
            )
            elided = False
        quotes.append(Quote(qid, start, end, kind, cue=cue, speaker=speaker, speaker_elided=elided))
        if C.QUOTE_STANCE in values:
            target = values.get(C.QUOTE_STANCE_TARGET, (None,))[0]
            if target is None and target_mention is not None:
                target = text[spans[target_mention][1] : spans[target_mention][2]]
            if not target or not target.strip():
                out.add(
                    qid,
                    "quote_stance has no target",
                    "type the target in quote_stance_target or draw a "
                    "stance_target relation to an entity mention",
                )
                continue
            stances.append(
                Stance(f"st-{qid}", qid, target, values[C.QUOTE_STANCE][0], target_mention=target_mention)
            )
        elif C.QUOTE_STANCE_TARGET in values or target_mention is not None:
            out.add(
                qid,
                "a stance target is given but no quote_stance label",
                "choose favor/against/neutral for the quote, or remove the target",
            )
    # cue regions that no quote uses would vanish: report them
    used_cues = {c for links in linked.values() for c in links.get(C.HAS_CUE, [])}
    for rid, span in spans.items():
        if span[0] == "cue" and rid not in used_cues:
            out.add(rid, "cue region is not linked to any quote", "draw a has_cue relation from its quote")

    if C.ARTICLE_STANCE in article_level:
        target = article_level.get(C.ARTICLE_STANCE_TARGET) or data.get("target")
        if not isinstance(target, str) or not target.strip():
            out.add(
                None,
                "article_stance is set but there is no target (no article_stance_target, no data.target)",
                "type the target in article_stance_target",
            )
        else:
            stances.append(Stance(ARTICLE_STANCE_ID, ARTICLE_HOLDER, target, article_level[C.ARTICLE_STANCE]))
    else:
        if C.ARTICLE_STANCE_TARGET in article_level:
            out.add(
                None,
                "article_stance_target is given but article_stance is not",
                "choose the article stance, or clear the target",
            )
        if isinstance(data.get("target"), str) and data["target"]:
            fields["meta"].setdefault("target", data["target"])

    if out.problems and out.strict:
        return None
    try:
        article = Article.from_records(
            fields, entities=mentions, quotes=quotes, stances=stances, provenance=provenance, schema=schema
        )
    except ArticleError as error:
        for issue in error.issues:
            region = re.search(r"id='([^']*)'", issue.item)
            out.add(region.group(1) if region else issue.item, issue.message, issue.fix)
        out.problems = out.reject_all()
        return None
    return article


def export_to_articles(
    tasks: Iterable[Mapping[str, Any]],
    *,
    source: str | None = None,
    schema: LabelSchema = KHABAR,
    include_predictions: bool = False,
    strict: bool = True,
    user_emails: Mapping[int, str] | None = None,
) -> ConversionResult:
    """Convert a Label Studio JSON export (list of tasks) to articles.

    One :class:`Article` per non-cancelled annotation (per task, per annotator); cancelled
    (skipped) annotations are counted, not converted. With ``include_predictions`` each prediction
    becomes an article too (annotator ``"model:<model_version>"``). ``user_emails`` maps Label
    Studio user ids to e-mails (``completed_by`` is an id in the JSON export). See the module
    docstring for the ``strict`` error policy.
    """
    result = ConversionResult()
    for index, task in enumerate(tasks):
        result.tasks += 1
        task_id = task.get("id", f"#{index}") if _is_object(task) else f"#{index}"
        if not _is_object(task) or not _is_object(task.get("data")):
            result.problems.append(
                ConversionProblem(
                    task_id, None, None, "task has no 'data' object", "use Label Studio's JSON export"
                )
            )
            continue
        data = task["data"]
        doc_id = data.get("doc_id") if isinstance(data.get("doc_id"), str) else None
        task_meta = data.get("meta") if _is_object(data.get("meta")) else {}
        annotations = task.get("annotations") or []
        for annotation in annotations:
            if not _is_object(annotation):
                result.problems.append(
                    ConversionProblem(
                        task_id,
                        None,
                        None,
                        "annotation is not an object",
                        "use Label Studio's JSON export",
                        doc_id,
                    )
                )
                continue
            if annotation.get("was_cancelled"):
                result.cancelled += 1
                continue
            ann_id = annotation.get("id")
            ann_meta = annotation.get("meta") if _is_object(annotation.get("meta")) else {}
            lead = annotation.get("lead_time")
            provenance = Provenance(
                annotator=_annotator_name(annotation.get("completed_by"), user_emails),
                annotation_ids=() if ann_id is None else (str(ann_id),),
                guidelines_version=ann_meta.get("guidelines_version") or task_meta.get("guidelines_version"),
                lead_time=float(lead)
                if isinstance(lead, int | float) and not isinstance(lead, bool)
                else None,
                source=source,
            )
            out = _Collector(task_id, ann_id, doc_id, strict)
            article = _result_to_article(task, annotation.get("result"), provenance, out, schema)
            result.problems.extend(out.problems)
            if article is not None:
                result.articles.append(article)
        if include_predictions:
            for prediction in task.get("predictions") or []:
                if not _is_object(prediction):
                    result.problems.append(
                        ConversionProblem(
                            task_id,
                            None,
                            None,
                            "prediction is not an object",
                            "use Label Studio's snapshot JSON export",
                            doc_id,
                        )
                    )
                    continue
                pred_id = prediction.get("id")
                version = prediction.get("model_version") or "unknown"
                provenance = Provenance(
                    annotator=f"model:{version}",
                    annotation_ids=() if pred_id is None else (f"prediction-{pred_id}",),
                    guidelines_version=task_meta.get("guidelines_version"),
                    source=source,
                )
                out = _Collector(task_id, f"prediction-{pred_id}", doc_id, strict)
                if not isinstance(prediction.get("result"), list):
                    out.add(
                        None,
                        "prediction has no result list (the export gave prediction ids only?)",
                        "pull with a snapshot export (khabar annotate pull), which includes full predictions",
                    )
                    result.problems.extend(out.reject_all())
                    continue
                article = _result_to_article(task, prediction["result"], provenance, out, schema)
                result.problems.extend(out.problems)
                if article is not None:
                    result.predictions.append(article)
    return result


# --------------------------------------------------------------------------- writing


def article_to_task(article: Article) -> dict[str, Any]:
    """The Label Studio task ``data`` for an article (keys: the contract's, never ``id``).

    ``data.target`` (the claim/topic suggested for the article-level stance) comes from
    ``article.meta["target"]``, so every annotation of a document shares the same task data; the
    annotated article stance target itself travels in ``article_stance_target``.
    """
    data: dict[str, Any] = {"doc_id": article.doc_id, "text": article.text}
    for key in ("title", "source", "url", "published"):
        if getattr(article, key) is not None:
            data[key] = getattr(article, key)
    data["variety"] = article.variety
    if isinstance(article.meta.get("target"), str):
        data["target"] = article.meta["target"]  # the suggested claim/topic shown to annotators
    data["meta"] = dict(article.meta)
    return data


def _region(rid: str, name: str, rtype: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"id": rid, "from_name": name, "to_name": C.TEXT, "type": rtype, "value": value}


def _relation(from_id: str, to_id: str, label: str) -> dict[str, Any]:
    return {"from_id": from_id, "to_id": to_id, "type": "relation", "direction": "right", "labels": [label]}


def article_to_result(article: Article) -> list[dict[str, Any]]:
    """Regions and relations for an article, usable as an annotation or a prediction ``result``.

    Raises ``ValueError`` for what the contract cannot express: two stances held by one quote,
    two article-level stances, or an article-level stance with a ``target_mention``.
    """
    text = article.text
    taken = {m.id for m in article.entities} | {q.id for q in article.quotes}
    result: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    for m in article.entities:
        result.append(
            _region(
                m.id,
                C.ENTITY,
                "labels",
                {"start": m.start, "end": m.end, "text": text[m.start : m.end], "labels": [m.label]},
            )
        )
        if m.cluster != m.id:
            relations.append(_relation(m.id, m.cluster, C.SAME_ENTITY))
    stance_of: dict[str, Stance] = {}
    article_stance: Stance | None = None
    for s in article.stances:
        if s.holder == ARTICLE_HOLDER:
            if article_stance is not None:
                raise ValueError(
                    f"{article.doc_id}: stances {article_stance.id!r} and {s.id!r} are both held by "
                    "the article; the labeling config has one article stance (fix: keep one)"
                )
            if s.target_mention is not None:
                raise ValueError(
                    f"{article.doc_id}: article stance {s.id!r} has a target_mention, which the "
                    "labeling config cannot express (fix: set target_mention to null)"
                )
            article_stance = s
        else:
            if s.holder in stance_of:
                raise ValueError(
                    f"{article.doc_id}: quote {s.holder!r} holds two stances ({stance_of[s.holder].id!r},"
                    f" {s.id!r}); the labeling config has one per quote (fix: keep one)"
                )
            stance_of[s.holder] = s
    for q in article.quotes:
        span = {"start": q.start, "end": q.end, "text": text[q.start : q.end]}
        result.append(_region(q.id, C.QUOTE, "labels", {**span, "labels": [q.kind]}))
        if q.cue is not None:
            cue_id = f"{q.id}-cue"
            while cue_id in taken:
                cue_id += "_"
            taken.add(cue_id)
            result.append(
                _region(
                    cue_id,
                    C.CUE,
                    "labels",
                    {
                        "start": q.cue.start,
                        "end": q.cue.end,
                        "text": text[q.cue.start : q.cue.end],
                        "labels": [C.CUE_LABEL],
                    },
                )
            )
            relations.append(_relation(q.id, cue_id, C.HAS_CUE))
        if q.speaker is not None:
            relations.append(_relation(q.id, q.speaker, C.SAID_BY))
        if q.speaker_elided:
            result.append(
                _region(q.id, C.SPEAKER_ELIDED, "choices", {**span, "choices": [C.SPEAKER_ELIDED_CHOICE]})
            )
        stance = stance_of.get(q.id)
        if stance is not None:
            result.append(_region(q.id, C.QUOTE_STANCE, "choices", {**span, "choices": [stance.label]}))
            result.append(_region(q.id, C.QUOTE_STANCE_TARGET, "textarea", {**span, "text": [stance.target]}))
            if stance.target_mention is not None:
                relations.append(_relation(q.id, stance.target_mention, C.STANCE_TARGET))
    if article_stance is not None:
        result.append(
            _region(ARTICLE_STANCE_ID, C.ARTICLE_STANCE, "choices", {"choices": [article_stance.label]})
        )
        result.append(
            _region(
                f"{ARTICLE_STANCE_ID}-target",
                C.ARTICLE_STANCE_TARGET,
                "textarea",
                {"text": [article_stance.target]},
            )
        )
    return result + relations


def _completed_by(annotator: str | None) -> Any:
    if annotator is None:
        return None
    match = _USER_ID.fullmatch(annotator)
    return int(match.group(1)) if match else {"email": annotator}


def articles_to_export(
    articles: Iterable[Article],
    *,
    predictions: Iterable[Article] = (),
    model_version: str | None = None,
    first_task_id: int = 1,
) -> list[dict[str, Any]]:
    """Tasks in the Label Studio JSON export shape: one task per doc_id, one annotation per article.

    Several articles with the same doc_id (several annotators) become annotations of one task; they
    must carry the same task data. ``predictions`` become the tasks' predictions (their provenance
    annotator ``"model:<v>"`` gives the model version unless ``model_version`` is set).
    """
    tasks: dict[str, dict[str, Any]] = {}
    next_annotation = 1

    def task_for(article: Article, prediction: bool = False) -> dict[str, Any]:
        data = article_to_task(article)
        task = tasks.get(article.doc_id)
        if task is None:
            task = {"id": first_task_id + len(tasks), "data": data, "annotations": [], "predictions": []}
            tasks[article.doc_id] = task
        elif prediction and task["data"]["text"] != article.text:
            raise ValueError(
                f"{article.doc_id}: the prediction's text differs from the annotated text "
                "(fix: predict on the same text)"
            )
        elif not prediction and task["data"] != data:
            raise ValueError(
                f"{article.doc_id}: two articles with this doc_id carry different text/metadata "
                "(fix: annotations of one document must share its task data)"
            )
        return task

    used_ids: set[int] = set()
    for article in articles:
        task = task_for(article)
        prov = article.provenance
        ann_id = None
        if (
            prov.annotation_ids
            and prov.annotation_ids[0].isdigit()
            and int(prov.annotation_ids[0]) not in used_ids
        ):
            ann_id = int(prov.annotation_ids[0])
        else:
            while next_annotation in used_ids:
                next_annotation += 1
            ann_id = next_annotation
        used_ids.add(ann_id)
        annotation: dict[str, Any] = {
            "id": ann_id,
            "completed_by": _completed_by(prov.annotator),
            "result": article_to_result(article),
            "was_cancelled": False,
            "ground_truth": False,
            "task": task["id"],
        }
        if prov.lead_time is not None:
            annotation["lead_time"] = prov.lead_time
        if prov.guidelines_version is not None:
            annotation["meta"] = {"guidelines_version": prov.guidelines_version}
        task["annotations"].append(annotation)
    for number, article in enumerate(predictions, start=1):
        task = task_for(article, prediction=True)
        version = model_version or (article.provenance.annotator or "model:unknown").removeprefix("model:")
        task["predictions"].append(
            {
                "id": number,
                "model_version": version,
                "score": None,
                "result": article_to_result(article),
                "task": task["id"],
            }
        )
    return list(tasks.values())


def write_export(path: str | Path, tasks: Sequence[Mapping[str, Any]]) -> Path:
    """Write tasks as a Label Studio JSON export file (UTF-8, Arabic unescaped, indented)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(list(tasks), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
