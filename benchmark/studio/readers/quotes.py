"""Quotes of one result with their cue (``has_cue``), speaker (``said_by``) and elided-speaker
flag; cue regions that no quote uses are reported (they would vanish otherwise).

>>> from benchmark.studio.readers.problems import Collector
>>> from benchmark.studio.readers.regions import Regions
>>> from benchmark.studio.readers.relations import read_relations
>>> regions = Regions(spans={"q": ("quote", 5, 9, "direct"), "m": ("entity", 0, 3, "PER")},
...                   relations=[("q", "m", "said_by", "right")])
>>> out = Collector(1, 7, "d", strict=True)
>>> [(q.id, q.speaker) for q in read_quotes(regions, read_relations(regions, out), out)]
[('q', 'm')]
"""

from __future__ import annotations

from benchmark.model import Quote, Span
from benchmark.studio import config as C
from benchmark.studio.readers.problems import Collector
from benchmark.studio.readers.regions import Regions
from benchmark.studio.readers.relations import Links

__all__ = ["quote_ids", "read_quotes"]


def quote_ids(regions: Regions) -> list[str]:
    """The quote region ids in text order (start, end, id)."""
    spans = regions.spans
    return sorted((r for r, s in spans.items() if s[0] == "quote"), key=lambda r: (spans[r][1], spans[r][2], r))


def read_quotes(regions: Regions, links: Links, out: Collector) -> list[Quote]:
    """The quote regions as quotes, in text order; a quote with two speakers (cues, stance targets)
    or an elided speaker without ``said_by`` is reported."""
    spans, linked = regions.spans, links.linked
    quotes: list[Quote] = []
    for qid in quote_ids(regions):
        _, start, end, kind = spans[qid]
        quote_links = linked.get(qid) or {}
        for label, what in ((C.SAID_BY, "speakers"), (C.HAS_CUE, "cues"), (C.STANCE_TARGET, "stance targets")):
            found = quote_links.get(label, ())
            if len(found) > 1:
                out.add(qid, f"quote has {len(found)} {what} ({', '.join(found)})", f"keep one {label} relation "
                        "from this quote")
        cues, speakers = quote_links.get(C.HAS_CUE, ()), quote_links.get(C.SAID_BY, ())
        cue = Span(spans[cues[0]][1], spans[cues[0]][2]) if len(cues) == 1 else None
        speaker = speakers[0] if len(speakers) == 1 else None
        elided = C.SPEAKER_ELIDED in regions.per_region.get(qid, {})
        if elided and speaker is None:
            out.add(
                qid,
                "speaker_elided is set but the quote has no said_by relation",
                "link the quote to the earlier mention of its speaker (said_by)",
            )
            elided = False
        quotes.append(Quote(qid, start, end, kind, cue=cue, speaker=speaker, speaker_elided=elided))
    used_cues = {c for quote_links in links.linked.values() for c in quote_links.get(C.HAS_CUE, [])}
    for rid, span in spans.items():
        if span[0] == "cue" and rid not in used_cues:
            out.add(rid, "cue region is not linked to any quote", "draw a has_cue relation from its quote")
    return quotes
