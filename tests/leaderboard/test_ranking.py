"""Shared ranks from paired bootstrap p-values (the test itself is the harness's; here it is given)."""

from __future__ import annotations

import doctest

import pytest

import benchmark.leaderboard.discovery
import benchmark.leaderboard.metadata
import benchmark.leaderboard.ranking
import benchmark.leaderboard.safety
from benchmark.leaderboard.ranking import rank_systems


def table(p_values: dict[tuple[str, str], float]):
    calls: list[tuple[str, str]] = []

    def compare(upper: str, lower: str) -> float:
        calls.append((upper, lower))
        return p_values[(upper, lower)]

    return compare, calls


def test_clear_winner_then_a_tie_then_a_clear_loser() -> None:
    compare, calls = table({("a", "b"): 0.001, ("a", "c"): 0.002, ("b", "c"): 0.6, ("a", "d"): 0.0,
                            ("c", "d"): 0.01, ("b", "d"): 0.0})
    placed = rank_systems({"a": 0.9, "b": 0.7, "c": 0.69, "d": 0.3}, compare)
    assert [(p.system_id, p.position, p.rank) for p in placed] == [("a", 1, 1), ("b", 2, 2), ("c", 3, 2),
                                                                     ("d", 4, 4)]
    assert placed[2].tied_with_above and not placed[2].tied_with_top
    assert placed[2].p_vs_above == 0.6 and placed[2].p_vs_top == 0.002 and placed[2].above == "b"
    assert placed[0].p_vs_above is None and placed[0].p_vs_top is None
    assert len(calls) == len(set(calls)), "each pair is tested once"


def test_a_chain_of_small_steps_does_not_merge_distant_systems() -> None:
    compare, _ = table({("a", "b"): 0.3, ("b", "c"): 0.3, ("a", "c"): 0.01, ("c", "d"): 0.5,
                        ("a", "d"): 0.001})
    placed = rank_systems({"a": 0.80, "b": 0.78, "c": 0.76, "d": 0.75}, compare)
    assert [p.rank for p in placed] == [1, 1, 3, 3]
    assert placed[2].tied_with_above, "c is still marked ≈ b although it starts a new rank"


def test_equal_scores_are_ordered_by_id_and_lower_is_better_is_honoured() -> None:
    compare, _ = table({("x", "y"): 1.0, ("x", "z"): 0.01, ("y", "z"): 0.01})
    placed = rank_systems({"y": 0.5, "x": 0.5, "z": 0.9}, compare, higher_is_better=False)
    assert [(p.system_id, p.rank) for p in placed] == [("x", 1), ("y", 1), ("z", 3)]


def test_single_system_and_bad_alpha() -> None:
    placed = rank_systems({"only": 0.4}, lambda a, b: pytest.fail("no comparison for one system"))
    assert [(p.system_id, p.rank) for p in placed] == [("only", 1)]
    with pytest.raises(ValueError, match="alpha"):
        rank_systems({"a": 1.0}, lambda a, b: 1.0, alpha=1.5)


@pytest.mark.parametrize("module", [benchmark.leaderboard.discovery, benchmark.leaderboard.metadata,
                                    benchmark.leaderboard.ranking, benchmark.leaderboard.safety])
def test_docstring_examples_run(module) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_an_undefined_headline_is_ranked_last_without_a_test() -> None:
    from benchmark.leaderboard.ranking import rank_systems

    calls = []

    def compare(upper, lower):
        calls.append((upper, lower))
        return 0.5

    placed = rank_systems({"a": 0.2, "b": None, "c": 0.9}, compare)
    assert [(p.system_id, p.rank, p.p_vs_above) for p in placed] == [("c", 1, None), ("a", 1, 0.5),
                                                                     ("b", 3, None)]
    assert all("b" not in pair for pair in calls)
