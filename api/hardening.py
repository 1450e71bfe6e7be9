"""What stands between the API and a hostile or careless client.

* security headers on every response, with a Content-Security-Policy the docs page works under;
* limits on path and query length (414 problem documents, not a server error);
* per-client rate limiting (``limits``; in memory, or Redis for several machines) answering
  429 problem documents with ``Retry-After`` and ``RateLimit-*`` headers;
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
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from werkzeug.middleware.proxy_fix import ProxyFix

from .contract import MAX_PATH_CHARS, MAX_QUERY_CHARS

UNLIMITED_PATHS = ("/healthz", "/readyz", "/metrics")

log = logging.getLogger(__name__)

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
STATIC_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
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
        response.headers.extend((*STATIC_HEADERS, ("Content-Security-Policy", csp)))
        return response

    if app.config["RATE_LIMIT"]:
        RateLimit(app.config["RATE_LIMIT"], app.config["RATE_LIMIT_STORAGE_URI"]).init_app(app)


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
        self.limiter = FixedWindowRateLimiter(storage_from_string(storage_uri))

    def init_app(self, app: Flask) -> None:
        app.before_request(self.check)
        app.after_request(self.add_headers)

    def check(self):
        if request.path in UNLIMITED_PATHS:
            return
        key = request.remote_addr or "unknown"
        try:
            for item in self.items:
                if not self.limiter.hit(item, key):
                    stats = self.limiter.get_window_stats(item, key)
                    retry = max(1, math.ceil(stats.reset_time - time.time()))
                    abort(
                        429,
                        message=f"Rate limit of {item} exceeded; retry in {retry} s.",
                        headers={
                            "Retry-After": str(retry),
                            "RateLimit-Limit": str(item.amount),
                            "RateLimit-Remaining": "0",
                            "RateLimit-Reset": str(retry),
                        },
                    )
            item = self.items[0]
            stats = self.limiter.get_window_stats(item, key)
        except StorageError as error:
            log.warning("rate limit storage failed, request let through: %s", error)
            return
        g.rate_limit = (item.amount, stats.remaining, stats.reset_time)

    def add_headers(self, response: Response) -> Response:
        state = g.pop("rate_limit", None)
        if state is not None:
            amount, remaining, reset_time = state
            response.headers.extend(
                (
                    ("RateLimit-Limit", str(amount)),
                    ("RateLimit-Remaining", str(remaining)),
                    ("RateLimit-Reset", str(max(0, math.ceil(reset_time - time.time())))),
                )
            )
        return response
