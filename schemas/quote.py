"""Quote: words inside quotation marks, with the speaker the text attributes them to."""

from marshmallow import Schema, fields, validate

from .common import ListMetaSchema, PageLinksSchema, envelope


class SpeakerSchema(Schema):
    entity_id = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "The article entity's id, when the speaker is one."},
    )
    name = fields.String(required=True, metadata={"example": "Howard Lutnick"})


class CueSchema(Schema):
    text = fields.String(required=True, metadata={"example": "stating"})
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)


class QuoteSchema(Schema):
    id = fields.String(required=True, metadata={"example": "q1"})
    section_id = fields.String(required=True)
    text = fields.String(
        required=True, metadata={"description": "The characters inside the marks."}
    )
    kind = fields.String(
        required=True,
        validate=validate.OneOf(["speech", "term"]),
        metadata={"description": "`speech`: words someone said or wrote; `term`: a quoted term."},
    )
    speaker = fields.Nested(SpeakerSchema, required=True, allow_none=True)
    cue = fields.Nested(CueSchema, required=True, allow_none=True)
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)


QuoteListResponseSchema = envelope(
    "QuoteList",
    fields.List(fields.Nested(QuoteSchema), required=True),
    PageLinksSchema,
    ListMetaSchema,
)
