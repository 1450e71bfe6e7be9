"""The hot GETs in one pass at the WSGI level, everything else to the Flask app.

Flask + flask-smorest dispatch, webargs and a dozen hooks cost about 0.6 ms a request, several
times what the store's read and the bytes cost. :class:`FastPath` sits under the Flask app's
WSGI callable and answers, itself, the few requests that are most of the traffic:

* ``GET``/``HEAD /v1/articles/{id}`` and ``/v1/articles/{id}/versions/{n}`` with or without
  ``include`` (repeated or comma-separated);
* ``GET``/``HEAD /v1/articles`` (filters, ``sort``, ``facets``, search by ``q``), of an
  article's parts (``/sections``, ``/bullets``, ``/quotes``, ``/entities``, with their
  filters) and ``/v1/entities`` (``type``, ``q``), with any of their parameters, loaded by the
  app's own query parser and each route's schema (so a value the app refuses goes to the app);
* each of them with ``fields`` (a sparse fieldset, :mod:`api.fields`) whose names it knows;

doing in one place what the app's layers do: routing (the app's own URL map), the ``Accept``
check, the rate limit (the app's counter), conditional requests (the identity and the coded
ETag), the envelope (the resources' own functions, reading through :class:`ArticleStore`),
``Cache-Control``, compression (each body compressed once, :data:`api.compression.BODIES`),
CORS for any origin, the request id, security headers, metrics and the access line.

It hands to the Flask app every request it is not sure to answer exactly as the app would: any
other method, any request with ``Authorization``, any path it does not route here (new routes
included), any other parameter or any value it does not know to be valid (the app answers the
400), an ``Accept`` that is not plainly JSON (a 406, or a bulk export), a path it must refuse
(``//``, too long), a request the rate limit refuses, an article that does not exist (or is
retracted: the app's 410), a CORS set-up other than ``*``, and every request when reads need a
key.
``tests/test_fastpath.py`` checks that both answer every route and parameter combination with
the same status, headers and body.
"""

from __future__ import annotations

import functools
import re
import time
from urllib.parse import parse_qsl

from flask import Flask
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.http import parse_etags

from schemas.article import INCLUDE_CHOICES, INCLUDES, ArticleSchema, ArticleSummarySchema
from schemas.bullet import BulletSchema
from schemas.entity import CorpusEntitySchema, EntitySchema
from schemas.quote import QuoteSchema
from schemas.section import SectionSchema

from . import compression, fields
from .contract import (
    API_CSP,
    CSV,
    EXPOSED_HEADERS,
    IMMUTABLE,
    JSON,
    MAX_PATH_CHARS,
    MAX_QUERY_CHARS,
    MAX_VERSION,
    NDJSON,
    REQUEST_ID_PATTERN,
    SECURITY_HEADERS,
    new_request_id,
)
from .http import link_to, negotiate, strong_etag
from .observability import record_request
from .query import QUERY_PARSER
from .resources.articles import article_filter
from .resources.common import (
    article_body,
    article_etag,
    article_list_body,
    part_page_body,
    search_page_body,
)
from .resources.entities import corpus_entity_list_body, entity_filters
from .resources.quotes import quote_filters
from .store.fast import BudgetMemo

_REQUEST_ID = re.compile(REQUEST_ID_PATTERN)
_EXPOSED = ", ".join(sorted(EXPOSED_HEADERS))
_SECURITY = [*SECURITY_HEADERS, ("Content-Security-Policy", API_CSP)]
_STATUS = {200: "200 OK", 304: "304 NOT MODIFIED"}
#: What an Accept header is weighed against: JSON is answered here, the exports by the app.
_OFFERS = (JSON, NDJSON, CSV)

#: The routes answered here, by the app's rule.
ARTICLE = "/v1/articles/<article_id>"
VERSION = "/v1/articles/<article_id>/versions/<int(min=1):version>"
ARTICLES = "/v1/articles"
PARTS = {f"/v1/articles/<article_id>/{kind}": kind for kind in INCLUDES}
ENTITIES = "/v1/entities"
_COLLECTIONS = frozenset((ARTICLES, ENTITIES, *PARTS))


