"""What the resource modules share: finding an article's version for a request, the article
response (latest and immutable versions alike), a page of an article's parts, a page of ranked
search results. Resource modules import these from here, never from each other.
"""

from __future__ import annotations

import functools
import hashlib

import orjson
from flask import Response, g, request
from flask_smorest import abort
from sqlalchemy import Connection
from werkzeug.exceptions import HTTPException

from schemas.article import DEFAULT_FACET_SIZE, DEFAULT_SORT, INCLUDES

from .. import annotations
from ..contract import GONE, IMMUTABLE, JSON, MAX_VERSION, NO_STORE
from ..export import SEARCH_COLUMNS, requested
from ..http import (
    article_links,
    conditional,
    envelope,
    etag_of,
    json_array,
    json_response,
    self_url,
    splice,
    store,
)
from ..pagination import bad_parameter, export_or_none, paginate
from ..store import ArticleFilter, SearchQueryError, Slice, Window


def latest_version_or_404(conn: Connection, article_id: str, article_store=None) -> int:
    version = (article_store or store()).latest_version(conn, article_id)
    if version is None:
        gone_or_404(article_id, conn, article_store=article_store)
    return version


def gone_or_404(
    article_id: str,
    conn: Connection | None = None,
    detail: str | None = None,
    article_store=None,
):
    """Answer for an article that is not served: 410 (with when and why) if it was retracted,
    else 404. A 410 may be cached briefly, so a cache holding the article learns it is gone."""
    article_store = article_store or store()
    if conn is None:
        with article_store.reading() as fresh:
            retracted = article_store.retraction(fresh, article_id)
    else:
        retracted = article_store.retraction(conn, article_id)
    if retracted is not None:
        at, reason = retracted
        abort(
            410,
            message=f"Article {article_id!r} was retracted at {at}: {reason}",
            headers={"Cache-Control": GONE},
            extensions={"retracted_at": at, "reason": reason},
        )
    abort(404, message=detail or f"No article with id {article_id!r}.")


def article_response(article_id: str, found, include: list[str], *, immutable: bool = False):
    """One article version: its stored bytes with the requested parts spliced in (in a fixed
    order) and the envelope, or a 304 decided from the version's identity before any of that.

    ``found`` is the store's ``(version, ingested_at, output_hash, article_json)``: a version's
    rows never change, so those and the URL determine the body, and so the ETag.
    """
    url = self_url()
    if not include:  # the body ingest stored compressed, when it is that one (api.compression)
        g.encoded_body = functools.partial(
            store().encoded_body, article_id, found[0], "version" if immutable else "latest"
        )
    return conditional(
        article_etag(article_id, found, url),
        lambda: article_body(store(), article_id, found, include, url),
        cache_control=IMMUTABLE if immutable else None,
    )


def article_etag(article_id: str, found, url: str) -> str:
    """The ETag of one article version at ``url`` (its links and parts depend on the URL)."""
    version, ingested_at, output_hash, _ = found
    return etag_of(article_id, version, ingested_at, output_hash, url)


def article_body(article_store, article_id: str, found, include: list[str], url: str) -> bytes:
    """One article version's body: its stored bytes, the parts ``include`` names (in a fixed
    order, read through the store) and the envelope. Also :mod:`api.fastpath`'s."""
    version, article = found[0], found[3]
    data = article
    wanted = [kind for kind in INCLUDES if kind in include]
    if wanted or "annotations" in include:
        stored = article_store.part_lists(article_id, version)
        embedded = [(kind, stored.get(kind, b"[]")) for kind in wanted]
        if "annotations" in include:
            embedded.append(("annotations", annotations_json(found, stored)))
        data = splice(article, embedded)
    return envelope(data, article_links(article_id, url))


