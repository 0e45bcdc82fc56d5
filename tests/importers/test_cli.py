"""``khabar import``: writes validated JSONL plus a report, lists importers, refuses bad options."""

from __future__ import annotations

import json
from pathlib import Path

from benchmark.cli import main
from benchmark.io import read_articles
from benchmark.schema import LabelSchema


def write_ans(tmp_path: Path) -> Path:
    folder = tmp_path / "ans" / "stance"
    folder.mkdir(parents=True)
    (folder / "train.csv").write_text("s1,s2,stance\nارتفاع النفط,صعود النفط,agree\n", encoding="utf-8")
    (folder / "test.csv").write_text("s1,s2,stance\nأ,,other\nب,ج,disagree\n", encoding="utf-8")
    return tmp_path / "ans"


def test_import_writes_articles_and_report(tmp_path, capsys):
    out = tmp_path / "out" / "ans.jsonl"
    assert main(["import", "ans", str(write_ans(tmp_path)), "--out", str(out)]) == 0
    schema = LabelSchema("ans", entity_labels=(), stance_labels=("agree", "disagree", "other"))
    assert [a.doc_id for a in read_articles(out, schema)] == ["ans/train/0001", "ans/test/0002"]
    report = json.loads((tmp_path / "out" / "ans.jsonl.report.json").read_text(encoding="utf-8"))
    assert report["written"] == 2 and report["counts"]["empty_text_skipped"] == 1
    assert report["notes"][0]["where"] == "test/test.csv:2 (row 1)"
    printed = capsys.readouterr().out
    assert "wrote 2 articles" in printed and "empty_text_skipped=1" in printed


def test_import_options_limit_and_errors(tmp_path, capsys):
    folder = write_ans(tmp_path)
    out = tmp_path / "ans.jsonl"
    assert main(["import", "ans", str(folder), "--out", str(out), "--limit", "1"]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1
    assert main(["import", "ans", str(folder), "--out", str(out), "-O", "sentences_per_doc=2"]) == 2
    assert "unknown option 'sentences_per_doc'" in capsys.readouterr().err
    assert main(["import", "nope", str(folder), "--out", str(out)]) == 2
    assert main(["import", "conll", str(folder), "--out", str(out)]) == 1
    assert "ans: a folder; pass the CoNLL file(s) themselves" in capsys.readouterr().err
    assert main(["import", "anercorp", str(folder), "--out", str(out), "-O", "sentences_per_doc=x"]) == 2
    assert "wants an integer" in capsys.readouterr().err
    (folder / "stance" / "train.csv").write_text("s1,s2,stance\nأ,ب,maybe\n", encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    assert main(["import", "ans", str(folder), "--out", str(bad)]) == 1
    assert "train/train.csv:2 (row 1)" in capsys.readouterr().err
    assert not bad.exists() and not (tmp_path / "bad.jsonl.partial").exists()
    assert main(["import", "ans", str(folder), "--out", str(bad), "--keep-going"]) == 1
    assert len(bad.read_text(encoding="utf-8").splitlines()) == 1


def test_import_list(capsys):
    assert main(["import", "--list"]) == 0
    printed = capsys.readouterr().out
    for name in ("anercorp", "newsfane", "ans", "baly2018", "conll", "mawqif", "saudinewsnet"):
        assert f"{name}: " in printed
    assert "sentences_per_doc" in printed and "CC BY-NC-SA 4.0" in printed


def test_conll_keep_going_skips_and_reports_a_document_the_schema_or_scheme_refuses(tmp_path, capsys):
    """A label outside ``--schema`` or a tag the scheme forbids stops the import at its line; with ``--keep-going``
    only that document is left out, named in the report with its line and fix, and the exit code is 1."""
    source = tmp_path / "news.conll"
    source.write_text("-DOCSTART-\tO\nمحمد\tB-PER\n\n-DOCSTART-\tO\nالرياض\tB-FOO\n\n"
                      "-DOCSTART-\tO\nسعيد\tI-PER\n\n-DOCSTART-\tO\nجدة\tB-LOC\n\n", encoding="utf-8")
    out = tmp_path / "news.jsonl"
    command = ["import", "conll", str(source), "--doc-marker=-DOCSTART-", "--schema", "anercorp", "--out", str(out)]
    assert main(command) == 1
    assert "news.conll:5" in capsys.readouterr().err and not out.exists()
    assert main([*command, "--keep-going"]) == 1
    assert [a.text for a in read_articles(out)] == ["محمد", "جدة"]
    report = json.loads((tmp_path / "news.jsonl.report.json").read_text(encoding="utf-8"))
    assert report["counts"]["invalid_skipped"] == 2
    notes = {note["where"]: note["message"] for note in report["notes"]}
    assert "entity type 'FOO' is not in the anercorp schema" in notes["news.conll:5"]
    assert "in IOB2 an entity starts with B-PER" in notes["news.conll:8"]
