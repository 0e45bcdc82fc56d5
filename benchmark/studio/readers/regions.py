"""Read every region of one annotation ``result``: spans, per-quote values, article-level choices
and relations, each checked on its own (offsets, text, labels); how they fit together is the
other readers' work.

>>> from benchmark.schema import KHABAR
>>> from benchmark.studio.readers.problems import Collector
>>> out = Collector(1, 7, "d", strict=True)
>>> region = {"id": "m1", "from_name": "entity", "to_name": "text", "type": "labels",
...           "value": {"start": 0, "end": 5, "text": "بوتين", "labels": ["PER"]}}
>>> read_regions([region], "بوتين قال", KHABAR, out).spans, out.problems
({'m1': ('entity', 0, 5, 'PER')}, [])
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from benchmark.model import is_offset
from benchmark.schema import LabelSchema
from benchmark.studio import config as C
from benchmark.studio.readers.problems import Collector, is_object

__all__ = ["SPAN_CONTROLS", "Regions", "read_regions", "single"]

SPAN_CONTROLS = {C.ENTITY: "entity", C.QUOTE: "quote", C.CUE: "cue", C.SOURCE: "source"}
"""Span label control → region kind (``source``: a speaker-only mention, e.g. ``SOURCE``)."""
_PER_REGION = (C.SPEAKER_ELIDED, C.QUOTE_STANCE, C.QUOTE_STANCE_TARGET)


@dataclass(slots=True)
class Regions:
    """The regions of one result, each read and checked on its own.

    ``spans``: region id → (kind, start, end, label); ``per_region``: region id → control →
    (value, start, end); ``relations``: (from id, to id, label, direction);
    ``article_level``: control → value.
    """

    spans: dict[str, tuple[str, int, int, str]] = field(default_factory=dict)
    per_region: dict[str, dict[str, Any]] = field(default_factory=lambda: defaultdict(dict))
    relations: list[tuple[Any, Any, str, str]] = field(default_factory=list)
    article_level: dict[str, Any] = field(default_factory=dict)


def single(
    value: Any, key: str, region_id: Any, out: Collector, allowed: Sequence[str] | None, what: str
) -> str | None:
    """The one string in ``value[key]`` (a list), or None after reporting why not."""
    items = value.get(key)
    if type(items) is list and len(items) == 1 and type(items[0]) is str and (allowed is None or items[0] in allowed):
        return items[0]  # the usual case, decided without the checks below
    if not isinstance(items, list) or not items or not all(isinstance(x, str) for x in items):
        out.add(
            region_id,
            f"value.{key} must be a non-empty list of strings, got {items!r}",
            f"give the region exactly one {what}",
        )
        return None
    if len(items) > 1:
        out.add(region_id, f"region has {len(items)} {what}s {items}", f"keep exactly one {what}")
        return None
    if allowed is not None and items[0] not in allowed:
        out.add(
            region_id,
            f"{what} {items[0]!r} is not in the label set {list(allowed)}",
            "pick one of the listed labels (or fix the labeling config and the schema together)",
        )
        return None
    return items[0]


def read_regions(result: Any, text: str, schema: LabelSchema, out: Collector) -> Regions:
    """Read every region of ``result`` (the annotation's list); report each bad one into ``out``
    and leave it out of the returned :class:`Regions`."""
    regions = Regions()
    if not isinstance(result, list):
        out.add(None, f"result must be a list of regions, got {type(result).__name__}", "export again as JSON")
        return regions
    label_sets = {C.ENTITY: schema.entity_labels, C.QUOTE: schema.quote_kinds, C.CUE: (C.CUE_LABEL,),
                  C.SOURCE: schema.source_labels}
    spans, relations = regions.spans, regions.relations  # (the loop runs for every region: no calls it can spare)
    for index, region in enumerate(result):
        if not is_object(region):
            out.add(f"result[{index}]", f"region is a {type(region).__name__}, not an object", "export again as JSON")
            continue
        rtype = region.get("type")
        if rtype == "relation":
            labels = region.get("labels") or []
            if not isinstance(labels, list) or len(labels) != 1 or labels[0] not in C.RELATION_LABELS:
                out.add(
                    f"relation {region.get('from_id')}->{region.get('to_id')}",
                    f"relation labels {labels!r} must be exactly one of {list(C.RELATION_LABELS)}",
                    "give each relation one label (said_by, has_cue, same_entity or stance_target)",
                )
            elif type(region.get("from_id")) is not str or type(region.get("to_id")) is not str:
                out.add(
                    f"relation {region.get('from_id')!r}->{region.get('to_id')!r}",
                    "relation from_id/to_id must be region id strings",
                    "delete the relation and draw it again between two regions",
                )
            else:
                relations.append((region["from_id"], region["to_id"], labels[0], region.get("direction", "right")))
            continue
        rid = region["id"] if "id" in region else f"result[{index}]"  # noqa: SIM401 (no f-string per region)
        name = region.get("from_name")
        value = region.get("value")
        if type(name) is not str:
            out.add(
                rid,
                f"from_name must be the name of a control, got {name!r}",
                f"use the generated labeling config (controls: {', '.join(C.CONTROL_NAMES)})",
            )
            continue
        if region.get("to_name", C.TEXT) != C.TEXT:
            out.add(rid, f"to_name {region.get('to_name')!r} is not {C.TEXT!r}", "use the generated labeling config")
            continue
        if not is_object(value):
            out.add(rid, "region has no value object", "delete the region and draw it again")
            continue
        if name in (C.ARTICLE_STANCE, C.ARTICLE_STANCE_TARGET) or (
            name in _PER_REGION and "start" not in value and "end" not in value
        ):
            _read_article_level(name, rid, value, regions, schema, out)
            continue
        if not isinstance(rid, str) or not rid:
            out.add(f"result[{index}]", "region has no id", "export again (Label Studio gives every region an id)")
            continue
        start, end = value.get("start"), value.get("end")
        if not (is_offset(start) and is_offset(end)):
            out.add(
                rid, f"value.start/end must be integers, got {start!r}/{end!r}", "delete the region and select the "
                "text again"
            )
            continue
        if not 0 <= start < end <= len(text):
            out.add(
                rid,
                f"span [{start}, {end}) is empty or outside the text (length {len(text)})",
                "delete the region and select the text again",
            )
            continue
        if name in SPAN_CONTROLS:
            if rtype not in (None, "labels"):
                out.add(rid, f"region type {rtype!r} for {name!r}, expected 'labels'", "use the generated config")
                continue
            given = value.get("text")
            if given is not None and given != text[start:end]:
                out.add(
                    rid,
                    f"value.text {given!r} is not text[{start}:{end}] {text[start:end]!r}",
                    "the task text changed after annotation, or the offsets are "
                    "wrong: re-import the original text and redraw the region",
                )
                continue
            if name in (C.ENTITY, C.SOURCE) and _mention_under_wrong_control(name, rid, value, schema, out):
                continue
            label = single(value, "labels", rid, out, label_sets[name], f"{name} label")
            if label is None:
                continue
            if rid in spans:
                out.add(
                    rid,
                    f"region id is used by two span regions ({spans[rid][0]} and {name})",
                    "give each span region its own label control (one of entity, quote, cue, source)",
                )
                continue
            spans[rid] = (SPAN_CONTROLS[name], start, end, label)
        elif name in _PER_REGION:
            _read_per_quote(name, rid, value, start, end, regions, schema, out)
        else:
            out.add(
                rid,
                f"unknown from_name {name!r}",
                f"use the generated labeling config (controls: {', '.join(C.CONTROL_NAMES)})",
            )
    return regions


def _mention_under_wrong_control(name: str, rid: str, value: Any, schema: LabelSchema, out: Collector) -> bool:
    """Report a source label under ``entity`` or an entity label under ``source`` (True when reported)."""
    labels = value.get("labels")
    if not (isinstance(labels, list) and len(labels) == 1 and isinstance(labels[0], str)):
        return False
    label = labels[0]
    if name == C.ENTITY and label in schema.source_labels:
        out.add(rid, f"{label!r} is a source label, marked with the entity control; a source is not an entity "
                "(guidelines §5.7)", f"delete the region and mark the span with the {C.SOURCE!r} control ({label})")
        return True
    if name == C.SOURCE and label in (schema.entity_labels or ()):
        out.add(rid, f"{label!r} is an entity label, marked with the source control",
                f"delete the region and mark the span with the {C.ENTITY!r} control ({label}), or label it as a "
                f"source ({', '.join(schema.source_labels) or 'the schema has no source labels'})")
        return True
    return False


def _read_article_level(name: Any, rid: Any, value: Any, regions: Regions, schema: LabelSchema, out: Collector) -> None:
    if name in _PER_REGION:
        out.add(
            rid,
            f"{name!r} is a per-quote control but the region has no span",
            "select the quote region, then choose/type the value",
        )
        return
    key = "choices" if name == C.ARTICLE_STANCE else "text"
    allowed = schema.stance_labels if name == C.ARTICLE_STANCE else None
    what = "stance label" if name == C.ARTICLE_STANCE else "target text"
    if name in regions.article_level:
        out.add(rid, f"{name!r} is given twice", "keep one article-level value")
        return
    got = single(value, key, rid, out, allowed, what)
    if got is not None:
        regions.article_level[name] = got


def _read_per_quote(
    name: str, rid: str, value: Any, start: int, end: int, regions: Regions, schema: LabelSchema, out: Collector
) -> None:
    key = "text" if name == C.QUOTE_STANCE_TARGET else "choices"
    allowed = {
        C.SPEAKER_ELIDED: (C.SPEAKER_ELIDED_CHOICE,),
        C.QUOTE_STANCE: schema.stance_labels,
        C.QUOTE_STANCE_TARGET: None,
    }[name]
    got = single(value, key, rid, out, allowed, "target text" if key == "text" else f"{name} choice")
    if got is None:
        return
    if name in regions.per_region[rid]:
        out.add(rid, f"{name!r} is given twice for this region", "keep one value")
        return
    regions.per_region[rid][name] = (got, start, end)
