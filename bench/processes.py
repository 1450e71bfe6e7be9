"""Start a server process, wait until it answers, stop it: the one copy, stdlib only.

``python -m bench`` (gunicorn and nginx), ``bench/soak.py`` and the tests' servers
(``tests/serving.py``, ``tests/test_multinode.py``'s nginx) all run programs this way: output
into a log file, ready once the port takes connections or a URL answers 200 (a failure quotes
the log), and on the way out SIGTERM (or the program's own graceful signal), a bounded wait,
then SIGKILL.

Why in ``bench/``: the benchmarks must run without pytest and must not import ``tests/``; the
service (``api/``) has no use for it; and a new top-level package is not wanted. The tests
already run from the checkout, where ``bench`` is importable (``tests/test_soak.py`` runs
``bench/soak.py``), so ``tests/serving.py`` importing this module costs nothing. It imports
nothing but the standard library, so importing it loads neither the benchmark nor the app.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def executable(name: str) -> str | None:
    """``name`` on PATH, or in an sbin folder (nginx is there, often not on a user's PATH)."""
    found = shutil.which(name)
    if found:
        return found
    for folder in ("/usr/sbin", "/sbin", "/usr/local/sbin"):
        if os.access(f"{folder}/{name}", os.X_OK):
            return f"{folder}/{name}"
    return None


def listening(port: int) -> Callable[[], bool]:
    """Ready once 127.0.0.1:``port`` accepts a connection."""

    def ready() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), 0.2):
                return True
        except OSError:
            return False

    return ready


def answering(url: str, timeout: float = 1) -> Callable[[], bool]:
    """Ready once ``GET url`` answers 200."""

    def ready() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                return response.status == 200
        except OSError:  # refused, reset, timed out, or an HTTP error status
            return False

    return ready


def tail(path: Path | None, lines: int = 20) -> str:
    if path is not None:
        with contextlib.suppress(OSError):
            return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


def wait_until_ready(
    process: subprocess.Popen,
    ready: Callable[[], bool],
    *,
    timeout: float = 30,
    log: Path | None = None,
) -> None:
    """Return once ``ready()``; raise (quoting ``log``) if the process exits or time runs out."""

    def failed(what: str) -> RuntimeError:
        see = f"; see {log}:\n{tail(log)}" if log else ""
        return RuntimeError(f"{process.args[0]} {what}{see}")

    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise failed(f"exited ({process.returncode})")
        if ready():
            return
        if time.monotonic() > deadline:
            raise failed(f"did not answer within {timeout} s")
        time.sleep(0.1)


def stop(process: subprocess.Popen, *, timeout: float = 15, signum: int = signal.SIGTERM) -> None:
    """``signum`` (a graceful stop), up to ``timeout`` seconds' wait, then SIGKILL."""
    if process.poll() is None:
        process.send_signal(signum)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def running(
    command: Sequence[str],
    *,
    ready: Callable[[], bool],
    log: Path | None,
    failure_log: Path | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 30,
    stop_timeout: float = 15,
    stop_signal: int = signal.SIGTERM,
) -> Iterator[subprocess.Popen]:
    """``command`` running (stdout and stderr into ``log``; ``None`` discards them) once
    ``ready()``, and stopped on exit, also on an error. A failure to start quotes
    ``failure_log`` (default: ``log``)."""
    if log is None:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
    else:
        with log.open("wb") as out:
            process = subprocess.Popen(
                command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT
            )
    try:
        wait_until_ready(process, ready, timeout=timeout, log=failure_log or log)
        yield process
    finally:
        stop(process, timeout=stop_timeout, signum=stop_signal)


@contextlib.contextmanager
def gunicorn(
    app: str,
    port: int,
    env: Mapping[str, str],
    log: Path,
    *,
    ready: Callable[[], bool] | None = None,
    stop_timeout: float = 15,
) -> Iterator[subprocess.Popen]:
    """``app`` under the repo's ``gunicorn.conf.py`` on 127.0.0.1:``port``, once ``ready()``
    (default: the port takes connections); stopped (then killed) on exit."""
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "-c",
        str(ROOT / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",
        app,
    ]
    with running(
        command,
        ready=ready or listening(port),
        log=log,
        env=env,
        cwd=ROOT,
        stop_timeout=stop_timeout,
    ) as process:
        yield process
