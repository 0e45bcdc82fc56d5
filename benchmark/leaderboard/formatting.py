"""Small text helpers shared by the renderers: numbers, p-values and the "vs above / vs top" marks.

>>> fmt_score(0.81234), fmt_interval(Interval(0.8, 0.75, 0.85))
('81.2', '80.0 [75.0, 85.0]')
>>> fmt_p(0.0004), fmt_p(0.31)
('p<0.001', 'p=0.31')

An undefined figure (0/0, ``None``) is shown as "—", never as 0:

>>> fmt_score(None), fmt_interval(Interval(None, None, None))
('—', '— [—, —]')
"""

from __future__ import annotations

from benchmark.leaderboard.board import BoardRow, Interval

__all__ = ["UNDEFINED", "comparison_mark", "fmt_interval", "fmt_p", "fmt_score"]


UNDEFINED = "—"
"""How an undefined figure (0/0) is written."""


def fmt_score(value: float | None) -> str:
    """A score in [0, 1] as a percentage with one decimal; "—" when undefined."""
    return UNDEFINED if value is None else f"{100 * value:.1f}"


def fmt_interval(interval: Interval) -> str:
    """``value [low, high]`` in percent."""
    return f"{fmt_score(interval.value)} [{fmt_score(interval.low)}, {fmt_score(interval.high)}]"


def fmt_p(p_value: float) -> str:
    """A p-value as people read it."""
    return "p<0.001" if p_value < 0.001 else f"p={p_value:.3f}" if p_value < 0.01 else f"p={p_value:.2f}"


def comparison_mark(row: BoardRow, against: str) -> str:
    """``"≈ p=0.41"`` (not significant) or ``"≠ p=0.003"`` (significant) against the system
    ``above`` or the ``top``; empty for the top system."""
    placement = row.placement
    p_value = placement.p_vs_above if against == "above" else placement.p_vs_top
    if p_value is None:
        return ""
    tied = placement.tied_with_above if against == "above" else placement.tied_with_top
    return f"{'≈' if tied else '≠'} {fmt_p(p_value)}"