def article_list_body(
    article_store,
    args: dict,
    where: ArticleFilter,
    *,
    path: str | None = None,
    params: list[tuple[str, str]] | None = None,
) -> tuple[bytes, str]:
    """The body and ``Link`` of one page of the article list (no ``q``): the articles ``where``
    keeps in ``args``' sort, and with ``facets`` their counts (as of the newest event).
    Also :mod:`api.fastpath`'s, which passes the request's ``path`` and ``params``."""
    sort = args.get("sort", DEFAULT_SORT)
    key = sort.lstrip("-")

    def resume(after: str):
        """``after`` (the last article's id) as the key of a date-sorted walk."""
        with article_store.reading() as conn:
            published = article_store.published_at_of(conn, after)
        if published is None:
            bad_parameter("after", f"No article {after!r}: send the last item's `id`.")
        return published, after

    paged = functools.partial(
        paginate,
        args,
        scope=f"articles:{sort}",
        key_of=(lambda row: row[0]) if key == "id" else (lambda row: (row[2], row[0])),
        key_type=str if key == "id" else (str, str),
        descending=sort.startswith("-"),
        path=path,
        params=params,
        item=lambda row: row[1],
        resume=None if key == "id" else resume,
    )
    meta = {}
    page = paged(lambda window: article_store.article_summaries(window, where, sort=key))
    if "facets" in args:
        size = args.get("facet_size", DEFAULT_FACET_SIZE)
        counted = article_store.facet_counts(args["facets"], where, size)
        meta["facets"] = {
            facet: [{"value": v, "label": label, "count": n} for v, label, n in values]
            for facet, values in counted.items()
        }
    body = envelope(json_array(row[1] for row in page.rows), page.links, page.meta | meta)
    return body, page.link_header


def annotations_json(found, stored: dict[str, bytes]) -> bytes:
    """A version's annotations (:mod:`api.annotations`), serialised, from its stored article
    and part lists; remembered by its output hash (a version's rows never change)."""

    def build() -> bytes:
        parts = {kind: orjson.loads(stored.get(kind, b"[]")) for kind in INCLUDES}
        return orjson.dumps(annotations.annotations(orjson.loads(found[3]), parts))

    return annotations.MEMO.get(found[2], build)


def article_version_or_404(article_id: str, version: int):
    found = None
    if 1 <= version <= MAX_VERSION:
        found = store().article_version(article_id, version)
    if found is None:
        gone_or_404(article_id, detail=f"Article {article_id!r} has no version {version}.")
    return found


def part_page(article_id: str, kind: str, args: dict, **filters: str):
    """One page of an article's parts (latest version), with the same envelope everywhere."""
    body, link = part_page_body(store(), article_id, kind, args, **filters)
    return json_response(body, link=link)


def part_page_body(
    article_store,
    article_id: str,
    kind: str,
    args: dict,
    *,
    path: str | None = None,
    params: list[tuple[str, str]] | None = None,
    **filters: str,
) -> tuple[bytes, str]:
    """The body and ``Link`` of :func:`part_page` (a 404 when there is no such article); also
    :mod:`api.fastpath`'s, which passes the request's ``path`` and ``params``."""

    def unfiltered(window):
        found = article_store.latest_parts(article_id, kind, window)
        if found is None and window.offset:
            # A page past the end reads no row at all: the first page tells whether the
            # article is there (and how many parts it has).
            first = article_store.latest_parts(article_id, kind, Window(limit=1))
            if first is not None:
                return Slice([], False), first[1]
        if found is None:
            gone_or_404(article_id, article_store=article_store)
        return found

    def resume(part_id: str) -> int:
        """``after``: the id of the last part received."""
        with article_store.reading() as conn:
            found = article_store.part_position(conn, article_id, kind, part_id)
        if found is None:
            bad_parameter("after", f"Article {article_id!r} has no {kind} {part_id!r}.")
        return found

    page_of = functools.partial(
        paginate,
        args,
        scope=f"{kind}:{article_id}",
        key_of=lambda row: row.position,
        key_type=int,
        path=path,
        params=params,
        item=lambda row: row.body,
        resume=resume,
    )
    # An export reads many windows: all of one version (the latest when it starts).
    exporting = path is None and requested() is not None
    if not filters and not exporting:
        # One statement (a window past the end still tells a missing article).
        try:
            page = page_of(unfiltered)
        except HTTPException as error:
            # A bad cursor is found before the read: a missing article is still a 404 first.
            if error.code == 400 and article_store.latest_article(article_id) is None:
                gone_or_404(article_id, article_store=article_store)
            raise
    else:
        with article_store.reading() as conn:
            version = latest_version_or_404(conn, article_id, article_store)
            page = page_of(
                lambda window: article_store.parts(
                    conn, article_id, version, kind, window, **filters
                )
            )
    body = envelope(json_array(row.body for row in page.rows), page.links, page.meta)
    return body, page.link_header


