"""Sections of an article's latest version."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import abort

from schemas.common import FieldsQuerySchema, PageQuerySchema
from schemas.section import SectionListResponseSchema, SectionResponseSchema

from ..http import envelope, json_response, self_url, store
from ..spec import Blueprint, read_operation
from .common import latest_version_or_404, part_page

blp = Blueprint(
    "sections",
    __name__,
    url_prefix="/v1/articles",
    description="Sections: the untitled opening (id `opening`) and one per heading, with their "
    "paragraphs (text and offsets) and the ids of their bullet points.",
)


@blp.route("/<article_id>/sections")
class Sections(MethodView):
    @blp.arguments(PageQuerySchema, location="query", as_kwargs=True)
    @read_operation(blp, "listSections", SectionListResponseSchema, collection=True, flat=False)
    def get(self, article_id: str, **args):
        """List an article's sections

        In document order, from the latest version.
        """
        return part_page(article_id, "sections", args)


@blp.route("/<article_id>/sections/<section_id>")
class SectionItem(MethodView):
    @blp.arguments(FieldsQuerySchema, location="query", as_kwargs=True)
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
