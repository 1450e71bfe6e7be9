"""Entity: a named thing the article mentions, its surface forms merged under one name."""

from marshmallow import fields, validate

from .common import (
    ListMetaSchema,
    NamedChoices,
    PageLinksSchema,
    PageQuerySchema,
    ResponseSchema,
    envelope,
)

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


def entity_type() -> NamedChoices:
    return NamedChoices(
        "EntityType", ENTITY_TYPES, description="spaCy's label for a named entity's type."
    )


class MentionSchema(ResponseSchema):
    """One place the article names the entity."""

    text = fields.String(
        required=True, metadata={"description": "The surface form.", "examples": ["Trump"]}
    )
    start = fields.Integer(
        required=True, metadata={"description": "Offset into article text.", "examples": [92]}
    )
    end = fields.Integer(
        required=True, metadata={"description": "End-exclusive offset.", "examples": [97]}
    )
    section_id = fields.String(
        required=True, metadata={"description": "The section it is in.", "examples": ["opening"]}
    )


class EntitySchema(ResponseSchema):
    """A named entity of one article, its surface forms merged under its fullest name."""

    id = fields.String(
        required=True,
        metadata={
            "description": "Slug of the name, unique in the article.",
            "examples": ["donald-trump"],
        },
    )
    key = fields.String(
        required=True,
        metadata={
            "description": "Corpus-wide key (type and name slug) for `/v1/entities/{entity_key}`.",
            "examples": ["person:donald-trump"],
        },
    )
    name = fields.String(
        required=True,
        metadata={"description": "The fullest form of the name.", "examples": ["Donald Trump"]},
    )
    type = fields.String(
        required=True,
        validate=entity_type(),
        metadata={"description": "spaCy's entity label.", "examples": ["PERSON"]},
    )
    aliases = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "The other surface forms used for it.",
            "examples": [["Trump", "President Donald Trump"]],
        },
    )
    mention_count = fields.Integer(
        required=True, metadata={"description": "How often it is named.", "examples": [4]}
    )
    mentions = fields.List(
        fields.Nested(MentionSchema),
        required=True,
        metadata={"description": "Every mention, in document order."},
    )
    salience = fields.Float(
        required=True,
        metadata={
            "description": "0–1: how central the entity is to the article.",
            "examples": [0.82],
        },
    )


EntityListResponseSchema = envelope(
    "EntityList",
    fields.List(fields.Nested(EntitySchema), required=True),
    PageLinksSchema,
    ListMetaSchema,
)


class EntityQuerySchema(PageQuerySchema):
    type = fields.String(
        validate=entity_type(),
        metadata={"description": "Only entities of this type.", "examples": ["PERSON"]},
    )


class CorpusEntityQuerySchema(EntityQuerySchema):
    q = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={
            "description": "Only entities whose name contains this text (any case).",
            "examples": ["trump"],
        },
    )


class CorpusEntitySchema(ResponseSchema):
    """One entity across the corpus: every article's mentions grouped under one key."""

    key = fields.String(
        required=True,
        metadata={
            "description": "Type and name slug, the entity's corpus-wide id.",
            "examples": ["person:donald-trump"],
        },
    )
    name = fields.String(
        required=True, metadata={"description": "Its name.", "examples": ["Donald Trump"]}
    )
    type = fields.String(
        required=True,
        validate=entity_type(),
        metadata={"description": "spaCy's entity label.", "examples": ["PERSON"]},
    )
    article_count = fields.Integer(
        required=True,
        metadata={"description": "How many articles mention it.", "examples": [2]},
    )
    mention_count = fields.Integer(
        required=True,
        metadata={"description": "Mentions across those articles.", "examples": [7]},
    )
    url = fields.String(
        required=True,
        metadata={
            "description": "The entity's URL.",
            "examples": ["/v1/entities/person:donald-trump"],
        },
    )


class EntityArticleSchema(ResponseSchema):
    """How one article mentions the entity."""

    article_id = fields.String(
        required=True,
        metadata={"description": "The article's id.", "examples": ["000-8cbe90a26df69869"]},
    )
    title = fields.String(
        required=True,
        metadata={"description": "The article's title.", "examples": ["City library reopens"]},
    )
    entity_id = fields.String(
        required=True,
        metadata={"description": "The entity's id there.", "examples": ["donald-trump"]},
    )
    name = fields.String(
        required=True,
        metadata={"description": "The name used there.", "examples": ["Donald Trump"]},
    )
    aliases = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Other forms used there.", "examples": [["Trump"]]},
    )
    mention_count = fields.Integer(
        required=True, metadata={"description": "Mentions there.", "examples": [4]}
    )
    salience = fields.Float(
        required=True, metadata={"description": "0–1, there.", "examples": [0.82]}
    )
    url = fields.String(
        required=True,
        metadata={
            "description": "The article's URL.",
            "examples": ["/v1/articles/000-8cbe90a26df69869"],
        },
    )


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
