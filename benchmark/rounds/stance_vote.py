"""The three-annotator stance vote of Khabar v0.1 (a third, stance-only pass voted with two full passes).

:data:`STANCE_RULE` says how a holder's stance is decided; :func:`read_stance_pass` checks a
stance stand-off (offsets, no text) against the reviewed gold; :func:`vote_stances` replaces the
gold's stance layer by the vote; :func:`stance_agreement` gives Fleiss' κ, Krippendorff's α and
the pairwise Cohen's κ with ``none`` a category. A third pass written against the gold's ids
(:func:`stance_pass_from_ids`) or made on its own quote spans (:func:`stance_pass_from_own_quotes`,
:data:`QUOTE_MATCH_RULE`) is turned into that stand-off first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "QUOTE_MATCH_RULE",
    "STANCE_DECISIONS",
    "STANCE_RULE",
    "VOTERS",
    "read_jsonl_rows",
    "read_stance_pass",
    "stance_agreement",
    "stance_agreement_markdown",
    "stance_pass_from_ids",
    "stance_pass_from_own_quotes",
    "vote_stances",
]

STANCE_DECISIONS = ("favor", "against", "neutral", "none")
VOTERS = ("annotator-a@khabar.local", "annotator-b@khabar.local", "annotator-c@khabar.local")
STANCE_RULE = (
    "per holder (every gold quote and each article), the decisions of annotator-a, annotator-b (their pass "
    "stand-offs; no stance, or no quote at that span, = none) and annotator-c (its stance pass) are voted: a "
    "label or none with >= 2 votes wins; the target and target_mention come from the reviewed gold stance when "
    "it has that label, else from the first agreeing annotator in the order a, b, c; a three-way split keeps "
    "the reviewer's adjudicated decision"
)


def _holder_span(article, holder: str):
    """``"article"`` or the (start, end) of the quote ``holder`` names in ``article``."""
    if holder == "article":
        return "article"
    for quote in article.quotes:
        if quote.id == holder:
            return (quote.start, quote.end)
    raise ValueError(f"{article.doc_id}: no quote {holder!r}")


def stance_pass_from_ids(rows: Sequence[Mapping[str, Any]], gold: Sequence, annotator: str,
                         where: str = "stance pass") -> list[dict[str, Any]]:
    """A stance pass written against the gold's ids (``{"doc_id", "holder": quote id | "article",
    "decision", "target", "target_mention": gold mention id | null}``) → its stand-off, keyed by offsets.

    Every gold holder must be decided exactly once (``none`` is explicit); a problem names the line.
    """
    by_doc = {article.doc_id: article for article in gold}
    out, seen, problems = [], set(), []
    for number, row in enumerate(rows, start=1):
        doc, holder = row.get("doc_id"), row.get("holder")
        article = by_doc.get(doc)
        if article is None:
            problems.append(f"{where}:{number}: doc_id {doc!r} is not in the gold")
            continue
        try:
            span = _holder_span(article, holder)
        except ValueError:
            problems.append(f"{where}:{number}: {doc}: holder {holder!r} is neither 'article' nor a gold quote id")
            continue
        tm = row.get("target_mention")
        tm_span = None
        if tm is not None:
            try:
                mention = article.mention(tm)
            except (KeyError, ValueError):
                problems.append(f"{where}:{number}: {doc} {holder}: target_mention {tm!r} is not a gold mention")
                continue
            tm_span = [mention.start, mention.end]
        out.append({"doc_id": doc, "text_sha256": _sha(article.text), "annotator": annotator,
                    "holder": "article" if span == "article" else {"start": span[0], "end": span[1]},
                    "decision": row.get("decision"), "target": row.get("target"),
                    "target_mention": None if tm_span is None else {"start": tm_span[0], "end": tm_span[1]}})
        seen.add((doc, span))
    problems += [f"{where}: {a.doc_id} {h}: not decided (write a line with decision 'none')"
                 for a in gold for h in ["article", *((q.start, q.end) for q in a.quotes)] if (a.doc_id, h) not in seen]
    if problems:
        raise ValueError(f"{len(problems)} problem(s) in the {where}:\n  " + "\n  ".join(problems))
    read_stance_pass(out, gold, where)  # the same checks the vote applies
    return out


QUOTE_MATCH_RULE = (
    "each gold quote takes the third annotator's quote with the same span; else its quote with the largest "
    "character overlap, when that overlap is >= 50% of the gold span; the annotator's decision on the gold "
    "holder is its stance on the matched quote, or none (no matched quote, or no stance on it); the article "
    "holder takes its article stance, or none"
)


def stance_pass_from_own_quotes(own: Sequence, gold: Sequence, annotator: str
                                ) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """A stance-only pass made on the annotator's **own** quote spans → its decisions per gold holder.

    ``own`` are the annotator's articles (quotes and stances, no entities needed); every gold quote of
    those documents is matched by :data:`QUOTE_MATCH_RULE`. Returns the stance-pass rows (the
    committed offset format, ``target_mention`` null: the pass has no gold mentions) and the match
    counts. A document whose text differs from the gold's is refused by name.
    """
    by_doc = {article.doc_id: article for article in gold}
    rows: list[dict[str, Any]] = []
    stats: Counter = Counter()
    for article in own:
        target = by_doc.get(article.doc_id)
        if target is None:
            raise ValueError(f"{article.doc_id}: not in the gold (fix: drop it from the stance pass)")
        if target.text != article.text:
            raise ValueError(f"{article.doc_id}: the stance pass's text differs from the gold's")
        stance_of = {s.holder: s for s in article.stances}
        matched: dict[str, Any] = {}
        for quote in target.quotes:
            exact = next((q for q in article.quotes if (q.start, q.end) == (quote.start, quote.end)), None)
            if exact is not None:
                matched[quote.id] = exact
                stats["gold quotes: exact span"] += 1
                continue
            overlap = {q.id: min(quote.end, q.end) - max(quote.start, q.start) for q in article.quotes}
            best = max(article.quotes, key=lambda q: overlap[q.id], default=None)
            if best is not None and overlap[best.id] > 0 and overlap[best.id] >= 0.5 * (quote.end - quote.start):
                matched[quote.id] = best
                stats["gold quotes: overlap >= 50%"] += 1
            else:
                stats["gold quotes: no match (none)"] += 1
        used = {q.id for q in matched.values()}
        stats["own quotes matched to no gold quote"] += sum(1 for q in article.quotes if q.id not in used)
        stats["own stances lost (quote unmatched)"] += sum(
            1 for q in article.quotes if q.id not in used and q.id in stance_of)
        base = {"doc_id": target.doc_id, "text_sha256": _sha(target.text), "annotator": annotator}
        for quote in target.quotes:
            own_quote = matched.get(quote.id)
            s = None if own_quote is None else stance_of.get(own_quote.id)
            rows.append({**base, "holder": {"start": quote.start, "end": quote.end},
                         "decision": "none" if s is None else s.label,
                         "target": None if s is None else s.target, "target_mention": None})
        s = stance_of.get("article")
        rows.append({**base, "holder": "article", "decision": "none" if s is None else s.label,
                     "target": None if s is None else s.target, "target_mention": None})
    return rows, dict(stats)


def read_jsonl_rows(path: str | Path) -> list[dict[str, Any]]:
    """Every JSON object of a JSONL file; a bad line raises ``ValueError`` with its number and the fix."""
    from benchmark.io import iter_jsonl_records

    rows = []
    for number, record, issue in iter_jsonl_records(path):
        if issue is not None or not isinstance(record, dict):
            problem = issue.message if issue is not None else "not a JSON object"
            raise ValueError(f"{path}:{number}: {problem} (fix: one JSON object per line)")
        rows.append(record)
    return rows


def _sha(text: str) -> str:
    from benchmark.standoff import sha256_text

    return sha256_text(text)


def read_stance_pass(rows: Sequence[Mapping[str, Any]], gold: Sequence, where: str = "stance pass"
                     ) -> dict[tuple, dict[str, Any]]:
    """A stance stand-off (offsets) checked against the gold: ``(doc_id, holder span|"article")`` → row.

    Refuses (naming the line and the fix): an unknown doc_id, a text hash that differs, a holder that is
    no gold quote, a decision outside favor/against/neutral/none, a target missing on a stance or given
    with ``none``, a target mention that is no gold mention inside the quote, a holder decided twice or
    not at all.
    """
    by_doc = {article.doc_id: article for article in gold}
    decided: dict[tuple, dict[str, Any]] = {}
    problems = []
    for number, row in enumerate(rows, start=1):
        at = f"{where}:{number}"
        article = by_doc.get(row.get("doc_id"))
        if article is None:
            problems.append(f"{at}: doc_id {row.get('doc_id')!r} is not in the gold (fix: drop the line)")
            continue
        doc = article.doc_id
        if row.get("text_sha256") != _sha(article.text):
            problems.append(f"{at}: {doc}: text_sha256 differs from the gold's (fix: annotate the gold's text)")
            continue
        holder = row.get("holder")
        quote = None
        if holder == "article":
            key: Any = "article"
        elif isinstance(holder, Mapping) and "start" in holder and "end" in holder:
            key = (holder["start"], holder["end"])
            quote = next((q for q in article.quotes if (q.start, q.end) == key), None)
            if quote is None:
                problems.append(f"{at}: {doc}: holder {list(key)} is no gold quote (fix: use a gold quote's offsets)")
                continue
        else:
            problems.append(f"{at}: {doc}: holder {holder!r} must be 'article' or {{'start', 'end'}}")
            continue
        decision, target = row.get("decision"), row.get("target")
        if decision not in STANCE_DECISIONS:
            problems.append(f"{at}: {doc} {holder}: decision {decision!r} is not one of {STANCE_DECISIONS}")
            continue
        if (decision == "none") != (target is None) or (target is not None and not str(target).strip()):
            problems.append(f"{at}: {doc} {holder}: a stance needs a target and 'none' takes none "
                            f"(decision {decision!r}, target {target!r})")
            continue
        tm = row.get("target_mention")
        if tm is not None:
            span = (tm.get("start"), tm.get("end")) if isinstance(tm, Mapping) else None
            inside = quote is not None and span is not None and quote.start <= span[0] and span[1] <= quote.end
            if span not in {(m.start, m.end) for m in article.entities} or not inside:
                problems.append(f"{at}: {doc} {holder}: target_mention {tm!r} is not a gold mention inside the "
                                "quote (fix: null, or the first mention of the target inside the quote)")
                continue
        if (doc, key) in decided:
            problems.append(f"{at}: {doc} {holder}: decided twice")
            continue
        decided[(doc, key)] = dict(row)
    for article in gold:
        for key in ["article", *((q.start, q.end) for q in article.quotes)]:
            if (article.doc_id, key) not in decided:
                problems.append(f"{where}: {article.doc_id} {key}: not decided (fix: add a line, 'none' if no stance)")
    if problems:
        raise ValueError(f"{len(problems)} problem(s) in the {where}:\n  " + "\n  ".join(problems[:50]))
    return decided


def vote_stances(gold: Sequence, passes: Mapping[str, Sequence], third: Mapping[tuple, Mapping[str, Any]],
                 third_name: str = VOTERS[2]) -> tuple[list, list[dict[str, Any]]]:
    """The stance layer by a three-annotator vote (:data:`STANCE_RULE`); everything else unchanged.

    ``gold`` is the reviewed gold (its stances are the reviewer's decisions), ``passes`` the articles of
    annotator-a and annotator-b by annotator, ``third`` the checked rows of :func:`read_stance_pass`.
    Returns the new gold and one vote row per holder (offsets and labels only, no text).
    """
    from benchmark.model import Stance

    first, second = (name for name in VOTERS if name != third_name)
    pass_docs = {name: {a.doc_id: a for a in passes[name]} for name in (first, second)}
    new_gold, votes = [], []
    for article in gold:
        doc = article.doc_id
        ids = {(m.start, m.end): m.id for m in article.entities}
        qid = {(q.start, q.end): q.id for q in article.quotes}
        reviewed = {_holder_span(article, s.holder): s for s in article.stances}
        stances = {}
        for key in [*((q.start, q.end) for q in article.quotes), "article"]:
            options: dict[str, dict[str, Any]] = {}
            missing = []
            for name in (first, second):
                other = pass_docs[name].get(doc)
                if other is None:
                    raise ValueError(f"{doc}: not in {name}'s pass")
                if key != "article" and key not in {(q.start, q.end) for q in other.quotes}:
                    missing.append(name.split("@")[0])
                s = next((s for s in other.stances if _holder_span(other, s.holder) == key), None)
                tm = None
                if s is not None and s.target_mention is not None:
                    m = other.mention(s.target_mention)
                    tm = (m.start, m.end)
                options[name] = ({"label": "none"} if s is None else
                                 {"label": s.label, "target": s.target, "tm": tm})
            row = third[(doc, key)]
            tm = row.get("target_mention")
            options[third_name] = {"label": row["decision"], "target": row.get("target"),
                                   "tm": None if tm is None else (tm["start"], tm["end"])}
            labels = [options[name]["label"] for name in VOTERS]
            top, n = Counter(labels).most_common(1)[0]
            mine = reviewed.get(key)
            if n >= 2:
                result, rule = top, "unanimous" if n == 3 else "majority 2/3"
            else:
                result, rule = (mine.label if mine else "none"), "split: reviewer's gold"
            source = None
            if result != "none":
                if mine is not None and mine.label == result:
                    target = mine.target
                    tm_span = None if mine.target_mention is None else next(
                        (span for span, i in ids.items() if i == mine.target_mention), None)
                    source = "reviewer"
                else:
                    source = next(name for name in VOTERS if options[name]["label"] == result)
                    target, tm_span = options[source]["target"], options[source]["tm"]
                holder_id = "article" if key == "article" else qid[key]
                stances[key] = Stance(f"st-{holder_id}", holder_id, target, result,
                                      ids.get(tm_span) if tm_span is not None else None)
            vote = {"doc_id": doc, "holder": "article" if key == "article" else qid[key],
                    "span": None if key == "article" else list(key),
                    "a": labels[0], "b": labels[1], "c": labels[2],
                    "reviewer": mine.label if mine else "none", "result": result, "rule": rule,
                    "target_from": None if source is None else source.split("@")[0]}
            if missing:
                vote["no_quote_in_pass"] = missing
            votes.append(vote)
        ordered = [stances[k] for k in sorted(stances, key=lambda h: (h == "article", str(h)))]
        new_gold.append(article.replace(stances=tuple(ordered)))
    return new_gold, votes


def stance_agreement(votes: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Three-annotator stance agreement over every holder, ``none`` a category (no missing values)."""
    from benchmark.studio.agreement import cohen_kappa, fleiss_kappa, krippendorff_alpha

    def figures(rows):
        table = [[sum(1 for who in "abc" if row[who] == label) for label in STANCE_DECISIONS] for row in rows]
        return {
            "holders": len(rows),
            "fleiss_kappa": round(fleiss_kappa(table), 4),
            "krippendorff_alpha": round(krippendorff_alpha([[row[who] for row in rows] for who in "abc"]), 4),
            "cohen_kappa": {f"{x}-{y}": round(cohen_kappa([r[x] for r in rows], [r[y] for r in rows]), 4)
                            for x, y in (("a", "b"), ("a", "c"), ("b", "c"))},
            "unanimous": sum(1 for row in rows if row["a"] == row["b"] == row["c"]),
        }

    quotes = [row for row in votes if row["holder"] != "article"]
    articles = [row for row in votes if row["holder"] == "article"]
    return {
        "categories": list(STANCE_DECISIONS),
        "raters": {"a": VOTERS[0], "b": VOTERS[1], "c": VOTERS[2]},
        "all holders": figures(votes),
        "quotes": figures(quotes),
        "articles": figures(articles),
        "labelled (not none)": {who: sum(1 for row in votes if row[who] != "none") for who in "abc"},
    }


def stance_agreement_markdown(report: Mapping[str, Any], outcome: Mapping[str, Any]) -> str:
    lines = [
        "# Khabar v0.1 — stance agreement, three annotators (a × b × c)",
        "",
        "Made by `python scripts/v01_workflow.py --from-standoff …` (docs/corpus-v0.1.md) from",
        "`stance-votes.jsonl`. One item per holder (each gold quote and each article); categories favor /",
        "against / neutral / none (no stance, or no quote at that span in a pass, counts as none), so the",
        "figures cover *whether* a holder takes a stance as well as which one. Coefficients:",
        "`benchmark.studio.agreement.fleiss_kappa`, `krippendorff_alpha` (nominal), `cohen_kappa`.",
        "",
        "| items | holders | Fleiss' κ | Krippendorff's α | κ a-b | κ a-c | κ b-c | unanimous |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for part in ("all holders", "quotes", "articles"):
        f = report[part]
        lines.append(f"| {part} | {f['holders']} | {f['fleiss_kappa']} | {f['krippendorff_alpha']} | "
                     + " | ".join(str(v) for v in f["cohen_kappa"].values()) + f" | {f['unanimous']} |")
    labelled = report["labelled (not none)"]
    lines += ["", f"Stances labelled: a {labelled['a']}, b {labelled['b']}, c {labelled['c']}.", "",
              "## Vote outcome", "", "| rule | result | holders |", "|---|---|---|"]
    for (rule, result), n in sorted(outcome.items()):
        lines.append(f"| {rule} | {result} | {n} |")
    return "\n".join(lines) + "\n"
