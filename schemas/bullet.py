"""Bullet point: one list item, with its optional ``Label: text`` lead split off."""

from marshmallow import Schema, fields

from .common import ListMetaSchema, PageLinksSchema, envelope


class BulletSchema(Schema):
    id = fields.String(required=True, metadata={"example": "b1"})
    section_id = fields.String(required=True)
    position = fields.Integer(required=True, metadata={"description": "0-based, in the article."})
    label = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "The short lead before ': ', else null.",
            "example": "Trade Truce",
        },
    )
    text = fields.String(required=True, metadata={"description": "The item text after any label."})
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)


BulletListResponseSchema = envelope(
    "BulletList",
    fields.List(fields.Nested(BulletSchema), required=True),
    PageLinksSchema,
    ListMetaSchema,
)
