"""``khabar annotate``: the Label Studio annotation workflow (DESIGN §6).

    khabar annotate config [--write]                  # print / regenerate annotations/labeling_config.xml
    khabar annotate serve --data-dir D [--port 8080]       # run a local Label Studio (Ctrl-C, SIGTERM, SIGHUP stop it)
    khabar annotate users add EMAIL [--write-password FILE | --password-file FILE]   # an annotator account
    khabar annotate users list
    khabar annotate setup [--project TITLE]                # create/update the project (idempotent)
    khabar annotate push ARTICLES.jsonl [--predictions P.jsonl --model-version V]
                         [--topics ARTICLE_TOPICS.jsonl --targets TARGETS.jsonl]   # the inventory in each task
    khabar annotate pull [--out annotations/exports/] [--targets TARGETS.jsonl]  # snapshot export + per-annotator
                                                       # Article JSONL; with --targets, typed targets are checked
    khabar annotate submit FILE --user EMAIL [--texts RAW.jsonl] [--replace]   # annotations made outside the UI
    khabar annotate targets check TARGETS.jsonl [--topic-list topics.txt] [--topics ARTICLE_TOPICS.jsonl]
    khabar annotate agreement EXPORT.json [--gold GOLD.jsonl] [--report OUT.json]
    khabar annotate adjudicate EXPORT.json --rule majority|lead|unanimous [--lead EMAIL] --out GOLD.jsonl

Server credentials come from ``--url``/``--token`` or ``KHABAR_LS_URL``/``KHABAR_LS_TOKEN``;
the token is never printed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sys
from pathlib import Path

from benchmark.cli._options import add_progress_option
from benchmark.cli._schema_option import add_schema_option, schema_from_args

NAME = "annotate"
HELP = "Label Studio workflow: config, serve, users, setup, push, pull, submit, targets, agreement, adjudicate"

DEFAULT_PROJECT = "Khabar"


def _connection_args(parser: argparse.ArgumentParser, *, project: bool = True) -> None:
    parser.add_argument(
        "--url", default=None, help="Label Studio URL (default: $KHABAR_LS_URL or http://127.0.0.1:8080)"
    )
    parser.add_argument(
        "--token", default=None, help="API token (default: $KHABAR_LS_TOKEN, which `ps` does not show); never printed"
    )
    if project:
        parser.add_argument(
            "--project", default=DEFAULT_PROJECT, help=f"project title (default {DEFAULT_PROJECT!r})"
        )
    parser.add_argument("--timeout", type=float, default=120.0, help="HTTP timeout in seconds (default 120)")


def _topics_option(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("--topics", type=Path, default=None, metavar="ARTICLE_TOPICS.jsonl",
                        help=f"{help} (doc_id, topic, main_target per line; e.g. "
                        "annotations/v0.2/article-topics.jsonl)")


def _targets_option(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("--targets", type=Path, default=None, metavar="TARGETS.jsonl",
                        help=f"{help} (the stance target inventory, e.g. annotations/targets.jsonl)")


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    p = sub.add_parser("config", help="print the labeling config generated from benchmark/schema.py")
    p.add_argument("--write", action="store_true", help="write it to annotations/labeling_config.xml")
    add_schema_option(p)
    p.add_argument(
        "--path", type=Path, default=None, help="where --write writes (default: the committed copy)"
    )

    p = sub.add_parser("serve", help="run a local Label Studio server until Ctrl-C, SIGTERM or SIGHUP")
    p.add_argument("--data-dir", type=Path, required=True, help="Label Studio data dir (database, uploads)")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument(
        "--username",
        default=os.environ.get("KHABAR_LS_USERNAME", "admin@khabar.local"),
        help="admin e-mail (default $KHABAR_LS_USERNAME or admin@khabar.local)",
    )
    p.add_argument(
        "--password", default=None, help="admin password (default $KHABAR_LS_PASSWORD, which `ps` does not show)"
    )
    p.add_argument(
        "--token", default=None, help="admin API token to set (default $KHABAR_LS_TOKEN, which `ps` does not show)"
    )

    p = sub.add_parser("users", help="annotator accounts: add one that can log in on the web UI, or list them")
    users = p.add_subparsers(dest="users_action", metavar="USERS_ACTION", required=True)
    q = users.add_parser("add", help="create an annotator account (web log-in works; prints no secret)")
    _connection_args(q, project=False)
    q.add_argument("email", help="the annotator's e-mail (their log-in name)")
    secret = q.add_mutually_exclusive_group()
    secret.add_argument(
        "--password-file", type=Path, default=None, help="read the password from this file's first line"
    )
    secret.add_argument(
        "--write-password",
        type=Path,
        default=None,
        metavar="FILE",
        help="generate a password and write it to FILE (created with mode 0600; never overwritten)",
    )
    q = users.add_parser("list", help="list the accounts (id and e-mail)")
    _connection_args(q, project=False)

    p = sub.add_parser("setup", help="create the project, or update its labeling config (idempotent)")
    _connection_args(p)
    p.add_argument("--description", default="Khabar: entities, quotes (who said what), stance")
    add_schema_option(p)  # the labels of the labeling config

    p = sub.add_parser("push", help="import articles (and predictions) idempotently, keyed on doc_id")
    _connection_args(p)
    p.add_argument("articles", type=Path, help="Article JSONL")
    p.add_argument(
        "--predictions",
        type=Path,
        default=None,
        help="Article JSONL, or any baseline's submission (ner, quotes, stance lines), to pre-annotate with",
    )
    p.add_argument("--model-version", default=None, help="model version recorded on the predictions")
    p.add_argument("--batch-size", type=int, default=500)
    _topics_option(p, "with --targets: each task's topic; an article without a line is refused")
    _targets_option(p, "with --topics: each task shows its topic's entries and the general ones")
    add_progress_option(p)

    p = sub.add_parser("pull", help="snapshot export → raw JSON + per-annotator Article JSONL")
    _connection_args(p)
    p.add_argument("--out", type=Path, default=Path("annotations/exports"), help="output folder")
    p.add_argument(
        "--lenient",
        action="store_true",
        help="drop bad regions (listed) instead of rejecting the whole annotation",
    )
    _targets_option(p, "check every annotated stance target of a task with a topic against its topic's entries")
    add_progress_option(p, help="no progress bars (download, conversion; stderr)")

    p = sub.add_parser("submit", help="submit annotations made outside the UI (Article or locator JSONL) as a "
                       "user's annotations of the project's tasks (by doc_id)")
    _connection_args(p)
    p.add_argument("file", type=Path, help="Article JSONL, or locator JSONL with --texts (benchmark.authoring)")
    p.add_argument("--user", required=True, help="the annotator's e-mail (an existing account: annotate users add)")
    p.add_argument("--texts", type=Path, default=None,
                   help="Article JSONL of the raw articles: FILE is then locator JSONL, resolved against these texts")
    p.add_argument("--replace", action="store_true",
                   help="replace this user's existing annotation of a task (default: refuse such a doc_id)")
    add_schema_option(p)

    p = sub.add_parser("targets", help="the stance target inventory (guidelines §6.5): check it")
    targets = p.add_subparsers(dest="targets_action", metavar="TARGETS_ACTION", required=True)
    q = targets.add_parser("check", help="check an inventory file (and a round's article topics); exit 1 listing "
                           "every problem")
    q.add_argument("file", type=Path, help="the inventory, e.g. annotations/targets.jsonl")
    q.add_argument("--topic-list", type=Path, default=None, metavar="TOPICS.txt",
                   help="the closed topic list, one per line (e.g. annotations/topics.txt)")
    _topics_option(q, "also check the round's article topics against the inventory (and --topic-list)")

    p = sub.add_parser("agreement", help="inter-annotator agreement per layer from an export")
    p.add_argument("export", type=Path, help="Label Studio JSON export")
    p.add_argument(
        "--gold", type=Path, default=None, help="adjudicated gold Article JSONL (per annotator scores)"
    )
    p.add_argument("--report", type=Path, default=None, metavar="PATH", help="also write the report as JSON here")
    p.add_argument("--lenient", action="store_true", help="convert with bad regions dropped (listed)")

    p = sub.add_parser("adjudicate", help="several annotators → one gold article per document")
    p.add_argument("export", type=Path, help="Label Studio JSON export")
    p.add_argument("--rule", choices=("majority", "lead", "unanimous"), default="majority")
    p.add_argument("--lead", default=None, help="the lead annotator (e-mail) for --rule lead")
    p.add_argument("--out", type=Path, required=True, help="gold Article JSONL to write")
    p.add_argument(
        "--report",
        type=Path,
        default=None,
        help="conflict report (.json or .md; default: next to --out as .conflicts.md)",
    )


def run(args: argparse.Namespace) -> int:
    from benchmark.schema import SchemaError
    from benchmark.studio.client import StudioError
    from benchmark.studio.convert import ExportError
    from benchmark.studio.server import ServerError

    actions = {
        "config": _config,
        "serve": _serve,
        "users": _users,
        "setup": _setup,
        "push": _push,
        "pull": _pull,
        "submit": _submit,
        "targets": _targets,
        "agreement": _agreement,
        "adjudicate": _adjudicate,
    }
    _warn_visible_secrets(args)
    try:
        return actions[args.action](args)
    except (StudioError, ServerError, ExportError, SchemaError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def _warn_visible_secrets(args: argparse.Namespace) -> None:
    """A password or token given as an argument is in this command's command line, which `ps` shows."""
    given = [f"--{name}" for name in ("password", "token") if getattr(args, name, None)]
    if given:
        print(
            f"warning: {' and '.join(given)} on the command line can be read by every user of this machine "
            "(ps); set KHABAR_LS_PASSWORD / KHABAR_LS_TOKEN instead",
            file=sys.stderr,
        )


