"""The annotation workflow against a REAL Label Studio server (one per test session, see conftest.py)."""

from __future__ import annotations

import itertools
import json
import stat
import threading
from pathlib import Path

import pytest

from benchmark.cli import main
from benchmark.io import read_articles, write_articles
from benchmark.model import Article, Mention, Stance
from benchmark.studio.client import StudioClient, StudioError
from benchmark.studio.convert import article_to_result

from .conftest import STUDIO_PASSWORD
from .processes import label_studio_of, needs_proc

pytestmark = pytest.mark.studio

_titles = itertools.count(1)


def _project(client: StudioClient) -> tuple[str, int]:
    title = f"khabar-test-{next(_titles)}"
    project, created = client.setup_project(title)
    assert created
    return title, project


def _env(monkeypatch, studio, token=None):
    monkeypatch.setenv("KHABAR_LS_URL", studio.url)
    monkeypatch.setenv("KHABAR_LS_TOKEN", token or studio.token)


def _bare(make_article, n: int) -> list[Article]:
    base = make_article()
    return [Article(doc_id=f"doc/{i}", text=base.text, title=f"خبر {i}") for i in range(n)]


def test_setup_is_idempotent_and_uses_the_generated_config(studio):
    client = studio.client()
    title, project = _project(client)
    assert client.setup_project(title) == (project, False)
    assert client.find_project(title) == project
    config = client.sdk.projects.get(project).label_config
    assert 'name="quote_stance"' in config and "direction: rtl" in config


def test_push_is_idempotent_and_never_touches_annotated_tasks(studio, make_article):
    client = studio.client()
    _, project = _project(client)
    articles = _bare(make_article, 5)
    gold = make_article()
    predictions = {a.doc_id: gold.replace(doc_id=a.doc_id, provenance=gold.provenance) for a in articles}
    report = client.push(project, articles, predictions=predictions, model_version="v1", batch_size=2, progress=False)
    assert (report.created, report.existing, report.predictions_added) == (5, 0, 5)
    existing, _ = client.existing_tasks(project)
    client.sdk.annotations.create(id=existing["doc/0"].id, result=article_to_result(gold), lead_time=1.0)
    more = [*articles, Article(doc_id="doc/5", text=gold.text)]
    predictions["doc/5"] = gold.replace(doc_id="doc/5")
    again = client.push(project, more, predictions=predictions, model_version="v2", batch_size=2, progress=False)
    assert (again.created, again.existing) == (1, 5)
    assert again.predictions_added == 5 and again.predictions_skipped_annotated == 1
    third = client.push(project, more, predictions=predictions, model_version="v2", progress=False)
    assert (third.created, third.predictions_added, third.predictions_skipped_present) == (0, 0, 5)
    existing, duplicates = client.existing_tasks(project)
    assert len(existing) == 6 and duplicates == []
    assert existing["doc/0"].model_versions == ("v1",) and existing["doc/0"].annotations == 1
    assert set(existing["doc/1"].model_versions) == {"v1", "v2"}
    bad = {"doc/1": gold.replace(doc_id="doc/1", text=gold.text + " ")}
    with pytest.raises(StudioError, match="doc/1: the prediction's text differs"):
        client.push(project, more, predictions=bad, model_version="v3", progress=False)


