"""The leaderboard page in a real headless Chromium: screenshot pixels and the rendered DOM."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

from benchmark.leaderboard.browser import dump_dom, find_chromium, screenshot
from benchmark.leaderboard.output import write_leaderboard

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,  # each test starts Chromium (2-5 s)
    pytest.mark.skipif(find_chromium() is None,
                       reason="chromium not installed (apt-get install -y chromium; scripts/test.sh does)"),
]

ARABIC_TEAM = "فريق الخبر العربي"
# matplotlib's tab10 colours of the first two systems' bars: they exist only inside the plot images
TAB_BLUE = (31, 119, 180)
TAB_ORANGE = (255, 127, 14)


@pytest.fixture(scope="module")
def page(sample_board, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_leaderboard(sample_board, tmp_path_factory.mktemp("board"))["html"]


def _near(pixels: np.ndarray, colour: tuple[int, int, int], tolerance: int = 6) -> np.ndarray:
    return (np.abs(pixels[:, :, :3].astype(int) - np.array(colour)) <= tolerance).all(axis=2)


def test_screenshot_shows_the_table_and_the_plots(page: Path, tmp_path: Path) -> None:
    from PIL import Image

    png = screenshot(page, tmp_path / "board.png", window=(1280, 2000))
    pixels = np.asarray(Image.open(png).convert("RGB"))
    assert pixels.shape[:2] == (2000, 1280)
    ink = (pixels < 200).any(axis=2)
    assert ink.mean() > 0.02, "the page is (nearly) blank"
    header_band = pixels[:400]  # the title and the ranked table: text and cell borders
    assert (header_band < 128).any(axis=2).sum() > 2000, "no text in the table region"
    for colour in (TAB_BLUE, TAB_ORANGE):
        mask = _near(pixels, colour)
        assert mask.sum() > 2000, f"plot colour {colour} missing: the embedded plot did not render"
        rows = np.flatnonzero(mask.any(axis=1))
        assert rows.max() - rows.min() > 100, "bars of the per-label plot are not tall enough to be bars"
        assert rows.min() > 400, "plots are drawn below the ranked table"


class _Dom(HTMLParser):
    """Rows of the ranked table (system id, rank) and the text of right-to-left cells."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, str]] = []
        self.rtl_text: list[str] = []
        self.scripts = 0
        self._rtl_depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "tr" and "system-row" in (attributes.get("class") or ""):
            self.rows.append((attributes.get("data-system") or "", attributes.get("data-rank") or ""))
        if tag == "td":
            self._rtl_depth = 1 if attributes.get("dir") == "rtl" else 0

    def handle_endtag(self, tag):
        if tag == "td":
            self._rtl_depth = 0

    def handle_data(self, data):
        if self._rtl_depth:
            self.rtl_text.append(data)


def test_rendered_dom_has_every_row_and_the_arabic_names_right_to_left(page: Path) -> None:
    dom = _Dom()
    dom.feed(dump_dom(page))
    assert dom.rows == [("arabert", "1"), ("camel", "1"), ("hostile", "3"), ("rules", "4")]
    assert ARABIC_TEAM in dom.rtl_text
    assert "كامل NER" in dom.rtl_text
    assert dom.scripts == 0, "the hostile name must stay text, never become a script element"



def test_a_scored_board_renders_its_rows_and_refusals(ner_arena, tmp_path: Path) -> None:
    from benchmark.leaderboard.scoring import ScoringOptions, build_leaderboard

    subs, gold, _ = ner_arena
    out = tmp_path / "board"
    board = build_leaderboard(subs, gold, out, options=ScoringOptions(n_resamples=200, max_bytes=200_000),
                              progress=False)
    html = dump_dom(write_leaderboard(board, out)["html"])
    dom = _Dom()
    dom.feed(html)
    assert dom.rows == [("oracle", "1"), ("twin", "1"), ("dropper", "3"), ("people-only", "4")]
    assert "العرّاف" in dom.rtl_text and "فريق الخبر" in dom.rtl_text
    assert "[E02 not-json]" in html and "points outside the submissions folder" in html
    assert dom.scripts == 0


def test_cli_screenshot_option_writes_a_png(ner_arena, tmp_path: Path) -> None:
    from PIL import Image

    from benchmark.cli import main

    subs, gold, _ = ner_arena
    out = tmp_path / "board"
    assert main(["leaderboard", str(subs), "--gold", str(gold), "--out", str(out), "--task", "ner",
                 "--resamples", "100", "--max-bytes", "200000", "--no-progress", "--screenshot"]) == 0
    with Image.open(out / "index.png") as image:
        assert image.size == (1280, 2000)
        assert len(set(image.convert("RGB").getdata())) > 50, "a rendered page, not a blank one"
