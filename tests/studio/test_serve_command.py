"""`khabar annotate serve` starts a real Label Studio on loopback at the port asked for, keeps the password
and token out of every command line and output, and never leaves a server behind: not on Ctrl-C
(SIGINT), SIGTERM or SIGHUP, not when Ctrl-C comes while it is still starting, and not when it is
SIGKILLed.

Every wait below is bounded but generous (the machine may be busy) and ends as soon as its condition
holds: a line on stdout, ``/health`` on the port asked for, the process' exit, no process of the
data dir left. The fixture kills whatever a failed test left behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from benchmark.studio.server import copy_data_dir, free_port, is_healthy

from .conftest import STUDIO_PASSWORD, STUDIO_TOKEN, STUDIO_USER
from .processes import kill_all, label_studio_of, needs_proc, processes_of, wait_until

pytestmark = [pytest.mark.studio, needs_proc]

START = 300  # seconds for a server to come up on a migrated copy (a few seconds when the machine is idle)
EXIT = 120  # seconds for a stopped serve to exit (it stops Label Studio first)


class Serve:
    """One `khabar annotate serve` subprocess with its output read by threads (no pipe can fill up)."""

    def __init__(self, data: Path, port: int):
        self.data, self.port, self.url = data, port, f"http://127.0.0.1:{port}"
        env = dict(os.environ, KHABAR_LS_PASSWORD=STUDIO_PASSWORD, KHABAR_LS_TOKEN=STUDIO_TOKEN)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "benchmark", "annotate", "serve", "--data-dir", str(data),
             "--port", str(port), "--username", STUDIO_USER],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
        self.out: list[str] = []
        self.err: list[str] = []
        self._readers = [threading.Thread(target=self._read, args=(stream, lines), daemon=True)
                         for stream, lines in ((self.process.stdout, self.out), (self.process.stderr, self.err))]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _read(stream, lines: list[str]) -> None:
        for line in stream:
            lines.append(line)

    def output(self) -> str:
        return "".join(self.out) + "".join(self.err)

    def wait_until_up(self) -> str:
        def up() -> bool:
            return any("Label Studio is up at" in line for line in self.out) or self.process.poll() is not None

        assert wait_until(up, START), f"not up within {START} s; output:\n{self.output()[-3000:]}"
        assert self.process.poll() is None, f"serve exited with {self.process.returncode}:\n{self.output()[-3000:]}"
        assert is_healthy(self.url)
        return next(line for line in self.out if "Label Studio is up at" in line)

    def signal_and_wait(self, signum: int) -> int:
        self.process.send_signal(signum)
        try:
            code = self.process.wait(timeout=EXIT)
        except subprocess.TimeoutExpired:
            name = signal.Signals(signum).name
            pytest.fail(f"serve did not exit within {EXIT} s of {name}:\n{self.output()[-3000:]}")
        for reader in self._readers:
            reader.join(timeout=EXIT)
        return code

    def no_server_left(self) -> bool:
        return not processes_of(self.data)

    def clean_up(self) -> None:
        """Whatever happened: kill serve's group and, as a last resort, every process of the data dir."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        if not wait_until(self.no_server_left, EXIT):
            kill_all(processes_of(self.data))


@pytest.fixture()
def serve(studio, tmp_path):
    """Start `khabar annotate serve` on a copy of the migrated data dir; never leaks a server."""
    started: list[Serve] = []

    def start() -> Serve:
        data = copy_data_dir(studio.template, tmp_path / f"serve-data-{len(started)}").resolve()
        started.append(Serve(data, free_port()))
        return started[-1]

    yield start
    for run in started:
        run.clean_up()


def test_serve_runs_until_ctrl_c_and_keeps_the_secrets_out_of_sight(serve) -> None:
    run = serve()
    up = run.wait_until_up()
    assert run.url in up
    (server_args,) = label_studio_of(run.data).values()
    assert "start" in server_args and "--port" in server_args
    for pid, args in processes_of(run.data).items():  # the guard and label-studio: `ps` shows these
        command_line = " ".join(args)
        assert STUDIO_PASSWORD not in command_line and STUDIO_TOKEN not in command_line, pid
    assert run.signal_and_wait(signal.SIGINT) == 0
    assert "stopped (SIGINT)" in run.output()
    assert STUDIO_TOKEN not in run.output() and STUDIO_PASSWORD not in run.output()
    assert wait_until(run.no_server_left, 10), processes_of(run.data)  # serve exits once the server is gone
    assert not is_healthy(run.url)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_stop_the_server(serve, signum) -> None:
    run = serve()
    run.wait_until_up()
    assert run.signal_and_wait(signum) == 0
    assert f"stopped ({signal.Signals(signum).name})" in run.output()
    assert wait_until(run.no_server_left, 10), processes_of(run.data)
    assert not is_healthy(run.url)


def test_sigkilled_serve_leaves_no_orphan(serve) -> None:
    run = serve()
    run.wait_until_up()
    assert label_studio_of(run.data)
    assert run.signal_and_wait(signal.SIGKILL) == -signal.SIGKILL
    # serve could not clean up: the guard sees its parent gone and stops Label Studio's process group
    assert wait_until(run.no_server_left, EXIT), processes_of(run.data)
    assert not is_healthy(run.url)


def test_ctrl_c_while_starting_leaves_no_server_behind(serve) -> None:
    run = serve()
    # label-studio has been spawned; it needs seconds (Django, the database) before it answers
    assert wait_until(lambda: label_studio_of(run.data) or run.process.poll() is not None, START)
    assert not is_healthy(run.url)
    assert run.signal_and_wait(signal.SIGINT) == 130, run.output()
    assert "interrupted (SIGINT) while Label Studio was starting; it was stopped" in run.output()
    assert STUDIO_TOKEN not in run.output()
    assert wait_until(run.no_server_left, 10), processes_of(run.data)
    assert not is_healthy(run.url)
