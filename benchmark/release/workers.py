"""Sharing a release build's configs between processes (``khabar build --workers N``).

The main process reads, converts and validates every article once and writes its own configs; each
other config group is written by a forked worker process, which gets the articles through a pipe in
chunks (:class:`Feed`: a sender thread and a bounded queue, so the main process does not wait on a
full pipe and memory stays bounded), holding only the article fields its configs read
(:meth:`Article.only` with the tasks' ``article_fields``: lighter to pickle). A worker reports its
files, or its error, through a second pipe (:class:`Workers`). Configs are shared by a rough cost
per kind (:func:`process_groups`).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from benchmark.model import Article
from benchmark.release.errors import BuildError
from benchmark.release.writers import Output, Writers

if TYPE_CHECKING:  # pragma: no cover
    from benchmark.release.build import ConfigPlan

__all__ = ["Feed", "Workers", "build_in_worker", "process_groups"]

_KIND_COST = {"ner": 2.9, "articles": 1.0, "quotes": 0.6, "stance": 0.6}
"""Rough relative cost of a config's rows, to share configs between build processes: CPU time of
one-process builds of 20,000 real-length articles, each config alone and together, less what
every build pays (2026-11-25: ``articles`` 1.1 s, ``ner`` 3.2 s, ``quotes`` and ``stance`` 0.6 s)."""

_MAIN_LOAD = 3.0
"""The main process' own share in the same units: reading, converting, validating and counting
every article (2.8 s in those builds), and sending it to the other processes."""

_WORKER_LOAD = 0.5
"""A worker's own share: receiving the articles."""


def process_groups(plans: Sequence[ConfigPlan], workers: int) -> list[set[str]]:
    """Config names per process, the main process' first: costliest config first, each to the
    least loaded process (the main one starts with ``_MAIN_LOAD``, the others with
    ``_WORKER_LOAD``). Empty groups are dropped."""
    loads = [_WORKER_LOAD] * max(1, min(workers, len(plans) + 1))
    loads[0] = _MAIN_LOAD
    groups: list[set[str]] = [set() for _ in loads]
    for plan in sorted(plans, key=lambda p: (-_KIND_COST.get(p.kind, 1.0), p.name)):
        k = loads.index(min(loads))
        groups[k].add(plan.name)
        loads[k] += _KIND_COST.get(plan.kind, 1.0)
    return [groups[0], *(g for g in groups[1:] if g)]


def _fields_read(plans: Sequence[ConfigPlan]) -> frozenset[str] | None:
    """The article fields any of ``plans`` reads (``None``: all, when one plan does not say)."""
    fields: set[str] = set()
    for plan in plans:
        if plan.reads is None:
            return None
        fields |= plan.reads
    return frozenset(fields)


def build_in_worker(articles_in: Any, report: Any, plans: Mapping[str, list[ConfigPlan]],
                    writers: Writers) -> None:
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


class Feed:
    """Articles for one worker process: chunks of ``chunk`` items go through a bounded queue to a
    sender thread that writes them into the pipe, so the main process goes on while the worker
    catches up (at most ``depth`` chunks wait: memory stays bounded)."""

    def __init__(self, connection: Any, chunk: int = 128, depth: int = 8):
        import queue

        self.connection, self.chunk = connection, chunk
        self.pending: list[Any] = []
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.thread: Any = None
        self.failed = False

    def add(self, item: Any) -> None:
        """Queue one item; a full chunk goes to the sender (``BrokenPipeError``: the worker stopped)."""
        self.pending.append(item)
        if len(self.pending) >= self.chunk:
            self.flush()

    def flush(self, *, end: bool = False) -> None:
        """Send what is pending (and, with ``end``, the end mark)."""
        if self.pending:
            items, self.pending = self.pending, []
            self._put(items)
        if end:
            self._put(None)

    def _put(self, items: list[Any] | None) -> None:
        import queue
        import threading

        if self.thread is None:  # started after every fork: a forked worker never holds its locks
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
            except OSError:  # broken pipe: the worker stopped
                self.failed = True
                return
            if items is None:
                return

    def close(self) -> None:
        if self.thread is not None:
            self.thread.join(timeout=60)
        self.connection.close()

    def abort(self) -> None:
        """The worker is gone (killed): wake the sender, which stops at the end mark or at the
        broken pipe, wait for it, then close the pipe (closing it under a sending thread would make
        that thread fail on a closed handle instead)."""
        import contextlib
        import queue

        self.failed = True
        if self.thread is not None:
            with contextlib.suppress(queue.Full):  # full: the sender is writing, and the broken pipe stops it
                self.queue.put_nowait(None)
            self.thread.join(timeout=10)
        self.connection.close()


