"""``khabar build``: articles + split manifest → a Hugging Face Hub-layout dataset folder (DESIGN §4).

Layout of the public folder (what ``khabar publish`` uploads)::

    README.md                                   generated dataset card (YAML configs + features)
    khabar_release.json                         revision, task versions, package version, counts
    splits.json                                 the split manifest of exactly the released documents
    data/<config>/<split>-00000-of-0000N.parquet

and of the private folder (``<out>-private/`` unless given; the leaderboard reads it): the same
layout holding only the hidden split (``test``) *with* gold. In the public folder every gold
column of the hidden split is null: the inputs are there, the labels are not.

Configs: ``articles`` (every layer, features declared in :mod:`benchmark.release.rows`) and one per
task (``ner``, ``quotes``, ``stance``: features and rows from the task registry). An imported
corpus builds into a config named after it, holding the rows of its task.

Everything streams: articles are read one at a time, rows are buffered per (config, split) and
written as parquet row groups (``pyarrow.parquet.ParquetWriter``), shards roll over at
``shard_bytes``; only the doc_ids and counters are kept in memory.

>>> import tempfile, pathlib
>>> from benchmark.model import Article, Mention
>>> out = pathlib.Path(tempfile.mkdtemp()) / "khabar"
>>> arts = [Article(doc_id=f"d{i}", text=f"زار بوتين روسيا {i}", entities=(Mention("m1", 4, 9, "PER"),))
...         for i in range(6)]
>>> manifest = Manifest(ratios={"train": 0.5, "test": 0.5}, documents={
...     a.doc_id: Assignment("train" if i % 2 else "test", a.doc_id, "hash") for i, a in enumerate(arts)})
>>> sources = [ReleaseSource("khabar", arts, kinds=("articles",))]
>>> result = build_release(sources, manifest, out, progress=False)
>>> result.rows["articles"]
{'test': 3, 'train': 3}
>>> sorted(p.name for p in (out / "data" / "articles").iterdir())
['test-00000-of-00001.parquet', 'train-00000-of-00001.parquet']
"""

from __future__ import annotations

import json
import multiprocessing
import shutil
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmark.model import Article
from benchmark.release.encode import compile_encoder
from benchmark.release.revision import dataset_revision, file_sha256, manifest_sha256
from benchmark.release.rows import ArticleRows
from benchmark.release.splits import Assignment, Manifest, official_split
from benchmark.schema import GUIDELINES_VERSION, KHABAR, LabelSchema

__all__ = [
    "KHABAR_KINDS",
    "PRIVATE_MARKER",
    "RELEASE_FILE",
    "BuildError",
    "BuildResult",
    "ConfigPlan",
    "ReleaseSource",
    "build_release",
    "plan_config",
]

KHABAR_KINDS: tuple[str, ...] = ("articles", "ner", "quotes", "stance")
RELEASE_FILE = "khabar_release.json"
PRIVATE_MARKER = "KHABAR_PRIVATE_GOLD"
"""A file present only in private folders; ``khabar publish`` refuses any folder holding it."""
DEFAULT_LICENSE = "cc-by-4.0"
BATCH_CHARS = 500_000
"""A (config, split) buffer is written out as a parquet row group once its rows hold this many
characters of text (token lists and spans cost tens of bytes per character in Python objects),
or ``batch_rows`` rows, whichever comes first: this bounds the build's memory."""


class BuildError(ValueError):
    """The build cannot go on; the message names the documents or files and the fix."""


# --------------------------------------------------------------------------- plans


@dataclass(frozen=True)
class ConfigPlan:
    """How one config is built: its features, which columns are gold, Article → encoded gold rows,
    and gold row → inputs-only row (the public test split: gold columns null)."""

    name: str
    kind: str
    source: str
    schema: LabelSchema
    features: Any
    gold_columns: tuple[str, ...]
    rows: Callable[[Article], list[dict[str, Any]]]
    hide: Callable[[dict[str, Any]], dict[str, Any]]
    version: str | None = None
    submission_example: Mapping[str, Any] | None = None
    table: Callable[[list[Article]], Any] | None = None
    """Optional vectorised ``rows`` for a batch of articles: one ``pyarrow.Table`` of encoded gold
    rows, equal to ``rows`` row for row (the task's ``arrow_rows``); the build prefers it."""

    def hide_table(self, table: Any) -> Any:
        """``table`` with every gold column null (the public test split)."""
        import pyarrow as pa

        for column in self.gold_columns:
            index = table.schema.get_field_index(column)
            table = table.set_column(index, table.schema.field(index), pa.nulls(table.num_rows,
                                                                               table.schema.field(index).type))
        return table


