"""Khabar's metrics as plain functions (sklearn-like, on span lists per document).

* :mod:`benchmark.metrics.ner` — strict span P/R/F1 (= seqeval strict IOB2) and the SemEval-2013
  schemes (= nervaluate 1.2.1): :func:`~benchmark.metrics.ner.ner_scores`, ``ner_f1``.
* :mod:`benchmark.metrics.quotes` — end-to-end quote attribution F1 and friends: ``quote_scores``.
* :mod:`benchmark.metrics.stance` — macro-F1, F_avg, per label, confusion (= scikit-learn):
  ``stance_scores``.

Each also exposes ``*_doc_counts`` (per-document raw counts) and ``*_scores_from_counts``
(figures from summed counts, vectorised over bootstrap resamples); see
:mod:`benchmark.metrics.base`. The same metrics are packaged as local ``evaluate`` modules in
``benchmark/metrics/modules/``.
"""
