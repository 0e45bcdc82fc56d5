"""Options shared by the sub-commands: one spelling per meaning across ``khabar``.

=================  ==========================================================================
``--no-progress``  no progress bars or progress lines (on stderr); results still print.
                   ``args.progress`` is ``True`` unless it is given. (``--quiet``, its old
                   spelling on some commands, still works, hidden, with a deprecation notice.)
``--limit N``      read or handle at most the first ``N`` input items (articles, tasks, lines).
                   It never truncates a *report*: a cap on listed errors is ``--max-errors``.
``--json``         print the command's result to stdout as one JSON document instead of text
                   (a flag, never a path; a report written to a file is ``--report PATH``).
=================  ==========================================================================

>>> import argparse
>>> parser = argparse.ArgumentParser()
>>> add_progress_option(parser)
>>> parser.parse_args([]).progress, parser.parse_args(["--no-progress"]).progress
(True, False)
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["PROGRESS_OFF", "add_limit_option", "add_progress_option", "progress_environment"]

PROGRESS_OFF = "--no-progress"
"""The one spelling of "no progress bars" (enforced for every sub-command by tests/cli)."""

_DEPRECATED_PROGRESS_OFF = ("--quiet",)


class _DeprecatedProgressOff(argparse.Action):
    """An old spelling of ``--no-progress``: same effect, plus a notice naming the new one."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        print(f"{parser.prog}: {option_string} is deprecated; use {PROGRESS_OFF}", file=sys.stderr)
        namespace.progress = False


def add_progress_option(parser: argparse.ArgumentParser, help: str = "no progress bars (stderr)") -> None:
    """Add ``--no-progress`` (``args.progress``: ``True`` unless given) and its hidden old
    spelling ``--quiet``."""
    parser.add_argument(PROGRESS_OFF, dest="progress", action="store_false", help=help)
    parser.add_argument(*_DEPRECATED_PROGRESS_OFF, dest="progress", action=_DeprecatedProgressOff)


def add_encoder_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--encoder MODEL`` (``args.encoder``, default ``None``): the stance baseline's frozen sentence encoder,
    spelt and explained the same on every command that trains it."""
    parser.add_argument("--encoder", default=None, metavar="MODEL",
                        help="a frozen sentence encoder whose embeddings join the stance baseline's features (a "
                             "transformers folder, e.g. from `khabar convert-e5`, or a model id); default: none")


@contextmanager
def progress_environment(progress: bool) -> Iterator[None]:
    """While the block runs with ``progress`` off, set ``KHABAR_NO_PROGRESS=1`` (read by library
    code that has no progress argument, e.g. the transformer baselines' ``Trainer``); restored after.

    >>> with progress_environment(False):
    ...     os.environ["KHABAR_NO_PROGRESS"]
    '1'
    """
    if progress:
        yield
        return
    before = os.environ.get("KHABAR_NO_PROGRESS")
    os.environ["KHABAR_NO_PROGRESS"] = "1"
    try:
        yield
    finally:
        if before is None:
            del os.environ["KHABAR_NO_PROGRESS"]
        else:
            os.environ["KHABAR_NO_PROGRESS"] = before


def add_limit_option(parser: argparse.ArgumentParser, what: str = "articles") -> None:
    """Add ``--limit N``: handle at most the first ``N`` input items (``args.limit``, ``None``
    for all); refuses ``N < 1`` with a clear message."""
    parser.add_argument("--limit", type=_positive_int, default=None, metavar="N",
                        help=f"read at most the first N {what} (default: all)")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value
