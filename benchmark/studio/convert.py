"""Label Studio export ⇄ :class:`~benchmark.model.Article` (the Khabar Label Studio contract).

Export → articles: :func:`export_to_articles` turns every non-cancelled annotation (one per
task per annotator) into one :class:`Article`, and optionally every prediction too, and lists
every problem it finds as a :class:`ConversionProblem` naming the task id, annotation id, region
id, what is wrong and the fix. It works task by task (:func:`convert_task`); each annotation is
read by the layer readers of :mod:`benchmark.studio.readers`. Cancelled annotations and tasks
without a completed annotation are *notices* (``action="skipped"``): not converted, always listed
with the task, doc_id, annotation and why. A whole export file is checked by
:func:`benchmark.studio.export_scan.scan_export`, the one check of ``validate``, ``stats`` and ``build``.

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
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmark.io import InputError, iter_json_items, line_column, unwritable_values
from benchmark.model import Article, ArticleError, Provenance, Stance
from benchmark.schema import ARTICLE_HOLDER, KHABAR, LabelSchema
from benchmark.studio import config as C
from benchmark.studio.readers import (
    Collector,
    ConversionProblem,
    read_entities,
    read_quotes,
    read_regions,
    read_relations,
    read_stances,
)
from benchmark.studio.readers.problems import is_object as _is_object
from benchmark.studio.readers.stance import ARTICLE_STANCE_ID

if TYPE_CHECKING:  # pragma: no cover
    from benchmark.targets import Inventory

__all__ = [
    "ARTICLE_STANCE_ID",
    "ConversionProblem",
    "ConversionResult",
    "ExportError",
    "TaskOutcome",
    "article_to_result",
    "article_to_task",
    "articles_to_export",
    "convert_task",
    "export_to_articles",
    "load_export",
    "task_shape_problem",
    "task_to_article_fields",
    "write_export",
]

TASK_DATA_KEYS = ("doc_id", "text", "title", "source", "url", "published", "variety", "target", "meta", "topic",
                  "targets")
_ARTICLE_DATA_KEYS = ("doc_id", "text", "title", "source", "url", "published", "variety")
_USER_ID = re.compile(r"user-(\d+)")


class ExportError(InputError):
    """A Label Studio export file that cannot be read at all (not JSON, not a list of tasks)."""


@dataclass(slots=True)
class ConversionResult:
    """What :func:`export_to_articles` produced: annotator articles, prediction articles, problems
    and notices (what was skipped on purpose, e.g. cancelled annotations, and why)."""

    articles: list[Article] = field(default_factory=list)
    predictions: list[Article] = field(default_factory=list)
    problems: list[ConversionProblem] = field(default_factory=list)
    cancelled: int = 0
    tasks: int = 0
    notices: list[ConversionProblem] = field(default_factory=list)

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

    def add(self, outcome: TaskOutcome) -> None:
        """Add what one task gave."""
        self.tasks += 1
        self.articles.extend(outcome.articles)
        self.predictions.extend(outcome.predictions)
        self.problems.extend(outcome.problems)
        self.notices.extend(outcome.notices)
        self.cancelled += outcome.cancelled

    def summary(self) -> str:
        return (
            f"{self.tasks} task(s): {len(self.articles)} annotation article(s), "
            f"{len(self.predictions)} prediction article(s), {self.cancelled} cancelled (skipped), "
            f"{len(self.problems)} problem(s), {len(self.rejected)} rejection(s), {len(self.notices)} notice(s)"
        )


@dataclass(slots=True)
class TaskOutcome:
    """What one task gave: its articles (one per completed annotation) and predictions, the
    problems (each names the task, annotation, region and the fix) and the notices (annotations
    or the whole task skipped on purpose: cancelled, or no completed annotation)."""

    task_id: Any
    doc_id: str | None = None
    articles: list[Article] = field(default_factory=list)
    predictions: list[Article] = field(default_factory=list)
    problems: list[ConversionProblem] = field(default_factory=list)
    notices: list[ConversionProblem] = field(default_factory=list)
    cancelled: int = 0
    completed: list[tuple[Any, str | None]] = field(default_factory=list)
    """(annotation id, annotator) of every completed (not cancelled) annotation, converted or not."""


# --------------------------------------------------------------------------- reading

_JSON_MIN_KEYS = frozenset(("annotator", "annotation_id", "created_at", "updated_at", "lead_time"))


def task_shape_problem(task: Any) -> str | None:
    """Why ``task`` is not a task object of Label Studio's JSON export (None when it is one),
    naming the JSON-MIN export, whose items carry the task data at the top level."""
    if _is_object(task) and _is_object(task.get("data")):
        return None
    if not _is_object(task):
        return (f"the item is a {type(task).__name__}, not a task object (fix: export again from Label Studio "
                "choosing the JSON format)")
    if "data" in task:
        return (f"the task's 'data' is a {type(task['data']).__name__}, not an object (fix: export again from "
                "Label Studio choosing the JSON format)")
    if _JSON_MIN_KEYS & task.keys() or {"doc_id", "text"} & task.keys() or set(C.CONTROL_NAMES) & task.keys():
        return ("this is a Label Studio JSON-MIN export (task fields and labels at the top level, no 'data' "
                "object; it drops region ids and relations) (fix: export again choosing 'JSON', not 'JSON-MIN')")
    return "the item has no 'data' object (fix: use Label Studio's JSON export)"


def load_export(path: str | Path) -> list[dict[str, Any]]:
    """Read a Label Studio JSON export (a list of task objects), with a clear error when it is not
    one (naming the item, its line and column, and the fix: JSON-MIN, CSV, a truncated file…) or
    when a task holds a value that could not be written back (a lone surrogate, NaN)."""
    path = Path(path)
    if not path.is_file():
        raise ExportError(f"{path}: no such export file (fix: pass the path of a Label Studio JSON export)")
    tasks = []
    try:
        for item in iter_json_items(path):
            problem = task_shape_problem(item.value)
            if problem:
                line, column = line_column(path, item.offset)
                raise ExportError(f"{path}: item {item.index} (line {line}, column {column}) is not a "
                                  f"task object with a 'data' object: {problem}")
            if item.odd:  # a value no article may carry (it could never be written): refused here too
                doc_id = item.value["data"].get("doc_id")
                bad = _unwritable(item.value, item.value.get("id", f"#{item.index}"),
                                  doc_id if isinstance(doc_id, str) else None)
                if bad:
                    raise ExportError(f"{path}: " + "; ".join(str(p) for p in bad))
            tasks.append(item.value)
    except ExportError:
        raise
    except InputError as error:
        raise ExportError(str(error)) from None
    if not tasks:
        raise ExportError(f"{path}: {EMPTY_EXPORT}")
    return tasks


EMPTY_EXPORT = ("the export holds no tasks (an empty list) (fix: import and annotate tasks, then export the "
                "project again; check that no filter hid every task)")


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


def _result_to_article(
    task: Mapping[str, Any], result: Any, provenance: Provenance, out: Collector, schema: LabelSchema,
    inventory: Inventory | None = None,
) -> Article | None:
    """Convert one annotation/prediction ``result`` list with the layer readers
    (:mod:`benchmark.studio.readers`); report every problem into ``out``."""
    fields, task_problems = task_to_article_fields(task)
    for message, fix in task_problems:
        out.add(None, message, fix)
    if not isinstance(fields.get("doc_id"), str) or not isinstance(fields.get("text"), str):
        out.problems = out.reject_all()
        return None
    text: str = fields["text"]
    regions = read_regions(result, text, schema, out)
    links = read_relations(regions, out)
    mentions = read_entities(regions, links)
    quotes = read_quotes(regions, links, out)
    stances = read_stances(regions, links, quotes, text, task["data"], fields["meta"], out, inventory)
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


def _lead_time(value: Any, out: Collector) -> float | None:
    """An annotation's ``lead_time`` (seconds) as a float; NaN/±Infinity is reported (it would be
    written as invalid JSON), anything else not a number is left out as Label Studio omits it."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    lead = float(value)
    if not math.isfinite(lead):
        out.add(None, f"lead_time is {value!r}, which is not a number JSON can hold",
                "set lead_time to the seconds spent (or null) and export again")
        return None
    return lead


