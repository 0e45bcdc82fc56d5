"""Helpers shared by tests in several folders (imported relatively: ``from ..support import run_cli``)."""

from __future__ import annotations

import io
import json
import zipfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from benchmark.cli import main


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """Run ``khabar ARGV`` in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def write_saudinewsnet(folder: Path, records: list[dict]) -> Path:
    """A SaudiNewsNet-shaped folder (``dataset/DAY.zip`` holding ``DAY.json``) with the given records."""
    (folder / "dataset").mkdir(parents=True)
    with zipfile.ZipFile(folder / "dataset" / "2015-07-21.zip", "w") as zf:
        zf.writestr("2015-07-21.json", json.dumps(records, ensure_ascii=False))
    return folder
