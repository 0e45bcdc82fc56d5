"""Render the leaderboard page in a real headless Chromium: a screenshot and the rendered DOM.

Used by the browser tests (``pytest -m browser``) and by ``khabar leaderboard --screenshot``.
Chromium is the Debian package ``chromium`` (``apt-get install -y chromium``; ``scripts/test.sh``
installs it in CI). Every run uses a fresh profile folder and turns off networking features,
so rendering a local file contacts nothing.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

__all__ = ["BrowserError", "chromium_command", "dump_dom", "find_chromium", "screenshot"]

QUIET_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)


class BrowserError(RuntimeError):
    """Chromium is missing, failed, or produced nothing."""


def find_chromium() -> str | None:
    """The path of a Chromium executable on ``PATH`` (``chromium``, then ``chromium-browser``), or None."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_command(page: Path, profile: Path, *action: str,
                     window: tuple[int, int] = (1280, 2000)) -> list[str]:
    """The command line that renders ``page`` with a throw-away ``profile`` folder."""
    executable = find_chromium()
    if executable is None:
        raise BrowserError("chromium is not installed: apt-get install -y chromium "
                           "(Debian package 'chromium')")
    return [executable, *QUIET_FLAGS, f"--user-data-dir={profile}", f"--window-size={window[0]},{window[1]}",
            *action, page.resolve().as_uri()]


def _run(command: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise BrowserError(f"chromium did not finish within {timeout:.0f} s: {' '.join(command)}") from None


def screenshot(page: str | Path, png: str | Path, *, window: tuple[int, int] = (1280, 2000),
               timeout: float = 90.0) -> Path:
    """Render ``page`` and save a PNG screenshot of the window to ``png``."""
    png = Path(png).resolve()
    png.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="khabar-chromium-") as profile:
        command = chromium_command(Path(page), Path(profile), f"--screenshot={png}", window=window)
        result = _run(command, timeout)
    if not png.is_file() or png.stat().st_size == 0:
        raise BrowserError(f"chromium wrote no screenshot (exit {result.returncode}):\n"
                           f"{result.stderr[-2000:]}")
    return png


def dump_dom(page: str | Path, *, timeout: float = 90.0) -> str:
    """Render ``page`` and return the DOM after layout (``--dump-dom``) as HTML text."""
    with tempfile.TemporaryDirectory(prefix="khabar-chromium-") as profile:
        result = _run(chromium_command(Path(page), Path(profile), "--dump-dom"), timeout)
    if result.returncode != 0 or "<html" not in result.stdout:
        raise BrowserError(f"chromium --dump-dom failed (exit {result.returncode}):\n{result.stderr[-2000:]}")
    return result.stdout
