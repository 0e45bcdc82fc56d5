"""``khabar annotate submit``: annotations made outside the UI, submitted as a user, on a REAL server."""

from __future__ import annotations

import json

import pytest

from benchmark.cli import main
from benchmark.io import write_articles
from benchmark.model import Article, Provenance
from benchmark.studio.convert import export_to_articles
from benchmark.studio.submit import SubmitError, submit_annotations

pytestmark = pytest.mark.studio


def _setup(studio, make_article, monkeypatch, title):
    client = studio.client()
    project, _ = client.setup_project(title)
    base = make_article()
    client.push(project, [Article(doc_id=f"doc/{i}", text=base.text) for i in range(3)],
                progress=False)
    monkeypatch.setenv("KHABAR_LS_URL", studio.url)
    monkeypatch.setenv("KHABAR_LS_TOKEN", studio.token)
    return client, project


def _annotations(client, project):
    """doc_id → [(annotator e-mail, article)] from a snapshot export."""
    result = export_to_articles(client.export_snapshot(project), user_emails=client.user_emails())
    assert result.problems == []
    found: dict[str, list] = {}
    for article in result.articles:
        found.setdefault(article.doc_id, []).append((article.provenance.annotator, article))
    return found


def _same_layers(a: Article, b: Article) -> bool:
    return (a.entities, a.quotes, a.stances) == (b.entities, b.quotes, b.stances)


def test_submit_puts_each_article_on_its_task_as_the_user(studio, make_article, tmp_path, monkeypatch, capsys):
    title = "khabar-submit-1"
    client, project = _setup(studio, make_article, monkeypatch, title)
    client.ensure_user("submit-a@khabar.test", "pass-submit-a-1")
    passes = [make_article(f"doc/{i}", annotator=None) for i in (0, 1)]
    path = tmp_path / "pass.jsonl"
    write_articles(path, passes)
    args = ["annotate", "submit", str(path), "--project", title, "--user", "submit-a@khabar.test"]
    assert main(args) == 0
    assert "2 annotation(s) submitted as submit-a@khabar.test" in capsys.readouterr().out
    found = _annotations(client, project)
    assert sorted(found) == ["doc/0", "doc/1"]
    for article in passes:
        ((who, got),) = found[article.doc_id]
        assert who == "submit-a@khabar.test" and _same_layers(got, article)
        assert got.provenance.lead_time == article.provenance.lead_time

    # again: refused by name, nothing written
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "doc/0: task" in err and "already has annotation(s)" in err and "--replace" in err
    assert "nothing was submitted" in err
    # --replace: this user's annotation is replaced, not doubled
    changed = passes[0].replace(stances=())
    write_articles(path, [changed])
    assert main([*args, "--replace"]) == 0
    assert "(1 replacing" in capsys.readouterr().out
    found = _annotations(client, project)
    ((who, got),) = found["doc/0"]
    assert who == "submit-a@khabar.test" and got.stances == () and _same_layers(got, changed)


def test_submit_refuses_a_missing_task_a_changed_text_and_an_unknown_user(studio, make_article, tmp_path, monkeypatch,
                                                                          capsys):
    title = "khabar-submit-2"
    client, project = _setup(studio, make_article, monkeypatch, title)
    client.ensure_user("submit-b@khabar.test", "pass-submit-b-1")
    good = make_article("doc/0", annotator=None)
    no_task = make_article("doc/9", annotator=None)
    changed = Article(doc_id="doc/1", text=good.text + " ")
    with pytest.raises(SubmitError) as refused:
        submit_annotations(client, project, [good, no_task, changed, good], "submit-b@khabar.test")
    problems = refused.value.problems
    assert problems[0].startswith("doc/9: the project has no task with this doc_id")
    assert problems[1].startswith("doc/1: the annotation's text differs from task")
    assert problems[2].startswith("doc/0: given twice")
    assert _annotations(client, project) == {}  # nothing was written
    path = tmp_path / "pass.jsonl"
    write_articles(path, [good])
    assert main(["annotate", "submit", str(path), "--project", title, "--user", "nobody@khabar.test"]) == 1
    assert "no user nobody@khabar.test" in capsys.readouterr().err


def test_submit_resolves_locators_against_the_raw_texts(studio, make_article, tmp_path, monkeypatch, capsys):
    title = "khabar-submit-3"
    client, project = _setup(studio, make_article, monkeypatch, title)
    client.ensure_user("submit-c@khabar.test", "pass-submit-c-1")
    raw = tmp_path / "raw.jsonl"
    write_articles(raw, [Article(doc_id="doc/2", text=make_article().text)])
    locators = tmp_path / "locators.jsonl"
    record = {"doc_id": "doc/2", "entities": [{"id": "m1", "label": "PER", "at": "بوتين"}],
              "quotes": [{"id": "q1", "kind": "direct", "at": '"نحن…للتعاون"', "cue": "و[قال]", "speaker": "m1"}]}
    bad = {"doc_id": "doc/2", "entities": [{"id": "m1", "label": "PER", "at": "ترامب"}]}
    locators.write_text(json.dumps(record, ensure_ascii=False) + "\n" + json.dumps(bad, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    args = ["annotate", "submit", str(locators), "--texts", str(raw), "--project", title, "--user",
            "submit-c@khabar.test"]
    assert main(args) == 1
    assert "locators.jsonl:2:" in capsys.readouterr().err
    locators.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(args) == 0
    ((who, got),) = _annotations(client, project)["doc/2"]
    assert who == "submit-c@khabar.test"
    assert [got.surface(m) for m in got.entities] == ["بوتين"]
    assert got.quotes[0].speaker == got.entities[0].id and got.surface(got.quotes[0].cue) == "قال"
    assert got.provenance == Provenance(annotator="submit-c@khabar.test", annotation_ids=got.provenance.annotation_ids,
                                        lead_time=got.provenance.lead_time)
