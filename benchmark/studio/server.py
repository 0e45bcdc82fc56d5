"""Start and stop a local Label Studio server (for ``khabar annotate serve`` and the tests).

Label Studio is started as::

    label-studio start --no-browser --internal-host 127.0.0.1 --port P --data-dir D

with the admin's e-mail, password and API token in the environment (``LABEL_STUDIO_USERNAME``,
``LABEL_STUDIO_PASSWORD``, ``LABEL_STUDIO_USER_TOKEN``, read by label-studio 1.23's
``server._create_user``), never on the command line, where ``ps`` shows them to every user;
``LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN=true`` (so the token works as ``Authorization: Token T``),
telemetry off and ``XDG_DATA_HOME`` inside ``D``.

Two traps are handled here: ``--host`` is not the bind address (``--internal-host`` is), and a
busy port silently moves the server to ``P + 1`` — so the port is checked free before starting,
and :func:`start_server` only returns once the port that was asked for answers ``/health``.

The server never outlives its starter: ``label-studio`` runs under a small guard process
(``_guard.py``) that stops Label Studio's whole process group on SIGTERM, SIGINT or SIGHUP and
when the process that called :func:`start_server` dies, even by SIGKILL; if the guard itself is
killed, Linux kills Label Studio with it (``PR_SET_PDEATHSIG``).

The first start on an empty data dir runs the database migrations (~30 s); a restart on a
migrated data dir takes a few seconds (:func:`copy_data_dir` clones a migrated template).

The password and token are never printed, logged or shown in a repr.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "ServerError",
    "StudioServer",
    "copy_data_dir",
    "free_port",
    "is_healthy",
    "server_environment",
    "start_server",
]


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


GUARD = Path(__file__).with_name("_guard.py")
GRACE_SECONDS = 10.0  # how long Label Studio gets to exit on SIGTERM before SIGKILL
_STOP_SIGNALS = tuple(getattr(signal, n) for n in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, n))


@dataclass
class StudioServer:
    """A running local Label Studio server; stop it with :meth:`stop` (or use it as a context manager).

    ``process`` is the guard that runs ``label-studio`` (see the module docstring).
    """

    url: str
    port: int
    data_dir: Path
    log_path: Path
    process: subprocess.Popen = field(repr=False)
    token: str = field(repr=False)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = GRACE_SECONDS + 50.0) -> None:
        """Stop the server and everything it started; return once the port is released.

        SIGTERM to the guard, which stops Label Studio's process group (SIGKILL after a grace
        period); if the guard does not exit within ``timeout`` seconds it is SIGKILLed, and Label
        Studio dies with it.
        """
        if self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._wait_for_port_release(timeout)

    def kill(self) -> None:
        """Kill the server at once, as a crash would (SIGKILL to the guard; Label Studio dies with it)."""
        if self.process.poll() is not None:
            return
        self.process.kill()
        self.process.wait()
        self._wait_for_port_release(60.0)

    def _wait_for_port_release(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not _port_is_free(self.port) and time.monotonic() < deadline:
            time.sleep(0.1)

    def __enter__(self) -> StudioServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _log_tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def server_environment(data_dir: Path, *, username: str, password: str, token: str) -> dict[str, str]:
    """The environment ``label-studio start`` runs with: credentials, telemetry off, data in ``data_dir``."""
    return {
        **os.environ,
        "LABEL_STUDIO_USERNAME": username,
        "LABEL_STUDIO_PASSWORD": password,
        "LABEL_STUDIO_USER_TOKEN": token,
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "SENTRY_DSN": "",
        "FRONTEND_SENTRY_DSN": "",
        "LATEST_VERSION_CHECK": "false",
        "COLLECT_ANALYTICS": "false",
        "XDG_DATA_HOME": str(data_dir / "xdg"),
        "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
    }


def _start_guarded(command: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen:
    """Start ``command`` under the guard, with the stop signals blocked meanwhile.

    A Ctrl-C that lands while ``Popen`` runs would otherwise leave a started child that nobody
    holds; blocked, it waits until the caller holds the process (the guard unblocks them itself).
    """
    guard = [sys.executable, "-I", str(GUARD), str(os.getpid()), f"{GRACE_SECONDS:g}", "--", *command]
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        with log_path.open("ab") as log:
            return subprocess.Popen(
                guard,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,
            )
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


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
    Whatever interrupts the start (Ctrl-C, a signal turned into an exception) stops the server.
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
    command = [binary, "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(port)]
    command += ["--data-dir", str(data_dir)]
    env = server_environment(data_dir, username=username, password=password, token=token)
    process = _start_guarded(command, env, log_path)
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
