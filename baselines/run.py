"""``khabar run``: the main job — build → train the scikit-learn baselines → evaluate → leaderboard.

The stages are declared (inputs → outputs, as in spaCy projects) and run in order:

====================  ==========================================  ===========================================
stage                 inputs                                      outputs (under ``--out``)
====================  ==========================================  ===========================================
``build``             articles (Label Studio export / JSONL),     ``dataset/`` (Hub layout, test inputs only),
                      split manifest                              ``dataset-private/`` (test gold)
``baselines``         the articles of the evaluation design       ``submissions/sklearn-baselines/<task>.jsonl``
``evaluate``          submissions, evaluation gold                ``results/<task>/results.json`` + per document
``leaderboard``       submissions folder, evaluation gold         ``leaderboard/index.html`` (+ .md, .csv)
====================  ==========================================  ===========================================

**Evaluation design.** When the manifest puts documents in both a training split and ``test``, the
baselines train on ``train`` (+ ``validation``) and are scored on ``test``. When it does not — the
bundled sample has two documents, both in ``train`` — the baselines are scored by *k-fold cross-
validation over documents*: each document is predicted by models trained on the other folds, so no
document is ever scored by a model that saw it. The design used is printed and written to
``run.json``; a figure from two documents is a smoke test of the pipeline, not a result.

The baselines use only the public API of :mod:`benchmark`.
"""

from __future__ import annotations

import hashlib
import json
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmark.model import Article
from benchmark.resources import MANIFEST, SAMPLE, bundled_path

# package data (benchmark/resources), so that the defaults work from a wheel in any folder
DEFAULT_INPUT = bundled_path(SAMPLE)
DEFAULT_MANIFEST = bundled_path(MANIFEST)
TASKS = ("ner", "quotes", "stance")
SYSTEM = "sklearn-baselines"
TRAIN_SPLITS = ("train", "validation")


@dataclass(frozen=True)
class Stage:
    """One declared step: what it reads and what it writes (relative to the run folder)."""

    name: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    description: str


STAGES = (
    Stage("build", ("articles", "manifest"), ("dataset/", "dataset-private/"),
          "Hub-layout dataset folders (public test inputs only; private test gold)"),
    Stage("baselines", ("articles",), tuple(f"submissions/{SYSTEM}/{t}.jsonl" for t in TASKS),
          "train the scikit-learn baselines and write their submissions"),
    Stage("evaluate", ("submissions", "gold/evaluation.articles.jsonl"), tuple(f"results/{t}/" for t in TASKS),
          "score every submission with the shared harness (bootstrap CIs)"),
    Stage("leaderboard", ("submissions/", "gold/evaluation.articles.jsonl"), ("leaderboard/",),
          "rank the systems; Markdown, CSV and HTML with per-label plots"),
)


@dataclass
class RunReport:
    """Where everything went, and the headline figures."""

    out: Path
    design: str
    folds: list[dict[str, list[str]]] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    headline: dict[str, dict[str, Any]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"out": str(self.out), "design": self.design, "folds": self.folds, "outputs": self.outputs,
                "headline": self.headline, "seconds": self.seconds, "notes": self.notes,
                "stages": [vars(stage) for stage in STAGES]}


# --------------------------------------------------------------------------- evaluation design


def _doc_rank(doc_id: str) -> str:
    return hashlib.sha256(doc_id.encode("utf-8")).hexdigest()


def evaluation_folds(articles: Sequence[Article], splits: dict[str, str], k: int = 5, design: str = "auto"
                     ) -> tuple[str, list[tuple[list[Article], list[Article]]]]:
    """``(design, [(train, test), …])``. ``design="test"``: train on train/validation, score the test
    split; ``"cv"``: k-fold cross-validation over documents (deterministic: documents ordered by a hash of
    their doc_id); ``"auto"``: the test split when the manifest has one, else cross-validation."""
    if design not in ("auto", "test", "cv"):
        raise ValueError(f"unknown evaluation design {design!r} (fix: use auto, test or cv)")
    test = [a for a in articles if splits.get(a.doc_id) == "test"]
    train = [a for a in articles if splits.get(a.doc_id) in TRAIN_SPLITS]
    if design != "cv" and test and train:
        return "train on the train/validation splits, score the test split", [(train, test)]
    if design == "test":
        raise ValueError(f"the manifest puts {len(train)} document(s) in train/validation and {len(test)} in test; "
                         "both are needed for --design test (fix: use --design cv, or assign splits)")
    if len(articles) < 2:
        raise ValueError(f"{len(articles)} article(s): the baselines need at least two documents to train and "
                         "score on different ones (fix: give more articles or a manifest with a test split)")
    k = max(2, min(k, len(articles)))
    ordered = sorted(articles, key=lambda a: _doc_rank(a.doc_id))
    folds = [ordered[i::k] for i in range(k)]
    plan = [([a for j, fold in enumerate(folds) if j != i for a in fold], held) for i, held in enumerate(folds)]
    why = "as asked" if design == "cv" else "the manifest has no test split to score"
    return (f"{k}-fold cross-validation over documents ({why}): every document is predicted by models that "
            "never saw it"), plan


