"""Annotation: one typed span over an article's ``text`` (``include=annotations``)."""

from marshmallow import fields

from api.annotations import TYPES

from .common import NamedChoices, ResponseSchema
from .entity import entity_type
from .quote import quote_kind

ANNOTATION_TYPE = NamedChoices(
    "AnnotationType",
    TYPES,
    description="What a span of the text is: the `title`; a section's `heading`; a "
    "`paragraph`; a `bullet`'s text and its `bullet_label`; a `quote` (inside the marks), its "
    "`cue` verb and the `speaker_mention` naming its speaker; an `entity_mention`.",
)


class AnnotationSchema(ResponseSchema):
    """A typed span of the article's `text` and the resource it belongs to. The list is sorted
    by `start`, then longest first (`-end`), so an enclosing span precedes what it encloses;
    spans nest (a mention inside a quote inside a paragraph) and may overlap (a speaker mention
    is also an entity mention)."""

    type = fields.String(required=True, validate=ANNOTATION_TYPE, metadata={"examples": ["quote"]})
    start = fields.Integer(
        required=True,
        metadata={"description": "Offset into the article's `text`.", "examples": [154]},
    )
    end = fields.Integer(
        required=True, metadata={"description": "End-exclusive offset.", "examples": [184]}
    )
    id = fields.String(
        required=True,
        metadata={
            "description": "The id of the resource the span belongs to: the article's for "
            "`title`, the section's for `heading` and `paragraph`, the bullet's for `bullet` "
            "and `bullet_label`, the quote's for `quote`, `cue` and `speaker_mention`, the "
            "entity's for `entity_mention`.",
            "examples": ["q1"],
        },
    )
    section_id = fields.String(
        metadata={
            "description": "The section holding it (bullets, bullet labels, quotes, entity "
            "mentions).",
            "examples": ["costs"],
        }
    )
    position = fields.Integer(
        metadata={"description": "A paragraph's position in its section.", "examples": [0]}
    )
    quote_kind = fields.String(
        validate=quote_kind(),
        metadata={"description": "A quote's `kind`.", "examples": ["speech"]},
    )
    entity_id = fields.String(
        allow_none=True,
        metadata={
            "description": "On a quote and a speaker mention: the speaker's entity id, or null "
            "when the speaker is a name no entity matches.",
            "examples": [None],
        },
    )
    entity_key = fields.String(
        metadata={
            "description": "An entity mention's corpus key (`/v1/entities/{entity_key}`).",
            "examples": ["person:tom-becker"],
        }
    )
    entity_type = fields.String(
        validate=entity_type(),
        metadata={"description": "An entity mention's type.", "examples": ["PERSON"]},
    )
