"""Inter-annotator agreement per layer (open-source Label Studio has none: DESIGN §6).

Annotators are compared on the documents both annotated (pairs), or all annotated (Fleiss).

- **Entities** — span F1 between two annotators (symmetric: F1 does not depend on which one is
  the reference). *strict*: same ``(start, end, label)``; *partial*: same label and overlapping
  spans, matched one-to-one (greedy by overlap length, then position). Also per label (strict).
  Over the schema's **entity labels only**, so the figure stays comparable with v0.1.
- **Sources** — the ``SOURCE`` mentions (``schema.source_labels``, guidelines 2.0 §5.7): their own
  span F1, strict and partial, beside the entity F1.
- **Quotes** — quote span F1, *strict* ``(start, end)`` and *partial* (overlap, one-to-one);
  on strictly matched quote pairs: kind agreement and **speaker agreement**. Two speakers agree
  when both are ``None``, or when the two speaker *clusters* share a surface span: the set of
  ``(start, end)`` of all mentions in A's speaker cluster intersects B's. So ``بوتين`` and
  ``الرئيس الروسي`` agree when either annotator joined them with ``same_entity`` and the other
  picked any mention of that cluster (DESIGN §2: speakers are scored by cluster). Speaker
  agreement is also given by speaker type: ``entity``, ``source`` (a ``SOURCE`` cluster) and
  ``none``; a quote pair counts under the type of each annotator's speaker (a pair where one
  picked an entity and the other a source counts under both, as a disagreement).
- **Stance** — nominal labels on *items*: the article (``(doc_id, "article")``) and each quote,
  identified by its span (``(doc_id, start, end)``), so ids may differ between annotators. An item
  an annotator did not label is missing. Cohen's kappa per pair (items both labelled), Fleiss'
  kappa over items labelled by every annotator, Krippendorff's alpha (nominal) over every item
  with at least two labels.
- **Against gold** (optional): the same entity/quote/speaker/stance figures per annotator against
  the adjudicated gold articles, per label.

The coefficients are implemented with numpy and tested against published worked examples
(Krippendorff 2011, the Fleiss kappa example on Wikipedia) and scikit-learn.

>>> round(cohen_kappa(["a", "a", "b", "b"], ["a", "b", "b", "b"]), 3)
0.5
>>> round(krippendorff_alpha([[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]), 3)
0.095
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from benchmark.model import Article, Quote
from benchmark.schema import KHABAR, LabelSchema

__all__ = [
    "AgreementReport",
    "SpanScores",
    "agreement_report",
    "cohen_kappa",
    "entity_scores",
    "fleiss_kappa",
    "krippendorff_alpha",
    "quote_scores",
    "speaker_type",
    "speakers_agree",
    "stance_items",
]

# --------------------------------------------------------------------------- coefficients


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's kappa of two raters' labels on the same items (``nan`` when undefined: no items,
    or both raters used one and the same label throughout)."""
    if len(a) != len(b):
        raise ValueError(f"cohen_kappa needs two equally long label lists, got {len(a)} and {len(b)}")
    if not a:
        return math.nan
    labels = sorted(set(a) | set(b), key=str)
    index = {label: i for i, label in enumerate(labels)}
    table = np.zeros((len(labels), len(labels)))
    for x, y in zip(a, b, strict=True):
        table[index[x], index[y]] += 1
    total = table.sum()
    observed = np.trace(table) / total
    expected = float((table.sum(axis=1) @ table.sum(axis=0)) / total**2)
    if expected == 1.0:
        return math.nan
    return float((observed - expected) / (1 - expected))


def fleiss_kappa(counts: Sequence[Sequence[int]] | np.ndarray) -> float:
    """Fleiss' kappa from an items × categories table of rating counts (same number of raters per item)."""
    table = np.asarray(counts, dtype=float)
    if table.ndim != 2 or table.shape[0] == 0:
        return math.nan
    raters = table.sum(axis=1)
    if not np.all(raters == raters[0]) or raters[0] < 2:
        raise ValueError("fleiss_kappa needs the same number (≥ 2) of ratings for every item")
    n = raters[0]
    per_item = (np.square(table).sum(axis=1) - n) / (n * (n - 1))
    p_bar = per_item.mean()
    shares = table.sum(axis=0) / table.sum()
    p_e = float(np.square(shares).sum())
    if p_e == 1.0:
        return math.nan
    return float((p_bar - p_e) / (1 - p_e))


