"""Section: a heading (null for the opening section) and its paragraphs and bullet ids."""

from marshmallow import Schema, fields

from .common import ItemMetaSchema, LinksSchema, ListMetaSchema, PageLinksSchema, envelope


class ParagraphSchema(Schema):
    position = fields.Integer(required=True, metadata={"description": "0-based, in the section."})
    text = fields.String(required=True)
    start = fields.Integer(required=True, metadata={"description": "Offset into article text."})
    end = fields.Integer(required=True, metadata={"description": "End-exclusive offset."})


class SectionSchema(Schema):
    id = fields.String(
        required=True,
        metadata={"description": "Slug of the heading; `opening` for the untitled opening."},
    )
    position = fields.Integer(required=True, metadata={"description": "0-based."})
    heading = fields.String(
        required=True, allow_none=True, metadata={"example": "Negotiations on Rare Earths"}
    )
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    paragraphs = fields.List(fields.Nested(ParagraphSchema), required=True)
    bullet_ids = fields.List(fields.String(), required=True)


SectionResponseSchema = envelope(
    "SectionResponse", fields.Nested(SectionSchema, required=True), LinksSchema, ItemMetaSchema
)
SectionListResponseSchema = envelope(
    "SectionList",
    fields.List(fields.Nested(SectionSchema), required=True),
    PageLinksSchema,
    ListMetaSchema,
)
