"""Markdown, CSV, JSON, HTML and plots from a hand-built board: content, escaping, right-to-left."""

from __future__ import annotations

import csv
import doctest
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import benchmark.leaderboard.board
import benchmark.leaderboard.csv_table
import benchmark.leaderboard.formatting
import benchmark.leaderboard.markdown_page
from benchmark.leaderboard.output import write_leaderboard

ARABIC_TEAM = "فريق الخبر العربي"
HOSTILE_NAME = '<script>alert("x")</script> | *bold*'


@pytest.fixture(scope="module")
def written(sample_board, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_leaderboard(sample_board, tmp_path_factory.mktemp("board"))


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_every_file_is_written(written: dict[str, Path]) -> None:
    assert {"html", "markdown", "csv", "per_label_csv", "json", "plot:ner:ner-per-label",
            "plot:ner:ner-headline"} <= set(written)
    for path in written.values():
        assert path.stat().st_size > 0
    assert written["plot:ner:ner-per-label"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_markdown_ranks_marks_and_escapes(written: dict[str, Path]) -> None:
    text = written["markdown"].read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if re.match(r"\| \d+ \|", line)]
    assert [row.split(" | ")[0] for row in rows] == ["| 1", "| 1", "| 3", "| 4"]
    assert "| كامل NER | CAMeL Lab |  | 80.0 [76.0, 83.0] | ≈ p=0.41 | ≈ p=0.41 | 12 |" in text
    assert "≠ p=0.002" in text and "≠ p<0.001" in text
    assert ARABIC_TEAM in text
    assert "<script>" not in text and "&lt;script&gt;" in text and r"\| \*bold\*" in text
    for row in rows:  # escaping keeps every table row at 8 cells
        assert len(re.split(r"(?<!\\)\|", row)) == 10
    assert "1. line 2: not valid JSON" in text and "2. missing doc\\_id d3" in text
    assert "No submission could be scored for this task." in text
    assert "](plots/ner-per-label.png)" in text
    assert "`evil.py`" in text


def test_csv_is_tidy_and_formula_safe(written: dict[str, Path]) -> None:
    with written["csv"].open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["system_id"], r["rank"], r["position"]) for r in rows] == [
        ("arabert", "1", "1"), ("camel", "1", "2"), ("hostile", "3", "3"), ("rules", "4", "4")]
    assert rows[0]["team"] == ARABIC_TEAM and rows[0]["p_vs_above"] == "" and rows[0]["tied_with_above"] == ""
    assert rows[1]["tied_with_above"] == "true" and float(rows[1]["p_vs_above"]) == pytest.approx(0.41)
    assert rows[2]["team"].startswith("'=") and rows[2]["name"] == HOSTILE_NAME
    assert float(rows[0]["score"]) == pytest.approx(0.82)
    with written["per_label_csv"].open(encoding="utf-8", newline="") as handle:
        per_label = list(csv.DictReader(handle))
    assert len(per_label) == 4 * 6
    assert {r["label"] for r in per_label} == {"PER", "ORG", "LOC", "GPE", "DATE", "MISC"}


def test_json_round_trips_the_board(written: dict[str, Path]) -> None:
    data = json.loads(written["json"].read_text(encoding="utf-8"))
    ner = data["boards"][0]
    assert [r["placement"]["rank"] for r in ner["rows"]] == [1, 1, 3, 4]
    assert ner["rows"][0]["info"]["team"] == ARABIC_TEAM
    assert data["refused"][0]["where"] == "mystery.jsonl"


def test_html_is_self_contained_escaped_and_right_to_left(written: dict[str, Path]) -> None:
    page = written["html"].read_text(encoding="utf-8")
    parsed = _Elements()
    parsed.feed(page)
    tags = parsed.tags
    assert not [t for t, _ in tags if t in ("script", "iframe", "object", "embed", "link")]
    assert any(t == "meta" and a.get("charset") == "utf-8" for t, a in tags)
    assert any(t == "meta" and "script-src" not in (a.get("content") or "") and
               (a.get("content") or "").startswith("default-src 'none'") for t, a in tags)
    images = [a["src"] for t, a in tags if t == "img"]
    assert len(images) == 2 and all(src.startswith("data:image/png;base64,") for src in images)
    rows = [a for t, a in tags if t == "tr" and "system-row" in (a.get("class") or "")]
    assert [(r["data-system"], r["data-rank"]) for r in rows] == [("arabert", "1"), ("camel", "1"),
                                                                   ("hostile", "3"), ("rules", "4")]
    rtl_cells = [a for t, a in tags if t == "td" and a.get("dir") == "rtl"]
    assert len(rtl_cells) >= 3 and all(a.get("lang") == "ar" for a in rtl_cells)
    assert HOSTILE_NAME in "".join(parsed.text), "hostile text is shown as text"
    links = [a for t, a in tags if t == "a" and (a.get("href") or "").startswith("http")]
    assert links == [{"href": "https://example.org/arabert", "rel": "nofollow noopener noreferrer"}]


@pytest.mark.parametrize("module", [benchmark.leaderboard.board, benchmark.leaderboard.csv_table,
                                    benchmark.leaderboard.formatting, benchmark.leaderboard.markdown_page])
def test_docstring_examples_run(module) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_undefined_scores_render_as_a_dash_never_zero(sample_board, tmp_path: Path) -> None:
    """A label absent from gold and predictions (per-label F1 0/0) and a system whose headline is
    undefined are written "—" in Markdown and HTML, empty in CSV, null in JSON, and not drawn."""
    import copy
    from dataclasses import replace

    from benchmark.leaderboard.board import Interval
    from benchmark.leaderboard.ranking import rank_systems

    board = copy.deepcopy(sample_board)
    ner = board.boards[0]
    undefined = Interval(None, None, None)
    ner.rows[0] = replace(ner.rows[0], per_label={**ner.rows[0].per_label, "MISC": undefined})
    placement = rank_systems({"arabert": 0.8, "rules": None}, lambda upper, lower: 0.01)[1]
    ner.rows[3] = replace(ner.rows[3], headline=undefined, placement=placement)
    written = write_leaderboard(board, tmp_path)
    markdown = written["markdown"].read_text(encoding="utf-8")
    assert "— [—, —]" in markdown
    html = written["html"].read_text(encoding="utf-8")
    assert "— [—, —]" in html
    data = json.loads(written["json"].read_text(encoding="utf-8"))
    rows = data["boards"][0]["rows"]
    assert rows[0]["per_label"]["MISC"] == {"value": None, "ci_low": None, "ci_high": None}
    assert rows[3]["headline"]["value"] is None and rows[3]["placement"]["p_vs_above"] is None
    with written["per_label_csv"].open(encoding="utf-8") as handle:
        misc = [r for r in csv.DictReader(handle) if r["system_id"] == "arabert" and r["label"] == "MISC"]
    assert misc[0]["value"] == ""
