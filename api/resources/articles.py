"""Articles: the list, and one article at its latest version."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import abort

from schemas.article import (
    DEFAULT_SORT,
    ArticleListQuerySchema,
    ArticleListResponseSchema,
    ArticleQuerySchema,
    ArticleResponseSchema,
)

from ..http import envelope, json_array, json_response, store
from ..ids import name_keys
from ..pagination import paginate
from ..spec import Blueprint, read_operation
from ..store import utc_text
from .common import article_response, search_page

blp = Blueprint(
    "articles",
    __name__,
    url_prefix="/v1/articles",
    description="Parsed articles. Each is versioned: the latest is served here, every version "
    "stays readable under `/versions`.",
)


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
        `entity` keeps those mentioning an entity (its corpus `key`, its id, or any name or
        alias an article uses for it).
        `q` searches titles and texts: results come best first, each with a highlighted
        snippet in `search`.
        """
        since = utc_text(args["since"]) if "since" in args else None
        entity = name_keys(args["entity"]) if "entity" in args else None
        if "q" in args:
            return search_page(
                args,
                lambda conn, window: store().search_articles(
                    conn, args["q"], window, since=since, known_as=entity
                ),
                "articles",
            )
        sort = args.get("sort", DEFAULT_SORT)
        scope = f"articles:{sort}"
        descending = sort == "-id"
        page = paginate(
            args,
            lambda window: store().article_summaries(window, since=since, known_as=entity),
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
        found = store().latest_article(article_id)
        if found is None:
            abort(404, message=f"No article with id {article_id!r}.")
        return article_response(article_id, found, include)