def _unwritable(task: Mapping[str, Any], task_id: Any, doc_id: str | None) -> list[ConversionProblem]:
    """Every value of the task that cannot be written back as UTF-8 JSON (a lone surrogate, NaN,
    ±Infinity), each naming its field and the annotation it sits in."""
    problems = []
    for path, what in unwritable_values(task):
        annotation_id = None
        found = re.match(r"(annotations|predictions)\[(\d+)\]", path)
        if found:
            item = task[found.group(1)][int(found.group(2))]
            annotation_id = item.get("id") if _is_object(item) else None
            if found.group(1) == "predictions":
                annotation_id = f"prediction-{annotation_id}"
        fix = ("replace the text with valid Unicode in the source (a lone surrogate is half of a UTF-16 pair, "
               "e.g. a cut emoji) and import the task again" if "surrogate" in what
               else "write a finite number or null there and export again")
        problems.append(ConversionProblem(task_id, annotation_id, None, f"field {path} holds {what}", fix, doc_id))
    return problems


def convert_task(
    task: Any,
    index: int = 0,
    *,
    source: str | None = None,
    schema: LabelSchema = KHABAR,
    include_predictions: bool = False,
    strict: bool = True,
    user_emails: Mapping[int, str] | None = None,
    check_values: bool = False,
    inventory: Inventory | None = None,
) -> TaskOutcome:
    """Convert one task of an export (item ``index``): every completed annotation (and with
    ``include_predictions`` every prediction) becomes an article or problems; every cancelled
    annotation, and a task without any completed annotation, becomes a notice naming the task,
    the annotation and why. ``check_values`` first looks through the whole task for values that
    cannot be written back (:func:`benchmark.io.unwritable_values`); any found rejects the task.
    With ``inventory``, the stance targets of an annotation of a task with ``data.topic`` are checked
    against it (:func:`~benchmark.studio.readers.read_stances`); predictions are not checked."""
    task_id = task.get("id", f"#{index}") if _is_object(task) else f"#{index}"
    shape = task_shape_problem(task)
    if shape:
        message, _, fix = shape.partition(" (fix: ")
        return TaskOutcome(task_id, problems=[ConversionProblem(task_id, None, None, message, fix.rstrip(")"))])
    data = task["data"]
    doc_id = data.get("doc_id") if isinstance(data.get("doc_id"), str) else None
    outcome = TaskOutcome(task_id, doc_id)
    if check_values:
        outcome.problems = _unwritable(task, task_id, doc_id)
        if outcome.problems:
            return outcome
    task_meta = data.get("meta") if _is_object(data.get("meta")) else {}
    for key in ("annotations", "predictions"):
        if not isinstance(task.get(key) or [], list):
            outcome.problems.append(ConversionProblem(
                task_id, None, None, f"task {key} must be a list, got {type(task[key]).__name__}",
                "export again from Label Studio choosing the JSON format", doc_id))
            return outcome
    for annotation in task.get("annotations") or []:
        _convert_annotation(task, annotation, task_meta, source, schema, strict, user_emails, outcome, inventory)
    if not outcome.completed:
        outcome.notices.append(_no_annotation_notice(task, outcome, include_predictions))
    if include_predictions:
        for prediction in task.get("predictions") or []:
            _convert_prediction(task, prediction, task_meta, source, schema, strict, outcome)
    return outcome


