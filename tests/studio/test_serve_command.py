"""`khabar annotate serve` starts a real Label Studio on loopback at the port asked for, never prints the
token, and stops the server on Ctrl-C (SIGINT) — also when Ctrl-C comes while it is still starting."""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from benchmark.studio.server import copy_data_dir, free_port, is_healthy

from .conftest import STUDIO_PASSWORD, STUDIO_TOKEN, STUDIO_USER

pytestmark = pytest.mark.studio


def _serve(data, port: int) -> subprocess.Popen:
    env = dict(os.environ, KHABAR_LS_PASSWORD=STUDIO_PASSWORD, KHABAR_LS_TOKEN=STUDIO_TOKEN)
    return subprocess.Popen(
        [sys.executable, "-m", "benchmark", "annotate", "serve", "--data-dir", str(data), "--port", str(port),
         "--username", STUDIO_USER],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)


def _wait_for_line(process: subprocess.Popen, text: str, seconds: float) -> str:
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if selector.select(timeout=1):
            line = process.stdout.readline()
            if text in line:
                return line
            if not line:
                break
    pytest.fail(f"no line with {text!r} within {seconds} s; stderr: {process.stderr.read()[-2000:]}")


def _stop(process: subprocess.Popen) -> tuple[str, str]:
    process.send_signal(signal.SIGINT)
    try:
        return process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_serve_runs_until_ctrl_c_and_keeps_the_token_secret(studio, tmp_path) -> None:
    port = free_port()
    process = _serve(copy_data_dir(studio.template, tmp_path / "serve-data"), port)
    up = _wait_for_line(process, "Label Studio is up at", 180)
    assert f"http://127.0.0.1:{port}" in up and is_healthy(f"http://127.0.0.1:{port}")
    out, err = _stop(process)
    assert "stopped" in out and process.returncode == 0
    assert STUDIO_TOKEN not in up + out + err
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=3)


def test_ctrl_c_while_starting_leaves_no_server_behind(studio, tmp_path) -> None:
    port = free_port()
    data = copy_data_dir(studio.template, tmp_path / "serve-data")
    process = _serve(data, port)
    deadline = time.monotonic() + 60
    while not (data / "label-studio.log").exists() and time.monotonic() < deadline:
        time.sleep(0.1)  # the log appears when the label-studio child is spawned; it needs seconds to come up
    assert not is_healthy(f"http://127.0.0.1:{port}")
    out, err = _stop(process)
    assert process.returncode == 130 and "was stopped" in err, (out, err[-2000:])
    assert STUDIO_TOKEN not in out + err
    time.sleep(2)
    assert not is_healthy(f"http://127.0.0.1:{port}")