#: Paths whose routing is remembered (then forgotten all at once).
MATCHED_PATHS = 2048


class _Query:
    """What the app's query parser reads of a request (:mod:`api.query`): its arguments, and
    the query string its memo is keyed by."""

    __slots__ = ("args", "query_string")

    def __init__(self, params, query: str) -> None:
        self.args = MultiDict(params)
        self.query_string = query.encode("latin-1")  # as werkzeug's request.query_string


class Fallback(Exception):
    """Not a request this path answers exactly as the app would: the app takes it."""


class FastPath:
    """WSGI middleware: the hot GETs answered here (see the module), the rest by ``app_wsgi``."""

    def __init__(self, app: Flask, app_wsgi) -> None:
        self.app_wsgi = app_wsgi
        self.store = app.extensions["article_store"]
        self.urls = app.url_map.bind("localhost")
        self.cache_control = app.config["LATEST_CACHE_CONTROL"]
        self.compress = app.config["COMPRESS_RESPONSES"]
        self.rate_limit = app.extensions.get("article_rate_limit")
        # Off when reads need a key (the app checks it) or CORS is not the open default.
        self.enabled = tuple(app.config["CORS_ORIGINS"]) == ("*",) and not app.config.get(
            "READ_KEYS_REQUIRED"
        )
        handlers = {ARTICLE: self._article, VERSION: self._version, ARTICLES: self._articles}
        handlers[ENTITIES] = self._entities
        handlers |= {rule: self._parts for rule in PARTS}
        endpoints = {rule.rule: rule.endpoint for rule in app.url_map.iter_rules()}
        missing = [rule for rule in handlers if rule not in endpoints]
        if missing:
            raise RuntimeError(f"api.fastpath answers routes the app lacks: {missing}")
        #: By the app's endpoint name (what its URL map matches).
        self.routes = {endpoints[rule]: (rule, handler) for rule, handler in handlers.items()}
        #: Each collection's query schema: the one its view declares (``@blp.arguments``).
        self.schemas = {rule: _query_schema(app, endpoints[rule]) for rule in _COLLECTIONS}
        self._matched: dict[str, tuple] = {}
        #: Pages answered here, by path, query and store state (:meth:`ArticleStore.change_state`:
        #: the newest event and the article count, which every write that can change a page
        #: moves), up to 1 MB of bodies. A remembered page costs one lookup of the state
        #: instead of its read, its envelope and its hash.
        self.pages = BudgetMemo(1024 * 1024)
        #: Requests answered here, for tests.
        self.answered = 0

    def __call__(self, environ, start_response):
        if not self.enabled:
            return self.app_wsgi(environ, start_response)
        started = time.perf_counter()
        try:
            status, headers, body, route, request_id = self._answer(environ)
        except Exception:  # Fallback, or a failure: the app answers it (and logs it once)
            return self.app_wsgi(environ, start_response)
        start_response(_STATUS[status], headers)
        method = environ["REQUEST_METHOD"]
        elapsed = time.perf_counter() - started
        path, client = environ["PATH_INFO"], environ.get("REMOTE_ADDR")
        record_request(method, path, route, status, elapsed, client, request_id)
        self.answered += 1
        return [b""] if method == "HEAD" else [body]

    # -- one request -----------------------------------------------------------------------

    def _answer(self, environ):
        """``(status, headers, body, route template, request id)``, or :class:`Fallback`."""
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in environ:
            raise Fallback
        path = environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING", "")
        if (
            not path.isascii()
            or "//" in path
            or len(path) > MAX_PATH_CHARS
            or len(query) > MAX_QUERY_CHARS
            or not query.isascii()
        ):
            raise Fallback
        accept = environ.get("HTTP_ACCEPT")
        if accept and accept != "*/*" and accept != JSON and negotiate(accept, _OFFERS) != JSON:
            raise Fallback  # the app's 406, or a bulk export (api/export.py)
        matched = self._matched.get(path)
        if matched is None:  # the app's URL map decides, once per path
            try:
                matched = self.urls.match(path, method="GET", return_rule=True)
            except HTTPException:  # not found, a redirect, another method: the app's answer
                matched = (None, None)
            if len(self._matched) >= MATCHED_PATHS:
                self._matched.clear()
            self._matched[path] = matched
        rule, args = matched
        if rule is None:
            raise Fallback
        found = self.routes.get(rule.endpoint)
        if found is None or found[0] != rule.rule:
            raise Fallback
        params = _params(query)
        wanted_fields = tuple(value for name, value in params if name == "fields")
        tree = _selection(rule.rule, wanted_fields) if wanted_fields else None
        # A page is remembered per store state (below); else the article (or page) first: a
        # request the app would refuse is refused there.
        page_key = remembered = None
        if rule.rule in _COLLECTIONS:
            page_key = (path, query, self.store.change_state())
            remembered = self.pages.get(page_key)
        if remembered is not None:
            etag, body, cache_control, link = remembered
            build, stored, large = None, None, False
        else:
            etag, build, cache_control, link, stored, large = found[1](
                path, params, rule=rule.rule, tree=tree, query=query, **args
            )
            if tree is not None:
                build = functools.partial(_cut, build, tree)
            body = None

        rate = None
        if self.rate_limit is not None:
            rate = self.rate_limit.count(environ.get("REMOTE_ADDR") or "unknown")
            if rate is not None and not isinstance(rate, tuple):
                raise Fallback  # over the limit: the app's 429 (it counts the refusal too)

        given = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = given if _REQUEST_ID.match(given) else new_request_id()
        # Every origin is answered alike (``*``: no Vary on Origin, one cached copy for all).
        tail = [("Access-Control-Allow-Origin", "*"), ("Access-Control-Expose-Headers", _EXPOSED)]
        if self.rate_limit:
            tail += self.rate_limit.headers(rate)
        tail += [*_SECURITY, ("X-Request-ID", request_id)]
        # A collection answers by Accept too (a page, or a bulk export: api/export.py), and
        # every answer by Accept-Encoding when it compresses.
        if rule.rule in _COLLECTIONS:
            tail.append(("Vary", "Accept, Accept-Encoding" if self.compress else "Accept"))
        elif self.compress:
            tail.append(("Vary", "Accept-Encoding"))

        if etag is None:  # a page: its ETag is its body's hash, as the app's
            body = build()
            etag = strong_etag(body)
            self.pages.put(page_key, (etag, body, cache_control, link), len(body))
        wanted = parse_etags(environ.get("HTTP_IF_NONE_MATCH"))
        accepted = None  # the coding a body over the threshold is sent in
        if self.compress:
            accepted = compression.choose_coding(environ.get("HTTP_ACCEPT_ENCODING", ""))
        # An article's coded ETag is known before its body (``large``: over the threshold).
        coded = f"{etag}:{accepted}" if large and accepted is not None else None
        if wanted and (wanted.star_tag or wanted.contains_weak(etag)):
            status, headers = 304, [("Cache-Control", cache_control), ("ETag", f'"{etag}"')]
            body = b""
        elif wanted and coded is not None and wanted.contains_weak(coded):
            # The revalidation of a compressed copy (every browser's): answered before the
            # body is built, as the app answers it after compressing.
            status, headers = 304, [("Cache-Control", cache_control), ("ETag", f'"{coded}"')]
            body = b""
        else:
            status = 200
            if body is None and large:  # an article: its body is known by its ETag
                coding = accepted
                if coding is None:
                    body = compression.BODIES.identity(etag, build)
            else:
                if body is None:  # an article cut by ``fields``, or short: known by its ETag too
                    body = compression.BODIES.identity(etag, build)
                coding = accepted if len(body) >= compression.MIN_SIZE else None
            if coding is not None:
                # Built only when no copy is remembered or stored (``build`` is lazy).
                body = compression.BODIES.get(etag, coding, body or build, stored)
                etag = f"{etag}:{coding}"
                if wanted and wanted.contains_weak(etag):
                    status, body = 304, b""
            if status == 304:
                headers = [("Cache-Control", cache_control), ("ETag", f'"{etag}"')]
            else:
                headers = [("Content-Type", JSON), ("Cache-Control", cache_control)]
                headers.append(("ETag", f'"{etag}"'))
                if link:
                    headers.append(("Link", link))
                headers.append(("Content-Length", str(len(body))))
                tail = [*tail, ("Content-Encoding", coding)] if coding else tail
        return status, headers + tail, body, rule.rule, request_id

    # -- the routes ------------------------------------------------------------------------

    def _article(self, path: str, params, article_id: str, rule: str, tree, query: str):
        found = self.store.latest_article(article_id)
        return self._one(path, params, article_id, found, self.cache_control, tree, "latest")

    def _version(
        self, path: str, params, article_id: str, version: int, rule: str, tree, query: str
    ):
        if not 1 <= version <= MAX_VERSION:
            raise Fallback
        found = self.store.article_version(article_id, version)
        return self._one(path, params, article_id, found, IMMUTABLE, tree, "version")

    def _one(self, path: str, params, article_id: str, found, cache_control: str, tree, at: str):
        include = _include(params)
        if tree is not None:  # a part the selection names is embedded, as the app does
            include = fields.with_parts(include, tree, INCLUDE_CHOICES)
        if found is None:
            raise Fallback  # the app's 404
        url = link_to(path, params)
        etag = article_etag(article_id, found, url)
        # The body ingest stored compressed (``at`` its latest or version URL), when it is that.
        stored = (
            None
            if include
            else functools.partial(self.store.encoded_body, article_id, found[0], at)
        )
        # The body holds the stored article whole unless ``fields`` cuts it: at least as long.
        large = tree is None and len(found[3]) >= compression.MIN_SIZE
        return (
            etag,
            lambda: article_body(self.store, article_id, found, include, url),
            cache_control,
            None,
            stored,
            large,
        )

    def _articles(self, path: str, params, rule: str, tree, query: str):
        """The article list, filtered or not, and search (the filter: the app's
        :func:`article_filter`)."""
        args = _load(self.schemas[rule], params, query)
        where = article_filter(args)
        if "q" not in args:
            return self._page(
                lambda: article_list_body(self.store, args, where, path=path, params=params)
            )
        if "sort" in args or "after" in args:
            raise Fallback  # ranked results: the app's 400 (api.resources.common.search_page)
        q = args["q"]

        def fetch(conn, window):
            return self.store.search_articles(conn, q, window, where=where)

        return self._page(
            lambda: search_page_body(self.store, args, fetch, "articles", path=path, params=params)
        )

    def _entities(self, path: str, params, rule: str, tree, query: str):
        args = _load(self.schemas[rule], params, query)
        return self._page(
            lambda: corpus_entity_list_body(self.store, args, path=path, params=params)
        )

    def _parts(self, path: str, params, article_id: str, rule: str, tree, query: str):
        kind = PARTS[rule]
        args = _load(self.schemas[rule], params, query)
        filters = _PART_FILTERS[kind](args)
        return self._page(
            lambda: part_page_body(
                self.store, article_id, kind, args, path=path, params=params, **filters
            )
        )

    def _page(self, make):
        """A page's answer from ``make()``'s body and ``Link``: its ETag is its body's hash
        (None here). A 400 or 404 the app's functions raise (a cursor of another collection,
        nothing to search for, no such article) is the app's to answer."""
        try:
            body, link = make()
        except HTTPException:
            raise Fallback from None
        return None, lambda: body, self.cache_control, link, None, False


