"""Section: a heading (null for the opening section) and its paragraphs and bullet ids."""

from marshmallow import fields

from .common import (
    ItemMetaSchema,
    LinksSchema,
    ListMetaSchema,
    PageLinksSchema,
    ResponseSchema,
    envelope,
)


class ParagraphSchema(ResponseSchema):
    """One paragraph of a section."""

    position = fields.Integer(
        required=True, metadata={"description": "0-based, in the section.", "examples": [0]}
    )
    text = fields.String(
        required=True,
        metadata={
            "description": "The paragraph's text (hard-wrapped lines joined).",
            "examples": [
                "The discussion comes at a complex time for the world's two largest economies:"
            ],
        },
    )
    start = fields.Integer(
        required=True, metadata={"description": "Offset into article text.", "examples": [587]}
    )
    end = fields.Integer(
        required=True, metadata={"description": "End-exclusive offset.", "examples": [664]}
    )


class SectionSchema(ResponseSchema):
    """A section: the untitled opening, or a heading and what follows it up to the next one."""

    id = fields.String(
        required=True,
        metadata={
            "description": "Slug of the heading; `opening` for the untitled opening.",
            "examples": ["call-comes-amid-complex-us-china-relations"],
        },
    )
    position = fields.Integer(
        required=True, metadata={"description": "0-based, in the article.", "examples": [1]}
    )
    heading = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "The heading's text; null for the opening section.",
            "examples": ["Call Comes Amid Complex US-China Relations"],
        },
    )
    start = fields.Integer(
        required=True,
        metadata={
            "description": "Offset of the section in the article's `text`.",
            "examples": [543],
        },
    )
    end = fields.Integer(
        required=True, metadata={"description": "End-exclusive offset.", "examples": [1340]}
    )
    paragraphs = fields.List(
        fields.Nested(ParagraphSchema),
        required=True,
        metadata={"description": "In document order."},
    )
    bullet_ids = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "Ids of the section's bullet points (see `/bullets`).",
            "examples": [["b1", "b2", "b3"]],
        },
    )


SectionResponseSchema = envelope(
    "SectionResponse", fields.Nested(SectionSchema, required=True), LinksSchema, ItemMetaSchema
)
SectionListResponseSchema = envelope(
    "SectionList",
    fields.List(fields.Nested(SectionSchema), required=True),
    PageLinksSchema,
    ListMetaSchema,
)
