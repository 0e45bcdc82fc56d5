"""Per-layer, per-label counts of a corpus (what ``khabar stats`` prints).

>>> from benchmark.model import Article, Mention
>>> stats = corpus_stats([Article(doc_id="d", text="بوتين", entities=(Mention("m", 0, 5, "PER"),))])
>>> stats.entities["PER"], stats.articles
(1, 1)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from benchmark.model import Article
from benchmark.schema import ARTICLE_HOLDER

__all__ = ["CorpusStats", "corpus_stats", "format_table"]


@dataclass
class CorpusStats:
    """Counts per layer and label; ``to_dict`` is JSON-ready, ``to_table`` is for the terminal."""

    articles: int = 0
    characters: int = 0
    entities: Counter = field(default_factory=Counter)
    entity_clusters: int = 0
    quotes: Counter = field(default_factory=Counter)
    quotes_with_speaker: int = 0
    quotes_elided_speaker: int = 0
    quotes_with_cue: int = 0
    stances: Counter = field(default_factory=Counter)
    stance_holders: Counter = field(default_factory=Counter)
    annotators: Counter = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "characters": self.characters,
            "entities": {"total": sum(self.entities.values()), "clusters": self.entity_clusters,
                         "by_label": dict(sorted(self.entities.items()))},
            "quotes": {"total": sum(self.quotes.values()), "with_speaker": self.quotes_with_speaker,
                       "elided_speaker": self.quotes_elided_speaker, "with_cue": self.quotes_with_cue,
                       "by_kind": dict(sorted(self.quotes.items()))},
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
        rows.append(("quotes", "total", str(sum(self.quotes.values()))))
        rows += [("quotes", f"kind={kind}", str(n)) for kind, n in sorted(self.quotes.items())]
        rows += [("quotes", "with speaker", str(self.quotes_with_speaker)),
                 ("quotes", "elided speaker", str(self.quotes_elided_speaker)),
                 ("quotes", "with cue", str(self.quotes_with_cue))]
        rows.append(("stances", "total", str(sum(self.stances.values()))))
        rows += [("stances", label, str(n)) for label, n in sorted(self.stances.items())]
        rows += [("stances", f"holder={holder}", str(n)) for holder, n in sorted(self.stance_holders.items())]
        rows += [("annotators", name, str(n)) for name, n in sorted(self.annotators.items())]
        return format_table(("layer", "label", "count"), rows, align="llr")


def corpus_stats(articles: Iterable[Article]) -> CorpusStats:
    """Count every layer and label over a stream of articles (one pass, constant memory)."""
    stats = CorpusStats()
    for article in articles:
        stats.articles += 1
        stats.characters += len(article.text)
        stats.entities.update(m.label for m in article.entities)
        stats.entity_clusters += len({m.cluster for m in article.entities})
        stats.quotes.update(q.kind for q in article.quotes)
        stats.quotes_with_speaker += sum(q.speaker is not None for q in article.quotes)
        stats.quotes_elided_speaker += sum(q.speaker_elided for q in article.quotes)
        stats.quotes_with_cue += sum(q.cue is not None for q in article.quotes)
        stats.stances.update(s.label for s in article.stances)
        stats.stance_holders.update("article" if s.holder == ARTICLE_HOLDER else "quote" for s in article.stances)
        stats.annotators[article.provenance.annotator or "(none)"] += 1
    return stats


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