def krippendorff_alpha(data: Sequence[Sequence[Any]]) -> float:
    """Krippendorff's alpha, nominal, from a raters × units table; ``None``/``nan`` = missing.

    Any number of raters; units with fewer than two values are not pairable and are ignored.
    """

    def missing(value: Any) -> bool:
        return value is None or (isinstance(value, float) and math.isnan(value))

    rows = [list(row) for row in data]
    if not rows:
        return math.nan
    width = len(rows[0])
    if any(len(row) != width for row in rows):
        raise ValueError(
            "krippendorff_alpha needs one row per rater, all of the same length (one column per unit)"
        )
    values = sorted({v for row in rows for v in row if not missing(v)}, key=str)
    index = {v: i for i, v in enumerate(values)}
    coincidence = np.zeros((len(values), len(values)))
    for unit in range(width):
        present = [index[row[unit]] for row in rows if not missing(row[unit])]
        m = len(present)
        if m < 2:
            continue
        counts = np.bincount(present, minlength=len(values)).astype(float)
        coincidence += (np.outer(counts, counts) - np.diag(counts)) / (m - 1)
    n_c = coincidence.sum(axis=1)
    n = n_c.sum()
    if n <= 1:
        return math.nan
    disagree_observed = coincidence.sum() - np.trace(coincidence)
    disagree_expected = (n_c.sum() ** 2 - np.square(n_c).sum()) / (n - 1)
    if disagree_expected == 0:
        return math.nan
    return float(1 - disagree_observed / disagree_expected)


# --------------------------------------------------------------------------- span matching


@dataclass(slots=True)
class SpanScores:
    """Counts and F1 of one comparison: ``a`` items, ``b`` items, ``matched`` one-to-one."""

    a: int = 0
    b: int = 0
    matched: int = 0

    def add(self, other: SpanScores) -> None:
        self.a += other.a
        self.b += other.b
        self.matched += other.matched

    @property
    def f1(self) -> float:
        total = self.a + self.b
        return 2 * self.matched / total if total else math.nan

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "matched": self.matched, "f1": _round(self.f1)}


def _match_overlap(
    a: Sequence[tuple[int, int, Any]], b: Sequence[tuple[int, int, Any]]
) -> list[tuple[int, int]]:
    """One-to-one matching of overlapping spans with equal keys (3rd item), greedy by overlap size."""
    candidates = []
    for i, (sa, ea, ka) in enumerate(a):
        for j, (sb, eb, kb) in enumerate(b):
            overlap = min(ea, eb) - max(sa, sb)
            if overlap > 0 and ka == kb:
                candidates.append((-overlap, sa, sb, i, j))
    candidates.sort()
    used_a, used_b, pairs = set(), set(), []
    for _, _, _, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return pairs


def _strict(a: Iterable[Hashable], b: Iterable[Hashable]) -> SpanScores:
    ca, cb = Counter(a), Counter(b)
    return SpanScores(sum(ca.values()), sum(cb.values()), sum((ca & cb).values()))


SPEAKER_TYPES = ("entity", "source", "none")


def entity_scores(a: Article, b: Article, schema: LabelSchema = KHABAR) -> dict[str, Any]:
    """Strict and partial entity span agreement of two annotations of one document, and per label,
    over the entity mentions only; ``source``: the same (strict, partial) for the source mentions."""
    sources = set(schema.source_labels)
    ka = [(m.start, m.end, m.label) for m in a.entities if m.label not in sources]
    kb = [(m.start, m.end, m.label) for m in b.entities if m.label not in sources]
    sa = [(m.start, m.end, m.label) for m in a.entities if m.label in sources]
    sb = [(m.start, m.end, m.label) for m in b.entities if m.label in sources]
    per_label = {
        label: _strict([k for k in ka if k[2] == label], [k for k in kb if k[2] == label])
        for label in sorted({k[2] for k in ka + kb})
    }
    return {
        "strict": _strict(ka, kb),
        "partial": SpanScores(len(ka), len(kb), len(_match_overlap(ka, kb))),
        "per_label": per_label,
        "source": {"strict": _strict(sa, sb), "partial": SpanScores(len(sa), len(sb), len(_match_overlap(sa, sb)))},
    }