def _get_task(name: str) -> Any:
    try:
        import benchmark.tasks as registry
    except ImportError as error:  # pragma: no cover - only while the registry is being written
        raise BuildError(f"config {name!r} needs the task registry (benchmark.tasks): {error}") from None
    getter = getattr(registry, "get_task", None)
    if getter is not None:
        return getter(name)
    tasks = getattr(registry, "TASKS", None) or getattr(registry, "REGISTRY", None) or {}
    if name not in tasks:
        raise BuildError(f"no task named {name!r} in the registry; known: {sorted(tasks)}")
    return tasks[name]


def plan_config(name: str, kind: str, source: str, schema: LabelSchema) -> ConfigPlan:
    """The plan of config ``name`` holding ``kind`` rows (``"articles"`` or a task name)."""
    if kind == "articles":
        layout = ArticleRows(schema)
        return ConfigPlan(
            name,
            kind,
            source,
            schema,
            layout.features(),
            layout.gold_columns,
            lambda article: [layout.row(article)],
            layout.input_row,
        )

    task = _get_task(kind)
    features = task.features(schema)
    input_features = task.input_features(schema)
    gold = tuple(column for column in features if column not in input_features)
    encode = compile_encoder(features)
    blank = dict.fromkeys(gold)

    def task_rows(article: Article) -> list[dict[str, Any]]:
        return [encode(row) for row in task.article_rows(article, schema)]

    def hide(row: dict[str, Any]) -> dict[str, Any]:
        # input_row removes the gold fields of a row (a key selection, so it applies to encoded rows)
        return {**row, **blank, **{k: v for k, v in task.input_row(row).items() if k not in blank}}

    example = getattr(task, "submission_example", None)
    arrow_rows = getattr(task, "arrow_rows", None)
    return ConfigPlan(
        name,
        kind,
        source,
        schema,
        features,
        gold,
        task_rows,
        hide,
        getattr(task, "version", None),
        dict(example) if example else None,
        None if arrow_rows is None else (lambda articles: arrow_rows(articles, schema)),
    )


@dataclass
class ReleaseSource:
    """One body of articles to release: Khabar's own (``name="khabar"``, configs ``articles``,
    ``ner``, ``quotes``, ``stance``) or an imported corpus (one config named after it)."""

    name: str
    articles: Iterable[Article]
    schema: LabelSchema = KHABAR
    kinds: Sequence[str] = KHABAR_KINDS
    license: str = DEFAULT_LICENSE
    citation: str = ""
    description: str = ""
    homepage: str = ""
    total: int | None = None

    def config_names(self) -> dict[str, str]:
        """kind → config name."""
        if self.name == "khabar":
            return {kind: kind for kind in self.kinds}
        if len(self.kinds) == 1:
            return {self.kinds[0]: self.name}
        return {kind: f"{self.name}_{kind}" for kind in self.kinds}


# --------------------------------------------------------------------------- writing


class _Background:
    """One thread that makes and writes parquet batches while the caller goes on making rows
    (Arrow and numpy release the GIL). Jobs run in order; at most ``limit`` wait (bounded memory);
    a job's error is raised in the caller at the next ``submit`` or ``drain``."""

    def __init__(self, limit: int = 4):
        self.limit = limit
        self.pool: Any = None
        self.pending: deque = deque()

    def submit(self, job: Callable[[], None]) -> None:
        if self.pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="khabar-build-writer")
        while len(self.pending) >= self.limit:
            self.pending.popleft().result()
        self.pending.append(self.pool.submit(job))

    def drain(self) -> None:
        while self.pending:
            self.pending.popleft().result()

    def stop(self) -> None:
        """Wait for the jobs already running, drop the others, ignore their errors."""
        for future in self.pending:
            future.cancel()
        if self.pool is not None:
            self.pool.shutdown(wait=True)
        self.pending.clear()


