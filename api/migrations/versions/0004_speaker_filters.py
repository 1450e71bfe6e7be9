"""Quotes keep how their speaker was found, and the name of a speaker no entity matches.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

``parts.speaker_via`` (``cue``, ``according-to``, ``pronoun``, ``description``,
``continuation``) is what ``?via=`` filters on; ``parts.speaker_key`` is the name slug of a
speaker the text names but no entity matches (``entity_id`` null), so that ``?speaker=`` finds
it by name. Both are filled here from the quotes already stored: quotes stored before the
parser gave ``via`` have none (a re-ingest with the newer parser stores it).

Frozen as written: the slug rule below is a copy of the one the store used when this revision
was made; it uses no code of ``api``.
"""

import re
import unicodedata

import orjson
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def key(length: int):
    """Text keys order by code point on every backend (PostgreSQL: collation ``C``)."""
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def name_slug(name: str) -> str:
    """A name as a slug: accents folded, runs outside ``[a-z0-9]`` as ``-``; "" if none left."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", text.lower()).strip("-")[:80].rstrip("-")


def upgrade() -> None:
    bind = op.get_bind()
    columns = {column["name"] for column in sa.inspect(bind).get_columns("parts")}
    if "speaker_via" in columns:
        return
    op.add_column("parts", sa.Column("speaker_key", key(200)))
    op.add_column("parts", sa.Column("speaker_via", sa.String(16)))
    op.create_index("ix_parts_speaker_key", "parts", ["kind", "speaker_key"])
    stored = bind.execute(
        sa.text("SELECT article_id, version, position, body FROM parts WHERE kind = 'quotes'")
    ).all()
    update = sa.text(
        "UPDATE parts SET speaker_key = :speaker_key, speaker_via = :speaker_via "
        "WHERE article_id = :article_id AND version = :version AND kind = 'quotes' "
        "AND position = :position"
    )
    rows = []
    for article_id, version, position, body in stored:
        speaker = orjson.loads(body).get("speaker") or {}
        if not speaker:
            continue
        nameless = speaker.get("entity_id") is None and speaker.get("name")
        rows.append(
            {
                "article_id": article_id,
                "version": version,
                "position": position,
                "speaker_key": (name_slug(speaker["name"]) or None) if nameless else None,
                "speaker_via": speaker.get("via"),
            }
        )
    if rows:
        bind.execute(update, rows)


def downgrade() -> None:
    op.drop_index("ix_parts_speaker_key", "parts")
    # Plain ALTER TABLE … DROP COLUMN on both backends (SQLite 3.35+), as in 0002.
    op.execute("ALTER TABLE parts DROP COLUMN speaker_via")
    op.execute("ALTER TABLE parts DROP COLUMN speaker_key")
