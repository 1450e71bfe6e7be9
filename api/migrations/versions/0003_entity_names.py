"""Every name an entity is known by in a version, for the filters that take any of them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

``entity_names`` holds, per stored version, each entity's corpus key (``person:donald-trump``),
its id and the slugs of its name and aliases (``donald-trump``, ``trump``,
``president-donald-trump``). ``speaker`` (quotes by an entity known by that name) and
``entity`` (articles mentioning it) look a request's word up there. Filled here from the
entities already stored.

Frozen as written: the slug rule below is a copy of the one the store used when this revision
was made; it uses no code of ``api``.
"""

import re
import unicodedata

import orjson
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
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


def names_of(entity: dict) -> set[str]:
    slugs = {name_slug(name) for name in [entity["name"], *(entity.get("aliases") or ())]}
    return {entity["key"], entity["id"]} | (slugs - {""})


def upgrade() -> None:
    bind = op.get_bind()
    if "entity_names" in set(sa.inspect(bind).get_table_names()):
        return
    op.create_table(
        "entity_names",
        sa.Column("article_id", key(128), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("entity_id", key(160), nullable=False),
        sa.Column("name_key", key(200), nullable=False),
        sa.PrimaryKeyConstraint("article_id", "version", "entity_id", "name_key"),
        sa.ForeignKeyConstraint(
            ["article_id", "version"],
            ["article_versions.article_id", "article_versions.version"],
        ),
    )
    op.create_index("ix_entity_names_name", "entity_names", ["name_key", "article_id", "version"])
    stored = bind.execute(
        sa.text("SELECT article_id, version, body FROM parts WHERE kind = 'entities'")
    )
    insert = sa.text(
        "INSERT INTO entity_names (article_id, version, entity_id, name_key) "
        "VALUES (:article_id, :version, :entity_id, :name_key)"
    )
    rows = []
    for article_id, version, body in stored:
        entity = orjson.loads(body)
        rows += [
            {"article_id": article_id, "version": version, "entity_id": entity["id"], "name_key": n}
            for n in sorted(names_of(entity))
        ]
    if rows:
        bind.execute(insert, rows)


def downgrade() -> None:
    op.drop_index("ix_entity_names_name", "entity_names")
    op.drop_table("entity_names")
