"""The reviewer's decisions on a round's conflicts, and the gold they make (issue #13).

A round's conflicts come from :func:`benchmark.studio.adjudicate.adjudicate` (rule ``majority``:
unanimity for two annotators). The reviewer decides each in ``adjudication.jsonl``, one JSON
object per line::

    {"doc_id": ..., "layer": "entity", "start": 10, "end": 17, "options": {...},
     "decision": "ORG", "reason": "§4.2: a ministry is an ORG"}

``reason`` is required: one line saying why (the guideline section it follows). What a
``decision`` means per layer is :class:`GoldBuilder`'s docstring. :func:`apply_decisions` builds
the gold from the lead's article; a conflict without a decision follows the lead when a lead is
given (v0.1's declared fallback) and is refused otherwise (:func:`undecided_conflicts`).

The committed reports hold no corpus text: :func:`textless_conflict`, :func:`conflicts_markdown`.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "DECISION_FIELDS",
    "LAYER_ORDER",
    "DecisionError",
    "GoldBuilder",
    "apply_decisions",
    "check_decisions",
    "conflict_key",
    "conflicts_markdown",
    "decision_key",
    "decision_shape_problem",
    "load_decisions",
    "textless_conflict",
    "todo_rows",
    "undecided_conflicts",
]

DECISION_FIELDS = ("doc_id", "layer", "start", "end", "options", "decision", "reason")
LAYER_ORDER = ("entity", "source", "quote", "quote speaker", "quote speaker_elided", "quote cue",
               "stance (quote)", "stance (article)", "stance target", "stance target_mention", "coreference")
"""The order decisions are applied in, inside a document (a quote before its speaker, ...)."""


class DecisionError(ValueError):
    """A bad decisions file or a decision that matches nothing; names the line and the fix."""


def email_of(name: str) -> str:
    """``annotator-a`` → ``annotator-a@khabar.local`` (an e-mail is kept)."""
    return name if "@" in name else f"{name}@khabar.local"


def decision_key(layer: str, doc_id: str, start: int | None, end: int | None, pair: Any = None) -> tuple:
    """A conflict's identity; a coreference conflict has no offsets of its own, only its mention pair."""
    if pair:
        return (doc_id, layer, start, end, tuple(tuple(span) for span in pair))
    return (doc_id, layer, start, end)


def load_decisions(path: str | Path) -> dict[tuple, dict[str, Any]]:
    """The reviewer's decisions, keyed by :func:`decision_key`; every line names all of
    :data:`DECISION_FIELDS`, with a one-line non-empty ``reason``. A bad line stops with its number."""
    path = Path(path)
    decisions: dict[tuple, dict[str, Any]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        at = f"{path.name}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise DecisionError(f"{at}: not JSON ({error.msg}, column {error.colno}); "
                                "fix: one JSON object a line") from None
        if not isinstance(row, dict):
            raise DecisionError(f"{at}: not a JSON object (fix: one decision object a line)")
        missing = [k for k in DECISION_FIELDS if k not in row]
        if missing:
            raise DecisionError(f"{at}: missing {missing}")
        reason = row["reason"]
        if not isinstance(reason, str) or not reason.strip() or "\n" in reason:
            raise DecisionError(f"{at}: {row['doc_id']} {row['layer']}: reason {reason!r} must be one non-empty "
                                "line (fix: say why, e.g. the guideline section the decision follows)")
        pair = None
        expected = decision_shape_problem(row["layer"], row["decision"])
        if expected is not None:
            where = "" if row["start"] is None else f" [{row['start']}, {row['end']})"
            raise DecisionError(f"{at}: {row['doc_id']} {row['layer']}{where}: decision "
                                f"{row['decision']!r} must be {expected} (fix: write it in that form; "
                                "GoldBuilder's docstring says what each layer's decision means)")
        if row["layer"] == "coreference":
            pair = row["decision"]["pair"]
        key = decision_key(row["layer"], row["doc_id"], row["start"], row["end"], pair)
        if key in decisions:
            raise DecisionError(f"{at}: a second decision for {key}")
        decisions[key] = row
    return decisions


def _is_span(value: Any) -> bool:
    return (isinstance(value, list | tuple) and len(value) == 2 and all(isinstance(v, int) for v in value)
            and 0 <= value[0] < value[1])


