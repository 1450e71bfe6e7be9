"""The schema: the tables, as SQLAlchemy Core ``metadata``, and the one timestamp format stored.

The schema is made and migrated by Alembic (``api/migrations``); ``metadata`` is what the newest
migration makes, and what Alembic compares a database with.

Tables
    articles         one row per article: its latest version, its list-item bytes and the source
                     that owns its id (``file:<name>``)
    article_versions one row per (article, version): the article bytes without parts
    part_lists       (article, version, kind) -> the whole JSON array, for ``?include=``
    encoded_bodies   (article, version, url, coding) -> the compressed body of the version at
                     its latest or version URL without parameters, made at ingest, with the
                     hash of the identity body it encodes
    parts            (article, version, kind, position) -> one item's bytes, plus filter columns
    entity_names     (article, version, entity, name key): every name an entity is known by in
                     that version (its key, id, name and aliases, as slugs), for filters that
                     take any of them (``speaker``, ``entity``)
    quote_about      (article, version, quote position, entity key): the entities each quote is
                     about (mentioned inside it, or in its sentence; never its speaker), decided
                     at ingest (``api.about``), for ``?about=`` and ``/v1/entities/{key}/…``
    corpus_entities  entities across the latest versions, one row per key: name, type, article
                     and mention counts; ``save`` recomputes the rows of the keys a new version
                     touches, so ``/v1/entities`` reads rows instead of grouping every article
    article_facets   (article, version, facet, value): a version's entity keys and types, tags,
                     authors, section and month of publication, for facet counts and filters
    facet_counts     (facet, value) -> live articles counting it, kept by ``save``/``retract``
    totals           stored counters (``articles``, ``quotes``, ``corpus_entities`` and one per
                     entity type), kept by ``save`` in the same
                     transaction, so a collection's ``total_items`` is a lookup, not a COUNT(*)
    search_docs      full-text search documents of latest versions (articles and quotes), indexed
                     by FTS5 (SQLite) or a generated tsvector with a GIN index (PostgreSQL)
    api_keys         a key's name, scope and the SHA-256 of its token (never the token)
    jobs             writes sent over HTTP: the document, its state, the worker's lease, the result
    changes          the change feed: one row per event, ``seq`` in commit order
    webhooks         subscribers: URL, events, signing secret, the feed position it starts after
    deliveries       one per (webhook, event): state, attempts, when the next attempt is due
    delivery_attempts each attempt's status code or error, an excerpt of the answer, its duration
    feed_cursors     how far an in-service consumer of the feed (the webhook dispatcher) has read

A version's rows never change once written: ``save`` only adds versions, and switches
``articles.latest_version`` last.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

metadata = MetaData()


def _key(length: int):
    """A text key: ordered by code point on every backend (PostgreSQL: collation ``C``), so ids
    sort, and cursors compare, exactly as on SQLite whatever the database's default collation."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


articles = Table(
    "articles",
    metadata,
    Column("id", _key(128), primary_key=True),
    Column("latest_version", Integer, nullable=False),
    Column("first_ingested_at", String(40), nullable=False),
    Column("updated_at", _key(40), nullable=False),
    Column("source_file", String(255), nullable=False),
    Column("title", String(500), nullable=False),
    Column("summary_json", LargeBinary, nullable=False),
    # The source whose documents may store versions of this article (``file:<name>``).
    Column("source", String(300), nullable=False, server_default=""),
    # Set when the article is taken down: it answers 410 and leaves every list and aggregate.
    Column("retracted_at", String(40)),
    Column("retraction_reason", String(500)),
    # The latest version's publication time, or "" when it has none (so it sorts first), for
    # ``published_after``/``published_before`` and ``sort=published_at``.
    Column("published_at", _key(40), nullable=False, server_default=""),
    Index("ix_articles_updated_at", "updated_at", "id"),
    Index("ix_articles_published_at", "published_at", "id"),
)