def _convert_annotation(task: Mapping[str, Any], annotation: Any, task_meta: Mapping[str, Any], source: str | None,
                        schema: LabelSchema, strict: bool, user_emails: Mapping[int, str] | None,
                        outcome: TaskOutcome, inventory: Inventory | None = None) -> None:
    """Convert one annotation of ``task`` into ``outcome``: an article, problems, or (cancelled) a notice."""
    task_id, doc_id = outcome.task_id, outcome.doc_id
    if not _is_object(annotation):
        outcome.problems.append(ConversionProblem(
            task_id, None, None, "annotation is not an object", "use Label Studio's JSON export", doc_id))
        return
    ann_id = annotation.get("id")
    annotator = _annotator_name(annotation.get("completed_by"), user_emails)
    if annotation.get("was_cancelled"):
        outcome.cancelled += 1
        outcome.notices.append(ConversionProblem(
            task_id, ann_id, None, f"annotation by {annotator or 'an unknown annotator'} was cancelled "
            "(skipped in Label Studio): not converted", "nothing, if the skip was meant; otherwise "
            "annotate the task again in Label Studio and export again", doc_id, "skipped"))
        return
    outcome.completed.append((ann_id, annotator))
    ann_meta = annotation.get("meta") if _is_object(annotation.get("meta")) else {}
    out = Collector(task_id, ann_id, doc_id, strict)
    provenance = Provenance(
        annotator=annotator,
        annotation_ids=() if ann_id is None else (str(ann_id),),
        guidelines_version=ann_meta.get("guidelines_version") or task_meta.get("guidelines_version"),
        lead_time=_lead_time(annotation.get("lead_time"), out),
        source=source,
    )
    article = _result_to_article(task, annotation.get("result"), provenance, out, schema, inventory)
    outcome.problems.extend(out.problems)
    if article is not None:
        outcome.articles.append(article)