class _ShardWriter:
    """Rows of one (folder, config, split) → parquet shards, written in record batches (by the
    ``background`` thread).

    Rows come encoded (``add``), or as articles whose rows ``make_table`` makes a batch at a time
    (``add_articles``: configs with a vectorised ``ConfigPlan.table``)."""

    def __init__(self, directory: Path, split: str, features: Any, batch_rows: int, shard_bytes: int,
                 make_table: Callable[[list[Article]], Any] | None, background: _Background):
        self.directory, self.split = directory, split
        self.schema = features.arrow_schema
        self.batch_rows, self.shard_bytes = batch_rows, shard_bytes
        self.make_table, self.background = make_table, background
        self.mirror: tuple[_ShardWriter, Callable[[Any], Any]] | None = None
        self.buffer: list[Any] = []
        self.writer: Any = None
        self.paths: list[Path] = []
        self.rows = 0
        self.num_bytes = 0
        self.buffered_chars = 0
        self.batch_chars = BATCH_CHARS

    def add(self, rows: list[dict[str, Any]]) -> None:
        self.buffer.extend(rows)
        self.buffered_chars += sum(len(row.get("text") or "") for row in rows)
        if len(self.buffer) >= self.batch_rows or self.buffered_chars >= self.batch_chars:
            self.flush()

    def add_articles(self, article: Article) -> None:
        self.buffer.append(article)
        self.buffered_chars += len(article.text)
        if len(self.buffer) >= self.batch_rows or self.buffered_chars >= self.batch_chars:
            self.flush()

    def flush(self) -> None:
        """Hand the buffered rows to the background thread."""
        if self.buffer:
            batch, self.buffer, self.buffered_chars = self.buffer, [], 0
            self.background.submit(lambda: self._write(batch))

    def _write(self, batch: list[Any]) -> None:
        import pyarrow as pa

        if self.make_table is not None:
            table = self.make_table(batch)
            if table.schema != self.schema:
                raise BuildError(f"config rows of {self.directory.name!r} came out with schema {table.schema}, "
                                 f"not the declared {self.schema} (a bug in the task's arrow_rows)")
        else:
            table = pa.Table.from_batches([pa.RecordBatch.from_pylist(batch, schema=self.schema)])
        self.write_table(table)
        if self.mirror is not None:  # the public inputs-only copy of hidden gold, made once
            writer, hide = self.mirror
            writer.write_table(hide(table))

    def write_table(self, table: Any) -> None:
        import pyarrow.parquet as pq

        if self.writer is None:
            path = self.directory / f"{self.split}-{len(self.paths):05d}.parquet.partial"
            self.directory.mkdir(parents=True, exist_ok=True)
            self.writer = pq.ParquetWriter(path, self.schema)
            self.paths.append(path)
        self.writer.write_table(table)
        self.num_bytes += table.nbytes
        self.rows += table.num_rows
        if self.paths[-1].stat().st_size >= self.shard_bytes:
            self.writer.close()
            self.writer = None

    def finish(self) -> list[Path]:
        """Close and rename the shards to ``<split>-0000i-of-0000N.parquet`` (after every batch
        was written: ``flush`` and the background thread's ``drain`` first)."""
        if self.writer is not None:
            self.writer.close()
            self.writer = None
        final = []
        for i, path in enumerate(self.paths):
            target = self.directory / f"{self.split}-{i:05d}-of-{len(self.paths):05d}.parquet"
            path.replace(target)
            final.append(target)
        return final


@dataclass
class _Stats:
    """Per-split counts of one source's articles (labels only outside the hidden split)."""

    documents: Counter = field(default_factory=Counter)
    labels: dict[str, dict[str, Counter]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(Counter)))
    guidelines: Counter = field(default_factory=Counter)

    def add(self, article: Article, split: str) -> None:
        self.documents[split] += 1
        layer = self.labels[split]
        layer["entities"].update(m.label for m in article.entities)
        layer["quotes"].update(q.kind for q in article.quotes)
        layer["quote speakers"].update(
            "elided" if q.speaker_elided else "named" if q.speaker else "unnamed" for q in article.quotes
        )
        layer["stances"].update(s.label for s in article.stances)
        if article.provenance.guidelines_version:
            self.guidelines[article.provenance.guidelines_version] += 1

    def to_dict(self, hidden_split: str) -> dict[str, Any]:
        return {
            "documents": dict(sorted(self.documents.items())),
            "labels": {
                split: {layer: dict(sorted(c.items())) for layer, c in layers.items() if c}
                for split, layers in sorted(self.labels.items())
                if split != hidden_split
            },
            "guidelines_versions": dict(sorted(self.guidelines.items())),
        }


