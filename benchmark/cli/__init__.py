"""The ``khabar`` command line: a thin layer over the library API.

Each sub-command lives in its own module in this package and is discovered automatically.
A command module defines::

    NAME = "stats"                      # the sub-command
    HELP = "one line for khabar --help"
    def configure(parser: argparse.ArgumentParser) -> None: ...   # add arguments (no heavy imports)
    def run(args: argparse.Namespace) -> int: ...                 # do the work, return the exit code

Heavy libraries are imported inside ``run`` so that ``khabar --help`` stays fast. Options that
mean the same thing are spelled once, in :mod:`benchmark.cli._options` (``--no-progress``,
``--limit``, ``--json``).

When the reader of stdout goes away (``khabar stats … | head``), a command ends quietly with exit
code 141 (128 + SIGPIPE, what ``cat`` and other Unix tools return): its output was cut short.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

from benchmark import __version__


def _command_modules():
    package = sys.modules[__name__]
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "NAME") and hasattr(module, "run"):
            yield module


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="khabar",
        description="Khabar (خبر): Arabic news benchmark — annotate, build, evaluate, rank.",
    )
    parser.add_argument("--version", action="version", version=f"khabar {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        sub = commands.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.configure(sub)
        sub.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        code = int(args._run(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        return code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return BROKEN_PIPE


BROKEN_PIPE = 141
"""Exit code when stdout's reader closed the pipe (128 + SIGPIPE)."""


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush of what is still buffered
    for the closed pipe raises nothing (the recipe of the Python ``signal`` documentation)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (captured by a test, replaced by a caller)
        pass
    finally:
        os.close(devnull)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
