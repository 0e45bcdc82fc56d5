"""Readers of one Label Studio annotation ``result``, one per layer.

:func:`benchmark.studio.convert.export_to_articles` (and through it ``khabar validate``,
``khabar stats`` and ``khabar build``, via :func:`benchmark.studio.export_scan.scan_export`)
reads every annotation with these, in this order:

1. :func:`~.regions.read_regions` — every region of the result: span regions (entity, quote, cue),
   per-quote values (speaker elided, quote stance and its target), article-level choices, and the
   relations, each checked against the text and the label schema;
2. :func:`~.relations.read_relations` — relations oriented by the kinds of region they join;
3. :func:`~.entities.read_entities` — entity mentions and their ``same_entity`` clusters;
4. :func:`~.quotes.read_quotes` — quotes with their cue, speaker and elided flag;
5. :func:`~.stance.read_stances` — quote stances and the article stance.

Every problem goes to one :class:`~.problems.Collector` naming the task, annotation and region.
"""

from benchmark.studio.readers.entities import read_entities
from benchmark.studio.readers.problems import Collector, ConversionProblem
from benchmark.studio.readers.quotes import read_quotes
from benchmark.studio.readers.regions import Regions, read_regions
from benchmark.studio.readers.relations import Links, read_relations
from benchmark.studio.readers.stance import read_stances

__all__ = [
    "Collector",
    "ConversionProblem",
    "Links",
    "Regions",
    "read_entities",
    "read_quotes",
    "read_regions",
    "read_relations",
    "read_stances",
]
