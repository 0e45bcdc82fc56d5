"""Writing a release: rows of (visibility, config, split) → parquet shards.

A :class:`Writers` holds the shard writers of one build process. Rows come one article at a time
(encoded row dicts, turned into Arrow by ``RecordBatch.from_pylist``) or, for configs with a
vectorised ``ConfigPlan.table``, as articles made into an Arrow table a batch at a time. Batches are
made and written by one background thread (Arrow and numpy release the GIL), in order, with at most a
few waiting, so memory stays bounded. In the hidden split the public rows are made from the same
articles by the config's ``public``/``public_table`` (inputs only, gold columns null), never from
the gold rows, which may hold another config's labels.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmark.model import Article
from benchmark.release.errors import BuildError
from benchmark.release.parquet import parquet_options
from benchmark.release.revision import file_sha256

if TYPE_CHECKING:  # pragma: no cover
    from benchmark.release.build import ConfigPlan

__all__ = ["BATCH_CHARS", "Output", "Writers", "rows_of"]

BATCH_CHARS = 500_000
"""A (config, split) buffer is written out as a parquet row group once its rows hold this many
characters of text (token lists and spans cost tens of bytes per character in Python objects),
or ``batch_rows`` rows, whichever comes first: this bounds the build's memory."""


def rows_of(article: Article, plans: Sequence[ConfigPlan], *,
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
                rows_of(article, [plan], with_tables=True)
            raise BuildError(f"config {plan.name!r} cannot make its rows: {error}") from None

    return table


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
        self._take(rows, sum(len(row.get("text") or "") for row in rows))

    def add_articles(self, article: Article) -> None:
        self._take([article], len(article.text))

    def _take(self, items: list[Any], chars: int) -> None:
        self.buffer.extend(items)
        self.buffered_chars += chars
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
        if self.mirror is not None:  # the public inputs-only rows of the same hidden articles
            writer, public_table = self.mirror
            writer.write_table(public_table(batch))

    def write_table(self, table: Any) -> None:
        import pyarrow.parquet as pq

        if self.writer is None:
            path = self.directory / f"{self.split}-{len(self.paths):05d}.parquet.partial"
            self.directory.mkdir(parents=True, exist_ok=True)
            self.writer = pq.ParquetWriter(path, self.schema, **parquet_options(self.schema))
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


Output = tuple[list[Path], int, int, list[str]]
"""What one (visibility, config, split) writer made: its files, rows, Arrow bytes and the files'
sha256 (hashed by the process that wrote them, so processes hash in parallel)."""


class Writers:
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
                # the hidden split's articles also go public, as inputs-only rows
                self.writers[key].mirror = (self.get("public", plan, split), plan.public_table or (
                    lambda articles: plan.hide_table(plan.table(articles))))
        return self.writers[key]

    def add(self, article: Article, split: str, plans: Sequence[ConfigPlan]) -> None:
        """Write the rows of ``article`` for every plan (gold privately, inputs-only publicly, for
        the hidden split)."""
        for plan, gold_rows in zip(plans, rows_of(article, plans), strict=True):
            hidden = split == self.hidden_split
            if gold_rows is None:  # the plan makes its rows a batch at a time (mirrored when hidden)
                self.get("private" if hidden else "public", plan, split).add_articles(article)
            elif hidden:
                self.get("private", plan, split).add(gold_rows)
                self.get("public", plan, split).add(plan.public(article))
            else:
                self.get("public", plan, split).add(gold_rows)

    def close(self) -> dict[tuple[str, str, str], Output]:
        """Flush and close every shard: key → (files, rows, Arrow bytes, sha256 of the files)."""
        for shard_writer in self.writers.values():
            shard_writer.flush()
        self.background.drain()
        self.background.stop()
        outputs: dict[tuple[str, str, str], Output] = {}
        for key, shard_writer in sorted(self.writers.items()):
            paths = shard_writer.finish()
            outputs[key] = (paths, shard_writer.rows, shard_writer.num_bytes, [file_sha256(p) for p in paths])
        return outputs

    def abort(self) -> None:
        self.background.stop()
        for shard_writer in self.writers.values():
            if shard_writer.writer is not None:
                shard_writer.writer.close()
