"""Article diff: what changed between two versions, each change with both sides' spans."""

from typing import ClassVar

from marshmallow import fields

from api.diff import QUOTE_SIMILARITY, SECTION_SIMILARITY

from .common import ItemMetaSchema, LinksSchema, ResponseSchema, envelope
from .entity import entity_type
from .quote import SpeakerSchema, quote_kind

_A = "/v1/articles/council-budget"


def _side(schema, what: str, side: str) -> fields.Nested:
    version = "first (`from_version`)" if side == "from" else "second (`to_version`)"
    return fields.Nested(
        schema,
        required=True,
        allow_none=True,
        metadata={"description": f"The {what} in the {version} version; null when not there."},
    )


def _offset(description: str, example: int, **kwargs) -> fields.Integer:
    return fields.Integer(
        required=True, metadata={"description": description, "examples": [example]}, **kwargs
    )


class TextSideSchema(ResponseSchema):
    """A title or summary in one version, and where it is in that version's `text`."""

    text = fields.String(required=True, metadata={"examples": ["Council approves budget"]})
    start = _offset(
        "Offset in that version's `text`; null when it is not there as written (a title "
        "derived from the lede and shortened).",
        0,
        allow_none=True,
    )
    end = _offset("End-exclusive offset; null with `start`.", 23, allow_none=True)


class TextChangeSchema(ResponseSchema):
    """A changed title or summary."""

    class Meta(ResponseSchema.Meta):
        # `from` is a Python keyword, so the sides are declared here by name.
        include: ClassVar[dict] = {
            "from": _side(TextSideSchema, "text", "from"),
            "to": _side(TextSideSchema, "text", "to"),
        }


class SectionSideSchema(ResponseSchema):
    """A section in one version."""

    id = fields.String(required=True, metadata={"examples": ["costs"]})
    heading = fields.String(required=True, allow_none=True, metadata={"examples": ["Costs"]})
    position = fields.Integer(required=True, metadata={"examples": [1]})
    start = _offset("Offset in that version's `text`.", 146)
    end = _offset("End-exclusive offset.", 320)


class SectionChangeSchema(ResponseSchema):
    """A section added (`from` null), removed (`to` null), renamed or edited (both)."""

    similarity = fields.Float(
        metadata={
            "description": "Edited sections: how alike their words (paragraphs and bullets) "
            "are, 0–1 (`difflib` ratio, word by word).",
            "examples": [0.93],
        }
    )

    class Meta(ResponseSchema.Meta):
        include: ClassVar[dict] = {
            "from": _side(SectionSideSchema, "section", "from"),
            "to": _side(SectionSideSchema, "section", "to"),
        }


class DiffSpeakerSchema(SpeakerSchema):
    """A quote's speaker, with the identity the diff compares."""

    key = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "The speaker's entity key (`person:ana-ruiz`), or the slug of its "
            "name when no entity matches it (`ana-ruiz`).",
            "examples": ["person:tom-becker"],
        },
    )


class QuoteSideSchema(ResponseSchema):
    """A quote in one version."""

    id = fields.String(required=True, metadata={"examples": ["q2"]})
    text = fields.String(
        required=True, metadata={"examples": ["The harbour needs this bridge now."]}
    )
    kind = fields.String(required=True, validate=quote_kind(), metadata={"examples": ["speech"]})
    section_id = fields.String(required=True, metadata={"examples": ["opposition"]})
    speaker = fields.Nested(DiffSpeakerSchema, required=True, allow_none=True)
    start = _offset("Offset of the quoted words in that version's `text`.", 367)
    end = _offset("End-exclusive offset.", 401)


class QuoteChangeSchema(ResponseSchema):
    """A quote added (`from` null), removed (`to` null), edited or re-attributed (both)."""

    similarity = fields.Float(
        metadata={
            "description": "Edited and re-attributed quotes: how alike the two texts are, 0–1 "
            "(`difflib` ratio; 1 for the same words).",
            "examples": [0.88],
        }
    )

    class Meta(ResponseSchema.Meta):
        include: ClassVar[dict] = {
            "from": _side(QuoteSideSchema, "quote", "from"),
            "to": _side(QuoteSideSchema, "quote", "to"),
        }


class DiffMentionSchema(ResponseSchema):
    """Where an entity is named in one version."""

    text = fields.String(required=True, metadata={"examples": ["Tom Becker"]})
    start = _offset("Offset in that version's `text`.", 334)
    end = _offset("End-exclusive offset.", 344)


