"""Articles: the list, and one article at its latest version."""

from __future__ import annotations

from flask.views import MethodView

from schemas.article import (
    INCLUDES,
    ArticleListQuerySchema,
    ArticleListResponseSchema,
    ArticleQuerySchema,
    ArticleResponseSchema,
)

from ..http import envelope, json_array, json_response, self_url, splice, store
from ..pagination import paginate
from ..spec import Blueprint, read_operation
from ..store import utc_text
from ._lookup import article_json_or_404, latest_version_or_404

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


def article_body(conn, article_id: str, version: int, include: list[str]) -> bytes:
    """The stored article bytes with the requested parts spliced in, in a fixed order."""
    article = article_json_or_404(conn, article_id, version)
    wanted = [kind for kind in INCLUDES if kind in include]
    parts = [(kind, store().part_list(conn, article_id, version, kind)) for kind in wanted]
    return splice(article, parts)


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
        """
        since = utc_text(args["since"]) if "since" in args else None
        descending = args["sort"] == "-id"
        with store().reading() as conn:
            page = paginate(
                args,
                lambda window: store().article_summaries(
                    conn, window, since=since, entity_key=args.get("entity")
                ),
                scope=f"articles:{args['sort']}",
                key_of=lambda row: row.id,
                descending=descending,
            )
        body = envelope(json_array(row.summary_json for row in page.rows), page.links, page.meta)
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
        with store().reading() as conn:
            version = latest_version_or_404(conn, article_id)
            data = article_body(conn, article_id, version, include)
        links = article_links(article_id, self_url())
        return json_response(envelope(data, links))
