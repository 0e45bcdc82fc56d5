"""Talk to a Label Studio server: set up the project, push articles, pull exports.

Built on ``label-studio-sdk`` 2.x (``from label_studio_sdk import LabelStudio``), imported
lazily. Every failure becomes a :class:`StudioError` whose message names the server URL and
the fix — never the token (it is not kept in any repr either).

- :meth:`StudioClient.setup_project` — create or update the project by title (idempotent).
- :meth:`StudioClient.push` — import articles in batches, keyed on ``doc_id``: tasks that exist
  are never re-created, annotated tasks are never touched; predictions go inline with new
  tasks, or onto existing unannotated tasks that lack that model version.
- :meth:`StudioClient.export_snapshot` — a snapshot export with full predictions, annotator
  e-mails filled in (``download_sync`` would give prediction ids only).

>>> StudioClient("http://127.0.0.1:1", "secret-token")
StudioClient(url='http://127.0.0.1:1')
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmark.model import Article, ArticleError, Issue
from benchmark.schema import KHABAR, LabelSchema
from benchmark.studio.config import labeling_config
from benchmark.studio.convert import article_to_result, article_to_task

__all__ = ["PushReport", "StudioClient", "StudioError", "TaskInfo", "read_predictions"]

DEFAULT_URL = "http://127.0.0.1:8080"
MIN_PASSWORD, MAX_PASSWORD = 8, 128  # label-studio 1.23: AUTH_PASSWORD_MIN_LENGTH / _MAX_LENGTH


class StudioError(RuntimeError):
    """A Label Studio call failed; the message names the URL and the fix (never the token)."""


@dataclass(frozen=True, slots=True)
class TaskInfo:
    """What the server already holds for one doc_id."""

    id: int
    text: str
    annotations: int
    model_versions: tuple[str, ...]


@dataclass(slots=True)
class PushReport:
    """What :meth:`StudioClient.push` did; every article is counted in exactly one bucket."""

    created: int = 0
    existing: int = 0
    predictions_added: int = 0
    predictions_skipped_annotated: int = 0
    predictions_skipped_present: int = 0
    changed_on_server: list[str] = field(default_factory=list)
    duplicates_on_server: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [
            f"created {self.created} task(s); {self.existing} already on the server (left as they are)",
            f"predictions: {self.predictions_added} added, {self.predictions_skipped_present} already "
            f"present, {self.predictions_skipped_annotated} skipped (task already annotated)",
        ]
        if self.changed_on_server:
            lines.append(
                f"WARNING: {len(self.changed_on_server)} doc_id(s) have a different text on the server "
                f"(not updated): {', '.join(self.changed_on_server[:10])}"
            )
        if self.duplicates_on_server:
            lines.append(
                f"WARNING: {len(self.duplicates_on_server)} doc_id(s) appear in several tasks on the "
                f"server: {', '.join(self.duplicates_on_server[:10])}"
            )
        return "\n".join(lines)


def _batches(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class StudioClient:
    """A connection to one Label Studio server (URL + API token)."""

    def __init__(self, url: str, token: str, *, timeout: float = 120.0):
        if not url:
            raise StudioError("no Label Studio URL (fix: pass --url or set KHABAR_LS_URL)")
        if not token:
            raise StudioError(f"no API token for {url} (fix: pass --token or set KHABAR_LS_TOKEN)")
        self.url = url.rstrip("/")
        self.__token = token
        self.timeout = timeout
        self._sdk: Any = None

    def __repr__(self) -> str:
        return f"StudioClient(url={self.url!r})"

    @property
    def sdk(self) -> Any:
        """The ``label_studio_sdk.LabelStudio`` client (created on first use)."""
        if self._sdk is None:
            from label_studio_sdk import LabelStudio

            self._sdk = LabelStudio(base_url=self.url, api_key=self.__token, timeout=self.timeout)
        return self._sdk

    @contextlib.contextmanager
    def _calling(self, what: str) -> Iterator[None]:
        """Turn SDK/HTTP failures into a :class:`StudioError` naming the URL (never the token)."""
        import httpx
        from label_studio_sdk.core.api_error import ApiError

        try:
            yield
        except httpx.ConnectError:
            raise StudioError(
                f"cannot reach Label Studio at {self.url} while trying to {what} (fix: start it "
                "with `khabar annotate serve`, or set --url / KHABAR_LS_URL)"
            ) from None
        except httpx.TimeoutException:
            raise StudioError(
                f"Label Studio at {self.url} did not answer in {self.timeout:.0f} s while trying to "
                f"{what} (fix: retry, or raise --timeout)"
            ) from None
        except httpx.TransportError as error:
            raise StudioError(
                f"the connection to Label Studio at {self.url} broke while trying to {what} "
                f"({type(error).__name__}; the server may have stopped) (fix: check the server, then rerun: "
                "push and setup are idempotent)"
            ) from None
        except ApiError as error:
            status = error.status_code
            if status in (401, 403):
                raise StudioError(
                    f"Label Studio at {self.url} rejected the API token (HTTP {status}) while trying "
                    f"to {what} (fix: check --token / KHABAR_LS_TOKEN; the token is not shown)"
                ) from None
            body = error.body if isinstance(error.body, str | dict | list) else repr(error.body)
            text = json.dumps(body, ensure_ascii=False)[:500].replace(self.__token, "***")
            raise StudioError(
                f"Label Studio at {self.url} answered HTTP {status} while trying to {what}: {text}"
            ) from None

    # -- basics --------------------------------------------------------------------------

    def check(self) -> str:
        """Check the server answers and the token is accepted; return the user's e-mail."""
        with self._calling("check the connection"):
            return str(self.sdk.users.whoami().email)

    def user_emails(self) -> dict[int, str]:
        """Label Studio user id → e-mail."""
        with self._calling("list users"):
            return {int(user.id): str(user.email) for user in self.sdk.users.list()}

    def ensure_user(self, email: str, password: str) -> int:
        """The id of the user with this e-mail, created when missing (see :meth:`add_user`)."""
        for user_id, known in self.user_emails().items():
            if known == email:
                return user_id
        return self.add_user(email, password)

    def add_user(self, email: str, password: str) -> int:
        """Create an annotator account that can log in on the web UI; return its id.

        Label Studio's user API ignores a password (``POST /api/users`` makes an account nobody can
        log in to), so the account is made the way a person would make it: the organisation's
        invite link (``GET /api/invite``, admin token) and the sign-up form, with its CSRF token.
        The new user joins the organisation. Raises :class:`StudioError` when the e-mail is taken or
        the server refuses the password (its message; never the password).
        """
        if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
            raise StudioError(
                f"the password for {email} has {len(password)} characters; Label Studio needs "
                f"{MIN_PASSWORD}–{MAX_PASSWORD} (fix: choose another, or let --write-password make one)"
            )
        if email.lower() in {known.lower() for known in self.user_emails().values()}:
            raise StudioError(
                f"a user {email} already exists at {self.url} (fix: choose another e-mail; to set a new "
                "password, stop the server and run `label-studio reset_password --username EMAIL --data-dir D`)"
            )
        with self._calling("get the organisation's invite link"):
            invite = self.sdk.organizations.invites.get_invite_link()
        self._sign_up(email, password, str(invite.token or ""))
        for user_id, known in self.user_emails().items():
            if known.lower() == email.lower():
                return user_id
        raise StudioError(f"the sign-up of {email} at {self.url} left no such user (fix: see the server log)")

    def _sign_up(self, email: str, password: str, invite_token: str) -> None:
        """Fill in the web sign-up form (``/user/signup/?token=…``) as a browser would."""
        import html
        import re

        import httpx

        path = f"/user/signup/?token={invite_token}"
        with self._calling(f"sign up {email}"), httpx.Client(base_url=self.url, timeout=self.timeout) as web:
            page = web.get(path)
            if page.status_code != 200:
                raise StudioError(
                    f"Label Studio at {self.url} answered HTTP {page.status_code} for its sign-up page "
                    "(fix: check that the token is an administrator's)"
                )
            form = {
                "csrfmiddlewaretoken": web.cookies.get("csrftoken", ""),
                "email": email,
                "password": password,
                "allow_newsletters": "false",
            }
            answer = web.post(path, data=form, headers={"Referer": f"{self.url}{path}"})
        if answer.status_code == 302:  # the form redirects to the projects page on success
            return
        reasons = [html.unescape(r).strip() for r in re.findall(r"<li>(.*?)</li>", answer.text, flags=re.S)]
        reasons = [r for r in reasons if r and password not in r] or [f"HTTP {answer.status_code}"]
        raise StudioError(f"Label Studio at {self.url} refused to sign up {email}: {'; '.join(reasons)}")

    # -- project -------------------------------------------------------------------------

    def find_project(self, title: str) -> int | None:
        """The id of the project with this exact title (``StudioError`` when several share it)."""
        with self._calling("list projects"):
            found = [p.id for p in self.sdk.projects.list(title=title, page_size=100) if p.title == title]
        if len(found) > 1:
            raise StudioError(
                f"{len(found)} projects at {self.url} are titled {title!r} (ids {found}) "
                "(fix: rename or delete the extra ones)"
            )
        return int(found[0]) if found else None

    def project_id(self, title: str) -> int:
        found = self.find_project(title)
        if found is None:
            raise StudioError(f"no project titled {title!r} at {self.url} (fix: run `khabar annotate setup`)")
        return found

    def setup_project(
        self, title: str, *, description: str = "", schema: LabelSchema = KHABAR
    ) -> tuple[int, bool]:
        """Create the project, or update its labeling config; return ``(id, created)``."""
        config = labeling_config(schema)
        project = self.find_project(title)
        if project is None:
            with self._calling(f"create project {title!r}"):
                created = self.sdk.projects.create(
                    title=title, description=description, label_config=config, show_skip_button=True
                )
            return int(created.id), True
        with self._calling(f"update the labeling config of project {title!r}"):
            self.sdk.projects.update(project, label_config=config, description=description)
        return project, False

    # -- tasks ---------------------------------------------------------------------------

    def existing_tasks(self, project: int) -> tuple[dict[str, TaskInfo], list[str]]:
        """doc_id → :class:`TaskInfo` for every task (one paged listing), plus doc_ids seen twice."""
        found: dict[str, TaskInfo] = {}
        duplicates: list[str] = []
        with self._calling("list existing tasks"):
            for task in self.sdk.tasks.list(
                project=project,
                page_size=1000,
                include="id,data,total_annotations,predictions_model_versions",
            ):
                data = task.data or {}
                doc_id = data.get("doc_id")
                if not isinstance(doc_id, str):
                    continue
                versions = getattr(task, "predictions_model_versions", None) or ()
                if isinstance(versions, str):
                    versions = tuple(v.strip() for v in versions.split(",") if v.strip())
                info = TaskInfo(
                    int(task.id), str(data.get("text", "")), int(task.total_annotations or 0), tuple(versions)
                )
                if doc_id in found:
                    duplicates.append(doc_id)
                else:
                    found[doc_id] = info
        return found, duplicates

    def push(
        self,
        project: int,
        articles: Iterable[Article],
        *,
        predictions: Mapping[str, Article] | None = None,
        model_version: str | None = None,
        batch_size: int = 500,
        progress: bool = True,
        inventory: Mapping[str, Mapping[str, str]] | None = None,
    ) -> PushReport:
        """Import articles (and predictions) idempotently, keyed on doc_id.

        ``inventory`` maps doc_id → the task data of the stance target inventory
        (:func:`benchmark.targets.task_data`: ``topic``, ``targets``), written into each new task.

        New doc_ids become tasks (with their prediction inline); existing tasks are left as they
        are; a prediction is added to an existing task only when it has no annotation and no
        prediction of ``model_version`` yet. Safe to re-run after an interruption.
        """
        from tqdm.auto import tqdm

        predictions = dict(predictions or {})
        if predictions and not model_version:
            raise StudioError("predictions need a model version (fix: pass --model-version)")
        existing, duplicates = self.existing_tasks(project)
        report = PushReport(duplicates_on_server=duplicates)
        new: list[dict[str, Any]] = []
        texts: dict[str, str] = {doc: info.text for doc, info in existing.items()}
        seen: set[str] = set()
        for article in articles:
            if article.doc_id in seen:
                raise StudioError(
                    f"{article.doc_id}: doc_id appears twice in the input (fix: make doc_ids unique)"
                )
            seen.add(article.doc_id)
            info = existing.get(article.doc_id)
            if info is not None:
                report.existing += 1
                if info.text != article.text:
                    report.changed_on_server.append(article.doc_id)
                continue
            texts[article.doc_id] = article.text
            task: dict[str, Any] = {"data": article_to_task(article, (inventory or {}).get(article.doc_id))}
            prediction = predictions.get(article.doc_id)
            if prediction is not None:
                _check_prediction(prediction, article.text)
                task["predictions"] = [
                    {"model_version": model_version, "result": article_to_result(prediction)}
                ]
            new.append(task)
        late: list[dict[str, Any]] = []
        for doc_id, prediction in predictions.items():
            info = existing.get(doc_id)
            if info is None:
                if doc_id not in texts:
                    raise StudioError(
                        f"{doc_id}: prediction for a doc_id that is neither in the articles nor on "
                        "the server (fix: push the article too, or drop the prediction)"
                    )
                continue
            _check_prediction(prediction, info.text)
            if info.annotations:
                report.predictions_skipped_annotated += 1
            elif model_version in info.model_versions:
                report.predictions_skipped_present += 1
            else:
                late.append(
                    {"task": info.id, "model_version": model_version, "result": article_to_result(prediction)}
                )
        bar = tqdm(total=len(new) + len(late), unit="task", desc="push", disable=not progress)
        for batch in _batches(new, batch_size):
            with self._calling(f"import {len(batch)} task(s)"):
                self.sdk.projects.import_tasks(project, request=batch)
            report.created += len(batch)
            report.predictions_added += sum(1 for t in batch if "predictions" in t)
            bar.update(len(batch))
        for batch in _batches(late, batch_size):
            with self._calling(f"import {len(batch)} prediction(s)"):
                self.sdk.projects.import_predictions(project, request=batch)
            report.predictions_added += len(batch)
            bar.update(len(batch))
        bar.close()
        return report

    # -- export --------------------------------------------------------------------------

    def export_snapshot(
        self, project: int, *, title: str = "khabar pull", progress: bool = False
    ) -> list[dict[str, Any]]:
        """Every task with its annotations and full predictions (a snapshot export).

        ``progress`` shows the download (bytes) as a tqdm bar on stderr.

        ``completed_by`` is filled in as ``{"id", "email"}`` from one ``users.list`` call rather than
        by the server's own expansion (same shape, ~13% faster export; docs/perf-studio.md).
        """
        options = {"predictions": {"only_id": False}}
        with self._calling("create a snapshot export"):
            export = self.sdk.projects.exports.create(project, title=title, serialization_options=options)
        from tqdm.auto import tqdm

        chunks: list[bytes] = []
        with self._calling("download the snapshot export"), tqdm(
            unit="B", unit_scale=True, desc="download", disable=not progress
        ) as bar:
            for chunk in self.sdk.projects.exports.download(project, export.id, export_type="JSON"):
                chunks.append(chunk)
                bar.update(len(chunk))
        raw = b"".join(chunks)
        # the snapshot file is a server-side copy: failing to delete it is harmless
        with contextlib.suppress(Exception):
            self.sdk.projects.exports.delete(project, export.id)
        try:
            tasks = json.loads(raw)
        except json.JSONDecodeError as error:
            raise StudioError(
                f"the export from {self.url} is not valid JSON ({error.msg}) (fix: retry the pull)"
            ) from None
        if not isinstance(tasks, list):
            raise StudioError(f"the export from {self.url} is not a list of tasks (fix: retry the pull)")
        emails = self.user_emails()
        for task in tasks:
            for annotation in task.get("annotations") or []:
                user = annotation.get("completed_by")
                if isinstance(user, int) and not isinstance(user, bool):
                    annotation["completed_by"] = {"id": user, "email": emails.get(user, f"user-{user}")}
        return tasks