def test_two_annotators_end_to_end(studio, make_article, tmp_path, monkeypatch, capsys):
    """push → two annotators annotate differently → pull → convert → agreement → adjudicate."""
    client = studio.client()
    title, project = _project(client)
    _env(monkeypatch, studio)
    articles = tmp_path / "articles.jsonl"
    docs = _bare(make_article, 3)
    write_articles(articles, docs)
    predictions = tmp_path / "pred.jsonl"
    gold = make_article()
    write_articles(predictions, [gold.replace(doc_id=d.doc_id) for d in docs])
    assert (
        main(
            [
                "annotate",
                "push",
                str(articles),
                "--project",
                title,
                "--predictions",
                str(predictions),
                "--model-version",
                "crf-0.1",
            ]
        )
        == 0
    )
    assert "created 3 task(s)" in capsys.readouterr().out

    ali = client.ensure_user("ali@khabar.test", "pass-ali-123")
    sara = client.ensure_user("sara@khabar.test", "pass-sara-123")
    assert client.ensure_user("ali@khabar.test", "pass-ali-123") == ali
    tasks, _ = client.existing_tasks(project)
    # sara labels موسكو as LOC (ali: GPE) and q1 'against' (ali: favor); both skip doc/2's stance.
    ents = tuple(Mention(m.id, m.start, m.end, "LOC") if m.id == "m2" else m for m in gold.entities)
    sts = tuple(Stance(s.id, s.holder, s.target, "against") if s.id == "st-q1" else s for s in gold.stances)
    sara_version = gold.replace(entities=ents, stances=sts)
    for doc in docs:
        task = tasks[doc.doc_id].id
        client.sdk.annotations.create(id=task, result=article_to_result(gold), completed_by=ali, lead_time=30.0)
        client.sdk.annotations.create(
            id=task, result=article_to_result(sara_version), completed_by=sara, lead_time=42.0
        )

    out = tmp_path / "exports"
    assert main(["annotate", "pull", "--project", title, "--out", str(out)]) == 0
    captured = capsys.readouterr()
    printed = captured.out
    assert "download:" in captured.err and "convert: 100%" in captured.err and "3/3" in captured.err  # tqdm bars
    assert "ali@khabar.test: 3 article(s)" in printed and "model:crf-0.1: 3 prediction(s)" in printed
    export = out / f"{title}.json"
    raw = json.loads(export.read_text(encoding="utf-8"))
    assert len(raw) == 3 and all(isinstance(p, dict) for t in raw for p in t["predictions"])
    ali_articles = list(read_articles(out / "by_annotator" / "ali-khabar.test.jsonl"))
    assert [a.doc_id for a in ali_articles] == ["doc/0", "doc/1", "doc/2"]
    first = ali_articles[0]
    assert (first.entities, first.quotes, first.stances) == (gold.entities, gold.quotes, gold.stances)
    assert first.provenance.annotator == "ali@khabar.test" and first.provenance.lead_time == 30.0
    assert first.provenance.source == export.name
    preds = list(read_articles(out / "predictions" / "model-crf-0.1.jsonl"))
    assert preds[0].entities == gold.entities
    assert json.loads((out / "problems.json").read_text()) == []

    report_path = tmp_path / "agreement.json"
    assert main(["annotate", "agreement", str(export), "--report", str(report_path)]) == 0
    report = json.loads(report_path.read_text(encoding="utf-8"))
    (pair,) = report["pairs"]
    assert pair["documents"] == 3
    assert pair["entities"]["strict"]["f1"] == pytest.approx(0.75)  # 3 of 4 mentions agree per doc
    assert pair["entities"]["partial"]["f1"] == pytest.approx(0.75)  # same span, different label: no match
    assert pair["quotes"]["speaker_agreement"] == 1.0
    assert pair["stance"]["accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert "ali@khabar.test × sara@khabar.test" in capsys.readouterr().out

    gold_path = tmp_path / "gold.jsonl"
    assert (
        main(
            [
                "annotate",
                "adjudicate",
                str(export),
                "--rule",
                "lead",
                "--lead",
                "ali@khabar.test",
                "--out",
                str(gold_path),
                "--report",
                str(tmp_path / "conflicts.json"),
            ]
        )
        == 0
    )
    adjudicated = list(read_articles(gold_path))
    assert [a.entities for a in adjudicated] == [gold.entities] * 3
    conflicts = json.loads((tmp_path / "conflicts.json").read_text(encoding="utf-8"))["conflicts"]
    assert {c["layer"] for c in conflicts} >= {"entity", "stance (quote)"}
    assert main(["annotate", "agreement", str(export), "--gold", str(gold_path)]) == 0
    assert "annotator vs gold" in capsys.readouterr().out


def test_malformed_region_in_the_export_is_named(studio, make_article, tmp_path, monkeypatch, capsys):
    client = studio.client()
    title, project = _project(client)
    client.push(project, _bare(make_article, 1), progress=False)
    (task,) = client.existing_tasks(project)[0].values()
    result = article_to_result(make_article())
    result[0] = {**result[0], "value": {**result[0]["value"], "end": 9}}  # text no longer text[start:end]
    result.append(
        {
            "id": "zz9",
            "from_name": "entity",
            "to_name": "text",
            "type": "labels",
            "value": {"start": 0, "end": 4, "text": "وقال", "labels": ["PERSON"]},
        }
    )
    client.sdk.annotations.create(id=task.id, result=result)
    _env(monkeypatch, studio)
    assert main(["annotate", "pull", "--project", title, "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert f"task {task.id}, doc_id doc/0, annotation" in err
    assert "region m1: value.text 'بوتين' is not text[5:9]" in err
    assert "region zz9: entity label 'PERSON' is not in the label set" in err


def test_wrong_token_and_server_down_give_clear_messages(studio, monkeypatch, capsys):
    wrong = "wrong-token-0123456789"
    _env(monkeypatch, studio, token=wrong)
    assert main(["annotate", "setup"]) == 1
    captured = capsys.readouterr()
    assert f"Label Studio at {studio.url} rejected the API token" in captured.err
    assert wrong not in captured.err + captured.out
    real = studio.token
    assert real not in repr(studio.client()) and real not in repr(studio.server)
    from benchmark.studio.server import free_port

    down = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("KHABAR_LS_URL", down)
    assert main(["annotate", "setup"]) == 1
    assert f"cannot reach Label Studio at {down}" in capsys.readouterr().err


def test_quote_and_stance_submissions_pre_annotate_tasks(studio, make_article, tmp_path, monkeypatch, capsys):
    """A quotes baseline names speakers by span only, a stance baseline gives {id, label}: both pre-annotate."""
    client = studio.client()
    title, _ = _project(client)
    _env(monkeypatch, studio)
    gold = make_article()
    docs = [gold.replace(doc_id=f"doc/{i}") for i in range(2)]
    articles = tmp_path / "articles.jsonl"
    write_articles(articles, docs)
    putin = gold.mention("m1")
    quote_lines = [
        {"doc_id": d.doc_id, "quotes": [
            {"start": q.start, "end": q.end, "kind": q.kind, "speaker": {"start": putin.start, "end": putin.end}}
            for q in gold.quotes]}
        for d in docs
    ]
    quotes_file = tmp_path / "quotes.jsonl"
    quotes_file.write_text("\n".join(json.dumps(x) for x in quote_lines) + "\n", encoding="utf-8")
    stance_file = tmp_path / "stance.jsonl"
    stance_file.write_text(
        "\n".join(json.dumps({"id": f"{d.doc_id}#st-q1", "label": "neutral"}) for d in docs) + "\n", encoding="utf-8"
    )
    push = ["annotate", "push", str(articles), "--project", title, "--no-progress"]
    assert main([*push, "--predictions", str(quotes_file), "--model-version", "sk-quotes"]) == 0
    assert "created 2 task(s)" in capsys.readouterr().out
    assert main([*push, "--predictions", str(stance_file), "--model-version", "sk-stance"]) == 0
    assert "push:" not in capsys.readouterr().err
    assert main(["annotate", "pull", "--project", title, "--out", str(tmp_path / "out"), "--no-progress"]) == 0
    assert "convert" not in capsys.readouterr().err  # --no-progress: no bars
    quotes = list(read_articles(tmp_path / "out" / "predictions" / "model-sk-quotes.jsonl"))
    assert [q.doc_id for q in quotes] == ["doc/0", "doc/1"]
    first = quotes[0]
    assert [(q.start, q.end, first.surface(first.mention(q.speaker))) for q in first.quotes] == [
        (q.start, q.end, "بوتين") for q in gold.quotes
    ]
    stances = list(read_articles(tmp_path / "out" / "predictions" / "model-sk-stance.jsonl"))
    assert [[(s.holder, s.label) for s in a.stances] for a in stances] == [[("q1", "neutral")]] * 2


def _web_login(url: str, email: str, password: str):
    """Log in through the real web form (/user/login/, with its CSRF token); the session, or None if refused."""
    import requests

    web = requests.Session()
    web.get(f"{url}/user/login/", timeout=120).raise_for_status()
    form = {"csrfmiddlewaretoken": web.cookies["csrftoken"], "email": email, "password": password}
    answer = web.post(f"{url}/user/login/", data=form, allow_redirects=False, timeout=120)
    return web if answer.status_code == 302 and "sessionid" in web.cookies else None


def test_users_add_makes_accounts_that_log_in_on_the_web_form(studio, tmp_path, monkeypatch, capsys):
    _env(monkeypatch, studio)
    secret = tmp_path / "ann1.password"
    assert main(["annotate", "users", "add", "ann1@khabar.test", "--write-password", str(secret)]) == 0
    printed = capsys.readouterr()
    password = secret.read_text(encoding="utf-8").strip()
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600 and len(password) >= 20
    assert password not in printed.out + printed.err and studio.token not in printed.out + printed.err
    assert "created user ann1@khabar.test (id " in printed.out and str(secret) in printed.out
    web = _web_login(studio.url, "ann1@khabar.test", password)
    assert web is not None
    assert web.get(f"{studio.url}/api/current-user/whoami", timeout=120).json()["email"] == "ann1@khabar.test"
    assert _web_login(studio.url, "ann1@khabar.test", "not-the-password-123") is None

    chosen = tmp_path / "chosen.password"
    chosen.write_text("a-chosen-password-42\n", encoding="utf-8")
    assert main(["annotate", "users", "add", "ann1@khabar.test", "--write-password", str(secret)]) == 2
    assert "is never overwritten" in capsys.readouterr().err and secret.read_text().strip() == password
    assert main(["annotate", "users", "add", "ann1@khabar.test", "--password-file", str(chosen)]) == 1
    assert "a user ann1@khabar.test already exists" in capsys.readouterr().err
    assert main(["annotate", "users", "add", "ann2@khabar.test", "--password-file", str(chosen)]) == 0
    assert "a-chosen-password-42" not in capsys.readouterr().out
    assert _web_login(studio.url, "ann2@khabar.test", "a-chosen-password-42") is not None
    short = tmp_path / "short.password"
    short.write_text("short\n", encoding="utf-8")
    assert main(["annotate", "users", "add", "ann3@khabar.test", "--password-file", str(short)]) == 1
    assert "Label Studio needs 8–128" in capsys.readouterr().err
    failed = tmp_path / "failed.password"
    assert main(["annotate", "users", "add", "ann1@khabar.test", "--write-password", str(failed)]) == 1
    assert not failed.exists()  # no account was made: no password file is left to mislead

    client = studio.client()
    client.ensure_user("ann4@khabar.test", "pass-ann4-1234")  # the library call makes log-in-able users too
    assert _web_login(studio.url, "ann4@khabar.test", "pass-ann4-1234") is not None
    assert main(["annotate", "users", "list"]) == 0
    listed = capsys.readouterr().out
    assert all(f"\t{e}" in listed for e in ("ann1@khabar.test", "ann2@khabar.test", "ann4@khabar.test"))
    assert "ann3@khabar.test" not in listed


@needs_proc
def test_the_server_command_line_holds_no_password_or_token(studio):
    """`ps` shows every user the command lines: the admin password and token travel in the environment."""
    ((pid, args),) = label_studio_of(studio.server.data_dir).items()
    command_line = " ".join(args)
    assert str(studio.server.port) in command_line
    assert STUDIO_PASSWORD not in command_line and studio.token not in command_line
    assert f"LABEL_STUDIO_USER_TOKEN={studio.token}".encode() in Path(f"/proc/{pid}/environ").read_bytes()


@pytest.mark.slow
def test_server_killed_mid_push_then_rerun(studio, make_article):
    """Kill the session's server (SIGKILL) while an import request is in flight, restart it on the
    same data, push again: every article is there exactly once, nothing lost, nothing doubled."""
    server = studio.server
    client = studio.client(timeout=30)
    _, project = _project(client)
    articles = _bare(make_article, 40)
    original = client.sdk.projects.import_tasks
    calls = itertools.count(1)
    killer = threading.Timer(0.05, server.kill)

    def import_then_crash(*args, **kwargs):
        if next(calls) == 3:  # third batch: the server dies while the request is in flight
            killer.start()
        return original(*args, **kwargs)

    client.sdk.projects.import_tasks = import_then_crash
    with pytest.raises(StudioError, match=f"at {server.url}"):
        client.push(project, articles, batch_size=8, progress=False)
    killer.join(timeout=60)  # kill() reaps the process; Popen.poll() says "running" while another thread waits
    assert not server.alive()
    studio.server = studio.restart(server)  # same port and data: the later tests keep working
    client = studio.client(timeout=30)
    report = client.push(project, articles, batch_size=8, progress=False)
    assert report.created + report.existing == 40 and report.existing >= 16
    existing, duplicates = client.existing_tasks(project)
    assert sorted(existing) == sorted(a.doc_id for a in articles) and duplicates == []
    again = client.push(project, articles, batch_size=8, progress=False)
    assert (again.created, again.existing) == (0, 40)


def test_push_with_the_inventory_and_pull_checks_the_targets(studio, make_article, tmp_path, monkeypatch, capsys):
    """push --topics --targets → the tasks carry topic and targets → an annotation with a target outside
    the topic's inventory is refused at pull --targets, naming the closest entry (guidelines §6.5)."""
    client = studio.client()
    title, project = _project(client)
    _env(monkeypatch, studio)
    gold = make_article()  # stances: q1 → 'التعاون', q2 → 'روسيا', article → 'الحوار مع روسيا'
    docs = _bare(make_article, 2)
    articles = tmp_path / "articles.jsonl"
    write_articles(articles, docs)
    targets = tmp_path / "targets.jsonl"
    targets.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in [
        {"id": "T0001", "topic": "russia", "target": "التعاون بين البلدين", "kind": "policy"},
        {"id": "T0002", "topic": "general", "target": "روسيا", "kind": "entity"},
        {"id": "T0003", "topic": "russia", "target": "الحوار مع روسيا", "kind": "policy"},
        {"id": "T0004", "topic": "health", "target": "وزارة الصحة", "kind": "entity"}]), encoding="utf-8")
    topics = tmp_path / "article-topics.jsonl"
    topics.write_text(json.dumps({"doc_id": "doc/0", "topic": "russia", "main_target": "T0003"}) + "\n",
                      encoding="utf-8")
    push = ["annotate", "push", str(articles), "--project", title, "--no-progress",
            "--topics", str(topics), "--targets", str(targets)]
    assert main(push) == 1  # doc/1 has no topic line: refused by name, nothing pushed
    assert "doc/1: topic: the article has no line in the article topics" in capsys.readouterr().err
    assert client.existing_tasks(project)[0] == {}
    with topics.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"doc_id": "doc/1", "topic": "russia", "main_target": None}) + "\n")
    assert main(push) == 0
    assert "created 2 task(s)" in capsys.readouterr().out

    tasks, _ = client.existing_tasks(project)
    data = client.sdk.tasks.get(tasks["doc/0"].id).data
    assert data["topic"] == "russia"
    assert data["targets"] == "T0001  التعاون بين البلدين\nT0003  الحوار مع روسيا\nT0002  روسيا"
    ali = client.ensure_user("ali@khabar.test", "pass-ali-123")
    good = gold.replace(stances=(Stance("st-q1", "q1", "التعاون بين البلدين", "favor"), *gold.stances[1:]))
    client.sdk.annotations.create(id=tasks["doc/0"].id, result=article_to_result(good), completed_by=ali)
    client.sdk.annotations.create(id=tasks["doc/1"].id, result=article_to_result(gold), completed_by=ali)

    out = tmp_path / "exports"
    assert main(["annotate", "pull", "--project", title, "--out", str(out), "--no-progress"]) == 0  # unchecked
    capsys.readouterr()
    assert main(["annotate", "pull", "--project", title, "--out", str(out), "--no-progress",
                 "--targets", str(targets)]) == 1
    err = capsys.readouterr().err
    assert ("doc_id doc/1, annotation " in err and "region q1: quote_stance_target: 'التعاون' is not in the "
            "inventory of topic 'russia' (closest: T0001 'التعاون بين البلدين')" in err)
    assert [a.doc_id for a in read_articles(out / "by_annotator" / "ali-khabar.test.jsonl")] == ["doc/0"]