def _speaker_spans(article: Article, quote: Quote) -> frozenset[tuple[int, int]] | None:
    if quote.speaker is None:
        return None
    cluster = article.mention(quote.speaker).cluster
    return frozenset((m.start, m.end) for m in article.entities if m.cluster == cluster)


def speakers_agree(a: Article, qa: Quote, b: Article, qb: Quote) -> bool:
    """Both speakers ``None``, or their entity clusters share a surface span (see module docstring)."""
    sa, sb = _speaker_spans(a, qa), _speaker_spans(b, qb)
    if sa is None or sb is None:
        return sa is None and sb is None
    return bool(sa & sb)


def speaker_type(article: Article, quote: Quote, schema: LabelSchema = KHABAR) -> str:
    """``"none"`` (no speaker), ``"source"`` (a source mention, e.g. ``SOURCE``) or ``"entity"``."""
    if quote.speaker is None:
        return "none"
    return "source" if article.mention(quote.speaker).label in schema.source_labels else "entity"


def quote_scores(a: Article, b: Article, schema: LabelSchema = KHABAR) -> dict[str, Any]:
    """Quote span agreement (strict/partial) and, on strictly matched quotes, kind and speaker
    agreement, overall and by speaker type (``speaker_by_type``: type → [pairs, agreeing])."""
    spans_a = [(q.start, q.end, None) for q in a.quotes]
    spans_b = [(q.start, q.end, None) for q in b.quotes]
    strict = _strict([(q.start, q.end) for q in a.quotes], [(q.start, q.end) for q in b.quotes])
    partial = SpanScores(len(spans_a), len(spans_b), len(_match_overlap(spans_a, spans_b)))
    by_span = {(q.start, q.end): q for q in b.quotes}
    kind = speaker = pairs = 0
    by_type = {t: [0, 0] for t in SPEAKER_TYPES}
    for qa in a.quotes:
        qb = by_span.get((qa.start, qa.end))
        if qb is None:
            continue
        pairs += 1
        kind += qa.kind == qb.kind
        agree = speakers_agree(a, qa, b, qb)
        speaker += agree
        for t in {speaker_type(a, qa, schema), speaker_type(b, qb, schema)}:
            by_type[t][0] += 1
            by_type[t][1] += agree
    return {
        "strict": strict,
        "partial": partial,
        "matched_pairs": pairs,
        "kind_agree": kind,
        "speaker_agree": speaker,
        "speaker_by_type": by_type,
    }


def stance_items(article: Article) -> dict[tuple, str]:
    """Stance item key → label: ``(doc_id, "article")`` and ``(doc_id, start, end)`` per quote."""
    quotes = {q.id: q for q in article.quotes}
    items: dict[tuple, str] = {}
    for stance in article.stances:
        if stance.holder == "article":
            items[(article.doc_id, "article")] = stance.label
        elif stance.holder in quotes:
            quote = quotes[stance.holder]
            items[(article.doc_id, quote.start, quote.end)] = stance.label
    return items


# --------------------------------------------------------------------------- report


def _round(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 4)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else math.nan