def _check_prediction(prediction: Article, text: str) -> None:
    if prediction.text != text:
        raise StudioError(
            f"{prediction.doc_id}: the prediction's text differs from the article text, so its "
            "offsets would be wrong (fix: predict on the same text that is pushed)"
        )


# --------------------------------------------------------------------------- prediction files


def read_predictions(
    path: str | Path,
    texts: Mapping[str, str],
    schema: LabelSchema = KHABAR,
    *,
    articles: Mapping[str, Article] | None = None,
    warnings: list[Issue] | None = None,
) -> dict[str, Article]:
    """Read a prediction file: JSONL of Article dicts, or of any baseline's submission lines (DESIGN §5).

    - an Article dict (with ``text``): every layer as it is;
    - an ``ner``/``quotes`` submission row ``{"doc_id", "entities": [{start, end, label}], "quotes":
      [{start, end, kind, "cue": {start, end} | null, "speaker": {start, end} | null}]}`` (either
      list may be missing); its text is taken from ``texts`` (doc_id → article text). A quote's
      speaker span that is not one of the row's entities becomes a mention of its own (label
      :func:`speaker_label`, id ``p-s<n>``), so a quotes submission pre-annotates whole;
    - a ``stance`` submission line ``{"id": "<doc_id>#<n>", "label", "quote"?}`` (stance v2.0 row ids,
      matched to the pushed article's stance rows), ``{"id": "<doc_id>#<stance_id>", "label"}`` or
      ``{"doc_id", "stance_id", "label"}``: the labels replace those of the article's stances in
      ``articles`` (the pushed articles: their quotes hold the stances), and only the predicted stances
      are kept.

    Fields a submission line does not define (a ``model`` name, an entity ``score``) are ignored and
    named in ``warnings`` (line, item, field), as ``khabar evaluate`` does; an unknown field on a row
    with neither ``entities`` nor ``quotes`` stays an error (a typo). Raises
    :class:`~benchmark.model.ArticleError` listing every bad line.
    """
    from benchmark.io import iter_jsonl_records

    warnings = [] if warnings is None else warnings

    found: dict[str, Article] = {}
    stance_lines: dict[str, dict[str, tuple[int, Any]]] = {}
    problems: list[Issue] = []
    for number, record, issue in iter_jsonl_records(path):
        where = f"{Path(path).name}:{number}"
        if issue is not None:
            problems.append(issue)
            continue
        if isinstance(record, dict) and _is_stance_line(record):
            _collect_stance_line(record, number, where, stance_lines, problems)
            known = {"stance_id", "doc_id", "label"} if "stance_id" in record else {"id", "label", "quote"}
            _warn_ignored(str(record.get("doc_id") or record.get("id")), f"line {number}", record, known, warnings)
            continue
        if not isinstance(record, dict) or not isinstance(record.get("doc_id"), str):
            problems.append(
                Issue(where, "doc_id", "line has no doc_id", "write one object with a doc_id per line")
            )
            continue
        doc_id = record["doc_id"]
        try:
            if "text" in record:
                article = Article.from_dict(record, schema)
            else:
                article = _submission_row_to_article(record, texts, schema, number, warnings)
        except ArticleError as error:
            problems.extend(
                Issue(p.doc_id, f"line {number}: {p.item}", p.message, p.fix) for p in error.issues
            )
            continue
        if doc_id in found:
            problems.append(
                Issue(doc_id, f"line {number}", "duplicate doc_id", "keep one prediction per doc_id")
            )
            continue
        found[doc_id] = article
    for doc_id, labels in stance_lines.items():
        first_line = min(number for number, _ in labels.values())
        if doc_id in found:
            problems.append(
                Issue(doc_id, f"line {first_line}", "stance lines for a doc_id that also has a row",
                      "put one kind of prediction per file (push each with its own --model-version)")
            )
            continue
        try:
            found[doc_id] = _stance_prediction(doc_id, labels, (articles or {}).get(doc_id), schema)
        except ArticleError as error:
            problems.extend(error.issues)
    if problems:
        raise ArticleError(problems)
    return found