def part_key(conn: Connection, kind: str, after: str) -> tuple[str, int]:
    """``after`` of a collection of parts across articles (``article_id/part_id``, the last
    item's two fields) as its key, ``(article_id, position)``."""
    article_id, _, part_id = after.partition("/")
    found = store().part_position(conn, article_id, kind, part_id) if part_id else None
    if found is None:
        bad_parameter("after", f"No {kind} {after!r}: send the last item's `article_id/id`.")
    return article_id, found


def search_page(args: dict, fetch, scope: str, item=lambda row: row[1], items=None):
    """One page of ranked search results (:func:`search_page_body`), or the bulk export."""
    if "sort" in request.args:
        bad_parameter("sort", "Search results are ranked; `sort` cannot be combined with `q`.")
    if "after" in args:
        bad_parameter("after", "Search results are ranked: continue with `cursor`.")
    body, link = search_page_body(store(), args, fetch, scope, item=item, items=items)
    return json_response(body, link=link)


def search_page_body(
    article_store,
    args: dict,
    fetch,
    scope: str,
    *,
    item=lambda row: row[1],
    items=None,
    path: str | None = None,
    params: list[tuple[str, str]] | None = None,
) -> tuple[bytes, str]:
    """The body and ``Link`` of one page of ranked search results: each item's stored bytes
    plus its ``search`` hit. Also :mod:`api.fastpath`'s, which passes the request's ``path``
    and ``params``.

    Pages in rank order; a cursor holds the rank position of the item it continues from and
    the query's fingerprint (so it only continues the same search). ``items`` (the page's rows
    to their bytes, in order) replaces ``item`` when the items need one more read for the page.
    An export request (the app's: no ``path``) gets every result in rank order (a ranking is
    not resumed with ``after``).
    """
    digest = hashlib.blake2b(args["q"].encode(), digest_size=6).hexdigest()

    def hit_items(hits) -> list[bytes]:
        served = items([hit.row for hit in hits]) if items else [item(hit.row) for hit in hits]
        return [
            splice(each, [("search", orjson.dumps({"rank": hit.rank, "snippet": hit.snippet}))])
            for each, hit in zip(served, hits, strict=True)
        ]

    ranked = {"scope": f"{scope}:q:{digest}", "key_of": lambda hit: hit.ordinal, "key_type": int}
    try:
        with article_store.reading() as conn:
            if path is None:
                export_or_none(
                    args,
                    lambda window: fetch(conn, window),
                    descending=False,
                    items=hit_items,
                    columns=SEARCH_COLUMNS,
                    **ranked,
                )
            page = paginate(
                args, lambda window: fetch(conn, window), path=path, params=params, **ranked
            )
    except SearchQueryError as error:
        bad_parameter("q", f"Nothing to search for: {error}")
    body = envelope(json_array(hit_items(page.rows)), page.links, page.meta)
    return body, page.link_header


# -- jobs ---------------------------------------------------------------------------------------


def job_document(job) -> dict:
    """A job row as the API shows it (``JobSchema``'s shape)."""
    result = None
    links = {"self": f"/v1/jobs/{job.id}", "article": None, "version": None}
    if job.state == "succeeded":
        result = {
            "article_id": job.result_article_id,
            "version": job.result_version,
            "created": bool(job.result_created),
        }
        links["article"] = f"/v1/articles/{job.result_article_id}"
        links["version"] = f"/v1/articles/{job.result_article_id}/versions/{job.result_version}"
    return {
        "id": job.id,
        "state": job.state,
        "method": job.method,
        "article_id": job.article_id,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "attempts": job.attempts,
        "result": result,
        "problem": orjson.loads(job.problem_json) if job.problem_json else None,
        "links": links,
    }


def job_response(job, status: int = 200, headers: dict | None = None) -> Response:
    """A job in the envelope. Never cached: its state changes until it is done."""
    document = job_document(job)
    body = envelope(orjson.dumps(document), document["links"])
    if status == 200:
        return json_response(body, cache_control=NO_STORE)
    return Response(
        body,
        status,
        [("Content-Type", JSON), ("Cache-Control", NO_STORE), *(headers or {}).items()],
    )