@dataclass(slots=True)
class AgreementReport:
    """Agreement figures: per annotator pair, across all annotators (stance), and against gold."""

    annotators: list[str]
    documents: dict[str, int]
    pairs: list[dict[str, Any]] = field(default_factory=list)
    stance: dict[str, Any] = field(default_factory=dict)
    against_gold: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "annotators": self.annotators,
            "documents": self.documents,
            "pairs": self.pairs,
            "stance": self.stance,
            "against_gold": self.against_gold,
        }

    def format_table(self) -> str:
        """A plain-text table for the terminal."""

        def f(value: Any) -> str:
            return "   -  " if value is None else f"{value:6.3f}"

        lines = [f"annotators: {', '.join(f'{a} ({self.documents[a]} docs)' for a in self.annotators)}", ""]
        header = (
            f"{'pair':<44} {'docs':>5} {'ent-F1':>6} {'ent-pF1':>7} {'quo-F1':>6} {'quo-pF1':>7} "
            f"{'kind':>6} {'spkr':>6} {'st-κ':>6}"
        )
        lines += [header, "-" * len(header)]
        for pair in self.pairs:
            name = f"{pair['a']} × {pair['b']}"
            lines.append(
                f"{name[:44]:<44} {pair['documents']:>5} {f(pair['entities']['strict']['f1'])} "
                f"{f(pair['entities']['partial']['f1']):>7} {f(pair['quotes']['strict']['f1'])} "
                f"{f(pair['quotes']['partial']['f1']):>7} {f(pair['quotes']['kind_agreement'])} "
                f"{f(pair['quotes']['speaker_agreement'])} {f(pair['stance']['cohen_kappa'])}"
            )
        st = self.stance
        lines += [
            "",
            f"stance: Fleiss κ {f(st.get('fleiss_kappa'))} on {st.get('fleiss_items', 0)} item(s) "
            f"labelled by all; Krippendorff α (nominal) {f(st.get('krippendorff_alpha'))} on "
            f"{st.get('alpha_items', 0)} item(s)",
        ]
        if self.pairs:
            lines += ["", "SOURCE span F1 (strict/partial) and speaker agreement by speaker type (pairs):"]
            for pair in self.pairs:
                lines.append(f"  {pair['a']} × {pair['b']}: {_source_line(pair)}")
            lines += ["", "entity strict F1 per label (pairs):"]
            for pair in self.pairs:
                per = ", ".join(
                    f"{label} {f(s['f1']).strip()}" for label, s in pair["entities"]["per_label"].items()
                )
                lines.append(f"  {pair['a']} × {pair['b']}: {per}")
        if self.against_gold:
            lines += [
                "",
                f"{'annotator vs gold':<44} {'docs':>5} {'ent-F1':>6} {'quo-F1':>6} {'spkr':>6} "
                f"{'st-acc':>6} {'st-κ':>6}",
            ]
            for row in self.against_gold:
                lines.append(
                    f"{row['annotator'][:44]:<44} {row['documents']:>5} "
                    f"{f(row['entities']['strict']['f1'])} {f(row['quotes']['strict']['f1'])} "
                    f"{f(row['quotes']['speaker_agreement'])} {f(row['stance']['accuracy'])} "
                    f"{f(row['stance']['cohen_kappa'])}"
                )
                per = ", ".join(
                    f"{label} {f(s['f1']).strip()}" for label, s in row["entities"]["per_label"].items()
                )
                lines.append(f"  per label: {per}")
                lines.append(f"  {_source_line(row)}")
        return "\n".join(lines)


def _source_line(row: Mapping[str, Any]) -> str:
    """SOURCE span F1 and speaker agreement by type, for the terminal table."""

    def f(value: Any) -> str:
        return "-" if value is None else f"{value:.3f}"

    src = row["sources"]
    by_type = ", ".join(f"{t} {f(v['agreement'])} ({v['pairs']})" for t, v in row["quotes"]["speaker_by_type"].items())
    return (f"SOURCE F1 {f(src['strict']['f1'])}/{f(src['partial']['f1'])}; "
            f"speaker agreement by type (quote pairs): {by_type}")


