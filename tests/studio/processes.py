"""Find the processes the studio tests started, from ``/proc`` (Linux), and wait on conditions with bounded waits."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

needs_proc = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc (Linux)")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:  # the process ended meanwhile, or is not ours
        return b""


def command_lines() -> dict[int, list[str]]:
    """pid → command line (arguments) of every live process that is not a zombie."""
    found: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        stat = _read(entry / "stat")
        if not stat or stat.rsplit(b")", 1)[-1].split()[0] == b"Z":
            continue
        args = _read(entry / "cmdline").split(b"\0")
        found[int(entry.name)] = [a.decode("utf-8", "replace") for a in args if a]
    return found


def processes_of(data_dir: Path) -> dict[int, list[str]]:
    """The live processes whose command line names ``data_dir`` (the guard and label-studio)."""
    needle = str(Path(data_dir).resolve())
    return {pid: args for pid, args in command_lines().items() if needle in args}


def label_studio_of(data_dir: Path) -> dict[int, list[str]]:
    """The label-studio processes of ``data_dir``: not the guard, nor `khabar annotate serve`, which name it too."""
    return {
        pid: args
        for pid, args in processes_of(data_dir).items()
        if any(Path(arg).name == "label-studio" for arg in args[:2])  # python|bash PATH/label-studio start …
    }


def processes_with_environment(marker: str) -> list[int]:
    """The live processes whose environment holds ``marker`` (``NAME=value``)."""
    needle = marker.encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and entry.name != str(os.getpid()):
            stat = _read(entry / "stat")
            if stat and stat.rsplit(b")", 1)[-1].split()[0] != b"Z" and needle in _read(entry / "environ").split(b"\0"):
                found.append(int(entry.name))
    return found


def wait_until(condition: Callable[[], bool], seconds: float, interval: float = 0.2) -> bool:
    """Poll ``condition`` until it holds or ``seconds`` pass; return whether it held."""
    deadline = time.monotonic() + seconds
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def kill_all(pids: list[int] | dict[int, object]) -> None:
    """SIGKILL the given processes (the clean-up of last resort: a test must never leak a server)."""
    for pid in list(pids):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
