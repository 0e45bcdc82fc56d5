"""``khabar leaderboard`` end to end: the private release folder, exit codes, quotes and stance boards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmark.cli import main

FAST = ["--resamples", "200", "--max-bytes", "200000", "--no-progress"]


@pytest.fixture
def private_release(kit, tmp_path: Path) -> Path:
    """A real ``khabar build`` release of the ner gold articles (all in test) plus a few train ones."""
    from benchmark.model import Article
    from benchmark.release.build import ReleaseSource, build_release
    from benchmark.release.splits import Assignment, Manifest

    test = [Article.from_dict(a) for a in kit.gold_articles()]
    train = [Article.from_dict({**a, "doc_id": a["doc_id"].replace("test", "train")})
             for a in kit.gold_articles(4)]
    manifest = Manifest(ratios={"train": 0.5, "test": 0.5}, documents={
        **{a.doc_id: Assignment("test", a.doc_id, "hash") for a in test},
        **{a.doc_id: Assignment("train", a.doc_id, "hash") for a in train}})
    result = build_release([ReleaseSource("khabar", test + train, kinds=("articles", "ner"))], manifest,
                           tmp_path / "release" / "khabar", progress=False)
    return result.private


def test_cli_scores_against_the_private_release_folder(ner_arena, private_release, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    subs, _, _ = ner_arena
    out = tmp_path / "board"
    assert main(["leaderboard", str(subs), "--gold", str(private_release), "--out", str(out), *FAST]) == 0
    printed = capsys.readouterr().out
    assert "ner v1.0 · ranked by strict/f1 · 4 scored, 5 refused" in printed
    assert "refused huge.ner.jsonl" in printed and "not read: exploit.py" in printed
    data = json.loads((out / "leaderboard.json").read_text(encoding="utf-8"))
    ner = data["boards"][0]
    release = json.loads((private_release / "khabar_release.json").read_text(encoding="utf-8"))
    assert ner["dataset_revision"] == release["revision"], "the board is keyed by the release revision"
    assert [r["system_id"] for r in ner["rows"]] == ["oracle", "twin", "dropper", "people-only"]
    assert ner["rows"][0]["counts"]["documents"] == 16, "only the test split is scored"
    for name in ("index.html", "leaderboard.md", "leaderboard.csv", "per_label.csv", "plots/ner-per-label.png"):
        assert (out / name).is_file()
    assert main(["leaderboard", str(subs), "--gold", str(private_release), "--out", str(out), "--strict",
                 *FAST]) == 1


def test_cli_refuses_bad_calls(ner_arena, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    subs, gold, _ = ner_arena
    assert main(["leaderboard", str(tmp_path / "nope"), "--gold", str(gold), *FAST]) == 2
    assert main(["leaderboard", str(subs), "--gold", str(tmp_path / "nope"), *FAST]) == 2
    assert main(["leaderboard", str(subs), "--gold", str(gold), "--task", "nre", "--out",
                 str(tmp_path / "o"), *FAST]) == 2
    assert main(["leaderboard", str(subs), "--gold", str(gold), "--out", str(subs / "board"), *FAST]) == 2
    assert main(["leaderboard", str(subs), "--gold", str(gold), "--alpha", "2", *FAST]) == 2
    errors = capsys.readouterr().err
    assert "not a folder" in errors and "does not exist" in errors and "Did you mean 'ner'" in errors
    assert "inside the submissions folder" in errors and "--alpha" in errors


def test_quotes_and_stance_boards(kit, tmp_path: Path) -> None:
    from benchmark.leaderboard.scoring import ScoringOptions, build_leaderboard

    articles = kit.quote_articles()
    gold = tmp_path / "gold.jsonl"
    kit.write_jsonl(gold, articles)
    subs = tmp_path / "subs"

    def quote_line(article, speaker_right=True):
        quote = article["quotes"][0]
        speaker = article["entities"][0] if speaker_right else article["entities"][1]
        return {"doc_id": article["doc_id"], "quotes": [{"start": quote["start"], "end": quote["end"],
                                                         "kind": "direct",
                                                         "speaker": {"start": speaker["start"],
                                                                     "end": speaker["end"]}}]}

    kit.write_jsonl(subs / "quotes" / "exact.jsonl", [quote_line(a) for a in articles])
    kit.write_jsonl(subs / "quotes" / "half.jsonl", [quote_line(a, i % 2 == 0) for i, a in enumerate(articles)])
    from benchmark.model import Article
    from benchmark.tasks import get_task
    from benchmark.tasks.stance import stance_line

    stance_rows = get_task("stance").rows([Article.from_dict(a) for a in articles])
    kit.write_jsonl(subs / "stance" / "right.jsonl", [stance_line(row, row["label"]) for row in stance_rows])
    kit.write_jsonl(subs / "stance" / "always-favor.jsonl", [stance_line(row, "favor") for row in stance_rows])

    board = build_leaderboard(subs, gold, tmp_path / "out", options=ScoringOptions(n_resamples=200),
                              progress=False)

    quotes, stance = board.boards
    assert (quotes.task, stance.task) == ("quotes", "stance")
    assert [(r.system_id, r.placement.rank) for r in quotes.rows] == [("exact", 1), ("half", 2)]
    assert quotes.rows[0].headline.value == 1.0 and quotes.rows[1].headline.value == pytest.approx(0.5)
    assert quotes.per_label_metric == "kind/<label>/e2e/f1" and quotes.labels == ("direct", "indirect", "mixed")
    assert [r.system_id for r in stance.rows] == ["right", "always-favor"]
    assert stance.per_label_metric == "<label>/f1"
    assert stance.rows[1].per_label["favor"].value > 0 and stance.rows[1].per_label["against"].value == 0
    assert not quotes.rejections and not stance.rejections
