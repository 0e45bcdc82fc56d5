"""Locator annotations resolve to exact offsets, and every bad locator is named."""

from __future__ import annotations

import json

import pytest

from benchmark.authoring import LocatorError, locate, resolve_record
from benchmark.cli import main
from benchmark.io import read_articles, write_articles
from benchmark.model import Article, ArticleError

TEXT = 'وقال بوتين: "أهلا بكم في روسيا". وتابع: "روسيا بلد كبير".'


def test_locate_with_context_brackets_wildcards_and_n() -> None:
    assert TEXT[slice(*locate(TEXT, "و[قال]"))] == "قال"
    assert TEXT[slice(*locate(TEXT, '"أهلا…"'))] == '"أهلا بكم في روسيا"'
    assert TEXT[slice(*locate(TEXT, "روسيا", n=2))] == "روسيا"
    assert locate(TEXT, "روسيا", n=2)[0] > locate(TEXT, "روسيا", n=1)[0]


@pytest.mark.parametrize(("locator", "n", "message"), [
    ("روسيا", None, "matches 2 times"),
    ("موسكو", None, "not in the text"),
    ("x[روسيا]", None, "matches nothing"),
    ("روسيا", 5, "n=5"),
    ("", None, "empty locator"),
])
def test_locate_errors_name_the_locator(locator: str, n: int | None, message: str) -> None:
    with pytest.raises(LocatorError, match=message):
        locate(TEXT, locator, n)


def test_resolve_record_builds_a_valid_article_and_lists_every_problem() -> None:
    record = {"doc_id": "d", "entities": [{"id": "m1", "label": "PER", "at": "بوتين"},
                                          {"id": "m2", "label": "GPE", "at": "روسيا", "n": 1}],
              "quotes": [{"id": "q1", "kind": "direct", "at": '"أهلا…"', "cue": "و[قال]", "speaker": "m1"},
                         {"id": "q2", "kind": "direct", "at": '"روسيا بلد…"', "cue": "و[تابع]", "speaker": "m1",
                          "elided": True}],
              "stances": [{"id": "st-q2", "holder": "q2", "target": "روسيا", "label": "favor",
                           "target_mention": "m2"}]}
    article = resolve_record(record, TEXT)
    assert [article.surface(q.cue) for q in article.quotes] == ["قال", "تابع"]
    assert article.quotes[1].speaker_elided
    bad = dict(record, entities=[{"id": "m1", "label": "PER", "at": "روسيا"},
                                 {"id": "m2", "label": "X", "at": "بوتين"}])
    with pytest.raises(ArticleError) as info:
        resolve_record(bad, TEXT)
    text = str(info.value)
    assert "matches 2 times" in text


def test_cli_resolve_writes_articles_or_lists_problems(tmp_path, capsys) -> None:
    texts = tmp_path / "texts.jsonl"
    write_articles(texts, [Article(doc_id="d", text=TEXT, title="t")])
    good = tmp_path / "loc.jsonl"
    good.write_text(json.dumps({"doc_id": "d", "entities": [{"id": "m1", "label": "PER", "at": "بوتين"}]},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["resolve", str(good), "--texts", str(texts), "--out", str(out), "--annotator", "a1"]) == 0
    [article] = read_articles(out)
    assert article.title == "t" and article.provenance.annotator == "a1" and len(article.entities) == 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"doc_id": "zz"}) + "\n" + json.dumps(
        {"doc_id": "d", "entities": [{"id": "m1", "label": "PER", "at": "روسيا"}]}, ensure_ascii=False) + "\n")
    assert main(["resolve", str(bad), "--texts", str(texts), "--out", str(tmp_path / "o2.jsonl")]) == 1
    printed = capsys.readouterr().out
    assert "line 1: doc_id 'zz'" in printed and "line 2:" in printed and "matches 2 times" in printed
    assert not (tmp_path / "o2.jsonl").exists()


def test_a_locator_record_with_a_source_speaker_resolves() -> None:
    from ..support import SOURCE_TEXT

    record = {"doc_id": "src/1",
              "entities": [{"id": "s1", "label": "SOURCE", "at": "مصادر أمنية في وزارة الداخلية"},
                           {"id": "m1", "label": "ORG", "at": "وزارة الداخلية"}],
              "quotes": [{"id": "q1", "kind": "indirect", "at": "الهجوم وقع ليلا", "cue": "[قالت] مصادر",
                          "speaker": "s1"}]}
    article = resolve_record(record, SOURCE_TEXT)
    assert article.surface(article.mention(article.quotes[0].speaker)) == "مصادر أمنية في وزارة الداخلية"
    assert article.mention("s1").label == "SOURCE"
    with pytest.raises(ArticleError, match="no quote's speaker"):
        resolve_record(dict(record, quotes=[]), SOURCE_TEXT)