def speaker_label(schema: LabelSchema) -> str:
    """The entity label given to a predicted speaker that is none of the predicted entities: PER
    when the schema has it (speakers are people, or organisations the annotator relabels)."""
    labels = schema.entity_labels
    return "PER" if labels is None or "PER" in labels else labels[0]


def _is_stance_line(record: Mapping[str, Any]) -> bool:
    return "label" in record and ("id" in record or "stance_id" in record) and "text" not in record


def _collect_stance_line(
    record: Mapping[str, Any],
    number: int,
    where: str,
    stance_lines: dict[str, dict[str, tuple[int, Any]]],
    problems: list[Issue],
) -> None:
    from benchmark.tasks.stance import ID_SEPARATOR

    if "stance_id" in record:
        doc_id, item_id = record.get("doc_id"), record.get("stance_id")
    else:
        row_id = record.get("id")
        doc_id, _, item_id = row_id.rpartition(ID_SEPARATOR) if isinstance(row_id, str) else (None, "", None)
    if not (isinstance(doc_id, str) and doc_id and isinstance(item_id, str) and item_id):
        problems.append(
            Issue(where, "id", "stance line without a doc_id and stance id",
                  'write {"id": "<doc_id>#<stance_id>", "label"} or {"doc_id", "stance_id", "label"}')
        )
        return
    labels = stance_lines.setdefault(doc_id, {})
    if item_id in labels:
        problems.append(
            Issue(doc_id, f"line {number}", f"stance {item_id!r} predicted twice (also line {labels[item_id][0]})",
                  "keep one line per stance")
        )
        return
    labels[item_id] = (number, record["label"])


