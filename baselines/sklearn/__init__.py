"""scikit-learn baselines for the three Khabar tasks (NER, quotes, stance).

Each baseline reads :class:`~benchmark.model.Article` records, uses only ``benchmark``'s public API
(text layer, task registry, harness), and writes a submission that ``khabar evaluate`` scores:

* :mod:`baselines.sklearn.ner` — a CRF over token features and unsupervised word clusters;
* :mod:`baselines.sklearn.quotes` — cue/quotation-mark candidates, a logistic-regression span
  scorer and a speaker ranker;
* :mod:`baselines.sklearn.stance` — TF-IDF of (target, text) pairs into a linear model.

The command line is ``khabar baseline {ner,quotes,stance} {train,predict}``.
"""
