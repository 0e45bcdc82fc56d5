"""Per-layer, per-label counts of a corpus (what ``khabar stats`` prints).

>>> from benchmark.model import Article, Mention
>>> stats = corpus_stats([Article(doc_id="d", text="بوتين", entities=(Mention("m", 0, 5, "PER"),))])
>>> stats.entities["PER"], stats.articles
(1, 1)

Mentions with a source label (Khabar's ``SOURCE``, guidelines 2.0 §5.7) are counted apart from
entity mentions (``sources``), and quotes by what their speaker is: ``entity/named``,
``entity/elided``, ``source/named``, ``source/elided``, ``none``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from benchmark.model import Article, speaker_type
from benchmark.schema import ARTICLE_HOLDER, KHABAR, LabelSchema

__all__ = ["SPEAKER_KEYS", "CorpusStats", "corpus_stats", "format_table", "speaker_key"]


@dataclass
class CorpusStats:
    """Counts per layer and label; ``to_dict`` is JSON-ready, ``to_table`` is for the terminal."""

    articles: int = 0
    characters: int = 0
    entities: Counter = field(default_factory=Counter)
    entity_clusters: int = 0
    sources: int = 0
    source_clusters: int = 0
    quotes: Counter = field(default_factory=Counter)
    quotes_with_speaker: int = 0
    quotes_elided_speaker: int = 0
    quotes_with_cue: int = 0
    quotes_by_speaker: Counter = field(default_factory=Counter)
    stances: Counter = field(default_factory=Counter)
    stance_holders: Counter = field(default_factory=Counter)
    annotators: Counter = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "characters": self.characters,
            "entities": {"total": sum(self.entities.values()), "clusters": self.entity_clusters,
                         "by_label": dict(sorted(self.entities.items()))},
            "sources": {"total": self.sources, "clusters": self.source_clusters},
            "quotes": {"total": sum(self.quotes.values()), "with_speaker": self.quotes_with_speaker,
                       "elided_speaker": self.quotes_elided_speaker, "with_cue": self.quotes_with_cue,
                       "by_kind": dict(sorted(self.quotes.items())),
                       "by_speaker": {key: self.quotes_by_speaker[key] for key in SPEAKER_KEYS}},
            "stances": {"total": sum(self.stances.values()), "by_label": dict(sorted(self.stances.items())),
                        "by_holder": dict(sorted(self.stance_holders.items()))},
            "annotators": dict(sorted(self.annotators.items())),
        }

    def to_table(self) -> str:
        rows: list[tuple[str, str, str]] = [("articles", "", str(self.articles)),
                                            ("characters", "", str(self.characters))]
        rows.append(("entities", "total", str(sum(self.entities.values()))))
        rows += [("entities", label, str(n)) for label, n in sorted(self.entities.items())]
        rows.append(("entities", "clusters (distinct entities)", str(self.entity_clusters)))
        if self.sources:
            rows += [("sources", "SOURCE mentions", str(self.sources)),
                     ("sources", "clusters (distinct sources)", str(self.source_clusters))]
        rows.append(("quotes", "total", str(sum(self.quotes.values()))))
        rows += [("quotes", f"kind={kind}", str(n)) for kind, n in sorted(self.quotes.items())]
        rows += [("quotes", "with speaker", str(self.quotes_with_speaker)),
                 ("quotes", "elided speaker", str(self.quotes_elided_speaker)),
                 ("quotes", "with cue", str(self.quotes_with_cue))]
        rows += [("quotes", f"speaker={key}", str(self.quotes_by_speaker[key])) for key in SPEAKER_KEYS]
        rows.append(("stances", "total", str(sum(self.stances.values()))))
        rows += [("stances", label, str(n)) for label, n in sorted(self.stances.items())]
        rows += [("stances", f"holder={holder}", str(n)) for holder, n in sorted(self.stance_holders.items())]
        rows += [("annotators", name, str(n)) for name, n in sorted(self.annotators.items())]
        return format_table(("layer", "label", "count"), rows, align="llr")


def corpus_stats(articles: Iterable[Article], schema: LabelSchema = KHABAR) -> CorpusStats:
    """Count every layer and label over a stream of articles (one pass, constant memory); the
    mentions with one of ``schema``'s source labels are counted apart from entity mentions."""
    stats = CorpusStats()
    sources = frozenset(schema.source_labels)
    for article in articles:
        stats.articles += 1
        stats.characters += len(article.text)
        entities = [m for m in article.entities if m.label not in sources]
        stats.entities.update(m.label for m in entities)
        stats.entity_clusters += len({m.cluster for m in entities})
        stats.sources += len(article.entities) - len(entities)
        stats.source_clusters += len({m.cluster for m in article.entities if m.label in sources})
        stats.quotes.update(q.kind for q in article.quotes)
        stats.quotes_with_speaker += sum(q.speaker is not None for q in article.quotes)
        stats.quotes_elided_speaker += sum(q.speaker_elided for q in article.quotes)
        stats.quotes_with_cue += sum(q.cue is not None for q in article.quotes)
        stats.quotes_by_speaker.update(speaker_key(article, q, sources) for q in article.quotes)
        stats.stances.update(s.label for s in article.stances)
        stats.stance_holders.update("article" if s.holder == ARTICLE_HOLDER else "quote" for s in article.stances)
        stats.annotators[article.provenance.annotator or "(none)"] += 1
    return stats


SPEAKER_KEYS: tuple[str, ...] = ("entity/named", "entity/elided", "source/named", "source/elided", "none")
"""Quotes by speaker: what the speaker is (:func:`benchmark.model.speaker_type`), and whether it is
named at the quote or elided (guidelines §5.6)."""


def speaker_key(article: Article, quote: Any, source_labels: Collection[str] = KHABAR.source_labels) -> str:
    """The :data:`SPEAKER_KEYS` entry of ``quote``."""
    kind = speaker_type(article, quote, source_labels)
    return kind if kind == "none" else f"{kind}/{'elided' if quote.speaker_elided else 'named'}"


def format_table(headers: tuple[str, ...], rows: Iterable[tuple[str, ...]], align: str | None = None) -> str:
    """A plain-text table; ``align`` is one of ``l``/``r`` per column (default: left)."""
    rows = [tuple(str(c) for c in row) for row in rows]
    align = align or "l" * len(headers)
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(c.rjust(w) if a == "r" else c.ljust(w) for c, w, a in zip(cells, widths, align,
                                                                                   strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])
