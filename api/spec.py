"""flask-smorest set up for this API: strict query parsing, problem+json, documented headers.

* :class:`Blueprint` parses query strings strictly: an unknown parameter or a bad value is a 400
  naming the parameter (webargs' default would be a 422, or silently ignoring unknown keys).
* :class:`ArticleApi` answers every error through :mod:`api.errors` and documents error responses
  as ``application/problem+json`` with the ``Problem`` schema.
* :func:`read_operation` documents what every GET can answer: 200 with its headers, 304, 400,
  404 and 406.
"""

from __future__ import annotations

import http
from typing import ClassVar

import yaml
from apispec import BasePlugin
from apispec.ext.marshmallow import MarshmallowPlugin
from flask_smorest import Api
from flask_smorest import Blueprint as SmorestBlueprint
from flask_smorest.utils import prepare_response
from marshmallow import RAISE
from webargs.flaskparser import FlaskParser

from schemas.common import ProblemSchema

from .errors import PROBLEM, from_http_exception


class StrictQueryParser(FlaskParser):
    DEFAULT_VALIDATION_STATUS = 400
    DEFAULT_UNKNOWN_BY_LOCATION: ClassVar[dict] = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": RAISE,
    }


class Blueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = StrictQueryParser()


def schema_name(schema) -> str:
    cls = schema if isinstance(schema, type) else type(schema)
    name = cls.__name__
    return name.removesuffix("Schema") or name


class ConditionalGetPlugin(BasePlugin):
    """Documents ``If-None-Match`` on every GET (every GET answers it with a 304)."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            if method == "get":
                operation.setdefault("parameters", []).append(dict(IF_NONE_MATCH))


class ArticleApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app=None, **kwargs):
        kwargs.setdefault(
            "spec_kwargs",
            {
                "marshmallow_plugin": MarshmallowPlugin(schema_name_resolver=schema_name),
                "extra_plugins": [ConditionalGetPlugin()],
            },
        )
        super().__init__(app, **kwargs)

    def _register_pagination_header(self):
        """Not used: pagination is in the body and the ``Link`` header, not X-Pagination."""

    def _register_etag_headers(self):
        """Not used: ETag handling is ours (:mod:`api.http`), documented per operation."""

    def handle_http_exception(self, error):
        return from_http_exception(error)

    def _register_responses(self):
        """Error responses are problem documents, under their own media type."""
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Unexpected error", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


HEADERS = {
    "ETag": {
        "description": "Strong validator of this body; send it back in `If-None-Match`.",
        "schema": {"type": "string"},
    },
    "Cache-Control": {
        "description": "`no-cache` for latest URLs; `public, max-age=31536000, immutable` for a "
        "specific version's URL.",
        "schema": {"type": "string"},
    },
    "X-Request-ID": {
        "description": "Echo of the request's `X-Request-ID` when valid, else a new id.",
        "schema": {"type": "string"},
    },
}
LINK_HEADER = {
    "Link": {
        "description": "RFC 8288 links: first, prev, next (and last in page mode).",
        "schema": {"type": "string"},
    }
}
IF_NONE_MATCH = {
    "in": "header",
    "name": "If-None-Match",
    "required": False,
    "description": "An ETag from an earlier response: a 304 with no body if it still matches.",
    "schema": {"type": "string"},
}


def read_operation(blp: Blueprint, operation_id: str, schema, *, collection: bool = False):
    """Decorators documenting a GET: its id, its 200 and every other answer it can give."""
    headers = HEADERS | (LINK_HEADER if collection else {})

    def decorate(view):
        view = blp.response(200, schema, headers=headers)(view)
        for status in (304,):
            view = blp.alt_response(
                status,
                description="Not Modified: the `If-None-Match` ETag still matches.",
                headers={"ETag": HEADERS["ETag"], "X-Request-ID": HEADERS["X-Request-ID"]},
            )(view)
        for status in ("BAD_REQUEST", "NOT_FOUND", "NOT_ACCEPTABLE"):
            view = blp.alt_response(http.HTTPStatus[status].value, response=status)(view)
        return blp.doc(operationId=operation_id)(view)

    return decorate


class _NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def openapi_yaml(api: Api) -> str:
    """The spec as YAML, exactly as ``openapi.yaml`` is committed."""
    return yaml.dump(
        api.spec.to_dict(), Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True, width=100
    )
