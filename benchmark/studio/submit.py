"""Submit annotations made outside the Label Studio UI as a given user's annotations of a project's tasks.

A scripted pass, an AI pass or a file-based review gives :class:`~benchmark.model.Article` objects
(Article JSONL, or locator JSONL resolved against the raw texts by :mod:`benchmark.authoring`).
:func:`submit_annotations` puts each one on the project's task with the same doc_id, as the
annotation of the named user (``completed_by``: the export, agreement and adjudication see that
user's annotation, exactly as if it had been made in the UI), converted by
:func:`~benchmark.studio.convert.article_to_result`.

Everything is checked before anything is written; every problem names the doc_id (and the input
line) and the fix: a doc_id with no task, a doc_id given twice, a text that differs from the task's
text, a task this user already annotated (unless ``existing="replace"``, which deletes that user's
annotation of the task first, or ``"skip"``, which leaves it alone: a re-run). The user must exist
in the server's organisation (``khabar annotate users add``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmark.model import Article
from benchmark.schema import KHABAR, LabelSchema
from benchmark.studio.client import StudioClient, StudioError
from benchmark.studio.convert import article_to_result

__all__ = ["EXISTING", "SubmitError", "SubmitReport", "read_submission", "submit_annotations"]

EXISTING = ("refuse", "replace", "skip")
"""What to do with a task the user already annotated."""


class SubmitError(StudioError):
    """Annotations that cannot be submitted; ``problems`` lists each (doc_id, what, the fix)."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        listed = "\n".join(f"  {i}. {p}" for i, p in enumerate(self.problems, start=1))
        super().__init__(f"{len(self.problems)} problem(s); nothing was submitted:\n{listed}")


@dataclass(slots=True)
class SubmitReport:
    """What :func:`submit_annotations` did."""

    user: str
    created: int = 0
    replaced: int = 0
    skipped: int = 0

    def summary(self) -> str:
        return (f"{self.created + self.replaced} annotation(s) submitted as {self.user} ({self.replaced} replacing "
                f"this user's earlier annotation), {self.skipped} task(s) already annotated by this user left alone")


def read_submission(path: str | Path, *, texts: str | Path | None = None,
                    schema: LabelSchema = KHABAR) -> list[Article]:
    """The articles of an annotation file: Article JSONL, or (with ``texts``, Article JSONL of the raw
    articles) locator JSONL resolved by :func:`benchmark.authoring.resolve_record`. Every problem of
    every line is listed in one :class:`SubmitError`."""
    from benchmark.io import InputError, iter_jsonl_records, read_articles

    if texts is None:
        try:
            return list(read_articles(path, schema=schema))
        except InputError as error:
            raise SubmitError([str(error)]) from None
    from benchmark.authoring import resolve_record
    from benchmark.model import ArticleError

    try:
        bases = {a.doc_id: a for a in read_articles(texts, schema=None)}
    except InputError as error:
        raise SubmitError([str(error)]) from None
    articles, problems = [], []
    for number, record, issue in iter_jsonl_records(path):
        if issue is not None:
            problems.append(f"{Path(path).name}:{number}: {issue}")
            continue
        doc_id = record.get("doc_id") if isinstance(record, dict) else None
        if doc_id not in bases:
            problems.append(f"{Path(path).name}:{number}: doc_id {doc_id!r} is not in {texts} (fix: check the "
                            "doc_id, or pass the raw texts the locators were written on)")
            continue
        try:
            articles.append(resolve_record(record, bases[doc_id].text, schema=schema, base=bases[doc_id]))
        except ArticleError as error:
            problems.extend(f"{Path(path).name}:{number}: {p}" for p in error.issues)
    if problems:
        raise SubmitError(problems)
    return articles


def _user_id(client: StudioClient, email: str) -> int:
    for user_id, known in client.user_emails().items():
        if known.lower() == email.lower():
            return user_id
    raise StudioError(f"no user {email} at {client.url} (fix: create the account first: "
                      f"khabar annotate users add {email})")


def _annotations_by(client: StudioClient, project: int, user_id: int) -> dict[int, list[int]]:
    """Task id → the ids of the annotations ``user_id`` made on it (cancelled ones too)."""
    found: dict[int, list[int]] = {}
    with client._calling("list the project's annotations"):
        for task in client.sdk.tasks.list(project=project, page_size=1000, fields="all"):
            for annotation in getattr(task, "annotations", None) or []:
                who = annotation.get("completed_by") if isinstance(annotation, dict) else None
                who = who.get("id") if isinstance(who, dict) else who
                if who == user_id:
                    found.setdefault(int(task.id), []).append(int(annotation["id"]))
    return found


def submit_annotations(client: StudioClient, project: int, articles: Iterable[Article], email: str, *,
                       existing: str = "refuse", schema: LabelSchema = KHABAR) -> SubmitReport:
    """Submit each article as ``email``'s annotation of the project task with its doc_id (see the
    module docstring). Raises :class:`SubmitError` listing every problem before anything is written."""
    if existing not in EXISTING:
        raise ValueError(f"existing={existing!r}: use one of {', '.join(EXISTING)}")
    articles = list(articles)
    user_id = _user_id(client, email)
    tasks, _ = client.existing_tasks(project)
    done = _annotations_by(client, project, user_id)
    problems: list[str] = []
    seen: set[str] = set()
    plan: list[tuple[Article, int, list[int], list[dict[str, Any]]]] = []
    for article in articles:
        info = tasks.get(article.doc_id)
        if article.doc_id in seen:
            problems.append(f"{article.doc_id}: given twice (fix: keep one annotation per doc_id in the file)")
        elif info is None:
            problems.append(f"{article.doc_id}: the project has no task with this doc_id (fix: push the article "
                            "first with `khabar annotate push`, or correct the doc_id)")
        elif info.text != article.text:
            problems.append(f"{article.doc_id}: the annotation's text differs from task {info.id}'s text (fix: "
                            "annotate the text the task holds; offsets are only valid on it)")
        elif info.id in done and existing == "refuse":
            problems.append(f"{article.doc_id}: task {info.id} already has annotation(s) "
                            f"{', '.join(map(str, done[info.id]))} by {email} (fix: pass --replace to replace it, "
                            "or leave this doc_id out)")
        else:
            try:
                result = article_to_result(article, schema)
            except ValueError as error:
                problems.append(str(error))
            else:
                plan.append((article, info.id, done.get(info.id, []), result))
        seen.add(article.doc_id)
    if problems:
        raise SubmitError(problems)
    report = SubmitReport(email)
    for article, task_id, earlier, result in plan:
        if earlier and existing == "skip":
            report.skipped += 1
            continue
        with client._calling(f"submit the annotation of {article.doc_id} (task {task_id}) as {email}"):
            for annotation_id in earlier:
                client.sdk.annotations.delete(id=annotation_id)
            extra: dict[str, Any] = {}
            if article.provenance.lead_time is not None:
                extra["lead_time"] = article.provenance.lead_time
            client.sdk.annotations.create(id=task_id, result=result, completed_by=user_id, **extra)
        if earlier:
            report.replaced += 1
        else:
            report.created += 1
    return report
