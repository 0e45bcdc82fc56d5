"""Khabar's metrics as plain functions (sklearn-like, on span lists per document).

* :mod:`benchmark.metrics.ner` — strict span P/R/F1 (= seqeval strict IOB2) and the SemEval-2013
  schemes (= nervaluate 1.2.1): :func:`~benchmark.metrics.ner.ner_scores`, ``ner_f1``.
* :mod:`benchmark.metrics.quotes` — end-to-end quote attribution F1 and friends: ``quote_scores``.
* :mod:`benchmark.metrics.stance` — macro-F1, F_avg, per label, confusion (= scikit-learn):
  ``stance_scores``.

Each also exposes ``*_doc_counts`` (per-document raw counts) and ``*_scores_from_counts``
(figures from summed counts, vectorised over bootstrap resamples); see
:mod:`benchmark.metrics.base`. The same metrics are packaged as local ``evaluate`` modules in
``benchmark/metrics/modules/`` (shipped with the package); load one from an install with::

    import evaluate
    from benchmark.metrics import module_path
    metric = evaluate.load(module_path("ner"))     # or "quotes", "stance"

Every module returns the harness' flat metric names plus ``headline`` and ``counts``
(:mod:`benchmark.metrics.module_support`).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["MODULES", "module_path"]

MODULES: dict[str, str] = {"ner": "khabar_ner", "quotes": "khabar_quotes", "stance": "khabar_stance"}
"""The ``evaluate`` module (folder) name of each task."""


def module_path(task: str) -> str:
    """The folder of the ``evaluate`` module of ``task`` inside the installed package (for ``evaluate.load``).

    >>> Path(module_path("ner")).name
    'khabar_ner'
    """
    if task not in MODULES:
        raise ValueError(f"no evaluate module for task {task!r}; one of {sorted(MODULES)}")
    return str(Path(__file__).resolve().parent / "modules" / MODULES[task])
