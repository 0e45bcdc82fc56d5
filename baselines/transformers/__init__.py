"""Transformer baselines (fine-tuned encoders) for the three Khabar tasks.

* :mod:`baselines.transformers.ner` — entity spans by token classification;
* :mod:`baselines.transformers.quotes` — quote spans (by kind) and speaker spans by token
  classification, speakers linked to quotes by a nearest-preceding rule;
* :mod:`baselines.transformers.stance` — (target, text) pair classification;
* :mod:`baselines.transformers.tagging` — character spans ↔ sub-token windows (shared by the first two);
* :mod:`baselines.transformers.common` — inputs, saved-model record, training arguments, submissions.

They use only the benchmark's public API (``Article``/io, ``benchmark.text``, ``benchmark.tasks``)
and write submissions that ``khabar evaluate`` scores. The command line is
``khabar baseline-hf {ner,quotes,stance} {train,predict}``; see ``docs/transformer-baselines.md``.
``transformers`` and ``torch`` are imported only when a model is trained or run.
"""
