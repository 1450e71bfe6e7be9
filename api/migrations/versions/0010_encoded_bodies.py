"""Compressed article bodies made at ingest, so that no request for them compresses.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

``encoded_bodies`` holds, per version, its body at ``/v1/articles/{id}`` (``latest``) and at
``/v1/articles/{id}/versions/{n}`` (``version``), neither with parameters, in brotli and gzip,
with the hash of the identity body each encodes: a server uses them only while it would send
those very identity bytes. ``save`` writes them with each new version; filled here for every
stored version from ``article_versions.article_json``.

Frozen as written: the body and the codings below are a copy of ``api.http`` and
``api.compression`` as they were when this revision was made; it uses no code of ``api``. A
body that differs from what the server now sends is never used (its hash differs).
"""

import gzip
import hashlib
from urllib.parse import quote

import brotli
import orjson
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

MIN_SIZE = 1024
BATCH = 200


def key(length: int):
    """Text keys order by code point on every backend (PostgreSQL: collation ``C``)."""
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def encoded(article_id: str, version: int, article_json: bytes) -> list[dict]:
    base = f"/v1/articles/{article_id}"
    rows = []
    for name, url in (("latest", base), ("version", f"{base}/versions/{version}")):
        links = {
            "self": quote(url, safe="/:@"),
            "versions": f"{base}/versions",
            "sections": f"{base}/sections",
            "bullets": f"{base}/bullets",
            "quotes": f"{base}/quotes",
            "entities": f"{base}/entities",
            "latest": base,
        }
        body = b'{"data":' + article_json + b',"links":' + orjson.dumps(links) + b',"meta":{}}'
        if len(body) < MIN_SIZE:
            continue
        identity = hashlib.blake2b(body, digest_size=16).hexdigest()
        for coding, data in (
            ("br", brotli.compress(body, quality=4)),
            ("gzip", gzip.compress(body, compresslevel=6, mtime=0)),
        ):
            rows.append(
                {
                    "article_id": article_id,
                    "version": version,
                    "url": name,
                    "coding": coding,
                    "identity": identity,
                    "body": data,
                }
            )
    return rows


def upgrade() -> None:
    bind = op.get_bind()
    if "encoded_bodies" in set(sa.inspect(bind).get_table_names()):
        return
    table = op.create_table(
        "encoded_bodies",
        sa.Column("article_id", key(128), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("url", key(16), nullable=False),
        sa.Column("coding", key(16), nullable=False),
        sa.Column("identity", key(64), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("article_id", "version", "url", "coding"),
        sa.ForeignKeyConstraint(
            ["article_id", "version"], ["article_versions.article_id", "article_versions.version"]
        ),
    )
    versions = sa.table(
        "article_versions", sa.column("article_id"), sa.column("version"), sa.column("article_json")
    )
    after = None
    while True:  # in key order, a batch at a time: memory stays flat at any store size
        stmt = sa.select(versions.c.article_id, versions.c.version, versions.c.article_json)
        if after is not None:
            stmt = stmt.where(
                sa.tuple_(versions.c.article_id, versions.c.version) > sa.tuple_(*after)
            )
        batch = bind.execute(
            stmt.order_by(versions.c.article_id, versions.c.version).limit(BATCH)
        ).all()
        if not batch:
            break
        rows = [row for item in batch for row in encoded(item[0], item[1], bytes(item[2]))]
        if rows:
            bind.execute(table.insert(), rows)
        after = (batch[-1][0], batch[-1][1])


def downgrade() -> None:
    op.drop_table("encoded_bodies")
