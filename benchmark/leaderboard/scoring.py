"""The scoring loop: discover, score every submission with the shared harness, rank, keep going.

Scoring, validation and the bootstrap are the harness' (:mod:`benchmark.harness`); this module
only feeds it safely and collects what it says:

1. :func:`~benchmark.leaderboard.discovery.discover` lists the submissions (safe paths only);
2. each predictions file is read with a size cap (:func:`~benchmark.leaderboard.safety.read_bounded`),
   copied to a private temporary file, and given to
   :func:`~benchmark.harness.evaluate_submission` (validation with numbered errors, counts,
   bootstrap CIs); its results are written to ``OUT/results/<task>/<system>/``;
3. a submission that fails anywhere becomes a refusal with its reasons, and the loop goes on;
4. systems are ranked by the task's headline metric (:func:`~benchmark.leaderboard.ranking.rank_systems`)
   with the harness' :func:`~benchmark.harness.paired_bootstrap` (documents resampled, the same
   resamples for both systems) on the count tables read back with
   :func:`~benchmark.harness.load_count_table` (once per system), scored by the task's own scorer
   with the gold's label schema, exactly as the intervals were.

The per-label scores are the headline metric restricted to each label: ``strict/<label>/f1``
for ``ner``, ``kind/<label>/e2e/f1`` for ``quotes``, ``<label>/f1`` for ``stance``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmark import __version__
from benchmark.leaderboard.board import BoardRow, Interval, Leaderboard, TaskBoard, slug
from benchmark.leaderboard.discovery import Candidate, Rejection, discover
from benchmark.leaderboard.ranking import DEFAULT_ALPHA, rank_systems
from benchmark.leaderboard.safety import DEFAULT_MAX_BYTES, UnsafePath, read_bounded

if TYPE_CHECKING:  # pragma: no cover
    from benchmark.harness import GoldSet, Results
    from benchmark.metrics.base import CountTable
    from benchmark.tasks import Task

__all__ = ["MAX_REASONS", "ScoringOptions", "build_leaderboard", "load_task_gold", "per_label_pattern"]

MAX_REASONS = 50
"""At most this many validation errors are listed per refused submission (then a count of the rest)."""

PER_LABEL_PATTERNS = ("{scheme}/{label}/{measure}", "kind/{label}/{headline}", "{label}/{measure}")
"""Where a label's version of the headline metric lives in the harness' metric names."""


@dataclass(frozen=True, slots=True)
class ScoringOptions:
    """How the board is scored: bootstrap size and level, test level, seed, size cap, gold split, and
    whether fields the task does not define refuse a submission (``strict``) or are ignored with a
    warning kept in its ``results.json`` (default)."""

    n_resamples: int = 1000
    confidence: float = 0.95
    alpha: float = DEFAULT_ALPHA
    seed: int = 0
    max_bytes: int = DEFAULT_MAX_BYTES
    split: str = "test"
    strict: bool = False
    schema: Any = None  # a LabelSchema for an Article JSONL gold (``--schema``); None: Khabar's / the release's


def per_label_pattern(headline: str, labels: Sequence[str], metric_names: Sequence[str]) -> str | None:
    """The metric-name pattern (with ``{label}``) that gives the headline metric per label, if any.

    >>> per_label_pattern("strict/f1", ["PER"], ["strict/f1", "strict/PER/f1"])
    'strict/{label}/f1'
    >>> per_label_pattern("macro/f1", ["favor"], ["macro/f1", "favor/f1"])
    '{label}/f1'
    """
    scheme, _, measure = headline.rpartition("/")
    names = set(metric_names)
    for pattern in PER_LABEL_PATTERNS:
        if "{scheme}" in pattern and not scheme:
            continue
        filled = pattern.replace("{scheme}", scheme).replace("{measure}", measure).replace("{headline}", headline)
        if labels and all(filled.format(label=label) in names for label in labels):
            return filled
    return None


def load_task_gold(task: str, gold: str | Path, split: str = "test", schema: Any = None) -> GoldSet:
    """The :class:`~benchmark.harness.GoldSet` of ``task``: from a file (Article JSONL, rows JSONL or
    parquet) or from a Hub-layout folder (the private folder written by ``khabar build``), its ``split``."""
    from benchmark.harness import GoldSet, load_gold

    path = Path(gold)
    if path.is_dir():
        return GoldSet.from_dataset(task, path, split=split, schema=schema)
    return load_gold(task, path, schema=schema)


def _redact(reason: str, paths: Sequence[tuple[Path, str]]) -> str:
    """Local folder names (the private gold, the submissions folder) replaced by placeholders:
    the reasons are published on the board."""
    for path, placeholder in paths:
        for spelling in sorted({str(path), str(path.resolve())}, key=len, reverse=True):
            if "/" in spelling.strip("/"):  # a real folder path, never a bare name or "/"
                reason = reason.replace(spelling, placeholder)
    return reason


def _refusal(candidate: Candidate, reasons: Sequence[str],
             redact: Sequence[tuple[Path, str]] = ()) -> Rejection:
    reasons = [_redact(reason, redact) for reason in reasons]
    shown = list(reasons[:MAX_REASONS])
    if len(reasons) > MAX_REASONS:
        shown.append(f"… and {len(reasons) - MAX_REASONS} more error(s); validate locally with "
                     f"khabar validate-submission --task {candidate.task}")
    return Rejection(candidate.where, tuple(shown), candidate.system_id, candidate.task)


def _score_one(candidate: Candidate, root: Path, gold: GoldSet, options: ScoringOptions, results_dir: Path,
               scratch: Path, redact: Sequence[tuple[Path, str]]) -> Results | Rejection:
    """Score one submission; return its harness Results, or a Rejection saying why not."""
    from benchmark.harness import SubmissionInvalid, evaluate_submission

    try:
        data = read_bounded(root, candidate.path, options.max_bytes)
    except UnsafePath as error:
        return _refusal(candidate, [str(error)], redact)
    copy = scratch / Path(candidate.where).name  # a listed file name: harness messages name the file
    redact = [*redact, (scratch, "<submissions>")]
    copy.write_bytes(data)
    try:
        results = evaluate_submission(candidate.task, copy, gold=gold, split=options.split,
                                      n_resamples=options.n_resamples, confidence=options.confidence,
                                      seed=options.seed, strict=options.strict)
    except SubmissionInvalid as invalid:
        return _refusal(candidate, [str(error) for error in invalid.report.errors], redact)
    except Exception as error:  # a bad submission must never stop the board: report it, go on
        return _refusal(candidate, [f"could not be scored: {type(error).__name__}: {error} "
                                    "(please report this as a harness bug, with the file)"], redact)
    finally:
        copy.unlink(missing_ok=True)
    results.submission["path"] = candidate.where
    results.write(results_dir)
    return results


def _clear_previous_results(task_dir: Path) -> None:
    """Remove the per-system results of an earlier run into the same folder (only folders that hold
    exactly the harness' two files), so ``results/`` lists this board's systems only."""
    import shutil

    if not task_dir.is_dir():
        return
    for folder in task_dir.iterdir():
        if folder.is_dir() and not folder.is_symlink() and \
                {p.name for p in folder.iterdir()} <= {"results.json", "documents.jsonl"}:
            shutil.rmtree(folder)


def _paired_test(task: Task, gold: GoldSet, results_dirs: Mapping[str, Path],
                 options: ScoringOptions) -> Callable[[str, str], float]:
    """``p_value(upper, lower)``: the harness' paired bootstrap on two systems' per-document counts
    (read back once per system), scored exactly as their intervals were (same scorer, same schema)."""
    from benchmark.harness import load_count_table, paired_bootstrap

    tables: dict[str, CountTable] = {}

    def table(system: str) -> CountTable:
        if system not in tables:
            tables[system] = load_count_table(results_dirs[system])[1]
        return tables[system]

    def p_value(upper: str, lower: str) -> float | None:
        a, b = table(upper), table(lower)
        if a.doc_ids != b.doc_ids or a.columns != b.columns:
            raise RuntimeError(f"{upper} and {lower} were scored on different documents; cannot pair them")
        score = lambda totals: task.scores_from_counts(totals, a.columns, gold.schema)  # noqa: E731
        return paired_bootstrap(a.counts, b.counts, score, task.headline, options.n_resamples,
                                options.confidence, options.seed).p_value

    return p_value


def _score_task(task_name: str, candidates: Sequence[Candidate], refused: list[Rejection], root: Path,
                gold_path: str | Path, out_dir: Path, options: ScoringOptions, progress: bool) -> TaskBoard:
    from tqdm.auto import tqdm

    from benchmark.tasks import get_task

    task = get_task(task_name)
    redact = [(Path(gold_path), "<private gold>"), (root, "<submissions>"), (out_dir, "<out>")]
    board = TaskBoard(task=task.name, version=task.version, dataset_revision="", headline=task.headline,
                      higher_is_better=task.higher_is_better, labels=(), per_label_metric="",
                      alpha=options.alpha, n_resamples=options.n_resamples, confidence=options.confidence,
                      rejections=list(refused))
    try:
        gold = load_task_gold(task.name, gold_path, options.split, options.schema)
        if not gold.rows:
            raise ValueError(f"it holds no {task.name} rows ({gold.describe()})")
    except Exception as error:  # missing config, unreadable or public-only gold: every submission waits
        reason = f"no usable {task.name} gold: {type(error).__name__}: {error}"
        board.rejections.extend(_refusal(c, [reason], redact) for c in candidates)
        board.dataset_revision = "unavailable"
        return board
    board.dataset_revision = str(gold.revision)
    board.labels = tuple(task.label_names(gold.schema))

    scored: dict[str, tuple[Candidate, Results, Path]] = {}
    _clear_previous_results(out_dir / "results" / task.name)
    with tempfile.TemporaryDirectory(prefix="khabar-leaderboard-") as scratch:
        for index, candidate in enumerate(tqdm(candidates, desc=f"scoring {task.name}", unit="submission",
                                               disable=not progress), start=1):
            results_dir = out_dir / "results" / task.name / slug(candidate.system_id, index)
            outcome = _score_one(candidate, root, gold, options, results_dir, Path(scratch), redact)
            if isinstance(outcome, Rejection):
                board.rejections.append(outcome)
            else:
                scored[candidate.system_id] = (candidate, outcome, results_dir)
    board.rejections.sort(key=lambda r: r.where)
    if not scored:
        return board

    first = next(iter(scored.values()))[1]
    pattern = per_label_pattern(task.headline, board.labels, list(first.metrics))
    board.per_label_metric = pattern.replace("{label}", "<label>") if pattern else ""
    if pattern is None:
        board.labels = ()

    results_dirs = {system: results_dir for system, (_, _, results_dir) in scored.items()}
    placements = rank_systems({system: results.score for system, (_, results, _) in scored.items()},
                              _paired_test(task, gold, results_dirs, options),
                              alpha=options.alpha, higher_is_better=task.higher_is_better)
    for placement in placements:
        candidate, results, results_dir = scored[placement.system_id]
        headline = results.metrics[task.headline]
        per_label = {}
        if pattern is not None:
            for label in board.labels:
                m = results.metrics[pattern.format(label=label)]
                per_label[label] = Interval(m.value, m.low, m.high)
        board.rows.append(BoardRow(
            system_id=candidate.system_id, where=candidate.where, info=candidate.info, placement=placement,
            headline=Interval(headline.value, headline.low, headline.high), per_label=per_label,
            counts={"documents": results.n_documents, "items": results.n_items},
            results_file=(results_dir / "results.json").relative_to(out_dir).as_posix()))
    return board


def build_leaderboard(submissions_dir: str | Path, gold: str | Path, out_dir: str | Path, *,
                      tasks: Sequence[str] | None = None, options: ScoringOptions | None = None,
                      progress: bool = True) -> Leaderboard:
    """Score and rank every submission in ``submissions_dir`` against ``gold``.

    ``tasks``: the boards to build (default: every task that has a submission). Results of each
    scored system are written under ``out_dir/results``; nothing is written into the submissions
    folder. Raises only for a bad call (``UnknownTaskError``, a ``KeyError``, for an unknown task;
    ``ValueError`` for an out_dir inside the submissions folder; ``NotADirectoryError``); a bad
    submission is a refusal on the board.
    """
    from benchmark.tasks import get_task, task_names

    options = options or ScoringOptions()
    root = Path(submissions_dir).resolve()
    out = Path(out_dir).resolve()
    if out == root or out.is_relative_to(root):
        raise ValueError(f"--out {out_dir} lies inside the submissions folder; write the board elsewhere "
                         "(it would be read as a submission next time)")
    requested = list(dict.fromkeys(get_task(name).name for name in tasks)) if tasks else None
    found = discover(root, task_names())
    if requested is None:
        requested = sorted({c.task for c in found.candidates} | {r.task for r in found.rejections if r.task})
    board = Leaderboard(boards=[], generated=datetime.now(UTC).isoformat(timespec="seconds"),
                        package_version=__version__, ignored=list(found.ignored))
    for candidate in found.candidates:
        if candidate.task not in requested:
            board.not_requested.append((candidate.where, f"a {candidate.task} submission; this board has "
                                                         f"{', '.join(requested)} (--task)"))
    refused_by_task: dict[str, list[Rejection]] = {name: [] for name in requested}
    for rejection in found.rejections:
        if rejection.task in refused_by_task:
            refused_by_task[rejection.task].append(rejection)
        else:
            board.rejections.append(rejection)
    out.mkdir(parents=True, exist_ok=True)
    for name in requested:
        candidates = [c for c in found.candidates if c.task == name]
        board.boards.append(_score_task(name, candidates, refused_by_task[name], root, gold, out, options,
                                        progress))
    return board
