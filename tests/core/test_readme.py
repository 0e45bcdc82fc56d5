"""The README's examples stay true: its Python snippet runs and its example submission lines match the sample."""

from __future__ import annotations

import json
import re
from pathlib import Path

from benchmark.io import read_articles

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
SAMPLE = REPO / "annotations" / "gold" / "sample.articles.jsonl"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_the_data_model_snippet_runs(monkeypatch, capsys) -> None:
    [snippet] = [b for b in _blocks("python") if "read_articles" in b]
    monkeypatch.chdir(REPO)
    exec(compile(snippet, "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == sum(len(a.quotes) for a in read_articles(SAMPLE))
    assert any("بوتين" in line for line in printed)


def test_the_example_submission_lines_match_the_gold_sample() -> None:
    [block] = [b for b in _blocks("json") if '"doc_id"' in b]
    lines = [json.loads(line) for line in block.strip().splitlines()]
    articles = {a.doc_id: a for a in read_articles(SAMPLE)}
    ner, quotes, stance = lines
    article = articles[ner["doc_id"]]
    gold_spans = {(m.start, m.end, m.label) for m in article.entities}
    assert all((e["start"], e["end"], e["label"]) in gold_spans for e in ner["entities"])
    [quote] = quotes["quotes"]
    gold = next(q for q in articles[quotes["doc_id"]].quotes if (q.start, q.end) == (quote["start"], quote["end"]))
    assert gold.kind == quote["kind"]
    speaker = articles[quotes["doc_id"]].mention(gold.speaker)
    cluster = {(m.start, m.end) for m in article.entities if m.cluster == speaker.cluster}
    assert (quote["speaker"]["start"], quote["speaker"]["end"]) in cluster
    from benchmark.tasks import get_task

    [row] = [r for r in get_task("stance").rows([articles[stance["id"].split("#")[0]]]) if r["id"] == stance["id"]]
    assert row["label"] == stance["label"]
    assert (stance["quote"]["start"], stance["quote"]["end"]) == (row["holder_start"], row["holder_end"])
