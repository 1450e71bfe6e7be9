"""The HTTP contract shared by every endpoint: envelope, ETag and 304, caching, request ids.

Bodies are assembled from stored JSON bytes; nothing here re-serialises a stored resource, except
to cut a body to the request's ``fields`` (:func:`selected`, one parse of the page).

ETags: an endpoint that knows what its body is made of (an article version: immutable rows)
derives the ETag from those inputs with :func:`etag_of` and answers ``If-None-Match`` through
:func:`conditional` *before* building the body, so a 304 costs one indexed lookup. Any other
200 gets the hash of its body in the ``after_request`` hook, as a fallback.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import quote, quote_plus

import orjson
from flask import Flask, Response, current_app, g, request
from flask_smorest import abort
from werkzeug.routing import IntegerConverter

from .contract import (
    CANONICAL_INTEGER,
    JSON,
    MAX_STORED_INT,
    REQUEST_ID_PATTERN,
    REVALIDATE,
    new_request_id,
)
from .fields import project_envelope
from .store import ArticleStore

_REQUEST_ID = re.compile(REQUEST_ID_PATTERN)


def store() -> ArticleStore:
    return current_app.extensions["article_store"]


def job_queue():
    """The app's job queue (made on first use: reading never needs it)."""
    found = current_app.extensions.get("job_queue")
    if found is None:
        from .queue import queue

        found = current_app.extensions["job_queue"] = queue(current_app.config["QUEUE_URL"])
    return found


def envelope(data: bytes, links: dict, meta: dict | None = None) -> bytes:
    """``{"data": …, "links": {…}, "meta": {…}}`` around already-serialised data."""
    return b"".join(
        (
            b'{"data":',
            data,
            b',"links":',
            orjson.dumps(links),
            b',"meta":',
            orjson.dumps(meta or {}),
            b"}",
        )
    )


def article_links(article_id: str, self_url: str) -> dict:
    """An article version's ``links``, ``self`` being the URL it is served at."""
    base = f"/v1/articles/{article_id}"
    return {
        "self": self_url,
        "versions": f"{base}/versions",
        "sections": f"{base}/sections",
        "bullets": f"{base}/bullets",
        "quotes": f"{base}/quotes",
        "entities": f"{base}/entities",
        "latest": base,
    }


def encoded_article_bodies(
    article_id: str, version: int, article_json: bytes
) -> list[tuple[str, str, str, bytes]]:
    """A version's bodies at its parameterless URLs (``api.store.tables.ENCODED_URLS``), each
    compressed in every coding: ``(url, coding, identity hash, body)``, made once at ingest
    (``encoded_bodies``) so that no request for them compresses. The identity hash lets a
    server use them only while it would send those very identity bytes."""
    from .compression import CODINGS, MIN_SIZE, compress

    base = f"/v1/articles/{article_id}"
    urls = {"latest": link_to(base), "version": link_to(f"{base}/versions/{version}")}
    made = []
    for name, url in urls.items():
        body = envelope(article_json, article_links(article_id, url))
        if len(body) >= MIN_SIZE:
            identity = strong_etag(body)
            made += [(name, coding, identity, compress(body, coding)) for coding in CODINGS]
    return made


def json_array(items: Iterable[bytes]) -> bytes:
    return b"[" + b",".join(items) + b"]"


def splice(obj: bytes, fields: Iterable[tuple[str, bytes]]) -> bytes:
    """Append ``"name": value`` members to a serialised JSON object."""
    extra = b"".join(b',"' + name.encode() + b'":' + value for name, value in fields)
    return obj[:-1] + extra + b"}" if extra else obj


def _code_fingerprint() -> bytes:
    """What shapes a body besides the stored bytes: this package's and the schemas' code.

    Mixed into every derived ETag, so a deploy that changes an envelope changes the ETags.
    """
    root = Path(__file__).resolve().parent
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted([*root.rglob("*.py"), *(root.parent / "schemas").rglob("*.py")]):
        digest.update(path.read_bytes())
    return digest.digest()


CODE_FINGERPRINT = _code_fingerprint()