def _no_annotation_notice(task: Mapping[str, Any], outcome: TaskOutcome, include_predictions: bool
                          ) -> ConversionProblem:
    """The notice for a task that gives no annotation article: why (cancelled, predictions only,
    nothing at all)."""
    predictions = task.get("predictions") or []
    why = []
    if outcome.cancelled:
        why.append(f"{outcome.cancelled} cancelled annotation(s)")
    if predictions:
        why.append(f"{len(predictions)} prediction(s) only" + ("" if include_predictions else
                                                              ", which are not annotations"))
    reason = ", ".join(why) or "no annotations"
    return ConversionProblem(
        outcome.task_id, None, None, f"task has no completed annotation ({reason}): no annotation article for it",
        "annotate it in Label Studio (accept or correct the predictions) and export again, or delete the task "
        "if it is not meant to be released", outcome.doc_id, "skipped")


def _convert_prediction(task: Mapping[str, Any], prediction: Any, task_meta: Mapping[str, Any],
                        source: str | None, schema: LabelSchema, strict: bool, outcome: TaskOutcome) -> None:
    """Convert one prediction of ``task`` into ``outcome`` (an article under ``predictions``, or problems)."""
    task_id, doc_id = outcome.task_id, outcome.doc_id
    if not _is_object(prediction):
        outcome.problems.append(ConversionProblem(
            task_id, None, None, "prediction is not an object", "use Label Studio's snapshot JSON export", doc_id))
        return
    pred_id = prediction.get("id")
    version = prediction.get("model_version") or "unknown"
    provenance = Provenance(
        annotator=f"model:{version}",
        annotation_ids=() if pred_id is None else (f"prediction-{pred_id}",),
        guidelines_version=task_meta.get("guidelines_version"),
        source=source,
    )
    out = Collector(task_id, f"prediction-{pred_id}", doc_id, strict)
    if not isinstance(prediction.get("result"), list):
        out.add(
            None,
            "prediction has no result list (the export gave prediction ids only?)",
            "pull with a snapshot export (khabar annotate pull), which includes full predictions",
        )
        outcome.problems.extend(out.reject_all())
        return
    article = _result_to_article(task, prediction["result"], provenance, out, schema)
    outcome.problems.extend(out.problems)
    if article is not None:
        outcome.predictions.append(article)


