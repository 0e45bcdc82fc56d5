#!/usr/bin/env python
"""Khabar v0.1 (issue #6): the real Label Studio workflow, end to end and re-runnable.

Steps (each idempotent; docs/corpus-v0.1.md explains them with the exact commands):

1. ``raw``       — read the 40 selected articles (``annotations/v0.1/selection.json``) from the user's
                   SaudiNewsNet through ``benchmark.importers``; every text's SHA-256 is checked.
2. ``serve``     — start a real local Label Studio on 127.0.0.1 (data dir under ``--work``), unless
                   ``--url`` points at a running one.
3. ``setup``/``push`` — create the project and push the 40 raw articles (with baseline predictions
                   when ``--predictions``/``--model-version`` are given).
4. ``annotate``  — create the users ``annotator-a@khabar.local`` / ``annotator-b@khabar.local``, log in
                   as each (its own API token) and submit that pass's articles as annotations on the
                   tasks (``article_to_result``); a task the user already annotated is left alone.
5. ``pull``      — snapshot export (full predictions) → ``WORK/export.json`` (it holds text: never
                   committed) → ``export_to_articles`` (strict validation) per annotator.
6. ``agreement`` — per layer and per label: ``annotations/v0.1/agreement.{json,md}``.
7. ``adjudicate`` — ``benchmark.studio.adjudicate`` (majority = unanimous for two annotators) gives the
                   conflict report ``annotations/v0.1/conflicts.{json,md}``; every conflict is then
                   decided by the reviewer's ``annotations/v0.1/adjudication.jsonl`` when it has a
                   decision, else by the declared rule (see :func:`apply_decisions`).
8. ``standoff``  — ``annotations/v0.1/passes/annotator-{a,b}.standoff.jsonl`` and
                   ``annotations/v0.1/gold.standoff.jsonl`` (offsets + SHA-256, no text).

    python scripts/v01_workflow.py --corpus ../shared/data/saudinewsnet \\
        --pass annotator-a=/work/v01/passA/articles.jsonl --pass annotator-b=/work/v01/passB/articles.jsonl \\
        --work /tmp/khabar-v01
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import sys
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
V01 = REPO / "annotations" / "v0.1"
PROJECT = "Khabar v0.1"
LEAD = "annotator-a@khabar.local"


def email_of(name: str) -> str:
    return name if "@" in name else f"{name}@khabar.local"


# --------------------------------------------------------------------------- 1. raw articles


def load_selection(corpus: Path) -> list:
    """The selected articles from the user's corpus, text hashes checked against selection.json."""
    from benchmark.importers import get_importer
    from benchmark.standoff import sha256_text

    selection = json.loads((V01 / "selection.json").read_text(encoding="utf-8"))
    wanted = {row["doc_id"]: row["sha256"] for row in selection["articles"]}
    found = {}
    for article in get_importer("saudinewsnet").load(corpus):
        if article.doc_id in wanted:
            found[article.doc_id] = article
    problems = [f"{doc}: not in {corpus}" for doc in wanted if doc not in found]
    problems += [
        f"{doc}: text sha256 {sha256_text(found[doc].text)} differs from selection.json's {sha}"
        for doc, sha in wanted.items()
        if doc in found and sha256_text(found[doc].text) != sha
    ]
    if problems:
        raise SystemExit("error: your SaudiNewsNet differs from the selection:\n  " + "\n  ".join(problems))
    return [found[row["doc_id"]] for row in selection["articles"]]


# --------------------------------------------------------------------------- 4. annotate as users


