"""API keys: a name, a scope and the SHA-256 of the token. The token itself is never stored."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from .tables import api_keys, utc_now


@dataclass(slots=True, frozen=True)
class ApiKey:
    id: str
    name: str
    scope: str
    created_at: str
    revoked_at: str | None


def _key(row) -> ApiKey:
    return ApiKey(row.id, row.name, row.scope, row.created_at, row.revoked_at)


def create(conn: Connection, key_id: str, name: str, scope: str, token_hash: str) -> ApiKey:
    now = utc_now()
    conn.execute(
        api_keys.insert().values(
            id=key_id, name=name, scope=scope, token_hash=token_hash, created_at=now
        )
    )
    return ApiKey(key_id, name, scope, now, None)


def live_key(conn: Connection, key_id: str) -> tuple[ApiKey, str] | None:
    """A live key and its stored token hash (the caller compares in constant time)."""
    row = conn.execute(
        select(api_keys).where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
    ).first()
    return None if row is None else (_key(row), row.token_hash)


def listing(conn: Connection) -> list[ApiKey]:
    return [_key(row) for row in conn.execute(select(api_keys).order_by(api_keys.c.created_at))]


def revoke(conn: Connection, key_id: str) -> bool:
    """Revoke a key; False if no live key has that id."""
    result = conn.execute(
        api_keys.update()
        .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
        .values(revoked_at=utc_now())
    )
    return result.rowcount == 1
