"""gunicorn's worker: requests read whole before a thread takes them, and what gunicorn refuses
by itself answered in the app's error shape.

**Slow and idle clients.** gunicorn's ``gthread`` hands a connection to a request thread as soon
as it is accepted (or a kept-alive one turns readable); the thread then waits up to 5 s for a
first byte and blocks, without a deadline, until the request head is in. With one thread per
process (gunicorn.conf.py says why), one client trickling its headers stalls a whole worker,
and 50 idle sockets stall both for seconds each. This worker reads in its event loop instead,
without blocking: a connection is buffered there until its request head (and a body of known
length up to :data:`BUFFERED_BODY_BYTES`) has arrived, then the thread gets the whole request
from memory. Slow and idle sockets cost a file descriptor and a buffer, never a thread. Each
has a deadline: a connection that sends nothing is closed after
``ARTICLE_API_REQUEST_READ_SECONDS`` (kept-alive ones after gunicorn's ``keepalive``), and a
request not complete that long after its first byte gets a 408 problem document.

gunicorn reads the request line and the headers before the app sees a request; what it refuses
there (a malformed line, a line longer than ``limit_request_line``, too many or too large header
fields) it answers itself: an HTML page without a request id, echoing the request line. This
worker (``worker_class`` in gunicorn.conf.py) answers those as RFC 9457 problem documents, like
every other error: ``X-Request-ID`` (a new one: no request was read), ``Cache-Control:
no-store``, the security headers, and a detail that names what was wrong without repeating it.

**Connections spread over the workers.** Every worker polls the one listening socket, and
whichever is on a core when a burst of connections arrives accepts them all: a client (or a
proxy) that opens its 32 keep-alive connections at once then had them all on one worker, one
core idle, half the throughput (the bench saw a third of its runs so, on the app and the floor
alike). Each worker now publishes how many connections it holds (:class:`ConnectionLoads`, a
map the master makes before forking); a worker holding more than another live one lets a new
connection wait up to :data:`ACCEPT_DEFER_SECONDS` for a less loaded worker to take it, and
takes it itself if it is still waiting then (so a busy or hung sibling never strands one).

Standard library and gunicorn only: the master loads this module to find the worker class.
"""

from __future__ import annotations

import contextlib
import errno
import json
import mmap
import os
import re
import selectors
import time
from functools import partial
from http import HTTPStatus

from gunicorn import util
from gunicorn.http import errors
from gunicorn.workers.gthread import TConn, ThreadWorker

from .contract import API_CSP, NO_STORE, PROBLEM, SECURITY_HEADERS, new_request_id
from .settings import env

#: Largest request head buffered in the event loop; a longer one goes to gunicorn's parser,
#: which refuses it (431/414) by its own limits.
BUFFERED_HEAD_BYTES = 1024 * 1024
#: Largest ``Content-Length`` body buffered in the event loop before a thread takes the request;
#: a larger (or chunked) body is read by the thread.
BUFFERED_BODY_BYTES = 8 * 1024 * 1024
_HEAD_END = b"\r\n\r\n"
_CONTENT_LENGTH = re.compile(rb"\r\ncontent-length[ \t]*:[ \t]*([0-9]{1,12})[ \t]*(?=\r\n|$)", re.I)

#: How long a worker holding more connections than a sibling leaves a new one to the others.
ACCEPT_DEFER_SECONDS = 0.005


class ConnectionLoads:
    """Connections held per worker, in a map shared with every worker forked after it was made:
    :data:`SLOTS` pairs of int64 (a worker's pid, 0 for a free slot; its connections), a
    worker's slot its ``age`` (gunicorn numbers each worker it starts) modulo :data:`SLOTS`.
    Each worker writes only its own slot; a reader may see a count a loop turn old."""

    SLOTS = 64

    def __init__(self) -> None:
        self._memory = mmap.mmap(-1, self.SLOTS * 16)  # anonymous, MAP_SHARED: kept across fork
        self._words = memoryview(self._memory).cast("q")

    def claim(self, age: int, pid: int) -> int:
        slot = age % self.SLOTS
        self._words[2 * slot + 1] = 0
        self._words[2 * slot] = pid
        return slot

    def release(self, age: int, pid: int) -> None:
        """Free a worker's slot (the master, when the worker exits), unless a newer one holds it."""
        slot = age % self.SLOTS
        if self._words[2 * slot] == pid:
            self._words[2 * slot] = 0
            self._words[2 * slot + 1] = 0

    def publish(self, slot: int, connections: int) -> None:
        self._words[2 * slot + 1] = connections

    def least_loaded(self, slot: int, connections: int) -> bool:
        """Whether no other live worker holds fewer connections than ``connections``."""
        words = self._words.tolist()
        return all(
            connections <= words[i + 1]
            for i in range(0, len(words), 2)
            if words[i] and i != 2 * slot
        )