def _client(args: argparse.Namespace):
    from benchmark.studio.client import DEFAULT_URL, StudioClient

    url = args.url or os.environ.get("KHABAR_LS_URL") or DEFAULT_URL
    token = args.token or os.environ.get("KHABAR_LS_TOKEN") or ""
    client = StudioClient(url, token, timeout=args.timeout)
    client.check()
    return client


def _config(args: argparse.Namespace) -> int:
    from benchmark.studio.config import check_config, committed_config_path, labeling_config

    schema = schema_from_args(args)
    xml = labeling_config(schema)
    problems = check_config(xml, schema)
    if problems:
        print("\n".join(f"error: {p}" for p in problems), file=sys.stderr)
        return 1
    if args.write:
        path = args.path or committed_config_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(xml, encoding="utf-8")
        print(f"wrote {path}")
    else:
        sys.stdout.write(xml)
    return 0


class _StopSignal(Exception):
    """SIGINT, SIGTERM or SIGHUP arrived: stop the server and exit."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
        self.name = signal.Signals(signum).name


_SERVE_STOP_SIGNALS = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n))


def _raise_stop(signum: int, _frame: object) -> None:
    # one stop is enough (it escalates to SIGKILL by itself): a second signal must not interrupt it
    for other in _SERVE_STOP_SIGNALS:
        signal.signal(other, signal.SIG_IGN)
    raise _StopSignal(signum)


def _serve(args: argparse.Namespace) -> int:
    password = args.password or os.environ.get("KHABAR_LS_PASSWORD")
    token = args.token or os.environ.get("KHABAR_LS_TOKEN")
    if not password or not token:
        print(
            "error: set the admin password and API token (--password/--token or KHABAR_LS_PASSWORD/"
            "KHABAR_LS_TOKEN); the token is what `khabar annotate setup/push/pull` use",
            file=sys.stderr,
        )
        return 2
    previous = {signum: signal.signal(signum, _raise_stop) for signum in _SERVE_STOP_SIGNALS}
    try:
        return _serve_until_stopped(args, password, token)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _serve_until_stopped(args: argparse.Namespace, password: str, token: str) -> int:
    import time

    from benchmark.studio.server import start_server

    server = None
    try:
        server = start_server(
            args.data_dir, port=args.port, username=args.username, password=password, token=token
        )
        print(
            f"Label Studio is up at {server.url} (data {server.data_dir}, log {server.log_path}); "
            "Ctrl-C (or SIGTERM, SIGHUP) stops it",
            flush=True,
        )
        while server.alive():
            time.sleep(1)
    except _StopSignal as stop:
        if server is None:  # start_server stopped the half-started server before re-raising
            print(f"interrupted ({stop.name}) while Label Studio was starting; it was stopped", file=sys.stderr)
            return 128 + stop.signum
        server.stop()
        print(f"stopped ({stop.name})", flush=True)
        return 0
    print(
        f"error: Label Studio exited (code {server.process.returncode}); see {server.log_path}",
        file=sys.stderr,
    )
    return 1


def _users(args: argparse.Namespace) -> int:
    client = _client(args)
    if args.users_action == "list":
        emails = client.user_emails()
        for user_id, email in sorted(emails.items()):
            print(f"{user_id}\t{email}")
        print(f"{len(emails)} user(s) at {client.url}", file=sys.stderr)
        return 0
    return _add_user(client, args)


def _add_user(client, args: argparse.Namespace) -> int:
    """``users add``: the password comes from --password-file, --write-password or a prompt; never printed."""
    import getpass
    import secrets

    from benchmark.studio.client import StudioError

    written: Path | None = None
    if args.password_file is not None:
        try:
            password = args.password_file.read_text(encoding="utf-8").splitlines()[0]
        except (OSError, UnicodeDecodeError, IndexError) as error:
            print(f"error: cannot read a password from {args.password_file} ({error or 'empty file'}) "
                  "(fix: write the password on the file's first line)", file=sys.stderr)
            return 2
    elif args.write_password is not None:
        password = secrets.token_urlsafe(18)  # 24 characters, 144 random bits
        try:
            descriptor = os.open(args.write_password, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as error:
            print(f"error: cannot create {args.write_password} ({error.strerror}) (fix: name a new file; "
                  "an existing one is never overwritten)", file=sys.stderr)
            return 2
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(password + "\n")
        written = args.write_password
    elif sys.stdin.isatty():
        password = getpass.getpass(f"password for {args.email}: ")
        if getpass.getpass("again: ") != password:
            print("error: the two passwords differ (fix: type the same one twice)", file=sys.stderr)
            return 2
    else:
        print("error: no password: stdin is not a terminal to prompt on (fix: pass --password-file FILE, "
              "or --write-password FILE to generate one)", file=sys.stderr)
        return 2
    try:
        user_id = client.add_user(args.email, password)
    except StudioError:
        if written is not None:
            written.unlink(missing_ok=True)  # the account was not made: its password file would mislead
        raise
    where = f"the password is in {written} (mode 0600)" if written else "with the password given"
    print(f"created user {args.email} (id {user_id}); they log in at {client.url}/user/login/ {where}")
    return 0


def _setup(args: argparse.Namespace) -> int:
    client = _client(args)
    project, created = client.setup_project(args.project, description=args.description, schema=schema_from_args(args))
    print(f"{'created' if created else 'updated'} project {args.project!r} (id {project}) at {client.url}")
    return 0


def _push(args: argparse.Namespace) -> int:
    from benchmark.io import read_articles
    from benchmark.model import ArticleError
    from benchmark.studio.client import read_predictions

    try:
        articles = list(read_articles(args.articles))
    except ArticleError as error:
        print(f"error: {args.articles}: {error}", file=sys.stderr)
        return 1
    inventory = _task_inventory(args, [a.doc_id for a in articles])
    if isinstance(inventory, int):
        return inventory
    client = _client(args)
    project = client.project_id(args.project)
    predictions = None
    if args.predictions is not None:
        texts = {a.doc_id: a.text for a in articles}
        existing, _ = client.existing_tasks(project)
        for doc_id, info in existing.items():
            texts.setdefault(doc_id, info.text)
        try:
            warnings: list = []
            by_id = {a.doc_id: a for a in articles}
            predictions = read_predictions(args.predictions, texts, articles=by_id, warnings=warnings)
            for warning in warnings:
                print(f"warning: {args.predictions}: {warning}", file=sys.stderr)
        except ArticleError as error:
            print(f"error: {args.predictions}: {error}", file=sys.stderr)
            return 1
    report = client.push(
        project,
        articles,
        predictions=predictions,
        model_version=args.model_version,
        batch_size=args.batch_size,
        progress=args.progress,
        inventory=inventory,
    )
    print(report.summary())
    return 0


def _task_inventory(args: argparse.Namespace, doc_ids: list[str]) -> dict[str, dict[str, str]] | int | None:
    """``push --topics --targets``: doc_id → task data (topic, targets); ``None`` without them; an exit
    code after printing every problem (a missing file, a bad inventory, an article without a topic)."""
    from benchmark.targets import InventoryError, read_article_topics, read_inventory, task_data

    if (args.topics is None) != (args.targets is None):
        print("error: --topics and --targets go together (fix: pass both, or neither)", file=sys.stderr)
        return 2
    if args.topics is None:
        return None
    for path in (args.topics, args.targets):
        if not path.is_file():
            print(f"error: {path}: no such file (fix: pass the path of an existing file)", file=sys.stderr)
            return 1
    try:
        inventory = read_inventory(args.targets)
        return task_data(doc_ids, read_article_topics(args.topics, inventory), inventory)
    except InventoryError as error:
        for issue in error.issues:
            print(f"error: {issue}", file=sys.stderr)
        print(f"{len(error.issues)} problem(s); nothing was pushed", file=sys.stderr)
        return 1


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "project"


def _pull(args: argparse.Namespace) -> int:
    from tqdm.auto import tqdm

    from benchmark.io import write_articles
    from benchmark.studio.convert import export_to_articles, write_export

    inventory = None
    if args.targets is not None:
        from benchmark.targets import InventoryError, read_inventory

        try:
            inventory = read_inventory(args.targets)
        except (InventoryError, OSError) as error:
            print(f"error: {args.targets}: {error}", file=sys.stderr)
            return 1
    client = _client(args)
    project = client.project_id(args.project)
    tasks = client.export_snapshot(project, progress=args.progress)
    out: Path = args.out
    export_path = write_export(out / f"{_slug(args.project)}.json", tasks)
    with tqdm(tasks, unit="task", desc="convert", disable=not args.progress) as converting:
        result = export_to_articles(
            converting, source=export_path.name, include_predictions=True, strict=not args.lenient,
            inventory=inventory,
        )
    for annotator, articles in sorted(result.by_annotator().items()):
        path = out / "by_annotator" / f"{_slug(annotator)}.jsonl"
        write_articles(path, articles)
        print(f"{annotator}: {len(articles)} article(s) → {path}")
    by_model: dict[str, list] = {}
    for article in result.predictions:
        by_model.setdefault(article.provenance.annotator or "model", []).append(article)
    for model, articles in sorted(by_model.items()):
        path = out / "predictions" / f"{_slug(model)}.jsonl"
        write_articles(path, articles)
        print(f"{model}: {len(articles)} prediction(s) → {path}")
    problems_path = out / "problems.json"
    problems_path.write_text(
        json.dumps([p.to_dict() for p in result.problems], ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )
    print(f"export → {export_path}; {result.summary()}")
    for problem in result.problems[:50]:
        print(f"  - {problem}", file=sys.stderr)
    if len(result.problems) > 50:
        print(f"  … {len(result.problems) - 50} more in {problems_path}", file=sys.stderr)
    return 1 if result.rejected else 0


def _submit(args: argparse.Namespace) -> int:
    from benchmark.studio.submit import read_submission, submit_annotations

    schema = schema_from_args(args)
    articles = read_submission(args.file, texts=args.texts, schema=schema)
    client = _client(args)
    project = client.project_id(args.project)
    report = submit_annotations(client, project, articles, args.user,
                                existing="replace" if args.replace else "refuse", schema=schema)
    print(f"{args.file}: {report.summary()} (project {args.project!r})")
    return 0


def _targets(args: argparse.Namespace) -> int:
    """``targets check``: read the inventory (and the topic list, the article topics); list every problem."""
    from benchmark.targets import InventoryError, read_article_topics, read_inventory, read_topics

    issues = []
    topics = inventory = None
    for path in (args.file, args.topic_list, args.topics):
        if path is not None and not path.is_file():
            print(f"error: {path}: no such file (fix: pass the path of an existing file)", file=sys.stderr)
            return 1
    try:
        topics = read_topics(args.topic_list) if args.topic_list is not None else None
    except InventoryError as error:
        issues.extend(error.issues)
    try:
        inventory = read_inventory(args.file, topics=topics)
    except InventoryError as error:
        issues.extend(error.issues)
    articles = None
    if args.topics is not None:
        try:
            articles = read_article_topics(args.topics, inventory, topics)
        except InventoryError as error:
            issues.extend(error.issues)
    for issue in issues:
        print(f"error: {issue}", file=sys.stderr)
    if issues:
        print(f"{len(issues)} problem(s)", file=sys.stderr)
        return 1
    assert inventory is not None
    used = sorted({t.topic for t in inventory.targets})
    line = f"{args.file}: {len(inventory.targets)} target(s) in {len(used)} topic(s), no problems"
    if articles is not None:
        line += f"; {args.topics}: {len(articles)} article(s), every main target in its topic or general"
    print(line)
    return 0


def _load(args: argparse.Namespace):
    from benchmark.studio.convert import export_to_articles, load_export

    tasks = load_export(args.export)
    result = export_to_articles(tasks, source=args.export.name, strict=not getattr(args, "lenient", False))
    for problem in result.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return result


def _agreement(args: argparse.Namespace) -> int:
    from benchmark.io import read_articles
    from benchmark.studio.agreement import agreement_report

    result = _load(args)
    gold = list(read_articles(args.gold)) if args.gold else None
    report = agreement_report(result.by_annotator(), gold=gold)
    print(report.format_table())
    if args.report:
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(
            json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        print(f"wrote {args.report}")
    return 0


def _adjudicate(args: argparse.Namespace) -> int:
    from benchmark.io import write_articles
    from benchmark.studio.adjudicate import adjudicate

    if args.rule == "lead" and not args.lead:
        print("error: --rule lead needs --lead ANNOTATOR (the lead annotator's e-mail)", file=sys.stderr)
        return 2
    result = _load(args)
    outcome = adjudicate(result.articles, rule=args.rule, lead=args.lead)
    count = write_articles(args.out, outcome.gold)
    report = args.report or args.out.with_suffix(".conflicts.md")
    report.parent.mkdir(parents=True, exist_ok=True)
    if report.suffix == ".json":
        report.write_text(
            json.dumps(outcome.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    else:
        report.write_text(outcome.to_markdown(), encoding="utf-8")
    print(
        f"{count} gold article(s) → {args.out}; {len(outcome.conflicts)} conflict(s), "
        f"{len(outcome.unresolved)} unresolved document(s) → {report}"
    )
    return 0
