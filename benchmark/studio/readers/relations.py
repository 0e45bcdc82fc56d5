"""Orient the relations of one result by the kinds of region they join, whichever way the arrow
was drawn, and check that every per-quote value sits on a quote region of the same span.

>>> from benchmark.studio.readers.problems import Collector
>>> from benchmark.studio.readers.regions import Regions
>>> regions = Regions(spans={"q": ("quote", 5, 9, "direct"), "m": ("entity", 0, 3, "PER")},
...                   relations=[("m", "q", "said_by", "right")])
>>> links = read_relations(regions, Collector(1, 7, "d", strict=True))
>>> dict(links.linked["q"])
{'said_by': ['m']}
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from benchmark.studio import config as C
from benchmark.studio.readers.problems import Collector
from benchmark.studio.readers.regions import Regions

__all__ = ["RELATION_KINDS", "Links", "read_relations"]

RELATION_KINDS = {
    C.SAID_BY: (("quote", "entity"), ("quote", "source")),
    C.HAS_CUE: (("quote", "cue"),),
    C.STANCE_TARGET: (("quote", "entity"),),
    C.SAME_ENTITY: (("entity", "entity"), ("source", "source")),
}
"""Relation label → the (from kind, to kind) pairs it may join, whichever way the arrow was drawn:
a speaker is an entity or a source mention (guidelines 2.0 §5.7); ``same_entity`` joins two
entity mentions or two source mentions, never one of each."""


@dataclass(slots=True)
class Links:
    """``linked``: quote id → relation label → linked region ids (in drawing order, each once);
    ``same_entity``: pairs of entity region ids."""

    linked: dict[str, dict[str, list[str]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    same_entity: list[tuple[str, str]] = field(default_factory=list)

    def of(self, quote_id: str, label: str) -> list[str]:
        """The regions ``quote_id`` links with ``label`` (empty when none)."""
        links = self.linked.get(quote_id)
        return links.get(label, []) if links else []


def read_relations(regions: Regions, out: Collector) -> Links:
    """Check the per-quote values against their quote, then orient every relation; report and
    leave out what does not fit (a value off its quote, a relation to a missing region or between
    the wrong kinds)."""
    _check_per_quote_values(regions, out)
    spans, links = regions.spans, Links()
    for from_id, to_id, label, _direction in regions.relations:
        rel = f"relation {from_id}->{to_id} ({label})"
        if from_id not in spans or to_id not in spans:
            missing = from_id if from_id not in spans else to_id
            out.add(
                rel,
                f"relation points to region {missing!r}, which is missing or was not converted",
                "delete the relation or redraw it between existing regions",
            )
            continue
        kinds = (spans[from_id][0], spans[to_id][0])
        wants = RELATION_KINDS[label]
        if kinds in wants:
            a, b = from_id, to_id
        elif kinds[::-1] in wants:
            a, b = to_id, from_id
        elif label == C.SAME_ENTITY and set(kinds) == {"entity", "source"}:
            out.add(
                rel,
                f"same_entity joins the source region {from_id if kinds[0] == 'source' else to_id!r} and the "
                f"entity region {to_id if kinds[0] == 'source' else from_id!r}; a cluster holds entity mentions "
                "or source mentions, not both (guidelines §5.7)",
                "delete the relation (or mark both spans with the same control)",
            )
            continue
        else:
            expected = " or ".join(f"{x} → {y}" for x, y in wants)
            out.add(
                rel,
                f"{label} links a {kinds[0]} to a {kinds[1]}, expected {expected}",
                "redraw the relation between the right kinds of region",
            )
            continue
        if label == C.SAME_ENTITY:
            links.same_entity.append((a, b))
        elif b not in links.linked[a][label]:
            links.linked[a][label].append(b)
    return links


def _check_per_quote_values(regions: Regions, out: Collector) -> None:
    """Per-region values (speaker elided, quote stance, its target) must sit on a quote region with
    the same span; the others are reported and removed."""
    for rid, values in list(regions.per_region.items()):
        span = regions.spans.get(rid)
        for name, (_, start, end) in list(values.items()):
            if span is None or span[0] != "quote":
                out.add(
                    rid,
                    f"{name!r} refers to region {rid!r}, which is not a quote region",
                    "select a quote region before choosing speaker_elided / quote_stance",
                )
                del values[name]
            elif (start, end) != (span[1], span[2]):
                out.add(
                    rid,
                    f"{name!r} span [{start}, {end}) differs from its quote [{span[1]}, {span[2]})",
                    "redo the per-region value on the quote region",
                )
                del values[name]
