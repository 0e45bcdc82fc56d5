"""A whole annotation round through a REAL Label Studio (the session server of conftest.py):
round select → round articles → annotate push (with pre-annotations) → two users annotate →
annotate pull → round finish (undecided → to-do → decided) → rehydrate the gold stand-off."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from benchmark.io import read_articles, write_articles
from benchmark.model import Mention
from benchmark.studio.convert import article_to_result

from ..support import run_cli, write_saudinewsnet

pytestmark = pytest.mark.studio

WORDS = "المدينة الحكومة السوق المجلس الرياض جدة التعليم الصحة الطلاب المستشفى الطريق البلدية المواطنين"


def _corpus(folder: Path) -> Path:
    """Four quote-rich texts in two outlets, in SaudiNewsNet's layout (dataset/DAY.zip → DAY.json)."""
    rng = random.Random(3)
    records = []
    for i in range(4):
        words = " ".join(rng.choice(WORDS.split()) for _ in range(40))
        text = f"قال الوزير إن الشركة ستفتتح فرعا جديدا. وأضاف أن «المشروع جاهز». وأكد أن {words}."
        records.append({"source": "okaz" if i < 2 else "sabq", "url": f"http://x/{i}",
                        "date_extracted": "2015-07-21 10:00:00", "title": "عنوان", "author": "", "content": text})
    return write_saudinewsnet(folder, records)




def _mention(article, mid: str, word: str, label: str) -> Mention:
    start = article.text.index(word)
    return Mention(mid, start, start + len(word), label)


def test_a_round_from_selection_to_rehydrated_gold(studio, tmp_path, monkeypatch):
    monkeypatch.setenv("KHABAR_LS_URL", studio.url)
    monkeypatch.setenv("KHABAR_LS_TOKEN", studio.token)
    corpus = f"saudinewsnet:{_corpus(tmp_path / 'snn')}"
    work, out = tmp_path / "work", tmp_path / "annotations" / "v0.2"
    code, _, errors = run_cli(["round", "select", "--corpus", corpus, "--n", "3", "--seed", "r", "--floor", "1",
                            "--min-chars", "50", "--out", str(out / "selection.json")])
    assert code == 0, errors
    assert run_cli(["round", "articles", str(out / "selection.json"), "--corpus", corpus,
                 "--out", str(work / "raw.jsonl")])[0] == 0
    raw = list(read_articles(work / "raw.jsonl"))
    assert len(raw) == 3 and {a.source for a in raw} == {"okaz", "sabq"}
    write_articles(work / "pred.jsonl", [a.replace(entities=(_mention(a, "m1", "الوزير", "PER"),)) for a in raw])

    title = "khabar-round-test"
    assert run_cli(["annotate", "setup", "--project", title])[0] == 0
    code, printed, errors = run_cli(["annotate", "push", str(work / "raw.jsonl"), "--project", title,
                                  "--predictions", str(work / "pred.jsonl"), "--model-version", "crf-0.1"])
    assert code == 0, errors
    client = studio.client()
    project = client.find_project(title)
    ali = client.ensure_user("ali@khabar.test", "pass-ali-123")
    sara = client.ensure_user("sara@khabar.test", "pass-sara-123")
    tasks, _ = client.existing_tasks(project)
    for article in raw:  # ali also marks الشركة (ORG); sara does not: one conflict per document
        minister = _mention(article, "m1", "الوزير", "PER")
        both = article.replace(entities=(minister, _mention(article, "m2", "الشركة", "ORG")))
        client.sdk.annotations.create(id=tasks[article.doc_id].id, result=article_to_result(both), completed_by=ali)
        client.sdk.annotations.create(id=tasks[article.doc_id].id,
                                      result=article_to_result(article.replace(entities=(minister,))),
                                      completed_by=sara)
    code, _, errors = run_cli(["annotate", "pull", "--project", title, "--out", str(work / "pull")])
    assert code == 0, errors

    finish = ["round", "finish", "--name", "Khabar test", "--out", str(out), "--work", str(work),
              "--pass", f"ali@khabar.test={work / 'pull' / 'by_annotator' / 'ali-khabar.test.jsonl'}",
              "--pass", f"sara@khabar.test={work / 'pull' / 'by_annotator' / 'sara-khabar.test.jsonl'}",
              "--predictions", str(work / "pull" / "predictions" / "model-crf-0.1.jsonl"),
              "--model-version", "crf-0.1", "--decisions", str(out / "adjudication.jsonl")]
    code, _, errors = run_cli(finish)
    assert code == 1 and "3 of 3 conflict(s) have no decision" in errors
    todo = [json.loads(line) for line in (work / "decisions-todo.jsonl").read_text("utf-8").splitlines()]
    decided = [dict(row, decision="ORG", reason="§3.3: a company is an ORG") for row in todo]
    (out / "adjudication.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in decided),
                                            encoding="utf-8")
    code, printed, errors = run_cli(finish)
    assert code == 0, errors
    assert "3 conflict(s): 3 reviewed, 0 ruled" in printed
    assert "model:crf-0.1" in (out / "agreement-vs-gold.md").read_text("utf-8")

    code, _, errors = run_cli(["rehydrate", str(out / "gold.standoff.jsonl"), "--corpus", corpus,
                            "--out", str(work / "gold.articles.jsonl"), "--quiet"])
    assert code == 0, errors
    gold = list(read_articles(work / "gold.articles.jsonl"))
    assert [a.doc_id for a in gold] == sorted(a.doc_id for a in raw)
    assert all([(a.surface(m), m.label) for m in a.entities] == [("الوزير", "PER"), ("الشركة", "ORG")]
               for a in gold)
    committed = [p for p in out.rglob("*") if p.is_file()]
    assert not any("ستفتتح فرعا" in p.read_text("utf-8") for p in committed)  # no corpus text in the round folder
