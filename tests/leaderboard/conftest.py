"""Fixtures of the leaderboard tests: a hand-built :class:`Leaderboard` for the renderers (no
scoring involved).

It has Arabic and mixed names, hostile metadata (markup, formula, pipes) and refused
submissions, so every renderer is exercised on what real submissions can contain.
"""

from __future__ import annotations

import pytest

from benchmark.leaderboard.board import BoardRow, Interval, Leaderboard, TaskBoard
from benchmark.leaderboard.discovery import Rejection
from benchmark.leaderboard.metadata import SystemInfo
from benchmark.leaderboard.ranking import Placement

HOSTILE_NAME = '<script>alert("x")</script> | *bold*'
ARABIC_TEAM = "فريق الخبر العربي"
LABELS = ("PER", "ORG", "LOC", "GPE", "DATE", "MISC")


def _row(system_id: str, info: SystemInfo, placement: Placement, score: float) -> BoardRow:
    per_label = {label: Interval(max(0.0, score - 0.05 * i), max(0.0, score - 0.05 * i - 0.06),
                                 min(1.0, score - 0.05 * i + 0.05)) for i, label in enumerate(LABELS)}
    return BoardRow(system_id=system_id, where=f"{system_id}/ner.jsonl", info=info, placement=placement,
                    headline=Interval(score, score - 0.04, score + 0.03), per_label=per_label,
                    counts={"documents": 12}, results_file=f"results/ner/{system_id}.json")


def build_sample_board() -> Leaderboard:
    rows = [
        _row("arabert", SystemInfo(name="AraBERT-CRF", team=ARABIC_TEAM, model="bert-base-arabertv02",
                                   url="https://example.org/arabert"),
             Placement("arabert", 0.82, 1, 1, None, None, None, False, False), 0.82),
        _row("camel", SystemInfo(name="كامل NER", team="CAMeL Lab"),
             Placement("camel", 0.80, 2, 1, "arabert", 0.41, 0.41, True, True), 0.80),
        _row("hostile", SystemInfo(name=HOSTILE_NAME, team="=HYPERLINK(\"http://x\")"),
             Placement("hostile", 0.61, 3, 3, "camel", 0.002, 0.0004, False, False), 0.61),
        _row("rules", SystemInfo(),
             Placement("rules", 0.35, 4, 4, "hostile", 0.0001, 0.0, False, False), 0.35),
    ]
    ner = TaskBoard(task="ner", version="1.0", dataset_revision="sha256:abc123", headline="strict_f1",
                    higher_is_better=True, labels=LABELS, per_label_metric="f1", alpha=0.05, n_resamples=1000,
                    confidence=0.95, rows=rows,
                    rejections=[Rejection("broken/ner.jsonl", ("line 2: not valid JSON", "missing doc_id d3"),
                                          "broken", "ner")])
    stance = TaskBoard(task="stance", version="1.0", dataset_revision="sha256:abc123", headline="macro_f1",
                       higher_is_better=True, labels=("favor", "against", "neutral"), per_label_metric="f1",
                       alpha=0.05, n_resamples=1000, confidence=0.95)
    return Leaderboard(boards=[ner, stance], generated="2026-11-25T01:00:00+00:00", package_version="0.1.0",
                       rejections=[Rejection("mystery.jsonl", ("cannot tell the task",))],
                       ignored=[("evil.py", "not a submission file: never opened or executed")])


@pytest.fixture(scope="session")
def sample_board() -> Leaderboard:
    """Four ranked ner systems (two sharing rank 1, one hostile), an empty stance board, refusals."""
    return build_sample_board()
