#!/usr/bin/env python
"""Khabar v0.1 (issue #6): the real Label Studio workflow, end to end and re-runnable.

Steps (each idempotent; docs/corpus-v0.1.md explains them with the exact commands):

1. ``raw``       — read the selected articles (``annotations/v0.1/selection.json``) from the user's
                   SaudiNewsNet through ``benchmark.importers``; every text's SHA-256 is checked.
2. ``serve``     — start a real local Label Studio on 127.0.0.1 (data dir under ``--work``), unless
                   ``--url`` points at a running one.
3. ``setup``/``push`` — create the project and push the raw articles (with baseline predictions
                   when ``--predictions``/``--model-version`` are given).
4. ``annotate``  — create the users ``annotator-a@khabar.local`` / ``annotator-b@khabar.local`` and
                   submit each pass's articles as that user's annotations of the tasks
                   (:func:`benchmark.studio.submit.submit_annotations`, what ``khabar annotate submit``
                   runs); a task the user already annotated is left alone.
5. ``pull``      — snapshot export (full predictions) → ``WORK/export.json`` (it holds text: never
                   committed) → ``export_to_articles`` (strict validation) per annotator.
6. ``agreement`` — per layer and per label: ``annotations/v0.1/agreement.{json,md}``.
7. ``adjudicate`` — ``benchmark.studio.adjudicate`` (majority = unanimous for two annotators) gives the
                   conflict report ``annotations/v0.1/conflicts.{json,md}``; every conflict is then
                   decided by the reviewer's ``annotations/v0.1/adjudication.jsonl`` when it has a
                   decision, else by the declared rule
                   (:func:`benchmark.rounds.decisions.apply_decisions`).
8. ``standoff``  — ``annotations/v0.1/passes/annotator-{a,b}.standoff.jsonl`` and
                   ``annotations/v0.1/gold.standoff.jsonl`` (offsets + SHA-256, no text).
9. ``vote``      — when a third stance pass exists (``--stance-pass``, default
                   ``annotations/v0.1/passes/annotator-c.stances.jsonl``), the gold's stance layer is the
                   three-annotator vote of ``STANCE_RULE`` (:mod:`benchmark.rounds.stance_vote`), written
                   before step 8;
                   ``stance-votes.jsonl`` and ``agreement-stance.{json,md}``.
                   A third pass made on its own quote spans is matched to the gold quotes first
                   (``--stance-pass-quotes``, ``QUOTE_MATCH_RULE``).

Steps 6-8 and the stance vote are library code (:mod:`benchmark.rounds`); ``khabar round finish`` runs
steps 6-8 for a new round (docs/annotation-workflow.md, "Running a round"). This script keeps v0.1's
own texts (titles, its lead rule, the vote) so that it reproduces the committed files.

``--from-standoff`` runs steps 6-9 without Label Studio, from the committed pass stand-offs
rehydrated from ``--corpus`` (it reproduces the committed files byte for byte)::

    python scripts/v01_workflow.py --from-standoff --corpus ../shared/data/saudinewsnet \\
        --predictions work/v01/baseline/ner-pred.jsonl --model-version sklearn-crf-anercorp-0.1

    python scripts/v01_workflow.py --corpus ../shared/data/saudinewsnet \\
        --pass annotator-a=../v01/passA/articles.jsonl --pass annotator-b=../v01/passB/articles.jsonl \\
        --work work/khabar-v01
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from benchmark.rounds.decisions import (  # noqa: F401  (re-exported: tests and readers find them here too)
    GoldBuilder,
    apply_decisions,
    check_decisions,
    conflict_key,
    email_of,
    load_decisions,
    textless_conflict,
)
from benchmark.rounds.finish import (
    adjudication_summary,
    counts,
    rule_text,
    write_agreement,
    write_conflicts,
    write_json,
    write_standoffs,
    write_versus_gold,
)
from benchmark.rounds.stance_vote import (  # noqa: F401
    QUOTE_MATCH_RULE,
    STANCE_RULE,
    read_jsonl_rows,
    read_stance_pass,
    stance_agreement,
    stance_agreement_markdown,
    stance_pass_from_ids,
    stance_pass_from_own_quotes,
    vote_stances,
)

REPO = Path(__file__).resolve().parents[1]
V01 = REPO / "annotations" / "v0.1"
PROJECT = "Khabar v0.1"
LEAD = "annotator-a@khabar.local"


# --------------------------------------------------------------------------- 1. raw articles


def load_selection(corpus: Path) -> list:
    """The selected articles from the user's corpus, text hashes checked against selection.json."""
    from benchmark.importers import get_importer
    from benchmark.rounds.selection import SelectionError
    from benchmark.rounds.selection import load_selection as load

    try:
        return load(V01 / "selection.json", get_importer("saudinewsnet").load(corpus))
    except SelectionError as error:
        raise SystemExit(f"error: {error}") from None


