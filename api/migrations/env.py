"""Alembic's environment: always online, on the connection ``api.migrations`` passes in."""

from alembic import context

from api.store import include_name, metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through `article-api db upgrade` (api.migrations.upgrade).")
context.configure(
    connection=connection,
    target_metadata=metadata,
    include_name=include_name,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
