"""The real programs for tests, as subprocesses: the server (gunicorn with the repo's
gunicorn.conf.py, on loopback) and the ``article-api`` command line.

Starting, waiting for and stopping a process is :mod:`bench.processes`' job (the benchmarks run
servers the same way, and must not import the tests).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.processes import answering, free_port, gunicorn, running

__all__ = ["CLI", "Server", "cli", "free_port", "gunicorn_server", "worker_process"]

ROOT = Path(__file__).resolve().parent.parent

#: The command line, run from this checkout's interpreter.
CLI = [sys.executable, "-m", "api.cli"]


def cli(*args: str, env: dict, timeout: float = 300) -> subprocess.CompletedProcess:
    """``article-api *args`` in the repo root, to completion; its output captured as text, its
    exit status left to the caller (no ``check``)."""
    return subprocess.run(
        [*CLI, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path


@contextmanager
def gunicorn_server(
    database_url: str,
    log_dir: Path,
    *,
    extra_env: dict | None = None,
    workers: int = 2,
    app: str = "api.wsgi:app",
) -> Iterator[Server]:
    """``app`` on a free port of 127.0.0.1 once ``/healthz`` answers 200; stopped at the end."""
    port = free_port()
    log = log_dir / f"gunicorn-{port}.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "WEB_CONCURRENCY": str(workers),
        **(extra_env or {}),
    }
    url = f"http://127.0.0.1:{port}"
    ready = answering(f"{url}/healthz")
    with gunicorn(app, port, env, log, ready=ready, stop_timeout=30) as process:
        yield Server(url, process, log)


@contextmanager
def worker_process(
    database_url: str, log: Path, *, extra_env: dict | None = None
) -> Iterator[subprocess.Popen]:
    """``article-api worker`` (a real process) once it says it is ready; stopped at the end."""
    env = {**os.environ, "DATABASE_URL": database_url, "ARTICLE_API_LOG_FORMAT": "text"}
    env.update(extra_env or {})

    def ready() -> bool:
        return log.exists() and b"worker ready" in log.read_bytes()

    with running([*CLI, "worker"], ready=ready, log=log, env=env, cwd=ROOT, timeout=120) as process:
        yield process
