"""The ``articles`` config: one row per :class:`~benchmark.model.Article`, every layer included.

Its ``datasets.Features`` are declared here from the data model (labels as ``ClassLabel`` when the
corpus schema has a closed label set), with a fast row encoder (labels → class ids, no per-row
``Features.encode_example``) and the way back, so that a released row turns into the very same
article.

``meta`` (free-form, different keys per corpus) is a JSON object written as text in a plain
``Value("string")`` column: ``json.loads(row["meta"])`` reads it back. Not the ``Json`` feature type,
which ``datasets`` < 4.7 cannot load at all (``TypeError: 'module' object is not callable``);
``scripts/check_floor.py`` loads a built release with the lowest ``datasets`` that pyproject declares.

The ``entities`` column holds every mention: entity mentions and the speaker-only ``SOURCE``
mentions (guidelines 2.0 §5.7), whose label comes after the entity labels in the ``ClassLabel``
(``schema.mention_labels``), so the class ids of the entity labels are those of releases before it.

In the public test split the gold layers (``entities``, ``quotes``, ``stances``) and the annotation's
``provenance`` are null: the text is there, the labels are not (they live in the private folder).

>>> from benchmark.model import Article, Mention
>>> art = Article(doc_id="d1", text="زار بوتين روسيا", entities=(Mention("m1", 4, 9, "PER"),))
>>> layout = ArticleRows()
>>> row = layout.row(art)
>>> row["entities"][0]["label"]
0
>>> row["meta"]
'{}'
>>> layout.article(row) == art  # a loaded row is the encoded row
True
>>> layout.input_row(row)["entities"] is None
True
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any

from benchmark.model import Article, Mention, Provenance, Quote, Span, Stance
from benchmark.schema import KHABAR, LabelSchema
from benchmark.tasks.arrow import list_of_structs

__all__ = ["ARTICLE_GOLD_COLUMNS", "ArticleRows"]

ARTICLE_GOLD_COLUMNS: tuple[str, ...] = ("entities", "quotes", "stances", "provenance")
"""Columns of the ``articles`` config that carry gold annotations or say how they were made (null in the
public test split: an annotation's lead time or ids say something of the hidden annotation)."""


def _closed(labels: tuple[str, ...] | None) -> tuple[str, ...] | None:
    return tuple(labels) if labels else None


def _meta(doc_id: Any, value: Any) -> dict[str, Any]:
    """The ``meta`` dict of a loaded row: JSON text (this layout), or an already parsed mapping (releases
    built before ``meta`` became text, loaded with a ``datasets`` that knows their ``Json`` feature)."""
    if value is None:
        return {}
    if isinstance(value, Mapping):
        return dict(value)
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{doc_id}: column 'meta' is not a JSON object ({error}); the articles config stores "
                         "meta as JSON text (fix: rebuild the release with khabar build)") from None
    if not isinstance(parsed, dict):
        raise ValueError(f"{doc_id}: column 'meta' holds JSON {type(parsed).__name__}, not an object "
                         "(fix: rebuild the release with khabar build)")
    return parsed