#: The master's map, inherited by every worker it forks (gunicorn loads this module first).
LOADS = ConnectionLoads()


#: What gunicorn refuses, the status it answers and what the problem says, first match wins.
REFUSALS: tuple[tuple[type[Exception] | tuple[type[Exception], ...], int, str], ...] = (
    (errors.LimitRequestLine, 414, "The request line is longer than this server accepts."),
    (
        errors.LimitRequestHeaders,
        431,
        "The request has too many header fields, or one that is too large.",
    ),
    (errors.UnsupportedTransferCoding, 501, "The request's Transfer-Encoding is not supported."),
    (errors.ExpectationFailed, 417, "The request's Expect header cannot be met."),
    (errors.ForbiddenProxyRequest, 403, "Proxy requests are not accepted from this address."),
    (
        (
            errors.InvalidResponseHeader,
            errors.InvalidResponseHeaderName,
            errors.ConfigurationProblem,
        ),
        500,
        "The server failed to answer; quote the request_id when reporting it.",
    ),
    (errors.ParseException, 400, "The request is not valid HTTP/1.1 (request line or headers)."),
)


#: The detail of a 408: a request that began but did not arrive within the deadline.
REQUEST_TIMEOUT = "The request did not arrive in time; send it again, whole."


def refusal(exc: BaseException) -> tuple[int, str]:
    """The status and detail for an exception gunicorn raised while reading a request."""
    for kinds, status, detail in REFUSALS:
        if isinstance(exc, kinds):
            return status, detail
    return 500, "The server failed to answer; quote the request_id when reporting it."


def problem_bytes(status: int, detail: str) -> bytes:
    """A whole HTTP/1.1 answer: a problem document and the headers every error carries."""
    request_id = new_request_id()
    reason = HTTPStatus(status).phrase
    body = json.dumps(
        {
            "type": "about:blank",
            "title": reason,
            "status": status,
            "detail": detail,
            "instance": "",  # no request target was read (or it is not to be repeated)
            "request_id": request_id,
        }
    ).encode()
    headers = [
        ("Connection", "close"),
        ("Content-Type", PROBLEM),
        ("Content-Length", str(len(body))),
        ("Cache-Control", NO_STORE),
        ("X-Request-ID", request_id),
        *SECURITY_HEADERS,
        ("Content-Security-Policy", API_CSP),
    ]
    head = f"HTTP/1.1 {status} {reason}\r\n" + "".join(f"{n}: {v}\r\n" for n, v in headers)
    return head.encode("latin-1") + b"\r\n" + body


def request_complete(buffered: bytes | bytearray) -> bool:
    """Whether ``buffered`` holds a whole request head and the body it announces (or as much as
    the event loop buffers: past the limits, the thread and gunicorn's parser take over)."""
    end = buffered.find(_HEAD_END)
    if end < 0:
        return len(buffered) > BUFFERED_HEAD_BYTES
    length = _CONTENT_LENGTH.search(buffered, 0, end)
    if length is None:
        return True  # no body, or a chunked one (the thread reads it)
    size = int(length.group(1))
    return size > BUFFERED_BODY_BYTES or len(buffered) >= end + len(_HEAD_END) + size