def _compare(
    docs_a: Mapping[str, Article], docs_b: Mapping[str, Article], schema: LabelSchema = KHABAR
) -> dict[str, Any]:
    """Entity, source, quote and stance figures of two annotators over the documents both annotated."""
    shared = sorted(set(docs_a) & set(docs_b))
    ent = {"strict": SpanScores(), "partial": SpanScores()}
    src = {"strict": SpanScores(), "partial": SpanScores()}
    by_type = {t: [0, 0] for t in SPEAKER_TYPES}
    per_label: dict[str, SpanScores] = defaultdict(SpanScores)
    quo = {"strict": SpanScores(), "partial": SpanScores()}
    pairs = kind = speaker = 0
    labels_a: list[str] = []
    labels_b: list[str] = []
    stance_items_a = stance_items_b = 0
    for doc in shared:
        a, b = docs_a[doc], docs_b[doc]
        e = entity_scores(a, b, schema)
        ent["strict"].add(e["strict"])
        ent["partial"].add(e["partial"])
        src["strict"].add(e["source"]["strict"])
        src["partial"].add(e["source"]["partial"])
        for label, scores in e["per_label"].items():
            per_label[label].add(scores)
        q = quote_scores(a, b, schema)
        for t, (n, agreeing) in q["speaker_by_type"].items():
            by_type[t][0] += n
            by_type[t][1] += agreeing
        quo["strict"].add(q["strict"])
        quo["partial"].add(q["partial"])
        pairs += q["matched_pairs"]
        kind += q["kind_agree"]
        speaker += q["speaker_agree"]
        sa, sb = stance_items(a), stance_items(b)
        stance_items_a += len(sa)
        stance_items_b += len(sb)
        for key in sorted(set(sa) & set(sb), key=str):
            labels_a.append(sa[key])
            labels_b.append(sb[key])
    agree = sum(x == y for x, y in zip(labels_a, labels_b, strict=True))
    return {
        "documents": len(shared),
        "entities": {
            "strict": ent["strict"].to_dict(),
            "partial": ent["partial"].to_dict(),
            "per_label": {k: v.to_dict() for k, v in sorted(per_label.items())},
        },
        "sources": {"strict": src["strict"].to_dict(), "partial": src["partial"].to_dict()},
        "quotes": {
            "strict": quo["strict"].to_dict(),
            "partial": quo["partial"].to_dict(),
            "matched_pairs": pairs,
            "kind_agreement": _round(_ratio(kind, pairs)),
            "speaker_agreement": _round(_ratio(speaker, pairs)),
            "speaker_by_type": {
                t: {"pairs": n, "agree": agreeing, "agreement": _round(_ratio(agreeing, n))}
                for t, (n, agreeing) in by_type.items()
            },
        },
        "stance": {
            "items_a": stance_items_a,
            "items_b": stance_items_b,
            "items_both": len(labels_a),
            "accuracy": _round(_ratio(agree, len(labels_a))),
            "cohen_kappa": _round(cohen_kappa(labels_a, labels_b)),
        },
    }


def agreement_report(
    by_annotator: Mapping[str, Iterable[Article]],
    *,
    gold: Iterable[Article] | None = None,
    schema: LabelSchema = KHABAR,
) -> AgreementReport:
    """Agreement between annotators (``annotator → articles``), and of each against ``gold`` if given
    (``schema.source_labels`` say which mentions are sources, scored apart from the entities).

    Raises ``ValueError`` when one annotator has two articles for the same doc_id.
    """
    docs: dict[str, dict[str, Article]] = {}
    for annotator, articles in by_annotator.items():
        docs[annotator] = {}
        for article in articles:
            if article.doc_id in docs[annotator]:
                raise ValueError(
                    f"{article.doc_id}: annotator {annotator!r} has two annotations of this document "
                    "(fix: delete one in Label Studio, or pass one per annotator)"
                )
            docs[annotator][article.doc_id] = article
    annotators = sorted(docs)
    report = AgreementReport(annotators=annotators, documents={a: len(docs[a]) for a in annotators})
    for a, b in itertools.combinations(annotators, 2):
        report.pairs.append({"a": a, "b": b, **_compare(docs[a], docs[b], schema)})

    items = sorted(
        {key for a in annotators for doc in docs[a].values() for key in stance_items(doc)}, key=str
    )
    labels = {a: {k: v for doc in docs[a].values() for k, v in stance_items(doc).items()} for a in annotators}
    table = [[labels[a].get(key) for key in items] for a in annotators]
    categories = sorted({v for row in table for v in row if v is not None})
    complete = [i for i in range(len(items)) if all(row[i] is not None for row in table)]
    fleiss = math.nan
    if len(annotators) >= 2 and complete:
        counts = [[sum(row[i] == c for row in table) for c in categories] for i in complete]
        fleiss = fleiss_kappa(counts)
    pairable = sum(1 for i in range(len(items)) if sum(row[i] is not None for row in table) >= 2)
    report.stance = {
        "items": len(items),
        "categories": categories,
        "fleiss_items": len(complete),
        "fleiss_kappa": _round(fleiss),
        "alpha_items": pairable,
        "krippendorff_alpha": _round(krippendorff_alpha(table) if len(annotators) >= 2 else math.nan),
    }
    if gold is not None:
        gold_docs = {article.doc_id: article for article in gold}
        for annotator in annotators:
            report.against_gold.append({"annotator": annotator, **_compare(docs[annotator], gold_docs, schema)})
    return report
