"""Run a command (Label Studio) so that it never outlives the process that asked for it.

    python -I _guard.py PARENT_PID GRACE_SECONDS -- label-studio start ...

:func:`benchmark.studio.server.start_server` starts this script (standard library only, run by
path) as its direct child, in a session of its own. The guard

- starts the command in a process group of its own, with SIGKILL as the command's parent-death
  signal on Linux (``prctl(PR_SET_PDEATHSIG)``): if the guard itself is SIGKILLed, the command
  dies at once;
- stops the command's whole process group — SIGTERM, then after ``GRACE_SECONDS`` SIGKILL for
  whatever is left, children of Label Studio included — when it gets SIGTERM, SIGINT or SIGHUP,
  or when ``PARENT_PID`` is no longer its parent (the parent died, even by SIGKILL: checked four
  times a second, which works on every POSIX system and, unlike a parent-death signal on the
  guard, does not fire when merely the *thread* that started the guard ends);
- when the command exits by itself, sweeps its process group (SIGKILL) and exits with its code.

The command's exit is detected without reaping it (``waitid(WNOWAIT)``), so its process group id
cannot be reused by an unrelated process before the sweep.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
import time

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
POLL_SECONDS = 0.25
PR_SET_PDEATHSIG = 1


def set_parent_death_signal(signum: int) -> bool:
    """Ask Linux to send ``signum`` to this process when its parent thread dies (False elsewhere)."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    return libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0


def _die_with_guard() -> None:  # runs in the command's process between fork and exec
    set_parent_death_signal(signal.SIGKILL)


def _has_exited(process: subprocess.Popen) -> bool:
    """Whether the command has exited, leaving it unreaped (so its group id stays reserved)."""
    if not hasattr(os, "waitid"):  # pragma: no cover - macOS before Python 3.13
        return process.poll() is not None
    try:
        return os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


def _log(message: str) -> None:
    print(f"[khabar guard {os.getpid()}] {message}", flush=True)


def run(parent: int, grace: float, command: list[str]) -> int:
    """Run ``command`` until it exits, a stop signal comes, or ``parent`` is gone; return an exit code."""
    requested: list[int] = []

    def request_stop(signum: int, _frame: object) -> None:
        requested.append(signum)

    for signum in STOP_SIGNALS:
        signal.signal(signum, request_stop)
    # start_server blocks these signals while it starts the guard; a signal that came meanwhile
    # is pending and is delivered here, to the handler above
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    if os.getppid() != parent or requested:
        return 0
    process = subprocess.Popen(command, process_group=0, preexec_fn=_die_with_guard)
    while not _has_exited(process):
        if requested or os.getppid() != parent:
            why = f"signal {signal.Signals(requested[0]).name}" if requested else f"parent {parent} is gone"
            _log(f"{why}: stopping process group {process.pid} (SIGTERM, SIGKILL after {grace:g} s)")
            _signal_group(process.pid, signal.SIGTERM)
            deadline = time.monotonic() + grace
            while not _has_exited(process) and time.monotonic() < deadline:
                time.sleep(POLL_SECONDS / 5)
            break
        time.sleep(POLL_SECONDS)
    _signal_group(process.pid, signal.SIGKILL)  # whatever is left of the group: children included
    code = process.wait()
    if requested or os.getppid() != parent:
        return 0
    return code if code >= 0 else 128 - code


def main(argv: list[str]) -> int:
    if len(argv) < 4 or argv[2] != "--":
        print("usage: _guard.py PARENT_PID GRACE_SECONDS -- COMMAND [ARG ...]", file=sys.stderr)
        return 2
    return run(int(argv[0]), float(argv[1]), argv[3:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