# --------------------------------------------------------------------------- 4. annotate as users


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="your SaudiNewsNet folder")
    parser.add_argument("--pass", dest="passes", action="append", default=[], metavar="NAME=ARTICLES.jsonl",
                        help="an annotation pass: the annotator's name and their Article JSONL (repeatable; "
                             "required unless --from-standoff)")
    parser.add_argument("--from-standoff", action="store_true",
                        help="skip Label Studio (steps 1-5): the passes are the committed "
                             "passes/annotator-{a,b}.standoff.jsonl, rehydrated from --corpus")
    parser.add_argument("--stance-pass", default=f"annotator-c={V01 / 'passes' / 'annotator-c.stances.jsonl'}",
                        metavar="NAME=STANCES.jsonl",
                        help="the third annotator's stance stand-off, voted with a and b (step 9; '' to disable)")
    parser.add_argument("--stance-pass-ids", default=None, metavar="NAME=DECISIONS.jsonl",
                        help="a third stance pass written against the reviewed gold's ids (doc_id, holder, "
                             "decision, target, target_mention); converted to the --stance-pass stand-off first")
    parser.add_argument("--stance-pass-quotes", default=None, metavar="NAME=ARTICLES.jsonl",
                        help="a third stance pass made on its own quote spans (Article JSONL): its decisions "
                             "are matched to the gold quotes (QUOTE_MATCH_RULE) and replace those documents' "
                             "lines of the --stance-pass stand-off (other documents' lines are kept)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "khabar-v01",
                        help="working folder outside the repo (Label Studio data, the raw export)")
    parser.add_argument("--out", type=Path, default=V01,
                        help="where the committed files are written (default annotations/v0.1; the inputs — "
                             "selection, passes, adjudication.jsonl — are always read from annotations/v0.1)")
    parser.add_argument("--url", default=None, help="use a running Label Studio instead of starting one")
    parser.add_argument("--token", default=os.environ.get("KHABAR_LS_TOKEN"), help="its admin token")
    parser.add_argument("--port", type=int, default=None, help="port for the started server (default: free)")
    parser.add_argument("--predictions", type=Path, default=None, help="baseline predictions to push")
    parser.add_argument("--model-version", default=None, help="their model version")
    parser.add_argument("--lead", default=LEAD, help="the lead annotator for conflicts the reviewer did not decide")
    parser.add_argument("--union-stances-from", default="annotator-b@khabar.local",
                        help="add this annotator's stances on holders the gold has none for ('' to disable)")
    parser.add_argument("--keep-server", action="store_true", help="leave the started server running")
    args = parser.parse_args(argv)

    from benchmark.io import read_articles, write_articles
    from benchmark.studio.client import StudioClient, read_predictions
    from benchmark.studio.convert import export_to_articles, write_export
    from benchmark.studio.server import start_server
    from benchmark.studio.submit import SubmitError, submit_annotations

    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    if args.from_standoff:
        articles, by_annotator, predictions = passes_from_standoff(args.corpus, args.predictions, args.model_version)
        return finish(args, work, articles, by_annotator, predictions)
    if not args.passes:
        parser.error("--pass is required (or --from-standoff)")
    passes = {}
    for spec in args.passes:
        name, _, path = spec.partition("=")
        passes[email_of(name)] = list(read_articles(path))

    # 1. raw
    raw = load_selection(args.corpus)
    raw_path = work / "raw.jsonl"
    write_articles(raw_path, raw)
    print(f"[raw] {len(raw)} selected article(s), hashes checked → {raw_path}")

    # 2. serve
    server = None
    secret_file = work / "studio-secrets.json"  # outside the repo; lets a re-run log in again
    if secret_file.exists():
        secrets_ = json.loads(secret_file.read_text())
    else:
        secrets_ = {"admin": secrets.token_hex(20), "password": secrets.token_urlsafe(12),
                    "users": {email: secrets.token_urlsafe(12) for email in passes}}
        secret_file.write_text(json.dumps(secrets_))
        secret_file.chmod(0o600)
    if args.url:
        url, token = args.url, args.token
    else:
        server = start_server(work / "studio", username="admin@khabar.local", password=secrets_["password"],
                              token=secrets_["admin"], port=args.port)
        url, token = server.url, secrets_["admin"]
        print(f"[serve] Label Studio up at {url} (data {server.data_dir})")
    try:
        admin = StudioClient(url, token)
        admin.check()
        # 3. setup + push
        project, created = admin.setup_project(PROJECT, description="Khabar v0.1: the selected SaudiNewsNet articles")
        print(f"[setup] {'created' if created else 'updated'} project {PROJECT!r} (id {project})")
        predictions = None
        if args.predictions:
            predictions = read_predictions(args.predictions, {a.doc_id: a.text for a in raw})
        report = admin.push(project, raw, predictions=predictions, model_version=args.model_version)
        print("[push] " + report.summary().replace("\n", "\n[push] "))
        # 4. annotate as each user
        for email, articles in passes.items():
            admin.ensure_user(email, secrets_["users"][email])
            try:
                submitted = submit_annotations(admin, project, articles, email, existing="skip")
            except SubmitError as error:
                raise SystemExit(f"error: {error}") from None
            print(f"[annotate] {email}: {submitted.summary()}")
        # 5. pull
        tasks = admin.export_snapshot(project)
        export_path = write_export(work / "export.json", tasks)
        result = export_to_articles(tasks, source=export_path.name, include_predictions=True, strict=True)
        print(f"[pull] {export_path}: {result.summary()}")
        if result.problems:
            for problem in result.problems:
                print(f"  - {problem}", file=sys.stderr)
            return 1
    finally:
        if server is not None and not args.keep_server:
            server.stop()
    by_annotator = result.by_annotator()
    for email, articles in by_annotator.items():
        write_articles(work / "by_annotator" / f"{email.split('@')[0]}.jsonl", articles)
    return finish(args, work, result.articles, by_annotator, result.predictions)