@dataclass
class BuildResult:
    """What was built: folders, revision, rows per config and split, the release record."""

    public: Path
    private: Path
    revision: str
    rows: dict[str, dict[str, int]]
    release: dict[str, Any]


def _split_of(article: Article, manifest: Manifest) -> tuple[str | None, Assignment | None]:
    assignment = manifest.documents.get(article.doc_id)
    if assignment is not None:
        return assignment.split, assignment
    split = official_split(article)
    if split is not None:
        return split, Assignment(split, article.doc_id, "official", None)
    return None, None


def _rows_of(article: Article, plans: Sequence[ConfigPlan], *,
             with_tables: bool = False) -> list[list[dict[str, Any]] | None]:
    """The encoded rows of ``article`` for every plan (``None`` for plans that make tables,
    unless ``with_tables``)."""
    out: list[list[dict[str, Any]] | None] = []
    for plan in plans:
        if plan.table is not None and not with_tables:
            out.append(None)
            continue
        try:
            out.append(plan.rows(article))
        except (ValueError, KeyError, TypeError) as error:
            raise BuildError(f"{article.doc_id}: config {plan.name!r} cannot make its rows: {error}") from None
    return out


_Output = tuple[list[Path], int, int]
"""What one (visibility, config, split) writer made: its files, rows and Arrow bytes."""


class _Writers:
    """The shard writers of one process: rows of (visibility, config, split) → parquet."""

    def __init__(self, stage_public: Path, stage_private: Path, hidden_split: str, batch_rows: int,
                 shard_bytes: int):
        self.roots = {"public": stage_public, "private": stage_private}
        self.hidden_split, self.batch_rows, self.shard_bytes = hidden_split, batch_rows, shard_bytes
        self.writers: dict[tuple[str, str, str], _ShardWriter] = {}
        self.background = _Background()

    def get(self, visibility: str, plan: ConfigPlan, split: str) -> _ShardWriter:
        key = (visibility, plan.name, split)
        if key not in self.writers:
            self.writers[key] = _ShardWriter(self.roots[visibility] / "data" / plan.name, split, plan.features,
                                             self.batch_rows, self.shard_bytes, _table_maker(plan),
                                             self.background)
            if plan.table is not None and visibility == "private":
                # the hidden split's gold table, made once, also goes public with its gold nulled
                self.writers[key].mirror = (self.get("public", plan, split), plan.hide_table)
        return self.writers[key]

    def add(self, article: Article, split: str, plans: Sequence[ConfigPlan]) -> None:
        """Write the rows of ``article`` for every plan (gold privately, inputs-only publicly, for
        the hidden split)."""
        for plan, gold_rows in zip(plans, _rows_of(article, plans), strict=True):
            hidden = split == self.hidden_split
            if gold_rows is None:  # the plan makes its rows a batch at a time (mirrored when hidden)
                self.get("private" if hidden else "public", plan, split).add_articles(article)
            elif hidden:
                self.get("private", plan, split).add(gold_rows)
                self.get("public", plan, split).add([plan.hide(row) for row in gold_rows])
            else:
                self.get("public", plan, split).add(gold_rows)

    def close(self) -> dict[tuple[str, str, str], _Output]:
        """Flush and close every shard: key → (files, rows, Arrow bytes)."""
        for shard_writer in self.writers.values():
            shard_writer.flush()
        self.background.drain()
        self.background.stop()
        return {key: (w.finish(), w.rows, w.num_bytes) for key, w in sorted(self.writers.items())}

    def abort(self) -> None:
        self.background.stop()
        for shard_writer in self.writers.values():
            if shard_writer.writer is not None:
                shard_writer.writer.close()


_KIND_COST = {"ner": 3.0, "articles": 1.0, "quotes": 0.5, "stance": 0.5}
"""Rough relative cost of a config's rows, to share configs between build processes."""


