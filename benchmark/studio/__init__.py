"""Label Studio workflow for Khabar annotation (DESIGN §6).

- :mod:`benchmark.studio.config` — the labeling config XML, generated from :mod:`benchmark.schema`.
- :mod:`benchmark.studio.convert` — Label Studio export ⇄ :class:`~benchmark.model.Article`.
- :mod:`benchmark.studio.server` / :mod:`benchmark.studio.client` — run a local server, set up the
  project, push articles (idempotent), pull exports.
- :mod:`benchmark.studio.agreement` — inter-annotator agreement per layer.
- :mod:`benchmark.studio.adjudicate` — several annotators → one gold article, with a conflict report.

Nothing here imports ``label_studio_sdk`` at module import time except :mod:`client`.
"""
