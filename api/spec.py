"""flask-smorest set up for this API: strict query parsing, problem+json, documented headers.

* :class:`Blueprint` parses query strings strictly: an unknown parameter or a bad value is a 400
  naming the parameter (webargs' default would be a 422, or silently ignoring unknown keys).
* :class:`ArticleApi` answers every error through :mod:`api.errors` and documents error responses
  as ``application/problem+json`` with the ``Problem`` schema.
* :func:`read_operation` documents a GET's 200 and 304 with their headers, and
  :class:`ContractPlugin` every error it can answer (400, 404, 405, 406, 500), so that clients
  generated from the spec know every status, header and body they can get.
"""

from __future__ import annotations

import functools
from http import HTTPStatus
from pathlib import Path

import flask_swagger_ui
import yaml
from apispec import BasePlugin
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import g, request, send_from_directory
from flask_smorest import Api
from flask_smorest import Blueprint as SmorestBlueprint
from flask_smorest.utils import prepare_response
from marshmallow import fields as ma_fields

from schemas.article import INCLUDE_CHOICES, ArticleWriteSchema
from schemas.common import NamedChoices, ProblemSchema

from .contract import (
    CSV,
    ETAG_PATTERN,
    GONE,
    IMMUTABLE,
    MAX_PATH_CHARS,
    MAX_QUERY_CHARS,
    MAX_SHARED_CACHE_SECONDS,
    NDJSON,
    NO_STORE,
    PROBLEM,
    REQUEST_ID_PATTERN,
    REVALIDATE,
    SECURITY_SCHEMES,
    shared_revalidate,
)
from .errors import from_http_exception
from .export import CSV_CONTENT_TYPE, LIST_SEPARATOR, collection_form
from .ids import ARTICLE_ID_MAX_LENGTH
from .pagination import encode_cursor
from .query import QUERY_PARSER
from .settings import default

#: A latest URL's ``Cache-Control`` with the default ``ARTICLE_API_SHARED_CACHE_SECONDS``.
SHARED_EXAMPLE = shared_revalidate(int(default("ARTICLE_API_SHARED_CACHE_SECONDS")))


class Blueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = QUERY_PARSER


def schema_name(schema) -> str:
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__
    return name.removesuffix("Schema") or name


#: Every GET's error answers, as ``components/responses`` with clean names. 404 is listed only
#: where the path has parameters: a path without any exists or is not routed at all.
ERROR_RESPONSES = {
    400: (
        "BadRequest",
        "Bad Request: an unknown query parameter or a bad value; `errors` names each parameter.",
    ),
    401: (
        "Unauthorized",
        "Unauthorized: no API key, or one that is not live; `WWW-Authenticate` says which.",
    ),
    403: ("Forbidden", "Forbidden: the API key lacks the scope this needs."),
    404: ("NotFound", "Not Found: no such article, version, section or entity."),
    409: (
        "Conflict",
        "Conflict: the article id belongs to another source (a seed file or another key).",
    ),
    410: (
        "Gone",
        "Gone: the article was retracted; `retracted_at` and `reason` say when and why.",
    ),
    413: ("ContentTooLarge", "Content Too Large: the document is over the size limit."),
    415: (
        "UnsupportedMediaType",
        "Unsupported Media Type: send `text/plain`, `text/markdown` or `application/json`.",
    ),
    422: (
        "UnprocessableContent",
        "Unprocessable Content: well-formed but refused: an empty document, a webhook URL "
        "that is not public, or an `Idempotency-Key` used before with another body.",
    ),
    405: (
        "MethodNotAllowed",
        "Method Not Allowed: `Allow` lists the methods this URL takes.",
    ),
    406: (
        "NotAcceptable",
        "Not Acceptable: the `Accept` header rules out `application/json`.",
    ),
    414: (
        "UriTooLong",
        f"URI Too Long: the path may have at most {MAX_PATH_CHARS} characters and the query "
        f"string at most {MAX_QUERY_CHARS}.",
    ),
    431: (
        "RequestHeaderFieldsTooLarge",
        "Request Header Fields Too Large: too many header fields, or one over 8190 bytes.",
    ),
    429: (
        "TooManyRequests",
        "Too Many Requests: this client's rate limit is spent; retry after `Retry-After` seconds.",
    ),
    500: (
        "InternalServerError",
        "Internal Server Error: never a stack trace; quote `request_id` when reporting it.",
    ),
    503: ("ServiceUnavailable", "Service Unavailable: the store is unreachable or empty."),
}
#: flask-smorest's own reference names (``http.HTTPStatus`` names) mapped to ours.
_SMOREST_NAMES = {HTTPStatus(code).name: name for code, (name, _) in ERROR_RESPONSES.items()}


