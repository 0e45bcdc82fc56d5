"""Start and stop a local Label Studio server (for ``khabar annotate serve`` and the tests).

Label Studio is started as::

    label-studio start --no-browser --internal-host 127.0.0.1 --port P --data-dir D \
        --username U --password W --user-token T

with ``LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN=true`` (so ``T`` works as ``Authorization: Token T``),
telemetry off and ``XDG_DATA_HOME`` inside ``D``. Two traps are handled here: ``--host`` is not
the bind address (``--internal-host`` is), and a busy port silently moves the server to
``P + 1`` — so the port is checked free before starting, and :func:`start_server` only returns
once the port that was asked for answers ``/health``.

The first start on an empty data dir runs the database migrations (~30 s); a restart on a
migrated data dir takes a few seconds (:func:`copy_data_dir` clones a migrated template).

The token is never printed, logged or shown in a repr.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ServerError", "StudioServer", "copy_data_dir", "free_port", "is_healthy", "start_server"]


class ServerError(RuntimeError):
    """The local Label Studio server could not be started (message names the URL and the log file)."""


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_is_free(port: int) -> bool:
    """No one listens on the port (connections lingering in TIME_WAIT do not count, as for the server)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def is_healthy(url: str, timeout: float = 2.0) -> bool:
    """True when ``url/health`` answers ``{"status": "UP"}``."""
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/health", timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8")).get("status") == "UP"
    except (urllib.error.URLError, OSError, ValueError):
        return False


@dataclass
class StudioServer:
    """A running local Label Studio server; stop it with :meth:`stop` (or use it as a context manager)."""

    url: str
    port: int
    data_dir: Path
    log_path: Path
    process: subprocess.Popen = field(repr=False)
    token: str = field(repr=False)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the server (SIGTERM to its process group, then SIGKILL if it lingers)."""
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, 15)
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
            self.process.wait(timeout=timeout)

    def kill(self) -> None:
        """Kill the server at once (SIGKILL), as a crash would: used by the fault tests."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, 9)
            self.process.wait(timeout=30)

    def __enter__(self) -> StudioServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _log_tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def start_server(
    data_dir: str | Path,
    *,
    username: str,
    password: str,
    token: str,
    port: int | None = None,
    timeout: float = 240.0,
    executable: str = "label-studio",
) -> StudioServer:
    """Start ``label-studio`` on ``127.0.0.1:port`` with ``data_dir``; return once ``/health`` is UP.

    Raises :class:`ServerError` when label-studio is not installed, the port is busy, or the
    server does not come up in ``timeout`` seconds (the message gives the log's last lines).
    """
    binary = shutil.which(executable)
    if binary is None:
        raise ServerError(f"{executable!r} is not installed (fix: pip install 'khabar[annotate]')")
    port = free_port() if port is None else port
    url = f"http://127.0.0.1:{port}"
    if not _port_is_free(port):
        raise ServerError(
            f"port {port} is busy, so Label Studio would silently move to port {port + 1} "
            f"(fix: stop what listens on {url} or choose another --port)"
        )
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / "label-studio.log"
    env = {
        **os.environ,
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "SENTRY_DSN": "",
        "FRONTEND_SENTRY_DSN": "",
        "LATEST_VERSION_CHECK": "false",
        "COLLECT_ANALYTICS": "false",
        "XDG_DATA_HOME": str(data_dir / "xdg"),
        "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
    }
    command = [
        binary,
        "start",
        "--no-browser",
        "--internal-host",
        "127.0.0.1",
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
        "--username",
        username,
        "--password",
        password,
        "--user-token",
        token,
    ]
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    server = StudioServer(
        url=url, port=port, data_dir=data_dir, log_path=log_path, process=process, token=token
    )
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise ServerError(
                    f"Label Studio exited with code {process.returncode} before {url} came up; "
                    f"log {log_path}:\n{_log_tail(log_path)}"
                )
            if is_healthy(url):
                return server
            time.sleep(0.5)
    except BaseException:  # Ctrl-C while starting: the server runs in its own session, so stop it here
        server.stop()
        raise
    server.stop()
    raise ServerError(
        f"Label Studio did not answer {url}/health within {timeout:.0f} s; log {log_path}:\n"
        f"{_log_tail(log_path)}"
    )


def copy_data_dir(template: str | Path, target: str | Path) -> Path:
    """Copy a migrated data dir (its SQLite database and folders) so a server starts in seconds."""
    template, target = Path(template), Path(target)
    shutil.copytree(template, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.log"))
    return target