def strong_etag(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def etag_of(*inputs: str | int) -> str:
    """An ETag from what a body is made of (immutable stored rows, the URL), not its bytes."""
    key = "\0".join(map(str, inputs)).encode()
    return hashlib.blake2b(key, digest_size=16, key=CODE_FINGERPRINT).hexdigest()


def latest_cache_control() -> str:
    """``Cache-Control`` of a latest URL: ``ARTICLE_API_SHARED_CACHE_SECONDS`` for shared caches,
    revalidated every time by browsers (:func:`api.contract.shared_revalidate`)."""
    return current_app.config.get("LATEST_CACHE_CONTROL", REVALIDATE)


def json_response(
    body: bytes,
    *,
    cache_control: str | None = None,
    link: str | None = None,
    etag: str | None = None,
):
    """A JSON 200 (or its 304); ``cache_control`` defaults to a latest URL's."""
    cache_control = cache_control or latest_cache_control()
    body = selected(body)
    tag = etag or strong_etag(body)
    headers = [("Content-Type", JSON), ("Cache-Control", cache_control), ("ETag", f'"{tag}"')]
    if link:
        headers.append(("Link", link))
    if request.if_none_match and _matches(tag):
        return not_modified(headers)
    return Response(body, 200, headers)


def conditional(
    etag: str, build: Callable[[], bytes], *, cache_control: str | None = None
) -> Response:
    """A 304 when ``If-None-Match`` matches ``etag`` (the body is never built), else a 200."""
    cache_control = cache_control or latest_cache_control()
    headers = [("Content-Type", JSON), ("Cache-Control", cache_control), ("ETag", f'"{etag}"')]
    if request.if_none_match and _matches(etag):
        return not_modified(headers)
    return Response(selected(build()), 200, headers)


def selected(body: bytes) -> bytes:
    """The body cut to the request's ``fields`` (:mod:`api.fields`), if it named any. Applied
    before the ETag is taken (a list's) or with a URL-derived one (the URL holds ``fields``)."""
    tree = g.get("field_selection")
    return body if tree is None else project_envelope(body, tree)


def _matches(etag: str) -> bool:
    given = request.if_none_match
    return given.star_tag or given.contains_weak(etag)


def not_modified(headers: list[tuple[str, str]]) -> Response:
    kept = [(name, value) for name, value in headers if name in ("ETag", "Cache-Control")]
    response = Response(None, 304, kept)
    response.headers.pop("Content-Type", None)
    return response


class CanonicalIntegerConverter(IntegerConverter):
    """``<int:…>`` in a route: ASCII digits without a leading zero, at most what the store holds.

    werkzeug's own takes any Unicode digits and leading zeros (``/versions/01``,
    ``/versions/١``), so one resource would answer at many URLs; here those are a 404.
    """

    regex = f"(?:{CANONICAL_INTEGER})"

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_STORED_INT, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits, min, max, signed=False)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = CanonicalIntegerConverter

    @app.before_request
    def _request_id():
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if _REQUEST_ID.match(given) else new_request_id()

    @app.before_request
    def _acceptable():
        """What the route produces (JSON, unless its view says otherwise with
        :func:`produces`) against the Accept header: a 406 when the header rules all of it out."""
        accept = request.environ.get("HTTP_ACCEPT")
        if not accept or accept == "*/*" or request.path.startswith("/docs"):
            return  # the common cases, decided without parsing the header
        offered = view_produces(current_app.view_functions.get(request.endpoint or ""))
        if accept != offered[0] and negotiate(accept, offered) is None:
            answers = ", ".join(offered)
            abort(406, message=f"This URL answers {answers}; the Accept header rules it out.")

    @app.after_request
    def _conditional(response: Response) -> Response:
        response.headers["X-Request-ID"] = g.get("request_id") or new_request_id()
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if "ETag" in response.headers:
            return response  # set by the view, which answered If-None-Match itself
        if response.direct_passthrough or response.is_streamed:
            return response  # files: werkzeug's send_file sets its own validators
        etag = strong_etag(response.get_data())
        response.set_etag(etag)
        response.headers.setdefault("Cache-Control", REVALIDATE)
        if request.if_none_match and _matches(etag):
            response.status_code = 304
            response.set_data(b"")
            for name in ("Content-Type", "Content-Length", "Link"):
                response.headers.pop(name, None)
        return response


#: What an API route answers with (its errors are problem documents whatever ``Accept`` says).
API_MEDIA_TYPES = (JSON,)


