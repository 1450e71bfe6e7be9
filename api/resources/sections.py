"""Sections of an article's latest version."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import abort

from schemas.common import NoQuerySchema, PageQuerySchema
from schemas.section import SectionListResponseSchema, SectionResponseSchema

from ..http import envelope, json_array, json_response, self_url, store
from ..pagination import paginate
from ..spec import Blueprint, read_operation
from ._lookup import latest_version_or_404

blp = Blueprint(
    "sections",
    __name__,
    url_prefix="/v1/articles",
    description="Sections: the untitled opening (id `opening`) and one per heading, with their "
    "paragraphs (text and offsets) and the ids of their bullet points.",
)


def part_page(article_id: str, kind: str, args: dict, **filters: str):
    """One page of an article's parts (latest version), with the same envelope everywhere."""
    with store().reading() as conn:
        version = latest_version_or_404(conn, article_id)
        page = paginate(
            args,
            lambda window: store().parts(conn, article_id, version, kind, window, **filters),
            scope=f"{kind}:{article_id}",
            key_of=lambda row: row.position,
            key_type=int,
        )
    body = envelope(json_array(row.body for row in page.rows), page.links, page.meta)
    return json_response(body, link=page.link_header)


@blp.route("/<article_id>/sections")
class Sections(MethodView):
    @blp.arguments(PageQuerySchema, location="query", as_kwargs=True)
    @read_operation(blp, "listSections", SectionListResponseSchema, collection=True)
    def get(self, article_id: str, **args):
        """List an article's sections

        In document order, from the latest version.
        """
        return part_page(article_id, "sections", args)


@blp.route("/<article_id>/sections/<section_id>")
class SectionItem(MethodView):
    @blp.arguments(NoQuerySchema, location="query", as_kwargs=True)
    @read_operation(blp, "getSection", SectionResponseSchema)
    def get(self, article_id: str, section_id: str):
        """Get one section

        By its id (the heading's slug, or `opening`), from the latest version.
        """
        with store().reading() as conn:
            version = latest_version_or_404(conn, article_id)
            body = store().part(conn, article_id, version, "sections", section_id)
        if body is None:
            abort(404, message=f"Article {article_id!r} has no section {section_id!r}.")
        return json_response(envelope(body, {"self": self_url()}))
