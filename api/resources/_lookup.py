"""Finding an article's version for a request, shared by the article sub-resources."""

from __future__ import annotations

from flask_smorest import abort
from sqlalchemy import Connection

from ..http import store

MAX_VERSION = 2**31 - 1


def latest_version_or_404(conn: Connection, article_id: str) -> int:
    version = store().latest_version(conn, article_id)
    if version is None:
        abort(404, message=f"No article with id {article_id!r}.")
    return version