class ProblemWorker(ThreadWorker):
    """gunicorn's threaded worker (``gthread``), taking only whole requests into its threads
    (see the module's docstring), with problem documents for its own errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read_seconds = float(env("ARTICLE_API_REQUEST_READ_SECONDS"))
        #: Connections whose request is being read in the event loop (insertion-ordered).
        self.reading: dict[TConn, None] = {}
        self.load_slot = -1  # this worker's slot in LOADS, from init_process
        self.accept_deferred_until = 0.0

    def init_process(self):
        self.load_slot = LOADS.claim(self.age, os.getpid())
        super().init_process()

    # -- spreading connections over the workers -------------------------------------------

    def wait_for_and_dispatch_events(self, timeout):
        LOADS.publish(self.load_slot, self.nr_conns)
        deferred = self.accept_deferred_until
        if deferred:
            timeout = min(timeout, max(0.0, deferred - time.monotonic()))
        super().wait_for_and_dispatch_events(timeout)
        if deferred and self._accepting and time.monotonic() >= self.accept_deferred_until:
            # This wait listened again after the deferral: a connection still queued was taken
            # (accept cleared it) or a sibling took it. Either way the deferral is over; left
            # set, it would make every later wait a zero-timeout spin and let the next accept
            # skip its check.
            self.accept_deferred_until = 0.0

    def set_accept_enabled(self, enabled):
        """Listening stays off while a new connection is left to a less loaded sibling."""
        if enabled and time.monotonic() < self.accept_deferred_until:
            return
        super().set_accept_enabled(enabled)

    # -- reading requests in the event loop -------------------------------------------------

    def accept(self, listener):
        if self.accept_deferred_until:  # a sibling had its chance: take it
            self.accept_deferred_until = 0.0
        elif not LOADS.least_loaded(self.load_slot, self.nr_conns):
            self.accept_deferred_until = time.monotonic() + ACCEPT_DEFER_SECONDS
            self.set_accept_enabled(False)
            return
        try:
            client_sock, client_addr = listener.accept()
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        LOADS.publish(self.load_slot, self.nr_conns)  # at once: a sibling deciding now sees it
        conn = TConn(self.cfg, client_sock, client_addr, listener.getsockname())  # non-blocking
        self._start_reading(conn, self.read_seconds)

    def on_client_socket_readable(self, conn, client):
        """A kept-alive connection has its next request coming: read it here too."""
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._start_reading(conn, self.cfg.keepalive)
        self._on_readable(conn, client)

    def _start_reading(self, conn: TConn, idle_seconds: float) -> None:
        conn.buffered = bytearray()
        conn.deadline = time.monotonic() + idle_seconds
        self.reading[conn] = None
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_readable, conn))

    def _on_readable(self, conn: TConn, client) -> None:
        try:
            data = conn.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:  # the client closed (or reset) the connection
            self._stop_reading(conn)
            self._drop(conn)
            return
        if not conn.buffered:
            conn.deadline = time.monotonic() + self.read_seconds
        conn.buffered += data
        if request_complete(conn.buffered):
            self._stop_reading(conn)
            conn.prebuffered, conn.buffered = bytes(conn.buffered), None
            conn.data_ready = True
            self.enqueue_req(conn)

    def _stop_reading(self, conn: TConn) -> None:
        self.reading.pop(conn, None)
        with contextlib.suppress(KeyError, ValueError, OSError):
            self.poller.unregister(conn.sock)

    def _drop(self, conn: TConn, answer: bytes = b"") -> None:
        if answer:
            with contextlib.suppress(OSError):  # the client gone or not reading: nothing to do
                conn.sock.send(answer)
        self.nr_conns -= 1
        conn.close()

    def murder_pending(self):
        """Also close the connections whose request did not arrive by its deadline: silently
        when nothing was sent (or the worker is stopping), with a 408 when a request began."""
        super().murder_pending()
        now = time.monotonic()
        expired = [
            conn
            for conn in self.reading
            if conn.deadline <= now or (not self.alive and not conn.buffered)
        ]
        for conn in expired:
            self._stop_reading(conn)
            late = bool(conn.buffered)
            self._drop(conn, problem_bytes(408, REQUEST_TIMEOUT) if late else b"")

    def handle(self, conn):
        """In a request thread: the request read in the event loop goes to gunicorn's parser."""
        data = getattr(conn, "prebuffered", None)
        if data:
            conn.prebuffered = None
            conn.sock.setblocking(True)
            conn.init()
            conn.parser.unreader.unread(data)
        return super().handle(conn)

    # -- gunicorn's own refusals ------------------------------------------------------------

    def handle_error(self, req, client, addr, exc):
        status, detail = refusal(exc)
        address = (addr or ("", -1))[0]
        if status >= 500:
            self.log.exception("Error handling request")
        else:
            self.log.warning(
                "Invalid request from ip=%s: %s (%s)", address, type(exc).__name__, status
            )
        try:
            util.write_nonblock(client, problem_bytes(status, detail))
        except Exception:  # the client is gone: nothing left to tell it
            self.log.debug("Failed to send error message.")
