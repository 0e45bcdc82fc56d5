"""Several annotators → one gold article per document, by a declared rule, with a conflict report.

Rules (``n`` = annotators of the document):

- ``majority`` — an item is kept when more than ``n / 2`` annotators have it;
- ``unanimous`` — an item is kept only when all ``n`` have it;
- ``lead`` — the named lead annotator's article is the gold (others are only compared); a
  document the lead did not annotate is *unresolved* (listed, no gold).

Items and how they are compared (ids differ between annotators, so spans are the keys):

- entity mention: its span, then the label that passes the rule among the annotators (one who
  did not mark the span counts as absent); coreference: a pair of kept mention spans is in one
  cluster when the rule holds for "these two spans are in the same cluster";
- source mention (a label of ``schema.source_labels``: ``SOURCE``, guidelines 2.0 §5.7): the same,
  in a layer of its own (``source``), so that an entity-versus-source disagreement at one span is
  one ``entity`` and one ``source`` conflict; a source and an entity mention are never put in one
  cluster, and a kept source cluster that speaks no kept quote is dropped (a conflict says so);
- quote: its span, then its kind the same way; then, over the annotators who marked the span
  (whatever kind they gave), each attribute by the same rule:
  cue span, speaker (by cluster: an annotator supports a speaker span when it is in the cluster
  of their speaker; the kept span is the one most annotators picked exactly, then the earliest),
  ``speaker_elided``;
- stance: its holder (``"article"`` or the quote span), then the label; the target text is
  the most common one among the holder's annotators (a different text is reported), ``target_mention``
  by the rule on its span.

Every item where the annotators do not all agree is one :class:`Conflict` (doc_id, layer, offsets,
surface, who said what, resolution) — reported even when the rule resolved it. A changed label is
one conflict at its span (``{"a": "GPE", "b": "LOC"}``), not a missing GPE plus an extra LOC.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from benchmark.model import Article, Mention, Provenance, Quote, Span, Stance
from benchmark.schema import KHABAR, LabelSchema

__all__ = ["RULES", "AdjudicationResult", "Conflict", "adjudicate", "adjudicate_document"]

RULES = ("majority", "lead", "unanimous")


@dataclass(frozen=True, slots=True)
class Conflict:
    """One disagreement: where, what each annotator said, and what the rule did."""

    doc_id: str
    layer: str
    start: int | None
    end: int | None
    surface: str
    votes: dict[str, Any]
    resolution: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "layer": self.layer,
            "start": self.start,
            "end": self.end,
            "surface": self.surface,
            "votes": self.votes,
            "resolution": self.resolution,
        }


@dataclass(slots=True)
class AdjudicationResult:
    """Gold articles, every conflict, and the documents that got no gold (with the reason)."""

    rule: str
    gold: list[Article] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    unresolved: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "gold_documents": [a.doc_id for a in self.gold],
            "conflicts": [c.to_dict() for c in self.conflicts],
            "unresolved": self.unresolved,
        }

    def to_markdown(self) -> str:
        """The conflict report as a Markdown table."""
        lines = [
            f"# Adjudication conflicts (rule: {self.rule})",
            "",
            f"{len(self.gold)} gold document(s), {len(self.conflicts)} conflict(s), "
            f"{len(self.unresolved)} unresolved document(s).",
            "",
        ]
        if self.unresolved:
            lines += ["## Unresolved documents", ""]
            lines += [f"- `{doc}`: {reason}" for doc, reason in sorted(self.unresolved.items())]
            lines.append("")
        if self.conflicts:
            lines += [
                "## Conflicts",
                "",
                "| doc_id | layer | offsets | text | who said what | resolution |",
                "|---|---|---|---|---|---|",
            ]
            for c in self.conflicts:
                offsets = "" if c.start is None else f"[{c.start}, {c.end})"
                votes = "; ".join(
                    f"{who}: {json.dumps(v, ensure_ascii=False)}" for who, v in sorted(c.votes.items())
                )
                surface = c.surface.replace("|", "\\|").replace("\n", " ")
                lines.append(
                    f"| `{c.doc_id}` | {c.layer} | {offsets} | {surface} | {votes.replace('|', '/')} | "
                    f"{c.resolution} |"
                )
        return "\n".join(lines) + "\n"


def _passes(support: int, n: int, rule: str) -> bool:
    return support == n if rule == "unanimous" else support * 2 > n


def _cluster_spans(article: Article, mention_id: str) -> frozenset[tuple[int, int]]:
    cluster = article.mention(mention_id).cluster
    return frozenset((m.start, m.end) for m in article.entities if m.cluster == cluster)


def _span_of(article: Article, mention_id: str | None) -> tuple[int, int] | None:
    if mention_id is None:
        return None
    mention = article.mention(mention_id)
    return (mention.start, mention.end)


def _quote_stances(article: Article) -> dict[Any, Stance]:
    """Holder key (``"article"`` or quote span) → stance."""
    quotes = {q.id: (q.start, q.end) for q in article.quotes}
    return {("article" if s.holder == "article" else quotes[s.holder]): s for s in article.stances}


class _Voting:
    """Collects conflicts for one document."""

    def __init__(self, doc_id: str, text: str, annotators: Sequence[str], rule: str):
        self.doc_id, self.text, self.annotators, self.rule = doc_id, text, list(annotators), rule
        self.n = len(annotators)
        self.conflicts: list[Conflict] = []

    def conflict(
        self,
        layer: str,
        span: tuple[int, int] | None,
        votes: dict[str, Any],
        resolution: str,
        surface: str | None = None,
    ) -> None:
        if surface is None:
            surface = "" if span is None else self.text[span[0] : span[1]]
        self.conflicts.append(
            Conflict(
                self.doc_id,
                layer,
                None if span is None else span[0],
                None if span is None else span[1],
                surface,
                votes,
                resolution,
            )
        )

    def keep(
        self,
        layer: str,
        span: tuple[int, int] | None,
        support: dict[str, Any],
        absent: Any,
        surface: str | None = None,
    ) -> bool:
        """Whether the item with these supporters is kept; a conflict is recorded unless all agree."""
        kept = _passes(len(support), self.n, self.rule)
        if len(support) != self.n:
            votes = {a: support.get(a, absent) for a in self.annotators}
            self.conflict(layer, span, votes, "kept" if kept else "dropped", surface)
        return kept

    def choose(
        self, layer: str, span: tuple[int, int] | None, votes: dict[str, Any], surface: str | None = None
    ) -> Any:
        """The value at one place (a span, a stance holder) that passes the rule, else ``None``.

        ``votes`` maps each annotator who marked something there to its value (a label, a quote
        kind); the others count as absent. One disagreement is one conflict, whatever its kind: a
        changed label is not both a missing item and an extra one.
        """
        counts = Counter(votes.values())
        best, support = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[0]
        kept = _passes(support, self.n, self.rule)
        if support != self.n:
            full = {a: votes.get(a) for a in self.annotators}
            self.conflict(layer, span, full, f"kept {best!r}" if kept else "dropped", surface)
        return best if kept else None


def adjudicate_document(
    articles: Sequence[Article], rule: str = "majority", *, lead: str | None = None, schema: LabelSchema = KHABAR
) -> tuple[Article | None, list[Conflict], str | None]:
    """One document's gold article, its conflicts, and the reason when there is no gold
    (``schema.source_labels`` say which mentions are sources)."""
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r} (fix: use one of {', '.join(RULES)})")
    by_annotator: dict[str, Article] = {}
    for i, article in enumerate(articles):
        name = article.provenance.annotator or f"annotator-{i + 1}"
        if name in by_annotator:
            raise ValueError(f"{article.doc_id}: annotator {name!r} has two annotations (fix: keep one)")
        by_annotator[name] = article
    first = articles[0]
    if any(a.text != first.text for a in articles):
        raise ValueError(
            f"{first.doc_id}: the annotations carry different texts (fix: re-export; the task text "
            "must not change after annotation)"
        )
    annotators = sorted(by_annotator)
    vote = _Voting(first.doc_id, first.text, annotators, "majority" if rule == "lead" else rule)

    # -- entities and sources -----------------------------------------------------------
    sources = frozenset(schema.source_labels)
    labels_at: dict[tuple[str, tuple[int, int]], dict[str, str]] = defaultdict(dict)
    for name, article in by_annotator.items():
        for m in article.entities:
            labels_at[("source" if m.label in sources else "entity", (m.start, m.end))][name] = m.label
    kept_at: dict[tuple[int, int], str] = {}
    for layer, span in sorted(labels_at, key=lambda key: (key[1], key[0])):
        label = vote.choose(layer, span, labels_at[(layer, span)])
        if label is not None and span in kept_at:  # an entity and a source at one span, both kept
            vote.conflict(layer, span, labels_at[(layer, span)], f"dropped (the span is kept as {kept_at[span]!r})")
        elif label is not None:
            kept_at[span] = label
    kept_spans = [(*span, kept_at[span]) for span in sorted(kept_at)]
    mention_id = {(s, e): f"m{i + 1}" for i, (s, e, _) in enumerate(kept_spans)}
    is_source = {span: kept_at[span] in sources for span in kept_at}
    # coreference: pairs of kept spans in one cluster
    pair_support: dict[tuple, dict[str, Any]] = defaultdict(dict)
    for name, article in by_annotator.items():
        clusters: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for m in article.entities:
            if (m.start, m.end) in mention_id:
                clusters[m.cluster].append((m.start, m.end))
        for spans in clusters.values():
            spans.sort()
            for i, x in enumerate(spans):
                for y in spans[i + 1 :]:
                    pair_support[(x, y)][name] = "same entity"
    parent = {span: span for span in mention_id}

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for pair in sorted(pair_support):
        x, y = pair
        surface = f"{first.text[x[0] : x[1]]} [{x[0]}, {x[1]}) ~ {first.text[y[0] : y[1]]} [{y[0]}, {y[1]})"
        if is_source[x] != is_source[y]:  # kept as a source and as an entity: never one cluster (§5.7)
            votes = {a: pair_support[pair].get(a, "different entities") for a in vote.annotators}
            vote.conflict("coreference", None, votes, "dropped (one is kept as a source, the other as an entity)",
                          surface)
            continue
        if vote.keep("coreference", None, pair_support[pair], "different entities", surface):
            a, b = find(pair[0]), find(pair[1])
            if a != b:
                parent[max(a, b)] = min(a, b)
    mentions = tuple(
        Mention(mention_id[(s, e)], s, e, label, cluster=mention_id[find((s, e))])
        for s, e, label in kept_spans
    )
    cluster_spans = defaultdict(set)
    for m in mentions:
        cluster_spans[m.cluster].add((m.start, m.end))

    # -- quotes ----------------------------------------------------------------------------
    quotes_at: dict[tuple[int, int], dict[str, Quote]] = defaultdict(dict)
    for name, article in by_annotator.items():
        for q in article.quotes:
            quotes_at[(q.start, q.end)][name] = q
    quotes: list[Quote] = []
    quote_id: dict[tuple[int, int], str] = {}
    for span in sorted(quotes_at):
        kind = vote.choose("quote", span, {a: q.kind for a, q in quotes_at[span].items()})
        if kind is None:
            continue
        key = (*span, kind)
        support = quotes_at[span]  # cue and speaker do not depend on the kind: every annotator of the span votes
        qid = f"q{len(quotes) + 1}"
        quote_id[key[:2]] = qid
        cue_votes = {a: None if q.cue is None else (q.cue.start, q.cue.end) for a, q in support.items()}
        cue = _attribute(vote, "quote cue", key[:2], cue_votes)
        elided_votes = {a: q.speaker_elided for a, q in support.items()}
        elided = bool(_attribute(vote, "quote speaker_elided", key[:2], elided_votes))
        speaker = _speaker(vote, key[:2], support, by_annotator, mention_id, cluster_spans)
        if elided and speaker is None:
            vote.conflict("quote speaker_elided", key[:2], elided_votes, "dropped (no agreed speaker)")
            elided = False
        quotes.append(
            Quote(
                qid,
                key[0],
                key[1],
                key[2],
                cue=None if cue is None else Span(*cue),
                speaker=speaker,
                speaker_elided=elided,
            )
        )

    # -- stances ---------------------------------------------------------------------------
    stances_of: dict[Any, dict[str, Stance]] = defaultdict(dict)
    for name, article in by_annotator.items():
        for holder, stance in _quote_stances(article).items():
            stances_of[holder][name] = stance
    stances: list[Stance] = []
    for holder in sorted(stances_of, key=lambda h: (h == "article", str(h))):
        span = None if holder == "article" else holder
        layer = f"stance ({'article' if span is None else 'quote'})"
        label = vote.choose(layer, span, {a: s.label for a, s in stances_of[holder].items()})
        if label is None:
            continue
        support = stances_of[holder]  # the target does not depend on the label: every annotator of the holder votes
        if holder != "article" and holder not in quote_id:
            vote.conflict(
                "stance (quote)", span, {a: label for a in support}, "dropped (its quote was dropped)"
            )
            continue
        targets = Counter(s.target for s in support.values())
        target = sorted(targets.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        if len(targets) > 1:
            vote.conflict(
                "stance target", span, {a: s.target for a, s in support.items()}, f"kept {target!r}"
            )
        tm_votes = {a: _span_of(by_annotator[a], s.target_mention) for a, s in support.items()}
        tm = _attribute(vote, "stance target_mention", span, tm_votes)
        if tm is not None and tm not in mention_id:
            vote.conflict("stance target_mention", span, tm_votes, "dropped (the mention was not kept)")
            tm = None
        hid = "article" if holder == "article" else quote_id[holder]
        stances.append(
            Stance(
                "st-article" if hid == "article" else f"st-{hid}",
                hid,
                target,
                label,
                None if tm is None else mention_id[tm],
            )
        )

    mentions = _drop_silent_sources(vote, mentions, quotes, sources, labels_at)

    provenance = Provenance(
        annotator=f"adjudicated:{rule}" + (f":{lead}" if rule == "lead" else ""),
        annotation_ids=tuple(i for a in annotators for i in by_annotator[a].provenance.annotation_ids),
        guidelines_version=_common(a.provenance.guidelines_version for a in articles),
        source=_common(a.provenance.source for a in articles),
    )
    if rule == "lead":
        if lead not in by_annotator:
            return None, vote.conflicts, f"the lead annotator {lead!r} did not annotate it"
        gold = by_annotator[lead].replace(provenance=provenance)
        return gold, [_lead_resolution(c, lead) for c in vote.conflicts], None
    gold = first.replace(
        entities=mentions, quotes=tuple(quotes), stances=tuple(stances), provenance=provenance
    )
    return gold, vote.conflicts, None


def _drop_silent_sources(
    vote: _Voting, mentions: tuple[Mention, ...], quotes: Sequence[Quote], sources: frozenset[str],
    labels_at: dict[tuple[str, tuple[int, int]], dict[str, str]],
) -> tuple[Mention, ...]:
    """The mentions without the kept source clusters that speak no kept quote (a source is
    annotated only as a speaker, guidelines §5.7), each dropped one recorded as a ``source`` conflict."""
    spoken = {m.cluster for m in mentions for q in quotes if q.speaker == m.id}
    kept = []
    for m in mentions:
        if m.label in sources and m.cluster not in spoken:
            said = labels_at.get(("source", (m.start, m.end)), {})
            vote.conflict("source", (m.start, m.end), {a: said.get(a) for a in vote.annotators},
                          "dropped (its cluster speaks no kept quote; guidelines §5.7)")
        else:
            kept.append(m)
    return tuple(kept)


def _lead_resolution(conflict: Conflict, lead: str) -> Conflict:
    said = conflict.votes.get(lead)
    return Conflict(
        conflict.doc_id,
        conflict.layer,
        conflict.start,
        conflict.end,
        conflict.surface,
        conflict.votes,
        f"lead {lead} wins ({json.dumps(said, ensure_ascii=False)})",
    )


def _common(values: Iterable[str | None]) -> str | None:
    found = {v for v in values if v is not None}
    return found.pop() if len(found) == 1 else None


def _attribute(vote: _Voting, layer: str, span: tuple[int, int] | None, votes: dict[str, Any]) -> Any:
    """The value of an attribute that passes the rule over all annotators, else ``None``/``False``."""
    counts = Counter(votes.values())
    best, support = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))[0]
    if len(counts) == 1 and len(votes) == vote.n:
        return best
    kept = _passes(support, vote.n, vote.rule)
    full = {a: votes.get(a) for a in vote.annotators}
    vote.conflict(
        layer,
        span,
        {a: list(v) if isinstance(v, tuple) else v for a, v in full.items()},
        f"kept {best!r}" if kept else "dropped (no value passes the rule)",
    )
    return best if kept else None


def _speaker(
    vote: _Voting,
    span: tuple[int, int],
    support: dict[str, Quote],
    by_annotator: dict[str, Article],
    mention_id: dict[tuple[int, int], str],
    cluster_spans: dict[str, set],
) -> str | None:
    """The speaker mention id by cluster support (see module docstring), or None."""
    exact: dict[str, Any] = {}
    clusters: dict[str, frozenset] = {}
    for name, quote in support.items():
        article = by_annotator[name]
        exact[name] = _span_of(article, quote.speaker)
        clusters[name] = frozenset() if quote.speaker is None else _cluster_spans(article, quote.speaker)
    if all(v is None for v in exact.values()) and len(exact) == vote.n:
        return None
    candidates = Counter()
    for spans in clusters.values():
        for s in spans:
            candidates[s] += 1
    picked = Counter(v for v in exact.values() if v is not None)
    ranked = sorted(
        (s for s in candidates if s in mention_id), key=lambda s: (-candidates[s], -picked.get(s, 0), s)
    )
    winner = next((s for s in ranked if _passes(candidates[s], vote.n, vote.rule)), None)
    agreed = len(set(exact.values())) == 1 and len(exact) == vote.n
    if not agreed:
        votes = {
            a: None
            if exact.get(a) is None
            else {"span": list(exact[a]), "text": vote.text[exact[a][0] : exact[a][1]]}
            for a in vote.annotators
        }
        vote.conflict(
            "quote speaker",
            span,
            votes,
            "dropped (no speaker cluster passes the rule)"
            if winner is None
            else f"kept {vote.text[winner[0] : winner[1]]!r} [{winner[0]}, {winner[1]})",
        )
    return None if winner is None else mention_id[winner]


def adjudicate(
    articles: Iterable[Article], rule: str = "majority", *, lead: str | None = None, schema: LabelSchema = KHABAR
) -> AdjudicationResult:
    """Group annotator articles by doc_id and adjudicate each document (see the module docstring)."""
    if rule == "lead" and not lead:
        raise ValueError("rule 'lead' needs the lead annotator (fix: pass lead='e-mail of the lead')")
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        groups[article.doc_id].append(article)
    result = AdjudicationResult(rule=rule)
    for doc_id in sorted(groups):
        gold, conflicts, reason = adjudicate_document(groups[doc_id], rule, lead=lead, schema=schema)
        result.conflicts.extend(conflicts)
        if gold is None:
            result.unresolved[doc_id] = reason or "no gold"
        else:
            result.gold.append(gold)
    return result
