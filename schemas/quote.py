"""Quote: words inside quotation marks, with the speaker the text attributes them to."""

from marshmallow import Schema, fields, validate

from .common import ListMetaSchema, PageLinksSchema, PageQuerySchema, envelope

QUOTE_KINDS = ("speech", "term")


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
        validate=validate.OneOf(QUOTE_KINDS),
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


class CorpusQuoteSchema(QuoteSchema):
    """A quote listed across articles: the quote plus the article it is from."""

    article_id = fields.String(required=True, metadata={"example": "000-8cbe90a26df69869"})


CorpusQuoteListResponseSchema = envelope(
    "CorpusQuoteList",
    fields.List(fields.Nested(CorpusQuoteSchema), required=True),
    PageLinksSchema,
    ListMetaSchema,
)


class QuoteQuerySchema(PageQuerySchema):
    speaker = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={
            "description": "Only quotes by this speaker: an entity id (`donald-trump`) or a "
            "name (`Donald Trump`), matched by its slug.",
            "example": "donald-trump",
        },
    )
    kind = fields.String(
        validate=validate.OneOf(QUOTE_KINDS),
        metadata={"description": "Only `speech` or only `term` quotes."},
    )
