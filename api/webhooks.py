"""Outbound webhook calls: which targets are allowed, how a delivery is signed and sent.

* **SSRF**: a target must be ``http``/``https`` and every address its host resolves to must be
  public — not private, loopback, link-local, multicast, reserved or unspecified — unless
  ``ARTICLE_API_WEBHOOK_ALLOW_PRIVATE=1``. It is checked when the webhook is made and again at
  each attempt, and the connection goes to the address that was checked (a name that resolves
  to a public address at the check and a private one a moment later gets no second lookup).
  Redirects are not followed.
* **Signing**: the Standard Webhooks scheme, by its reference library (``standardwebhooks``):
  headers ``webhook-id`` (stable across retries: receivers dedupe on it), ``webhook-timestamp``
  and ``webhook-signature`` (``v1,`` + base64 HMAC-SHA256 of ``id.timestamp.body`` under the
  secret ``whsec_…``).
* **Retries**: an answer outside 2xx, a timeout or a refused connection is retried with
  exponential backoff (:func:`backoff`), up to :data:`MAX_ATTEMPTS` attempts.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import secrets
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from standardwebhooks import Webhook

#: Attempts per delivery, and the backoff between them: 2 s, 4 s, 8 s, … capped at an hour.
MAX_ATTEMPTS = 8
FIRST_RETRY_SECONDS = 2.0
MAX_RETRY_SECONDS = 3600.0
#: Longest webhook URL accepted.
MAX_URL_CHARS = 2048
#: How much of a receiver's answer a delivery keeps.
EXCERPT_CHARS = 512
USER_AGENT = "article-api-webhooks/1"


class TargetRefused(ValueError):
    """The URL may not be called: its reason is safe to show the client."""


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode("ascii")


def backoff(attempt: int) -> float:
    """Seconds before attempt ``attempt + 1`` after attempt ``attempt`` failed."""
    return min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** (attempt - 1))


def check_target(url: str, *, allow_private: bool) -> tuple[str, str, int, str]:
    """``(scheme, host, port, address)`` of an allowed target; else :class:`TargetRefused`."""
    if len(url) > MAX_URL_CHARS:
        raise TargetRefused(f"The URL may have at most {MAX_URL_CHARS} characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise TargetRefused(f"Not a URL: {error}.") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused("The URL must be http:// or https:// with a host.")
    if parts.username or parts.password:
        raise TargetRefused("The URL may not carry credentials.")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise TargetRefused(f"The host {parts.hostname!r} does not resolve.") from None
    addresses = [info[4][0] for info in found]
    if not allow_private:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global or ip.is_multicast:
                raise TargetRefused(
                    f"The host {parts.hostname!r} resolves to {address}, a private, loopback "
                    "or reserved address; webhooks call public addresses only."
                )
    return parts.scheme, parts.hostname, port, addresses[0]


@dataclass(slots=True, frozen=True)
class Outcome:
    status_code: int | None
    error: str | None
    excerpt: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def sign(secret: str, message_id: str, at: dt.datetime, body: bytes) -> dict[str, str]:
    """The Standard Webhooks headers for one message."""
    signature = Webhook(secret).sign(message_id, at, body.decode("utf-8"))
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
    }


def send(
    url: str, secret: str, message_id: str, body: bytes, *, allow_private: bool, timeout: float
) -> Outcome:
    """One signed POST of ``body`` to ``url``; never raises for the receiver's failures."""
    started = time.perf_counter()

    def done(status: int | None, error: str | None, excerpt: str = "") -> Outcome:
        return Outcome(status, error, excerpt, int((time.perf_counter() - started) * 1000))

    try:
        scheme, host, port, address = check_target(url, allow_private=allow_private)
    except TargetRefused as refused:
        return done(None, f"refused: {refused}")
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {
        **sign(secret, message_id, dt.datetime.now(dt.UTC), body),
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Host": host if port in (80, 443) else f"{host}:{port}",
    }
    options = {"timeout": urllib3.Timeout(connect=timeout, read=timeout), "retries": False}
    if scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address, port, server_hostname=host, assert_hostname=host, **options
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, **options)
    try:
        response = pool.urlopen(
            "POST", path, body=body, headers=headers, redirect=False, preload_content=False
        )
        excerpt = response.read(EXCERPT_CHARS * 4, decode_content=True)
        response.release_conn()
        return done(response.status, None, excerpt.decode("utf-8", "replace")[:EXCERPT_CHARS])
    except urllib3.exceptions.HTTPError as error:
        return done(None, f"{type(error).__name__}: {error}"[:500])
    finally:
        pool.close()
