"""The scoring loop on real harness scores: ranking, shared ranks, refusals that never stop the board."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmark.leaderboard.output import write_leaderboard
from benchmark.leaderboard.scoring import ScoringOptions, build_leaderboard, per_label_pattern

FAST = ScoringOptions(n_resamples=300, max_bytes=200_000)


@pytest.fixture
def ner_board(ner_arena, tmp_path: Path):
    subs, gold, _ = ner_arena
    out = tmp_path / "board"
    return build_leaderboard(subs, gold, out, options=FAST, progress=False), out


def test_systems_are_ranked_with_shared_ranks_and_p_values(ner_board) -> None:
    board, _ = ner_board
    assert [b.task for b in board.boards] == ["ner"]
    ner = board.boards[0]
    order = [(r.system_id, r.placement.rank) for r in ner.rows]
    assert [system for system, _ in order] == ["oracle", "twin", "dropper",
                                                "people-only"]
    assert order[0] == ("oracle", 1) and order[1] == ("twin", 1), "a one-entity difference is not significant"
    assert order[2][1] == 3 and order[3][1] == 4
    twin, dropper = ner.rows[1], ner.rows[2]
    assert twin.placement.tied_with_above and twin.placement.p_vs_above >= 0.05
    assert not dropper.placement.tied_with_above and dropper.placement.p_vs_top < 0.05
    assert ner.rows[0].headline.value == 1.0
    assert ner.rows[3].headline.high < ner.rows[2].headline.low, "people-only is far below dropper"
    assert ner.per_label_metric == "strict/<label>/f1"
    assert set(ner.rows[3].per_label) == {"PER", "ORG", "LOC", "GPE", "DATE", "MISC"}
    assert ner.rows[3].per_label["PER"].value == 1.0 and ner.rows[3].per_label["ORG"].value == 0.0
    assert ner.rows[0].info.team == "فريق الخبر"


def test_bad_submissions_are_refused_with_numbered_reasons(ner_board, ner_arena, tmp_path: Path) -> None:
    board, _ = ner_board
    refused = {r.where: r.reasons for r in board.boards[0].rejections}
    assert set(refused) == {"broken/ner.jsonl", "confused.ner.jsonl", "huge.ner.jsonl", "sneaky.ner.jsonl",
                            "thief.ner.jsonl"}
    assert refused["broken/ner.jsonl"][0].startswith("#1 [E02 not-json] line 2")
    assert any("[E10 missing-id]" in r for r in refused["broken/ner.jsonl"])
    assert "[E04 wrong-task]" in refused["confused.ner.jsonl"][0]
    assert "over the 200,000-byte limit" in refused["huge.ner.jsonl"][0]
    assert "[E08 unknown-id] line 1, id '../../etc/passwd'" in refused["sneaky.ner.jsonl"][0]
    assert "points outside the submissions folder" in refused["thief.ner.jsonl"][0]
    published = " ".join(reason for reasons in refused.values() for reason in reasons)
    assert str(tmp_path) not in published and "stolen" not in published, "no local paths on the board"
    assert "<private gold>" in refused["sneaky.ner.jsonl"][0]
    assert dict(board.ignored)["exploit.py"].endswith("never opened or executed")
    assert not (tmp_path / "pwned").exists()


def test_results_are_written_outside_the_submissions_and_named_safely(ner_board, ner_arena) -> None:
    board, out = ner_board
    subs, _, _ = ner_arena
    for row in board.boards[0].rows:
        results = json.loads((out / row.results_file).read_text(encoding="utf-8"))
        assert results["task"] == "ner" and results["submission"]["path"] == row.where
        assert (out / row.results_file).with_name("documents.jsonl").is_file()
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert all(".." not in p and "passwd" not in p for p in written)
    assert not any(p.name.startswith("results") for p in subs.rglob("*"))


def test_task_filter_out_dir_rule_and_missing_gold(ner_arena, tmp_path: Path) -> None:
    subs, gold, _ = ner_arena
    (subs / "elsewhere").mkdir()
    (subs / "elsewhere" / "stance.jsonl").write_text('{"id": "x#1", "label": "favor"}\n', encoding="utf-8")
    board = build_leaderboard(subs, gold, tmp_path / "o1", tasks=["stance"], options=FAST, progress=False)
    assert [b.task for b in board.boards] == ["stance"]
    stance = board.boards[0]
    assert stance.rows == [] and [r.where for r in stance.rejections] == ["elsewhere/stance.jsonl"]
    assert "no usable stance gold" in stance.rejections[0].reasons[0]
    assert any(where == "oracle/ner.jsonl" for where, _ in board.not_requested)
    with pytest.raises(ValueError, match="inside the submissions folder"):
        build_leaderboard(subs, gold, subs / "board", options=FAST, progress=False)
    with pytest.raises(KeyError, match="Did you mean 'ner'"):
        build_leaderboard(subs, gold, tmp_path / "o2", tasks=["nre"], options=FAST, progress=False)


def test_the_whole_board_is_written(ner_board) -> None:
    board, out = ner_board
    written = write_leaderboard(board, out)
    page = written["html"].read_text(encoding="utf-8")
    assert 'data-system="oracle" data-rank="1"' in page and 'data-system="twin" data-rank="1"' in page
    assert "فريق الخبر" in page and "[E02 not-json]" in page
    markdown = written["markdown"].read_text(encoding="utf-8")
    assert "| 1 | العرّاف | فريق الخبر | gold copy |" in markdown


def test_per_label_pattern_finds_each_task_layout() -> None:
    assert per_label_pattern("e2e/f1", ["direct"], ["kind/direct/e2e/f1", "e2e/f1"]) == "kind/{label}/e2e/f1"
    assert per_label_pattern("f1", ["x"], ["f1"]) is None


def test_perf_script_runs_on_a_tiny_board(capsys: pytest.CaptureFixture[str]) -> None:
    from benchmark.leaderboard import perf

    assert perf.main(["--docs", "30", "--systems", "3", "--resamples", "50"]) == 0
    printed = capsys.readouterr().out
    assert "3 ner systems × 30 documents" in printed and "ratio" in printed
    assert printed.strip().splitlines()[-1].startswith("ranks: 1")


def test_docstring_examples_run() -> None:
    import doctest

    import benchmark.leaderboard.scoring

    result = doctest.testmod(benchmark.leaderboard.scoring)
    assert result.attempted > 0 and result.failed == 0


def test_long_error_lists_are_cut_with_a_count(kit, tmp_path: Path) -> None:
    articles = kit.gold_articles(4)
    gold = tmp_path / "gold.jsonl"
    kit.write_jsonl(gold, articles)
    subs = tmp_path / "subs"
    kit.write_jsonl(subs / "noisy.ner.jsonl", [{"doc_id": f"nope/{i}", "entities": []} for i in range(70)])

    board = build_leaderboard(subs, gold, tmp_path / "out", options=FAST, progress=False)

    (refusal,) = board.boards[0].rejections
    assert len(refusal.reasons) == 51 and refusal.reasons[0].startswith("#1 [E08 unknown-id]")
    assert refusal.reasons[-1].startswith("… and 24 more error(s)")  # 70 unknown + 4 missing ids


def test_a_rerun_replaces_old_results_but_keeps_foreign_files(ner_arena, tmp_path: Path) -> None:
    subs, gold, _ = ner_arena
    out = tmp_path / "board"
    stale = out / "results" / "ner" / "gone-9"
    stale.mkdir(parents=True)
    (stale / "results.json").write_text("{}", encoding="utf-8")
    mine = out / "results" / "ner" / "notes"
    mine.mkdir()
    (mine / "keep.txt").write_text("mine", encoding="utf-8")

    board = build_leaderboard(subs, gold, out, options=FAST, progress=False)

    assert not stale.exists() and (mine / "keep.txt").is_file()
    listed = {p.name for p in (out / "results" / "ner").iterdir()}
    assert listed == {"notes"} | {Path(r.results_file).parent.name for r in board.boards[0].rows}


def test_extra_fields_are_scored_with_a_warning_and_refused_with_strict(kit, tmp_path: Path) -> None:
    from dataclasses import replace

    articles = kit.gold_articles(4)
    gold = tmp_path / "gold.jsonl"
    kit.write_jsonl(gold, articles)
    subs = tmp_path / "subs"
    lines = [kit.ner_line(a) for a in articles]
    for line in lines:
        line["model"] = "crf-v2"
        for entity in line["entities"]:
            entity["score"] = 0.9
    kit.write_jsonl(subs / "scored.ner.jsonl", lines)

    board = build_leaderboard(subs, gold, tmp_path / "out", options=FAST, progress=False)
    (row,) = board.boards[0].rows
    assert row.headline.value == 1.0 and not board.boards[0].rejections
    results = json.loads((tmp_path / "out" / row.results_file).read_text(encoding="utf-8"))
    n_entities = sum(len(line["entities"]) for line in lines)
    assert results["submission"]["n_warnings"] == len(lines) + n_entities
    assert "line 1, id 'khabar/test/000': unknown field 'model'" in results["submission"]["warnings"][0]

    strict = build_leaderboard(subs, gold, tmp_path / "strict", options=replace(FAST, strict=True), progress=False)
    (refusal,) = strict.boards[0].rejections
    assert not strict.boards[0].rows and refusal.reasons[0].startswith("#1 [E07 unknown-field] line 1")
