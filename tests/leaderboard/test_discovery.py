"""Finding submissions in a folder, and refusing everything unsafe or ambiguous without stopping."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchmark.leaderboard.discovery import discover
from benchmark.leaderboard.metadata import parse_metadata
from benchmark.leaderboard.safety import UnsafePath, inside, read_bounded

TASKS = ("ner", "quotes", "stance")


def write(path: Path, text: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_every_layout_is_found_with_its_task_and_metadata(tmp_path: Path) -> None:
    write(tmp_path / "arabert" / "ner.jsonl")
    write(tmp_path / "arabert" / "quotes.jsonl")
    write(tmp_path / "arabert" / "metadata.json", '{"name": "AraBERT", "team": "فريق الخبر"}')
    write(tmp_path / "rules" / "submission.jsonl")
    write(tmp_path / "rules" / "metadata.json", '{"task": "quotes"}')
    write(tmp_path / "baseline.ner.jsonl")
    write(tmp_path / "baseline.meta.json", '{"model": "CRF"}')
    write(tmp_path / "stance" / "team-x.jsonl")
    write(tmp_path / "stance" / "team-x.meta.json", '{"team": "X"}')
    write(tmp_path / "stance" / "team-y" / "predictions.jsonl")

    found = discover(tmp_path, TASKS)

    got = {(c.system_id, c.task): (c.where, c.info.name, c.info.team, c.info.model) for c in found.candidates}
    assert got == {
        ("arabert", "ner"): ("arabert/ner.jsonl", "AraBERT", "فريق الخبر", None),
        ("arabert", "quotes"): ("arabert/quotes.jsonl", "AraBERT", "فريق الخبر", None),
        ("rules", "quotes"): ("rules/submission.jsonl", None, None, None),
        ("baseline", "ner"): ("baseline.ner.jsonl", None, None, "CRF"),
        ("team-x", "stance"): ("stance/team-x.jsonl", None, "X", None),
        ("team-y", "stance"): ("stance/team-y/predictions.jsonl", None, None, None),
    }
    assert found.rejections == []
    assert found.ignored == []
    assert all(c.path.is_absolute() and c.path.is_relative_to(tmp_path.resolve()) for c in found.candidates)


def test_task_that_cannot_be_told_or_disagrees_is_rejected_with_reasons(tmp_path: Path) -> None:
    write(tmp_path / "mystery.jsonl")
    write(tmp_path / "clash.ner.jsonl")
    write(tmp_path / "clash.meta.json", '{"task": "quotes"}')
    write(tmp_path / "odd" / "submission.jsonl")
    write(tmp_path / "odd" / "metadata.json", '{"task": "sentiment"}')

    found = discover(tmp_path, TASKS)

    assert found.candidates == []
    reasons = {r.where: r.reasons for r in found.rejections}
    assert "cannot tell the task" in reasons["mystery.jsonl"][0]
    assert "disagrees (file name: ner, metadata: quotes)" in reasons["clash.ner.jsonl"][0]
    assert "unknown task 'sentiment' given by the metadata" in reasons["odd/submission.jsonl"][0]


def test_bad_metadata_rejects_the_system_with_numbered_reasons(tmp_path: Path) -> None:
    write(tmp_path / "broken" / "ner.jsonl")
    write(tmp_path / "broken" / "metadata.json", "{not json")
    write(tmp_path / "shouty" / "ner.jsonl")
    write(tmp_path / "shouty" / "metadata.json",
          '{"name": 7, "url": "file:///etc/passwd", "predictions": "../../etc/passwd"}')

    found = discover(tmp_path, TASKS)

    assert found.candidates == []
    reasons = {r.where: r.reasons for r in found.rejections}
    assert "metadata is not valid JSON" in reasons["broken/ner.jsonl"][0]
    shouty = reasons["shouty/ner.jsonl"]
    assert len(shouty) == 3
    assert any("'name' must be a string" in r for r in shouty)
    assert any("unknown field 'predictions'" in r for r in shouty)
    assert any('"url" must start with http' in r for r in shouty)


def test_duplicate_submissions_of_one_system_and_task_are_all_refused(tmp_path: Path) -> None:
    write(tmp_path / "dup" / "ner.jsonl")
    write(tmp_path / "dup.ner.jsonl")
    write(tmp_path / "fine.ner.jsonl")

    found = discover(tmp_path, TASKS)

    assert [c.system_id for c in found.candidates] == ["fine"]
    assert sorted(r.where for r in found.rejections) == ["dup.ner.jsonl", "dup/ner.jsonl"]
    assert all("has 2 ner submissions" in r.reasons[0] for r in found.rejections)


def test_malicious_folder_never_reads_outside_and_never_runs_code(tmp_path: Path) -> None:
    outside = write(tmp_path / "outside" / "secret.jsonl", '{"doc_id": "stolen"}\n')
    root = tmp_path / "subs"
    write(root / "good.ner.jsonl")
    (root / "escape.ner.jsonl").parent.mkdir(parents=True, exist_ok=True)
    os.symlink(outside, root / "escape.ner.jsonl")
    os.symlink("../../../../../../etc/passwd", root / "passwd.ner.jsonl")
    os.symlink(tmp_path / "outside", root / "linkdir")
    os.symlink(root / "nowhere.jsonl", root / "dangling.ner.jsonl")
    marker = tmp_path / "pwned"
    write(root / "evil.py", f"open({str(marker)!r}, 'w').write('ran')\n")
    write(root / "hack" / "ner.jsonl")
    write(root / "hack" / "run.sh", f"touch {marker}\n")
    os.symlink(outside, root / "hack" / "metadata.json")
    write(root / "inlink" / "ner.jsonl")
    os.symlink(root / "good.ner.jsonl", root / "alias.ner.jsonl")  # a symlink inside is allowed

    found = discover(root, TASKS)

    assert {c.system_id for c in found.candidates} == {"good", "hack", "inlink", "alias"}
    assert all(c.path.is_relative_to(root.resolve()) for c in found.candidates)
    refused = {r.where: r.reasons[0] for r in found.rejections}
    assert "points outside the submissions folder" in refused["escape.ner.jsonl"]
    assert "points outside the submissions folder" in refused["linkdir"]
    assert "points outside the submissions folder" in refused["hack/metadata.json"]
    assert "passwd.ner.jsonl" in refused  # dangling relative link or outside: refused either way
    assert "cannot be resolved" in refused["dangling.ner.jsonl"]
    ignored = dict(found.ignored)
    assert "never opened or executed" in ignored["evil.py"]
    assert "never opened or executed" in ignored["hack/run.sh"]
    assert not marker.exists()


def test_hidden_files_and_deep_folders_are_listed_as_ignored(tmp_path: Path) -> None:
    write(tmp_path / ".git" / "config")
    write(tmp_path / "sys" / "ner.jsonl")
    write(tmp_path / "sys" / "extra" / "ner.jsonl")
    write(tmp_path / "empty" / "README.txt")
    write(tmp_path / "orphan.meta.json", "{}")

    found = discover(tmp_path, TASKS)

    assert [c.where for c in found.candidates] == ["sys/ner.jsonl"]
    ignored = dict(found.ignored)
    assert set(ignored) == {".git", "sys/extra", "empty/README.txt", "orphan.meta.json"}
    assert [r.where for r in found.rejections] == ["empty"]
    assert "no predictions file" in found.rejections[0].reasons[0]


def test_missing_submissions_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NotADirectoryError, match="not a folder"):
        discover(tmp_path / "nope", TASKS)


def test_read_bounded_refuses_large_files_and_outside_paths(tmp_path: Path) -> None:
    root = tmp_path.resolve()
    big = write(root / "big.jsonl", "x" * 101)
    assert read_bounded(root, big, max_bytes=101) == b"x" * 101
    with pytest.raises(UnsafePath, match="over the 100-byte limit"):
        read_bounded(root, big, max_bytes=100)
    with pytest.raises(UnsafePath, match="points outside"):
        inside(root / "sub", big)
    os.mkfifo(root / "pipe.jsonl")
    with pytest.raises(UnsafePath, match="not a regular file"):
        read_bounded(root, root / "pipe.jsonl", max_bytes=100)


def test_metadata_checks_types_lengths_controls_and_urls() -> None:
    info, problems = parse_metadata('{"name": "نظام", "url": "https://x.org", "description": null}'.encode())
    assert problems == [] and info.name == "نظام" and info.url == "https://x.org" and info.description is None
    _, problems = parse_metadata(b'["a list"]')
    assert problems == ['metadata must be a JSON object, got list; write {"name": ..., "team": ...}']
    _, problems = parse_metadata(('{"name": "' + "n" * 81 + '", "team": "a\\u0000b"}').encode())
    assert problems == ["'name' is 81 characters long, over the limit of 80; shorten it",
                        "'team' contains control characters; remove them"]
    _, problems = parse_metadata(b"\xff\xfe")
    assert problems[0].startswith("metadata is not UTF-8")


def test_names_that_could_spoof_the_board_are_refused(tmp_path: Path) -> None:
    write(tmp_path / "evil\u202etxt.ner.jsonl")
    write(tmp_path / "line\nbreak" / "ner.jsonl")
    write(tmp_path / ("x" * 81) / "ner.jsonl")
    write(tmp_path / "فريق\u200f" / "ner.jsonl")  # a right-to-left mark is fine
    write(tmp_path / "spoof" / "ner.jsonl")
    write(tmp_path / "spoof" / "metadata.json", '{"name": "gold\\u202eNER"}')

    found = discover(tmp_path, TASKS)

    assert [c.system_id for c in found.candidates] == ["فريق\u200f"]
    reasons = {r.where: r.reasons[-1] for r in found.rejections}
    assert "bidi embedding/override" in reasons["evil\u202etxt.ner.jsonl"]
    assert "contains control characters" in reasons["line\nbreak/ner.jsonl"]
    assert "over 80 characters" in reasons["x" * 81 + "/ner.jsonl"]
    assert "'name' contains bidi" in reasons["spoof/ner.jsonl"]