class EntitySideSchema(ResponseSchema):
    """An entity in one version."""

    id = fields.String(required=True, metadata={"examples": ["tom-becker"]})
    key = fields.String(required=True, metadata={"examples": ["person:tom-becker"]})
    name = fields.String(required=True, metadata={"examples": ["Tom Becker"]})
    type = fields.String(required=True, validate=entity_type(), metadata={"examples": ["PERSON"]})
    mention_count = fields.Integer(required=True, metadata={"examples": [1]})
    mentions = fields.List(fields.Nested(DiffMentionSchema), required=True)


class EntityChangeSchema(ResponseSchema):
    """An entity gained (`from` null) or lost (`to` null)."""

    class Meta(ResponseSchema.Meta):
        include: ClassVar[dict] = {
            "from": _side(EntitySideSchema, "entity", "from"),
            "to": _side(EntitySideSchema, "entity", "to"),
        }


class SectionChangesSchema(ResponseSchema):
    """Sections matched by id, then by paragraphs, then by position (see `renamed`)."""

    added = fields.List(fields.Nested(SectionChangeSchema), required=True)
    removed = fields.List(fields.Nested(SectionChangeSchema), required=True)
    renamed = fields.List(
        fields.Nested(SectionChangeSchema),
        required=True,
        metadata={
            "description": "One section under another heading: the same id with the heading "
            "written differently, the same paragraphs, or the same position with paragraphs "
            f"at least {SECTION_SIMILARITY:.0%} alike (word by word)."
        },
    )
    edited = fields.List(
        fields.Nested(SectionChangeSchema),
        required=True,
        metadata={
            "description": "Sections in both versions (renamed or not) whose words changed: "
            "their paragraphs or bullets (`similarity`; compare the two spans for the detail)."
        },
    )


class QuoteChangesSchema(ResponseSchema):
    """Quotes matched by their words: the same, then the most alike."""

    added = fields.List(fields.Nested(QuoteChangeSchema), required=True)
    removed = fields.List(fields.Nested(QuoteChangeSchema), required=True)
    edited = fields.List(
        fields.Nested(QuoteChangeSchema),
        required=True,
        metadata={
            "description": "Quotes whose words changed but are at least "
            f"{QUOTE_SIMILARITY:.0%} alike (`similarity`)."
        },
    )
    reattributed = fields.List(
        fields.Nested(QuoteChangeSchema),
        required=True,
        metadata={
            "description": "Quotes (the same or edited) whose speaker changed: another entity "
            "key, another name, or a speaker found or lost. An edited quote whose speaker "
            "changed is in both lists."
        },
    )


class EntityChangesSchema(ResponseSchema):
    """Entities matched by their corpus key (type and name)."""

    gained = fields.List(fields.Nested(EntityChangeSchema), required=True)
    lost = fields.List(fields.Nested(EntityChangeSchema), required=True)


class ArticleDiffSchema(ResponseSchema):
    """What changed from one version of an article to another. Either order: from a later
    version to an earlier one is the reverse change; a version to itself is `identical`."""

    article_id = fields.String(required=True, metadata={"examples": ["council-budget"]})
    from_version = fields.Integer(required=True, metadata={"examples": [1]})
    to_version = fields.Integer(required=True, metadata={"examples": [2]})
    identical = fields.Boolean(
        required=True,
        metadata={
            "description": "True when nothing below changed (every list empty, title and "
            "summary null).",
            "examples": [False],
        },
    )
    text_changed = fields.Boolean(
        required=True,
        metadata={
            "description": "Whether the two versions' texts differ at all (their "
            "`content_hash`): false for the same text stored again (parsed by another parser "
            "version, or with other front matter), whatever the lists say.",
            "examples": [True],
        },
    )
    title = fields.Nested(
        TextChangeSchema, required=True, allow_none=True, metadata={"description": "Null: same."}
    )
    summary = fields.Nested(
        TextChangeSchema, required=True, allow_none=True, metadata={"description": "Null: same."}
    )
    sections = fields.Nested(SectionChangesSchema, required=True)
    quotes = fields.Nested(QuoteChangesSchema, required=True)
    entities = fields.Nested(EntityChangesSchema, required=True)


class DiffLinksSchema(LinksSchema):
    """A diff's links: itself, both versions and the article."""

    from_version = fields.String(
        required=True,
        metadata={"description": "The first version.", "examples": [f"{_A}/versions/1"]},
    )
    to_version = fields.String(
        required=True,
        metadata={"description": "The second version.", "examples": [f"{_A}/versions/2"]},
    )
    reverse = fields.String(
        required=True,
        metadata={"description": "The opposite diff.", "examples": [f"{_A}/versions/2/diff/1"]},
    )
    article = fields.String(
        required=True, metadata={"description": "The latest version.", "examples": [_A]}
    )


ArticleDiffResponseSchema = envelope(
    "ArticleDiffResponse",
    fields.Nested(ArticleDiffSchema, required=True),
    DiffLinksSchema,
    ItemMetaSchema,
)
