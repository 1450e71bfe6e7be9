"""Versions: every stored version of an article, each at its own immutable URL."""

from __future__ import annotations

import orjson
from flask.views import MethodView

from schemas.article import ArticleQuerySchema, ArticleResponseSchema, VersionListResponseSchema
from schemas.common import NoQuerySchema, PageQuerySchema
from schemas.diff import ArticleDiffResponseSchema

from ..annotations import Memo
from ..contract import IMMUTABLE, MAX_VERSION
from ..diff import diff
from ..http import conditional, envelope, etag_of, json_array, json_response, self_url, store
from ..pagination import paginate
from ..spec import Blueprint, read_operation
from .common import (
    article_response,
    article_version_or_404,
    gone_or_404,
    latest_version_or_404,
)

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
            "diff": f"/v1/articles/{article_id}/versions/{row.version - 1}/diff/{row.version}"
            if row.version > 1
            else None,
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


#: Diff bodies recently computed, by both versions' identities (immutable, like the versions).
DIFFS = Memo(64)


@blp.route("/<article_id>/versions/<int(min=1):from_version>/diff/<int(min=1):to_version>")
class ArticleVersionDiff(MethodView):
    @blp.arguments(NoQuerySchema, location="query", as_kwargs=True)
    @read_operation(blp, "getArticleDiff", ArticleDiffResponseSchema)
    def get(self, article_id: str, from_version: int, to_version: int):
        """Diff two versions of an article

        What an editor changed from `from_version` to `to_version`: the title and summary;
        sections added, removed, renamed and edited; quotes added, removed, edited (words at
        least 60% alike) and re-attributed (another speaker); entities gained and lost. Each
        change gives the thing in both versions (`from`, `to`; null where it is not), with its
        offsets into that version's `text`. Any two versions: a later one first is the reverse
        change, and a version against itself is an empty diff (`identical: true`). Both must
        exist (a 404 names the missing ones; a retracted article is a 410). Immutable and
        cacheable forever, like version URLs.
        """
        sides = {}
        for version in (from_version, to_version):
            if 1 <= version <= MAX_VERSION:
                sides[version] = store().article_version(article_id, version)
        missing = sorted({v for v in (from_version, to_version) if sides.get(v) is None})
        if missing:
            if store().latest_article(article_id) is None:
                gone_or_404(article_id)
            named = " or ".join(str(v) for v in missing)
            gone_or_404(article_id, detail=f"Article {article_id!r} has no version {named}.")
        a, b = sides[from_version], sides[to_version]
        url = self_url()
        identity = (article_id, *a[:3], *b[:3])
        return conditional(
            etag_of("diff", *identity, url),
            lambda: envelope(
                DIFFS.get("\0".join(map(str, identity)), lambda: _diff_json(article_id, a, b)),
                _diff_links(article_id, from_version, to_version, url),
            ),
            cache_control=IMMUTABLE,
        )


def _diff_json(article_id: str, a, b) -> bytes:
    """The diff of two stored versions (``(version, ingested_at, output_hash, article_json)``)."""
    a_parts, b_parts = (_part_dicts(article_id, side[0]) for side in (a, b))
    changes = diff(orjson.loads(a[3]), a_parts, orjson.loads(b[3]), b_parts)
    return orjson.dumps(
        {"article_id": article_id, "from_version": a[0], "to_version": b[0], **changes}
    )


def _part_dicts(article_id: str, version: int) -> dict[str, list]:
    return {
        kind: orjson.loads(body) for kind, body in store().part_lists(article_id, version).items()
    }


def _diff_links(article_id: str, from_version: int, to_version: int, url: str) -> dict:
    base = f"/v1/articles/{article_id}"
    return {
        "self": url,
        "from_version": f"{base}/versions/{from_version}",
        "to_version": f"{base}/versions/{to_version}",
        "reverse": f"{base}/versions/{to_version}/diff/{from_version}",
        "article": base,
    }
