"""Integration over HTTP: API keys, write jobs, the change feed, webhooks, retraction.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

* ``articles.retracted_at`` / ``retraction_reason``: a retracted article answers 410 and leaves
  every list and aggregate (its rows stay, for the record and for a restore).
* ``api_keys``: a key's name, scope and the SHA-256 of its token (never the token).
* ``jobs``: a write waiting for, or done by, a worker: the document, who sent it, the
  ``Idempotency-Key``, the state, the lease of the worker running it, the result or problem.
* ``changes``: the change feed, one row per event, in commit order (``seq``).
* ``webhooks``, ``deliveries`` (one per webhook and event), ``delivery_attempts``.
* ``feed_cursors``: where a consumer inside the service (the webhook dispatcher) has read to.

Frozen as written: it uses no code of ``api``.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def key(length: int):
    """Text keys order by code point on every backend (PostgreSQL: collation ``C``)."""
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def upgrade() -> None:
    bind = op.get_bind()
    if "changes" in sa.inspect(bind).get_table_names():
        return
    op.add_column("articles", sa.Column("retracted_at", sa.String(40)))
    op.add_column("articles", sa.Column("retraction_reason", sa.String(500)))
    op.create_table(
        "api_keys",
        sa.Column("id", key(32), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("scope", sa.String(8), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("revoked_at", sa.String(40)),
        sa.Index("ix_api_keys_token_hash", "token_hash", unique=True),
    )
    op.create_table(
        "jobs",
        sa.Column("id", key(40), primary_key=True),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("created_at", key(40), nullable=False),
        sa.Column("started_at", sa.String(40)),
        sa.Column("finished_at", sa.String(40)),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("lease_until", key(40)),
        sa.Column("owner", sa.String(100), nullable=False),
        sa.Column("idempotency_key", sa.String(255)),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("method", sa.String(8), nullable=False),
        sa.Column("article_id", key(128)),
        sa.Column("media_type", sa.String(40), nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.Column("fields_json", sa.LargeBinary, nullable=False),
        sa.Column("result_article_id", key(128)),
        sa.Column("result_version", sa.Integer),
        sa.Column("result_created", sa.Boolean),
        sa.Column("problem_json", sa.LargeBinary),
        sa.Index("ix_jobs_idempotency", "owner", "idempotency_key", unique=True),
        sa.Index("ix_jobs_state", "state", "lease_until"),
    )
    op.create_table(
        "changes",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("article_id", key(128), nullable=False),
        sa.Column("version", sa.Integer),
        sa.Column("at", key(40), nullable=False),
        sa.Column("reason", sa.String(500)),
        sa.Index("ix_changes_at", "at", "seq"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "webhooks",
        sa.Column("id", key(40), primary_key=True),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("events", sa.String(400), nullable=False),
        sa.Column("secret", sa.String(100), nullable=False),
        sa.Column("owner", sa.String(100), nullable=False),
        sa.Column("created_at", key(40), nullable=False),
        sa.Column("after_seq", sa.Integer, nullable=False),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("webhook_id", key(40), nullable=False),
        sa.Column("change_seq", sa.Integer, nullable=False),
        sa.Column("message_id", sa.String(64), nullable=False),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("next_attempt_at", key(40), nullable=False),
        sa.Column("lease_until", key(40)),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("finished_at", sa.String(40)),
        sa.Index("ix_deliveries_event", "webhook_id", "change_seq", unique=True),
        sa.Index("ix_deliveries_due", "state", "next_attempt_at"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "delivery_attempts",
        sa.Column("delivery_id", sa.Integer, nullable=False),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("status_code", sa.Integer),
        sa.Column("error", sa.String(500)),
        sa.Column("response_excerpt", sa.String(1024)),
        sa.Column("duration_ms", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("delivery_id", "attempt"),
    )
    op.create_table(
        "feed_cursors",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
    )
    op.execute("INSERT INTO feed_cursors (name, seq) VALUES ('webhooks', 0)")


def downgrade() -> None:
    for table in (
        "feed_cursors",
        "delivery_attempts",
        "deliveries",
        "webhooks",
        "changes",
        "jobs",
        "api_keys",
    ):
        op.drop_table(table)
    op.execute("ALTER TABLE articles DROP COLUMN retraction_reason")
    op.execute("ALTER TABLE articles DROP COLUMN retracted_at")