#: ``components/headers``: response headers, referenced by name.
HEADERS = {
    "ETag": {
        "description": "Strong validator of this body (opaque, quoted); send it back in "
        "`If-None-Match` to revalidate.",
        "required": True,
        "schema": {
            "type": "string",
            "pattern": ETAG_PATTERN,
            "examples": ['"b40215a0a7a2df882c89216320bc7097"'],
        },
    },
    "CacheControl": {
        "description": f"`{IMMUTABLE}` for a specific version's URL. Latest URLs (an article, "
        f"its parts, every list): `{SHARED_EXAMPLE}` — a shared cache (nginx, a CDN) may answer "
        "for `s-maxage` seconds and as long again while it revalidates (a new version shows "
        "within twice `s-maxage`), a browser revalidates with the ETag every time; the seconds "
        "are the server's `ARTICLE_API_SHARED_CACHE_SECONDS` (at most "
        f"{MAX_SHARED_CACHE_SECONDS}; 0 gives `{REVALIDATE}`). Health answers: "
        f"`{REVALIDATE}`. What changes under one URL with no version (the change feed, jobs, "
        f"webhooks): `{NO_STORE}`.",
        "required": True,
        "schema": {"type": "string", "examples": [SHARED_EXAMPLE, IMMUTABLE, REVALIDATE, NO_STORE]},
    },
    "NoStore": {
        "description": f"Never cached (errors, and the answers to writes): `{NO_STORE}`.",
        "required": True,
        "schema": {"type": "string", "const": NO_STORE, "examples": [NO_STORE]},
    },
    "GoneCacheControl": {
        "description": f"`{GONE}`: caches may keep the 410 briefly, and drop what they held.",
        "required": True,
        "schema": {"type": "string", "const": GONE, "examples": [GONE]},
    },
    "RequestId": {
        "description": "The request's `X-Request-ID` echoed when it is 1–128 of "
        "`[A-Za-z0-9._:-]`, else a new id (32 hex digits). Also in every problem's `request_id`.",
        "required": True,
        "schema": {
            "type": "string",
            "pattern": REQUEST_ID_PATTERN,
            "examples": ["4a4d43f0856642bfb6398fa768caa4c5"],
        },
    },
    "Link": {
        "description": 'RFC 8288 links to the same collection: `rel="self"`, `"first"`, '
        '`"prev"` and `"next"` when they exist, and `"last"` in page mode.',
        "required": True,
        "schema": {
            "type": "string",
            "examples": [
                '</v1/articles?page_size=2&page=1>; rel="self", '
                '</v1/articles?page_size=2&page=1>; rel="first", '
                '</v1/articles?page_size=2&page=2>; rel="next", '
                '</v1/articles?page_size=2&page=3>; rel="last"'
            ],
        },
    },
    "RetryAfter": {
        "description": "Seconds to wait before the next request (rate limiting is on unless "
        "`ARTICLE_API_RATE_LIMIT=off`).",
        "required": False,
        "schema": {"type": "string", "pattern": "^[0-9]+$", "examples": ["1"]},
    },
    "WwwAuthenticate": {
        "description": 'The challenge: `Bearer realm="article-api"`, with '
        '`error="invalid_token"` when a token was sent but is not a live key.',
        "required": True,
        "schema": {"type": "string", "examples": ['Bearer realm="article-api"']},
    },
    "Location": {
        "description": "The job's URL: follow it to see the write through.",
        "required": True,
        "schema": {"type": "string", "examples": ["/v1/jobs/j_5f2c9a1e0b7d4c3a"]},
    },
    "Allow": {
        "description": "The methods this URL answers.",
        "required": True,
        "schema": {"type": "string", "examples": ["GET, HEAD, OPTIONS"]},
    },
}

