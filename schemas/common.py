"""Shapes shared by every resource: the envelope parts, pagination and the problem document."""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate, validates_schema

from api.contract import (
    CANONICAL_INTEGER,
    CURSOR_PATTERN,
    DEFAULT_PAGE_SIZE,
    MAX_AFTER_CHARS,
    MAX_CURSOR_CHARS,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    MAX_QUERY_LENGTH,
)
from api.fields import FIELD_PATTERN, MAX_FIELDS

#: ``after``: the key of an item, as the client sees it (``api/export.py``).
AFTER_DESCRIPTION = (
    "Start after this item (keyset; for resuming an export, also on pages): the sort key of "
    "the last item received — an article's `id`, an entity's `key`, an entity's article's "
    "`article_id`, a version's `version`, a webhook's `id`, a delivery's `id`, an article's "
    "part's `id`, a quote across articles' `article_id` and `id` joined by `/` "
    "(`council-budget/q3`). Cannot be combined with `cursor` or `page`."
)


class StrictSchema(Schema):
    """Request parameters: unknown keys are errors (a typo such as ``pagesize`` must not fall
    back to a default)."""

    class Meta:
        unknown = RAISE


class ResponseSchema(Schema):
    """A response object. Open: changes inside v1 are additive, so a client must take members it
    does not know yet, and the spec never closes an object (no ``additionalProperties: false``,
    which strict generated clients enforce)."""

    class Meta:
        unknown = EXCLUDE


class NamedChoices(validate.OneOf):
    """``OneOf`` whose choices are one named enum in the spec: a ``components/schemas`` entry
    (``component``) with readable member names for generated clients (``x-enum-varnames``),
    referenced wherever the concept is used, instead of an anonymous enum at each place."""

    def __init__(self, component: str, choices, member_names=None, description: str = ""):
        super().__init__(choices)
        self.component = component
        self.member_names = list(member_names or (str(c).upper() for c in choices))
        self.description = description


class CommaList(fields.List):
    """A list parameter: ``include=sections&include=bullets`` (the documented form, which
    generated clients send) or ``include=sections,bullets`` (shorter to type): both give
    ``["sections", "bullets"]``."""

    is_multiple = True

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str | bytes):
            value = [value]
        if isinstance(value, list | tuple):
            # An empty part (``include=``, ``include=sections,``) is a bad value, not "none".
            value = [
                part.strip() if isinstance(part, str) else part
                for item in value
                for part in (item.split(",") if isinstance(item, str) else [item])
            ]
        return super()._deserialize(value, attr, data, **kwargs)


def timestamp(description: str, example: str, **kwargs) -> fields.String:
    """An RFC 3339 time, stored and served as text: ``format: date-time`` in the spec."""
    return fields.String(
        metadata={"description": description, "format": "date-time", "examples": [example]},
        **kwargs,
    )


class QueryInteger(fields.Integer):
    """An integer as a query string writes it: ASCII digits, no sign, no leading zero, no ``_``.

    ``int()`` alone would take ``1_000``, `` 7``, ``+7``, ``07`` and non-ASCII digits (``٧``),
    each a second spelling of the same page."""

    _CANONICAL = re.compile(CANONICAL_INTEGER)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str) or not self._CANONICAL.fullmatch(value):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class UtcDateTime(fields.AwareDateTime):
    """An RFC 3339 time with its offset, loaded as the same moment in UTC. A time that leaves the
    calendar once shifted to UTC (``0001-01-01T00:00:00+14:00``) is a bad value, not a crash."""

    default_error_messages: ClassVar[dict] = {
        "range": "Not a time that exists in UTC (out of range)."
    }

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        try:
            return moment.astimezone(dt.UTC)
        except OverflowError:
            raise self.make_error("range") from None