def _is_speaker(value: Any) -> bool:
    return (isinstance(value, dict) and set(value) == {"start", "end"}
            and _is_span([value["start"], value["end"]]))


def _label_or_null(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value != "")


_SHAPES: dict[str, tuple[Any, str]] = {
    "entity": (_label_or_null, "a label or null"),
    "source": (_label_or_null, 'a source label ("SOURCE") or null'),
    "quote": (lambda d: d == "drop" or (isinstance(d, dict) and set(d) == {"take", "kind"}
                                        and all(isinstance(v, str) for v in d.values())),
              '{"take": ANNOTATOR, "kind": KIND} or "drop"'),
    "quote speaker": (lambda d: d is None or _is_speaker(d), '{"start": S, "end": E} (the speaker mention) or null'),
    "quote speaker_elided": (lambda d: isinstance(d, bool), "true or false"),
    "quote cue": (lambda d: d is None or _is_span(d), "[start, end] or null"),
    "stance (quote)": (_label_or_null, "a stance label or null"),
    "stance (article)": (_label_or_null, "a stance label or null"),
    "stance target": (lambda d: isinstance(d, str) and d.strip() != "", "the target text to keep"),
    "stance target_mention": (lambda d: d is None or _is_span(d), "[start, end] or null"),
    "coreference": (lambda d: isinstance(d, dict) and isinstance(d.get("same"), bool)
                    and isinstance(d.get("pair"), list) and len(d["pair"]) == 2
                    and all(_is_span(p) for p in d["pair"]),
                    '{"pair": [[start, end], [start, end]], "same": true|false}'),
}


def decision_shape_problem(layer: str, decision: Any) -> str | None:
    """``None`` when ``decision`` has the form its conflict ``layer`` takes (:class:`GoldBuilder`), else
    the form it must have.

    >>> decision_shape_problem("quote speaker", {"start": 3, "end": 9}) is None
    True
    >>> decision_shape_problem("quote speaker", [3, 9])
    '{"start": S, "end": E} (the speaker mention) or null'
    """
    if layer not in _SHAPES:
        return f"a decision of a known layer ({', '.join(_SHAPES)}), not {layer!r}"
    check, expected = _SHAPES[layer]
    return None if check(decision) else expected


def conflict_key(conflict) -> tuple:
    """The key a reviewer's decision is filed under for this :class:`Conflict`."""
    pair = textless_conflict(conflict).get("pair") if conflict.layer == "coreference" else None
    return decision_key(conflict.layer, conflict.doc_id, conflict.start, conflict.end, pair)


def check_decisions(decisions: Mapping[tuple, Any], conflicts: Sequence) -> None:
    """Refuse decisions that match no conflict (a stale or mistyped line)."""
    keys = {conflict_key(c) for c in conflicts}
    stray = [k for k in decisions if k not in keys]
    if stray:
        raise DecisionError(f"{len(stray)} decision(s) match no conflict, e.g. {stray[:3]} "
                            "(fix: correct their doc_id/layer/start/end, or delete them)")


def undecided_conflicts(conflicts: Sequence, decisions: Mapping[tuple, Any]) -> list:
    """The conflicts that have no decision yet."""
    return [c for c in conflicts if conflict_key(c) not in decisions]


def todo_rows(conflicts: Sequence) -> list[dict[str, Any]]:
    """A decisions-file line to fill in per conflict: ``options`` are the annotators' votes (text-less),
    ``decision`` is null and ``reason`` empty — :func:`load_decisions` refuses a line until the
    reviewer writes the reason (and the decision: null means "remove")."""
    rows = []
    for conflict in conflicts:
        row = textless_conflict(conflict)
        decision: Any = {"pair": row["pair"], "same": None} if row.get("pair") else None
        rows.append({"doc_id": row["doc_id"], "layer": row["layer"], "start": row["start"], "end": row["end"],
                     "options": row["votes"], "decision": decision, "reason": ""})
    return rows


