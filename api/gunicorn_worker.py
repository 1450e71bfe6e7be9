"""gunicorn's worker, answering what gunicorn refuses by itself in the app's error shape.

gunicorn reads the request line and the headers before the app sees a request; what it refuses
there (a malformed line, a line longer than ``limit_request_line``, too many or too large header
fields) it answers itself: an HTML page without a request id, echoing the request line. This
worker (``worker_class`` in gunicorn.conf.py) answers those as RFC 9457 problem documents, like
every other error: ``X-Request-ID`` (a new one: no request was read), ``Cache-Control:
no-store``, the security headers, and a detail that names what was wrong without repeating it.

Standard library and gunicorn only: the master loads this module to find the worker class.
"""

from __future__ import annotations

import json
import uuid
from http import HTTPStatus

from gunicorn import util
from gunicorn.http import errors
from gunicorn.workers.gthread import ThreadWorker

from .contract import API_CSP, NO_STORE, PROBLEM, SECURITY_HEADERS

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


def refusal(exc: BaseException) -> tuple[int, str]:
    """The status and detail for an exception gunicorn raised while reading a request."""
    for kinds, status, detail in REFUSALS:
        if isinstance(exc, kinds):
            return status, detail
    return 500, "The server failed to answer; quote the request_id when reporting it."


def problem_bytes(status: int, detail: str) -> bytes:
    """A whole HTTP/1.1 answer: a problem document and the headers every error carries."""
    request_id = uuid.uuid4().hex
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


class ProblemWorker(ThreadWorker):
    """gunicorn's threaded worker (``gthread``), with problem documents for its own errors."""

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
