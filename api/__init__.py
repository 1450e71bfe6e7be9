"""article-api: parsed news articles as versioned JSON resources over HTTP.

Importing this package loads nothing else: the parser (:mod:`api.parser`) works without Flask
or SQL, and :mod:`api.settings` is read by the gunicorn master and the CLI before either is
needed. ``create_app`` lives in :mod:`api.app`; ``from api import create_app`` still works and
imports it only when asked for. docs/ARCHITECTURE.md maps every module.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
