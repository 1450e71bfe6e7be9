"""Article: one version of one parsed seed document."""

from marshmallow import Schema, fields, validate
from webargs.fields import DelimitedList

from .bullet import BulletSchema
from .common import (
    ArticleLinksSchema,
    ItemMetaSchema,
    ListMetaSchema,
    PageLinksSchema,
    PageQuerySchema,
    StrictSchema,
    envelope,
)
from .entity import EntitySchema
from .quote import QuoteSchema
from .section import SectionSchema

INCLUDES = ("sections", "bullets", "quotes", "entities")
SORTS = ("id", "-id")


class CountsSchema(Schema):
    sections = fields.Integer(required=True)
    paragraphs = fields.Integer(required=True)
    bullets = fields.Integer(required=True)
    quotes = fields.Integer(required=True)
    entities = fields.Integer(required=True)


class SourceSchema(Schema):
    file = fields.String(required=True, metadata={"example": "000_8cbe90a26df69869.txt"})
    sha256 = fields.String(required=True, metadata={"description": "sha256 of the file's bytes."})
    url = fields.String(required=True, allow_none=True, metadata={"description": "Front matter."})


class ArticleSummarySchema(Schema):
    """The fields every listing shows; the full article adds ``text`` and provenance."""

    id = fields.String(required=True, metadata={"example": "000-8cbe90a26df69869"})
    version = fields.Integer(required=True, metadata={"example": 1})
    title = fields.String(required=True)
    title_source = fields.String(
        required=True,
        validate=validate.OneOf(["front_matter", "explicit", "derived"]),
        metadata={"description": "Where the title came from; `derived` means made from the lede."},
    )
    summary = fields.String(required=True, metadata={"description": "The lede paragraph."})
    language = fields.String(required=True, metadata={"example": "en"})
    published_at = fields.String(
        required=True, allow_none=True, metadata={"description": "RFC 3339, from front matter."}
    )
    word_count = fields.Integer(required=True)
    counts = fields.Nested(CountsSchema, required=True)
    ingested_at = fields.String(required=True, metadata={"description": "RFC 3339, UTC."})


class ArticleSchema(ArticleSummarySchema):
    content_hash = fields.String(
        required=True, metadata={"description": "sha256 of the decoded source text."}
    )
    parser_version = fields.String(required=True)
    source = fields.Nested(SourceSchema, required=True)
    text = fields.String(
        required=True,
        metadata={"description": "Normalised plain text; every start/end offset points into it."},
    )
    sections = fields.List(
        fields.Nested(SectionSchema), metadata={"description": "With `include=sections`."}
    )
    bullets = fields.List(
        fields.Nested(BulletSchema), metadata={"description": "With `include=bullets`."}
    )
    quotes = fields.List(
        fields.Nested(QuoteSchema), metadata={"description": "With `include=quotes`."}
    )
    entities = fields.List(
        fields.Nested(EntitySchema), metadata={"description": "With `include=entities`."}
    )


class VersionSummarySchema(Schema):
    version = fields.Integer(required=True)
    content_hash = fields.String(required=True)
    parser_version = fields.String(required=True)
    ingested_at = fields.String(required=True)
    url = fields.String(required=True)


class ArticleQuerySchema(StrictSchema):
    include = DelimitedList(
        fields.String(validate=validate.OneOf(INCLUDES)),
        load_default=list,
        metadata={
            "description": "Comma-separated parts to embed: " + ", ".join(INCLUDES) + ".",
            "example": "sections,bullets",
        },
    )


class ArticleListQuerySchema(PageQuerySchema):
    entity = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={
            "description": "Only articles whose latest version mentions this entity "
            "(its corpus key, as in `/v1/entities`).",
            "example": "person:donald-trump",
        },
    )
    sort = fields.String(
        load_default="id",
        validate=validate.OneOf(SORTS),
        metadata={"description": "`id` ascending or `-id` descending."},
    )
    since = fields.AwareDateTime(
        metadata={
            "description": "Only articles whose latest version was ingested at or after this "
            "RFC 3339 time (for syncing).",
            "example": "2026-01-01T00:00:00Z",
        }
    )


ArticleResponseSchema = envelope(
    "ArticleResponse",
    fields.Nested(ArticleSchema, required=True),
    ArticleLinksSchema,
    ItemMetaSchema,
)
ArticleListResponseSchema = envelope(
    "ArticleList",
    fields.List(fields.Nested(ArticleSummarySchema), required=True),
    PageLinksSchema,
    ListMetaSchema,
)
VersionListResponseSchema = envelope(
    "VersionList",
    fields.List(fields.Nested(VersionSummarySchema), required=True),
    PageLinksSchema,
    ListMetaSchema,
)
