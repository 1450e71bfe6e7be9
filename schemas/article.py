"""Article: one version of one parsed seed document."""

from marshmallow import fields, validate

from api.ids import ARTICLE_ID_PATTERN

from .annotation import AnnotationSchema
from .bullet import BulletSchema
from .common import (
    ArticleLinksSchema,
    CommaList,
    ItemMetaSchema,
    ListMetaSchema,
    NamedChoices,
    PageLinksSchema,
    PageQuerySchema,
    ResponseSchema,
    SearchHitSchema,
    StrictSchema,
    UtcDateTime,
    envelope,
    search_query_field,
    timestamp,
)
from .entity import EntitySchema
from .quote import QuoteSchema
from .section import SectionSchema

INCLUDES = ("sections", "bullets", "quotes", "entities")
#: What ``include`` takes: the parts, and ``annotations`` (every part's spans over ``text``,
#: in one sorted list), in the order a body embeds them.
INCLUDE_CHOICES = (*INCLUDES, "annotations")
SORTS = ("id", "-id")
#: The sort an article list has when the request names none.
DEFAULT_SORT = "id"


class CountsSchema(ResponseSchema):
    """How many of each part the article has (all of them, not one page)."""

    sections = fields.Integer(required=True, metadata={"examples": [3]})
    paragraphs = fields.Integer(required=True, metadata={"examples": [5]})
    bullets = fields.Integer(required=True, metadata={"examples": [5]})
    quotes = fields.Integer(required=True, metadata={"examples": [4]})
    entities = fields.Integer(required=True, metadata={"examples": [15]})


class SourceSchema(ResponseSchema):
    """Where the version was parsed from."""

    file = fields.String(
        required=True,
        metadata={"description": "The seed file's name.", "examples": ["000_8cbe90a26df69869.txt"]},
    )
    sha256 = fields.String(
        required=True,
        metadata={
            "description": "sha256 of the file's bytes, in hex.",
            "examples": ["a34e0ebb5e3cd3fbc1b9f7ba0b0ffd1f3e4d8b4ef0c36d2fd3c1e5a8d1a2b3c4"],
        },
    )
    url = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "The original's URL, from front matter `source_url`; else null.",
            "examples": ["https://example.org/news/library"],
        },
    )


class ArticleFieldsSchema(ResponseSchema):
    """The fields every listing shows; the full article adds ``text`` and provenance."""

    id = fields.String(required=True, metadata={"examples": ["000-8cbe90a26df69869"]})
    version = fields.Integer(required=True, metadata={"examples": [1]})
    title = fields.String(
        required=True,
        metadata={
            "description": "The explicit title, or one derived from the lede (see `title_source`).",
            "examples": ["City library reopens"],
        },
    )
    title_source = fields.String(
        required=True,
        validate=NamedChoices(
            "TitleSource",
            ["front_matter", "explicit", "derived"],
            description="Where an article's title came from.",
        ),
        metadata={
            "description": "Where the title came from: front matter, an explicit title line "
            "(`# Title` or a headline first line), or `derived` from the lede.",
            "examples": ["derived"],
        },
    )
    summary = fields.String(
        required=True,
        metadata={
            "description": "The lede paragraph.",
            "examples": ["The city library reopened on Saturday after two years of works."],
        },
    )
    language = fields.String(
        required=True,
        metadata={
            "description": "BCP 47 language tag (front matter, else `en`).",
            "examples": ["en"],
        },
    )
    published_at = timestamp(
        "RFC 3339 publication time from front matter (in UTC); else null.",
        "2026-03-14T08:30:00Z",
        required=True,
        allow_none=True,
    )
    word_count = fields.Integer(
        required=True, metadata={"description": "Words in `text`.", "examples": [397]}
    )
    counts = fields.Nested(CountsSchema, required=True)
    ingested_at = timestamp(
        "When this version was stored: RFC 3339, UTC.",
        "2026-11-27T09:27:15.969356Z",
        required=True,
    )


class ArticleSummarySchema(ArticleFieldsSchema):
    """An article in a listing: the fields every listing shows; with `q`, why it matched."""

    search = fields.Nested(
        SearchHitSchema, metadata={"description": "Only when the request has `q`."}
    )


