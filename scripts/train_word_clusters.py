"""Train the NER baseline's word clusters — now ``khabar baseline clusters``; this script forwards to it.

    khabar baseline clusters --corpus ../shared/data/saudinewsnet --out ~/.cache/khabar/word_clusters.npz
    python scripts/train_word_clusters.py --corpus ../shared/data/saudinewsnet   # the same

Kept so that older notes keep working; its former ``--quiet`` is ``--no-progress``. The logic lives in
:mod:`baselines.sklearn.corpus_clusters`.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from benchmark.cli import main as khabar

    args = sys.argv[1:] if argv is None else argv
    return khabar(["baseline", "clusters", *("--no-progress" if a == "--quiet" else a for a in args)])


if __name__ == "__main__":
    sys.exit(main())
