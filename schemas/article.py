"""Article: one version of one parsed seed document."""

from marshmallow import ValidationError, fields, validate, validates_schema

from api.ids import ARTICLE_ID_MAX_LENGTH, ARTICLE_ID_PATTERN
from api.parser.editorial import MAX_ITEM_CHARS, MAX_LIST_ITEMS
from api.store import FACETS

from .annotation import AnnotationSchema
from .bullet import BulletSchema
from .common import (
    ArticleLinksSchema,
    CommaList,
    FieldsQuerySchema,
    ItemMetaSchema,
    ListMetaSchema,
    NamedChoices,
    PageLinksSchema,
    PageQuerySchema,
    QueryInteger,
    Repeated,
    ResponseSchema,
    SearchHitSchema,
    StrictSchema,
    UtcBound,
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
SORTS = ("id", "-id", "published_at", "-published_at")
#: How many values of each facet ``meta.facets`` lists unless ``facet_size`` says otherwise.
DEFAULT_FACET_SIZE = 10
MAX_FACET_SIZE = 100
#: At most this many values of one repeated filter (``entity``, ``tag``, ``author``).
MAX_FILTER_VALUES = 10
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
        "RFC 3339 publication time (in UTC): front matter, else an unambiguous date line at the "
        "top of the text (midnight UTC of that day); else null.",
        "2026-03-14T08:30:00Z",
        required=True,
        allow_none=True,
    )
    authors = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "Who wrote it: front matter `authors`, else the names of an "
            "unambiguous byline (`By Jane Smith and Tom Reid`); else empty.",
            "examples": [["Jane Smith", "Tom Reid"]],
        },
    )
    section = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "The publication's section (front matter `section`); else null.",
            "examples": ["Politics"],
        },
    )
    tags = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Front matter `tags`; else empty.", "examples": [["budget"]]},
    )
    image = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "The lead image's URL (front matter `image`); else null.",
            "examples": ["https://news.example.com/img/council.jpg"],
        },
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


class ArticleQuerySchema(FieldsQuerySchema):
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


def _repeated(description: str, example: str) -> Repeated:
    return Repeated(
        fields.String(validate=validate.Length(min=1, max=200)),
        validate=validate.Length(max=MAX_FILTER_VALUES),
        metadata={"description": description, "examples": [[example]]},
    )


class ArticleListQuerySchema(PageQuerySchema):
    q = search_query_field("each article's title and text")
    entity = _repeated(
        "Only articles whose latest version mentions this entity: its corpus key (as in "
        "`/v1/entities`), its id, or any name or alias an article uses for it (`Trump`), "
        "matched by its slug. Repeat it for articles mentioning all of them (AND), at most "
        f"{MAX_FILTER_VALUES}.",
        "person:donald-trump",
    )
    tag = _repeated(
        "Only articles with this tag (matched by its slug: `Local Politics` is "
        f"`local-politics`). Repeat for all of them (AND), at most {MAX_FILTER_VALUES}.",
        "budget",
    )
    author = _repeated(
        "Only articles by this author (matched by the name's slug). Repeat for articles by all "
        f"of them (AND), at most {MAX_FILTER_VALUES}.",
        "Jane Smith",
    )
    section = fields.String(
        validate=validate.Length(min=1, max=MAX_ITEM_CHARS),
        metadata={
            "description": "Only articles of this section (matched by its slug).",
            "examples": ["politics"],
        },
    )
    published_after = UtcBound(
        metadata={
            "description": "Only articles published at or after this time (RFC 3339, or a date "
            "for midnight UTC). Articles without a publication time are left out.",
            "examples": ["2026-11-01T00:00:00Z"],
        }
    )
    published_before = UtcBound(
        metadata={
            "description": "Only articles published before this time (exclusive; RFC 3339, or "
            "a date for midnight UTC). Articles without a publication time are left out.",
            "examples": ["2026-12-01T00:00:00Z"],
        }
    )
    sort = fields.String(
        validate=NamedChoices(
            "ArticleSort",
            SORTS,
            ["ID_ASCENDING", "ID_DESCENDING", "PUBLISHED_ASCENDING", "PUBLISHED_DESCENDING"],
            description="The order of an article list: by id or by publication time "
            "(ties by id), ascending or descending.",
        ),
        metadata={
            "description": f"`id`/`-id`, or `published_at`/`-published_at` (newest first; "
            f"articles without a publication time come last, after the oldest); without it, "
            f"`{DEFAULT_SORT}`. Not with `q`: search results are ranked, best first.",
            "examples": ["-published_at"],
        },
    )
    since = UtcDateTime(
        metadata={
            "description": "Only articles whose latest version was ingested at or after this "
            "RFC 3339 time (for syncing).",
            "examples": ["2026-01-01T00:00:00Z"],
        }
    )
    facets = CommaList(
        fields.String(
            validate=NamedChoices(
                "ArticleFacet", FACETS, description="What `facets` can count articles by."
            )
        ),
        metadata={
            "description": "Count the articles this request's filters keep (all pages) by "
            "these facets, in `meta.facets`: "
            + ", ".join(f"`{f}`" for f in FACETS)
            + ". The most frequent values first (`facet_size` of each). Not with `q`.",
            "examples": [["entity", "tag"]],
        },
    )
    facet_size = QueryInteger(
        validate=validate.Range(min=1, max=MAX_FACET_SIZE),
        metadata={
            "description": f"Values listed per facet, 1–{MAX_FACET_SIZE} (default "
            f"{DEFAULT_FACET_SIZE}). Without `facets` it has no effect.",
            "examples": [10],
        },
    )

    @validates_schema
    def _facets_alone(self, data, **kwargs):
        if "facets" in data and "q" in data:
            raise ValidationError("`facets` cannot be combined with `q`.", "facets")
        after, before = data.get("published_after"), data.get("published_before")
        if after is not None and before is not None and after >= before:
            raise ValidationError(
                "`published_after` must be before `published_before`.", "published_before"
            )


