"""Webhooks: ``/v1/webhooks`` (admin keys), their signing secrets and their deliveries."""

from __future__ import annotations

import secrets

import orjson
from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import abort

from schemas.change import change_document
from schemas.common import FieldsQuerySchema, NoQuerySchema, PageQuerySchema
from schemas.webhook import (
    DeliveryListResponseSchema,
    WebhookCreateSchema,
    WebhookListResponseSchema,
    WebhookResponseSchema,
)

from .. import auth
from ..contract import JSON, NO_STORE
from ..http import envelope, json_array, json_response, store
from ..pagination import paginate
from ..spec import Blueprint, read_operation, write_operation
from ..store import Slice, Window
from ..webhooks import TargetRefused, check_target, new_secret

blp = Blueprint(
    "webhooks",
    __name__,
    url_prefix="/v1/webhooks",
    description="Be told of changes: each event of the change feed POSTed to your URL, signed "
    "per Standard Webhooks, retried with backoff until it is answered 2xx. Admin keys only.",
)

#: Deliveries a webhook's list shows: the most recent ones.
DELIVERIES_SHOWN = 1000


def _document(hook, *, secret: bool = False) -> dict:
    base = f"/v1/webhooks/{hook.id}"
    document = {
        "id": hook.id,
        "url": hook.url,
        "events": hook.events.split(","),
        "created_at": hook.created_at,
        "links": {"self": base, "deliveries": f"{base}/deliveries"},
    }
    if secret:
        document["secret"] = hook.secret
    return document


def _webhook_or_404(webhook_id: str):
    hook = store().webhook(webhook_id) if len(webhook_id) <= 40 else None
    if hook is None:
        abort(404, message=f"No webhook with id {webhook_id!r}.")
    return hook


def _listed(items: list, window: Window, key) -> tuple[Slice, int]:
    """A window over a short list already in memory, in its order."""
    keys = [key(item) for item in items]
    start = window.offset
    if window.after is not None:
        start = next((i + 1 for i, k in enumerate(keys) if k == window.after), len(items))
    end = len(items)
    if window.before is not None:
        end = next((i for i, k in enumerate(keys) if k == window.before), 0)
        start = max(0, end - window.limit)
    rows = items[start:end][: window.limit]
    return Slice(rows, start + len(rows) < end if window.before is None else start > 0), len(items)


@blp.route("")
class Webhooks(MethodView):
    @write_operation(
        blp,
        "createWebhook",
        201,
        WebhookResponseSchema,
        scope="admin",
        description="Created: the webhook with its signing `secret`, shown this once.",
        headers={"Location": "Location"},
    )
    @blp.arguments(WebhookCreateSchema, location="json")
    def post(self, body):
        """Create a webhook

        Every later event of the listed types is POSTed to `url`, signed with the `secret` in
        this answer (Standard Webhooks: verify with any of its libraries). A URL whose host
        resolves to a private, loopback or link-local address is refused.
        """
        caller = auth.caller()  # the operation checked its scope
        try:
            check_target(body["url"], allow_private=current_app.config["WEBHOOK_ALLOW_PRIVATE"])
        except TargetRefused as refused:
            abort(422, message=f"url: {refused}", errors={"json": {"url": [str(refused)]}})
        hook = store().create_webhook(
            {
                "id": "wh_" + secrets.token_hex(6),
                "url": body["url"],
                "events": ",".join(dict.fromkeys(body["events"])),
                "secret": new_secret(),
                "owner": caller.source,
            }
        )
        document = _document(hook, secret=True)
        return Response(
            envelope(orjson.dumps(document), document["links"]),
            201,
            [
                ("Content-Type", JSON),
                ("Cache-Control", NO_STORE),
                ("Location", document["links"]["self"]),
            ],
        )

    @read_operation(
        blp,
        "listWebhooks",
        WebhookListResponseSchema,
        collection=True,
        scope="admin",
        description="OK: the webhooks, oldest first (no secrets).",
    )
    @blp.arguments(PageQuerySchema, location="query", as_kwargs=True)
    def get(self, **args):
        """List webhooks

        Every webhook, oldest first, with its URL and events; secrets are shown only once, when
        a webhook is made.
        """
        hooks = store().list_webhooks()
        page = paginate(
            args,
            lambda window: _listed(hooks, window, lambda hook: hook.id),
            scope="webhooks",
            key_of=lambda hook: hook.id,
            item=lambda hook: orjson.dumps(_document(hook)),
        )
        items = json_array(orjson.dumps(_document(hook)) for hook in page.rows)
        return json_response(
            envelope(items, page.links, page.meta), cache_control=NO_STORE, link=page.link_header
        )


