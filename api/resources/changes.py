"""The change feed: ``/v1/changes``, every article event in commit order, with long-polling."""

from __future__ import annotations

import time

import orjson
from flask import current_app, request
from flask.views import MethodView

from schemas.change import ChangesQuerySchema, ChangesResponseSchema, change_document

from .. import export
from ..contract import NO_STORE
from ..http import envelope, json_array, json_response, link_to, self_url, store
from ..pagination import bad_parameter, decode_cursor, encode_cursor
from ..spec import Blueprint, read_operation
from ..store import Slice, Window, utc_text

blp = Blueprint(
    "changes",
    __name__,
    url_prefix="/v1/changes",
    description="What changed, in commit order: store `meta.cursor`, call again with it.",
)

#: How often a long-poll looks for new events.
POLL_SECONDS = 0.2
_SCOPE = "changes"


def export_changes(args: dict, after: int, since: str | None) -> None:
    """Every event after ``after`` up to the newest, streamed (:mod:`api.export`)."""
    if "wait" in request.args:
        bad_parameter("wait", "An export ends at the newest event; it does not wait.")

    def fetch(window: Window):
        with store().reading() as conn:
            rows = store().changes(
                conn,
                after=window.after or 0,
                since=since,
                types=args.get("type"),
                article_id=args.get("article_id"),
                limit=window.limit + 1,
            )
        return Slice(rows[: window.limit], len(rows) > window.limit), None

    export.stream(
        fetch,
        start=after,
        key_of=lambda row: row.seq,
        items=lambda rows: [orjson.dumps(change_document(row)) for row in rows],
    )


@blp.route("")
class Changes(MethodView):
    @blp.arguments(ChangesQuerySchema, location="query", as_kwargs=True)
    @read_operation(blp, "listChanges", ChangesResponseSchema, collection=True)
    def get(self, **args):
        """List changes

        Events in commit order: `article.created`, `article.updated` (with its version) and
        `article.retracted` (with its reason). Resume from a stored cursor (`meta.cursor`, or
        `links.next`): no event is skipped or repeated, whatever writes run at the same time.
        With `wait=N` an empty answer is held up to N seconds until an event arrives.
        """
        after = 0
        if "cursor" in args:
            after = decode_cursor(args["cursor"], _SCOPE, int)[1]
        elif "after" in args:
            after = args["after"]
        since = utc_text(args["since"]) if "since" in args else None
        if export.requested():
            export_changes(args, after, since)
        deadline = time.monotonic() + min(args["wait"], current_app.config["FEED_MAX_WAIT"])
        while True:
            with store().reading() as conn:
                rows = store().changes(
                    conn,
                    after=after,
                    since=since,
                    types=args.get("type"),
                    article_id=args.get("article_id"),
                    limit=args["page_size"],
                )
                last = store().last_change(conn)
            if rows or time.monotonic() >= deadline:
                break
            time.sleep(POLL_SECONDS)
        position = rows[-1].seq if rows else after
        filtered = since is not None or "type" in args or "article_id" in args
        if filtered and len(rows) < args["page_size"]:
            # Nothing more matched up to the newest event (read in the same snapshot, and
            # events commit in seq order), so the walk resumes from there.
            position = max(position, last)
        cursor = encode_cursor(_SCOPE, "next", position)
        # The next call resumes from the cursor: `since` is behind it, `wait` is the caller's.
        dropped = ("cursor", "after", "wait", "since")
        kept = [(k, v) for k, v in sorted(args.items()) if k not in dropped]
        params = [(k, ",".join(v) if isinstance(v, list) else str(v)) for k, v in kept]
        next_url = link_to("/v1/changes", [*params, ("cursor", cursor)])
        links = {"self": self_url(), "next": next_url}
        body = envelope(
            json_array(orjson.dumps(change_document(row)) for row in rows),
            links,
            {"cursor": cursor, "last_seq": last},
        )
        return json_response(body, cache_control=NO_STORE, link=f'<{next_url}>; rel="next"')
