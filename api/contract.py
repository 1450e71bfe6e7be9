"""The HTTP contract's constants, each defined once: the code that enforces a value and the
OpenAPI spec that documents it both import it from here (stdlib only, cheap to import).
"""

from __future__ import annotations

import random

#: Media types the API answers with.
JSON = "application/json"
PROBLEM = "application/problem+json"
#: Bulk export of a collection (``api/export.py``): one item per line, or one row per item.
NDJSON = "application/x-ndjson"
CSV = "text/csv"

#: ``Cache-Control`` of a specific version's URL (its bytes never change) …
IMMUTABLE = "public, max-age=31536000, immutable"
#: … of the health answers, and of every latest URL when shared caching is off (revalidate
#: with the ETag each time) …
REVALIDATE = "no-cache"
#: Longest ``ARTICLE_API_SHARED_CACHE_SECONDS`` taken (a larger value is read as this).
MAX_SHARED_CACHE_SECONDS = 60


def shared_revalidate(seconds: int) -> str:
    """… of a latest URL (an article, its parts, every list): a shared cache (nginx, a CDN) may
    answer it for ``seconds``, then ``seconds`` more while it revalidates in the background, so
    a new version shows within ``2 * seconds``; a browser's own cache revalidates every time
    (``max-age=0``). 0 seconds: :data:`REVALIDATE`."""
    seconds = min(max(seconds, 0), MAX_SHARED_CACHE_SECONDS)
    if not seconds:
        return REVALIDATE
    return f"public, max-age=0, s-maxage={seconds}, stale-while-revalidate={seconds}"


#: … and of every error answer.
NO_STORE = "no-store"

#: Response headers a browser script may read (CORS ``Access-Control-Expose-Headers``): the
#: validators and links, the request id, and what a client needs to honour a 429.
EXPOSED_HEADERS = (
    "ETag",
    "Link",
    "Location",
    "WWW-Authenticate",
    "Idempotent-Replayed",
    "X-Request-ID",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
)

#: Headers every answer carries (``api.hardening``; gunicorn's own answers too).
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
#: The Content-Security-Policy of every answer but the docs page: a JSON API runs nothing.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

#: The realm of the ``WWW-Authenticate: Bearer`` challenge on a 401.
AUTH_REALM = "article-api"
#: The OpenAPI security scheme of each key scope (all HTTP bearer; one per scope, so that each
#: operation names the scope it needs without OAuth-only scope lists).
SECURITY_SCHEMES = {"read": "ReadKey", "write": "WriteKey", "admin": "AdminKey"}

#: Largest body ``POST``/``PUT /v1/articles`` takes is ``ARTICLE_API_MAX_FILE_BYTES``, as for
#: seed files; a JSON write body may add this much for its other fields.
MAX_JSON_OVERHEAD = 16384
#: Longest ``Idempotency-Key`` accepted, and its characters (visible ASCII).
IDEMPOTENCY_KEY_PATTERN = r"^[!-~]{1,255}$"
#: Longest ``wait`` a change-feed long-poll may ask for, in seconds.
MAX_FEED_WAIT = 30
#: Media types a document may be written in.
DOCUMENT_TYPES = ("text/plain", "text/markdown", "application/json")
#: A retracted article's answers may be cached for this long (a cache that holds a copy of its
#: immutable version URL learns of the 410 when it revalidates or is purged).
GONE = "public, max-age=60"

#: A client's ``X-Request-ID`` is echoed when it matches this; otherwise the server makes one.
REQUEST_ID_PATTERN = r"^[A-Za-z0-9._:-]{1,128}$"


def new_request_id() -> str:
    """A request id the server makes: 32 hex digits (128 random bits, as a UUID4's hex),
    from the process's Mersenne Twister (``random``, reseeded in every forked worker), not
    ``os.urandom``: an id correlates log lines, it guards nothing, and the system call would
    cost every request a release of the GIL."""
    return f"{random.getrandbits(128):032x}"


#: A strong entity-tag (RFC 9110 §8.8.3): quoted, no ``W/``; opaque to clients.
ETAG_PATTERN = r'^"[!#-~]*"$'

#: Longest path and query string answered (longer: a 414 problem document).
MAX_PATH_CHARS = 1024
MAX_QUERY_CHARS = 2048

#: Page sizes a collection takes, and the one it uses when none is given.
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
#: Deeper than any collection will be; keeps ``(page - 1) * page_size`` a small SQL offset.
MAX_PAGE = 1_000_000
#: Most ``about`` values one quotes request combines (each adds a condition).
MAX_ABOUT_VALUES = 5
#: Cursors are unpadded base64url tokens, at most this long.
CURSOR_PATTERN = r"^[A-Za-z0-9_-]+$"
MAX_CURSOR_CHARS = 512
#: Items a bulk export reads per statement (each chunk its own short read).
EXPORT_CHUNK = 500
#: Longest ``after`` (an export's resume point: the key of the last item received).
MAX_AFTER_CHARS = 512
#: Longest accepted ``q``.
MAX_QUERY_LENGTH = 200
#: Largest integer a stored column holds (32-bit on every backend: versions, positions), and so
#: the largest integer a client may send anywhere: a path segment, a query value, a cursor key.
MAX_STORED_INT = 2**31 - 1
#: Highest version number a path may name.
MAX_VERSION = MAX_STORED_INT
#: How an integer is written in a path or a query string: ASCII digits, no sign, no leading zero
#: (so ``01``, ``١``, ``1_000`` and ``+1`` are not a second spelling of a number).
CANONICAL_INTEGER = r"0|[1-9][0-9]*"