def _load(schema: type, params, query: str) -> dict:
    """A collection's parameters, loaded as the app loads them: by its parser (remembered per
    query string, :mod:`api.query`) and the route's own schema. A value the app refuses is the
    app's to answer (its 400 names the parameter)."""
    try:
        return QUERY_PARSER.parse(schema, _Query(params, query), location="query")
    except HTTPException:
        raise Fallback from None


def _query_schema(app: Flask, endpoint: str) -> type:
    """The query schema the endpoint's ``GET`` declares with ``@blp.arguments`` (flask-smorest
    keeps it on the method), so that both paths load a request's parameters with one schema."""
    method = app.view_functions[endpoint].view_class.get
    declared = method._apidoc.get("arguments", {}).get("parameters", [])
    found = [p["schema"] for p in declared if p.get("in") == "query"]
    if len(found) != 1:
        raise RuntimeError(f"api.fastpath: {endpoint} declares no single query schema")
    return found[0]


#: The store filters each part list's parameters make (the resources' own functions).
_PART_FILTERS = {
    "sections": lambda args: {},
    "bullets": lambda args: {},
    "quotes": quote_filters,
    "entities": entity_filters,
}


@functools.lru_cache(maxsize=1024)  # a pure function of the query string (callers only read)
def _params(query: str) -> tuple[tuple[str, str], ...]:
    """The query's items, when they are plainly ``name=value`` pairs (a :class:`Fallback`
    is raised afresh each time: lru_cache keeps no exceptions)."""
    if not query:
        return ()
    if any("=" not in piece for piece in query.split("&")):
        raise Fallback
    try:
        return tuple(parse_qsl(query, keep_blank_values=True, strict_parsing=True, errors="strict"))
    except (ValueError, UnicodeDecodeError):
        raise Fallback from None


