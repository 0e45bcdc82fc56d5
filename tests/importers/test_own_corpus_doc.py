"""docs/your-own-corpus.md: its five commands run as written, on the committed example files,
and give the figures the page prints (every layer kept, the CRF's warning, outermost scores)."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

from benchmark.cli import main
from benchmark.io import read_articles
from benchmark.schema import resolve_schema

DOC = Path(__file__).resolve().parents[2] / "docs" / "your-own-corpus.md"
EXAMPLES = DOC.parent / "examples" / "own-corpus"


def doc_commands() -> list[list[str]]:
    block = re.search(r"## The five commands.*?```bash\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert block, "the page has its ```bash block of commands"
    return [shlex.split(line) for line in block.group(1).splitlines() if line.startswith("khabar ")]


def doc_figures() -> dict[str, float]:
    text = DOC.read_text(encoding="utf-8")
    return {name: float(value) for name, value in re.findall(r"^(\S+?)(?: \*)?\s+(\d\.\d{4})\s+\[", text, re.M)}


def test_the_five_commands_run_as_written_and_give_the_printed_figures(tmp_path, monkeypatch, capsys):
    commands = doc_commands()
    assert len(commands) == 5 and all(c[0] == "khabar" for c in commands)
    shutil.copytree(EXAMPLES, tmp_path / "docs" / "examples" / "own-corpus")
    monkeypatch.chdir(tmp_path)
    for command in commands:
        assert main(command[1:]) == 0, shlex.join(command)
    printed = capsys.readouterr()
    assert ("warning: 11 nested spans (inner layer) cannot be learned by the CRF: it trains on the outermost "
            "layer") in printed.err
    schema = resolve_schema("docs/examples/own-corpus/schema.json")
    train = list(read_articles("runs/own/train.jsonl", schema))
    assert sum(len(a.entities) for a in train) == 34  # both depths kept: 23 outer + 11 nested
    results = json.loads(Path("runs/own/results/results.json").read_text(encoding="utf-8"))
    figures = doc_figures()
    assert set(figures) >= {"strict/f1", "outermost/f1"}
    for name, value in figures.items():
        assert round(results["metrics"][name]["value"], 4) == value, name