class GoldBuilder:
    """One document's gold, built from the lead's article and edited by decisions.

    Decisions (``decision`` field) per layer:

    - ``entity`` at a span: a label (the mention at that span gets it, added when missing) or
      ``null`` (the entity mention there is removed; quotes/stances pointing at it must have been
      decided too);
    - ``source`` at a span (guidelines 2.0 §5.7): a source label (``"SOURCE"``) the same way, or
      ``null`` (the source mention there is removed). A mention whose decision turns it from an
      entity into a source or back leaves its cluster (a cluster never holds both); one span
      decided as an entity by one layer and as a source by the other is refused;
    - ``quote`` at a span: ``{"take": ANNOTATOR, "kind": KIND}`` (that annotator's quote — cue,
      speaker, elided — with this kind) or ``"drop"`` (its stance goes too);
    - ``quote speaker`` at a quote span: ``{"start", "end"}`` of the speaker mention, or ``null``;
    - ``quote speaker_elided``: ``true`` / ``false``; ``quote cue``: ``[start, end]`` or ``null``;
    - ``stance (quote)`` / ``stance (article)`` at the holder span: a label or ``null``; the target
      text (and target mention) come from the annotator whose stance has that label;
    - ``stance target``: the target text to keep; ``stance target_mention``: ``[start, end]`` or ``null``;
    - ``coreference`` (two mention spans): ``{"pair": [[s, e], [s, e]], "same": true|false}``; ``false``
      keeps the lead's clusters (a lead cluster is not split here).
    """

    def __init__(self, articles: Mapping[str, Any], lead: str, schema: Any = None):
        from benchmark.schema import KHABAR

        self.sources = frozenset((schema or KHABAR).source_labels)
        self.labelled: dict[tuple[int, int], tuple[str, str]] = {}  # span → (layer, label) decided
        self.by = dict(articles)
        self.lead = lead
        base = articles[lead]
        self.text = base.text
        self.base = base
        self.entities = {(m.start, m.end): m for m in base.entities}
        self.clusters = {m.id: m.cluster for m in base.entities}
        self.quotes = {}
        for q in base.quotes:
            self.quotes[(q.start, q.end)] = {
                "kind": q.kind,
                "cue": None if q.cue is None else (q.cue.start, q.cue.end),
                "speaker": self._span(base, q.speaker),
                "elided": q.speaker_elided,
            }
        self.stances = {}
        self.decided_stances: set = set()
        for holder, s in self._stances(base).items():
            self.stances[holder] = {"label": s.label, "target": s.target, "tm": self._span(base, s.target_mention)}

    @staticmethod
    def _span(article, mention_id):
        if mention_id is None:
            return None
        m = article.mention(mention_id)
        return (m.start, m.end)

    @staticmethod
    def _stances(article):
        spans = {q.id: (q.start, q.end) for q in article.quotes}
        return {("article" if s.holder == "article" else spans[s.holder]): s for s in article.stances}

    def ensure_mention(self, span: tuple[int, int], who: str | None = None) -> None:
        """Add the mention at ``span`` from the annotator who has it (own cluster) when missing."""
        if span in self.entities:
            return
        for name in ([who] if who else []) + sorted(self.by):
            for m in self.by[name].entities:
                if (m.start, m.end) == span:
                    from benchmark.model import Mention

                    new_id = f"x{m.start}-{m.end}"
                    self.entities[span] = Mention(new_id, m.start, m.end, m.label, cluster=new_id)
                    return
        raise ValueError(f"{self.base.doc_id}: no annotator has a mention at {span}")

    def apply(self, layer: str, span: Any, decision: Any) -> None:
        from benchmark.model import Mention

        span = None if span is None else tuple(span)
        if layer in ("entity", "source"):
            self._label(layer, span, decision)
        elif layer == "quote":
            if decision == "drop":
                self.quotes.pop(span, None)
                self.stances.pop(span, None)
                return
            who, kind = decision["take"], decision["kind"]
            quote = next((q for q in self.by[who].quotes if (q.start, q.end) == span), None)
            if quote is None:
                raise ValueError(f"{self.base.doc_id}: {who} has no quote at {span}")
            if who != self.lead or span not in self.quotes:
                speaker = self._span(self.by[who], quote.speaker)
                if speaker is not None:
                    self.ensure_mention(speaker, who)
                self.quotes[span] = {
                    "kind": quote.kind,
                    "cue": None if quote.cue is None else (quote.cue.start, quote.cue.end),
                    "speaker": speaker,
                    "elided": quote.speaker_elided,
                }
            self.quotes[span]["kind"] = kind
        elif layer == "quote speaker":
            if span in self.quotes:
                speaker = None if decision is None else (decision["start"], decision["end"])
                if speaker is not None:
                    self.ensure_mention(speaker)
                self.quotes[span]["speaker"] = speaker
                if speaker is None:
                    self.quotes[span]["elided"] = False
        elif layer == "quote speaker_elided":
            if span in self.quotes:
                self.quotes[span]["elided"] = bool(decision) and self.quotes[span]["speaker"] is not None
        elif layer == "quote cue":
            if span in self.quotes:
                self.quotes[span]["cue"] = None if decision is None else tuple(decision)
        elif layer.startswith("stance ("):
            holder = "article" if span is None else span
            self.decided_stances.add(holder)
            if decision is None:
                self.stances.pop(holder, None)
                return
            for name in [self.lead, *sorted(self.by)]:
                s = self._stances(self.by[name]).get(holder)
                if s is not None and s.label == decision:
                    tm = self._span(self.by[name], s.target_mention)
                    if tm is not None:
                        self.ensure_mention(tm, name)
                    self.stances[holder] = {"label": s.label, "target": s.target, "tm": tm}
                    return
            raise ValueError(f"{self.base.doc_id}: no annotator has stance {decision!r} at {holder}")
        elif layer == "stance target":
            holder = "article" if span is None else span
            if holder in self.stances:
                self.stances[holder]["target"] = decision
        elif layer == "stance target_mention":
            holder = "article" if span is None else span
            if holder in self.stances:
                tm = None if decision is None else tuple(decision)
                if tm is not None:
                    self.ensure_mention(tm)
                self.stances[holder]["tm"] = tm
        elif layer == "coreference":
            x, y = (tuple(pair) for pair in decision["pair"])
            if decision["same"]:
                if x not in self.entities or y not in self.entities:
                    raise ValueError(f"{self.base.doc_id}: coreference {x} ~ {y}: both must be gold mentions")
                if self._is_source(self.entities[x].label) != self._is_source(self.entities[y].label):
                    raise ValueError(f"{self.base.doc_id}: coreference {x} ~ {y} joins a source and an entity "
                                     "mention; a cluster holds one kind (guidelines §5.7) (fix: decide same: false)")
                keep, move = self.entities[x].cluster, self.entities[y].cluster
                for span, m in self.entities.items():
                    if m.cluster == move:
                        self.entities[span] = Mention(m.id, m.start, m.end, m.label, cluster=keep)
        else:
            raise ValueError(f"unknown conflict layer {layer!r}")

    def _is_source(self, label: str) -> bool:
        return label in self.sources

    def _label(self, layer: str, span: tuple[int, int], decision: str | None) -> None:
        """An ``entity`` or ``source`` decision at ``span`` (see the class docstring)."""
        from benchmark.model import Mention

        old = self.entities.get(span)
        if decision is None:
            if old is not None and self._is_source(old.label) == (layer == "source"):
                self.entities.pop(span)
            return
        if self._is_source(decision) != (layer == "source"):
            raise ValueError(f"{self.base.doc_id}: {layer} decision {decision!r} at {span} is "
                             f"{'a source' if self._is_source(decision) else 'an entity'} label (fix: decide it "
                             f"in the {'source' if self._is_source(decision) else 'entity'} layer)")
        other = self.labelled.get(span)
        if other is not None and other[0] != layer:
            raise ValueError(f"{self.base.doc_id}: {span} is decided {other[1]!r} ({other[0]}) and {decision!r} "
                             f"({layer}); a span is an entity or a source (fix: set one of the two decisions to null)")
        self.labelled[span] = (layer, decision)
        if old is None:
            new_id = f"x{span[0]}-{span[1]}"
            self.entities[span] = Mention(new_id, *span, decision, cluster=new_id)
        elif self._is_source(old.label) == self._is_source(decision):
            self.entities[span] = Mention(old.id, old.start, old.end, decision, cluster=old.cluster)
        else:  # entity ↔ source: it leaves its cluster, whose other members keep theirs
            rest = sorted(s for s, m in self.entities.items() if m.cluster == old.cluster and s != span)
            if rest and old.cluster == old.id:
                head = self.entities[rest[0]].id
                for s in rest:
                    m = self.entities[s]
                    self.entities[s] = Mention(m.id, m.start, m.end, m.label, cluster=head)
            self.entities[span] = Mention(old.id, old.start, old.end, decision, cluster=old.id)

    def add_unopposed_stances(self, other: str) -> int:
        """Union rule: ``other``'s stance on a holder the gold has no stance for (its quote kept)."""
        added = 0
        for holder, s in self._stances(self.by[other]).items():
            if holder in self.stances or holder in self.decided_stances or (
                holder != "article" and holder not in self.quotes
            ):
                continue
            tm = self._span(self.by[other], s.target_mention)
            if tm is not None and tm not in self.entities:
                tm = None
            self.stances[holder] = {"label": s.label, "target": s.target, "tm": tm}
            added += 1
        return added

    def article(self, provenance):
        from benchmark.model import Mention, Quote, Span, Stance

        spans = sorted(self.entities)
        ids = {span: f"m{i + 1}" for i, span in enumerate(spans)}
        # clusters: members grouped by their old cluster id; the head is that id's mention when it
        # is still there, else the earliest remaining member (a removed head never splits a cluster)
        old_span = {m.id: span for span, m in self.entities.items()}
        members: dict[str, list] = defaultdict(list)
        for span in spans:
            members[self.entities[span].cluster].append(span)
        head_of = {}
        for cluster, group in members.items():
            head = old_span.get(cluster, group[0])
            for span in group:
                head_of[span] = head
        mentions = [Mention(ids[span], *span, self.entities[span].label, cluster=ids[head_of[span]])
                    for span in spans]
        self._check_sources(mentions, {q["speaker"] for q in self.quotes.values()}, ids)

        def mention_id(span, what):
            if span not in ids:
                raise ValueError(f"{self.base.doc_id}: {what} points at {span} "
                                 f"{self.text[span[0]:span[1]]!r}, which is not a gold mention "
                                 "(fix: decide that mention, or the reference, in adjudication.jsonl)")
            return ids[span]

        quotes, qid = [], {}
        for i, span in enumerate(sorted(self.quotes)):
            q = self.quotes[span]
            qid[span] = f"q{i + 1}"
            speaker = None if q["speaker"] is None else mention_id(q["speaker"], f"quote {span} speaker")
            quotes.append(
                Quote(qid[span], *span, q["kind"], cue=None if q["cue"] is None else Span(*q["cue"]),
                      speaker=speaker, speaker_elided=q["elided"] and speaker is not None)
            )
        stances = []
        for holder in sorted(self.stances, key=lambda h: (h == "article", str(h))):
            s = self.stances[holder]
            if holder != "article" and holder not in qid:
                continue
            hid = "article" if holder == "article" else qid[holder]
            tm = None if s["tm"] is None else mention_id(s["tm"], f"stance {holder} target_mention")
            stances.append(Stance(f"st-{hid}", hid, s["target"], s["label"], tm))
        return self.base.replace(
            entities=tuple(mentions), quotes=tuple(quotes), stances=tuple(stances), provenance=provenance
        )

    def _check_sources(self, mentions: Sequence, speakers: set, ids: Mapping[tuple[int, int], str]) -> None:
        """Every source cluster of the gold speaks a quote (guidelines §5.7), else a named error."""
        spoken = {m.cluster for m in mentions if (m.start, m.end) in speakers}
        for m in mentions:
            if self._is_source(m.label) and m.cluster not in spoken:
                raise ValueError(f"{self.base.doc_id}: the source {self.text[m.start:m.end]!r} [{m.start}, {m.end}) "
                                 "speaks no gold quote; a source is annotated only as a speaker (guidelines §5.7) "
                                 "(fix: decide the source at that span null, or a quote speaker to it)")



