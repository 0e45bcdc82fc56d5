"""Find the submissions in a folder: which system, which task, which file, which metadata.

Layout (``docs/leaderboard.md``)::

    SUBMISSIONS_DIR/
      arabert-crf/                 one folder per system (the folder name is the system id)
        ner.jsonl                  predictions for a task, named after the task ...
        quotes.jsonl
        metadata.json              optional: name, team, model, url, description, task
      rules/
        submission.jsonl           ... or one file whose task is given by metadata.json "task"
        metadata.json
      baseline.ner.jsonl           one file per system: <system>.<task>.jsonl ...
      baseline.meta.json           ... with optional metadata <system>.meta.json beside it
      stance/                      a folder named after a task: everything inside is for that task
        team-x.jsonl               (<system>.jsonl, with optional team-x.meta.json)
        team-y/submission.jsonl

Nothing is read except ``.jsonl`` predictions and ``.json`` metadata at these places; every
other file (``.py``, ``.sh``, a deeper folder, a hidden file) is listed as ignored, never opened.
Every path is a directory entry listed here, resolved and checked by
:func:`~benchmark.leaderboard.safety.inside`; a symlink that leaves the folder is refused.
A submission that cannot be used becomes a :class:`Rejection` with numbered reasons, and the
search goes on.

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> (root / "sys-a").mkdir()
>>> _ = (root / "sys-a" / "ner.jsonl").write_text("", encoding="utf-8")
>>> _ = (root / "b.ner.jsonl").write_text("", encoding="utf-8")
>>> found = discover(root, task_names=["ner", "quotes", "stance"])
>>> [(c.system_id, c.task, c.where) for c in found.candidates]
[('b', 'ner', 'b.ner.jsonl'), ('sys-a', 'ner', 'sys-a/ner.jsonl')]
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmark.leaderboard.metadata import SystemInfo, parse_metadata, unsafe_characters
from benchmark.leaderboard.safety import METADATA_MAX_BYTES, UnsafePath, inside, read_bounded

__all__ = ["Candidate", "Discovery", "Rejection", "discover"]

SINGLE_FILE_NAMES = ("submission.jsonl", "predictions.jsonl")
"""In a system folder, a predictions file whose task comes from metadata or a task folder."""
FOLDER_METADATA = "metadata.json"
SIDE_METADATA_SUFFIX = ".meta.json"
MAX_SYSTEM_ID = 80
"""Longest system id (folder or file name) shown on the board."""
PREDICTIONS_SUFFIX = ".jsonl"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A predictions file to score: its system, task, resolved path and metadata."""

    system_id: str
    task: str
    path: Path
    where: str
    info: SystemInfo = field(default_factory=SystemInfo)


@dataclass(frozen=True, slots=True)
class Rejection:
    """A submission (or file) that is not on the board, and every reason why."""

    where: str
    reasons: tuple[str, ...]
    system_id: str | None = None
    task: str | None = None

    @property
    def self_numbered(self) -> bool:
        """True when the reasons carry their own numbers (the harness' ``#1 [E02 …]``)."""
        return all(reason.startswith(("#", "…")) for reason in self.reasons)

    def to_dict(self) -> dict[str, object]:
        return {"where": self.where, "system_id": self.system_id, "task": self.task,
                "reasons": list(self.reasons)}


