"""Finishing a round: agreement → conflicts → the reviewer's decisions → gold → stand-off.

Each step writes its committed files into the round folder (``annotations/vX``) without corpus
text, and the files that hold text into a working folder outside the repo:

- ``agreement.{json,md}`` — the passes against each other (:func:`write_agreement`);
- ``conflicts.{json,md}`` — every conflict, offsets only (:func:`write_conflicts`;
  ``WORK/conflicts.md`` has the text);
- ``adjudication-summary.json`` — reviewed / ruled counts per layer, the rule, counts
  (:func:`adjudication_summary`);
- ``agreement-vs-gold.{json,md}`` — each pass and the pre-annotation against the gold
  (:func:`write_versus_gold`: the anchoring check);
- ``passes/NAME.standoff.jsonl`` and ``gold.standoff.jsonl`` (:func:`write_standoffs`;
  ``WORK/gold.articles.jsonl`` has the text).

:func:`finish_round` runs them in order; ``scripts/v01_workflow.py`` composes the same steps
with v0.1's stance vote in between.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmark.model import Article
from benchmark.rounds.decisions import DecisionError, email_of

__all__ = [
    "RoundResult",
    "adjudication_summary",
    "check_passes",
    "counts",
    "finish_round",
    "rule_text",
    "write_agreement",
    "write_conflicts",
    "write_json",
    "write_standoffs",
    "write_versus_gold",
]


def counts(articles: Sequence[Article]) -> dict[str, int]:
    """Articles, entity mentions, quotes (with a speaker) and stances of a set of articles."""
    return {
        "articles": len(articles),
        "entities": sum(len(a.entities) for a in articles),
        "quotes": sum(len(a.quotes) for a in articles),
        "quotes_with_speaker": sum(1 for a in articles for q in a.quotes if q.speaker is not None),
        "stances": sum(len(a.stances) for a in articles),
    }


def with_guidelines_version(article: Article, version: str | None) -> Article:
    """``article`` with ``version`` in its provenance when it records none (else unchanged)."""
    if version is None or article.provenance.guidelines_version is not None:
        return article
    return article.replace(provenance=dataclasses.replace(article.provenance, guidelines_version=version))


def write_json(path: Path, data: Any) -> None:
    """The committed JSON style: UTF-8, indent 1, a final newline."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def check_passes(by_annotator: Mapping[str, Sequence[Article]]) -> None:
    """Two or more passes over the same documents, each article by the pass's annotator."""
    if len(by_annotator) < 2:
        raise DecisionError(f"{len(by_annotator)} pass(es): a round needs two or more (fix: --pass NAME=FILE twice)")
    problems = [f"{name}: {a.doc_id}: annotated by {a.provenance.annotator!r} (fix: the pass's own articles)"
                for name, articles in by_annotator.items() for a in articles if a.provenance.annotator != name]
    docs = {name: {a.doc_id for a in articles} for name, articles in by_annotator.items()}
    every = set().union(*docs.values())
    problems += [f"{name}: {doc}: not in this pass (fix: every pass covers the same documents)"
                 for name in sorted(docs) for doc in sorted(every - docs[name])]
    if problems:
        raise DecisionError(f"{len(problems)} problem(s) in the passes:\n  " + "\n  ".join(problems[:50]))


def write_agreement(out: Path, by_annotator: Mapping[str, Sequence[Article]], preamble: str,
                    stem: str = "agreement"):
    """``STEM.json`` and ``STEM.md`` (``preamble`` + the table) in ``out``, over the documents the
    passes share; returns the report."""
    from benchmark.studio.agreement import agreement_report

    report = agreement_report(by_annotator)
    write_json(out / f"{stem}.json", report.to_dict())
    (out / f"{stem}.md").write_text(preamble + "```\n" + report.format_table() + "\n```\n", encoding="utf-8")
    return report


