"""Mentions of one result — entity regions and source regions (``SOURCE``, a speaker-only mention,
guidelines 2.0 §5.7) — clustered by their ``same_entity`` relations (each cluster is named after
its earliest mention, by start, end, id; the relations reader never joins a source to an entity).

>>> from benchmark.studio.readers.regions import Regions
>>> from benchmark.studio.readers.relations import Links
>>> regions = Regions(spans={"b": ("entity", 9, 12, "PER"), "a": ("entity", 0, 5, "PER")})
>>> [(m.id, m.cluster) for m in read_entities(regions, Links(same_entity=[("b", "a")]))]
[('a', 'a'), ('b', 'a')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from benchmark.model import Mention
from benchmark.studio.readers.regions import Regions
from benchmark.studio.readers.relations import Links

__all__ = ["MENTION_KINDS", "read_entities"]

MENTION_KINDS = ("entity", "source")
"""The region kinds that become :class:`~benchmark.model.Mention` objects."""


def read_entities(regions: Regions, links: Links) -> list[Mention]:
    """The entity and source regions as mentions, in text order, with their clusters."""
    spans = regions.spans

    def order(rid: str) -> tuple[int, int, str]:
        return spans[rid][1], spans[rid][2], rid

    ids = sorted((rid for rid, s in spans.items() if s[0] in MENTION_KINDS), key=order)
    cluster_of: dict[str, str] = {rid: rid for rid in ids}  # each its own, unless same_entity joins them
    if links.same_entity:
        for members in _components(ids, links.same_entity).values():
            head = min(members, key=order)
            for member in members:
                cluster_of[member] = head
    return [Mention(rid, span[1], span[2], span[3], cluster=cluster_of[rid]) for rid in ids if (span := spans[rid])]


def _components(ids: Sequence[str], edges: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Connected components of ``ids`` under ``edges`` (union-find), keyed by a root id."""
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    groups: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        groups[find(i)].append(i)
    return groups