def _stance_prediction(
    doc_id: str, labels: Mapping[str, tuple[int, Any]], article: Article | None, schema: LabelSchema
) -> Article:
    """The pushed article with only the predicted stances, each with its predicted label."""
    first_line = min(number for number, _ in labels.values())
    if article is None:
        raise ArticleError([
            Issue(doc_id, f"line {first_line}", "stance prediction for an article that is not in ARTICLES.jsonl",
                  "push the article with its quotes and stances in the same command")
        ])
    stances = {s.id: s for s in article.stances}
    labels = {_stance_of_row(article, schema).get(item_id, item_id): value for item_id, value in labels.items()}
    unknown = [
        Issue(doc_id, f"line {number}", f"the article has no stance {item_id!r}", f"use one of {sorted(stances)}")
        for item_id, (number, _) in labels.items()
        if item_id not in stances
    ]
    if unknown:
        raise ArticleError(unknown)
    data = article.to_dict()
    data["stances"] = [
        {**stance.to_dict(), "label": labels[stance.id][1]} for stance in article.stances if stance.id in labels
    ]
    return Article.from_dict(data, schema)


def _stance_of_row(article: Article, schema: LabelSchema) -> dict[str, str]:
    """Row number (the part after ``#`` of a stance v2.0 row id, ``<doc_id>#<n>``) → the article's stance id;
    a stance whose id looks like a row number keeps its own id."""
    from benchmark.tasks import get_task

    own = {s.id for s in article.stances}
    return {row["id"].rpartition("#")[2]: row["stance_id"] for row in get_task("stance").rows([article], schema)
            if row["id"].rpartition("#")[2] not in own}


