"""Quote: words inside quotation marks, with the speaker the text attributes them to."""

from marshmallow import fields, validate

from api.about import PLACES
from api.contract import MAX_ABOUT_VALUES

from .common import (
    CommaList,
    ListMetaSchema,
    NamedChoices,
    PageLinksSchema,
    PageQuerySchema,
    ResponseSchema,
    SearchHitSchema,
    envelope,
    search_query_field,
)

QUOTE_KINDS = ("speech", "term")
#: How the text attributes a quote to its speaker (``speaker.via``).
SPEAKER_VIA = ("cue", "according-to", "pronoun", "description", "continuation")


def speaker_via() -> NamedChoices:
    return NamedChoices(
        "SpeakerVia",
        SPEAKER_VIA,
        member_names=["CUE", "ACCORDING_TO", "PRONOUN", "DESCRIPTION", "CONTINUATION"],
        description="How the text attributes a quote to its speaker.",
    )


def quote_kind() -> NamedChoices:
    return NamedChoices(
        "QuoteKind",
        QUOTE_KINDS,
        description="`speech`: words someone said or wrote; `term`: a quoted term or title.",
    )


class SpeakerSchema(ResponseSchema):
    """Who the text says spoke or wrote the words."""

    entity_id = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "The article entity's id, when the speaker is one; else null.",
            "examples": ["howard-lutnick"],
        },
    )
    name = fields.String(
        required=True,
        metadata={
            "description": "The speaker's fullest name: the entity's name, or the name the text "
            "gives when no entity matches it (then `entity_id` is null).",
            "examples": ["Howard Lutnick"],
        },
    )
    via = fields.String(
        required=True,
        validate=speaker_via(),
        metadata={
            "description": "How the text attributes the words: `cue` (a speech verb with the "
            "speaker named there: “…,” said Ms Lee), `according-to`, `pronoun` (“…,” she said), "
            "`description` (a role or spokesperson: “…,” the minister said) or `continuation` "
            "(no attribution of its own: the speaker of the quote or paragraph before). Filter "
            "on it with `via` to show only direct attributions.",
            "examples": ["cue"],
        },
    )


class CueSchema(ResponseSchema):
    """The verb that attributes the quote."""

    text = fields.String(required=True, metadata={"examples": ["stating"]})
    start = fields.Integer(
        required=True, metadata={"description": "Offset into article text.", "examples": [1602]}
    )
    end = fields.Integer(
        required=True, metadata={"description": "End-exclusive offset.", "examples": [1610]}
    )


class QuoteSchema(ResponseSchema):
    """Words inside quotation marks."""

    id = fields.String(
        required=True,
        metadata={"description": "`q1`, `q2` … in document order.", "examples": ["q1"]},
    )
    section_id = fields.String(
        required=True,
        metadata={
            "description": "The id of the section it is in.",
            "examples": ["negotiations-on-rare-earths"],
        },
    )
    text = fields.String(
        required=True,
        metadata={
            "description": "The characters inside the marks.",
            "examples": ["general licenses"],
        },
    )
    kind = fields.String(
        required=True,
        validate=quote_kind(),
        metadata={
            "description": "`speech`: words someone said or wrote; `term`: a quoted term.",
            "examples": ["speech"],
        },
    )
    speaker = fields.Nested(
        SpeakerSchema,
        required=True,
        allow_none=True,
        metadata={"description": "null for a `term`, or when the text names no speaker."},
    )
    cue = fields.Nested(
        CueSchema,
        required=True,
        allow_none=True,
        metadata={"description": "The attributing verb (`said`, `told`); null when none."},
    )
    start = fields.Integer(
        required=True,
        metadata={
            "description": "Offset of the quoted text (inside the marks) in the article's `text`.",
            "examples": [1400],
        },
    )
    end = fields.Integer(
        required=True, metadata={"description": "End-exclusive offset.", "examples": [1416]}
    )


QuoteListResponseSchema = envelope(
    "QuoteList",
    fields.List(fields.Nested(QuoteSchema), required=True),
    PageLinksSchema,
    ListMetaSchema,
)