_MAIN_LOAD = 1.5
"""The main process' own share in the same units: reading, converting, validating and counting
every article, and sending it to the other processes."""


def _process_groups(plans: Sequence[ConfigPlan], workers: int) -> list[set[str]]:
    """Config names per process, the main process' first: costliest config first, each to the
    least loaded process (the main one starts with ``_MAIN_LOAD``). Empty groups are dropped."""
    loads = [0.0] * max(1, min(workers, len(plans) + 1))
    loads[0] = _MAIN_LOAD if len(loads) > 1 else 0.0
    groups: list[set[str]] = [set() for _ in loads]
    for plan in sorted(plans, key=lambda p: (-_KIND_COST.get(p.kind, 1.0), p.name)):
        k = loads.index(min(loads))
        groups[k].add(plan.name)
        loads[k] += _KIND_COST.get(plan.kind, 1.0)
    return [groups[0], *(g for g in groups[1:] if g)]


def _build_in_child(articles_in: Any, report: Any, plans: Mapping[str, list[ConfigPlan]],
                    writers: _Writers) -> None:
    """A forked build process: write the rows of ``plans`` for the (source, article, split) chunks
    the main process sends (``None`` ends them). Sends ``("ok", outputs)`` or ``("error", message)``;
    the main process reads, validates and counts the articles, and reports everything else."""
    try:
        while (chunk := articles_in.recv()) is not None:
            for source, article, split in chunk:
                writers.add(article, split, plans[source])
        report.send(("ok", writers.close()))
    except BaseException as error:  # everything goes back to the main process
        writers.abort()
        message = str(error) if isinstance(error, BuildError) else f"{type(error).__name__}: {error}"
        report.send(("error", message))
    finally:
        report.close()
        articles_in.close()


class _Feed:
    """Articles for one child process: chunks go through a bounded queue to a sender thread that
    writes them into the pipe, so the main process goes on while the child catches up (at most
    ``depth`` chunks wait: memory stays bounded)."""

    def __init__(self, connection: Any, sources: set[str], depth: int = 8):
        import queue

        self.connection, self.sources = connection, sources
        self.pending: list[Any] = []
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.thread: Any = None
        self.failed = False

    def put(self, items: list[Any] | None) -> None:
        """Hand one chunk (``None``: the end) to the sender; raises ``BrokenPipeError`` once the
        child has stopped reading."""
        import queue
        import threading

        if self.thread is None:  # started after every fork: a forked child never holds its locks
            self.thread = threading.Thread(target=self._send_all, name="khabar-build-feed", daemon=True)
            self.thread.start()
        while True:
            if self.failed:
                raise BrokenPipeError("the build process stopped reading")
            try:
                self.queue.put(items, timeout=0.2)
                return
            except queue.Full:
                continue

    def _send_all(self) -> None:
        while True:
            items = self.queue.get()
            try:
                self.connection.send(items)
            except OSError:  # broken pipe: the child stopped
                self.failed = True
                return
            if items is None:
                return

    def close(self) -> None:
        if self.thread is not None:
            self.thread.join(timeout=60)
        self.connection.close()


