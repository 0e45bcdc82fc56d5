"""No absolute path of a developer's machine in the docs or the code's docstrings (issue #16, item 7).

Docs and docstrings are read on other machines: a path like ``/work/notes/…`` or ``/tmp/k60/…`` points
nowhere there. Paths are written relative to the repository (``../shared/data/…``) or as placeholders.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MACHINE_PATH = re.compile(r"(?<![\w./-])(?:/work/|/home/|/tmp/|/root/|/Users/|[A-Za-z]:\\)")
DOCS = sorted({*ROOT.glob("docs/*.md"), ROOT / "README.md", ROOT / "DEVELOPERS.md", *ROOT.glob("annotations/**/*.md")})
CODE = sorted(p for folder in ("benchmark", "baselines", "scripts") for p in (ROOT / folder).rglob("*.py"))


def _docstrings(path: Path) -> list[tuple[int, str]]:
    """``(line, docstring)`` of the module and of every class and function of a Python file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in [tree, *ast.walk(tree)]:
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            text = ast.get_docstring(node, clean=False)
            if text:
                out.append((node.body[0].lineno, text))
    return out


def _hits(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if MACHINE_PATH.search(line)]


def test_the_pattern_finds_machine_paths_and_spares_relative_ones():
    assert _hits("see /work/notes/tasks_api.md") and _hits("--out /tmp/x.jsonl") and _hits(r"C:\Users\me")
    assert _hits("(`/home/ann/data`)") and _hits("/root/.cache/x")
    assert not _hits("../shared/data/saudinewsnet work/k60/x.jsonl https://github.com/a/tmp/b ~/.cache/khabar")


@pytest.mark.parametrize("path", DOCS, ids=[str(p.relative_to(ROOT)) for p in DOCS])
def test_docs_hold_no_machine_paths(path):
    hits = _hits(path.read_text(encoding="utf-8"))
    assert not hits, f"{path.relative_to(ROOT)}: absolute machine path(s); write them relative to the repo: {hits}"


def test_docstrings_hold_no_machine_paths():
    hits = [f"{path.relative_to(ROOT)}:{line}: {hit}" for path in CODE for line, text in _docstrings(path)
            for hit in _hits(text)]
    assert not hits, "absolute machine path(s) in docstrings; write them relative to the repo:\n" + "\n".join(hits)