def write_conflicts(out: Path, work: Path, outcome, *, title: str, annotators: Sequence[str], docs: str) -> list:
    """``conflicts.{json,md}`` without text (``WORK/conflicts.md`` with it); returns the text-less rows."""
    from benchmark.rounds.decisions import conflicts_markdown, textless_conflict

    work.mkdir(parents=True, exist_ok=True)
    (work / "conflicts.md").write_text(outcome.to_markdown(), encoding="utf-8")
    rows = [textless_conflict(c) for c in outcome.conflicts]
    write_json(out / "conflicts.json", {"rule": outcome.rule, "conflicts": rows})
    (out / "conflicts.md").write_text(conflicts_markdown(rows, title=title, annotators=annotators, docs=docs),
                                      encoding="utf-8")
    return rows


def rule_text(lead: str, union_stances_from: str | None, lead_decides_the_rest: bool) -> str:
    """The declared rule, as the summary records it."""
    first = f"unreviewed conflicts: lead {lead}" if lead_decides_the_rest else \
        f"every conflict decided by the reviewer (gold built from {lead}'s pass)"
    return f"{first}; stances: union with {union_stances_from or 'nobody'} where the gold has no stance on that holder"


def adjudication_summary(outcome, ledger: Sequence[Mapping[str, Any]], rule: str, reviewed_gold: Sequence[Article],
                         gold: Sequence[Article], by_annotator: Mapping[str, Sequence[Article]],
                         stance_vote: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """``adjudication-summary.json``: conflicts reviewed / ruled (per layer), the rule, the counts."""
    reviewed = sum(1 for row in ledger if row.get("by") == "reviewed")
    ruled = sum(1 for row in ledger if row.get("by") == "ruled" and "conflict" in row)
    by_layer = Counter((row["conflict"]["layer"], row["by"]) for row in ledger if "conflict" in row)
    return {
        "conflicts": len(outcome.conflicts),
        "reviewed": reviewed,
        "ruled": ruled,
        "by_layer": {f"{layer} / {by}": n for (layer, by), n in sorted(by_layer.items())},
        "rule": rule,
        "union_stances_added": sum(int(row["decision"].split()[0]) for row in ledger if "conflict" not in row),
        "reviewed_gold": counts(reviewed_gold),
        "stance_vote": None if stance_vote is None else {k: v for k, v in stance_vote.items() if k != "agreement"},
        "gold": counts(gold),
        "passes": {email: counts(articles) for email, articles in sorted(by_annotator.items())},
    }


def write_versus_gold(out: Path, by_annotator: Mapping[str, Sequence[Article]], predictions: Sequence[Article],
                      gold: Sequence[Article], preamble: str):
    """``agreement-vs-gold.{json,md}``: each pass and each pre-annotation model against the gold."""
    from benchmark.studio.agreement import agreement_report

    compared = {name: list(articles) for name, articles in by_annotator.items()}
    for article in predictions:
        compared.setdefault(article.provenance.annotator or "model", []).append(article)
    versus = agreement_report(compared, gold=gold)
    write_json(out / "agreement-vs-gold.json", versus.to_dict())
    (out / "agreement-vs-gold.md").write_text(preamble + "```\n" + versus.format_table() + "\n```\n",
                                              encoding="utf-8")
    return versus


def write_standoffs(out: Path, work: Path, by_annotator: Mapping[str, Sequence[Article]],
                    gold: Sequence[Article]) -> None:
    """``passes/NAME.standoff.jsonl`` per pass and ``gold.standoff.jsonl`` (no text); the gold with its
    text goes to ``WORK/gold.articles.jsonl``."""
    from benchmark.io import write_articles
    from benchmark.standoff import write_standoff

    (out / "passes").mkdir(parents=True, exist_ok=True)
    for email, articles in sorted(by_annotator.items()):
        write_standoff(out / "passes" / f"{re.sub(r'@.*', '', email)}.standoff.jsonl", articles)
    write_standoff(out / "gold.standoff.jsonl", gold)
    work.mkdir(parents=True, exist_ok=True)
    write_articles(work / "gold.articles.jsonl", gold)


@dataclass
class RoundResult:
    """What :func:`finish_round` made (all files are written by then)."""

    gold: list[Article]
    summary: dict[str, Any]
    agreement: Any
    versus_gold: Any
    conflicts: list[dict[str, Any]] = field(default_factory=list)


def finish_round(passes: Mapping[str, Sequence[Article]], *, out: str | Path, work: str | Path,
                 decisions: Mapping[tuple, Mapping[str, Any]], lead: str, name: str,
                 union_stances_from: str | None = None, lead_decides_the_rest: bool = False,
                 predictions: Sequence[Article] = (), guidelines_version: str | None = None) -> RoundResult:
    """Agreement → conflicts → decisions → gold → stand-off for one round (files: module docstring).

    ``passes`` maps each annotator (e-mail) to their articles; ``decisions`` come from
    :func:`benchmark.rounds.decisions.load_decisions`. By default every conflict must be decided
    (:class:`DecisionError` lists the undecided ones, after the conflict report is written so the
    reviewer can decide them); ``lead_decides_the_rest`` lets ``lead`` decide the rest (v0.1's rule).
    ``guidelines_version`` is recorded in the provenance of every pass article that has none (a Label
    Studio export does not carry it), so the gold and the stand-offs say which guidelines they follow.
    """
    from benchmark.rounds.decisions import apply_decisions, check_decisions, todo_rows, undecided_conflicts
    from benchmark.studio.adjudicate import adjudicate

    out, work = Path(out), Path(work)
    passes = {email_of(who): [with_guidelines_version(a, guidelines_version) for a in articles]
              for who, articles in passes.items()}
    check_passes(passes)
    lead = email_of(lead)
    if lead not in passes:
        raise DecisionError(f"lead {lead} is none of the passes {sorted(passes)} (fix: --lead one of them)")
    out.mkdir(parents=True, exist_ok=True)
    names = sorted(passes)
    agreement = write_agreement(out, passes, f"# {name} — inter-annotator agreement ({' × '.join(names)})\n\n"
                                "Made by `khabar round finish` (docs/annotation-workflow.md, \"Running a round\").\n\n")
    articles = [article for who in names for article in passes[who]]
    outcome = adjudicate(articles, rule="majority")
    rows = write_conflicts(out, work, outcome, title=name, annotators=names, docs="docs/annotation-workflow.md")
    check_decisions(decisions, outcome.conflicts)
    undecided = undecided_conflicts(outcome.conflicts, decisions)
    if undecided and not lead_decides_the_rest:
        todo = work / "decisions-todo.jsonl"
        todo.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in todo_rows(undecided)),
                        encoding="utf-8")
        raise DecisionError(f"{len(undecided)} of {len(outcome.conflicts)} conflict(s) have no decision; {todo} "
                            "lists them (fix: write a decision and a one-line reason for each into the decisions "
                            "file, then run finish again; conflicts.md in the work folder shows their text)")
    gold, ledger = apply_decisions(articles, outcome.conflicts, decisions, lead, union_stances_from,
                                   lead_decides_the_rest=lead_decides_the_rest)
    summary = adjudication_summary(outcome, ledger, rule_text(lead, union_stances_from, lead_decides_the_rest),
                                   gold, gold, passes)
    write_json(out / "adjudication-summary.json", summary)
    versus = write_versus_gold(out, passes, predictions, gold,
                               f"# {name} — each pass and the pre-annotation against the adjudicated gold\n\n"
                               "Made by `khabar round finish` (docs/annotation-workflow.md).\n\n")
    write_standoffs(out, work, passes, gold)
    return RoundResult(gold=gold, summary=summary, agreement=agreement, versus_gold=versus, conflicts=rows)
