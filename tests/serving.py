"""The real programs for tests, as subprocesses: the server (gunicorn with the repo's
gunicorn.conf.py, on loopback) and the ``article-api`` command line.

Starting, waiting for and stopping a process is :mod:`bench.processes`' job (the benchmarks run
servers the same way, and must not import the tests).
"""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.processes import answering, free_port, gunicorn, running

__all__ = ["CLI", "Receiver", "Server", "cli", "free_port", "gunicorn_server", "worker_process"]

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


class Receiver:
    """A webhook receiver on loopback (a thread) that answers its first ``failures`` calls with
    a 503 and the rest with a 204, keeping each call's headers (lower-cased) and body."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.calls: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(503 if len(receiver.calls) <= receiver.failures else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/articles"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
