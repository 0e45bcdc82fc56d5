"""Which articles a round annotates: a seeded, documented rule, and its selection file.

The rule (:data:`RULE`, recorded with its parameters in the output so anyone can re-run it):

1. **eligible**: an article of the corpus whose text is ``min_chars``–``max_chars`` code points
   long, with at least ``min_quote_cues`` speech-verb cues (:data:`CUES`, with proclitics) and,
   when ``direct_quote``, one cue followed by a quotation mark within 80 characters;
   already-annotated documents (``exclude`` stand-offs) are never eligible. An outlet with fewer
   than ``floor`` such articles is **topped up** to ``floor`` from its articles within the length
   bounds that have at least one cue (best-ranked first), so that every outlet is represented;
2. **near-duplicates**: the eligible articles and the already-annotated ones are clustered with
   the release's MinHash index (:class:`benchmark.release.dedup.NearDuplicateIndex`, its default
   :class:`DedupConfig`: Jaccard ≥ 0.8 on word 5-shingles, exact duplicates always). A cluster
   holding an annotated document is dropped whole; any other cluster keeps only its best-ranked
   member (an eligible one before a top-up one, then by rank = ``sha256(seed + doc_id)``), so no
   two selected articles are near-duplicates;
3. **quota per outlet**: every outlet with an article left gets ``floor`` of them (or all it has),
   the rest of ``n`` is shared in proportion to what each outlet has left (largest remainder;
   ties by outlet name), never more than an outlet has;
4. inside an outlet the best-ranked articles are taken.

The selection holds doc_ids, outlets, lengths and SHA-256 digests of the exact texts — no text
(SaudiNewsNet is CC BY-NC-SA 4.0): :func:`load_selection` reads the texts back from the user's
copy and refuses any that differ. Same corpus, parameters and seed → the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchmark.model import Article

__all__ = [
    "CUES",
    "RULE",
    "SELECTION_FORMAT",
    "SelectionError",
    "SelectionRule",
    "annotated_hashes",
    "check_against_selection",
    "load_selection",
    "outlet_quotas",
    "select_articles",
    "write_selection",
]

SELECTION_FORMAT = "khabar-selection-1"
CUES = "قال|أكد|أضاف|أوضح|صرح|أشار|تابع|ذكر|اعتبر|أعلن"
CUE_RE = re.compile(rf"(?<![\w])(?:و|ف)?(?:{CUES})(?:ت|وا)?(?![\w])")
DIRECT_RE = re.compile(rf"(?<![\w])(?:و|ف)?(?:{CUES})(?:ت|وا)?[^\n\"«“]{{0,80}}[\"«“]")
RULE = (
    "eligible: min_chars <= length <= max_chars, >= min_quote_cues speech-verb cues (and, with direct_quote, "
    "a cue followed by \" « or “ within 80 characters), not already annotated; an outlet with fewer than floor "
    "of them is topped up to floor from its articles within the length bounds with >= 1 cue; near-duplicates "
    "(MinHash LSH, benchmark.release.dedup) clustered with the annotated documents: a cluster holding one is "
    "dropped, any other keeps its best-ranked member (eligible before top-up); rank = sha256(seed + doc_id); "
    "quota per outlet = floor (or all it has) + the rest of n in proportion to what it has left (largest "
    "remainder, ties by name); best-ranked first inside an outlet"
)


class SelectionError(ValueError):
    """A selection that cannot be made or loaded; the message names the item and the fix."""


@dataclass(frozen=True)
class SelectionRule:
    """The parameters of the rule (all recorded in the selection file)."""

    n: int
    seed: str
    min_chars: int = 900
    max_chars: int = 2600
    min_quote_cues: int = 3
    direct_quote: bool = True
    floor: int = 5

    def __post_init__(self) -> None:
        if self.n < 1:
            raise SelectionError(f"n = {self.n}: select at least one article")
        if not 0 <= self.min_chars <= self.max_chars:
            raise SelectionError(f"length bounds {self.min_chars}..{self.max_chars}: need 0 <= min <= max")
        if self.min_quote_cues < 0 or self.floor < 0:
            raise SelectionError("min_quote_cues and floor must be >= 0")


@dataclass
class _Pool:
    """What the corpus scan found: candidates per outlet, annotated texts, counts."""

    candidates: dict[str, Article] = field(default_factory=dict)
    top_up: dict[str, Article] = field(default_factory=dict)
    annotated: dict[str, Article] = field(default_factory=dict)
    corpus_per_outlet: Counter = field(default_factory=Counter)
    eligible_per_outlet: Counter = field(default_factory=Counter)
    considered: int = 0


def rank_of(seed: str, doc_id: str) -> str:
    """The seeded rank of a document (smaller first)."""
    return hashlib.sha256(f"{seed}{doc_id}".encode()).hexdigest()


def _eligible(article: Article, rule: SelectionRule) -> bool:
    text = article.text
    if not rule.min_chars <= len(text) <= rule.max_chars:
        return False
    if len(CUE_RE.findall(text)) < rule.min_quote_cues:
        return False
    return not rule.direct_quote or bool(DIRECT_RE.search(text))


def _scan(corpus: Iterable[Article], rule: SelectionRule, annotated_sha: Mapping[str, str]) -> _Pool:
    from benchmark.standoff import sha256_text

    pool = _Pool()
    for article in corpus:
        pool.considered += 1
        outlet = article.source or "unknown"
        pool.corpus_per_outlet[outlet] += 1
        if article.doc_id in annotated_sha:
            if sha256_text(article.text) != annotated_sha[article.doc_id]:
                raise SelectionError(
                    f"{article.doc_id}: your copy's text differs from the annotated stand-off's text_sha256 "
                    "(fix: use the corpus copy the annotations were made on)")
            pool.annotated[article.doc_id] = article
        elif _eligible(article, rule):
            pool.eligible_per_outlet[outlet] += 1
            pool.candidates[article.doc_id] = article
        elif rule.min_chars <= len(article.text) <= rule.max_chars and CUE_RE.search(article.text):
            pool.top_up[article.doc_id] = article
    missing = sorted(set(annotated_sha) - set(pool.annotated))
    if missing:
        raise SelectionError(
            f"{len(missing)} annotated document(s) are not in the corpus, e.g. {missing[:3]} "
            "(fix: point --corpus to the corpus the --exclude-standoff files were annotated on)")
    return pool


def _deduplicate(pool: _Pool, seed: str) -> tuple[list[Article], Counter, Any, set]:
    """One best-ranked representative per near-duplicate cluster, clusters with an annotated doc dropped.

    Returns the kept candidates (best rank first), the drop counts, the index and the keys a top-up
    article must not be near (annotated documents, their clusters' candidates, the kept ones).
    """
    from benchmark.release.dedup import DedupConfig, NearDuplicateIndex

    index = NearDuplicateIndex(DedupConfig())
    for doc_id in sorted(pool.annotated):
        index.add(("annotated", doc_id), pool.annotated[doc_id].text)
    ranked = sorted(pool.candidates, key=lambda d: rank_of(seed, d))
    for doc_id in ranked:
        index.add(("candidate", doc_id), pool.candidates[doc_id].text)
    parent: dict[Any, Any] = {}

    def find(node: Any) -> Any:
        while parent.get(node, node) != node:
            node = parent[node]
        return node

    for pair in index.pairs():
        a, b = find(pair.first), find(pair.second)
        if a != b:
            parent[max(a, b)] = min(a, b)
    clusters: dict[Any, list[tuple[str, str]]] = defaultdict(list)
    for key in [("annotated", d) for d in sorted(pool.annotated)] + [("candidate", d) for d in ranked]:
        clusters[find(key)].append(key)
    kept, dropped, blocked = [], Counter(), set()
    for members in clusters.values():
        candidates = [doc_id for kind, doc_id in members if kind == "candidate"]
        if len(candidates) < len(members):
            dropped["near-duplicate of an annotated document"] += len(candidates)
            blocked.update(members)
            continue
        kept.append(candidates[0])  # members are in rank order
        blocked.add(("candidate", candidates[0]))
        dropped["near-duplicate of a better-ranked candidate"] += len(candidates) - 1
    kept.sort(key=lambda d: rank_of(seed, d))
    return [pool.candidates[d] for d in kept], +dropped, index, blocked


def _top_up(pool: _Pool, by_outlet: dict[str, list[Article]], floor: int, seed: str, index: Any,
            blocked: set) -> Counter:
    """Fill each outlet with fewer than ``floor`` articles from its top-up pool (best rank first),
    skipping any article near one already blocked or taken; returns the top-ups per outlet."""
    outlets = set(pool.corpus_per_outlet)
    short = {o for o in outlets if len(by_outlet.get(o, [])) < floor}
    added: Counter = Counter()
    for doc_id in sorted((d for d, a in pool.top_up.items() if (a.source or "unknown") in short),
                         key=lambda d: rank_of(seed, d)):
        article = pool.top_up[doc_id]
        outlet = article.source or "unknown"
        if len(by_outlet.get(outlet, [])) >= floor:
            continue
        key = ("top-up", doc_id)
        index.add(key, article.text)
        if any(other in blocked for other, _, _ in index.neighbours(key)):
            continue
        blocked.add(key)
        by_outlet.setdefault(outlet, []).append(article)
        added[outlet] += 1
    return added


def outlet_quotas(available: Mapping[str, int], n: int, floor: int) -> dict[str, int]:
    """How many articles each outlet gives: ``floor`` (or all it has), the rest in proportion to
    ``available`` by largest remainder (ties by outlet name), capped by what each has.

    >>> outlet_quotas({"a": 100, "b": 10, "c": 1}, 20, 2)
    {'a': 17, 'b': 2, 'c': 1}
    """
    total = sum(available.values())
    if n > total:
        raise SelectionError(f"n = {n} but only {total} article(s) are left after the rule "
                             "(fix: a smaller --n, or wider length bounds / fewer required cues)")
    quotas = {o: min(floor, k) for o, k in available.items() if k > 0}
    if sum(quotas.values()) > n:
        raise SelectionError(f"n = {n} cannot give each of the {len(quotas)} outlet(s) its floor of {floor} "
                             f"({sum(quotas.values())} needed; fix: a larger --n or a smaller --floor)")
    ideal = {o: n * available[o] / total for o in quotas}
    while sum(quotas.values()) < n:
        room = [o for o in sorted(quotas) if quotas[o] < available[o]]
        best = max(room, key=lambda o: (ideal[o] - quotas[o], -sorted(quotas).index(o)))
        quotas[best] += 1
    return dict(sorted(quotas.items()))


def select_articles(corpus: Iterable[Article], rule: SelectionRule, *, corpus_name: str = "saudinewsnet",
                    annotated: Mapping[str, str] | None = None,
                    exclude_sources: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """The selection (a JSON-ready dict, no text) of ``rule.n`` articles of ``corpus`` by :data:`RULE`.

    ``annotated`` maps already-annotated doc_ids to their text SHA-256 (from stand-offs): they are
    checked against the corpus, never selected, and their near-duplicates are excluded.
    ``exclude_sources`` describes where they came from (recorded as is).
    """
    from benchmark.release.dedup import DedupConfig
    from benchmark.standoff import sha256_text

    pool = _scan(corpus, rule, annotated or {})
    kept, dropped, index, blocked = _deduplicate(pool, rule.seed)
    by_outlet: dict[str, list[Article]] = defaultdict(list)
    for article in kept:
        by_outlet[article.source or "unknown"].append(article)
    eligible_left = {o: len(a) for o, a in by_outlet.items()}
    topped_up = _top_up(pool, by_outlet, rule.floor, rule.seed, index, blocked)
    quotas = outlet_quotas({o: len(a) for o, a in by_outlet.items()}, rule.n, rule.floor)
    chosen = sorted((a for o, q in quotas.items() for a in by_outlet[o][:q]), key=lambda a: a.doc_id)
    outlets = sorted(pool.corpus_per_outlet)
    return {
        "format": SELECTION_FORMAT,
        "rule": {"corpus": corpus_name, **asdict(rule), "cues": CUES, "rule": RULE,
                 "near_duplicates": DedupConfig().to_dict(), "exclude": list(exclude_sources)},
        "considered": pool.considered,
        "eligible": len(pool.candidates),
        "annotated_found": len(pool.annotated),
        "dropped": dict(sorted(dropped.items())),
        "per_outlet": {o: {"corpus": pool.corpus_per_outlet[o], "eligible": pool.eligible_per_outlet[o],
                           "after_dedup": eligible_left.get(o, 0), "topped_up": topped_up[o],
                           "selected": quotas.get(o, 0)}
                       for o in outlets},
        "outlets_not_represented": [o for o in outlets if not quotas.get(o)],
        "articles": [{"doc_id": a.doc_id, "outlet": a.source or "unknown", "chars": len(a.text),
                      "sha256": sha256_text(a.text)} for a in chosen],
    }


def annotated_hashes(paths: Sequence[str | Path]) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """doc_id → text SHA-256 of every record of the stand-off files, and a description of each file."""
    from benchmark.standoff import read_standoff

    hashes: dict[str, str] = {}
    sources = []
    for path in paths:
        records = list(read_standoff(path))
        for record in records:
            known = hashes.setdefault(record["doc_id"], record["text_sha256"])
            if known != record["text_sha256"]:
                raise SelectionError(f"{path}: {record['doc_id']}: text_sha256 differs from another stand-off's "
                                     "(fix: exclude stand-offs made on the same corpus copy)")
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        sources.append({"standoff": _portable(Path(path)), "sha256": digest, "documents": len(records)})
    return hashes, sources


def _portable(path: Path) -> str:
    """The path relative to the working folder when it is inside it, else its name (no machine paths)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.name


def write_selection(path: str | Path, selection: Mapping[str, Any]) -> Path:
    """Write a selection as indented UTF-8 JSON (stable bytes)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(selection, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def load_selection(path: str | Path, corpus: Iterable[Article]) -> list[Article]:
    """The selected articles, read from ``corpus`` in the selection's order, every text's SHA-256
    checked; every missing or changed document is listed in one :class:`SelectionError`."""
    from benchmark.standoff import sha256_text

    selection = json.loads(Path(path).read_text(encoding="utf-8"))
    rows = selection.get("articles") if isinstance(selection, dict) else None
    if not isinstance(rows, list) or not all(isinstance(r, dict) and "doc_id" in r and "sha256" in r for r in rows):
        raise SelectionError(f"{path}: not a selection (fix: an 'articles' list of {{doc_id, sha256}} objects)")
    wanted = {row["doc_id"]: row["sha256"] for row in rows}
    found = {article.doc_id: article for article in corpus if article.doc_id in wanted}
    problems = [f"{doc}: not in your corpus" for doc in wanted if doc not in found]
    problems += [
        f"{doc}: text sha256 {sha256_text(found[doc].text)} differs from the selection's {sha}"
        for doc, sha in wanted.items()
        if doc in found and sha256_text(found[doc].text) != sha
    ]
    if problems:
        raise SelectionError(f"your corpus differs from the selection {Path(path).name} "
                             "(fix: use the corpus copy it was made on):\n  " + "\n  ".join(problems))
    return [found[row["doc_id"]] for row in rows]


def check_against_selection(path: str | Path, articles: Iterable[Article]) -> list[str]:
    """Every article must be a selected document with the selected text (SHA-256); returns the
    selected doc_ids that none of ``articles`` covers yet (a round may be finished in parts)."""
    from benchmark.standoff import sha256_text

    rows = json.loads(Path(path).read_text(encoding="utf-8")).get("articles", [])
    wanted = {row["doc_id"]: row["sha256"] for row in rows}
    problems, seen = [], set()
    for article in articles:
        seen.add(article.doc_id)
        if article.doc_id not in wanted:
            problems.append(f"{article.doc_id}: not in the selection (fix: annotate only the selected documents)")
        elif sha256_text(article.text) != wanted[article.doc_id]:
            problems.append(f"{article.doc_id}: the annotated text differs from the selected one "
                            "(fix: push the texts of `khabar round articles`)")
    if problems:
        raise SelectionError(f"{len(set(problems))} problem(s) against {Path(path).name}:\n  "
                             + "\n  ".join(sorted(set(problems))[:50]))
    return [doc for doc in wanted if doc not in seen]
