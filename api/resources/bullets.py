"""Bullet points of an article's latest version."""

from __future__ import annotations

from flask.views import MethodView

from schemas.bullet import BulletListResponseSchema
from schemas.common import PageQuerySchema

from ..spec import Blueprint, read_operation
from .common import part_page

blp = Blueprint(
    "bullets",
    __name__,
    url_prefix="/v1/articles",
    description="Bullet points, each with its section, its optional `Label:` lead and offsets.",
)


@blp.route("/<article_id>/bullets")
class Bullets(MethodView):
    @blp.arguments(PageQuerySchema, location="query", as_kwargs=True)
    @read_operation(blp, "listBullets", BulletListResponseSchema, collection=True)
    def get(self, article_id: str, **args):
        """List an article's bullet points

        In document order, from the latest version.
        """
        return part_page(article_id, "bullets", args)