def view_produces(view) -> tuple[str, ...]:
    """What a view function answers with: its own :func:`produces`, or its method's (a
    ``MethodView``; collections add their exports, :func:`api.spec.read_operation`), or JSON."""
    handler = getattr(
        getattr(view, "view_class", None),
        "get" if request.method == "HEAD" else request.method.lower(),
        None,
    )
    return getattr(handler, "produces", None) or getattr(view, "produces", API_MEDIA_TYPES)


def produces(*media_types: str):
    """Declare the media types a non-JSON view answers with, for the Accept check."""

    def mark(view):
        view.produces = media_types
        return view

    return mark


_MEDIA_RANGE = re.compile(
    r'\s*([^\s;,/]+)/([^\s;,]+)\s*((?:;\s*[^;,=\s]+\s*=\s*(?:"[^"]*"|[^;,\s]*)\s*)*)'
)
_PARAMETER = re.compile(r';\s*([^;,=\s]+)\s*=\s*("[^"]*"|[^;,\s]*)')


@functools.lru_cache(maxsize=256)
def negotiate(accept: str, offered: tuple[str, ...]) -> str | None:
    """The offered media type the ``Accept`` header prefers, or None when it rules all out.

    RFC 9110 §12.5.1: each offered type takes the quality of the most specific range matching
    it (``type/subtype`` over ``type/*`` over ``*/*``); ``q=0`` rules it out. Parameters other
    than ``q`` do not rule a type out: JSON defines none (``charset`` means nothing to it,
    RFC 8259 §11) and the API answers one form of each type. A header that cannot be parsed
    accepts nothing specific and is read as ``*/*``.
    """
    ranges = []
    position = 0
    for match in _MEDIA_RANGE.finditer(accept):
        if accept[position : match.start()].strip(" \t,"):
            return offered[0]  # not a media-range list: as if no Accept header was sent
        position = match.end()
        kind, subtype = match.group(1).lower(), match.group(2).lower()
        quality = 1.0
        for name, value in _PARAMETER.findall(match.group(3)):
            if name.lower() == "q":
                try:
                    quality = min(max(float(value.strip('"')), 0.0), 1.0)
                except ValueError:
                    quality = 1.0
                break  # what follows q are accept-extensions, not media type parameters
        ranges.append((kind, subtype, quality))
    if accept[position:].strip(" \t,") or not ranges:
        return offered[0]
    best, best_quality = None, 0.0
    for media_type in offered:
        kind, subtype = media_type.split("/", 1)
        found = [
            (2 if r_subtype != "*" else 1 if r_kind != "*" else 0, quality)
            for r_kind, r_subtype, quality in ranges
            if r_kind in (kind, "*")
            and r_subtype in (subtype, "*")
            and not (r_kind == "*" and r_subtype != "*")
        ]
        if not found:
            continue
        specificity = max(level for level, _ in found)
        quality = max(q for level, q in found if level == specificity)
        if quality > best_quality:
            best, best_quality = media_type, quality
    return best


def link_to(path: str, params: Iterable[tuple[str, str]] = ()) -> str:
    """A root-relative URL from a decoded path and query items, re-encoded: every character
    that could end the URL or start a new link (``<>;,"`` and spaces) is percent-encoded, so the
    result is safe inside ``<…>`` of a ``Link`` header whatever the client sent."""
    url = path if _SAFE_PATH.fullmatch(path) else quote(path, safe="/:@")
    # urlencode's own quote_plus per item, skipped where it would change nothing (the common
    # case, and most of a list page's cost in links): the same bytes either way.
    query = "&".join(f"{_plus(name)}={_plus(value)}" for name, value in params)
    return f"{url}?{query}" if query else url


#: What ``quote(…, safe="/:@")`` and ``quote_plus`` leave as they are.
_SAFE_PATH = re.compile(r"[A-Za-z0-9_.~/:@-]*")
_SAFE_ITEM = re.compile(r"[A-Za-z0-9_.~-]*")


@functools.lru_cache(maxsize=4096)  # a pure function; a client's few values, each seen often
def _plus(text: str) -> str:
    return text if _SAFE_ITEM.fullmatch(text) else quote_plus(text)


def self_url() -> str:
    """The request's URL as a client would link to it: its path and its query parameters,
    parsed and re-encoded (never the raw query string)."""
    return link_to(request.path, request.args.items(multi=True))


def request_id() -> str:
    return g.get("request_id") or ""