article_versions = Table(
    "article_versions",
    metadata,
    Column("article_id", _key(128), nullable=False),
    Column("version", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("output_hash", String(64), nullable=False),
    Column("parser_version", String(32), nullable=False),
    Column("ingested_at", String(40), nullable=False),
    Column("article_json", LargeBinary, nullable=False),
    PrimaryKeyConstraint("article_id", "version"),
    ForeignKeyConstraint(["article_id"], ["articles.id"]),
)

part_lists = Table(
    "part_lists",
    metadata,
    Column("article_id", _key(128), nullable=False),
    Column("version", Integer, nullable=False),
    Column("kind", _key(16), nullable=False),
    Column("body", LargeBinary, nullable=False),
    PrimaryKeyConstraint("article_id", "version", "kind"),
    ForeignKeyConstraint(
        ["article_id", "version"], ["article_versions.article_id", "article_versions.version"]
    ),
)

#: The URLs whose bodies ``encoded_bodies`` holds: a version at its article's URL (while it is
#: the latest) and at its own version URL, neither with parameters.
ENCODED_URLS = ("latest", "version")

encoded_bodies = Table(
    "encoded_bodies",
    metadata,
    Column("article_id", _key(128), nullable=False),
    Column("version", Integer, nullable=False),
    Column("url", _key(16), nullable=False),
    Column("coding", _key(16), nullable=False),
    #: ``api.http.strong_etag`` of the identity body: the stored bytes are used only for it.
    Column("identity", _key(64), nullable=False),
    Column("body", LargeBinary, nullable=False),
    PrimaryKeyConstraint("article_id", "version", "url", "coding"),
    ForeignKeyConstraint(
        ["article_id", "version"], ["article_versions.article_id", "article_versions.version"]
    ),
)

parts = Table(
    "parts",
    metadata,
    Column("article_id", _key(128), nullable=False),
    Column("version", Integer, nullable=False),
    Column("kind", _key(16), nullable=False),
    Column("position", Integer, nullable=False),
    Column("part_id", _key(160), nullable=False),
    Column("body", LargeBinary, nullable=False),
    # Filter columns; which are set depends on the kind.
    Column("speaker_id", _key(160)),
    Column("speaker_key", _key(200)),  # the name slug of a speaker no entity matches
    Column("speaker_via", String(16)),  # how the speaker was found (``speaker.via``)
    Column("quote_kind", String(16)),
    Column("entity_type", String(32)),
    Column("entity_key", _key(200)),
    Column("name", String(300)),  # entity name, or the quote's speaker name
    Column("weight", Integer),  # an entity's mention count in the article
    PrimaryKeyConstraint("article_id", "version", "kind", "position"),
    ForeignKeyConstraint(
        ["article_id", "version"], ["article_versions.article_id", "article_versions.version"]
    ),
    Index("ix_parts_part_id", "article_id", "version", "kind", "part_id", unique=True),
    Index("ix_parts_entity_key", "kind", "entity_key"),
    Index("ix_parts_speaker", "kind", "speaker_id"),
    Index("ix_parts_speaker_key", "kind", "speaker_key"),
)

entity_names = Table(
    "entity_names",
    metadata,
    Column("article_id", _key(128), nullable=False),
    Column("version", Integer, nullable=False),
    Column("entity_id", _key(160), nullable=False),
    Column("name_key", _key(200), nullable=False),
    PrimaryKeyConstraint("article_id", "version", "entity_id", "name_key"),
    ForeignKeyConstraint(
        ["article_id", "version"], ["article_versions.article_id", "article_versions.version"]
    ),
    Index("ix_entity_names_name", "name_key", "article_id", "version"),
)

#: The entities each quote is about (``api.about.quote_about``), one row per (quote, entity):
#: ``place`` is ``quote`` (the mention is inside the marks) or ``sentence``.
quote_about = Table(
    "quote_about",
    metadata,
    Column("article_id", _key(128), nullable=False),
    Column("version", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Column("entity_key", _key(200), nullable=False),
    Column("entity_id", _key(160), nullable=False),
    Column("place", String(16), nullable=False),
    PrimaryKeyConstraint("article_id", "version", "position", "entity_key"),
    ForeignKeyConstraint(
        ["article_id", "version"], ["article_versions.article_id", "article_versions.version"]
    ),
    Index("ix_quote_about_entity", "entity_key", "article_id", "version", "position"),
)

#: Each entity key across the latest versions (what ``reads.grouped_entities`` computes),
#: maintained by ``save``.
corpus_entities = Table(
    "corpus_entities",
    metadata,
    Column("key", _key(200), primary_key=True),
    Column("name", String(300)),
    Column("type", String(32)),
    Column("article_count", Integer, nullable=False),
    Column("mention_count", Integer),
    Index("ix_corpus_entities_type", "type", "key"),
)

#: What ``/v1/articles`` counts in ``meta.facets`` (and ``tag``/``author`` filter on): an
#: entity key, an entity type, a tag, an author, a section (each by its slug) and the month
#: of publication (``YYYY-MM``).
FACETS = ("entity", "type", "tag", "author", "section", "published_month")

#: Each version's facet values (immutable like the version): one row per (facet, value).
article_facets = Table(
    "article_facets",
    metadata,
    Column("article_id", _key(128), nullable=False),
    Column("version", Integer, nullable=False),
    Column("facet", _key(16), nullable=False),
    Column("value", _key(200), nullable=False),
    Column("label", String(300)),  # what to show: the tag, name or section as written
    PrimaryKeyConstraint("article_id", "version", "facet", "value"),
    ForeignKeyConstraint(
        ["article_id", "version"], ["article_versions.article_id", "article_versions.version"]
    ),
    Index("ix_article_facets_value", "facet", "value", "article_id"),
)

#: How many live articles' latest versions have each facet value (``entity`` excepted: that
#: count is ``corpus_entities.article_count``), maintained by ``save`` and ``retract``, so the
#: facets of the unfiltered list are a lookup.
facet_counts = Table(
    "facet_counts",
    metadata,
    Column("facet", _key(16), nullable=False),
    Column("value", _key(200), nullable=False),
    Column("label", String(300)),
    Column("article_count", Integer, nullable=False),
    PrimaryKeyConstraint("facet", "value"),
    Index("ix_facet_counts_count", "facet", "article_count"),
)

#: The kinds of part: every version stores one ``part_lists`` row of each.
PART_KINDS = ("sections", "bullets", "quotes", "entities")


totals = Table(
    "totals",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", Integer, nullable=False),
)

#: The stored counters (rows of ``totals``): a corpus-wide collection with one of these names
#: and no filter reads its total from ``totals``.
COUNTERS = ("articles", "quotes")
#: The counter of ``corpus_entities`` rows (``/v1/entities``' total), and one per entity type
#: (:func:`entity_counter`), kept by the save that changes those rows.
ENTITY_COUNTER = "corpus_entities"


def entity_counter(entity_type: str) -> str:
    """The counter of the ``corpus_entities`` rows of one type."""
    return f"{ENTITY_COUNTER}:{entity_type}"


#: The full-text search documents: one per article (``kind`` ``articles``: title and text) and
#: one per quote (``quotes``: the speaker's name and the quote's text), of latest versions only;
#: ``save`` replaces an article's documents when it stores a new version. The index over them is
#: dialect-specific and lives outside ``metadata`` (see :data:`SEARCH_EXTRAS`): an FTS5 table
#: kept in step by triggers on SQLite, a generated ``tsvector`` column with a GIN index on
#: PostgreSQL. Both are made by the migrations.
search_docs = Table(
    "search_docs",
    metadata,
    Column("doc_id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", _key(128), nullable=False),
    Column("kind", _key(16), nullable=False),
    Column("position", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    ForeignKeyConstraint(["article_id"], ["articles.id"]),
    Index("ix_search_docs_article", "article_id", "kind", "position", unique=True),
)

#: Database objects the migrations make beyond ``metadata``: the dialects' search indexes.
SEARCH_EXTRAS = {
    "sqlite": {"table": ("search_fts",)},  # and FTS5's shadow tables, search_fts_*
    "postgresql": {"column": ("tsv",), "index": ("ix_search_docs_tsv",)},
}


api_keys = Table(
    "api_keys",
    metadata,
    Column("id", _key(32), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("scope", String(8), nullable=False),
    Column("token_hash", String(64), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("revoked_at", String(40)),
    Index("ix_api_keys_token_hash", "token_hash", unique=True),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", _key(40), primary_key=True),
    Column("state", String(12), nullable=False),
    Column("created_at", _key(40), nullable=False),
    Column("started_at", String(40)),
    Column("finished_at", String(40)),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("lease_until", _key(40)),
    Column("owner", String(100), nullable=False),  # the name of the key that sent it
    Column("idempotency_key", String(255)),
    Column("request_hash", String(64), nullable=False),
    Column("method", String(8), nullable=False),
    Column("article_id", _key(128)),  # the id the request named (PUT, or a JSON ``id``)
    Column("media_type", String(40), nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("fields_json", LargeBinary, nullable=False),
    Column("result_article_id", _key(128)),
    Column("result_version", Integer),
    Column("result_created", Boolean),
    Column("problem_json", LargeBinary),
    Index("ix_jobs_idempotency", "owner", "idempotency_key", unique=True),
    Index("ix_jobs_state", "state", "lease_until"),
)

changes = Table(
    "changes",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("type", String(32), nullable=False),
    Column("article_id", _key(128), nullable=False),
    Column("version", Integer),
    Column("at", _key(40), nullable=False),
    Column("reason", String(500)),
    Index("ix_changes_at", "at", "seq"),
    sqlite_autoincrement=True,
)

webhooks = Table(
    "webhooks",
    metadata,
    Column("id", _key(40), primary_key=True),
    Column("url", String(2048), nullable=False),
    Column("events", String(400), nullable=False),  # comma-separated event types
    Column("secret", String(100), nullable=False),  # ``whsec_…``: needed to sign, so kept
    Column("owner", String(100), nullable=False),
    Column("created_at", _key(40), nullable=False),
    Column("after_seq", Integer, nullable=False),  # events after this one are delivered
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("webhook_id", _key(40), nullable=False),
    Column("change_seq", Integer, nullable=False),
    Column("message_id", String(64), nullable=False),
    Column("state", String(12), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", _key(40), nullable=False),
    Column("lease_until", _key(40)),
    Column("created_at", String(40), nullable=False),
    Column("finished_at", String(40)),
    Index("ix_deliveries_event", "webhook_id", "change_seq", unique=True),
    Index("ix_deliveries_due", "state", "next_attempt_at"),
    sqlite_autoincrement=True,
)

delivery_attempts = Table(
    "delivery_attempts",
    metadata,
    Column("delivery_id", Integer, nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("at", String(40), nullable=False),
    Column("status_code", Integer),
    Column("error", String(500)),
    Column("response_excerpt", String(1024)),
    Column("duration_ms", Integer, nullable=False),
    PrimaryKeyConstraint("delivery_id", "attempt"),
)

feed_cursors = Table(
    "feed_cursors",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("seq", Integer, nullable=False),
)


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic's filter: the objects ``metadata`` describes, not the dialects' search extras."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith("search_fts")
    if type_ == "column" and parent_names.get("table_name") == "search_docs":
        return name != "tsv"
    if type_ == "index":
        return name not in DIALECT_INDEXES
    return True


#: Indexes a migration makes on one dialect only: PostgreSQL's search index, and SQLite's
#: covering index of the article list (migration 0011).
DIALECT_INDEXES = frozenset(("ix_search_docs_tsv", "ix_articles_listing"))


def live():
    """Condition: the article is not retracted (every read of "latest" applies it)."""
    return articles.c.retracted_at.is_(None)


def latest_version_of_article(*, retracted: bool = False):
    """Join condition: ``article_versions`` row of the article's latest version, of a live
    article (``retracted=True``: of any article, for the writes)."""
    condition = (article_versions.c.article_id == articles.c.id) & (
        article_versions.c.version == articles.c.latest_version
    )
    return condition if retracted else condition & live()


def latest_part():
    """Condition: a ``parts`` row belongs to its live article's latest version."""
    return (
        (parts.c.article_id == articles.c.id)
        & (parts.c.version == articles.c.latest_version)
        & live()
    )


def latest_facet():
    """Condition: an ``article_facets`` row belongs to its live article's latest version."""
    return (
        (article_facets.c.article_id == articles.c.id)
        & (article_facets.c.version == articles.c.latest_version)
        & live()
    )


def utc_text(moment: dt.datetime) -> str:
    """The one timestamp format stored: RFC 3339 in UTC with microseconds, so text order is time
    order."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def utc_now() -> str:
    return utc_text(dt.datetime.now(dt.UTC))
