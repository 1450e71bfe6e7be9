"""Entity: a named thing the article mentions, its surface forms merged under one name."""

from marshmallow import Schema, fields, validate

from .common import ListMetaSchema, PageLinksSchema, PageQuerySchema, envelope

ENTITY_TYPES = (
    "PERSON",
    "ORG",
    "GPE",
    "LOC",
    "NORP",
    "FAC",
    "EVENT",
    "PRODUCT",
    "LAW",
    "WORK_OF_ART",
    "LANGUAGE",
    "DATE",
    "TIME",
    "MONEY",
    "PERCENT",
    "QUANTITY",
    "ORDINAL",
    "CARDINAL",
)


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
    type = fields.String(
        required=True, validate=validate.OneOf(ENTITY_TYPES), metadata={"example": "PERSON"}
    )
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


class EntityQuerySchema(PageQuerySchema):
    type = fields.String(
        validate=validate.OneOf(ENTITY_TYPES),
        metadata={"description": "Only entities of this type.", "example": "PERSON"},
    )


class CorpusEntityQuerySchema(EntityQuerySchema):
    q = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={
            "description": "Only entities whose name contains this text (any case).",
            "example": "trump",
        },
    )


class CorpusEntitySchema(Schema):
    """One entity across the corpus: every article's mentions grouped under one key."""

    key = fields.String(required=True, metadata={"example": "person:donald-trump"})
    name = fields.String(required=True, metadata={"example": "Donald Trump"})
    type = fields.String(required=True, metadata={"example": "PERSON"})
    article_count = fields.Integer(required=True)
    mention_count = fields.Integer(required=True)
    url = fields.String(required=True, metadata={"example": "/v1/entities/person:donald-trump"})


class EntityArticleSchema(Schema):
    article_id = fields.String(required=True)
    title = fields.String(required=True)
    entity_id = fields.String(required=True, metadata={"description": "The entity's id there."})
    name = fields.String(required=True, metadata={"description": "The name used there."})
    aliases = fields.List(fields.String(), required=True)
    mention_count = fields.Integer(required=True)
    salience = fields.Float(required=True)
    url = fields.String(required=True, metadata={"description": "The article's URL."})


class EntityDetailSchema(CorpusEntitySchema):
    articles = fields.List(
        fields.Nested(EntityArticleSchema),
        required=True,
        metadata={"description": "One page of the articles mentioning it (see `links`)."},
    )


CorpusEntityListResponseSchema = envelope(
    "CorpusEntityList",
    fields.List(fields.Nested(CorpusEntitySchema), required=True),
    PageLinksSchema,
    ListMetaSchema,
)
EntityDetailResponseSchema = envelope(
    "EntityDetailResponse",
    fields.Nested(EntityDetailSchema, required=True),
    PageLinksSchema,
    ListMetaSchema,
)
