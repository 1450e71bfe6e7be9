"""Slow and idle clients cost the real server a socket, never a worker (issue #14).

gunicorn's ``gthread`` gave a connection to the request thread at once: one client trickling
its headers stalled a worker, 50 idle sockets stalled both for seconds each, and health probes
timed out. ``api.gunicorn_worker.ProblemWorker`` reads requests in its event loop and hands a
thread only whole ones. Bounded: loopback, 100 sockets, well under 30 s; the bounds on the
probes are generous (what is checked is that they are answered, not how fast: the benchmark's
slow-client scenario measures that).
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time

import pytest

from bench.run import children_of
from bench.slow_clients import hold, probe

from .serving import gunicorn_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("slow")
    env = {"ARTICLE_API_REQUEST_READ_SECONDS": "3", "ARTICLE_API_LOG_FORMAT": "text"}
    with gunicorn_server(f"sqlite:///{tmp_path / 'store.sqlite3'}", tmp_path, extra_env=env) as s:
        yield s


def port_of(server) -> int:
    return int(server.url.rsplit(":", 1)[1])


def test_probes_are_answered_while_100_sockets_are_slow_or_idle(server):
    with hold(port_of(server), idle=50, trickle=50, interval=0.3):
        probes = probe(port_of(server), count=10, pause=0.2, timeout=5)
    assert probes.failures == 0, probes
    assert probes.count == 10


def test_a_request_sent_in_pieces_is_answered(server):
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=10) as sock:
        for piece in (b"GET /heal", b"thz HTTP/1.1\r\nHo", b"st: x\r\n", b"\r\n"):
            sock.sendall(piece)
            time.sleep(0.2)
        head = sock.recv(65536)
        assert head.startswith(b"HTTP/1.1 200"), head
        # The same connection, kept alive, takes a second request in pieces too.
        for piece in (b"GET /healthz HTTP/1.1\r\n", b"Host: x\r\n\r\n"):
            sock.sendall(piece)
            time.sleep(0.2)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")


def test_a_request_that_never_finishes_gets_a_408_problem(server):
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=15) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    assert time.monotonic() - started < 10  # the 3 s deadline, plus the event loop's tick
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408"), head
    assert b"application/problem+json" in head and b"X-Request-ID" in head
    assert json.loads(body)["status"] == 408


def test_a_silent_connection_is_closed_after_the_deadline(server):
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=15) as sock:
        started = time.monotonic()
        assert sock.recv(65536) == b""  # closed without an answer: no request began
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    ("buffered", "complete"),
    [
        (b"GET / HTTP/1.1\r\nHost: x\r\n", False),
        (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", True),
        (b"POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\nab", False),
        (b"POST / HTTP/1.1\r\ncontent-length:4\r\n\r\nabcd", True),
        (b"POST / HTTP/1.1\r\nContent-Length: 999999999999\r\n\r\n", True),  # the thread reads it
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", True),
        (b"GET / HTTP/1.1\r\nX-Big: " + b"x" * (1024 * 1024 + 1), True),  # gunicorn's 431
    ],
)
def test_what_the_event_loop_buffers_before_a_thread_takes_a_request(buffered, complete):
    from api.gunicorn_worker import request_complete

    assert request_complete(buffered) is complete


def held_sockets(pid: int) -> int:
    """How many sockets process ``pid`` holds open (Linux: its /proc/PID/fd links)."""
    held = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        with contextlib.suppress(OSError):  # closed meanwhile
            held += os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:")
    return held


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs Linux's /proc to count")
def test_a_burst_of_keep_alive_connections_is_spread_over_the_workers(server):
    """32 connections opened at once, each kept alive after its answer: each of the 2 workers
    holds some share of them (before, whichever worker was on a core accepted the whole burst,
    and the other core idled while they lasted)."""
    children = sorted(int(folder.name) for folder, _ in children_of(server.process.pid))
    assert len(children) == 2, children
    before = {pid: held_sockets(pid) for pid in children}
    request = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
    socks = [
        socket.create_connection(("127.0.0.1", port_of(server)), timeout=15) for _ in range(32)
    ]
    try:
        for sock in socks:
            sock.sendall(request)
        for sock in socks:
            assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        held = {pid: held_sockets(pid) - before[pid] for pid in children}
    finally:
        for sock in socks:
            sock.close()
    assert min(held.values()) >= 4, held  # an even split is 16 each; one worker took all before


def test_a_deferral_ends_after_one_wait_that_listened_again(monkeypatch):
    """A worker that left a connection to a sibling listens again once the deferral is over,
    and after one wait that listened the deferral is cleared: later waits keep their timeout
    (left set, every wait had a zero timeout, a spinning event loop, until the next accept)."""
    from gunicorn.workers.gthread import ThreadWorker

    from api.gunicorn_worker import ProblemWorker

    timeouts = []
    monkeypatch.setattr(
        ThreadWorker, "wait_for_and_dispatch_events", lambda _, t: timeouts.append(t)
    )
    worker = ProblemWorker.__new__(ProblemWorker)  # no gunicorn arbiter: only the loop's state
    worker.load_slot, worker.nr_conns, worker._accepting = 0, 0, True
    worker.accept_deferred_until = time.monotonic() - 0.001  # over, and the sibling took it
    for _ in range(3):
        worker.wait_for_and_dispatch_events(1.0)
    assert timeouts == [0.0, 1.0, 1.0]
    assert worker.accept_deferred_until == 0.0
