"""What stands between the API and a hostile or careless client.

* security headers on every response, with a Content-Security-Policy the docs page works under;
* limits on path and query length (414 problem documents, not a server error);
* per-client rate limiting (``limits``; counted once across the server's worker processes, or
  in Redis for several machines) answering 429 problem documents with ``Retry-After`` and
  ``RateLimit-*`` headers;
* ``X-Forwarded-For`` trusted only from the number of proxies the settings name.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import math
import re
import time

from flask import Flask, Response, g, request
from flask_smorest import abort
from limits import parse_many
from limits.errors import StorageError
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.middleware.proxy_fix import ProxyFix

from . import auth, shared_counts
from .contract import API_CSP, MAX_PATH_CHARS, MAX_QUERY_CHARS, SECURITY_HEADERS

UNLIMITED_PATHS = ("/healthz", "/readyz", "/metrics")

log = logging.getLogger(__name__)

_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def docs_csp(html: bytes) -> str:
    """The docs page may run its own local assets and its inline start-up script, nothing else."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(html)
    )
    return (
        "default-src 'self'; "
        f"script-src 'self' {hashes}; "
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; "
        "connect-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )


def init_app(app: Flask) -> None:
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    @app.before_request
    def _one_url_per_resource():
        """A path with an empty segment (``//v1/articles``: werkzeug strips leading slashes)
        names nothing: a 404, not the resource at a second URL, nor a redirect."""
        if "//" in request.environ.get("PATH_INFO", ""):
            abort(404)

    @app.before_request
    def _limit_lengths():
        if len(request.path) > MAX_PATH_CHARS or len(request.query_string) > MAX_QUERY_CHARS:
            abort(
                414,
                message=f"The path may have at most {MAX_PATH_CHARS} characters and the query "
                f"string at most {MAX_QUERY_CHARS}.",
            )

    @app.after_request
    def _security_headers(response: Response) -> Response:
        if response.mimetype == "text/html" and not response.direct_passthrough:
            csp = docs_csp(response.get_data())
        else:
            csp = API_CSP
        response.headers.extend((*SECURITY_HEADERS, ("Content-Security-Policy", csp)))
        return response

    if app.config["RATE_LIMIT"]:
        RateLimit(app.config["RATE_LIMIT"], app.config["RATE_LIMIT_STORAGE_URI"]).init_app(app)


class LocalStorage(Storage):
    """``local://``: fixed windows counted once for every worker process of this server
    (:mod:`api.shared_counts`), so the limit a client is told is the limit it meets."""

    STORAGE_SCHEME = ["local"]  # noqa: RUF012 (limits reads a list)

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options) -> None:
        super().__init__(uri, wrap_exceptions, **options)
        self.table = shared_counts.table()

    @property
    def base_exceptions(self):
        return OSError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        return self.table.hit(key, expiry, amount)

    def incr_window(self, key: str, expiry: int) -> tuple[int, float]:
        """:meth:`incr` by one and the window's end, in one locked step (:meth:`RateLimit.count`
        would otherwise lock the table twice per request); its errors wrapped as ``limits``
        wraps its own methods'."""
        try:
            return self.table.hit_window(key, expiry)
        except self.base_exceptions as error:
            if self.wrap_exceptions:
                raise StorageError(error) from error
            raise

    def get(self, key: str) -> int:
        return self.table.window(key)[1]

    def get_expiry(self, key: str) -> float:
        return self.table.window(key)[0]

    def check(self) -> bool:
        return True

    def reset(self) -> None:
        self.table.clear()

    def clear(self, key: str) -> None:
        self.table.clear(key)


class RateLimit:
    """Per-client-address limits, counted by ``limits`` (the engine under flask-limiter).

    flask-limiter itself cost about 0.7 ms of bookkeeping per request here (its per-route limit
    managers and exemption scopes), some 40% of the API's throughput; this hook does the one thing
    we use — one fixed-window count per client against the configured limits — in a few
    microseconds, with the same storage URIs (``memory://``, ``redis://…``). If the storage fails
    (Redis down), requests are let through and the failure is logged: a broken limiter must not
    take the API down with it.
    """

    def __init__(self, spec: str, storage_uri: str) -> None:
        self.items = parse_many(spec)
        # wrap_exceptions: a storage's own errors (Redis down, a broken map) arrive here as
        # StorageError, so that :meth:`count` lets the request through as it says.
        storage = storage_from_string(storage_uri, wrap_exceptions=True)
        self.limiter = FixedWindowRateLimiter(storage)

    def init_app(self, app: Flask) -> None:
        app.extensions["article_rate_limit"] = self  # api.fastpath counts through it too
        app.before_request(self.check)
        app.after_request(self.add_headers)

    def count(self, key: str):
        """Count one request from ``key``: ``(amount, remaining, reset_time)`` of the first limit
        when it is let through, the limit it exceeds when refused, None when the storage failed
        (the request is let through, without headers)."""
        storage = self.limiter.storage
        windowed = getattr(storage, "incr_window", None)  # local://: count and end at once
        try:
            first = None
            for item in self.items:
                # What FixedWindowRateLimiter.hit does, keeping the count for the headers
                # (its get_window_stats would read the window twice more).
                name = item.key_for(key)
                if windowed is not None:
                    used, reset_time = windowed(name, item.get_expiry())
                else:
                    used, reset_time = storage.incr(name, item.get_expiry(), amount=1), None
                if used > item.amount:
                    return item
                first = first or (item, name, used, reset_time)
            item, name, used, reset_time = first
            if reset_time is None:
                reset_time = storage.get_expiry(name)
        except StorageError as error:
            log.warning("rate limit storage failed, request let through: %s", error)
            return None
        return (item.amount, max(0, item.amount - used), reset_time)

    def check(self):
        if request.path in UNLIMITED_PATHS:
            return
        key = auth.rate_key()
        state = self.count(key)
        if state is not None and not isinstance(state, tuple):
            try:
                stats = self.limiter.get_window_stats(state, key)
                retry = max(1, math.ceil(stats.reset_time - time.time()))
            except StorageError:
                retry = 1
            abort(
                429,
                message=f"Rate limit of {state} exceeded; retry in {retry} s.",
                headers={
                    "Retry-After": str(retry),
                    "RateLimit-Limit": str(state.amount),
                    "RateLimit-Remaining": "0",
                    "RateLimit-Reset": str(retry),
                },
            )
        g.rate_limit = state

    @staticmethod
    def headers(state) -> list[tuple[str, str]]:
        """The ``RateLimit-*`` headers of a request :meth:`count` let through."""
        if state is None:
            return []
        amount, remaining, reset_time = state
        return [
            ("RateLimit-Limit", str(amount)),
            ("RateLimit-Remaining", str(remaining)),
            ("RateLimit-Reset", str(max(0, math.ceil(reset_time - time.time())))),
        ]

    def add_headers(self, response: Response) -> Response:
        response.headers.extend(self.headers(g.pop("rate_limit", None)))
        return response
