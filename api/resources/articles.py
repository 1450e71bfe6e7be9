"""Articles: the list, and one article at its latest version."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets

import orjson
from flask import Response, current_app, request
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import ValidationError

from schemas.article import (
    ArticleListQuerySchema,
    ArticleListResponseSchema,
    ArticleQuerySchema,
    ArticleResponseSchema,
    ArticleWriteSchema,
    RetractQuerySchema,
)
from schemas.job import JobResponseSchema

from .. import auth
from ..contract import DOCUMENT_TYPES, IDEMPOTENCY_KEY_PATTERN, MAX_JSON_OVERHEAD, NO_STORE
from ..http import job_queue, json_response, store
from ..ids import ARTICLE_ID_MAX_LENGTH, ARTICLE_ID_PATTERN, label_key, name_keys
from ..spec import Blueprint, read_operation, write_operation
from ..store import ArticleFilter, utc_text
from .common import (
    article_list_body,
    article_response,
    gone_or_404,
    job_response,
    search_page,
)

log = logging.getLogger(__name__)
_WRITE_BODY = ArticleWriteSchema()

blp = Blueprint(
    "articles",
    __name__,
    url_prefix="/v1/articles",
    description="Parsed articles. Each is versioned: the latest is served here, every version "
    "stays readable under `/versions`.",
)


class _ArticlesReads:
    @blp.arguments(ArticleListQuerySchema, location="query", as_kwargs=True)
    @read_operation(blp, "listArticles", ArticleListResponseSchema, collection=True)
    def get(self, **args):
        """List articles

        Latest version of every article, ordered by id (or `sort=-published_at`, newest
        first). Without `page` the response is the first page of a cursor walk: follow
        `links.next` (or the `Link` header) to the end. With `page` you get numbered pages
        and `links.last`. Filters combine with AND: `since` (ingested at or after, for
        syncing), `entity` (mentions an entity: its corpus `key`, its id, or any name or
        alias; repeatable), `tag`, `author` (repeatable), `section`, `published_after` and
        `published_before`. `facets=entity,tag,published_month` adds `meta.facets`: how
        many of the matching articles have each value. `q` searches titles and texts:
        results come best first, each with a highlighted snippet in `search`.
        """
        where = article_filter(args)
        if "q" in args:
            return search_page(
                args,
                lambda conn, window: store().search_articles(conn, args["q"], window, where=where),
                "articles",
            )
        body, link = article_list_body(store(), args, where)
        return json_response(body, link=link)


def article_filter(args: dict) -> ArticleFilter:
    """The store's filter from a list request's parameters (names and labels as their slugs)."""
    bounds = {
        name: utc_text(args[name])
        for name in ("since", "published_after", "published_before")
        if name in args
    }
    return ArticleFilter(
        entities=tuple(name_keys(each) for each in args.get("entity", ())),
        tags=tuple(label_key(each) for each in args.get("tag", ())),
        authors=tuple(label_key(each) for each in args.get("author", ())),
        section=label_key(args["section"]) if "section" in args else None,
        **bounds,
    )


class _ArticleReads:
    @blp.arguments(ArticleQuerySchema, location="query", as_kwargs=True)
    @read_operation(blp, "getArticle", ArticleResponseSchema)
    def get(self, article_id: str, include: list[str]):
        """Get an article

        The latest version. `include` embeds parts in the same response:
        `?include=sections,bullets,quotes,entities`. Revalidate with `If-None-Match`.
        """
        found = store().latest_article(article_id)
        if found is None:
            gone_or_404(article_id)
        return article_response(article_id, found, include)


# -- writes --------------------------------------------------------------------------------------

_DOCUMENT_BODY = {
    "required": True,
    "description": "The document: its bare text (`text/plain` or `text/markdown`, front matter "
    "allowed), or JSON with `text` and optional fields. At most `ARTICLE_API_MAX_FILE_BYTES` "
    "bytes of text.",
    # The bare text is documented as raw bytes (``format: binary``): what generated clients
    # send as a body unchanged (they have no type for a text/* body of their own).
    "content": {
        "text/plain": {"schema": {"type": "string", "format": "binary"}},
        "text/markdown": {"schema": {"type": "string", "format": "binary"}},
        "application/json": {"schema": "ArticleWrite"},
    },
}
_WRITE_HEADERS = {"Location": "Location"}
_IDEMPOTENCY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": "Your key for this write (1–255 visible ASCII characters): the same key and "
    "body answer the same job instead of making another; the same key with another body is a "
    "422. Kept for as long as the job.",
    "schema": {"type": "string", "maxLength": 255, "examples": ["import-2026-12-01-0042"]},
}


def _document_write(operation_id: str):
    """A document write's documentation and key check (POST and PUT take the same body)."""

    def decorate(view):
        view = blp.doc(parameters=[_IDEMPOTENCY])(view)
        return write_operation(
            blp,
            operation_id,
            202,
            JobResponseSchema,
            scope="write",
            description="Accepted: a worker will parse and store it; follow `Location` to the job.",
            headers=_WRITE_HEADERS,
            request_body=_DOCUMENT_BODY,
        )(view)

    return decorate


class _ArticlesWrites:
    @_document_write("createArticle")
    def post(self):
        """Send an article

        Queues the document for a worker, which parses and stores it as a new version (or
        none, if the text is unchanged). Its id is the JSON `id`, the front matter's, or the
        title's slug. Answers `202` with the job.
        """
        return accept_write("POST", None)