class ArticleSchema(ArticleFieldsSchema):
    """One version of an article: the summary fields, provenance, the text and, on request
    (`include`), its parts."""

    content_hash = fields.String(
        required=True,
        metadata={
            "description": "sha256 of the decoded source text, in hex.",
            "examples": ["055a2539e8a0d1c6c0b1b3f5c1d9e2a7f4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4"],
        },
    )
    parser_version = fields.String(
        required=True,
        metadata={"description": "Version of the parser that made it.", "examples": ["1.0.0"]},
    )
    source = fields.Nested(SourceSchema, required=True)
    text = fields.String(
        required=True,
        metadata={
            "description": "Normalised plain text; every `start`/`end` offset (Unicode code "
            "points, end-exclusive) points into it.",
            "examples": ["Chinese President Xi Jinping spoke by phone with US President …"],
        },
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
    annotations = fields.List(
        fields.Nested(AnnotationSchema),
        metadata={
            "description": "With `include=annotations`: every typed span over `text` (title, "
            "headings, paragraphs, bullets and their labels, quotes, cues, speaker and entity "
            "mentions), sorted by `start` then longest first, each with its resource's `id`."
        },
    )


class VersionSummarySchema(ResponseSchema):
    """One stored version of an article, with its immutable URL."""

    version = fields.Integer(
        required=True, metadata={"description": "1, 2, 3 … per article.", "examples": [1]}
    )
    content_hash = fields.String(
        required=True,
        metadata={
            "description": "sha256 of the decoded source text, in hex.",
            "examples": ["055a2539e8a0d1c6c0b1b3f5c1d9e2a7f4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4"],
        },
    )
    parser_version = fields.String(required=True, metadata={"examples": ["1.0.0"]})
    ingested_at = timestamp("RFC 3339, UTC.", "2026-11-27T09:27:15.969356Z", required=True)
    url = fields.String(
        required=True,
        metadata={
            "description": "The version's immutable URL.",
            "examples": ["/v1/articles/000-8cbe90a26df69869/versions/1"],
        },
    )
    diff = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "What this version changed over the one before it (its semantic "
            "diff's URL); null for version 1.",
            "examples": ["/v1/articles/000-8cbe90a26df69869/versions/1/diff/2"],
        },
    )


class ArticleQuerySchema(StrictSchema):
    include = CommaList(
        fields.String(
            validate=NamedChoices(
                "ArticlePart",
                INCLUDE_CHOICES,
                description="A part of an article `include` can embed.",
            )
        ),
        load_default=list,
        metadata={
            "description": "Parts to embed: "
            + ", ".join(INCLUDE_CHOICES)
            + " (every part's spans over `text`, sorted, for highlighting). Repeat the "
            "parameter (`include=sections&include=bullets`) or separate them "
            "with commas (`include=sections,bullets`).",
            "examples": [["sections", "bullets"]],
        },
    )


class ArticleListQuerySchema(PageQuerySchema):
    q = search_query_field("each article's title and text")
    entity = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={
            "description": "Only articles whose latest version mentions this entity: its corpus "
            "key (as in `/v1/entities`), its id, or any name or alias an article uses for it "
            "(`Trump`), matched by its slug.",
            "examples": ["person:donald-trump"],
        },
    )
    sort = fields.String(
        validate=NamedChoices(
            "ArticleSort",
            SORTS,
            ["ID_ASCENDING", "ID_DESCENDING"],
            description="The order of an article list: by id, ascending or descending.",
        ),
        metadata={
            "description": f"`id` ascending or `-id` descending; without it, `{DEFAULT_SORT}`. "
            "Not with `q`: search results are ranked, best first.",
            "examples": ["-id"],
        },
    )
    since = UtcDateTime(
        metadata={
            "description": "Only articles whose latest version was ingested at or after this "
            "RFC 3339 time (for syncing).",
            "examples": ["2026-01-01T00:00:00Z"],
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


class ArticleWriteSchema(StrictSchema):
    """The JSON body of `POST /v1/articles` and `PUT /v1/articles/{article_id}`. The same
    document may instead be sent as the bare text (`text/plain` or `text/markdown`, front matter
    allowed)."""

    text = fields.String(
        required=True,
        validate=validate.Length(min=1),
        metadata={
            "description": "The article: plain text or Markdown, as a seed file would hold it "
            "(front matter allowed; the fields below win over it).",
            "examples": ["Council approves budget\n\nThe council voted 7-2 on Tuesday."],
        },
    )
    id = fields.String(
        validate=[validate.Length(min=1, max=128), validate.Regexp(ARTICLE_ID_PATTERN)],
        metadata={
            "description": "The article's id (`[a-z0-9-]`); without it, the title's slug. Not "
            "with PUT, whose path names the id.",
            "examples": ["council-budget"],
        },
    )
    title = fields.String(
        validate=validate.Length(min=1, max=500),
        metadata={"description": "Overrides the title found in the text."},
    )
    published_at = UtcDateTime(
        metadata={
            "description": "When it was published (RFC 3339).",
            "examples": ["2026-12-01T09:00:00Z"],
        }
    )
    source_url = fields.Url(
        validate=validate.Length(max=2048),
        metadata={
            "description": "The article's canonical URL.",
            "examples": ["https://news.example.com/council-budget"],
        },
    )


class RetractQuerySchema(StrictSchema):
    reason = fields.String(
        required=True,
        validate=validate.Length(min=1, max=500),
        metadata={
            "description": "Why it is taken down; shown in its 410 answers and the feed.",
            "examples": ["legal request"],
        },
    )