#: ``components/parameters``: request headers every GET takes.
PARAMETERS = {
    "IfNoneMatch": {
        "in": "header",
        "name": "If-None-Match",
        "required": False,
        "description": "ETags from earlier responses (or `*`): a `304` with no body while one "
        "still matches.",
        "schema": {"type": "string", "examples": ['"b40215a0a7a2df882c89216320bc7097"']},
    },
    "RequestId": {
        "in": "header",
        "name": "X-Request-ID",
        "required": False,
        "description": "Your id for this request, echoed in the `X-Request-ID` response header "
        "and in problem documents when it is 1–128 of `[A-Za-z0-9._:-]`; any other value is "
        "replaced by one the server makes (never refused).",
        "schema": {"type": "string", "examples": ["checkout-7f3a9c"]},
    },
}

#: The article the examples name: the user's seed. tests/test_spec_examples.py replays every
#: example against a store holding it.
EXAMPLE_ARTICLE = "000-8cbe90a26df69869"
#: Each collection's example ``cursor``: its ordering (the scope its view pages under) and the
#: key of the first item of the seed's first page of one, so the example is the cursor a real
#: ``?page_size=1`` response links to as ``next`` (the replay test checks it is).
CURSOR_EXAMPLES = {
    "listArticles": ("articles:id", EXAMPLE_ARTICLE),
    "listArticleVersions": (f"versions:{EXAMPLE_ARTICLE}", 1),
    "listSections": (f"sections:{EXAMPLE_ARTICLE}", 0),
    "listBullets": (f"bullets:{EXAMPLE_ARTICLE}", 0),
    "listArticleQuotes": (f"quotes:{EXAMPLE_ARTICLE}", 0),
    "listArticleEntities": (f"entities:{EXAMPLE_ARTICLE}", 0),
    "listQuotes": ("quotes", [EXAMPLE_ARTICLE, 0]),
    "listEntities": ("entities", "event:world-war-ii"),
    "getEntity": ("entity:person:donald-trump", EXAMPLE_ARTICLE),
    "listEntityQuotes": ("entity-quotes:person:donald-trump", [EXAMPLE_ARTICLE, 0]),
}

#: ``after`` of each collection, as an example that works on the seed (the key of its item).
AFTER_EXAMPLES = {
    "listArticles": EXAMPLE_ARTICLE,
    "listArticleVersions": "1",
    "listSections": "opening",
    "listBullets": "b1",
    "listArticleQuotes": "q1",
    "listArticleEntities": "donald-trump",
    "listQuotes": f"{EXAMPLE_ARTICLE}/q1",
    "listEntities": "event:world-war-ii",
    "getEntity": EXAMPLE_ARTICLE,
    "listWebhooks": "wh_3b9d2f7a6c1e",
    "listWebhookDeliveries": "1",
}


def _link(operation_id: str, description: str, **parameters: str) -> dict:
    return {"operationId": operation_id, "parameters": parameters, "description": description}


_ARTICLE_PARTS = {
    "ListArticleVersions": ("listArticleVersions", "versions"),
    "ListSections": ("listSections", "sections"),
    "ListBullets": ("listBullets", "bullet points"),
    "ListArticleQuotes": ("listArticleQuotes", "quotes"),
    "ListArticleEntities": ("listArticleEntities", "entities"),
}


def _article_links(article_id: str, whose: str, **extra: dict) -> dict:
    """Links to an article's parts, the article's id taken from the runtime expression
    ``article_id``; ``whose`` names the article in the descriptions."""
    return extra | {
        name: _link(target, f"The {parts} of {whose}.", article_id=article_id)
        for name, (target, parts) in _ARTICLE_PARTS.items()
    }


