"""Stances of one result: each quote's ``quote_stance`` (target typed in ``quote_stance_target``
or taken from a ``stance_target`` entity) and the article-level ``article_stance`` (target typed
in ``article_stance_target`` or the task's ``data.target``).

>>> from benchmark.studio.readers.problems import Collector
>>> from benchmark.studio.readers.regions import Regions
>>> from benchmark.studio.readers.relations import Links
>>> regions = Regions(article_level={"article_stance": "favor"})
>>> out = Collector(1, 7, "d", strict=True)
>>> read_stances(regions, Links(), [], "نص", {"target": "روسيا"}, {}, out)
[Stance(id='st-article', holder='article', target='روسيا', label='favor', target_mention=None)]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from benchmark.model import Quote, Stance
from benchmark.schema import ARTICLE_HOLDER
from benchmark.studio import config as C
from benchmark.studio.readers.problems import Collector
from benchmark.studio.readers.regions import Regions
from benchmark.studio.readers.relations import Links

if TYPE_CHECKING:  # pragma: no cover
    from benchmark.targets import Inventory

__all__ = ["ARTICLE_STANCE_ID", "read_stances"]

ARTICLE_STANCE_ID = "st-article"


def read_stances(
    regions: Regions,
    links: Links,
    quotes: Sequence[Quote],
    text: str,
    data: Mapping[str, Any],
    meta: dict[str, Any],
    out: Collector,
    inventory: Inventory | None = None,
) -> list[Stance]:
    """Quote stances (``"st-" + quote id``) in the order of ``quotes`` (:func:`~.quotes.read_quotes`),
    then the article stance (``"st-article"``). Without an article stance, ``data.target`` is kept
    in ``meta["target"]``.

    With an ``inventory`` and a task whose data carries ``topic`` (``khabar annotate push --topics
    --targets``), a quote's target and an annotator-typed article target must be entries of that
    topic or general (:meth:`~benchmark.targets.Inventory.target_problem`); the stance of one that
    is not is reported (task, region, the text, the closest entry) and left out. The task's
    suggested claim (``data.target``) is the lead's, not checked."""
    topic = data.get("topic") if inventory is not None and isinstance(data.get("topic"), str) else None
    topic = topic or None  # "" (a task pushed without --topics): nothing to check
    stances = []
    for quote in quotes:
        stance = _quote_stance(quote.id, regions, links, text, out)
        if stance is not None and (topic is None or _in_inventory(stance, quote.id, inventory, topic, out)):
            stances.append(stance)
    article = regions.article_level
    if C.ARTICLE_STANCE in article:
        typed = article.get(C.ARTICLE_STANCE_TARGET)
        target = typed or data.get("target")
        if not isinstance(target, str) or not target.strip():
            out.add(
                None,
                "article_stance is set but there is no target (no article_stance_target, no data.target)",
                "type the target in article_stance_target",
            )
        else:
            stance = Stance(ARTICLE_STANCE_ID, ARTICLE_HOLDER, target, article[C.ARTICLE_STANCE])
            if not typed or topic is None or _in_inventory(stance, C.ARTICLE_STANCE_TARGET, inventory, topic, out):
                stances.append(stance)
    else:
        if C.ARTICLE_STANCE_TARGET in article:
            out.add(
                None,
                "article_stance_target is given but article_stance is not",
                "choose the article stance, or clear the target",
            )
        if isinstance(data.get("target"), str) and data["target"]:
            meta.setdefault("target", data["target"])
    return stances


def _in_inventory(stance: Stance, region: str, inventory: Inventory, topic: str, out: Collector) -> bool:
    """Whether the stance's target is an entry of ``topic`` (or general); reports it when not (the
    region: the quote's id, or ``article_stance_target`` for the article stance)."""
    problem = inventory.target_problem(stance.target, topic)
    if problem is None:
        return True
    control = C.ARTICLE_STANCE_TARGET if region == C.ARTICLE_STANCE_TARGET else C.QUOTE_STANCE_TARGET
    out.add(region, f"{control}: {problem}",
            "copy the entry exactly from the inventory in the task header, or, if no entry fits, leave the stance "
            "empty and write `new-target: <topic> | <phrasing> | <why>` in the task comment (guidelines §6.5)")
    return False


def _quote_stance(qid: str, regions: Regions, links: Links, text: str, out: Collector) -> Stance | None:
    values = regions.per_region.get(qid)
    quote_links = links.linked.get(qid)
    if not values and not quote_links:
        return None  # the usual quote: no stance
    values = values or {}
    targets = quote_links.get(C.STANCE_TARGET, ()) if quote_links else ()
    target_mention = targets[0] if len(targets) == 1 else None
    if C.QUOTE_STANCE not in values:
        if C.QUOTE_STANCE_TARGET in values or target_mention is not None:
            out.add(
                qid,
                "a stance target is given but no quote_stance label",
                "choose favor/against/neutral for the quote, or remove the target",
            )
        return None
    target = values.get(C.QUOTE_STANCE_TARGET, (None,))[0]
    if target is None and target_mention is not None:
        span = regions.spans[target_mention]
        target = text[span[1] : span[2]]
    if not target or not target.strip():
        out.add(
            qid,
            "quote_stance has no target",
            "type the target in quote_stance_target or draw a stance_target relation to an entity mention",
        )
        return None
    return Stance(f"st-{qid}", qid, target, values[C.QUOTE_STANCE][0], target_mention=target_mention)
