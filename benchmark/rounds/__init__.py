"""The annotation round as library code (issue #13): select → push → passes → pull → agreement →
conflicts → adjudicate → stand-off. ``khabar round`` is the thin command line over it.

- :mod:`benchmark.rounds.selection` — the seeded selection rule (:func:`select_articles`) and
  loading a selection back from the user's corpus with every text hash checked (:func:`load_selection`);
- :mod:`benchmark.rounds.decisions` — the reviewer's decisions (``adjudication.jsonl``: one line per
  conflict, each with a one-line reason), applying them to two passes (:func:`apply_decisions`),
  and the conflict reports without corpus text;
- :mod:`benchmark.rounds.finish` — agreement → conflicts → adjudication → stand-off of the passes
  and the gold, in one call (:func:`finish_round`);
- :mod:`benchmark.rounds.stance_vote` — v0.1's three-annotator stance vote.

Nothing here needs a Label Studio server; the push/pull steps use :mod:`benchmark.studio.client`.
"""