_FIRST_ENTITY = {
    "GetEntity": _link(
        "getEntity",
        "The first entity listed, across articles.",
        entity_key="$response.body#/data/0/key",
    )
}
_FIRST_QUOTE_VERSION = {
    "GetArticleVersion": _link(
        "getArticleVersion",
        "The fixed version the first quote's offsets are in.",
        article_id="$response.body#/data/0/article_id",
        version="$response.body#/data/0/version",
    )
}
#: OpenAPI links of each 200: how values of one answer make the next request (for stateful
#: clients and schemathesis' stateful phase).
LINKS = {
    "listArticles": _article_links(
        "$response.body#/data/0/id",
        "the first article listed",
        GetArticle=_link(
            "getArticle", "The first article listed.", article_id="$response.body#/data/0/id"
        ),
    ),
    "getArticle": _article_links(
        "$response.body#/data/id",
        "this article",
        GetArticleVersion=_link(
            "getArticleVersion",
            "This version at its immutable URL.",
            article_id="$response.body#/data/id",
            version="$response.body#/data/version",
        ),
    ),
    "listArticleVersions": {
        "GetArticleVersion": _link(
            "getArticleVersion",
            "The newest version listed.",
            article_id="$request.path.article_id",
            version="$response.body#/data/0/version",
        )
    },
    "listSections": {
        "GetSection": _link(
            "getSection",
            "The first section listed.",
            article_id="$request.path.article_id",
            section_id="$response.body#/data/0/id",
        )
    },
    "listArticleEntities": _FIRST_ENTITY,
    "listEntities": _FIRST_ENTITY,
    "getEntity": {
        "GetArticle": _link(
            "getArticle",
            "The first article mentioning it.",
            article_id="$response.body#/data/articles/0/article_id",
        ),
        "ListEntityQuotes": _link(
            "listEntityQuotes", "What it said.", entity_key="$response.body#/data/key"
        ),
        "ListEntityQuotedAbout": _link(
            "listEntityQuotedAbout",
            "What others said about it.",
            entity_key="$response.body#/data/key",
        ),
    },
    "listQuotes": {
        "GetArticle": _link(
            "getArticle",
            "The article of the first quote listed.",
            article_id="$response.body#/data/0/article_id",
        ),
        **_FIRST_QUOTE_VERSION,
    },
    "listEntityQuotes": _FIRST_QUOTE_VERSION,
    "listEntityQuotedAbout": _FIRST_QUOTE_VERSION,
}

#: Descriptions and examples of the path parameters, by name.
PATH_PARAMETERS = {
    "article_id": {
        "description": "The article's id: its seed file's stem (lower-cased, `[a-z0-9-]`) or "
        "the `id` from its front matter. Stable across versions.",
        "schema": {"maxLength": ARTICLE_ID_MAX_LENGTH, "examples": [EXAMPLE_ARTICLE]},
    },
    "version": {
        "description": "A version number, 1 for the first ingest.",
        "schema": {"examples": [1]},
    },
    "from_version": {
        "description": "The version the diff starts from (its `from` sides).",
        "schema": {"examples": [1]},
    },
    "to_version": {
        "description": "The version the diff goes to (its `to` sides); lower than "
        "`from_version` for the reverse change, equal for an empty diff.",
        "schema": {"examples": [1]},
    },
    "section_id": {
        "description": "The section's id: the slug of its heading, or `opening` for the "
        "untitled opening section.",
        "schema": {"maxLength": 255, "examples": ["opening"]},
    },
    "job_id": {
        "description": "A write's job id, from the `Location` of its `202`.",
        "schema": {"maxLength": 40, "examples": ["j_5f2c9a1e0b7d4c3a"]},
    },
    "webhook_id": {
        "description": "A webhook's id, from its creation.",
        "schema": {"maxLength": 40, "examples": ["wh_3b9d2f7a6c1e"]},
    },
    "entity_key": {
        "description": "The corpus-wide entity key: lower-cased type, a colon, the name's slug.",
        "schema": {"maxLength": 255, "examples": ["person:donald-trump"]},
    },
}


