"""Versions: every stored version of an article, each at its own immutable URL."""

from __future__ import annotations

import orjson
from flask.views import MethodView

from schemas.article import ArticleQuerySchema, ArticleResponseSchema, VersionListResponseSchema
from schemas.common import PageQuerySchema

from ..http import envelope, json_array, json_response, store
from ..pagination import paginate
from ..spec import Blueprint, read_operation
from .common import article_response, article_version_or_404, latest_version_or_404

blp = Blueprint(
    "versions",
    __name__,
    url_prefix="/v1/articles",
    description="An article's versions. A new version is stored only when a re-ingest changes "
    "the output; a version's URL never changes and is cacheable forever.",
)


def version_item(article_id: str, row) -> bytes:
    return orjson.dumps(
        {
            "version": row.version,
            "content_hash": row.content_hash,
            "parser_version": row.parser_version,
            "ingested_at": row.ingested_at,
            "url": f"/v1/articles/{article_id}/versions/{row.version}",
        }
    )


@blp.route("/<article_id>/versions")
class ArticleVersions(MethodView):
    @blp.arguments(PageQuerySchema, location="query", as_kwargs=True)
    @read_operation(blp, "listArticleVersions", VersionListResponseSchema, collection=True)
    def get(self, article_id: str, **args):
        """List an article's versions

        Newest first, with each version's content hash, parser version, ingest time and URL.
        """
        with store().reading() as conn:
            latest_version_or_404(conn, article_id)
            page = paginate(
                args,
                lambda window: store().versions(conn, article_id, window),
                scope=f"versions:{article_id}",
                key_of=lambda row: row.version,
                key_type=int,
                descending=True,
                item=lambda row: version_item(article_id, row),
            )
        items = (version_item(article_id, row) for row in page.rows)
        return json_response(
            envelope(json_array(items), page.links, page.meta), link=page.link_header
        )


@blp.route("/<article_id>/versions/<int(min=1):version>")
class ArticleVersionItem(MethodView):
    @blp.arguments(ArticleQuerySchema, location="query", as_kwargs=True)
    @read_operation(blp, "getArticleVersion", ArticleResponseSchema)
    def get(self, article_id: str, version: int, include: list[str]):
        """Get one version of an article

        Immutable: the response carries `Cache-Control: public, max-age=31536000, immutable`.
        Takes the same `include` as the latest article.
        """
        found = article_version_or_404(article_id, version)
        return article_response(article_id, found, include, immutable=True)
