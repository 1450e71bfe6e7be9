"""The change feed: events, the feed page, its query parameters."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from api.contract import MAX_FEED_WAIT, MAX_PAGE_SIZE, MAX_STORED_INT
from api.store import EVENT_TYPES
from api.store.changes import message_id

from .common import (
    CommaList,
    NamedChoices,
    QueryInteger,
    ResponseSchema,
    StrictSchema,
    UtcDateTime,
    envelope,
    timestamp,
)

EVENT_TYPE = NamedChoices(
    "EventType",
    EVENT_TYPES,
    ["ARTICLE_CREATED", "ARTICLE_UPDATED", "ARTICLE_RETRACTED"],
    description="What happened to an article: a new id, a new version (or a restore), a "
    "retraction.",
)


class ChangeLinksSchema(ResponseSchema):
    article = fields.String(required=True, metadata={"examples": ["/v1/articles/council-budget"]})
    version = fields.String(
        allow_none=True,
        metadata={
            "description": "The version the event made (null for a retraction).",
            "examples": ["/v1/articles/council-budget/versions/2"],
        },
    )
    diff = fields.String(
        allow_none=True,
        metadata={
            "description": "On an `article.updated` event: what the version changed over the one "
            "before it (its semantic diff); null otherwise.",
            "examples": ["/v1/articles/council-budget/versions/1/diff/2"],
        },
    )


class ChangeSchema(ResponseSchema):
    """One event of the change feed."""

    id = fields.String(
        required=True,
        metadata={
            "description": "The event's id, also the `webhook-id` of its webhook deliveries.",
            "examples": ["msg_42"],
        },
    )
    seq = fields.Integer(
        required=True,
        metadata={"description": "Its place in commit order, from 1.", "examples": [42]},
    )
    type = fields.String(required=True, validate=EVENT_TYPE)
    article_id = fields.String(required=True, metadata={"examples": ["council-budget"]})
    version = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "The article's version after the event.", "examples": [2]},
    )
    at = timestamp(
        "When it was committed (RFC 3339, UTC).", "2026-12-01T10:00:00.000000Z", required=True
    )
    reason = fields.String(
        allow_none=True, metadata={"description": "A retraction's reason.", "examples": [None]}
    )
    links = fields.Nested(ChangeLinksSchema, required=True)


class ChangesLinksSchema(ResponseSchema):
    self = fields.String(required=True)
    next = fields.String(
        required=True,
        metadata={
            "description": "Where to read on from: store it and call it later (it is never null; "
            "with `wait` the call blocks until an event arrives).",
            "examples": ["/v1/changes?cursor=eyJ..."],
        },
    )


class ChangesMetaSchema(ResponseSchema):
    cursor = fields.String(
        required=True,
        metadata={"description": "The cursor of `links.next`, on its own, to store."},
    )
    last_seq = fields.Integer(
        required=True,
        metadata={"description": "The newest event's `seq` when this page was read."},
    )


ChangesResponseSchema = envelope(
    "ChangeFeed",
    fields.List(fields.Nested(ChangeSchema), required=True),
    ChangesLinksSchema,
    ChangesMetaSchema,
)


class ChangesQuerySchema(StrictSchema):
    cursor = fields.String(
        validate=[validate.Length(min=1, max=512), validate.Regexp(r"^[A-Za-z0-9_-]+$")],
        metadata={
            "description": "Resume after the events already read: `meta.cursor` or "
            "`links.next` of the last call. Without it the feed starts at its first event."
        },
    )
    after = QueryInteger(
        validate=validate.Range(min=0, max=MAX_STORED_INT),
        metadata={
            "description": "Start after the event with this `seq` (the last one received: how "
            "a broken export resumes). Cannot be combined with `cursor`.",
            "examples": [1234],
        },
    )
    since = UtcDateTime(
        metadata={
            "description": "Only events committed at or after this RFC 3339 time.",
            "examples": ["2026-12-01T00:00:00Z"],
        }
    )
    type = CommaList(
        fields.String(validate=EVENT_TYPE),
        metadata={"description": "Only these event types (repeat, or separate with commas)."},
    )
    article_id = fields.String(
        validate=validate.Length(min=1, max=128),
        metadata={"description": "Only events of this article."},
    )
    wait = QueryInteger(
        load_default=0,
        validate=validate.Range(min=0, max=MAX_FEED_WAIT),
        metadata={
            "description": f"Long-poll: with no event after the cursor, wait up to this many "
            f"seconds (0–{MAX_FEED_WAIT}) for one before answering an empty page.",
            "examples": [25],
        },
    )

    @validates_schema
    def _one_start(self, data, **kwargs):
        if "after" in data and "cursor" in data:
            raise ValidationError("Use either `cursor` or `after`, not both.", "after")

    page_size = QueryInteger(
        load_default=MAX_PAGE_SIZE,
        validate=validate.Range(min=1, max=MAX_PAGE_SIZE),
        metadata={"description": f"Events per page, 1–{MAX_PAGE_SIZE}.", "examples": [100]},
    )


def change_document(row) -> dict:
    """An event as the feed and webhook payloads carry it (``row`` from ``changes``)."""
    base = f"/v1/articles/{row.article_id}"
    retracted = row.type == "article.retracted"
    return {
        "id": message_id(row.seq),
        "seq": row.seq,
        "type": row.type,
        "article_id": row.article_id,
        "version": row.version,
        "at": row.at,
        "reason": row.reason,
        "links": {
            "article": base,
            "version": None
            if retracted or row.version is None
            else f"{base}/versions/{row.version}",
            "diff": f"{base}/versions/{row.version - 1}/diff/{row.version}"
            if row.type == "article.updated" and row.version is not None and row.version > 1
            else None,
        },
    }