class ContractPlugin(BasePlugin):
    """Completes every GET's documentation the same way, whichever blueprint defines it.

    Adds the ``If-None-Match`` and ``X-Request-ID`` header parameters, documents every error
    answer (400, 404 where the path has parameters, 405, 406, 414, 429, 431, 500) by a clean
    component name, and describes the path parameters.
    """

    def path_helper(self, path=None, operations=None, parameters=None, **kwargs):
        for parameter in parameters or []:
            if isinstance(parameter, dict) and parameter.get("in") == "path":
                doc = PATH_PARAMETERS.get(parameter["name"], {})
                if "description" in doc:
                    parameter["description"] = doc["description"]
                parameter.setdefault("schema", {}).update(doc.get("schema", {}))

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            if method != "get":
                self._write_helper(path, method, operation)
                continue
            scope = operation.pop("x-scope", None)
            form = operation.pop("x-export", None)
            if form is not None:
                _document_export(operation["responses"][200], form)
            cursor = CURSOR_EXAMPLES.get(operation.get("operationId", ""))
            after = AFTER_EXAMPLES.get(operation.get("operationId", ""))
            for parameter in operation.get("parameters", []):
                if isinstance(parameter, dict) and parameter.get("name") == "cursor" and cursor:
                    example = encode_cursor(cursor[0], "next", cursor[1])
                    parameter.setdefault("schema", {})["examples"] = [example]
                named = FIELD_EXAMPLES.get(operation.get("operationId", ""))
                if isinstance(parameter, dict) and parameter.get("name") == "fields" and named:
                    parameter.setdefault("schema", {})["examples"] = [named]
                if isinstance(parameter, dict) and parameter.get("name") == "after" and after:
                    parameter.setdefault("schema", {})["examples"] = [after]
            operation.setdefault("parameters", []).extend(["IfNoneMatch", "RequestId"])
            links = LINKS.get(operation.get("operationId", ""))
            if links:
                operation["responses"][200]["links"] = links
            responses = {
                str(code): _SMOREST_NAMES.get(response, response)
                if isinstance(response, str)
                else response
                for code, response in operation.get("responses", {}).items()
            }
            codes = [400, 401, 403, 405, 406, 414, 429, 431, 500]
            if "{" in (path or ""):
                codes.append(404)
            if "{article_id}" in (path or ""):
                codes.append(410)
            for code in codes:
                responses.setdefault(str(code), ERROR_RESPONSES[code][0])
            operation["responses"] = dict(sorted(responses.items()))
            # Reads are public unless the server asks for read keys: both are declared. A read
            # of writers' or admins' resources (jobs, webhooks) needs its scope.
            if scope is None:
                operation["security"] = [{}, {SECURITY_SCHEMES["read"]: []}]
            else:
                operation["security"] = [{SECURITY_SCHEMES[scope]: []}]

    def _write_helper(self, path, method, operation):
        operation.pop("x-scope", None)
        operation.setdefault("parameters", []).append("RequestId")
        responses = {
            str(code): _SMOREST_NAMES.get(response, response)
            if isinstance(response, str)
            else response
            for code, response in operation.get("responses", {}).items()
        }
        codes = [400, 401, 403, 405, 414, 429, 431, 500]
        if "{" in (path or ""):
            codes.append(404)
        if method in ("post", "put") and "requestBody" in operation:
            codes += [409, 413, 415, 422]
        if "{article_id}" in (path or ""):
            codes.append(410)
        for code in codes:
            responses.setdefault(str(code), ERROR_RESPONSES[code][0])
        operation["responses"] = dict(sorted(responses.items()))


