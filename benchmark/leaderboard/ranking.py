"""Rank systems by a headline score and say which differences the data cannot tell apart.

Systems are ordered by their headline score (ties broken by system id, so the order is
reproducible). Each system is then compared, with a paired bootstrap test supplied by the
caller, to the system ranked just above it and to the top system. Ranks are *shared*:

* a system takes the rank of the system above it when neither that difference nor the difference
  to the first system of that rank group is significant (p ≥ ``alpha``);
* otherwise its rank is its position (competition ranking: 1, 1, 3, …).

Checking against the group's first system as well keeps a chain of small steps (A ≈ B ≈ C
with A clearly better than C) from merging A and C into one rank. These are one-at-a-time tests
at level ``alpha`` with no correction for multiple comparisons: a shared rank means "this test
found no evidence of a difference", not "the systems are equal".

>>> scores = {"a": 0.80, "b": 0.79, "c": 0.60}
>>> p_values = {("a", "b"): 0.40, ("a", "c"): 0.001, ("b", "c"): 0.002}
>>> placed = rank_systems(scores, lambda upper, lower: p_values[(upper, lower)])
>>> [(p.system_id, p.rank, p.tied_with_above) for p in placed]
[('a', 1, False), ('b', 1, True), ('c', 3, False)]

A system whose headline is undefined (``None``: 0/0) is placed after every scored system, at its
own position, with no test (p-values ``None``): it is not comparable, not a 0.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = ["DEFAULT_ALPHA", "Placement", "rank_systems"]

DEFAULT_ALPHA = 0.05
"""Significance level of the paired bootstrap tests (``--alpha``)."""


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one system lands.

    ``position`` is its place in the sorted order (1, 2, 3, …); ``rank`` is the shared rank;
    ``p_vs_above`` / ``p_vs_top`` are the paired bootstrap p-values against the system just above
    and against the top system (``None`` for the top system itself).
    """

    system_id: str
    score: float | None
    position: int
    rank: int
    above: str | None
    p_vs_above: float | None
    p_vs_top: float | None
    tied_with_above: bool
    tied_with_top: bool


def rank_systems(
    scores: Mapping[str, float | None],
    compare: Callable[[str, str], float | None],
    *,
    alpha: float = DEFAULT_ALPHA,
    higher_is_better: bool = True,
) -> list[Placement]:
    """Order ``scores`` and assign shared ranks (see the module docstring).

    ``compare(upper, lower)`` returns the p-value of the paired bootstrap test of the two systems
    (small = the difference is unlikely to be chance); it is called at most three times per system.
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie strictly between 0 and 1, got {alpha}")
    direction = -1 if higher_is_better else 1
    order = sorted(scores, key=lambda system: (scores[system] is None, direction * (scores[system] or 0.0), system))
    cache: dict[tuple[str, str], float | None] = {}

    def p_value(upper: str, lower: str) -> float | None:
        if (upper, lower) not in cache:
            p = compare(upper, lower)
            cache[(upper, lower)] = None if p is None else float(p)
        return cache[(upper, lower)]

    def tied(p: float | None) -> bool:
        return p is not None and p >= alpha

    placements: list[Placement] = []
    group_leader: str | None = None
    for index, system in enumerate(order):
        position = index + 1
        if index == 0:
            placements.append(Placement(system, scores[system], 1, 1, None, None, None, False, False))
            group_leader = system
            continue
        above = order[index - 1]
        if scores[system] is None:  # undefined scores sort last: nothing below to compare
            placements.append(Placement(system, scores[system], position, position, above, None, None, False, False))
            continue
        p_above = p_value(above, system)
        p_top = p_value(order[0], system)
        tied_above = tied(p_above)
        assert group_leader is not None
        if tied_above and tied(p_value(group_leader, system)):
            rank = placements[-1].rank
        else:
            rank = position
            group_leader = system
        placements.append(Placement(system, scores[system], position, rank, above, p_above, p_top,
                                    tied_above, tied(p_top)))
    return placements
