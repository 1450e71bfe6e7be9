"""What stands between the API and a hostile or careless client.

* security headers on every response, with a Content-Security-Policy the docs page works under;
* limits on path and query length (414 problem documents, not a server error);
* compression (gzip/brotli) of large bodies, with ``Vary: Accept-Encoding``;
* per-client rate limiting (flask-limiter; in memory, or Redis for several machines) answering
  429 problem documents with ``Retry-After`` and ``RateLimit-*`` headers;
* ``X-Forwarded-For`` trusted only from the number of proxies the settings name.
"""

from __future__ import annotations

import base64
import hashlib
import re

from flask import Flask, Response, request
from flask_compress import Compress
from flask_limiter import HeaderNames, Limiter
from flask_limiter.util import get_remote_address
from flask_smorest import abort
from werkzeug.middleware.proxy_fix import ProxyFix

MAX_PATH_CHARS = 1024
MAX_QUERY_CHARS = 2048
UNLIMITED_PATHS = ("/healthz", "/readyz", "/metrics")

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
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


def init_app(app: Flask) -> Limiter | None:
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
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if response.mimetype == "text/html" and not response.direct_passthrough:
            headers["Content-Security-Policy"] = docs_csp(response.get_data())
        else:
            headers.setdefault("Content-Security-Policy", API_CSP)
        return response

    if app.config["COMPRESS_RESPONSES"]:
        app.config.setdefault(
            "COMPRESS_MIMETYPES",
            [
                "application/json",
                "application/problem+json",
                "text/html",
                "text/css",
                "text/javascript",
                "application/javascript",
            ],
        )
        app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
        app.config.setdefault("COMPRESS_MIN_SIZE", 1024)
        Compress(app)

    rate_limit = app.config["RATE_LIMIT"]
    if not rate_limit:
        return None
    return Limiter(
        get_remote_address,
        app=app,
        default_limits=[rate_limit],
        default_limits_exempt_when=lambda: request.path in UNLIMITED_PATHS,
        storage_uri=app.config["RATE_LIMIT_STORAGE_URI"],
        headers_enabled=True,
        header_name_mapping={
            HeaderNames.LIMIT: "RateLimit-Limit",
            HeaderNames.REMAINING: "RateLimit-Remaining",
            HeaderNames.RESET: "RateLimit-Reset",
            HeaderNames.RETRY_AFTER: "Retry-After",
        },
        strategy="moving-window",
    )