def _document_export(response: dict, form) -> None:
    """A collection's 200 in its export media types too (``api.export``): NDJSON lines of the
    item schema, and CSV with its columns."""
    item = schema_name(form.item_schema)
    content = response.setdefault("content", {})
    content[NDJSON] = {
        "schema": {
            "$ref": f"#/components/schemas/{item}",
            "description": f"With `Accept: {NDJSON}`: every matching item, one `{item}` per "
            "line (no envelope, no pages), streamed; resume with `after` or `cursor`.",
        }
    }
    if form.columns is not None:
        content[CSV] = {
            "schema": {
                "type": "string",
                "description": f"With `Accept: {CSV}`: every matching item as one RFC 4180 "
                f"row under a header row, columns `{', '.join(form.columns)}` (nested fields "
                f"dotted, lists of strings joined by `{LIST_SEPARATOR}`; a text cell starting "
                "with `=`, `+`, `-` or `@` is prefixed with `'`).",
            },
            "example": ",".join(form.columns) + "\r\n",
        }
    response["description"] += (
        f" With `Accept: {NDJSON}`"
        + (f" or `{CSV_CONTENT_TYPE.split(';')[0]}`" if form.columns is not None else "")
        + ": every matching item, streamed (`Cache-Control: no-store`; no ETag)."
    )


def enum_component(self, field, ret, **kwargs) -> dict:
    """apispec attribute function: a field validated by :class:`NamedChoices` refers to its
    enum component (made the first time), instead of carrying an inline ``enum``."""
    choices = next((v for v in field.validators if isinstance(v, NamedChoices)), None)
    if choices is None:
        return {}
    schemas = self.spec.components.schemas
    if choices.component not in schemas:
        self.spec.components.schema(
            choices.component,
            {
                "type": "string",
                "enum": list(choices.choices),
                "x-enum-varnames": choices.member_names,
                "description": choices.description,
            },
        )
    elif schemas[choices.component]["enum"] != list(choices.choices):
        raise ValueError(f"two enums named {choices.component} differ")
    ret.pop("type", None)
    ret.pop("enum", None)
    return {"$ref": f"#/components/schemas/{choices.component}"}


class ArticleApi(Api):
    ERROR_SCHEMA = ProblemSchema
    #: Every error answer is listed by status instead of a catch-all ``default``.
    DEFAULT_ERROR_RESPONSE_NAME = None

    def __init__(self, app=None, **kwargs):
        kwargs.setdefault(
            "spec_kwargs",
            {
                "marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name),
                "extra_plugins": [ContractPlugin()],
            },
        )
        super().__init__(app, **kwargs)

    def _init_spec(self, *args, **kwargs):
        super()._init_spec(*args, **kwargs)
        self.ma_plugin.converter.add_attribute_function(enum_component)
        # The JSON form of a document write: its request body is documented by hand (it also
        # takes bare text), so its schema is registered here.
        self.spec.components.schema("ArticleWrite", schema=ArticleWriteSchema)

    def _register_swagger_ui_rule(self, blueprint):
        """Swagger UI at /docs, and the icon browsers ask for (no failed request on the page)."""
        super()._register_swagger_ui_rule(blueprint)
        blueprint.add_url_rule("/favicon.ico", endpoint="favicon", view_func=_favicon)

    def _register_pagination_header(self):
        """Not used: pagination is in the body and the ``Link`` header, not X-Pagination."""

    def _register_etag_headers(self):
        """Not used: ETag handling is ours (:mod:`api.http`), documented per operation."""

    def handle_http_exception(self, error):
        return from_http_exception(error)

    def _register_responses(self):
        """Headers, request header parameters and the error responses, as components.

        Error responses are problem documents under their own media type, with the headers
        every error carries (``Allow`` too on a 405).
        """
        needs = {
            "read": "Reads, only when the server sets `ARTICLE_API_READ_KEYS=required`.",
            "write": "Sending, replacing and retracting articles; their jobs.",
            "admin": "Webhooks; retracting any article.",
        }
        for scope, scheme in SECURITY_SCHEMES.items():
            self.spec.components.security_scheme(
                scheme,
                {
                    "type": "http",
                    "scheme": "bearer",
                    "description": f"An API key with the `{scope}` scope or a wider one "
                    f"(read < write < admin), made by `article-api keys create --scope {scope}` "
                    f"and sent as `Authorization: Bearer aak_…`. {needs[scope]}",
                },
            )
        for name, header in HEADERS.items():
            self.spec.components.header(name, header, lazy=True)
        for name, parameter in PARAMETERS.items():
            self.spec.components.parameter(name, parameter["in"], parameter, lazy=True)
        for code, (name, description) in ERROR_RESPONSES.items():
            headers = {"X-Request-ID": "RequestId", "Cache-Control": "NoStore"}
            if code == 405:
                headers["Allow"] = "Allow"
            if code == 429:
                headers["Retry-After"] = "RetryAfter"
            if code == 401:
                headers["WWW-Authenticate"] = "WwwAuthenticate"
            if code == 410:
                headers["Cache-Control"] = "GoneCacheControl"
            response = {
                "description": description,
                "schema": self.ERROR_SCHEMA,
                "headers": headers,
                "example": _problem_example(code),
            }
            prepare_response(response, self.spec, PROBLEM)
            self.spec.components.response(name, response, lazy=True)


