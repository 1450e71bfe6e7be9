"""One error shape for every failure: RFC 9457 ``application/problem+json``.

flask-smorest routes every ``HTTPException`` (and, through Flask, every unhandled exception as a
500) to :meth:`ArticleApi.handle_http_exception`; this module builds the body. No stack trace or
exception text ever reaches a client. A 500's traceback is logged once, by Flask's
``log_exception`` before it calls the handler (the log line carries the request id).
"""

from __future__ import annotations

import orjson
from flask import Response, request
from werkzeug.exceptions import HTTPException

from .contract import NO_STORE, PROBLEM
from .http import request_id


def problem_response(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    errors: list[dict] | None = None,
    headers: dict | None = None,
    extensions: dict | None = None,
) -> Response:
    body = {
        "type": "about:blank",
        "title": title or _phrase(status),
        "status": status,
        "detail": detail,
        "instance": request.path,
        "request_id": request_id(),
    }
    if errors:
        body["errors"] = errors
    for name, value in (extensions or {}).items():
        body.setdefault(name, value)
    response = Response(orjson.dumps(body), status=status, mimetype=PROBLEM)
    response.headers["Cache-Control"] = NO_STORE
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def from_http_exception(error: HTTPException) -> Response:
    data = getattr(error, "data", None) or {}
    errors = _parameter_errors(data.get("messages") or data.get("errors") or {})
    detail = data.get("message") or _detail(error, errors)
    # The exception's own headers (Content-Range on a 416, Allow on a 405, …), then ours.
    headers = {
        name: value
        for name, value in error.get_headers()
        if name.lower() not in ("content-type", "content-length")
    }
    headers.update(data.get("headers") or {})
    if error.code == 405:
        headers["Allow"] = ", ".join(getattr(error, "valid_methods", None) or [])
    return problem_response(
        error.code or 500,
        detail,
        errors=errors or None,
        headers=headers,
        extensions=data.get("extensions"),
    )


def _phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _detail(error: HTTPException, errors: list[dict]) -> str:
    if errors:
        return "; ".join(f"{e.get('parameter') or e.get('pointer')}: {e['detail']}" for e in errors)
    if error.code == 404:
        return f"Nothing found at {request.path}."
    if error.code == 405:
        return f"{request.method} is not allowed on {request.path}."
    if error.code and error.code >= 500:
        return "The server failed to answer; quote the request_id when reporting it."
    return error.description or _phrase(error.code or 500)


def _parameter_errors(messages: dict) -> list[dict]:
    """webargs' ``{"query": {"page_size": ["…"]}}`` -> ``[{"parameter": "page_size", …}]``."""
    errors: list[dict] = []
    for location, fields in messages.items():
        if not isinstance(fields, dict):
            continue
        for name, problems in fields.items():
            if name == "_schema":
                name = "query"
            for text in _flatten(problems):
                if location == "json":
                    errors.append({"pointer": f"/{name}", "detail": text})
                else:
                    errors.append({"parameter": name, "detail": text})
    return errors


def _flatten(problems) -> list[str]:
    if isinstance(problems, str):
        return [problems]
    if isinstance(problems, dict):
        return [text for value in problems.values() for text in _flatten(value)]
    return [text for value in problems for text in _flatten(value)]
