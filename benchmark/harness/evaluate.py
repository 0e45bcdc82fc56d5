"""Score a submission: validate it, count per document, bootstrap, and write the results (DESIGN §5).

>>> from benchmark.harness.gold import GoldSet
>>> gold = GoldSet.from_rows("ner", [{"doc_id": "d1", "text": "زار بوتين روسيا",
...                                   "entities": [{"start": 4, "end": 9, "label": "PER"}]}])
>>> results = evaluate_submission("ner", [{"doc_id": "d1", "entities": [{"start": 4, "end": 9, "label": "PER"}]}],
...                               gold=gold, n_resamples=100)
>>> results.metrics["strict/f1"].value
1.0

The results (see ``docs/evaluation.md`` for every field) are keyed by (task, task version,
dataset revision); :meth:`Results.write` writes ``results.json`` and ``documents.jsonl`` (one
line per document: its raw counts, its headline score and its errors), from which
:func:`load_count_table` rebuilds the count table that :func:`compare_results` (the paired
bootstrap) needs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from benchmark import __version__
from benchmark.harness.bootstrap import (
    DEFAULT_CONFIDENCE,
    DEFAULT_RESAMPLES,
    Interval,
    PairedResult,
    bootstrap_ci,
    paired_bootstrap,
)
from benchmark.harness.gold import GoldSet
from benchmark.harness.validation import SubmissionInvalid, ValidationReport, validate_submission
from benchmark.metrics.base import CountTable, as_figure
from benchmark.tasks import Task, get_task

__all__ = ["RESULTS_SCHEMA_VERSION", "ComparisonError", "Results", "compare_results", "evaluate_submission",
           "format_interval", "load_count_table"]

RESULTS_SCHEMA_VERSION = 1
RESULTS_FILE = "results.json"
DOCUMENTS_FILE = "documents.jsonl"


@dataclass
class Results:
    """Everything one scoring run produced. ``to_dict()`` is the results JSON."""

    task: str
    task_version: str
    dataset: dict[str, Any]
    submission: dict[str, Any]
    n_documents: int
    n_items: int
    headline: str
    higher_is_better: bool
    metrics: dict[str, Interval]
    counts: dict[str, int]
    bootstrap: dict[str, Any]
    breakdown: dict[str, Any] = field(default_factory=dict)
    package_version: str = __version__
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    headline_metrics: tuple[str, ...] = ()
    count_columns: tuple[str, ...] = ()
    documents: list[dict[str, Any]] = field(default_factory=list, repr=False)
    validation: ValidationReport | None = field(default=None, repr=False)

    @property
    def score(self) -> float | None:
        """The headline metric's value (``None`` when undefined, e.g. no quote in gold nor predictions)."""
        return self.metrics[self.headline].value

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": RESULTS_SCHEMA_VERSION,
            "task": self.task,
            "task_version": self.task_version,
            "dataset": self.dataset,
            "package": {"name": "khabar", "version": self.package_version},
            "submission": self.submission,
            "created": self.created,
            "n_documents": self.n_documents,
            "n_items": self.n_items,
            "headline": {"metric": self.headline, "higher_is_better": self.higher_is_better,
                         **self.metrics[self.headline].to_dict()},
            "headline_metrics": list(self.headline_metrics),
            "metrics": {name: interval.to_dict() for name, interval in self.metrics.items()},
            "counts": self.counts,
            "count_columns": list(self.count_columns),
            "bootstrap": self.bootstrap,
            "breakdown": self.breakdown,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Results:
        """Read a results JSON back (documents are not included; see :func:`load_count_table`)."""
        if data.get("schema_version") != RESULTS_SCHEMA_VERSION:
            raise ValueError(f"results schema_version {data.get('schema_version')!r} is not "
                             f"{RESULTS_SCHEMA_VERSION}; re-run khabar evaluate with this version")
        return cls(
            task=data["task"], task_version=data["task_version"], dataset=dict(data["dataset"]),
            submission=dict(data["submission"]), n_documents=data["n_documents"], n_items=data["n_items"],
            headline=data["headline"]["metric"], higher_is_better=data["headline"]["higher_is_better"],
            metrics={k: Interval(v["value"], v["ci_low"], v["ci_high"]) for k, v in data["metrics"].items()},
            counts=dict(data["counts"]), bootstrap=dict(data["bootstrap"]), breakdown=dict(data["breakdown"]),
            package_version=data["package"]["version"], created=data["created"],
            headline_metrics=tuple(data.get("headline_metrics", ())),
            count_columns=tuple(data.get("count_columns", ())),
        )

    def write(self, out_dir: str | Path) -> tuple[Path, Path]:
        """Write ``results.json`` and ``documents.jsonl`` into ``out_dir``; return both paths."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        results_path, documents_path = out / RESULTS_FILE, out / DOCUMENTS_FILE
        results_path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        from benchmark.io import write_jsonl

        write_jsonl(documents_path, self.documents)
        return results_path, documents_path

    def table(self, all_metrics: bool = False) -> str:
        """A readable summary for the terminal."""
        pct = self.bootstrap.get("confidence", DEFAULT_CONFIDENCE) * 100
        lines = [f"{self.task} v{self.task_version} · dataset {self.dataset.get('name') or '?'} "
                 f"[{self.dataset.get('split') or '?'}] rev {str(self.dataset.get('revision'))[:24]} · "
                 f"{self.n_documents} documents"
                 + (f", {self.n_items} items" if self.n_items != self.n_documents else ""),
                 f"{'metric':<34} {'value':>8}   {pct:.0f}% CI (bootstrap over documents)"]
        names = list(self.metrics) if all_metrics else [m for m in self.headline_metrics if m in self.metrics]
        for name in names:
            marker = " *" if name == self.headline else ""
            lines.append(f"{name + marker:<34} {format_interval(self.metrics[name])}")
        if any(not self.metrics[name].defined for name in names):
            lines.append("— = undefined (0/0: e.g. precision without predictions, a label absent from gold and "
                         "predictions)")
        if self.task == "stance" and "confusion" in self.breakdown:
            confusion = self.breakdown["confusion"]
            predicted = [p for p in next(iter(confusion.values()))
                         if p != "<missing>" or any(row[p] for row in confusion.values())]
            lines.append("confusion (rows gold, columns predicted): " + " | ".join(predicted))
            lines += [f"  {gold:<12} " + " ".join(f"{row[p]:>6}" for p in predicted)
                      for gold, row in confusion.items()]
            wrong_holder = sum(v for k, v in self.counts.items() if k.startswith("wrong_holder/"))
            if wrong_holder:
                lines.append(f"  + {wrong_holder} quote-holder row(s) answered with a wrong quote (wrong answers)")
        else:
            shown = {k: v for k, v in self.counts.items() if k.count("/") <= 1}
            lines.append("counts: " + ", ".join(f"{k}={v}" for k, v in shown.items()))
        return "\n".join(lines)


def format_interval(interval: Interval) -> str:
    """``value   [low, high]`` with 4 decimals; "—" for an undefined value or bound.

    >>> format_interval(Interval(0.5, 0.25, 0.75)), format_interval(Interval(None, None, None))
    ('  0.5000   [0.2500, 0.7500]', '       —   [—, —]')
    """
    show = lambda x: "—" if x is None else f"{x:.4f}"  # noqa: E731
    return f"{show(interval.value):>8}   [{show(interval.low)}, {show(interval.high)}]"


# --------------------------------------------------------------------------- gold / submission inputs


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _records_sha256(records: Sequence[Mapping[str, Any]]) -> str:
    digest = hashlib.sha256()
    for record in records:
        digest.update(json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8") + b"\n")
    return digest.hexdigest()


def _doc_groups(task: Task, gold: GoldSet) -> tuple[list[str], dict[str, list[Mapping[str, Any]]]]:
    order: list[str] = []
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for row in gold.rows:
        doc = row["doc_id"]
        if doc not in groups:
            order.append(doc)
            groups[doc] = []
        groups[doc].append(row)
    return order, groups


# --------------------------------------------------------------------------- per-document errors


def _ner_errors(row: Mapping[str, Any], line: Mapping[str, Any] | None) -> dict[str, Any]:
    text = row["text"]
    gold = {(e["start"], e["end"], e["label"]) for e in row["entities"]}
    pred = {(e["start"], e["end"], e["label"]) for e in (line or {}).get("entities", [])}
    show = lambda spans: [[s, e, lab, text[s:e]] for s, e, lab in sorted(spans)]  # noqa: E731
    return {"missed": show(gold - pred), "spurious": show(pred - gold)}


def _quote_errors(row: Mapping[str, Any], line: Mapping[str, Any] | None) -> dict[str, Any]:
    """Missed gold quotes, right quotes with a wrong speaker and spurious predictions, at the
    headline's (robust) matching level."""
    from benchmark.metrics.quotes import match_quotes, speaker_right

    gold, predicted = row["quotes"], (line or {}).get("quotes", [])
    pairs = match_quotes(row["text"], gold, predicted)["robust"]
    matched_gold = set(pairs.values())
    missed = [[q["start"], q["end"], q["kind"]] for gi, q in enumerate(gold) if gi not in matched_gold]
    wrong_speaker = []
    for pi, gi in sorted(pairs.items(), key=lambda pair: pair[1]):
        q, p = gold[gi], predicted[pi]
        if not speaker_right(q, p):
            speaker = p.get("speaker")
            wrong_speaker.append({"quote": [q["start"], q["end"]],
                                  "predicted": None if speaker is None else [speaker["start"], speaker["end"]],
                                  "gold": [q["speaker_start"], q["speaker_end"]]})
    spurious = sorted([p["start"], p["end"]] for pi, p in enumerate(predicted) if pi not in pairs)
    return {"missed": missed, "wrong_speaker": wrong_speaker, "spurious": spurious}