def _warn_ignored(
    doc_id: str, where: str, item: Mapping[str, Any], known: set[str], warnings: list[Issue]
) -> None:
    for name in sorted(set(item) - known):
        warnings.append(
            Issue(doc_id, where, f"field {name!r} is not part of a submission; ignored", "drop it to silence this")
        )


def _objects(row: Mapping[str, Any], key: str, doc_id: str) -> list[Mapping[str, Any]]:
    """``row[key]``: a list of objects (missing or null is an empty list)."""
    items = row.get(key)
    if items is None:
        return []
    bad = not isinstance(items, list) or any(not isinstance(x, Mapping) for x in items)
    if bad:
        raise ArticleError([Issue(doc_id, key, f"{key} is not a list of objects", f"write {key}: [{{...}}, ...]")])
    return items


def _submission_row_to_article(
    row: Mapping[str, Any], texts: Mapping[str, str], schema: LabelSchema, number: int, warnings: list[Issue]
) -> Article:
    doc_id = row["doc_id"]
    unknown = set(row) - {"doc_id", "entities", "quotes"}
    if unknown and not ({"entities", "quotes"} & set(row)):
        raise ArticleError(
            [
                Issue(
                    doc_id,
                    "row",
                    f"submission row has unsupported keys {sorted(unknown)} and neither entities nor quotes",
                    "use Article JSONL (with text), or stance lines {id, label}, for stances and other layers",
                )
            ]
        )
    _warn_ignored(doc_id, f"line {number}", row, {"doc_id", "entities", "quotes"}, warnings)
    if doc_id not in texts:
        raise ArticleError(
            [
                Issue(
                    doc_id,
                    "row",
                    "no article text for this doc_id",
                    "push the article in the same command, or push it first",
                )
            ]
        )
    entities = []
    by_span: dict[tuple[Any, Any], str] = {}
    for i, ent in enumerate(_objects(row, "entities", doc_id)):
        _warn_ignored(doc_id, f"line {number}: entities[{i}]", ent, {"start", "end", "label"}, warnings)
        mention = {"id": f"p-e{i}", "start": ent.get("start"), "end": ent.get("end"), "label": ent.get("label")}
        entities.append(mention)
        by_span.setdefault((ent.get("start"), ent.get("end")), mention["id"])
    quotes = []
    speakers = 0
    for i, quote in enumerate(_objects(row, "quotes", doc_id)):
        known = {"start", "end", "kind", "cue", "speaker"}
        _warn_ignored(doc_id, f"line {number}: quotes[{i}]", quote, known, warnings)
        speaker = quote.get("speaker")
        speaker_id = None
        if isinstance(speaker, Mapping):
            span = (speaker.get("start"), speaker.get("end"))
            if not all(isinstance(x, int) and not isinstance(x, bool) for x in span):
                raise ArticleError([
                    Issue(doc_id, f"quotes[{i}].speaker", f"speaker span {span} is not two integers",
                          'write "speaker": {"start": int, "end": int} or null')
                ])
            speaker_id = by_span.get(span)
            if speaker_id is None:  # a quotes submission names speakers by span only: make the mention
                speakers += 1
                speaker_id = by_span[span] = f"p-s{speakers}"
                entities.append({"id": speaker_id, "start": span[0], "end": span[1], "label": speaker_label(schema)})
        cue = quote.get("cue")
        quotes.append(
            {
                "id": f"p-q{i}",
                "start": quote.get("start"),
                "end": quote.get("end"),
                "kind": quote.get("kind"),
                "speaker": speaker_id,
                "cue": dict(cue) if isinstance(cue, Mapping) else None,
            }
        )
    return Article.from_dict(
        {"doc_id": doc_id, "text": texts[doc_id], "entities": entities, "quotes": quotes}, schema
    )