def passes_from_standoff(corpus: Path, predictions: Path | None, model_version: str | None):
    """The committed pass stand-offs rehydrated from the user's corpus (and the baseline predictions)."""
    from benchmark.model import Provenance
    from benchmark.standoff import read_standoff, rehydrate_all
    from benchmark.studio.client import read_predictions

    raw = {article.doc_id: article for article in load_selection(corpus)}
    articles, by_annotator = [], {}
    for path in sorted((V01 / "passes").glob("*.standoff.jsonl")):
        result = rehydrate_all(read_standoff(path), raw)
        if not result.ok:
            raise SystemExit(f"error: {path}: " + "; ".join(str(issue) for issue in result.problems[:5]))
        for article in result.articles:
            by_annotator.setdefault(article.provenance.annotator, []).append(article)
        articles += result.articles
    print("[standoff] passes rehydrated: " + ", ".join(f"{k} {len(v)}" for k, v in sorted(by_annotator.items())))
    found = []
    if predictions is not None:
        name = f"model:{model_version}" if model_version else "model"
        found = [a.replace(provenance=Provenance(annotator=name))
                 for a in read_predictions(predictions, {d: a.text for d, a in raw.items()}).values()]
    return articles, by_annotator, found


def _named_path(spec: str, what: str) -> tuple[str, Path]:
    name, sep, path = spec.partition("=")
    if not sep or not name or not path:
        raise SystemExit(f"error: {what} {spec!r} must be NAME=PATH (e.g. annotator-c=stances.jsonl)")
    return email_of(name), Path(path)


