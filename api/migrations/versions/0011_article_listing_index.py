"""The article list read from one index on SQLite: a covering index of its columns.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

A page of ``/v1/articles`` by id (page one or a cursor's) reads ``id``, ``retracted_at`` and
``summary_json`` of consecutive ids. Through the primary key's index each row costs a descent
of the table's B-tree, one level deeper as the corpus grows (a cursor at 100,000 articles was
0.85 of its rate at 100); ``ix_articles_listing`` holds the three, so a page is one descent
and a walk over adjacent leaves at any size. SQLite only: PostgreSQL limits an index entry to
about 2.7 kB, which a summary may exceed. Like the search extras, it is a dialect's own and not
in ``metadata`` (``api.store.tables.include_name``). Frozen as written: it uses no code of
``api``.
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

NAME = "ix_articles_listing"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # (if not there: a store adopted from before migrations may hold it already)
        op.create_index(
            NAME, "articles", ["id", "retracted_at", "summary_json"], if_not_exists=True
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index(NAME, table_name="articles", if_exists=True)