@blp.route("/<webhook_id>")
class WebhookItem(MethodView):
    @read_operation(
        blp,
        "getWebhook",
        WebhookResponseSchema,
        scope="admin",
        description="OK: the webhook (without its secret).",
    )
    @blp.arguments(FieldsQuerySchema, location="query")
    def get(self, _args, webhook_id: str):
        """Get a webhook

        Its URL, its events and when it was made (not its secret).
        """
        document = _document(_webhook_or_404(webhook_id))
        return json_response(
            envelope(orjson.dumps(document), document["links"]), cache_control=NO_STORE
        )

    @write_operation(
        blp,
        "deleteWebhook",
        204,
        None,
        scope="admin",
        description="Deleted: no more deliveries (pending ones are dropped).",
    )
    @blp.arguments(NoQuerySchema, location="query")
    def delete(self, _args, webhook_id: str):
        """Delete a webhook

        No more deliveries from now on; the pending ones and the record of past ones go too.
        """
        _webhook_or_404(webhook_id)
        store().remove_webhook(webhook_id)
        return Response(status=204, headers={"Cache-Control": NO_STORE})


@blp.route("/<webhook_id>/deliveries")
class WebhookDeliveries(MethodView):
    @read_operation(
        blp,
        "listWebhookDeliveries",
        DeliveryListResponseSchema,
        collection=True,
        flat=False,
        scope="admin",
        description=f"OK: its most recent {DELIVERIES_SHOWN} deliveries, newest first, each "
        "with every attempt and the receiver's answers.",
    )
    @blp.arguments(PageQuerySchema, location="query", as_kwargs=True)
    def get(self, webhook_id: str, **args):
        """List a webhook's deliveries

        One delivery per event, newest first: its state (`pending`, `succeeded`, `failed`), the
        `webhook-id` it was sent with, when the next attempt is due, the event, and every
        attempt with the receiver's status code or the error, an excerpt of its answer and how
        long it took.
        """
        _webhook_or_404(webhook_id)
        rows = store().deliveries(webhook_id, None, DELIVERIES_SHOWN)
        page = paginate(
            args,
            lambda window: _listed(rows, window, lambda row: row[0].id),
            scope=f"deliveries:{webhook_id}",
            key_of=lambda row: row[0].id,
            key_type=int,
            item=lambda row: orjson.dumps(_delivery(*row)),
        )
        items = json_array(orjson.dumps(_delivery(*row)) for row in page.rows)
        return json_response(
            envelope(items, page.links, page.meta), cache_control=NO_STORE, link=page.link_header
        )


def _delivery(delivery, attempts, event) -> dict:
    return {
        "id": delivery.id,
        "webhook_id": delivery.webhook_id,
        "message_id": delivery.message_id,
        "state": delivery.state,
        "attempts": [
            {
                "attempt": a.attempt,
                "at": a.at,
                "status_code": a.status_code,
                "error": a.error,
                "response_excerpt": a.response_excerpt or "",
                "duration_ms": a.duration_ms,
            }
            for a in attempts
        ],
        "next_attempt_at": delivery.next_attempt_at if delivery.state == "pending" else None,
        "event": change_document(event) if event is not None else None,
    }