@dataclass(slots=True)
class Discovery:
    """What :func:`discover` found: files to score, submissions refused, files not read."""

    candidates: list[Candidate] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    ignored: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class _Walk:
    root: Path
    task_names: tuple[str, ...]
    found: Discovery = field(default_factory=Discovery)

    def where(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix() if path != self.root else "."

    def entries(self, folder: Path, folder_task: str | None, system_id: str | None = None) -> list[Path]:
        """The entries of a folder, sorted, each one checked to stay inside the root (else rejected,
        on the board of the task its name or folder gives, when it gives one)."""
        safe: list[Path] = []
        with os.scandir(folder) as listing:
            names = sorted(entry.name for entry in listing)
        for name in names:
            path = folder / name
            if name.startswith("."):
                self.found.ignored.append((self.where(path), "hidden file or folder: not read"))
                continue
            try:
                inside(self.root, path)
            except UnsafePath as error:
                system, task = self.split_name(name) if name.endswith(PREDICTIONS_SUFFIX) else (name, None)
                if system_id is not None:  # inside a system folder: <task>.jsonl names the task only
                    system, task = system_id, _stem(name) if _stem(name) in self.task_names else None
                self.found.rejections.append(Rejection(self.where(path), (str(error),), system,
                                                       task or folder_task))
                continue
            safe.append(path)
        return safe

    def metadata(self, path: Path | None) -> tuple[SystemInfo, list[str]]:
        if path is None:
            return SystemInfo(), []
        try:
            data = read_bounded(self.root, path, METADATA_MAX_BYTES)
        except UnsafePath as error:
            return SystemInfo(), [f"{self.where(path)}: {error}"]
        info, problems = parse_metadata(data)
        return info, [f"{self.where(path)}: {p}" for p in problems]

    def task_of(self, named: str | None, folder_task: str | None,
                info: SystemInfo) -> tuple[str | None, list[str]]:
        """The task from the file name, the task folder and the metadata; problems if they disagree."""
        given = {source: task for source, task in (("file name", named), ("task folder", folder_task),
                                                    ("metadata", info.task)) if task}
        if not given:
            return None, ["cannot tell the task: name the file <task>.jsonl, put it in a folder named after "
                          f'the task, or set "task" in the metadata (tasks: {", ".join(self.task_names)})']
        problems = [f"unknown task {task!r} given by the {source}; the tasks are {', '.join(self.task_names)}"
                    for source, task in given.items() if task not in self.task_names]
        if len(set(given.values())) > 1:
            problems.append("the task is given twice and disagrees ("
                            + ", ".join(f"{source}: {task}" for source, task in given.items())
                            + "); make them agree or drop one")
        return (next(iter(given.values())) if not problems else None), problems

    def add(self, system_id: str, path: Path, named_task: str | None, folder_task: str | None,
            info: SystemInfo, meta_problems: list[str]) -> None:
        where = self.where(path)
        task, problems = self.task_of(named_task, folder_task, info)
        problems = meta_problems + problems
        unsafe = unsafe_characters(system_id)
        if unsafe or len(system_id) > MAX_SYSTEM_ID:
            problems.append(f"the system id (the folder or file name) {system_id!r} "
                            + (f"contains {unsafe}" if unsafe else f"is over {MAX_SYSTEM_ID} characters")
                            + "; rename it (letters, digits, dashes; Arabic is fine)")
        if problems:
            self.found.rejections.append(Rejection(where, tuple(problems), system_id, task))
            return
        assert task is not None
        self.found.candidates.append(Candidate(system_id, task, inside(self.root, path), where, info))

    def system_folder(self, folder: Path, folder_task: str | None) -> None:
        system_id = folder.name
        entries = self.entries(folder, folder_task, system_id)
        meta_path = next((p for p in entries if p.name == FOLDER_METADATA and p.is_file()), None)
        info, meta_problems = self.metadata(meta_path)
        predictions = 0
        for path in entries:
            if path == meta_path:
                continue
            if path.is_dir():
                self.found.ignored.append((self.where(path), "folder inside a system folder: not read"))
            elif path.name in SINGLE_FILE_NAMES:
                predictions += 1
                self.add(system_id, path, None, folder_task, info, meta_problems)
            elif path.name.endswith(PREDICTIONS_SUFFIX) and _stem(path.name) in self.task_names:
                predictions += 1
                self.add(system_id, path, _stem(path.name), folder_task, info, meta_problems)
            else:
                self.found.ignored.append((self.where(path), _not_read(path.name, self.task_names)))
        if predictions == 0:
            self.found.rejections.append(Rejection(self.where(folder), (
                "no predictions file: put <task>.jsonl (" + ", ".join(f"{t}.jsonl" for t in self.task_names)
                + ") or submission.jsonl in the folder",), system_id, folder_task))

    def split_name(self, name: str) -> tuple[str, str | None]:
        """``baseline.ner.jsonl`` -> ``("baseline", "ner")``; ``team-x.jsonl`` -> ``("team-x", None)``."""
        system_id, _, suffix = _stem(name).rpartition(".")
        if system_id and suffix in self.task_names:
            return system_id, suffix
        return _stem(name), None

    def single_file(self, path: Path, folder_task: str | None, siblings: set[str]) -> None:
        system_id, named_task = self.split_name(path.name)
        meta_name = system_id + SIDE_METADATA_SUFFIX
        info, meta_problems = self.metadata(path.parent / meta_name if meta_name in siblings else None)
        self.add(system_id, path, named_task, folder_task, info, meta_problems)

    def folder(self, folder: Path, folder_task: str | None) -> None:
        """The submissions folder itself, or a task folder inside it."""
        entries = self.entries(folder, folder_task)
        names = {p.name for p in entries}
        used_metadata: set[str] = set()
        for path in entries:
            if path.is_dir():
                if folder_task is None and path.name in self.task_names:
                    self.folder(path, path.name)
                else:
                    self.system_folder(path, folder_task)
            elif path.name.endswith(PREDICTIONS_SUFFIX):
                used_metadata.add(self.split_name(path.name)[0] + SIDE_METADATA_SUFFIX)
                self.single_file(path, folder_task, names)
        for path in entries:
            if path.is_dir() or path.name.endswith(PREDICTIONS_SUFFIX) or path.name in used_metadata:
                continue
            self.found.ignored.append((self.where(path), _not_read(path.name, self.task_names)))


def _stem(name: str) -> str:
    return name[: -len(PREDICTIONS_SUFFIX)]


def _not_read(name: str, task_names: Sequence[str]) -> str:
    if name.endswith(SIDE_METADATA_SUFFIX):
        return "metadata with no predictions file of the same system beside it: not read"
    return ("not a submission file: only .jsonl predictions and metadata JSON are read "
            f"({', '.join(task_names)}); never opened or executed")


def _refuse_duplicates(candidates: Iterable[Candidate]) -> tuple[list[Candidate], list[Rejection]]:
    """A system submits once per task: every copy of a (system, task) pair that appears twice is refused."""
    groups: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        groups[(candidate.system_id, candidate.task)].append(candidate)
    kept: list[Candidate] = []
    refused: list[Rejection] = []
    for (system_id, task), group in groups.items():
        if len(group) == 1:
            kept.append(group[0])
            continue
        places = ", ".join(c.where for c in group)
        reason = f"system {system_id!r} has {len(group)} {task} submissions ({places}); keep exactly one"
        refused.extend(Rejection(c.where, (reason,), system_id, task) for c in group)
    return kept, refused


def discover(submissions_dir: str | Path, task_names: Sequence[str]) -> Discovery:
    """Every submission under ``submissions_dir`` for the given tasks (see the module docstring).

    Raises ``NotADirectoryError`` only when ``submissions_dir`` itself is not a folder; every
    problem below it becomes a :class:`Rejection` or an ignored-file note.
    """
    root = Path(submissions_dir).resolve()
    if not root.is_dir():
        raise NotADirectoryError(f"{submissions_dir}: not a folder "
                                 "(give the folder that holds the submissions)")
    walk = _Walk(root, tuple(task_names))
    walk.folder(root, None)
    kept, refused = _refuse_duplicates(walk.found.candidates)
    walk.found.candidates = sorted(kept, key=lambda c: (c.task, c.system_id, c.where))
    walk.found.rejections.extend(refused)
    walk.found.rejections.sort(key=lambda r: r.where)
    return walk.found