class _ArticleWrites:
    @_document_write("putArticle")
    def put(self, article_id: str):
        """Create or replace an article

        Stores the document under this id: a new article, or a new version of one this key's
        owner sent before (an article another source owns is a 409). A retracted article is
        restored with a new version.
        """
        return accept_write("PUT", article_id)

    @write_operation(
        blp,
        "retractArticle",
        204,
        None,
        scope="write",
        description="Retracted: from now on it answers 410 and is in no list, search or "
        "aggregate; an `article.retracted` event is on the feed.",
    )
    @blp.arguments(RetractQuerySchema, location="query", as_kwargs=True)
    def delete(self, article_id: str, reason: str):
        """Retract an article

        Takes it down at once: the article and its version URLs answer `410 Gone` with the
        reason, and it leaves every list, search, quote and entity aggregate. A key may retract
        what its owner wrote; an admin key anything. Retracting twice changes nothing.
        """
        retract(article_id, reason)
        return Response(status=204, headers={"Cache-Control": NO_STORE})


@blp.route("")
class Articles(_ArticlesReads, _ArticlesWrites, MethodView):
    """``/v1/articles``: the list (GET), a new document (POST)."""


@blp.route("/<article_id>")
class ArticleItem(_ArticleReads, _ArticleWrites, MethodView):
    """``/v1/articles/{article_id}``: the latest version (GET), a document under this id (PUT),
    a retraction (DELETE)."""


def accept_write(method: str, article_id: str | None):
    """Check a write and queue it as a job: 202 with the job, or the problem with the request."""
    caller = auth.caller()  # the operation checked its scope
    config = current_app.config
    if article_id is not None and not (
        len(article_id) <= ARTICLE_ID_MAX_LENGTH and re.fullmatch(ARTICLE_ID_PATTERN, article_id)
    ):
        rule = f"Lower-case letters, digits and single hyphens, at most {ARTICLE_ID_MAX_LENGTH}."
        abort(
            400,
            message=f"article_id: An id is {rule[0].lower()}{rule[1:]}",
            errors={"path": {"article_id": [rule]}},
        )
    idempotency_key = request.headers.get("Idempotency-Key")
    if idempotency_key is not None and not re.fullmatch(IDEMPOTENCY_KEY_PATTERN, idempotency_key):
        abort(
            400,
            message="Idempotency-Key: 1–255 visible ASCII characters.",
            errors={"header": {"Idempotency-Key": ["1–255 visible ASCII characters."]}},
        )
    media_type = request.mimetype
    if media_type not in DOCUMENT_TYPES:
        abort(
            415,
            message=f"Send {', '.join(DOCUMENT_TYPES)}; the Content-Type was "
            f"{media_type or 'missing'}.",
        )
    text_limit = config["MAX_FILE_BYTES"]
    limit = text_limit + (MAX_JSON_OVERHEAD if media_type == "application/json" else 0)
    if (request.content_length or 0) > limit:
        abort(413, message=f"The body is {request.content_length} bytes; at most {limit}.")
    raw = request.stream.read(limit + 1)
    if len(raw) > limit:
        abort(413, message=f"The body is over {limit} bytes.")
    fields: dict = {}
    if media_type == "application/json":
        try:
            loaded = orjson.loads(raw)
        except orjson.JSONDecodeError as error:
            abort(400, message=f"The body is not JSON: {error}.")
        try:
            fields = _WRITE_BODY.load(loaded if isinstance(loaded, dict) else {"": loaded})
        except ValidationError as error:
            abort(
                400, message="The body does not fit ArticleWrite.", errors={"json": error.messages}
            )
        raw = fields.pop("text").encode("utf-8")
        if len(raw) > text_limit:
            abort(413, message=f"The text is {len(raw)} bytes; at most {text_limit}.")
        if "published_at" in fields:
            fields["published_at"] = utc_text(fields["published_at"])
        if article_id is not None and fields.get("id", article_id) != article_id:
            abort(
                400,
                message="The body's id differs from the path's; leave it out of a PUT.",
                errors={"json": {"id": ["Differs from the path's article_id."]}},
            )
    if not raw.strip():
        abort(422, message="The document is empty.")
    named = article_id or fields.get("id")
    if named is not None:
        with store().reading() as conn:
            owner = store().owner(conn, named)
        if owner is not None and owner != caller.source:
            abort(
                409,
                message=f"Article {named!r} belongs to {owner}, not {caller.source}; another "
                "source cannot take it over.",
            )
    digest = hashlib.sha256()
    for part in (
        method,
        named or "",
        media_type,
        orjson.dumps(fields, option=orjson.OPT_SORT_KEYS),
    ):
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\0")
    digest.update(raw)
    job, new = store().create_job(
        {
            "id": "j_" + secrets.token_hex(8),
            "owner": caller.source,
            "idempotency_key": idempotency_key,
            "request_hash": digest.hexdigest(),
            "method": method,
            "article_id": named,
            "media_type": media_type,
            "body": raw,
            "fields_json": orjson.dumps(fields),
        }
    )
    if not new and job.request_hash != digest.hexdigest():
        abort(
            422,
            message="This Idempotency-Key was used with another body; use a new key for a new "
            "write.",
        )
    if new:
        try:
            job_queue().run_job(job.id)
        except Exception:  # the job is stored: the worker's pump hands it over later
            log.exception("could not queue job %s; the worker will pick it up", job.id)
    headers = {"Location": f"/v1/jobs/{job.id}"}
    if not new:
        headers["Idempotent-Replayed"] = "true"
    return job_response(job, 202, headers)


def retract(article_id: str, reason: str) -> None:
    caller = auth.caller()  # the operation checked its scope
    with store().reading() as conn:
        owner = store().owner(conn, article_id)
    if owner is None:
        abort(404, message=f"No article with id {article_id!r}.")
    if owner != caller.source and not caller.may("admin"):
        abort(
            403,
            message=f"Article {article_id!r} belongs to {owner}; only its owner or an "
            "admin key may retract it.",
        )
    store().retract(article_id, reason)