def _include(params) -> list[str]:
    """``include``'s parts, when each is a known part named once; anything else: the app's."""
    parts: list[str] = []
    for name, value in params:
        if name == "fields":
            continue  # checked by _selection
        if name != "include":
            raise Fallback
        parts += value.split(",")
    if len(set(parts)) != len(parts) or not all(part in INCLUDE_CHOICES for part in parts):
        raise Fallback
    return parts


#: The item schema of each route answered here, for ``fields``.
_ITEMS = {ARTICLE: ArticleSchema, VERSION: ArticleSchema, ARTICLES: ArticleSummarySchema}
_ITEMS[ENTITIES] = CorpusEntitySchema
_PART_ITEMS = {
    "sections": SectionSchema,
    "bullets": BulletSchema,
    "quotes": QuoteSchema,
    "entities": EntitySchema,
}
_ITEMS |= {rule: _PART_ITEMS[kind] for rule, kind in PARTS.items()}
_FIELD_NAME = re.compile(fields.FIELD_PATTERN)


@functools.lru_cache(maxsize=1024)
def _selection(rule: str, values: tuple[str, ...]) -> fields.Tree:
    """The ``fields`` selection of a request, when every name is well formed and known (the
    app's schema rules: no empty name, at most :data:`~api.fields.MAX_FIELDS`); anything else:
    the app's 400."""
    names = [name.strip() for value in values for name in value.split(",")]
    if (
        not names
        or len(names) > fields.MAX_FIELDS
        or not all(0 < len(name) <= 100 and _FIELD_NAME.match(name) for name in names)
    ):
        raise Fallback
    try:
        return fields.selection(names, _ITEMS[rule])
    except fields.UnknownField:
        raise Fallback from None


def _cut(build, tree: fields.Tree) -> bytes:
    return fields.project_envelope(build(), tree)


def init_app(app: Flask) -> None:
    """Put the fast path under the app's WSGI callable (beneath ``ProxyFix`` when proxies are
    trusted, so both paths see the same client address)."""
    outer = app.wsgi_app
    if hasattr(outer, "x_for"):  # werkzeug's ProxyFix, from api.hardening
        outer.app = FastPath(app, outer.app)
        app.extensions["article_fastpath"] = outer.app
    else:
        app.wsgi_app = FastPath(app, outer)
        app.extensions["article_fastpath"] = app.wsgi_app
