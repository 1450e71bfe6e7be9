"""Bullet point: one list item, with its optional ``Label: text`` lead split off."""

from marshmallow import fields

from .common import ListMetaSchema, PageLinksSchema, ResponseSchema, envelope


class BulletSchema(ResponseSchema):
    """One bullet point (list item) of an article."""

    id = fields.String(
        required=True,
        metadata={"description": "`b1`, `b2` … in document order.", "examples": ["b1"]},
    )
    section_id = fields.String(
        required=True,
        metadata={
            "description": "The id of the section it is in.",
            "examples": ["call-comes-amid-complex-us-china-relations"],
        },
    )
    position = fields.Integer(
        required=True, metadata={"description": "0-based, in the article.", "examples": [0]}
    )
    label = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "The short lead before ': ', else null.",
            "examples": ["Trade Truce"],
        },
    )
    text = fields.String(
        required=True,
        metadata={
            "description": "The item text after any label.",
            "examples": ["The call follows a significant trade truce reached last month."],
        },
    )
    start = fields.Integer(
        required=True,
        metadata={"description": "Offset of the item in the article's `text`.", "examples": [681]},
    )
    end = fields.Integer(
        required=True, metadata={"description": "End-exclusive offset.", "examples": [885]}
    )


BulletListResponseSchema = envelope(
    "BulletList",
    fields.List(fields.Nested(BulletSchema), required=True),
    PageLinksSchema,
    ListMetaSchema,
)