def apply_decisions(articles: Sequence, conflicts: Sequence, decisions: Mapping[tuple, dict], lead: str,
                    union_stances_from: str | None, *, lead_decides_the_rest: bool = True, schema: Any = None):
    """Gold articles: the lead's article, every reviewed conflict decided by the reviewer, the other
    conflicts by the lead rule, plus (when ``union_stances_from``) that annotator's unopposed stances.

    With ``lead_decides_the_rest=False`` every conflict must have a decision (:class:`DecisionError`
    lists the undecided ones); the lead's article is then only the starting point.
    Returns ``(gold, ledger)``; the ledger lists each conflict with ``reviewed`` or ``ruled``.
    ``schema`` (default Khabar's) says which mention labels are sources.
    """
    from benchmark.model import Provenance

    if not lead_decides_the_rest:
        missing = undecided_conflicts(conflicts, decisions)
        if missing:
            listed = "\n  ".join(f"{c.doc_id} {c.layer} [{c.start}, {c.end})" for c in missing[:20])
            raise DecisionError(f"{len(missing)} conflict(s) have no decision (fix: add a line with a decision and "
                                f"a reason to the decisions file for each), e.g.:\n  {listed}")

    by_doc: dict[str, dict[str, Any]] = defaultdict(dict)
    for article in articles:
        by_doc[article.doc_id][article.provenance.annotator] = article
    per_doc_conflicts: dict[str, list] = defaultdict(list)
    for conflict in conflicts:
        per_doc_conflicts[conflict.doc_id].append(conflict)
    gold, ledger = [], []
    order = list(LAYER_ORDER)
    for doc_id in sorted(by_doc):
        builder = GoldBuilder(by_doc[doc_id], lead, schema)
        todo = sorted(per_doc_conflicts[doc_id], key=lambda c: order.index(c.layer) if c.layer in order else 99)
        for conflict in todo:
            decision = decisions.get(conflict_key(conflict))
            span = None if conflict.start is None else (conflict.start, conflict.end)
            if decision is not None:
                builder.apply(conflict.layer, span, decision["decision"])
                ledger.append({"conflict": conflict.to_dict(), "by": "reviewed", "decision": decision["decision"]})
            else:
                ledger.append({"conflict": conflict.to_dict(), "by": "ruled",
                               "decision": f"lead {lead}: {json.dumps(conflict.votes.get(lead), ensure_ascii=False)}"})
        added = builder.add_unopposed_stances(union_stances_from) if union_stances_from else 0
        annotators = sorted(by_doc[doc_id])
        provenance = Provenance(
            annotator=("adjudicated:reviewer+lead:" if lead_decides_the_rest else "adjudicated:reviewer;base:")
            + lead,
            annotation_ids=tuple(i for a in annotators for i in by_doc[doc_id][a].provenance.annotation_ids),
            guidelines_version=by_doc[doc_id][lead].provenance.guidelines_version,
            source=by_doc[doc_id][lead].provenance.source,
        )
        gold.append(builder.article(provenance))
        if added:
            ledger.append({"doc_id": doc_id, "by": "ruled", "decision": f"{added} unopposed stance(s) of "
                           f"{union_stances_from} added (union rule)"})
    return gold, ledger


