"""API keys: tokens, scopes, and the checks every request goes through.

A token is ``aak_<key id>_<secret>``: the key id is public (``keys list`` shows it), the secret is
32 random bytes. Only the SHA-256 of the whole token is stored. A slow password hash (argon2)
protects guessable passwords; a 256-bit random secret cannot be guessed, so a fast hash is as
safe and costs microseconds per request instead of tens of milliseconds. The stored hash is
compared in constant time (``hmac.compare_digest``).

Scopes nest: ``admin`` ⊃ ``write`` ⊃ ``read``. Writes need ``write`` (webhooks ``admin``); reads
are public unless ``ARTICLE_API_READ_KEYS=required``. A missing or unknown token is a 401 with
``WWW-Authenticate: Bearer``; a key without the scope a 403. Tokens are never logged: the access
log names the key id.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from flask import Flask, g, request
from flask_smorest import abort

from .contract import AUTH_REALM
from .http import store

#: Scopes, weakest first; each includes those before it.
SCOPES = ("read", "write", "admin")
TOKEN_PREFIX = "aak_"
_TOKEN = re.compile(r"^aak_([a-z0-9]{12})_[A-Za-z0-9_-]{43}$")
#: Paths that stay public even when reads need a key (probes, the spec and its docs).
PUBLIC_PATHS = ("/healthz", "/readyz", "/metrics", "/v1/openapi.json", "/docs", "/favicon.ico")


@dataclass(slots=True, frozen=True)
class NewToken:
    key_id: str
    token: str
    token_hash: str


def new_token() -> NewToken:
    key_id = secrets.token_hex(6)
    token = f"{TOKEN_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    return NewToken(key_id, token, token_hash(token))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(slots=True, frozen=True)
class Caller:
    key_id: str
    name: str
    scope: str

    def may(self, scope: str) -> bool:
        return SCOPES.index(self.scope) >= SCOPES.index(scope)

    @property
    def source(self) -> str:
        """The owner of what this key writes: its name, so a rotated key keeps its articles."""
        return f"key:{self.name}"


_ANONYMOUS = object()


def caller() -> Caller | None:
    """The request's verified key (checked once per request), or None without a token. A token
    that is malformed, unknown or revoked is a 401 at once."""
    found = g.get("caller", _ANONYMOUS)
    if found is not _ANONYMOUS:
        return found
    header = request.headers.get("Authorization")
    if header is None:
        g.caller = None
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        _unauthorized("The Authorization header must be `Bearer <token>`.", "invalid_request")
    match = _TOKEN.match(token.strip())
    stored = store().live_key(match.group(1)) if match else None
    if stored is None or not hmac.compare_digest(stored[1], token_hash(token.strip())):
        _unauthorized("The token is not a live API key.", "invalid_token")
    key = stored[0]
    g.caller = Caller(key.id, key.name, key.scope)
    return g.caller


def require(scope: str) -> Caller:
    """The caller, if its key has ``scope``: else 401 (no key) or 403 (a weaker key)."""
    found = caller()
    if found is None:
        _unauthorized(f"This needs an API key with the {scope} scope.", None)
    if not found.may(scope):
        abort(
            403,
            message=f"The key {found.key_id} has the {found.scope} scope; this needs {scope}.",
        )
    return found


def rate_key() -> str:
    """What the rate limit counts by: the key where a valid one is given, else the address."""
    found = caller() if "Authorization" in request.headers else None
    return f"key:{found.key_id}" if found else (request.remote_addr or "unknown")


def _unauthorized(detail: str, error: str | None):
    challenge = f'Bearer realm="{AUTH_REALM}"'
    if error:
        challenge += f', error="{error}"'
    abort(401, message=detail, headers={"WWW-Authenticate": challenge})


def init_app(app: Flask) -> None:
    if app.config.get("READ_KEYS_REQUIRED"):

        @app.before_request
        def _reads_need_a_key():
            if request.method == "OPTIONS" or request.path.startswith(PUBLIC_PATHS):
                return
            require("read")