class _Children:
    """Forked build processes, one per extra group of configs, fed the main process' articles in
    chunks through a pipe (:class:`_Feed`)."""

    chunk = 128

    def __init__(self) -> None:
        self.processes: list[tuple[Any, Any]] = []  # (process, report connection)
        self.feeds: list[_Feed] = []
        self.finished: dict[int, Any] = {}  # report connection id -> outputs received early

    def start(self, target: Callable[..., None], configs: set[str], plans: Mapping[str, list[ConfigPlan]],
              writers: _Writers) -> None:
        context = multiprocessing.get_context("fork")
        child_in, parent_out = context.Pipe(duplex=False)  # articles: main → child
        parent_in, child_report = context.Pipe(duplex=False)  # outputs or the error: child → main
        process = context.Process(target=target, args=(child_in, child_report, plans, writers), daemon=True,
                                  name=f"khabar-build[{','.join(sorted(configs))}]")
        process.start()
        child_in.close()
        child_report.close()
        self.processes.append((process, parent_in))
        self.feeds.append(_Feed(parent_out, {name for name, here in plans.items() if here}))

    def feed(self, source: str, article: Article, split: str) -> None:
        """Queue one article for every child that builds configs of ``source``."""
        for k, feed in enumerate(self.feeds):
            if source in feed.sources:
                feed.pending.append((source, article, split))
                if len(feed.pending) >= self.chunk:
                    self._send(k)

    def close_feeds(self) -> None:
        for k, feed in enumerate(self.feeds):
            if feed.pending:
                self._send(k)
            self._send(k, end=True)

    def _send(self, k: int, *, end: bool = False) -> None:
        feed = self.feeds[k]
        items, feed.pending = (None if end else feed.pending), []
        try:
            feed.put(items)
        except BrokenPipeError:  # the child stopped: say why
            process, report = self.processes[k]
            self.finished[id(report)] = self._receive(process, report)
            raise BuildError(f"build process {process.name} stopped reading articles") from None

    def check(self) -> None:
        """Raise at once when a child has already failed (keep what a finished one sent)."""
        for process, connection in self.processes:
            if id(connection) not in self.finished and connection.poll():
                self.finished[id(connection)] = self._receive(process, connection)

    def results(self, say: Callable[[str], None] | None = None) -> dict[tuple[str, str, str], _Output]:
        """Wait for every child (telling ``say`` whom it waits for); their outputs (raises when one
        failed)."""
        outputs: dict[tuple[str, str, str], _Output] = {}
        for process, connection in self.processes:
            if id(connection) not in self.finished:
                if say is not None and not connection.poll():
                    say(f"khabar build: waiting for the process building {process.name.split('[', 1)[1][:-1]} …")
                self.finished[id(connection)] = self._receive(process, connection)
            process.join()
            outputs.update(self.finished[id(connection)])
        for feed in self.feeds:
            feed.close()
        return outputs

    @staticmethod
    def _receive(process: Any, connection: Any) -> Any:
        try:
            status, payload = connection.recv()
        except EOFError:
            process.join()
            raise BuildError(f"a build process died (exit code {process.exitcode}) before reporting; "
                             f"run again with --workers 1 to see the error") from None
        if status == "error":
            raise BuildError(payload)
        return payload

    def stop(self) -> None:
        for feed in self.feeds:
            feed.failed = True
            feed.connection.close()
        for process, connection in self.processes:
            if process.is_alive():
                process.kill()
            process.join()
            connection.close()


def _table_maker(plan: ConfigPlan) -> Callable[[list[Article]], Any] | None:
    """``articles -> pyarrow.Table`` of gold rows for plans with a vectorised ``table``; ``None``
    for plans whose rows come one article at a time."""
    make = plan.table
    if make is None:
        return None

    def table(articles: list[Article]) -> Any:
        try:
            return make(articles)
        except (ValueError, KeyError, TypeError) as error:
            for article in articles:  # the row-at-a-time path names the document, in its own words
                _rows_of(article, [plan], with_tables=True)
            raise BuildError(f"config {plan.name!r} cannot make its rows: {error}") from None

    return table


def _prepare(folder: Path, overwrite: bool) -> Path:
    if folder.exists():
        if not overwrite:
            raise BuildError(f"{folder} exists; pass --overwrite to replace it, or choose another --out")
        if not (folder / RELEASE_FILE).exists() and any(folder.iterdir()):
            raise BuildError(
                f"{folder} exists and is not a Khabar release folder (no {RELEASE_FILE}); "
                f"refusing to delete it: choose another --out"
            )
    staging = folder.with_name(folder.name + ".building")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    return staging


