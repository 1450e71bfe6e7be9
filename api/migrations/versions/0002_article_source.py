"""Each article records the source that owns its id.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

``articles.source`` names the source whose documents may store versions of the article: a seed
file is ``file:<name>`` (later, the write API adds other kinds). A document from another source
claiming the id is refused unless an operator reassigns it. Existing articles are owned by the
file their latest version came from. A store that already has the column (made from the
tables before migrations existed) is adopted as it is.

Frozen as written: it uses no code of ``api``.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    columns = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("articles")}
    if "source" in columns:
        return
    # NOT NULL with a default, so SQLite adds it in place (no table rebuild under the search
    # index's foreign keys); every row gets its real value straight after.
    op.add_column(
        "articles", sa.Column("source", sa.String(300), nullable=False, server_default="")
    )
    op.execute("UPDATE articles SET source = 'file:' || source_file")


def downgrade() -> None:
    # A plain ALTER TABLE … DROP COLUMN on both backends (SQLite 3.35+): a batch rebuild would
    # drop ``articles`` under the foreign keys that point at it.
    op.execute("ALTER TABLE articles DROP COLUMN source")
