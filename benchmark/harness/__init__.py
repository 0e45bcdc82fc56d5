"""The shared evaluation harness: gold loading, submission validation, scoring, bootstrap::

    from benchmark.harness import evaluate_submission, validate_submission, compare_results

* :func:`evaluate_submission` — validate, score, bootstrap CIs → :class:`Results`
  (``results.json`` + ``documents.jsonl`` via ``Results.write``).
* :func:`validate_submission` — every error, numbered, with a stable code (``ERROR_CODES``).
* :func:`paired_bootstrap` / :func:`compare_results` — is system B better than A?
* :class:`GoldSet` — gold rows from Article JSONL, rows JSONL/parquet, or a Hub-layout dataset.

See ``docs/evaluation.md``.
"""

from __future__ import annotations

from benchmark.harness.bootstrap import Interval, PairedResult, bootstrap_ci, paired_bootstrap
from benchmark.harness.evaluate import (
    RESULTS_SCHEMA_VERSION,
    ComparisonError,
    Results,
    compare_results,
    evaluate_submission,
    load_count_table,
    load_gold,
)
from benchmark.harness.gold import GoldError, GoldSet
from benchmark.harness.validation import (
    ERROR_CODES,
    SubmissionError,
    SubmissionInvalid,
    ValidationReport,
    validate_submission,
)

__all__ = [
    "ERROR_CODES",
    "RESULTS_SCHEMA_VERSION",
    "ComparisonError",
    "GoldError",
    "GoldSet",
    "Interval",
    "PairedResult",
    "Results",
    "SubmissionError",
    "SubmissionInvalid",
    "ValidationReport",
    "bootstrap_ci",
    "compare_results",
    "evaluate_submission",
    "load_count_table",
    "load_gold",
    "paired_bootstrap",
    "validate_submission",
]