def _favicon():
    """Swagger UI's own icon, from the pinned flask-swagger-ui package."""
    folder = Path(flask_swagger_ui.__file__).parent / "dist"
    return send_from_directory(folder, "favicon-32x32.png", mimetype="image/png", max_age=86400)


def _problem_example(code: int) -> dict:
    example = {
        "type": "about:blank",
        "title": HTTPStatus(code).phrase,
        "status": code,
        "detail": {
            400: "pagesize: Unknown field.",
            401: "This needs an API key with the write scope.",
            403: "The key 3f9a0c1b2d4e has the read scope; this needs write.",
            404: "No article with id 'nope'.",
            409: "Article 'council-budget' belongs to file:council-budget.md, not key:newsroom.",
            410: "Article 'council-budget' was retracted at 2026-12-01T10:00:00.000000Z: legal",
            413: "The document is 3145728 bytes; at most 2097152 are taken.",
            415: "Send text/plain, text/markdown or application/json, not text/html.",
            422: "This Idempotency-Key was used with another body.",
            405: "POST is not allowed on /v1/articles.",
            406: "This URL answers application/json; the Accept header rules it out.",
            414: f"The path may have at most {MAX_PATH_CHARS} characters and the query string "
            f"at most {MAX_QUERY_CHARS}.",
            429: "Rate limit of 100 per 1 second exceeded; retry in 1 s.",
            431: "The request has too many header fields, or one that is too large.",
            500: "The server failed to answer; quote the request_id when reporting it.",
            503: "The store holds no articles yet; run an ingest.",
        }[code],
        "instance": "/v1/articles/nope" if code == 404 else "/v1/articles",
        "request_id": "4a4d43f0856642bfb6398fa768caa4c5",
    }
    if code == 400:
        example["errors"] = [{"parameter": "pagesize", "detail": "Unknown field."}]
    if code == 410:
        example["retracted_at"] = "2026-12-01T10:00:00.000000Z"
        example["reason"] = "legal"
    return example


def write_operation(
    blp: Blueprint,
    operation_id: str,
    status: int,
    schema,
    *,
    scope: str,
    description: str,
    headers: dict | None = None,
    request_body: dict | None = None,
):
    """Decorators documenting a write (or an admin read): its id, its success answer, the key
    scope it needs (the security requirement), and its request body when it is not a marshmallow
    argument. The error answers are added by :class:`ContractPlugin`."""
    doc: dict = {
        "operationId": operation_id,
        "security": [{SECURITY_SCHEMES[scope]: []}],
        "x-scope": scope,
    }
    if request_body is not None:
        doc["requestBody"] = request_body

    def decorate(view):
        response_headers = {"X-Request-ID": "RequestId", "Cache-Control": "NoStore"}
        response_headers.update(headers or {})
        if schema is None:
            view = blp.response(status, description=description, headers=response_headers)(view)
        else:
            view = blp.response(status, schema, description=description, headers=response_headers)(
                view
            )
        return _guarded(blp.doc(**doc)(view), scope)

    return decorate


