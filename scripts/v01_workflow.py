#!/usr/bin/env python
"""Khabar v0.1 (issue #6): the real Label Studio workflow, end to end and re-runnable.

Steps (each idempotent; docs/corpus-v0.1.md explains them with the exact commands):

1. ``raw``       — read the selected articles (``annotations/v0.1/selection.json``) from the user's
                   SaudiNewsNet through ``benchmark.importers``; every text's SHA-256 is checked.
2. ``serve``     — start a real local Label Studio on 127.0.0.1 (data dir under ``--work``), unless
                   ``--url`` points at a running one.
3. ``setup``/``push`` — create the project and push the raw articles (with baseline predictions
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
9. ``vote``      — when a third stance pass exists (``--stance-pass``, default
                   ``annotations/v0.1/passes/annotator-c.stances.jsonl``), the gold's stance layer is the
                   three-annotator vote of :data:`STANCE_RULE` (:func:`vote_stances`), written before step 8;
                   ``stance-votes.jsonl`` and ``agreement-stance.{json,md}``.
                   A third pass made on its own quote spans is matched to the gold quotes first
                   (``--stance-pass-quotes``, :data:`QUOTE_MATCH_RULE`).

``--from-standoff`` runs steps 6-9 without Label Studio, from the committed pass stand-offs
rehydrated from ``--corpus`` (it reproduces the committed files byte for byte)::

    python scripts/v01_workflow.py --from-standoff --corpus ../shared/data/saudinewsnet \\
        --predictions /tmp/v01/baseline/ner-pred.jsonl --model-version sklearn-crf-anercorp-0.1

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


# --------------------------------------------------------------------------- 9. stance vote (three annotators)

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


def read_jsonl_rows(path: Path) -> list[dict[str, Any]]:
    """Every JSON object of a JSONL file; a bad line stops with its line number and the fix."""
    from benchmark.io import iter_jsonl_records

    rows = []
    for number, record, issue in iter_jsonl_records(path):
        if issue is not None or not isinstance(record, dict):
            problem = issue.message if issue is not None else "not a JSON object"
            raise SystemExit(f"error: {path}:{number}: {problem} (fix: one JSON object per line)")
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
    from benchmark.studio.client import StudioClient, read_predictions
    from benchmark.studio.convert import export_to_articles, write_export
    from benchmark.studio.server import start_server

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


def finish(args, work: Path, articles: Sequence, by_annotator: Mapping[str, Sequence], predictions: Sequence) -> int:
    """Steps 6-9: agreement, adjudication, the stance vote, the stand-off files."""
    from benchmark.io import write_articles
    from benchmark.standoff import write_standoff
    from benchmark.studio.adjudicate import adjudicate
    from benchmark.studio.agreement import agreement_report

    by_annotator = dict(by_annotator)

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
    outcome = adjudicate(articles, rule="majority")
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
    gold, ledger = apply_decisions(articles, outcome.conflicts, decisions, args.lead,
                                   args.union_stances_from or None)
    reviewed_gold = gold

    # 9. stance vote: a, b and a third stance pass
    vote_summary = None
    if args.stance_pass_ids:
        name, path = _named_path(args.stance_pass_ids, "--stance-pass-ids")
        rows = stance_pass_from_ids(read_jsonl_rows(path), reviewed_gold, name, where=path.name)
        _, out_path = _named_path(args.stance_pass, "--stance-pass")
        out_path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
        print(f"[vote] {path} → {out_path} ({len(rows)} decision(s) of {name})")
    if args.stance_pass_quotes:
        from benchmark.io import read_articles

        name, path = _named_path(args.stance_pass_quotes, "--stance-pass-quotes")
        own = list(read_articles(path))
        rows, matches = stance_pass_from_own_quotes(own, reviewed_gold, name)
        _, out_path = _named_path(args.stance_pass, "--stance-pass")
        mine = {article.doc_id for article in own}
        kept = [row for row in (read_jsonl_rows(out_path) if out_path.exists() else []) if row["doc_id"] not in mine]
        out_path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in kept + rows),
                            encoding="utf-8")
        print(f"[vote] {path} → {out_path}: {len(rows)} decision(s) of {name} on {len(mine)} document(s) "
              f"({len(kept)} kept); quote matches {matches}")
    if args.stance_pass:
        name, path = _named_path(args.stance_pass, "--stance-pass")
        if not path.exists():
            raise SystemExit(f"error: --stance-pass {path} does not exist (fix: --stance-pass-ids, or '' to skip)")
        third = read_stance_pass(read_jsonl_rows(path), reviewed_gold, where=path.name)
        gold, votes = vote_stances(reviewed_gold, by_annotator, third, third_name=name)
        (V01 / "stance-votes.jsonl").write_text(
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
        (V01 / "agreement-stance.json").write_text(
            json.dumps(vote_summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        (V01 / "agreement-stance.md").write_text(stance_agreement_markdown(report, table), encoding="utf-8")
        print(f"[vote] {len(votes)} holder(s); stances {vote_summary['stances_before']} → "
              f"{vote_summary['stances_after']}; Fleiss κ {report['all holders']['fleiss_kappa']}, "
              f"Krippendorff α {report['all holders']['krippendorff_alpha']}")
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
        "reviewed_gold": counts(reviewed_gold),
        "stance_vote": None if vote_summary is None else {
            k: v for k, v in vote_summary.items() if k != "agreement"},
        "gold": counts(gold),
        "passes": {email: counts(articles) for email, articles in sorted(by_annotator.items())},
    }
    (V01 / "adjudication-summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n",
                                                   encoding="utf-8")
    print(f"[adjudicate] {len(outcome.conflicts)} conflict(s): {reviewed} reviewed, {ruled} ruled; "
          f"gold {counts(gold)}")

    # 7b. each pass (and the baseline pre-annotation, when pushed) against the adjudicated gold
    compared = dict(by_annotator)
    for article in predictions:
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
