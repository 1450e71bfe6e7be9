"""Articles: the list, and one article at its latest version."""

from __future__ import annotations

import hashlib

import orjson
from flask import request
from flask.views import MethodView
from flask_smorest import abort

from schemas.article import (
    INCLUDES,
    ArticleListQuerySchema,
    ArticleListResponseSchema,
    ArticleQuerySchema,
    ArticleResponseSchema,
)

from ..http import (
    IMMUTABLE,
    REVALIDATE,
    conditional,
    envelope,
    etag_of,
    json_array,
    json_response,
    self_url,
    splice,
    store,
)
from ..pagination import bad_parameter, paginate
from ..spec import Blueprint, read_operation
from ..store import SearchQueryError, utc_text
from ._lookup import MAX_VERSION

blp = Blueprint(
    "articles",
    __name__,
    url_prefix="/v1/articles",
    description="Parsed articles. Each is versioned: the latest is served here, every version "
    "stays readable under `/versions`.",
)


def article_links(article_id: str, self_url: str) -> dict:
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


def article_response(article_id: str, found, include: list[str], *, immutable: bool = False):
    """One article version: its stored bytes with the requested parts spliced in (in a fixed
    order) and the envelope, or a 304 decided from the version's identity before any of that.

    ``found`` is the store's ``(version, ingested_at, output_hash, article_json)``: a version's
    rows never change, so those and the URL determine the body, and so the ETag.
    """
    version, ingested_at, output_hash, article = found
    url = self_url()

    def build() -> bytes:
        data = article
        wanted = [kind for kind in INCLUDES if kind in include]
        if wanted:
            stored = store().fast().part_lists(article_id, version)
            data = splice(article, [(kind, stored.get(kind, b"[]")) for kind in wanted])
        return envelope(data, article_links(article_id, url))

    etag = etag_of(article_id, version, ingested_at, output_hash, url)
    return conditional(etag, build, cache_control=IMMUTABLE if immutable else REVALIDATE)


def article_version_or_404(article_id: str, version: int):
    found = None
    if 1 <= version <= MAX_VERSION:
        found = store().fast().article_version(article_id, version)
    if found is None:
        abort(404, message=f"Article {article_id!r} has no version {version}.")
    return found


@blp.route("")
class Articles(MethodView):
    @blp.arguments(ArticleListQuerySchema, location="query", as_kwargs=True)
    @read_operation(blp, "listArticles", ArticleListResponseSchema, collection=True)
    def get(self, **args):
        """List articles

        Latest version of every article, ordered by id. Without `page` the response is the
        first page of a cursor walk: follow `links.next` (or the `Link` header) to the end.
        With `page` you get numbered pages and `links.last`. `since` keeps only articles
        ingested at or after a time, for syncing;
        `entity` keeps those mentioning an entity (its corpus `key`).
        `q` searches titles and texts: results come best first, each with a highlighted
        snippet in `search`.
        """
        since = utc_text(args["since"]) if "since" in args else None
        entity = args.get("entity")
        if "q" in args:
            return search_page(
                args,
                lambda conn, window: store().search_articles(
                    conn, args["q"], window, since=since, entity_key=entity
                ),
                "articles",
            )
        scope = f"articles:{args['sort']}"
        descending = args["sort"] == "-id"
        if since is None and entity is None:
            # The whole list: keyset on the primary key, total from the stored counter.
            page = paginate(
                args,
                store().fast().article_summaries,
                scope=scope,
                key_of=lambda row: row[0],
                descending=descending,
            )
        else:
            with store().reading() as conn:
                page = paginate(
                    args,
                    lambda window: store().article_summaries(
                        conn, window, since=since, entity_key=entity
                    ),
                    scope=scope,
                    key_of=lambda row: row[0],
                    descending=descending,
                )
        body = envelope(json_array(row[1] for row in page.rows), page.links, page.meta)
        return json_response(body, link=page.link_header)


@blp.route("/<article_id>")
class ArticleItem(MethodView):
    @blp.arguments(ArticleQuerySchema, location="query", as_kwargs=True)
    @read_operation(blp, "getArticle", ArticleResponseSchema)
    def get(self, article_id: str, include: list[str]):
        """Get an article

        The latest version. `include` embeds parts in the same response:
        `?include=sections,bullets,quotes,entities`. Revalidate with `If-None-Match`.
        """
        found = store().fast().latest_article(article_id)
        if found is None:
            abort(404, message=f"No article with id {article_id!r}.")
        return article_response(article_id, found, include)


def search_page(args: dict, fetch, scope: str, item=lambda row: row[1]):
    """One page of ranked search results: each item's stored bytes plus its ``search`` hit.

    Pages in rank order; a cursor holds the rank position of the item it continues from and
    the query's fingerprint (so it only continues the same search).
    """
    if "sort" in request.args:
        bad_parameter("sort", "Search results are ranked; `sort` cannot be combined with `q`.")
    digest = hashlib.blake2b(args["q"].encode(), digest_size=6).hexdigest()
    try:
        with store().reading() as conn:
            page = paginate(
                args,
                lambda window: fetch(conn, window),
                scope=f"{scope}:q:{digest}",
                key_of=lambda hit: hit.ordinal,
                key_type=int,
            )
    except SearchQueryError as error:
        bad_parameter("q", f"Nothing to search for: {error}")
    items = (
        splice(
            item(hit.row),
            [("search", orjson.dumps({"rank": hit.rank, "snippet": hit.snippet}))],
        )
        for hit in page.rows
    )
    body = envelope(json_array(items), page.links, page.meta)
    return json_response(body, link=page.link_header)
