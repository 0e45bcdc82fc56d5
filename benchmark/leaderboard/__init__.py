"""The Khabar leaderboard: score every submission in a folder, rank, and publish (``docs/leaderboard.md``).

::

    from benchmark.leaderboard import ScoringOptions, build_leaderboard, write_leaderboard
    board = build_leaderboard("submissions/", "khabar-private/", "board/", tasks=["ner"])
    write_leaderboard(board, "board/")          # index.html, leaderboard.md/.csv/.json, plots/

Modules, in the order a run uses them: :mod:`~benchmark.leaderboard.safety` (paths and bounded
reads), :mod:`~benchmark.leaderboard.metadata`, :mod:`~benchmark.leaderboard.discovery`,
:mod:`~benchmark.leaderboard.scoring` (the loop over the shared harness),
:mod:`~benchmark.leaderboard.ranking`, :mod:`~benchmark.leaderboard.board` (the data every
renderer reads), :mod:`~benchmark.leaderboard.plots`, :mod:`~benchmark.leaderboard.html_page`,
:mod:`~benchmark.leaderboard.markdown_page`, :mod:`~benchmark.leaderboard.csv_table`,
:mod:`~benchmark.leaderboard.output`, :mod:`~benchmark.leaderboard.browser` (headless Chromium)
and :mod:`~benchmark.leaderboard.perf`.
"""

from __future__ import annotations

from benchmark.leaderboard.output import write_leaderboard
from benchmark.leaderboard.scoring import ScoringOptions, build_leaderboard

__all__ = ["ScoringOptions", "build_leaderboard", "write_leaderboard"]