class UtcBound(UtcDateTime):
    """A time bound of a filter: an RFC 3339 time, or a bare date (``2026-11-01``: midnight UTC
    of that day), loaded as UTC."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and len(value) == 10:
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                pass
            else:
                return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        return super()._deserialize(value, attr, data, **kwargs)


class Repeated(fields.List):
    """A parameter that may be given several times (``tag=a&tag=b``); commas are part of a
    value, not separators (an author or an entity name may hold one)."""

    is_multiple = True

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str | bytes):
            value = [value]
        return super()._deserialize(value, attr, data, **kwargs)


class NoQuerySchema(StrictSchema):
    """Endpoints that take no query parameters still reject unknown ones."""


class FieldsQuerySchema(StrictSchema):
    """Every read of a resource or a collection takes ``fields`` (a sparse fieldset)."""

    fields = CommaList(
        fields.String(validate=[validate.Length(min=1, max=100), validate.Regexp(FIELD_PATTERN)]),
        validate=validate.Length(min=1, max=MAX_FIELDS),
        metadata={
            "description": "Only these members of the resource (of each item, in a collection): "
            "top-level names, or dotted names inside nested objects and lists "
            "(`quotes.text,quotes.speaker`; on an article a part's name embeds that part, as "
            "`include` would). An unknown name is a 400 naming it. `links` and `meta` are "
            "always whole.",
            "examples": [["id", "title", "published_at"]],
        },
    )


class PageQuerySchema(FieldsQuerySchema):
    page_size = QueryInteger(
        load_default=DEFAULT_PAGE_SIZE,
        validate=validate.Range(min=1, max=MAX_PAGE_SIZE),
        metadata={"description": f"Items per page, 1–{MAX_PAGE_SIZE}.", "examples": [20]},
    )
    page = QueryInteger(
        validate=validate.Range(min=1, max=MAX_PAGE),
        metadata={
            "description": "1-based page number (page mode, for UI pagers). "
            "Cannot be combined with `cursor`.",
            "examples": [1],
        },
    )
    cursor = fields.String(
        validate=[validate.Length(min=1, max=MAX_CURSOR_CHARS), validate.Regexp(CURSOR_PATTERN)],
        metadata={
            "description": "Opaque keyset cursor taken from `links.next` or `links.prev` "
            "(cursor mode, for walking large collections). Cannot be combined with `page`.",
        },
    )

    after = fields.String(
        validate=validate.Length(min=1, max=MAX_AFTER_CHARS),
        metadata={"description": AFTER_DESCRIPTION},
    )

    @validates_schema
    def _one_mode(self, data, **kwargs):
        if "page" in data and "cursor" in data:
            raise ValidationError("Use either `page` or `cursor`, not both.", "cursor")
        if "after" in data and ("page" in data or "cursor" in data):
            raise ValidationError("`after` starts a walk: leave out `page` and `cursor`.", "after")


A = "/v1/articles/000-8cbe90a26df69869"


def _link(description: str, example: str) -> dict:
    return {"description": description, "examples": [example]}


class LinksSchema(ResponseSchema):
    """Links of a single resource (root-relative URLs)."""

    self = fields.String(
        required=True, metadata=_link("This response's URL.", f"{A}/sections/opening")
    )


class ArticleLinksSchema(LinksSchema):
    """An article's links: itself, its sub-collections and its latest version."""

    versions = fields.String(
        required=True, metadata=_link("Its versions, newest first.", f"{A}/versions")
    )
    sections = fields.String(required=True, metadata=_link("Its sections.", f"{A}/sections"))
    bullets = fields.String(required=True, metadata=_link("Its bullet points.", f"{A}/bullets"))
    quotes = fields.String(required=True, metadata=_link("Its quotes.", f"{A}/quotes"))
    entities = fields.String(required=True, metadata=_link("Its entities.", f"{A}/entities"))
    latest = fields.String(required=True, metadata=_link("The latest version's URL.", A))


class PageLinksSchema(LinksSchema):
    """A collection page's links; the same go out in the `Link` header."""

    first = fields.String(
        required=True, metadata=_link("The first page.", "/v1/articles?page_size=20")
    )
    next = fields.String(
        required=True,
        allow_none=True,
        metadata=_link("The next page; null on the last page.", "/v1/articles?page_size=20&page=2"),
    )
    prev = fields.String(
        required=True,
        allow_none=True,
        metadata=_link(
            "The previous page; null on the first page.", "/v1/articles?page_size=20&page=1"
        ),
    )
    last = fields.String(
        metadata=_link("The last page (page mode only).", "/v1/articles?page_size=20&page=3")
    )