def _stance_errors(rows: Sequence[Mapping[str, Any]], predictions: Mapping[str, Mapping[str, Any]]
                   ) -> dict[str, Any]:
    from benchmark.metrics.stance import holder_outcomes

    outcomes = holder_outcomes(rows, predictions)
    wrong = [{"id": r["id"], "target": r["target"], "gold": r["label"], "predicted": o.label}
             for r, o in zip(rows, outcomes, strict=True) if o.holder_right and o.label != r["label"]]
    wrong_holder = [{"id": r["id"], "target": r["target"], "gold_quote": [r["holder_start"], r["holder_end"]],
                     "gold": r["label"], "predicted": o.label}
                    for r, o in zip(rows, outcomes, strict=True) if not o.holder_right]
    return {"wrong": wrong, "wrong_holder": wrong_holder}


# --------------------------------------------------------------------------- evaluate


def evaluate_submission(task: str | Task, submission: str | Path | Iterable[Mapping[str, Any]], *,
                        gold: GoldSet | str | Path, dataset_name: str | None = None, split: str | None = None,
                        revision: str | None = None, n_resamples: int = DEFAULT_RESAMPLES,
                        confidence: float = DEFAULT_CONFIDENCE, seed: int = 0, strict: bool = False) -> Results:
    """Validate and score a submission; raise :class:`SubmissionInvalid` (never score) if it fails.

    ``submission``: a JSONL path or an iterable of dict lines. ``gold``: a :class:`GoldSet`, or a
    path to an Article JSONL (``.parquet`` / rows JSONL are detected; see :func:`load_gold`).
    ``revision`` overrides the gold's dataset revision. Fields the task does not define are
    ignored with a warning (``results.validation``), or refused with ``strict=True``.
    """
    task = get_task(task)
    if not isinstance(gold, GoldSet):
        gold = load_gold(task, gold, revision=revision)
    lines = None
    if not isinstance(submission, str | Path):
        lines = [dict(r) if isinstance(r, Mapping) else r for r in submission]
    report = validate_submission(task, lines if lines is not None else submission, gold, strict=strict)
    if not report.ok:
        raise SubmissionInvalid(report)
    predictions = report.predictions

    table = task.doc_counts(gold.rows, predictions, gold.schema)
    score = lambda totals: task.scores_from_counts(totals, table.columns, gold.schema)  # noqa: E731
    metrics = bootstrap_ci(table.counts, score, n_resamples=n_resamples, confidence=confidence, seed=seed)

    # per document: raw counts (non-zero), the headline score on that document alone, the errors
    per_doc_headline = np.asarray(score(table.counts)[task.headline])
    _, groups = _doc_groups(task, gold)
    documents = []
    for i, doc_id in enumerate(table.doc_ids):
        rows = groups[doc_id]
        if task.name == "ner":
            errors = _ner_errors(rows[0], predictions.get(doc_id))
        elif task.name == "quotes":
            errors = _quote_errors(rows[0], predictions.get(doc_id))
        else:
            errors = _stance_errors(rows, predictions)
        documents.append({"doc_id": doc_id, task.headline: as_figure(per_doc_headline[i]),
                          "counts": {c: int(v) for c, v in zip(table.columns, table.counts[i], strict=True) if v},
                          "errors": errors})

    breakdown: dict[str, Any] = {}
    if task.name == "stance":
        from benchmark.metrics.stance import confusion_from_counts, holder_outcomes, stance_by_target
        from benchmark.tasks.stance import polar_labels

        breakdown["confusion"] = confusion_from_counts(table.counts.sum(axis=0), table.columns)
        answers = [o.label if o.holder_right else None for o in holder_outcomes(gold.rows, predictions)]
        breakdown["per_target"] = stance_by_target(  # a wrong holder quote counts as no answer here
            [r["label"] for r in gold.rows], answers,
            [r["target"] for r in gold.rows], task.label_names(gold.schema), polar_labels(gold.schema))
        breakdown["polar_labels"] = list(polar_labels(gold.schema))
    breakdown["labels"] = list(task.label_names(gold.schema))

    if isinstance(submission, str | Path):
        sub_info = {"path": str(submission), "sha256": _sha256(Path(submission)), "n_lines": report.n_lines}
    else:
        sub_info = {"path": None, "sha256": _records_sha256(lines or []), "n_lines": report.n_lines}
    if report.warnings:  # the ignored extra fields, named (the first 20) and counted
        sub_info["n_warnings"] = len(report.warnings)
        sub_info["warnings"] = [str(warning) for warning in report.warnings[:20]]
    return Results(
        task=task.name, task_version=task.version,
        dataset={"name": dataset_name, "split": split, "revision": gold.revision, "source": gold.source,
                 "schema": gold.schema.name},
        submission=sub_info, n_documents=len(table.doc_ids), n_items=len(gold.rows),
        headline=task.headline, higher_is_better=task.higher_is_better, metrics=metrics,
        counts=table.totals(),
        bootstrap={"n_resamples": n_resamples, "confidence": confidence, "seed": seed, "unit": "document",
                   "method": "percentile"},
        breakdown=breakdown, headline_metrics=task.headline_metrics, count_columns=table.columns,
        documents=documents, validation=report,
    )


