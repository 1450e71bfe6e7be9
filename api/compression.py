"""Response compression: gzip and brotli for large JSON and docs bodies, without touching their
validators.

* The coding is negotiated from ``Accept-Encoding`` (RFC 9110 §12.5.3: q-values, ``*``,
  ``identity``); brotli is preferred on a tie.
* A compressed representation's ETag is the identity ETag with the coding appended
  (``"…:gzip"``), derived before compressing: it never depends on the compressor's output.
  The output is byte-stable too (gzip without its timestamp), so one ETag is one byte sequence.
* Only whole 200 bodies are compressed: a 206 is a slice of the identity bytes (its
  ``Content-Range`` says so), errors and 304s are left alone.
* Files (the docs assets) are compressed whole once per file version and coding, and kept.
* ``Vary: Accept-Encoding`` goes on every response: the same URL answers differently by it.

Registered before :mod:`api.http`'s hooks so that it runs after them (Flask runs
``after_request`` hooks in reverse order): it sees the final identity body and its ETag.
"""

from __future__ import annotations

import functools
import gzip
import re
from threading import Lock

import brotli
from flask import Flask, Response, g, request

from .contract import JSON, PROBLEM
from .http import strong_etag

#: Bodies smaller than this are sent as they are (the coding would cost more than it saves).
MIN_SIZE = 1024
COMPRESSIBLE = frozenset(
    (JSON, PROBLEM, "text/html", "text/css", "text/javascript", "application/javascript")
)
#: Supported codings, in the server's order of preference.
CODINGS = ("br", "gzip")
_GZIP_LEVEL = 6
_BROTLI_QUALITY = 4
_CODING = re.compile(r"\s*([^\s;,]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?[^,]*")


@functools.lru_cache(maxsize=256)  # a pure function of a header with few distinct values
def choose_coding(accept_encoding: str) -> str | None:
    """The supported coding ``Accept-Encoding`` prefers, or None for the identity."""
    qualities: dict[str, float] = {}
    for match in _CODING.finditer(accept_encoding):
        name, quality = match.group(1).lower(), match.group(2)
        try:
            qualities[name] = min(float(quality), 1.0) if quality is not None else 1.0
        except ValueError:
            qualities[name] = 0.0
    wildcard = qualities.get("*", 0.0)
    best, best_quality = None, 0.0
    for coding in CODINGS:
        quality = qualities.get(coding, wildcard)
        if quality > best_quality:
            best, best_quality = coding, quality
    return best


def compress(data: bytes, coding: str) -> bytes:
    """``data`` in ``coding``; the same bytes every time for the same input."""
    if coding == "gzip":
        return gzip.compress(data, compresslevel=_GZIP_LEVEL, mtime=0)
    return brotli.compress(data, quality=_BROTLI_QUALITY)


class BodyCache:
    """Compressed bodies by their identity ETag and coding, up to ``budget`` bytes: a body with
    a strong ETag is one byte sequence, so it is compressed once per process, not per request;
    and (:meth:`identity`) the identity bodies of the fast path's article versions, whose
    ETags name what they are made of. Full: emptied and refilled (the hot representations come
    back at once)."""

    def __init__(self, budget: int = 4 * 1024 * 1024) -> None:
        self._items: dict[tuple[str, str], bytes] = {}
        self._size = 0
        self._lock = Lock()
        self.budget = budget

    def get(self, etag: str, coding: str, data, stored=None) -> bytes:
        """``data`` (bytes, or a function making them, called only when needed) in
        ``coding``: remembered, else ``stored(coding)``'s bytes (what ingest compressed:
        ``(identity hash, body)`` or None) when they encode ``data``, else compressed now."""
        key = (etag, coding)
        found = self._items.get(key)
        if found is None:
            if callable(data):
                data = data()
            kept = stored(coding) if stored is not None else None
            if kept is not None and kept[0] == strong_etag(data):
                found = kept[1]
            else:
                found = compress(data, coding)
            self._put(key, found)
        return found

    def identity(self, etag: str, build) -> bytes:
        """The identity body of a strong ETag derived from what the body is made of (an
        article version at a URL: :func:`api.http.etag_of`), made by ``build`` once."""
        key = (etag, "")
        found = self._items.get(key)
        if found is None:
            found = build()
            self._put(key, found)
        return found

    def _put(self, key, found: bytes) -> None:
        with self._lock:
            if self._size + len(found) > self.budget:
                self._items.clear()
                self._size = 0
            self._items[key] = found
            self._size += len(found)


#: The process's compressed bodies (the Flask hook's and :mod:`api.fastpath`'s).
BODIES = BodyCache()


class FileCache:
    """Compressed files, by the file's own ETag (werkzeug's: name, size and mtime) and coding."""

    def __init__(self, limit: int = 64) -> None:
        self._items: dict[tuple[str, str], bytes] = {}
        self._lock = Lock()
        self.limit = limit

    def get(self, etag: str, coding: str, read) -> bytes:
        key = (etag, coding)
        found = self._items.get(key)
        if found is None:
            found = compress(read(), coding)
            with self._lock:
                if len(self._items) >= self.limit:
                    self._items.clear()
                self._items[key] = found
        return found


def init_app(app: Flask) -> None:
    files = FileCache()

    @app.after_request
    def _compress(response: Response) -> Response:
        vary = response.headers.get("Vary")
        if not vary:
            response.headers["Vary"] = "Accept-Encoding"
        elif "accept-encoding" not in vary.lower():
            response.headers["Vary"] = f"{vary}, Accept-Encoding"
        if (
            response.status_code != 200
            or response.mimetype not in COMPRESSIBLE
            or "Content-Encoding" in response.headers
            or (response.content_length is not None and response.content_length < MIN_SIZE)
        ):
            return response
        coding = choose_coding(request.headers.get("Accept-Encoding", ""))
        if coding is None:
            return response
        etag, weak = response.get_etag()
        if response.direct_passthrough and etag:  # a file: compressed once per version of it
            original = response.response
            response.direct_passthrough = False
            body = files.get(etag, coding, response.get_data)
            if hasattr(original, "close"):
                original.close()
        else:
            response.direct_passthrough = False
            data = response.get_data()
            if len(data) < MIN_SIZE:
                return response
            stored = g.pop("encoded_body", None)
            if etag and not weak:
                body = BODIES.get(etag, coding, data, stored)
            else:
                body = compress(data, coding)
        response.set_data(body)
        response.headers["Content-Encoding"] = coding
        if etag:
            tag = f"{etag}:{coding}"
            response.set_etag(tag, weak=weak)
            given = request.if_none_match
            if given and (given.star_tag or given.contains_weak(tag)):
                response.status_code = 304
                response.set_data(b"")
                for name in ("Content-Type", "Content-Length", "Content-Encoding", "Link"):
                    response.headers.pop(name, None)
        return response