ArticleResponseSchema = envelope(
    "ArticleResponse",
    fields.Nested(ArticleSchema, required=True),
    ArticleLinksSchema,
    ItemMetaSchema,
)


class FacetValueSchema(ResponseSchema):
    """One value of a facet and how many of the listed articles have it."""

    value = fields.String(
        required=True,
        metadata={
            "description": "What a filter takes: an entity key, an entity type, a tag, author "
            "or section slug, or a month (`YYYY-MM`).",
            "examples": ["person:donald-trump"],
        },
    )
    label = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "The value as written (an entity's name, a tag as tagged); null "
            "when it is the value itself.",
            "examples": ["Donald Trump"],
        },
    )
    count = fields.Integer(
        required=True,
        metadata={"description": "Articles with it, of all that match.", "examples": [12]},
    )


class FacetsSchema(ResponseSchema):
    """Counts per value of each facet `facets` asked for, most frequent first."""

    entity = fields.List(fields.Nested(FacetValueSchema))
    type = fields.List(fields.Nested(FacetValueSchema))
    tag = fields.List(fields.Nested(FacetValueSchema))
    author = fields.List(fields.Nested(FacetValueSchema))
    section = fields.List(fields.Nested(FacetValueSchema))
    published_month = fields.List(fields.Nested(FacetValueSchema))


if set(FacetsSchema._declared_fields) != set(FACETS):  # one field per facet the store keeps
    raise RuntimeError("FacetsSchema must declare exactly api.store.FACETS")


class ArticleListMetaSchema(ListMetaSchema):
    """An article list page's metadata: pagination, and with `facets` the counts."""

    facets = fields.Nested(FacetsSchema, metadata={"description": "Only with `facets`."})


ArticleListResponseSchema = envelope(
    "ArticleList",
    fields.List(fields.Nested(ArticleSummarySchema), required=True),
    PageLinksSchema,
    ArticleListMetaSchema,
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
        validate=[
            validate.Length(min=1, max=ARTICLE_ID_MAX_LENGTH),
            validate.Regexp(ARTICLE_ID_PATTERN),
        ],
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
    authors = fields.List(
        fields.String(validate=validate.Length(min=1, max=MAX_ITEM_CHARS)),
        validate=validate.Length(max=MAX_LIST_ITEMS),
        metadata={"description": "Who wrote it.", "examples": [["Jane Smith"]]},
    )
    tags = fields.List(
        fields.String(validate=validate.Length(min=1, max=MAX_ITEM_CHARS)),
        validate=validate.Length(max=MAX_LIST_ITEMS),
        metadata={"description": "Subject tags.", "examples": [["budget", "council"]]},
    )
    section = fields.String(
        validate=validate.Length(min=1, max=MAX_ITEM_CHARS),
        metadata={"description": "The publication's section.", "examples": ["Politics"]},
    )
    image = fields.Url(
        validate=validate.Length(max=2048),
        metadata={
            "description": "The lead image's URL.",
            "examples": ["https://news.example.com/img/council.jpg"],
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
