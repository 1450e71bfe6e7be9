"""Entity: a named thing the article mentions, its surface forms merged under one name."""

from marshmallow import Schema, fields

from .common import ListMetaSchema, PageLinksSchema, envelope


class MentionSchema(Schema):
    text = fields.String(required=True)
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    section_id = fields.String(required=True)


class EntitySchema(Schema):
    id = fields.String(
        required=True,
        metadata={
            "description": "Slug of the name, unique in the article.",
            "example": "donald-trump",
        },
    )
    key = fields.String(
        required=True,
        metadata={
            "description": "Corpus-wide key (type and name slug) for `/v1/entities/{entity_key}`.",
            "example": "person:donald-trump",
        },
    )
    name = fields.String(required=True, metadata={"example": "Donald Trump"})
    type = fields.String(required=True, metadata={"example": "PERSON"})
    aliases = fields.List(fields.String(), required=True, metadata={"example": ["Trump"]})
    mention_count = fields.Integer(required=True)
    mentions = fields.List(fields.Nested(MentionSchema), required=True)
    salience = fields.Float(required=True, metadata={"description": "0–1."})


EntityListResponseSchema = envelope(
    "EntityList",
    fields.List(fields.Nested(EntitySchema), required=True),
    PageLinksSchema,
    ListMetaSchema,
)
