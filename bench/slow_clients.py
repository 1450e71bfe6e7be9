"""The slow-client scenario: probe latency while many sockets are slow or idle.

``hold`` opens sockets to a server and keeps them busy doing nothing useful: ``idle`` ones
connect and send nothing, ``trickle`` ones send a request head one byte at a time, a byte every
``interval`` seconds (a slow or hostile client). ``probe`` meanwhile times ``GET path`` on fresh
connections. ``python -m bench`` reports the share of probes answered within a second and the
slowest; ``tests/test_slow_clients.py`` checks, with generous bounds, that every probe is
answered. Standard library only.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

HEAD = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"x" * 200 + b"\r\n\r\n"


@dataclass
class Probes:
    latencies: list[float]  # seconds, one per answered probe
    failures: int  # probes not answered with a 200 within the timeout

    @property
    def count(self) -> int:
        return len(self.latencies) + self.failures

    def within(self, seconds: float) -> float:
        """The share of probes answered within ``seconds``."""
        return sum(t <= seconds for t in self.latencies) / self.count if self.count else 0.0

    @property
    def slowest(self) -> float:
        return max(self.latencies, default=float("inf"))


@contextlib.contextmanager
def hold(port: int, *, idle: int, trickle: int, interval: float = 0.5) -> Iterator[None]:
    """``idle`` silent sockets and ``trickle`` byte-at-a-time ones to 127.0.0.1:``port``, kept
    (re-opened when the server closes them) until the block ends."""
    stop = threading.Event()

    def keep(kind: str) -> None:
        sock, sent = None, 0
        while not stop.is_set():
            if sock is None:
                with contextlib.suppress(OSError):
                    sock = socket.create_connection(("127.0.0.1", port), timeout=2)
                    sent = 0
                if sock is None:
                    stop.wait(interval)
                    continue
            if kind == "trickle":
                try:
                    sock.send(HEAD[sent % (len(HEAD) - 4) : sent % (len(HEAD) - 4) + 1])
                    sent += 1
                except OSError:
                    sock.close()
                    sock = None
            stop.wait(interval)
        if sock is not None:
            sock.close()

    threads = [
        threading.Thread(target=keep, args=(kind,), daemon=True)
        for kind in ["idle"] * idle + ["trickle"] * trickle
    ]
    for thread in threads:
        thread.start()
    time.sleep(interval * 2 + 0.5)  # every socket connected and started
    try:
        yield
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=5)


def probe(
    port: int, path: str = "/healthz", *, count: int = 20, pause: float = 0.1, timeout: float = 5.0
) -> Probes:
    """``count`` GETs of ``path``, each on a new connection, one after another."""
    latencies, failures = [], 0
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    for _ in range(count):
        started = time.monotonic()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
                sock.settimeout(max(0.01, timeout - (time.monotonic() - started)))
                sock.sendall(request)
                answer = b""
                while b"\r\n" not in answer:
                    chunk = sock.recv(4096)
                    if not chunk:
                        break
                    answer += chunk
            if answer.startswith(b"HTTP/1.1 200"):
                latencies.append(time.monotonic() - started)
            else:
                failures += 1
        except OSError:
            failures += 1
        time.sleep(pause)
    return Probes(latencies, failures)