class PaginationSchema(ResponseSchema):
    """Where this page is in its collection."""

    mode = fields.String(
        required=True,
        validate=NamedChoices(
            "PaginationMode",
            ["page", "cursor"],
            description="How a collection is paged: numbered pages, or a keyset cursor.",
        ),
        metadata={
            "description": "`page` when the request had `page`, else `cursor`.",
            "examples": ["cursor"],
        },
    )
    page_size = fields.Integer(
        required=True, metadata={"description": "Items per page.", "examples": [20]}
    )
    total_items = fields.Integer(
        required=True,
        metadata={"description": "Items in the whole (filtered) collection.", "examples": [42]},
    )
    page = fields.Integer(metadata={"description": "Page mode only: this page.", "examples": [1]})
    total_pages = fields.Integer(
        metadata={"description": "Page mode only: at least 1.", "examples": [3]}
    )


class ListMetaSchema(ResponseSchema):
    """A collection page's metadata."""

    pagination = fields.Nested(PaginationSchema, required=True)


class ItemMetaSchema(ResponseSchema):
    """Reserved for additive metadata; empty today."""


class ProblemErrorSchema(ResponseSchema):
    """One problem with the request's input."""

    parameter = fields.String(
        metadata={"description": "The query or path parameter at fault.", "examples": ["pagesize"]}
    )
    pointer = fields.String(
        metadata={"description": "JSON pointer into a request body.", "examples": ["/title"]}
    )
    detail = fields.String(required=True, metadata={"examples": ["Unknown field."]})


class ProblemSchema(ResponseSchema):
    """An RFC 9457 problem document; every error response has this shape."""

    type = fields.String(
        required=True,
        metadata={
            "description": "Problem type URI; `about:blank`: see `status`.",
            "examples": ["about:blank"],
        },
    )
    title = fields.String(
        required=True,
        metadata={"description": "The status's reason phrase.", "examples": ["Bad Request"]},
    )
    status = fields.Integer(
        required=True, metadata={"description": "The HTTP status code.", "examples": [400]}
    )
    detail = fields.String(
        required=True,
        metadata={
            "description": "What went wrong, for people.",
            "examples": ["pagesize: Unknown field."],
        },
    )
    instance = fields.String(
        required=True,
        metadata={"description": "The request path.", "examples": ["/v1/articles"]},
    )
    request_id = fields.String(
        required=True,
        metadata={
            "description": "The request's id, as in the `X-Request-ID` header.",
            "examples": ["4a4d43f0856642bfb6398fa768caa4c5"],
        },
    )
    errors = fields.List(
        fields.Nested(ProblemErrorSchema),
        metadata={"description": "For bad input: one entry per problem, naming the parameter."},
    )
    retracted_at = fields.String(
        metadata={
            "description": "On a 410: when the article was retracted (RFC 3339, UTC).",
            "format": "date-time",
            "examples": ["2026-12-01T10:00:00.000000Z"],
        }
    )
    reason = fields.String(
        metadata={"description": "On a 410: why it was retracted.", "examples": ["legal request"]}
    )


def envelope(name: str, data_field: fields.Field, links: type[Schema], meta: type[Schema]):
    """A response envelope schema class: ``{"data": …, "links": {…}, "meta": {…}}``."""
    return ResponseSchema.from_dict(
        {
            "data": data_field,
            "links": fields.Nested(links, required=True),
            "meta": fields.Nested(meta, required=True),
        },
        name=name,
    )


def search_query_field(what: str) -> fields.String:
    """The ``q`` parameter of a searchable collection."""
    return fields.String(
        validate=validate.Length(min=1, max=MAX_QUERY_LENGTH),
        metadata={
            "description": f"Full-text search in {what}. Web-search syntax: every word must "
            'match (stemmed: `talks` finds `talk`), `"a phrase"` matches those words in order, '
            "`OR` between two terms matches either, `-word` excludes. Results come best first "
            "(ranked), each with a `search` object (rank and highlighted snippet); `page` or "
            "the cursor in `links.next` walks them in rank order. Only the latest version of "
            "each article is searched. A `q` without a word to search for is a 400.",
            "examples": ["trade truce"],
        },
    )


class SearchHitSchema(ResponseSchema):
    """Why an item matched `q` (present only on searches)."""

    rank = fields.Float(
        required=True,
        metadata={
            "description": "Relevance; higher is better. Comparable only within one response "
            "list (its scale differs between SQLite and PostgreSQL stores).",
            "examples": [3.27],
        },
    )
    snippet = fields.String(
        required=True,
        metadata={
            "description": "A passage of the text around the best matches, HTML-escaped, with "
            "each match inside `<mark>` … `</mark>` (safe to insert as HTML).",
            "examples": ["… a significant <mark>trade</mark> <mark>truce</mark> reached …"],
        },
    )