ROUND_GUIDELINES: tuple[tuple[str, int | None], ...] = (("1.0", 40), ("1.1", None))
"""The guidelines version each selection round was annotated under (annotations/guidelines-changelog.md):
the first 40 entries of selection.json with v1.0, the rest with v1.1."""


def guidelines_versions() -> dict[str, str]:
    """doc_id → the guidelines version its passes followed (by its place in selection.json)."""
    selection = json.loads((V01 / "selection.json").read_text(encoding="utf-8"))["articles"]
    out, start = {}, 0
    for version, count in ROUND_GUIDELINES:
        end = len(selection) if count is None else start + count
        out.update({row["doc_id"]: version for row in selection[start:end]})
        start = end
    return out


def with_guidelines(articles: Sequence, versions: Mapping[str, str]) -> list:
    """``articles`` whose provenance records the guidelines version they followed. Label Studio's
    API cannot store it with an annotation, so a pulled pass has none; the round says which."""
    import dataclasses

    return [a if a.provenance.guidelines_version is not None else a.replace(
        provenance=dataclasses.replace(a.provenance, guidelines_version=versions[a.doc_id])) for a in articles]


def finish(args, work: Path, articles: Sequence, by_annotator: Mapping[str, Sequence], predictions: Sequence) -> int:
    """Steps 6-9 with the library's steps (:mod:`benchmark.rounds.finish`) and v0.1's texts."""
    from benchmark.studio.adjudicate import adjudicate

    versions = guidelines_versions()
    articles = with_guidelines(articles, versions)
    by_annotator = {name: with_guidelines(items, versions) for name, items in by_annotator.items()}
    out: Path = args.out

    # 6. agreement
    report = write_agreement(out, by_annotator, (
        "# Khabar v0.1 — inter-annotator agreement (annotator-a × annotator-b)\n\n"
        "Made by `python scripts/v01_workflow.py …` (docs/corpus-v0.1.md), equivalently\n"
        "`khabar annotate agreement WORK/export.json --json annotations/v0.1/agreement.json`.\n\n"))
    print(report.format_table())

    # 7. adjudicate: conflict report, then reviewer decisions + declared rule
    outcome = adjudicate(articles, rule="majority")
    write_conflicts(out, work, outcome, title="Khabar v0.1", annotators=("annotator-a", "annotator-b"),
                    docs="docs/corpus-v0.1.md")
    decision_file = V01 / "adjudication.jsonl"
    decisions = load_decisions(decision_file) if decision_file.exists() else {}
    check_decisions(decisions, outcome.conflicts)
    gold, ledger = apply_decisions(articles, outcome.conflicts, decisions, args.lead,
                                   args.union_stances_from or None)
    reviewed_gold = gold

    # 9. stance vote: a, b and a third stance pass
    vote_summary = None
    if args.stance_pass_ids or args.stance_pass_quotes:
        write_stance_pass(args, reviewed_gold)
    if args.stance_pass:
        gold, vote_summary = stance_vote(args, reviewed_gold, by_annotator)
    summary = adjudication_summary(outcome, ledger, rule_text(args.lead, args.union_stances_from, True),
                                   reviewed_gold, gold, by_annotator, vote_summary)
    write_json(out / "adjudication-summary.json", summary)
    print(f"[adjudicate] {len(outcome.conflicts)} conflict(s): {summary['reviewed']} reviewed, "
          f"{summary['ruled']} ruled; gold {counts(gold)}")

    # 7b. each pass (and the baseline pre-annotation, when pushed) against the adjudicated gold
    write_versus_gold(out, by_annotator, predictions, gold, (
        "# Khabar v0.1 — each pass and the baseline pre-annotation against the adjudicated gold\n\n"
        "Made by `python scripts/v01_workflow.py …` (docs/corpus-v0.1.md). The baseline (`model:…`) is the\n"
        "sklearn CRF trained on ANERcorp (labels PER/LOC/ORG/MISC only; no quotes, no stance), pushed as\n"
        "predictions; the passes were made from scratch, not from it.\n\n"))

    # 8. stand-off files (no text)
    write_standoffs(out, work, by_annotator, gold)
    print(f"[standoff] passes and gold → {out} (the gold with text: {work / 'gold.articles.jsonl'})")
    return 0


