"""Webhooks: the subscription, its creation body, its deliveries and their attempts."""

from __future__ import annotations

from marshmallow import fields, validate

from api.store import DELIVERY_STATES
from api.webhooks import MAX_URL_CHARS

from .change import EVENT_TYPE, ChangeSchema
from .common import (
    ItemMetaSchema,
    ListMetaSchema,
    NamedChoices,
    PageLinksSchema,
    PageQuerySchema,
    ResponseSchema,
    StrictSchema,
    envelope,
    timestamp,
)

W = "/v1/webhooks/wh_3b9d2f7a6c1e"


class WebhookCreateSchema(StrictSchema):
    """The body of `POST /v1/webhooks`."""

    url = fields.String(
        required=True,
        validate=validate.Length(min=1, max=MAX_URL_CHARS),
        metadata={
            "description": "Where deliveries are POSTed: an http(s) URL whose host resolves to "
            "public addresses only (private, loopback and link-local targets are refused).",
            "examples": ["https://hooks.example.com/article-api"],
        },
    )
    events = fields.List(
        fields.String(validate=EVENT_TYPE),
        required=True,
        validate=validate.Length(min=1, max=10),
        metadata={"description": "The event types to deliver.", "examples": [["article.updated"]]},
    )


class WebhookLinksSchema(ResponseSchema):
    self = fields.String(required=True, metadata={"examples": [W]})
    deliveries = fields.String(required=True, metadata={"examples": [f"{W}/deliveries"]})


class WebhookSchema(ResponseSchema):
    id = fields.String(required=True, metadata={"examples": ["wh_3b9d2f7a6c1e"]})
    url = fields.String(required=True, metadata={"examples": ["https://hooks.example.com/a"]})
    events = fields.List(fields.String(validate=EVENT_TYPE), required=True)
    created_at = timestamp("When it was made.", "2026-12-01T10:00:00.000000Z", required=True)
    secret = fields.String(
        metadata={
            "description": "The signing secret (`whsec_…`), in the answer to `POST` only: "
            "store it, it is never shown again.",
            "examples": ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
        }
    )
    links = fields.Nested(WebhookLinksSchema, required=True)


class AttemptSchema(ResponseSchema):
    attempt = fields.Integer(required=True, metadata={"examples": [1]})
    at = timestamp("When it was made.", "2026-12-01T10:00:01.000000Z", required=True)
    status_code = fields.Integer(
        allow_none=True,
        metadata={"description": "The receiver's status; null if none came.", "examples": [200]},
    )
    error = fields.String(
        allow_none=True,
        metadata={"description": "Why no answer came (timeout, refused, …).", "examples": [None]},
    )
    response_excerpt = fields.String(
        required=True, metadata={"description": "The start of the receiver's body."}
    )
    duration_ms = fields.Integer(required=True, metadata={"examples": [12]})


class DeliverySchema(ResponseSchema):
    id = fields.Integer(required=True, metadata={"examples": [7]})
    webhook_id = fields.String(required=True, metadata={"examples": ["wh_3b9d2f7a6c1e"]})
    message_id = fields.String(
        required=True,
        metadata={
            "description": "The `webhook-id` header: the same on every attempt.",
            "examples": ["msg_42"],
        },
    )
    state = fields.String(
        required=True,
        validate=NamedChoices(
            "DeliveryState",
            DELIVERY_STATES,
            description="Waiting for (another) attempt, answered 2xx, or given up on.",
        ),
    )
    attempts = fields.List(fields.Nested(AttemptSchema), required=True)
    next_attempt_at = timestamp(
        "When the next attempt is due (pending only).",
        "2026-12-01T10:00:05.000000Z",
        allow_none=True,
    )
    event = fields.Nested(ChangeSchema, allow_none=True)


WebhookResponseSchema = envelope(
    "WebhookResponse",
    fields.Nested(WebhookSchema, required=True),
    WebhookLinksSchema,
    ItemMetaSchema,
)
WebhookListResponseSchema = envelope(
    "WebhookList",
    fields.List(fields.Nested(WebhookSchema), required=True),
    PageLinksSchema,
    ListMetaSchema,
)
DeliveryListResponseSchema = envelope(
    "DeliveryList",
    fields.List(fields.Nested(DeliverySchema), required=True),
    PageLinksSchema,
    ListMetaSchema,
)


class DeliveryQuerySchema(PageQuerySchema):
    """Deliveries page by cursor, newest first."""