def local_user_token(data_dir: Path, email: str) -> str:
    """A user's own API token, read from a local server's database with ``label-studio user``."""
    import ast
    import shutil
    import subprocess

    env = {**os.environ, "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true", "SENTRY_DSN": "",
           "LATEST_VERSION_CHECK": "false", "COLLECT_ANALYTICS": "false",
           "XDG_DATA_HOME": str(data_dir / "xdg"), "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir)}
    answer = subprocess.run([shutil.which("label-studio") or "label-studio", "user", "--username", email,
                             "--data-dir", str(data_dir)], env=env, capture_output=True, text=True, check=False)
    for line in answer.stdout.splitlines():
        if line.startswith("{") and "'token'" in line:
            return str(ast.literal_eval(line)["token"])
    raise SystemExit(f"error: no API token for {email} in {data_dir} (label-studio user said: "
                     f"{(answer.stdout + answer.stderr)[-500:]})")


def user_token(url: str, email: str, password: str) -> str:
    """Log in as a user (the web form, with its CSRF cookie) and read that user's own API token."""
    import httpx

    with httpx.Client(base_url=url, follow_redirects=True, timeout=60) as web:
        web.get("/user/login/")
        csrf = web.cookies.get("csrftoken", "")
        answer = web.post(
            "/user/login/",
            data={"email": email, "password": password, "csrfmiddlewaretoken": csrf},
            headers={"Referer": f"{url}/user/login/", "X-CSRFToken": csrf},
        )
        answer.raise_for_status()
        token = web.get("/api/current-user/token")
        if token.status_code != 200:
            raise SystemExit(f"error: cannot log in to {url} as {email} (HTTP {token.status_code})")
        return str(token.json()["token"])


def submit_pass(client, project: int, articles: Sequence, email: str) -> tuple[int, int]:
    """Submit each article as an annotation by the client's user; skip tasks they already annotated."""
    from tqdm.auto import tqdm

    from benchmark.studio.convert import article_to_result

    me = client.sdk.users.whoami()
    if str(me.email) != email:
        raise SystemExit(f"error: logged in as {me.email}, expected {email}")
    tasks, _ = client.existing_tasks(project)
    done = set()
    for task in client.sdk.tasks.list(project=project, page_size=1000, fields="all"):
        for annotation in getattr(task, "annotations", None) or []:
            who = annotation.get("completed_by") if isinstance(annotation, dict) else None
            if who == me.id or (isinstance(who, dict) and who.get("id") == me.id):
                done.add(task.id)
    created = skipped = 0
    for article in tqdm(articles, desc=f"annotate as {email}", unit="task"):
        info = tasks.get(article.doc_id)
        if info is None:
            raise SystemExit(f"error: {article.doc_id}: no task on the server (run the push step)")
        if info.text != article.text:
            raise SystemExit(f"error: {article.doc_id}: the pass's text differs from the task's")
        if info.id in done:
            skipped += 1
            continue
        client.sdk.annotations.create(id=info.id, result=article_to_result(article))
        created += 1
    return created, skipped


# --------------------------------------------------------------------------- 7. adjudication


def _key(layer: str, doc_id: str, start: int | None, end: int | None, pair: Any = None) -> tuple:
    """A conflict's identity; a coreference conflict has no offsets of its own, only its mention pair."""
    if pair:
        return (doc_id, layer, start, end, tuple(tuple(span) for span in pair))
    return (doc_id, layer, start, end)


def load_decisions(path: Path) -> dict[tuple, dict[str, Any]]:
    """The reviewer's decisions, keyed by (doc_id, layer, start, end); each line names them all."""
    decisions: dict[tuple, dict[str, Any]] = {}
    if not path.exists():
        return decisions
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        missing = [k for k in ("doc_id", "layer", "start", "end", "options", "decision", "reason") if k not in row]
        if missing:
            raise SystemExit(f"error: {path.name}:{number}: missing {missing}")
        key = _key(row["layer"], row["doc_id"], row["start"], row["end"], (row.get("decision") or {}).get("pair")
                   if row["layer"] == "coreference" else None)
        if key in decisions:
            raise SystemExit(f"error: {path.name}:{number}: a second decision for {key}")
        decisions[key] = row
    return decisions


def conflict_key(conflict) -> tuple:
    """The key a reviewer's decision is filed under for this :class:`Conflict`."""
    pair = textless_conflict(conflict).get("pair") if conflict.layer == "coreference" else None
    return _key(conflict.layer, conflict.doc_id, conflict.start, conflict.end, pair)


class GoldBuilder:
    """One document's gold, built from the lead's article and edited by decisions.

    Decisions (``decision`` field) per layer:

    - ``entity`` at a span: a label (the mention at that span gets it, added when missing) or
      ``null`` (removed; quotes/stances pointing at it must have been decided too);
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

    def __init__(self, articles: Mapping[str, Any], lead: str):
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
        if layer == "entity":
            old = self.entities.get(span)
            if decision is None:
                self.entities.pop(span, None)
            elif old is None:
                new_id = f"x{span[0]}-{span[1]}"
                self.entities[span] = Mention(new_id, *span, decision, cluster=new_id)
            else:
                self.entities[span] = Mention(old.id, old.start, old.end, decision, cluster=old.cluster)
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
                keep, move = self.entities[x].cluster, self.entities[y].cluster
                for span, m in self.entities.items():
                    if m.cluster == move:
                        self.entities[span] = Mention(m.id, m.start, m.end, m.label, cluster=keep)
        else:
            raise ValueError(f"unknown conflict layer {layer!r}")

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


def apply_decisions(articles: Sequence, conflicts: Sequence, decisions: Mapping[tuple, dict], lead: str,
                    union_stances_from: str | None):
    """Gold articles: the lead's article, every reviewed conflict decided by the reviewer, the other
    conflicts by the lead rule, plus (when ``union_stances_from``) that annotator's unopposed stances.

    Returns ``(gold, ledger)``; the ledger lists each conflict with ``reviewed`` or ``ruled``.
    """
    from benchmark.model import Provenance

    by_doc: dict[str, dict[str, Any]] = defaultdict(dict)
    for article in articles:
        by_doc[article.doc_id][article.provenance.annotator] = article
    per_doc_conflicts: dict[str, list] = defaultdict(list)
    for conflict in conflicts:
        per_doc_conflicts[conflict.doc_id].append(conflict)
    gold, ledger = [], []
    order = ["entity", "quote", "quote speaker", "quote speaker_elided", "quote cue",
             "stance (quote)", "stance (article)", "stance target", "stance target_mention", "coreference"]
    for doc_id in sorted(by_doc):
        builder = GoldBuilder(by_doc[doc_id], lead)
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
            annotator="adjudicated:reviewer+lead:" + lead,
            annotation_ids=tuple(i for a in annotators for i in by_doc[doc_id][a].provenance.annotation_ids),
            guidelines_version=by_doc[doc_id][lead].provenance.guidelines_version,
            source=by_doc[doc_id][lead].provenance.source,
        )
        gold.append(builder.article(provenance))
        if added:
            ledger.append({"doc_id": doc_id, "by": "ruled", "decision": f"{added} unopposed stance(s) of "
                           f"{union_stances_from} added (union rule)"})
    return gold, ledger


# --------------------------------------------------------------------------- text-free reports


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


def conflicts_markdown(rows: Sequence[Mapping[str, Any]]) -> str:
    """The committed conflict report: one table row per conflict, offsets only (no corpus text)."""
    by_layer = Counter(row["layer"] for row in rows)
    lines = [
        "# Khabar v0.1 — adjudication conflicts (annotator-a × annotator-b)",
        "",
        f"{len(rows)} conflict(s) found by `benchmark.studio.adjudicate` (rule majority = unanimous for two "
        "annotators): " + ", ".join(f"{layer} {n}" for layer, n in sorted(by_layer.items())) + ".",
        "Offsets only (the SaudiNewsNet text is not ours to commit): rehydrate the passes and run",
        "`khabar annotate adjudicate` for the report with the text (docs/corpus-v0.1.md). Each conflict's",
        "decision and reason are in `adjudication.jsonl`.",
        "",
        "| doc_id | layer | offsets | annotator-a | annotator-b |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        offsets = "" if row["start"] is None else f"[{row['start']}, {row['end']})"
        if row.get("pair"):
            offsets = " ~ ".join(f"[{a}, {b})" for a, b in row["pair"])
        votes = [json.dumps(row["votes"].get(email_of(name)), ensure_ascii=False).replace("|", "/")
                 for name in ("annotator-a", "annotator-b")]
        lines.append(f"| `{row['doc_id']}` | {row['layer']} | {offsets} | {votes[0]} | {votes[1]} |")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- driver


def counts(articles: Sequence) -> dict[str, int]:
    return {
        "articles": len(articles),
        "entities": sum(len(a.entities) for a in articles),
        "quotes": sum(len(a.quotes) for a in articles),
        "quotes_with_speaker": sum(1 for a in articles for q in a.quotes if q.speaker is not None),
        "stances": sum(len(a.stances) for a in articles),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="your SaudiNewsNet folder")
    parser.add_argument("--pass", dest="passes", action="append", required=True, metavar="NAME=ARTICLES.jsonl",
                        help="an annotation pass: the annotator's name and their Article JSONL (repeatable)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/khabar-v01"),
                        help="working folder outside the repo (Label Studio data, the raw export)")
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
    from benchmark.standoff import write_standoff
    from benchmark.studio.adjudicate import adjudicate
    from benchmark.studio.agreement import agreement_report
    from benchmark.studio.client import StudioClient, read_predictions
    from benchmark.studio.convert import export_to_articles, write_export
    from benchmark.studio.server import start_server

    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
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
        project, created = admin.setup_project(PROJECT, description="Khabar v0.1: 40 SaudiNewsNet articles")
        print(f"[setup] {'created' if created else 'updated'} project {PROJECT!r} (id {project})")
        predictions = None
        if args.predictions:
            predictions = read_predictions(args.predictions, {a.doc_id: a.text for a in raw})
        report = admin.push(project, raw, predictions=predictions, model_version=args.model_version)
        print("[push] " + report.summary().replace("\n", "\n[push] "))
        # 4. annotate as each user
        for email, articles in passes.items():
            admin.ensure_user(email, secrets_["users"][email])
            if server is not None:
                own_token = local_user_token(server.data_dir, email)
            else:
                own_token = user_token(url, email, secrets_["users"][email])
            as_user = StudioClient(url, own_token)
            done, skipped = submit_pass(as_user, project, articles, email)
            print(f"[annotate] {email}: {done} annotation(s) submitted, {skipped} already there")
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

    # 6. agreement
    report = agreement_report(by_annotator)
    (V01 / "agreement.json").write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")
    (V01 / "agreement.md").write_text(
        "# Khabar v0.1 — inter-annotator agreement (annotator-a × annotator-b)\n\n"
        "Made by `python scripts/v01_workflow.py …` (docs/corpus-v0.1.md), equivalently\n"
        "`khabar annotate agreement WORK/export.json --json annotations/v0.1/agreement.json`.\n\n```\n"
        + report.format_table() + "\n```\n", encoding="utf-8")
    print(report.format_table())

    # 7. adjudicate: conflict report, then reviewer decisions + declared rule
    outcome = adjudicate(result.articles, rule="majority")
    # the full report quotes the text: it stays in WORK; the committed one has offsets only
    (work / "conflicts.md").write_text(outcome.to_markdown(), encoding="utf-8")
    textless = [textless_conflict(c) for c in outcome.conflicts]
    (V01 / "conflicts.json").write_text(
        json.dumps({"rule": outcome.rule, "conflicts": textless}, ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8")
    (V01 / "conflicts.md").write_text(conflicts_markdown(textless), encoding="utf-8")
    decisions = load_decisions(V01 / "adjudication.jsonl")
    keys = {conflict_key(c) for c in outcome.conflicts}
    stray = [k for k in decisions if k not in keys]
    if stray:
        raise SystemExit(f"error: {len(stray)} decision(s) match no conflict, e.g. {stray[:3]}")
    gold, ledger = apply_decisions(result.articles, outcome.conflicts, decisions, args.lead,
                                   args.union_stances_from or None)
    reviewed = sum(1 for row in ledger if row.get("by") == "reviewed")
    ruled = sum(1 for row in ledger if row.get("by") == "ruled" and "conflict" in row)
    by_layer = Counter((row["conflict"]["layer"], row["by"]) for row in ledger if "conflict" in row)
    summary = {
        "conflicts": len(outcome.conflicts),
        "reviewed": reviewed,
        "ruled": ruled,
        "by_layer": {f"{layer} / {by}": n for (layer, by), n in sorted(by_layer.items())},
        "rule": f"unreviewed conflicts: lead {args.lead}; stances: union with "
                f"{args.union_stances_from or 'nobody'} where the gold has no stance on that holder",
        "union_stances_added": sum(int(row["decision"].split()[0]) for row in ledger if "conflict" not in row),
        "gold": counts(gold),
        "passes": {email: counts(articles) for email, articles in sorted(by_annotator.items())},
    }
    (V01 / "adjudication-summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n",
                                                   encoding="utf-8")
    print(f"[adjudicate] {len(outcome.conflicts)} conflict(s): {reviewed} reviewed, {ruled} ruled; "
          f"gold {counts(gold)}")

    # 7b. each pass (and the baseline pre-annotation, when pushed) against the adjudicated gold
    compared = dict(by_annotator)
    for article in result.predictions:
        compared.setdefault(article.provenance.annotator or "model", []).append(article)
    versus = agreement_report(compared, gold=gold)
    (V01 / "agreement-vs-gold.json").write_text(
        json.dumps(versus.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (V01 / "agreement-vs-gold.md").write_text(
        "# Khabar v0.1 — each pass and the baseline pre-annotation against the adjudicated gold\n\n"
        "Made by `python scripts/v01_workflow.py …` (docs/corpus-v0.1.md). The baseline (`model:…`) is the\n"
        "sklearn CRF trained on ANERcorp (labels PER/LOC/ORG/MISC only; no quotes, no stance), pushed as\n"
        "predictions; the passes were made from scratch, not from it.\n\n```\n"
        + versus.format_table() + "\n```\n", encoding="utf-8")

    # 8. stand-off files (no text)
    for email, articles in sorted(by_annotator.items()):
        slug = re.sub(r"@.*", "", email)
        write_standoff(V01 / "passes" / f"{slug}.standoff.jsonl", articles)
    write_standoff(V01 / "gold.standoff.jsonl", gold)
    write_articles(work / "gold.articles.jsonl", gold)
    print(f"[standoff] passes and gold → {V01} (the gold with text: {work / 'gold.articles.jsonl'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