def _guarded(view, scope: str):
    """``view`` behind the key check: a request without a key of ``scope`` is answered 401/403
    before anything of it (query, body) is read. Put the operation decorator above
    ``blp.arguments``, so that it runs first."""
    from . import auth

    @functools.wraps(view)
    def guarded(*args, **kwargs):
        auth.require(scope)
        return view(*args, **kwargs)

    return guarded


def read_operation(
    blp: Blueprint,
    operation_id: str,
    schema,
    *,
    collection: bool = False,
    flat: bool = True,
    scope: str | None = None,
    description: str | None = None,
):
    """Decorators documenting a GET: its id, its 200 and 304 and their headers, and the key
    scope it needs when it is not a public read (jobs: ``write``, webhooks: ``admin``).

    A collection also answers bulk exports (:mod:`api.export`): NDJSON of its items, and CSV
    unless ``flat`` is False; the view is marked with its :class:`~api.export.Form` (for the
    ``Accept`` check) and the 200 documents both media types.

    The error answers every GET shares are added by :class:`ContractPlugin`.
    """
    headers = {"ETag": "ETag", "Cache-Control": "CacheControl", "X-Request-ID": "RequestId"}
    if collection:
        headers["Link"] = "Link"

    description = description or (
        "OK: one page of the collection in the `{data, links, meta}` envelope."
        if collection
        else "OK: the resource in the `{data, links, meta}` envelope."
    )
    doc: dict = {"operationId": operation_id}
    if scope is not None:
        doc["x-scope"] = scope
    form = collection_form(schema, flat=flat) if collection else None
    if form is not None:
        doc["x-export"] = form

    def decorate(view):
        item = item_schema(schema)
        FIELD_EXAMPLES[operation_id] = _field_example(item)
        view = _selecting(view, item)
        if form is not None:
            view.export_form = form
            view.produces = form.media_types
        view = blp.response(200, schema, description=description, headers=headers)(view)
        view = blp.alt_response(
            304,
            description="Not Modified: an `If-None-Match` ETag still matches; no body.",
            headers={"ETag": "ETag", "Cache-Control": "CacheControl", "X-Request-ID": "RequestId"},
        )(view)
        view = blp.doc(**doc)(view)
        return view if scope is None else _guarded(view, scope)

    return decorate


#: operationId -> a ``fields`` example of that operation's own members (set by read_operation).
FIELD_EXAMPLES: dict[str, list[str]] = {}


def item_schema(envelope_schema):
    """The schema of the item (or of each item) in an envelope schema's ``data``."""
    data = envelope_schema._declared_fields["data"]
    inner = data.inner if isinstance(data, ma_fields.List) else data
    return inner.nested


def _field_example(schema) -> list[str]:
    """Two of an item's members, for its operation's ``fields`` example."""
    from . import fields as sparse

    return list(sparse.allowed(schema))[:2]


def _selecting(view, schema):
    """``view`` answering ``fields=`` (:mod:`api.fields`): the names are checked against the
    item's schema before the view runs (an unknown one is a 400 naming it), a part an article
    selection names is embedded as ``include`` would, and :mod:`api.http` cuts the body."""
    from . import fields as sparse
    from .pagination import bad_parameter

    @functools.wraps(view)
    def selecting(*args, **kwargs):
        kwargs.pop("fields", None)  # parsed by the query schema; read here from the request
        names = sparse.names_of(request.args.getlist("fields"))
        if names:
            try:
                tree = sparse.selection(names, schema)
            except sparse.UnknownField as error:
                known = ", ".join(error.known)
                bad_parameter("fields", f"No field {error.name!r} here; known: {known}.")
            g.field_selection = tree
            if "include" in kwargs:
                kwargs["include"] = sparse.with_parts(kwargs["include"], tree, INCLUDE_CHOICES)
        return view(*args, **kwargs)

    return selecting


class _NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def openapi_yaml(api: Api) -> str:
    """The spec as YAML, exactly as ``openapi.yaml`` is committed."""
    return yaml.dump(
        api.spec.to_dict(), Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True, width=100
    )
