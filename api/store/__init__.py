"""The store: the only package that knows SQL.

SQLAlchemy Core over SQLite (default, a file under ``instance/``) or PostgreSQL (psycopg 3), the
same statements on both; the schema is made and migrated by Alembic (``api/migrations``).
Every representation the API serves is stored as JSON bytes at ingest, so a read is an indexed
lookup and a copy of bytes.

Modules, one job each:
    tables   the schema (``metadata``, the tables, what the migrations add beyond them) and the
             one timestamp format stored
    engine   the URL, the engine and each backend's connection set-up; read snapshots and
             write transactions (SQLite ``BEGIN IMMEDIATE``)
    writes   ``save``: versioning, stored counters, search documents, in one transaction
    reads    the reads of more than one statement, in one snapshot, and windowing
    fast     :class:`FastReader`: the request path's one-statement reads, compiled once
    search   full-text search: the ``q`` grammar, ranking, snippets, the documents
    facade   :class:`ArticleStore`: one method per read and write, the entry point

Everything callers use is importable from ``api.store``.
"""

from .changes import EVENT_TYPES
from .facade import ArticleStore
from .jobs import JOB_STATES
from .keys import ApiKey
from .reads import ArticleFilter, Key, Slice, StoreStats, Window, stored_total
from .search import SearchQueryError, SearchRow, fts5_query
from .tables import FACETS, PART_KINDS, SEARCH_EXTRAS, include_name, metadata, utc_now, utc_text
from .webhooks import DELIVERY_STATES
from .writes import (
    ArticleRetracted,
    PartRow,
    RenderedVersion,
    Retraction,
    SaveResult,
    SourceConflict,
)

__all__ = [
    "DELIVERY_STATES",
    "EVENT_TYPES",
    "FACETS",
    "JOB_STATES",
    "PART_KINDS",
    "SEARCH_EXTRAS",
    "ApiKey",
    "ArticleFilter",
    "ArticleRetracted",
    "ArticleStore",
    "Key",
    "PartRow",
    "RenderedVersion",
    "Retraction",
    "SaveResult",
    "SearchQueryError",
    "SearchRow",
    "Slice",
    "SourceConflict",
    "StoreStats",
    "Window",
    "fts5_query",
    "include_name",
    "metadata",
    "stored_total",
    "utc_now",
    "utc_text",
]