def export_to_articles(
    tasks: Iterable[Mapping[str, Any]],
    *,
    source: str | None = None,
    schema: LabelSchema = KHABAR,
    include_predictions: bool = False,
    strict: bool = True,
    user_emails: Mapping[int, str] | None = None,
    inventory: Inventory | None = None,
) -> ConversionResult:
    """Convert a Label Studio JSON export (list of tasks) to articles, task by task
    (:func:`convert_task`).

    One :class:`Article` per non-cancelled annotation (per task, per annotator); cancelled
    (skipped) annotations are counted and listed as notices, not converted, as is every task
    without a completed annotation. With ``include_predictions`` each prediction
    becomes an article too (annotator ``"model:<model_version>"``). ``user_emails`` maps Label
    Studio user ids to e-mails (``completed_by`` is an id in the JSON export). See the module
    docstring for the ``strict`` error policy. ``inventory`` (:func:`benchmark.targets.read_inventory`)
    checks the stance targets of annotated tasks that carry ``data.topic`` (:func:`convert_task`);
    without it nothing about targets is checked.
    """
    result = ConversionResult()
    for index, task in enumerate(tasks):
        result.add(convert_task(task, index, source=source, schema=schema, include_predictions=include_predictions,
                                strict=strict, user_emails=user_emails, inventory=inventory))
    return result


# --------------------------------------------------------------------------- writing


def article_to_task(article: Article, inventory: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The Label Studio task ``data`` for an article (keys: the contract's, never ``id``).

    ``inventory`` (:func:`benchmark.targets.task_data`) gives ``data.topic`` and ``data.targets``
    (the topic's stance target inventory, one ``id  target`` per line), shown in the stance header
    and read back by the converter's target check; without it both are ``""`` (no topic: nothing
    checked), written for the same reason as ``target``.

    ``data.target`` (the claim/topic suggested for the article-level stance) comes from
    ``article.meta["target"]``, so every annotation of a document shares the same task data; the
    annotated article stance target itself travels in ``article_stance_target``. It is always
    written, ``""`` when there is no suggestion: the labeling config shows ``$target`` in the
    article-stance header, and Label Studio prints a missing key as "undefined" (an empty one is
    read back as no suggestion).
    """
    data: dict[str, Any] = {"doc_id": article.doc_id, "text": article.text}
    for key in ("title", "source", "url", "published"):
        if getattr(article, key) is not None:
            data[key] = getattr(article, key)
    data["variety"] = article.variety
    suggested = article.meta.get("target")
    data["target"] = suggested if isinstance(suggested, str) else ""  # the claim/topic shown to annotators
    data["meta"] = dict(article.meta)
    for key in ("topic", "targets"):
        data[key] = (inventory or {}).get(key, "")
    return data


def _region(rid: str, name: str, rtype: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"id": rid, "from_name": name, "to_name": C.TEXT, "type": rtype, "value": value}


def _relation(from_id: str, to_id: str, label: str) -> dict[str, Any]:
    return {"from_id": from_id, "to_id": to_id, "type": "relation", "direction": "right", "labels": [label]}


def article_to_result(article: Article, schema: LabelSchema = KHABAR) -> list[dict[str, Any]]:
    """Regions and relations for an article, usable as an annotation or a prediction ``result``.

    A mention whose label is one of ``schema.source_labels`` (``SOURCE``) goes to the ``source``
    control, every other mention to ``entity``.

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
                C.SOURCE if m.label in schema.source_labels else C.ENTITY,
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
    schema: LabelSchema = KHABAR,
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
            "result": article_to_result(article, schema),
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
                "result": article_to_result(article, schema),
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