def _looks_like_rows(record: Mapping[str, Any]) -> bool:
    from benchmark.model import Article  # noqa: F401  (the Article fields are the reference)

    article_fields = {"doc_id", "text", "title", "source", "url", "published", "variety", "meta", "entities",
                      "quotes", "stances", "provenance"}
    if set(record) - article_fields:
        return True
    return any(isinstance(q, Mapping) and "speaker_cluster" in q for q in record.get("quotes") or [])


def load_gold(task: str | Task, path: str | Path, revision: str | None = None, schema=None) -> GoldSet:
    """Gold from a file: ``.parquet`` rows, a rows JSONL, or an Article JSONL (detected from line 1)."""
    from benchmark.schema import KHABAR

    task = get_task(task)
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"gold file {path} does not exist")
    if path.suffix == ".parquet":
        return GoldSet.from_rows_file(task, path, schema, revision)
    with path.open(encoding="utf-8-sig") as handle:
        first = next((line for line in handle if line.strip()), "")
    try:
        record = json.loads(first) if first else {}
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: line 1 is not valid JSON ({error.msg}); gold must be JSONL") from error
    if isinstance(record, Mapping) and _looks_like_rows(record):
        return GoldSet.from_rows_file(task, path, schema, revision)
    return GoldSet.from_articles(task, path, schema or KHABAR, revision)