def textless_conflict(conflict) -> dict[str, Any]:
    """A conflict without corpus text: offsets, votes (speaker votes as spans), resolution."""
    row = conflict.to_dict()
    surface = row.pop("surface")
    if row["layer"] == "coreference":
        row["pair"] = [[int(a), int(b)] for a, b in re.findall(r"\[(\d+), (\d+)\)", surface)]
    row["votes"] = {
        who: (vote["span"] if isinstance(vote, dict) and "span" in vote else vote)
        for who, vote in row["votes"].items()
    }
    return row


def conflicts_markdown(rows: Sequence[Mapping[str, Any]], *, title: str = "Khabar v0.1",
                       annotators: Sequence[str] = ("annotator-a", "annotator-b"),
                       docs: str = "docs/corpus-v0.1.md") -> str:
    """The committed conflict report: one table row per conflict, offsets only (no corpus text)."""
    by_layer = Counter(row["layer"] for row in rows)
    names = [name.split("@")[0] for name in annotators]
    lines = [
        f"# {title} — adjudication conflicts ({' × '.join(names)})",
        "",
        f"{len(rows)} conflict(s) found by `benchmark.studio.adjudicate` (rule majority = unanimous for two "
        "annotators): " + ", ".join(f"{layer} {n}" for layer, n in sorted(by_layer.items())) + ".",
        "Offsets only (the SaudiNewsNet text is not ours to commit): rehydrate the passes and run",
        f"`khabar annotate adjudicate` for the report with the text ({docs}). Each conflict's",
        "decision and reason are in `adjudication.jsonl`.",
        "",
        "| doc_id | layer | offsets | " + " | ".join(names) + " |",
        "|---|---|---|" + "---|" * len(names),
    ]
    for row in rows:
        offsets = "" if row["start"] is None else f"[{row['start']}, {row['end']})"
        if row.get("pair"):
            offsets = " ~ ".join(f"[{a}, {b})" for a, b in row["pair"])
        votes = [json.dumps(row["votes"].get(email_of(name)), ensure_ascii=False).replace("|", "/")
                 for name in annotators]
        lines.append(f"| `{row['doc_id']}` | {row['layer']} | {offsets} | " + " | ".join(votes) + " |")
    return "\n".join(lines) + "\n"