def write_stance_pass(args, reviewed_gold: Sequence) -> None:
    """A third stance pass given by gold ids or on its own quotes → the ``--stance-pass`` stand-off."""
    _, out_path = _named_path(args.stance_pass, "--stance-pass")
    if args.stance_pass_ids:
        name, path = _named_path(args.stance_pass_ids, "--stance-pass-ids")
        rows = stance_pass_from_ids(read_jsonl_rows(path), reviewed_gold, name, where=path.name)
        out_path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
        print(f"[vote] {path} → {out_path} ({len(rows)} decision(s) of {name})")
    if args.stance_pass_quotes:
        from benchmark.io import read_articles

        name, path = _named_path(args.stance_pass_quotes, "--stance-pass-quotes")
        own = list(read_articles(path))
        rows, matches = stance_pass_from_own_quotes(own, reviewed_gold, name)
        mine = {article.doc_id for article in own}
        kept = [row for row in (read_jsonl_rows(out_path) if out_path.exists() else []) if row["doc_id"] not in mine]
        out_path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in kept + rows),
                            encoding="utf-8")
        print(f"[vote] {path} → {out_path}: {len(rows)} decision(s) of {name} on {len(mine)} document(s) "
              f"({len(kept)} kept); quote matches {matches}")


def stance_vote(args, reviewed_gold: Sequence, by_annotator: Mapping[str, Sequence]) -> tuple[list, dict]:
    """Step 9: the gold's stance layer by the three-annotator vote; ``stance-votes.jsonl`` and
    ``agreement-stance.{json,md}``. Returns the new gold and the vote's summary."""
    name, path = _named_path(args.stance_pass, "--stance-pass")
    if not path.exists():
        raise SystemExit(f"error: --stance-pass {path} does not exist (fix: --stance-pass-ids, or '' to skip)")
    third = read_stance_pass(read_jsonl_rows(path), reviewed_gold, where=path.name)
    gold, votes = vote_stances(reviewed_gold, by_annotator, third, third_name=name)
    (args.out / "stance-votes.jsonl").write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in votes), encoding="utf-8")
    report = stance_agreement(votes)
    table = Counter((row["rule"], row["result"]) for row in votes)
    vote_summary = {
        "rule": STANCE_RULE,
        "holders": len(votes),
        "outcome": {f"{rule} / {result}": n for (rule, result), n in sorted(table.items())},
        "stances_before": sum(len(a.stances) for a in reviewed_gold),
        "stances_after": sum(len(a.stances) for a in gold),
        "changed": sum(1 for row in votes if row["result"] != row["reviewer"]),
        "agreement": report,
    }
    write_json(args.out / "agreement-stance.json", vote_summary)
    (args.out / "agreement-stance.md").write_text(stance_agreement_markdown(report, table), encoding="utf-8")
    print(f"[vote] {len(votes)} holder(s); stances {vote_summary['stances_before']} → "
          f"{vote_summary['stances_after']}; Fleiss κ {report['all holders']['fleiss_kappa']}, "
          f"Krippendorff α {report['all holders']['krippendorff_alpha']}")
    return gold, vote_summary


def _main() -> int:
    try:
        return main()
    except ValueError as error:  # DecisionError, a bad stance pass, an unknown decision layer
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(_main())