# --------------------------------------------------------------------------- comparison


def load_count_table(out_dir: str | Path) -> tuple[Results, CountTable]:
    """A written results folder: its :class:`Results` and its per-document count table."""
    out = Path(out_dir)
    results = Results.from_dict(json.loads((out / RESULTS_FILE).read_text(encoding="utf-8")))
    columns = results.count_columns
    index = {c: i for i, c in enumerate(columns)}
    doc_ids, rows = [], []
    with (out / DOCUMENTS_FILE).open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            row = np.zeros(len(columns), dtype=np.int64)
            for column, value in record["counts"].items():
                row[index[column]] = value
            doc_ids.append(record["doc_id"])
            rows.append(row)
    counts = np.stack(rows) if rows else np.zeros((0, len(columns)), dtype=np.int64)
    return results, CountTable(tuple(doc_ids), columns, counts)


class ComparisonError(ValueError):
    """Two results folders that cannot be compared; the message says why and how to fix it."""


def compare_results(a: str | Path, b: str | Path, metric: str | None = None,
                    n_resamples: int = DEFAULT_RESAMPLES, confidence: float = DEFAULT_CONFIDENCE,
                    seed: int = 0) -> PairedResult:
    """Paired bootstrap of two written results folders (same task, version and dataset revision); a pair that
    cannot be compared raises :class:`ComparisonError` naming the folders and the fix."""
    for folder in (a, b):
        missing = [name for name in (RESULTS_FILE, DOCUMENTS_FILE) if not (Path(folder) / name).is_file()]
        if missing:
            raise ComparisonError(f"cannot compare: {folder} has no {' or '.join(missing)} (fix: pass a folder "
                                  "written by `khabar evaluate --out DIR`)")
    results_a, table_a = load_count_table(a)
    results_b, table_b = load_count_table(b)
    for key in ("task", "task_version"):
        if getattr(results_a, key) != getattr(results_b, key):
            raise ComparisonError(f"cannot compare {a} with {b}: {key} differs ({getattr(results_a, key)!r} vs "
                                  f"{getattr(results_b, key)!r}; fix: score both with the same task version)")
    if results_a.dataset.get("revision") != results_b.dataset.get("revision"):
        raise ComparisonError(
            f"cannot compare {a} with {b}: dataset revisions differ ({results_a.dataset.get('revision')!r} vs "
            f"{results_b.dataset.get('revision')!r}; fix: score both submissions against the same gold, both "
            "with --dataset DIR --split SPLIT or both with --gold FILE)")
    if table_a.doc_ids != table_b.doc_ids or table_a.columns != table_b.columns:
        raise ComparisonError(f"cannot compare {a} with {b}: the two results describe different documents or count "
                              "columns (fix: score both on the same split)")
    task = get_task(results_a.task)
    if task.name == "stance":  # scores need the polar labels the results were made with
        from benchmark.metrics.stance import holder_scores_from_counts

        polar = results_a.breakdown.get("polar_labels")
        score = lambda totals: holder_scores_from_counts(totals, table_a.columns, polar)  # noqa: E731
    else:
        from benchmark.schema import KHABAR

        score = lambda totals: task.scores_from_counts(totals, table_a.columns, KHABAR)  # noqa: E731
    return paired_bootstrap(table_a.counts, table_b.counts, score, metric or task.headline, n_resamples,
                            confidence, seed)