# --------------------------------------------------------------------------- baselines


def train_and_predict(train: Sequence[Article], test: Sequence[Article], clusters: Any = None,
                      notes: list[str] | None = None, encoder: Any = None) -> dict[str, list[dict[str, Any]]]:
    """Train the three scikit-learn baselines on ``train`` and return their submission lines on ``test``;
    anything degenerate (e.g. one stance label seen) is appended to ``notes``. ``encoder``: a sentence encoder
    (:class:`~baselines.sklearn.encoder.SentenceEncoder`) for the stance baseline's embedding features."""
    notes = notes if notes is not None else []
    from baselines.sklearn.ner import NerModel, NestedSpansWarning
    from baselines.sklearn.quotes import QuoteModel
    from baselines.sklearn.submission import ner_lines, quote_lines, stance_lines

    with warnings.catch_warnings(record=True) as caught:  # a note each (printed per fold), not a Python warning
        warnings.simplefilter("always", NestedSpansWarning)
        ner = NerModel.train(train, clusters=clusters)
    notes.extend(f"ner: {warning.message}" for warning in caught)
    # the speaker ranker learns from NER mentions of its training documents, predicted out of fold (cross-fitting)
    with warnings.catch_warnings():  # the cross-fitted NER models lose the same nested spans: noted once above
        warnings.simplefilter("ignore", NestedSpansWarning)
        quotes = QuoteModel.train(train, ner_trainer=lambda docs: NerModel.train(docs, clusters=clusters))
    # at prediction time the quote baseline sees only the text: speakers come from the NER model's mentions
    lines = {"ner": ner_lines(ner, test), "quotes": quote_lines(quotes, test, ner=ner, use_gold_entities=False)}
    candidates = {line["doc_id"]: sorted((q["start"], q["end"]) for q in line["quotes"]) for line in lines["quotes"]}
    stance = train_stance(train, notes, encoder=encoder)
    lines["stance"] = stance_lines(stance, test, candidates=candidates)
    return lines


def train_stance(train: Sequence[Article], notes: list[str], encoder: Any = None) -> Any:
    """The stance baseline of the training articles: a ``StanceModel`` on their stance rows, or :class:`SingleLabel`
    when the rows hold one label (a classifier needs two; with one seen, the only honest prediction is that label;
    noted in ``notes``). Its holder ranker learns to choose among the quotes the quote baseline's span scorer finds
    in each training article when trained on the other folds (``predicted_holder_candidates``): the candidates it
    meets at prediction, missed, extra and cut-differently quotes included."""
    from baselines.sklearn.stance import StanceModel, predicted_holder_candidates
    from benchmark.schema import KHABAR
    from benchmark.tasks import get_task

    rows = get_task("stance").rows(train, KHABAR)
    labels = sorted({row["label"] for row in rows})
    if len(labels) >= 2:
        return StanceModel.train(rows, encoder=encoder, holder_candidates=predicted_holder_candidates(train, rows))
    if labels:
        notes.append(f"stance: the training documents hold one stance label ({labels[0]!r}); predicted it for all")
        return SingleLabel(labels[0])
    raise ValueError("the training documents hold no stance; the stance baseline cannot be trained "
                     "(fix: annotate stances or use more documents)")


@dataclass(frozen=True)
class SingleLabel:
    """The stance predictor when training saw a single label: predicts that label."""

    label: str

    def predict(self, rows: Sequence[dict[str, Any]]) -> list[str]:
        return [self.label] * len(rows)


# --------------------------------------------------------------------------- the run