@dataclass
class _Worker:
    """One forked build process: what it builds, its article feed, its report pipe, its outputs."""

    configs: set[str]
    sources: set[str]
    fields: frozenset[str] | None
    """The article fields its configs read (``None``: all); only these are sent."""
    process: Any
    feed: Feed
    report: Any
    outputs: dict[tuple[str, str, str], Output] | None = None

    def receive(self) -> None:
        """Read the report (raises the worker's error, or that it died)."""
        try:
            status, payload = self.report.recv()
        except EOFError:
            self.process.join()
            raise BuildError(f"a build process died (exit code {self.process.exitcode}) before reporting; "
                             f"run again with --workers 1 to see the error") from None
        if status == "error":
            raise BuildError(payload)
        self.outputs = payload


class Workers:
    """Forked build processes, one per extra group of configs, fed the main process' articles in
    chunks through a pipe (:class:`Feed`)."""

    def __init__(self) -> None:
        self.workers: list[_Worker] = []

    def start(self, target: Callable[..., None], configs: set[str], plans: Mapping[str, list[ConfigPlan]],
              writers: Writers) -> None:
        context = multiprocessing.get_context("fork")
        child_in, parent_out = context.Pipe(duplex=False)  # articles: main → worker
        parent_in, child_report = context.Pipe(duplex=False)  # outputs or the error: worker → main
        process = context.Process(target=target, args=(child_in, child_report, plans, writers), daemon=True,
                                  name=f"khabar-build[{','.join(sorted(configs))}]")
        process.start()
        child_in.close()
        child_report.close()
        sources = {name for name, here in plans.items() if here}
        fields = _fields_read([plan for here in plans.values() for plan in here])
        self.workers.append(_Worker(configs, sources, fields, process, Feed(parent_out), parent_in))

    def feed(self, source: str, article: Article, split: str) -> None:
        """Queue one article for every worker that builds configs of ``source``."""
        for worker in self.workers:
            if source in worker.sources:
                sent = article if worker.fields is None else article.only(worker.fields)
                try:
                    worker.feed.add((source, sent, split))
                except BrokenPipeError:
                    self._stopped(worker)

    def close_feeds(self) -> None:
        for worker in self.workers:
            try:
                worker.feed.flush(end=True)
            except BrokenPipeError:
                self._stopped(worker)

    @staticmethod
    def _stopped(worker: _Worker) -> None:
        """A worker stopped reading: raise its own error (or that it died)."""
        worker.receive()
        raise BuildError(f"build process {worker.process.name} stopped reading articles") from None

    def check(self) -> None:
        """Raise at once when a worker has already failed (keep what a finished one sent)."""
        for worker in self.workers:
            if worker.outputs is None and worker.report.poll():
                worker.receive()

    def results(self, say: Callable[[str], None] | None = None) -> dict[tuple[str, str, str], Output]:
        """Wait for every worker (telling ``say`` whom it waits for); their outputs (raises when one
        failed)."""
        outputs: dict[tuple[str, str, str], Output] = {}
        for worker in self.workers:
            if worker.outputs is None:
                if say is not None and not worker.report.poll():
                    say(f"khabar build: waiting for the process building {','.join(sorted(worker.configs))} …")
                worker.receive()
            worker.process.join()
            outputs.update(worker.outputs or {})
        for worker in self.workers:
            worker.feed.close()
        return outputs

    def stop(self) -> None:
        """Kill every worker, then stop its feed and close its pipes."""
        for worker in self.workers:
            worker.feed.failed = True
            if worker.process.is_alive():
                worker.process.kill()
            worker.process.join()
        for worker in self.workers:
            worker.feed.abort()
            worker.report.close()
