"""The guard that runs Label Studio (benchmark/studio/_guard.py) takes the command's whole process tree
down: on a stop signal, when its parent dies (even by SIGKILL), and when the command exits by itself.

A shell stands in for Label Studio here (no server needed): it starts background children, one of
which ignores SIGTERM; every process of the tree carries a unique environment marker to find it by.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid

import pytest

from benchmark.studio.server import GUARD

from .processes import kill_all, needs_proc, processes_with_environment, wait_until

pytestmark = needs_proc

# two background children (one ignores SIGTERM), then wait for them; EXIT_CODE set: exit at once
TREE = "trap '' TERM; (sleep 300 &) ; trap - TERM; sleep 300 & if [ -n \"$EXIT_CODE\" ]; then exit $EXIT_CODE; fi; wait"
WAIT = 60  # generous: the machine may be busy; every wait below ends as soon as its condition holds


@pytest.fixture()
def marker():
    """A unique environment marker; every marked process still alive at the end is killed."""
    mark = f"KHABAR_GUARD_TEST={uuid.uuid4().hex}"
    yield mark
    kill_all(processes_with_environment(mark))


def _env(marker: str, **extra: str) -> dict[str, str]:
    name, value = marker.split("=")
    return {**os.environ, name: value, **extra}


def _tree_is_up(marker: str) -> bool:
    return len(processes_with_environment(marker)) >= 4  # guard, sh, two sleeps


def test_parent_killed_by_sigkill_takes_the_whole_tree_down(marker):
    parent_code = (
        "import subprocess, sys, time\n"
        f"subprocess.Popen([sys.executable, '-I', {str(GUARD)!r}, str(__import__('os').getpid()), '1', '--',"
        f" 'sh', '-c', {TREE!r}], start_new_session=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", parent_code], env=_env(marker))
    try:
        assert wait_until(lambda: _tree_is_up(marker), WAIT), processes_with_environment(marker)
        parent.kill()
        parent.wait()
        assert wait_until(lambda: not processes_with_environment(marker), WAIT), processes_with_environment(marker)
    finally:
        parent.kill()
        parent.wait()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_stop_signal_takes_the_whole_tree_down_and_exits_0(marker, signum):
    guard = subprocess.Popen(
        [sys.executable, "-I", str(GUARD), str(os.getpid()), "1", "--", "sh", "-c", TREE],
        env=_env(marker),
        start_new_session=True,
    )
    try:
        assert wait_until(lambda: _tree_is_up(marker), WAIT)
        guard.send_signal(signum)
        assert guard.wait(timeout=WAIT) == 0
        assert wait_until(lambda: not processes_with_environment(marker), WAIT), processes_with_environment(marker)
    finally:
        guard.kill()
        guard.wait()


def test_command_exiting_by_itself_leaves_no_child_and_its_code_is_kept(marker):
    guard = subprocess.Popen(
        [sys.executable, "-I", str(GUARD), str(os.getpid()), "1", "--", "sh", "-c", TREE],
        env=_env(marker, EXIT_CODE="3"),
        start_new_session=True,
    )
    try:
        assert guard.wait(timeout=WAIT) == 3
        assert wait_until(lambda: not processes_with_environment(marker), WAIT), processes_with_environment(marker)
    finally:
        guard.kill()
        guard.wait()


def test_usage_error():
    result = subprocess.run([sys.executable, "-I", str(GUARD), "1"], capture_output=True, text=True)
    assert result.returncode == 2 and "usage: _guard.py PARENT_PID GRACE_SECONDS -- COMMAND" in result.stderr