def run_main(inputs: Sequence[str | Path] = (DEFAULT_INPUT,), *, manifest: str | Path | None = DEFAULT_MANIFEST,
             out: str | Path = "runs/main", folds: int = 5, design: str = "auto",
             clusters: str | Path | None = None, license: str | None = None,
             progress: bool = True, log: Callable[[str], None] = print,
             encoder: str | Path | None = None) -> RunReport:
    """Run every stage; return where each output went (see the module docs)."""
    from benchmark.io import write_articles, write_jsonl
    from benchmark.release.build import ReleaseSource, build_release
    from benchmark.release.sources import parse_source, read_source
    from benchmark.release.splits import Manifest

    out = Path(out)
    report = RunReport(out=out, design="")
    articles: list[Article] = []
    for source in inputs:
        articles.extend(read_source(parse_source(str(source))))
    manifest_obj = Manifest.load(manifest) if manifest else None
    log(f"read {len(articles)} article(s) from {', '.join(str(s) for s in inputs)}")

    started = time.perf_counter()
    source_options = {"license": license} if license else {}
    built = build_release([ReleaseSource("khabar", articles, total=len(articles), **source_options)], manifest_obj,
                          out / "dataset", out / "dataset-private", overwrite=True, progress=progress)
    report.seconds["build"] = time.perf_counter() - started
    report.outputs["dataset"] = str(built.public)
    report.outputs["dataset (private test gold)"] = str(built.private)
    log(f"[build] {built.public} (revision {built.revision[:12]}), private gold {built.private}")

    splits = {doc: a.split for doc, a in (manifest_obj.documents.items() if manifest_obj else ())}
    design_text, plan = evaluation_folds(articles, splits, folds, design)
    report.design = design_text
    log(f"[baselines] {design_text}")
    word_clusters = None
    if clusters:
        from baselines.sklearn.wordclusters import WordClusters

        word_clusters = WordClusters.load(Path(clusters).expanduser())
    sentence_encoder = None
    if encoder:
        from baselines.sklearn.encoder import SentenceEncoder

        sentence_encoder = SentenceEncoder(str(encoder))  # one object: its embeddings are memoised across folds
        sentence_encoder.dimension()  # read it now: a wrong folder fails before any training
        log(f"[baselines] stance embedding features: {sentence_encoder.describe()}")
    started = time.perf_counter()
    submissions: dict[str, list[dict[str, Any]]] = {task: [] for task in TASKS}
    evaluated: list[Article] = []
    for index, (train, test) in enumerate(plan, start=1):
        report.folds.append({"train": [a.doc_id for a in train], "test": [a.doc_id for a in test]})
        notes: list[str] = []
        lines = train_and_predict(train, test, word_clusters, notes, encoder=sentence_encoder)
        for note in notes:
            log(f"[baselines] fold {index}: note: {note}")
        report.notes.extend(f"fold {index}: {note}" for note in notes)
        for task in TASKS:
            submissions[task].extend(lines.get(task, []))
        evaluated.extend(test)
        log(f"[baselines] fold {index}/{len(plan)}: trained on {len(train)} document(s), predicted {len(test)}")
    report.seconds["baselines"] = time.perf_counter() - started
    gold_path = out / "gold" / "evaluation.articles.jsonl"
    write_articles(gold_path, evaluated)
    report.outputs["evaluation gold"] = str(gold_path)
    system_dir = out / "submissions" / SYSTEM
    system_dir.mkdir(parents=True, exist_ok=True)
    (system_dir / "metadata.json").write_text(json.dumps(
        {"name": "scikit-learn baselines", "team": "Khabar", "model": "CRF (NER), cue+LR ranker (quotes), "
         "TF-IDF+LR (stance)" + (f" with frozen sentence embeddings of {sentence_encoder.describe()}"
                                 if sentence_encoder is not None else ""),
         "description": design_text}, ensure_ascii=False, indent=2), encoding="utf-8")
    for task in TASKS:
        write_jsonl(system_dir / f"{task}.jsonl", submissions[task])
        report.outputs[f"submission {task}"] = str(system_dir / f"{task}.jsonl")

    from benchmark.harness import evaluate_submission

    started = time.perf_counter()
    for task in TASKS:
        results = evaluate_submission(task, system_dir / f"{task}.jsonl", gold=gold_path, dataset_name="khabar",
                                      split="cross-validated" if len(plan) > 1 else "test")
        results_path, _ = results.write(out / "results" / task)
        report.outputs[f"results {task}"] = str(results_path)
        metric = results.metrics[results.headline]
        report.headline[task] = {"metric": results.headline, "value": metric.value, "ci_low": metric.low,
                                 "ci_high": metric.high, "documents": results.n_documents}
        show = lambda x: "—" if x is None else f"{x:.3f}"  # noqa: E731  (None: undefined, 0/0)
        log(f"[evaluate] {task}: {results.headline} = {show(metric.value)} "
            f"(95% CI {show(metric.low)}–{show(metric.high)}, {results.n_documents} documents)")
    report.seconds["evaluate"] = time.perf_counter() - started

    from benchmark.leaderboard import build_leaderboard, write_leaderboard

    started = time.perf_counter()
    board = build_leaderboard(out / "submissions", gold_path, out / "leaderboard", progress=progress)
    files = write_leaderboard(board, out / "leaderboard")
    report.seconds["leaderboard"] = time.perf_counter() - started
    for kind, path in files.items():
        report.outputs[f"leaderboard {kind}"] = str(path)
    log(f"[leaderboard] {files.get('html')}")
    (out / "run.json").write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n",
                                  encoding="utf-8")
    report.outputs["run record"] = str(out / "run.json")
    return report