class ArticleRows:
    """Features, encoder and decoder of the ``articles`` config for one label schema."""

    gold_columns = ARTICLE_GOLD_COLUMNS

    def __init__(self, schema: LabelSchema = KHABAR):
        self.schema = schema
        # the entity labels, then the source labels (SOURCE last: v0.1's class ids unchanged)
        self.entity_labels = _closed(schema.mention_labels)
        self.quote_kinds = _closed(schema.quote_kinds)
        self.stance_labels = _closed(schema.stance_labels)
        self._entity_index = {n: i for i, n in enumerate(self.entity_labels or ())}
        self._kind_index = {n: i for i, n in enumerate(self.quote_kinds or ())}
        self._stance_index = {n: i for i, n in enumerate(self.stance_labels or ())}

    def features(self):
        """The ``datasets.Features`` of an ``articles`` row."""
        from datasets import ClassLabel, Features, List, Value

        def label(names: tuple[str, ...] | None):
            return ClassLabel(names=list(names)) if names else Value("string")

        string, offset = Value("string"), Value("int32")
        return Features(
            {
                "doc_id": string,
                "text": string,
                "title": string,
                "source": string,
                "url": string,
                "published": string,
                "variety": string,
                "meta": string,  # a JSON object as text (see the module docs)
                "entities": List(
                    {
                        "id": string,
                        "start": offset,
                        "end": offset,
                        "label": label(self.entity_labels),
                        "cluster": string,
                    }
                ),
                "quotes": List(
                    {
                        "id": string,
                        "start": offset,
                        "end": offset,
                        "kind": label(self.quote_kinds),
                        "cue": {"start": offset, "end": offset},
                        "speaker": string,
                        "speaker_elided": Value("bool"),
                    }
                ),
                "stances": List(
                    {
                        "id": string,
                        "holder": string,
                        "target": string,
                        "label": label(self.stance_labels),
                        "target_mention": string,
                    }
                ),
                "provenance": {
                    "annotator": string,
                    "annotation_ids": List(string),
                    "guidelines_version": string,
                    "lead_time": Value("float64"),
                    "source": string,
                },
            }
        )

    # -- article → encoded row (arrow-ready: class ids, meta as JSON text) ----------------

    def row(self, article: Article) -> dict[str, Any]:
        """The encoded row of one article (what goes into parquet)."""
        ent, kind, stance = self._entity_index, self._kind_index, self._stance_index
        prov = article.provenance
        return {
            "doc_id": article.doc_id,
            "text": article.text,
            "title": article.title,
            "source": article.source,
            "url": article.url,
            "published": article.published,
            "variety": article.variety,
            "meta": json.dumps(dict(article.meta), ensure_ascii=False, sort_keys=True),
            "entities": [
                {
                    "id": m.id,
                    "start": m.start,
                    "end": m.end,
                    "label": ent[m.label] if ent else m.label,
                    "cluster": m.cluster,
                }
                for m in article.entities
            ],
            "quotes": [
                {
                    "id": q.id,
                    "start": q.start,
                    "end": q.end,
                    "kind": kind[q.kind] if kind else q.kind,
                    "cue": None if q.cue is None else {"start": q.cue.start, "end": q.cue.end},
                    "speaker": q.speaker,
                    "speaker_elided": q.speaker_elided,
                }
                for q in article.quotes
            ],
            "stances": [
                {
                    "id": s.id,
                    "holder": s.holder,
                    "target": s.target,
                    "label": stance[s.label] if stance else s.label,
                    "target_mention": s.target_mention,
                }
                for s in article.stances
            ],
            "provenance": {
                "annotator": prov.annotator,
                "annotation_ids": list(prov.annotation_ids),
                "guidelines_version": prov.guidelines_version,
                "lead_time": None if prov.lead_time is None else float(prov.lead_time),
                "source": prov.source,
            },
        }

    def table(self, articles: Sequence[Article]) -> Any:
        """The encoded rows of many articles as one ``pyarrow.Table``, built column by column
        (what ``khabar build`` writes): equal to :meth:`row` of each article made into Arrow with
        :meth:`features` (tested), without a dict per row and item."""
        import pyarrow as pa

        schema = self.arrow_schema
        ent, kind, stance = self._entity_index, self._kind_index, self._stance_index

        def column(name: str, values: list[Any]) -> Any:
            return pa.array(values, schema.field(name).type)

        def nested(name: str, items: list[list[tuple[Any, ...]]]) -> Any:
            return list_of_structs(items, schema.field(name).type)

        provenance_type = schema.field("provenance").type
        provenances = [a.provenance for a in articles]
        provenance = pa.StructArray.from_arrays([
            pa.array([p.annotator for p in provenances], pa.string()),
            pa.array([list(p.annotation_ids) for p in provenances], provenance_type.field("annotation_ids").type),
            pa.array([p.guidelines_version for p in provenances], pa.string()),
            pa.array([None if p.lead_time is None else float(p.lead_time) for p in provenances], pa.float64()),
            pa.array([p.source for p in provenances], pa.string()),
        ], fields=list(provenance_type))
        return pa.Table.from_arrays([
            column("doc_id", [a.doc_id for a in articles]),
            column("text", [a.text for a in articles]),
            column("title", [a.title for a in articles]),
            column("source", [a.source for a in articles]),
            column("url", [a.url for a in articles]),
            column("published", [a.published for a in articles]),
            column("variety", [a.variety for a in articles]),
            column("meta", [json.dumps(dict(a.meta), ensure_ascii=False, sort_keys=True) if a.meta else "{}"
                            for a in articles]),
            nested("entities", [[(m.id, m.start, m.end, ent[m.label] if ent else m.label, m.cluster)
                                 for m in a.entities] for a in articles]),
            nested("quotes", [[(q.id, q.start, q.end, kind[q.kind] if kind else q.kind,
                                None if q.cue is None else {"start": q.cue.start, "end": q.cue.end},
                                q.speaker, q.speaker_elided) for q in a.quotes] for a in articles]),
            nested("stances", [[(s.id, s.holder, s.target, stance[s.label] if stance else s.label,
                                 s.target_mention) for s in a.stances] for a in articles]),
            provenance,
        ], schema=schema)

    @cached_property
    def arrow_schema(self) -> Any:
        """The ``pyarrow.Schema`` of :meth:`features` (made once)."""
        return self.features().arrow_schema

    def input_row(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """The same row for the public test split: gold layers set to null."""
        return {**row, **dict.fromkeys(self.gold_columns)}

    # -- loaded row → article ---------------------------------------------------------------

    def article(self, row: Mapping[str, Any]) -> Article:
        """The :class:`Article` of a loaded gold row (``datasets`` output: class ids, ``meta`` as JSON text)."""

        def name(names: Sequence[str] | None, value: Any) -> str:
            return names[value] if names and isinstance(value, int) else value

        if row.get("entities") is None:
            raise ValueError(
                f"{row.get('doc_id')}: this row carries no gold (public test split); read the "
                f"private folder for the gold articles"
            )
        prov = row.get("provenance") or {}
        return Article(
            doc_id=row["doc_id"],
            text=row["text"],
            title=row["title"],
            source=row["source"],
            url=row["url"],
            published=row["published"],
            variety=row["variety"],
            meta=_meta(row.get("doc_id"), row.get("meta")),
            entities=tuple(
                Mention(m["id"], m["start"], m["end"], name(self.entity_labels, m["label"]), m["cluster"])
                for m in row["entities"]
            ),
            quotes=tuple(
                Quote(
                    q["id"],
                    q["start"],
                    q["end"],
                    name(self.quote_kinds, q["kind"]),
                    None if q["cue"] is None else Span(q["cue"]["start"], q["cue"]["end"]),
                    q["speaker"],
                    bool(q["speaker_elided"]),
                )
                for q in row["quotes"]
            ),
            stances=tuple(
                Stance(
                    s["id"],
                    s["holder"],
                    s["target"],
                    name(self.stance_labels, s["label"]),
                    s["target_mention"],
                )
                for s in row["stances"]
            ),
            provenance=Provenance(
                annotator=prov.get("annotator"),
                annotation_ids=tuple(prov.get("annotation_ids") or ()),
                guidelines_version=prov.get("guidelines_version"),
                lead_time=prov.get("lead_time"),
                source=prov.get("source"),
            ),
        )