def about_place() -> NamedChoices:
    return NamedChoices(
        "AboutPlace",
        PLACES,
        description="Where the entity is mentioned: `quote` (inside the quotation marks) or "
        "`sentence` (in the quote's sentence, outside the marks).",
    )


class QuoteAboutSchema(ResponseSchema):
    """An entity the quote is about: mentioned inside it, or in its sentence (never the quote's
    own speaker). Decided at ingest, per version."""

    key = fields.String(
        required=True,
        metadata={
            "description": "The entity's corpus key (`/v1/entities/{entity_key}`).",
            "examples": ["org:bank-of-england"],
        },
    )
    entity_id = fields.String(
        required=True,
        metadata={
            "description": "The entity's id in the article.",
            "examples": ["bank-of-england"],
        },
    )
    where = fields.String(
        required=True,
        validate=about_place(),
        metadata={
            "description": "`quote`: named inside the marks; `sentence`: elsewhere in the "
            "quote's sentence.",
            "examples": ["quote"],
        },
    )


class CorpusQuoteSchema(QuoteSchema):
    """A quote listed across articles: the quote plus the article and the fixed version its
    offsets are in, and the entities it is about."""

    article_id = fields.String(
        required=True,
        metadata={"description": "The article it is from.", "examples": ["000-8cbe90a26df69869"]},
    )
    version = fields.Integer(
        required=True,
        metadata={
            "description": "The article's version the quote is from (its latest): `start` and "
            "`end` are offsets into that version's `text`, which never changes.",
            "examples": [1],
        },
    )
    version_url = fields.String(
        required=True,
        metadata={
            "description": "That immutable version's URL.",
            "examples": ["/v1/articles/000-8cbe90a26df69869/versions/1"],
        },
    )
    about = fields.List(
        fields.Nested(QuoteAboutSchema),
        required=True,
        metadata={
            "description": "The entities the quote is about (filter with `about`), inside the "
            "quote first."
        },
    )
    search = fields.Nested(
        SearchHitSchema, metadata={"description": "Only when the request has `q`."}
    )


CorpusQuoteListResponseSchema = envelope(
    "CorpusQuoteList",
    fields.List(fields.Nested(CorpusQuoteSchema), required=True),
    PageLinksSchema,
    ListMetaSchema,
)


def kind_filter() -> fields.String:
    return fields.String(
        validate=quote_kind(),
        metadata={"description": "Only `speech` or only `term` quotes.", "examples": ["speech"]},
    )


def via_filter() -> CommaList:
    return CommaList(
        fields.String(validate=speaker_via()),
        metadata={
            "description": "Only quotes whose speaker was found these ways (see `speaker.via`): "
            "`via=cue,according-to` keeps the direct attributions. Repeat the parameter or "
            "separate the values with commas.",
            "examples": [["cue", "according-to"]],
        },
    )


class QuoteQuerySchema(PageQuerySchema):
    speaker = fields.String(
        validate=validate.Length(min=1, max=200),
        metadata={
            "description": "Only quotes by this speaker: the entity's corpus key "
            "(`person:donald-trump`, as `/v1/entities` lists it), its id in the article "
            "(`donald-trump`), or any name or alias the article uses for it (`Donald Trump`, "
            "`Trump`), matched by its slug.",
            "examples": ["person:donald-trump"],
        },
    )
    kind = kind_filter()
    via = via_filter()


class CorpusQuoteQuerySchema(QuoteQuerySchema):
    q = search_query_field("each quote's text and its speaker's name")
    about = CommaList(
        fields.String(validate=validate.Length(min=1, max=200)),
        validate=validate.Length(max=MAX_ABOUT_VALUES),
        metadata={
            "description": "Only quotes about this entity: mentioned inside the quote or in its "
            "sentence (see `about`), the speaker never counting. Like `speaker`, the entity's "
            "key, its id in the article, or any name or alias the article uses for it. Several "
            f"values (at most {MAX_ABOUT_VALUES}; repeat the parameter or separate them with "
            "commas) must all hold: quotes about each of them.",
            "examples": [["org:bank-of-england"]],
        },
    )


class EntityQuoteQuerySchema(PageQuerySchema):
    kind = kind_filter()
    via = via_filter()
