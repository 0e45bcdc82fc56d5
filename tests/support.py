"""Helpers shared by tests in several folders (imported relatively: ``from ..support import run_cli``)."""

from __future__ import annotations

import importlib.util
import io
import json
import zipfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from benchmark.cli import main

REPO = Path(__file__).resolve().parents[1]


def load_script(name: str):
    """``scripts/NAME.py`` imported as a module (the scripts folder is not a package)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sample_manifest(tmp_path: Path, splits: dict[str, str]) -> Path:
    """The committed v0.1 manifest cut down to the given documents of the gold sample, with the given splits."""
    data = json.loads((REPO / "annotations" / "splits" / "manifest.json").read_text(encoding="utf-8"))
    data["documents"] = {doc: {**data["documents"][doc], "split": split} for doc, split in splits.items()}
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


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


SOURCE_TEXT = ("قالت مصادر أمنية في وزارة الداخلية إن الهجوم وقع ليلا. وأضاف المصدر أن التحقيق مستمر. "
               "وقال بوتين إن روسيا مستعدة.")


def source_article(doc_id: str = "src/1"):
    """A valid Khabar article with ``SOURCE`` speakers (guidelines 2.0 §5.7): the SOURCE
    ``مصادر أمنية في وزارة الداخلية`` (an ORG nested inside) speaks q1, the clustered SOURCE
    ``المصدر`` speaks q2, the PER ``بوتين`` speaks q3."""
    from benchmark.model import Article, Mention, Quote, Span

    return Article(
        doc_id=doc_id, text=SOURCE_TEXT,
        entities=(Mention("s1", 5, 34, "SOURCE"), Mention("m1", 20, 34, "ORG"),
                  Mention("s2", 61, 67, "SOURCE", cluster="s1"), Mention("m2", 91, 96, "PER"),
                  Mention("m3", 100, 105, "GPE")),
        quotes=(Quote("q1", 38, 53, "indirect", cue=Span(0, 4), speaker="s1"),
                Quote("q2", 71, 84, "indirect", cue=Span(56, 60), speaker="s2"),
                Quote("q3", 100, 112, "indirect", cue=Span(87, 90), speaker="m2")),
    )


def without_sources(article):
    """``article`` without its ``SOURCE`` mentions (quotes they speak lose their speaker)."""
    import dataclasses

    sources = {m.id for m in article.entities if m.label == "SOURCE"}
    quotes = tuple(dataclasses.replace(q, speaker=None, speaker_elided=False) if q.speaker in sources else q
                   for q in article.quotes)
    return article.replace(entities=tuple(m for m in article.entities if m.id not in sources), quotes=quotes)
