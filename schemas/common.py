"""Shapes shared by every resource: the envelope parts, pagination and the problem document."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


class StrictSchema(Schema):
    """Unknown keys are errors: a typo such as ``pagesize`` must not fall back to a default."""

    class Meta:
        unknown = RAISE


class NoQuerySchema(StrictSchema):
    """Endpoints that take no query parameters still reject unknown ones."""


class PageQuerySchema(StrictSchema):
    page_size = fields.Integer(
        load_default=DEFAULT_PAGE_SIZE,
        validate=validate.Range(min=1, max=MAX_PAGE_SIZE),
        metadata={"description": f"Items per page, 1–{MAX_PAGE_SIZE}.", "example": 20},
    )
    page = fields.Integer(
        validate=validate.Range(min=1),
        metadata={
            "description": "1-based page number (page mode, for UI pagers). "
            "Cannot be combined with `cursor`.",
            "example": 1,
        },
    )
    cursor = fields.String(
        validate=validate.Length(min=1, max=512),
        metadata={
            "description": "Opaque keyset cursor taken from `links.next` or `links.prev` "
            "(cursor mode, for walking large collections). Cannot be combined with `page`.",
        },
    )

    @validates_schema
    def _one_mode(self, data, **kwargs):
        if "page" in data and "cursor" in data:
            raise ValidationError("Use either `page` or `cursor`, not both.", "cursor")


class LinksSchema(Schema):
    self = fields.String(required=True, metadata={"description": "This response's URL."})


class ArticleLinksSchema(LinksSchema):
    versions = fields.String(required=True)
    sections = fields.String(required=True)
    bullets = fields.String(required=True)
    quotes = fields.String(required=True)
    entities = fields.String(required=True)
    latest = fields.String(required=True, metadata={"description": "The latest version's URL."})


class PageLinksSchema(LinksSchema):
    first = fields.String(required=True)
    next = fields.String(
        required=True, allow_none=True, metadata={"description": "null on the last page."}
    )
    prev = fields.String(
        required=True, allow_none=True, metadata={"description": "null on the first page."}
    )
    last = fields.String(metadata={"description": "Page mode only."})


class PaginationSchema(Schema):
    mode = fields.String(required=True, validate=validate.OneOf(["page", "cursor"]))
    page_size = fields.Integer(required=True)
    total_items = fields.Integer(required=True)
    page = fields.Integer(metadata={"description": "Page mode only."})
    total_pages = fields.Integer(metadata={"description": "Page mode only."})


class ListMetaSchema(Schema):
    pagination = fields.Nested(PaginationSchema, required=True)


class ItemMetaSchema(Schema):
    """Reserved for additive metadata; empty today."""


class ProblemErrorSchema(Schema):
    parameter = fields.String(metadata={"description": "The query or path parameter at fault."})
    pointer = fields.String(metadata={"description": "JSON pointer into a request body."})
    detail = fields.String(required=True)


class ProblemSchema(Schema):
    """An RFC 9457 problem document; every error response has this shape."""

    type = fields.String(required=True, metadata={"example": "about:blank"})
    title = fields.String(required=True, metadata={"example": "Bad Request"})
    status = fields.Integer(required=True, metadata={"example": 400})
    detail = fields.String(required=True)
    instance = fields.String(required=True, metadata={"description": "The request path."})
    request_id = fields.String(required=True)
    errors = fields.List(fields.Nested(ProblemErrorSchema))


def envelope(name: str, data_field: fields.Field, links: type[Schema], meta: type[Schema]):
    """A response envelope schema class: ``{"data": …, "links": {…}, "meta": {…}}``."""
    return Schema.from_dict(
        {
            "data": data_field,
            "links": fields.Nested(links, required=True),
            "meta": fields.Nested(meta, required=True),
        },
        name=name,
    )
