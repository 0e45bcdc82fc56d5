"""Sharing a release build's configs between processes (``khabar build --workers N``).

The main process reads, converts and validates every article once and writes its own configs; each
other config group is written by a forked worker process, which gets the articles through a pipe in
chunks (:class:`Feed`: a sender thread and a bounded queue, so the main process does not wait on a
full pipe and memory stays bounded). A worker reports its files, or its error, through a second pipe
(:class:`Workers`). Configs are shared by a rough cost per kind (:func:`process_groups`).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from benchmark.model import Article
from benchmark.release.errors import BuildError
from benchmark.release.writers import Output, Writers

if TYPE_CHECKING:  # pragma: no cover
    from benchmark.release.build import ConfigPlan

__all__ = ["Feed", "Workers", "build_in_worker", "process_groups"]

_KIND_COST = {"ner": 3.0, "articles": 1.0, "quotes": 0.5, "stance": 0.5}
"""Rough relative cost of a config's rows, to share configs between build processes."""


_MAIN_LOAD = 1.5
"""The main process' own share in the same units: reading, converting, validating and counting
every article, and sending it to the other processes."""


def process_groups(plans: Sequence[ConfigPlan], workers: int) -> list[set[str]]:
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


class Workers:
    """Forked build processes, one per extra group of configs, fed the main process' articles in
    chunks through a pipe (:class:`_Feed`)."""

    chunk = 128

    def __init__(self) -> None:
        self.processes: list[tuple[Any, Any]] = []  # (process, report connection)
        self.feeds: list[Feed] = []
        self.finished: dict[int, Any] = {}  # report connection id -> outputs received early

    def start(self, target: Callable[..., None], configs: set[str], plans: Mapping[str, list[ConfigPlan]],
              writers: Writers) -> None:
        context = multiprocessing.get_context("fork")
        child_in, parent_out = context.Pipe(duplex=False)  # articles: main → child
        parent_in, child_report = context.Pipe(duplex=False)  # outputs or the error: child → main
        process = context.Process(target=target, args=(child_in, child_report, plans, writers), daemon=True,
                                  name=f"khabar-build[{','.join(sorted(configs))}]")
        process.start()
        child_in.close()
        child_report.close()
        self.processes.append((process, parent_in))
        self.feeds.append(Feed(parent_out, {name for name, here in plans.items() if here}))

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

    def results(self, say: Callable[[str], None] | None = None) -> dict[tuple[str, str, str], Output]:
        """Wait for every child (telling ``say`` whom it waits for); their outputs (raises when one
        failed)."""
        outputs: dict[tuple[str, str, str], Output] = {}
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
