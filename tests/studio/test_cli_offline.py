"""`khabar annotate` commands that need no server, and prediction files (Article JSONL or submission rows)."""

from __future__ import annotations

import json

import pytest

from benchmark.cli import main
from benchmark.io import read_articles
from benchmark.model import ArticleError
from benchmark.studio.client import StudioClient, StudioError, read_predictions
from benchmark.studio.config import labeling_config
from benchmark.studio.convert import article_to_result, articles_to_export, write_export


def test_config_prints_and_writes(tmp_path, capsys):
    assert main(["annotate", "config"]) == 0
    assert capsys.readouterr().out == labeling_config()
    target = tmp_path / "labeling_config.xml"
    assert main(["annotate", "config", "--write", "--path", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == labeling_config()


def test_read_predictions_accepts_articles_and_submission_rows(make_article, tmp_path):
    article = make_article()
    text = article.text
    putin = (5, 10)
    q = article.quotes[0]
    rows = [
        article.to_dict(),
        {
            "doc_id": "sub/1",
            "entities": [{"start": 5, "end": 10, "label": "PER"}],
            "quotes": [
                {
                    "start": q.start,
                    "end": q.end,
                    "kind": "direct",
                    "cue": {"start": 1, "end": 4},
                    "speaker": {"start": putin[0], "end": putin[1]},
                }
            ],
        },
    ]
    path = tmp_path / "pred.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    found = read_predictions(path, {"sub/1": text})
    assert found["test/1"] == article
    sub = found["sub/1"]
    assert sub.quotes[0].speaker == sub.entities[0].id and sub.surface(sub.entities[0]) == "بوتين"

    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps(
            {
                "doc_id": "sub/1",
                "quotes": [{"start": q.start, "end": q.end, "kind": "direct", "speaker": {"start": "0", "end": 2}}],
            }
        )
        + "\n"
        + json.dumps({"doc_id": "nope", "entities": []})
        + "\n"
        + "{oops\n",
        encoding="utf-8",
    )
    with pytest.raises(ArticleError) as error:
        read_predictions(bad, {"sub/1": text})
    message = str(error.value)
    assert "sub/1: line 1: quotes[0].speaker: speaker span ('0', 2) is not two integers" in message
    assert "nope: line 2: row: no article text for this doc_id" in message
    assert "bad.jsonl:3: line: not valid JSON" in message


def test_a_quotes_submission_pre_annotates_whole(make_article, tmp_path):
    """The quotes baseline's lines name speakers by span only: each becomes a mention (once per span)."""
    article = make_article()
    q1, q2, q3 = article.quotes
    putin, president = article.mention("m1"), article.mention("m3")
    line = {"doc_id": "doc/1", "quotes": [
        {"start": q1.start, "end": q1.end, "kind": "direct", "speaker": {"start": putin.start, "end": putin.end}},
        {"start": q2.start, "end": q2.end, "kind": "direct", "speaker": {"start": putin.start, "end": putin.end}},
        {"start": q3.start, "end": q3.end, "kind": "indirect",
         "speaker": {"start": president.start, "end": president.end}},
        {"start": 0, "end": 4, "kind": "indirect", "speaker": None},
    ]}
    ner_line = {"doc_id": "doc/2", "entities": [{"start": putin.start, "end": putin.end, "label": "PER"}]}
    path = tmp_path / "quotes.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in (line, ner_line)) + "\n", encoding="utf-8")
    found = read_predictions(path, {"doc/1": article.text, "doc/2": article.text})
    predicted = found["doc/1"]
    assert [(m.id, predicted.surface(m), m.label) for m in predicted.entities] == [
        ("p-s1", "بوتين", "PER"), ("p-s2", "الرئيس الروسي", "PER")]
    assert {q.id: q.speaker for q in predicted.quotes} == {"p-q0": "p-s1", "p-q1": "p-s1", "p-q2": "p-s2", "p-q3": None}
    assert [(m.start, m.end, m.label) for m in found["doc/2"].entities] == [(putin.start, putin.end, "PER")]
    assert article_to_result(predicted)  # it converts to Label Studio regions


def test_extra_fields_in_a_submission_are_named_and_ignored_and_bad_shapes_are_errors(make_article, tmp_path):
    text = make_article().text
    lines = [
        {"doc_id": "d/1", "model": "crf-0.1", "entities": [{"start": 5, "end": 10, "label": "PER", "score": 0.9}]},
        {"doc_id": "d/2", "quotes": [{"start": 0, "end": 4, "kind": "direct", "speaker": None, "prob": 0.5}]},
    ]
    path = tmp_path / "extra.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    warnings: list = []
    found = read_predictions(path, {"d/1": text, "d/2": text}, warnings=warnings)
    assert [(m.start, m.end, m.label) for m in found["d/1"].entities] == [(5, 10, "PER")]
    assert [str(w) for w in warnings] == [
        "d/1: line 1: field 'model' is not part of a submission; ignored (fix: drop it to silence this)",
        "d/1: line 1: entities[0]: field 'score' is not part of a submission; ignored (fix: drop it to silence this)",
        "d/2: line 2: quotes[0]: field 'prob' is not part of a submission; ignored (fix: drop it to silence this)",
    ]
    bad = tmp_path / "bad-shapes.jsonl"
    bad.write_text(json.dumps({"doc_id": "d/1", "entities": [1]}) + "\n"
                   + json.dumps({"doc_id": "d/2", "quotes": "none"}) + "\n"
                   + json.dumps({"doc_id": "d/3", "entites": []}) + "\n", encoding="utf-8")
    with pytest.raises(ArticleError) as error:
        read_predictions(bad, {"d/1": text, "d/2": text, "d/3": text})
    message = str(error.value)
    assert "d/1: line 1: entities: entities is not a list of objects" in message
    assert "d/2: line 2: quotes: quotes is not a list of objects" in message
    assert "d/3: line 3: row: submission row has unsupported keys ['entites'] and neither entities nor" in message


def test_stance_lines_pre_annotate_the_pushed_articles_stances(make_article, tmp_path):
    article = make_article("doc/1")
    lines = [
        {"id": "doc/1#st-q1", "label": "against"},
        {"doc_id": "doc/1", "stance_id": "st-article", "label": "favor"},
    ]
    path = tmp_path / "stance.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    (predicted,) = read_predictions(path, {}, articles={"doc/1": article}).values()
    assert [(s.id, s.label, s.target) for s in predicted.stances] == [
        ("st-q1", "against", "التعاون"), ("st-article", "favor", "الحوار مع روسيا")]
    assert predicted.quotes == article.quotes and article_to_result(predicted)
    # stance v2.0 lines (what the baselines write): row ids <doc_id>#<n>, a quote-holder line names its quote
    v2 = tmp_path / "stance-v2.jsonl"
    v2.write_text(json.dumps({"id": "doc/1#2", "label": "against", "quote": {"start": 0, "end": 4}}) + "\n"
                  + json.dumps({"id": "doc/1#1", "label": "favor"}) + "\n", encoding="utf-8")
    warnings = []
    (from_v2,) = read_predictions(v2, {}, articles={"doc/1": article}, warnings=warnings).values()
    assert from_v2.stances == predicted.stances and warnings == []
    bad = tmp_path / "bad-stance.jsonl"
    bad.write_text(json.dumps({"id": "doc/1#st-zz", "label": "favor"}) + "\n"
                   + json.dumps({"id": "doc/9#st-q1", "label": "favor"}) + "\n"
                   + json.dumps({"id": "doc/9#st-q1", "label": "favor"}) + "\n", encoding="utf-8")
    with pytest.raises(ArticleError) as error:
        read_predictions(bad, {}, articles={"doc/1": article})
    message = str(error.value)
    assert "doc/1: line 1: the article has no stance 'st-zz'" in message
    assert "doc/9: line 3: stance 'st-q1' predicted twice (also line 2)" in message
    assert "doc/9: line 2: stance prediction for an article that is not in ARTICLES.jsonl" in message
    unknown_label = tmp_path / "unknown-label.jsonl"
    unknown_label.write_text(json.dumps({"id": "doc/1#st-q1", "label": "maybe"}) + "\n", encoding="utf-8")
    with pytest.raises(ArticleError, match="maybe"):
        read_predictions(unknown_label, {}, articles={"doc/1": article})


def test_secrets_given_as_arguments_are_warned_about(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("KHABAR_LS_TOKEN", raising=False)
    assert main(["annotate", "serve", "--data-dir", str(tmp_path), "--password", "s3cret-pw"]) == 2
    err = capsys.readouterr().err
    assert "warning: --password on the command line can be read by every user of this machine (ps)" in err
    assert "s3cret-pw" not in err and "error: set the admin password and API token" in err


def test_client_refuses_missing_credentials_without_showing_the_token():
    with pytest.raises(StudioError, match="no API token for http://x"):
        StudioClient("http://x", "")
    assert "s3cret" not in repr(StudioClient("http://x", "s3cret"))


def test_agreement_and_adjudicate_commands_on_a_stored_export(make_article, tmp_path, capsys):
    a = make_article(annotator="a@x", annotation_id="1")
    b = make_article(annotator="b@x", annotation_id="2")
    b = b.replace(stances=b.stances[:-1])
    export = write_export(tmp_path / "export.json", articles_to_export([a, b]))
    assert main(["annotate", "agreement", str(export)]) == 0
    assert "a@x × b@x" in capsys.readouterr().out
    out = tmp_path / "gold.jsonl"
    assert main(["annotate", "adjudicate", str(export), "--rule", "unanimous", "--out", str(out)]) == 0
    (gold,) = list(read_articles(out))
    assert [s.holder for s in gold.stances] == ["q1", "q2"]  # the article stance was b's omission
    report = (tmp_path / "gold.conflicts.md").read_text(encoding="utf-8")
    assert "stance (article)" in report and "dropped" in report
    assert main(["annotate", "adjudicate", str(export), "--rule", "lead", "--out", str(out)]) == 2
    broken = tmp_path / "broken.json"
    broken.write_text("{}", encoding="utf-8")
    assert main(["annotate", "agreement", str(broken)]) == 1
    assert "expected a JSON list of tasks" in capsys.readouterr().err


def test_server_refuses_a_busy_port_and_a_missing_binary(tmp_path):
    import socket

    from benchmark.studio.server import ServerError, start_server

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(ServerError, match=f"port {port} is busy, so Label Studio would silently move"):
            start_server(tmp_path, username="u@x", password="p", token="t0ken", port=port)
    with pytest.raises(ServerError, match="'no-such-label-studio' is not installed"):
        start_server(tmp_path, username="u@x", password="p", token="t0ken", executable="no-such-label-studio")