def build_release(
    sources: Sequence[ReleaseSource],
    manifest: Manifest | None,
    out: str | Path,
    private: str | Path | None = None,
    *,
    hidden_split: str = "test",
    agreement: Mapping[str, Any] | None = None,
    pretty_name: str = "Khabar",
    overwrite: bool = False,
    batch_rows: int = 1000,
    shard_bytes: int = 256 * 2**20,
    workers: int = 1,
    progress: bool = True,
) -> BuildResult:
    """Build the public folder ``out`` and the private gold folder (``<out>-private`` by default).

    Every article must have a split: in ``manifest`` or, for corpora with an official split,
    in ``meta["split"]``. Unassigned articles stop the build (all of them are listed) and nothing
    is left behind; a finished build replaces ``out`` only at the end (``overwrite=True``).
    ``workers > 1`` shares the configs between that many processes (forked; the costliest config,
    ``ner``, gets a child process to itself when there are two): this process reads, converts and
    validates every article once and sends it to the children, which make and write their configs'
    rows. The output is the same, byte for byte.
    """
    from tqdm.auto import tqdm

    from benchmark import __version__
    from benchmark.release.card import render_card

    public = Path(out)
    private_dir = Path(private) if private is not None else public.with_name(public.name + "-private")
    if private_dir.resolve() == public.resolve():
        raise BuildError("the private gold folder must differ from the public folder")
    manifest = manifest or Manifest()

    plans: list[ConfigPlan] = []
    source_plans: dict[str, list[ConfigPlan]] = {}
    for source in sources:
        source_plans[source.name] = []
        for kind, config in source.config_names().items():
            try:
                source_plans[source.name].append(plan_config(config, kind, source.name, source.schema))
            except (ValueError, KeyError) as error:
                raise BuildError(
                    f"{source.name}: config {config!r} ({kind} rows) cannot be built with the "
                    f"{source.schema.name} label schema: {error}"
                ) from error
        plans.extend(source_plans[source.name])
    names = [plan.name for plan in plans]
    if len(set(names)) != len(names):
        raise BuildError(f"two sources build the same config name: {sorted(n for n in names if names.count(n) > 1)}")
    stage_public, stage_private = _prepare(public, overwrite), _prepare(private_dir, overwrite)

    writers = _Writers(stage_public, stage_private, hidden_split, batch_rows, shard_bytes)
    groups = _process_groups(plans, workers)
    if len(groups) > 1 and "fork" not in multiprocessing.get_all_start_methods():
        groups = [set(names)]  # pragma: no cover - Windows: no fork

    children = _Children()

    released: dict[str, Assignment] = {}
    unassigned: list[str] = []
    stats: dict[str, _Stats] = {source.name: _Stats() for source in sources}

    def assigned(source: ReleaseSource) -> Iterator[tuple[Article, str]]:
        for number, article in enumerate(tqdm(
            source.articles, desc=f"building {source.name}", unit="doc", total=source.total, disable=not progress
        )):
            if number % 1000 == 999:
                children.check()
            split, assignment = _split_of(article, manifest)
            if article.doc_id in released:
                raise BuildError(
                    f"{article.doc_id}: doc_id appears twice in the inputs; every released "
                    f"article needs a unique doc_id"
                )
            if split is None or assignment is None:
                unassigned.append(article.doc_id)
                continue
            released[article.doc_id] = assignment
            stats[source.name].add(article, split)
            yield article, split

    try:
        for group in groups[1:]:
            children.start(_build_in_child, group,
                           {name: [p for p in here if p.name in group] for name, here in source_plans.items()},
                           _Writers(stage_public, stage_private, hidden_split, batch_rows, shard_bytes))
        for source in sources:
            plans_here = [p for p in source_plans[source.name] if p.name in groups[0]]
            for article, split in assigned(source):
                writers.add(article, split, plans_here)
                children.feed(source.name, article, split)
        children.close_feeds()
        if unassigned:
            shown = ", ".join(unassigned[:20]) + (" …" if len(unassigned) > 20 else "")
            raise BuildError(
                f"{len(unassigned)} article(s) have no split ({shown}): run `khabar split` on the "
                f"articles to add them to the manifest (existing assignments never move)"
            )
        outputs = {**writers.close(), **children.results(tqdm.write if progress else None)}
        files: dict[str, dict[str, list[Path]]] = {"public": defaultdict(list), "private": defaultdict(list)}
        rows: dict[str, dict[str, int]] = defaultdict(dict)
        private_rows: dict[str, dict[str, int]] = defaultdict(dict)
        sizes: dict[str, dict[str, dict[str, int]]] = {
            "public": defaultdict(dict),
            "private": defaultdict(dict),
        }
        for (visibility, config, split), (paths, row_count, num_bytes) in sorted(outputs.items()):
            if paths:
                files[visibility][config].extend(paths)
                (rows if visibility == "public" else private_rows)[config][split] = row_count
                sizes[visibility][config][split] = num_bytes
    except BaseException:
        children.stop()
        writers.abort()
        shutil.rmtree(stage_public, ignore_errors=True)
        shutil.rmtree(stage_private, ignore_errors=True)
        raise

    try:
        released_manifest = Manifest(
            ratios=dict(manifest.ratios),
            salt=manifest.salt,
            dedup=manifest.dedup,
            documents=dict(sorted(released.items())),
        )
        manifest_text = released_manifest.to_json()
        (stage_public / "splits.json").write_text(manifest_text, encoding="utf-8")
        public_hashes = {
            str(p.relative_to(stage_public)): file_sha256(p)
            for config in sorted(files["public"])
            for p in files["public"][config]
        }
        private_hashes = {
            str(p.relative_to(stage_private)): file_sha256(p)
            for config in sorted(files["private"])
            for p in files["private"][config]
        }
        manifest_digest = manifest_sha256(manifest_text)
        revision, gold_digest = dataset_revision(manifest_digest, public_hashes, private_hashes)

        configs: dict[str, Any] = {}
        for source in sources:
            for plan in source_plans[source.name]:
                if plan.name not in rows:
                    continue
                configs[plan.name] = {
                    "kind": plan.kind,
                    "source": source.name,
                    "schema": plan.schema.name,
                    "task_version": plan.version,
                    "gold_columns": list(plan.gold_columns),
                    "features": plan.features.to_dict(),
                    "rows": dict(sorted(rows[plan.name].items())),
                    "submission_example": plan.submission_example,
                    "num_bytes": dict(sorted(sizes["public"][plan.name].items())),
                    "private_rows": dict(sorted(private_rows.get(plan.name, {}).items())),
                    "private_num_bytes": dict(sorted(sizes["private"].get(plan.name, {}).items())),
                    "files": sorted(str(p.relative_to(stage_public)) for p in files["public"][plan.name]),
                }
        release: dict[str, Any] = {
            "name": pretty_name,
            "revision": revision,
            "package_version": __version__,
            "guidelines_version": GUIDELINES_VERSION,
            "hidden_split": hidden_split,
            "manifest_sha256": manifest_digest,
            "gold_sha256": gold_digest,
            "tasks": {p.kind: p.version for p in plans if p.version is not None and p.name in configs},
            "documents": {name: s.to_dict(hidden_split) for name, s in stats.items()},
            "configs": configs,
            "sources": {
                s.name: {
                    "license": s.license,
                    "citation": s.citation,
                    "description": s.description,
                    "homepage": s.homepage,
                    "schema": s.schema.name,
                }
                for s in sources
            },
            "files": public_hashes,
        }
        skipped = sorted({p.name for p in plans} - set(configs))
        if skipped:
            release["empty_configs"] = skipped
        if agreement is not None:
            release["agreement"] = agreement

        _write_json(stage_public / RELEASE_FILE, {**release, "visibility": "public"})
        (stage_public / "README.md").write_text(render_card(release, visibility="public"), encoding="utf-8")
        private_release = {
            **release,
            "visibility": "private",
            "files": private_hashes,
            "configs": {
                name: {
                    **c,
                    "rows": c["private_rows"],
                    "num_bytes": c["private_num_bytes"],
                    "files": sorted(str(p.relative_to(stage_private)) for p in files["private"].get(name, [])),
                }
                for name, c in configs.items()
                if files["private"].get(name)
            },
        }
        _write_json(stage_private / RELEASE_FILE, private_release)
        (stage_private / PRIVATE_MARKER).write_text(
            f"Private gold of the hidden '{hidden_split}' split of {pretty_name} revision {revision}.\n"
            f"Read by the leaderboard; never publish this folder.\n",
            encoding="utf-8",
        )
        (stage_private / "README.md").write_text(render_card(private_release, visibility="private"), encoding="utf-8")

    except BaseException:
        shutil.rmtree(stage_public, ignore_errors=True)
        shutil.rmtree(stage_private, ignore_errors=True)
        raise

    for staging, final in ((stage_public, public), (stage_private, private_dir)):
        if final.exists():
            shutil.rmtree(final)
        staging.replace(final)
    return BuildResult(public, private_dir, revision, {k: dict(sorted(v.items())) for k, v in rows.items()}, release)


def _write_json(path: Path, data: Mapping[str, Any]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
