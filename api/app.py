"""The WSGI application: settings, the store, the HTTP layers and every resource's blueprint.

``create_app()`` builds it; the API reads only what ``article-api ingest`` stored and never
imports the parser or the NLP stack.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import flask_swagger_ui
from flask import Flask, send_from_directory
from flask_cors import CORS

from . import auth, compression, export, fastpath, hardening, http, observability
from .contract import EXPOSED_HEADERS, shared_revalidate
from .resources import BLUEPRINTS
from .settings import Settings
from .spec import ArticleApi
from .store import ArticleStore

API_VERSION = "1.0.0"
SWAGGER_UI_ASSETS = Path(flask_swagger_ui.__file__).parent / "dist"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` overrides settings (tests pass ``DATABASE_URL`` this way)."""
    settings = Settings.from_env()
    app = Flask(__name__, static_folder=None)
    # A path with doubled slashes is a 404, not a redirect (werkzeug would build its Location
    # from the client's Host header) nor a second URL for the same resource.
    app.url_map.merge_slashes = False
    app.config.update(
        DATABASE_URL=settings.database_url,
        CORS_ORIGINS=settings.cors_origins,
        RATE_LIMIT=settings.rate_limit,
        RATE_LIMIT_STORAGE_URI=settings.rate_limit_storage,
        TRUSTED_PROXIES=settings.trusted_proxies,
        COMPRESS_RESPONSES=settings.compress,
        LOG_FORMAT=settings.log_format,
        MAX_FILE_BYTES=settings.max_file_bytes,
        QUEUE_URL=settings.queue_url,
        READ_KEYS_REQUIRED=settings.read_keys_required,
        WEBHOOK_ALLOW_PRIVATE=settings.webhook_allow_private,
        FEED_MAX_WAIT=settings.feed_max_wait,
        FAST_PATH=settings.fast_path,
        LATEST_CACHE_CONTROL=shared_revalidate(settings.shared_cache_seconds),
        API_TITLE="article-api",
        API_VERSION=API_VERSION,
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="v1/openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="/docs/assets/",
        API_SPEC_OPTIONS={
            "info": {
                "contact": {"name": "article-api maintainers"},
                "description": "News articles parsed once into versioned JSON resources: "
                "article, sections, bullet points, quotes with speakers, entities. Every 200 "
                "body is `{data, links, meta}`; collections page by `page` or by `cursor`; "
                "every GET has a strong ETag; errors are RFC 9457 problem documents.",
            },
            "servers": [{"url": "/", "description": "This server"}],
        },
        JSON_SORT_KEYS=False,
    )
    if config:
        app.config.update(config)

    article_store = ArticleStore(app.config["DATABASE_URL"])
    article_store.create_schema()
    app.extensions["article_store"] = article_store

    # Flask runs after_request hooks in reverse order of registration: compression is
    # registered first so that it runs last, on the final body and its identity ETag.
    if app.config["COMPRESS_RESPONSES"]:
        compression.init_app(app)
    export.init_app(app)  # its Vary runs after http's hooks (X-Request-ID), before compression's
    http.init_app(app)
    hardening.init_app(app)
    auth.init_app(app)
    observability.init_app(app)
    origins = list(app.config["CORS_ORIGINS"])
    CORS(
        app,
        origins=origins,
        # ``*`` answers every origin alike, so no answer varies by Origin: a shared cache keeps
        # one copy for every site (a list of origins echoes the one that matched).
        send_wildcard=origins == ["*"],
        methods=["GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE"],
        expose_headers=list(EXPOSED_HEADERS),
        allow_headers=[
            "If-None-Match",
            "X-Request-ID",
            "Accept",
            "Authorization",
            "Content-Type",
            "Idempotency-Key",
        ],
        max_age=86400,
    )
    api = ArticleApi(app)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.extensions["article_api"] = api
    if app.config["FAST_PATH"]:
        fastpath.init_app(app)  # last: it routes through the app's finished URL map

    @app.get("/docs/assets/<path:filename>")
    def docs_asset(filename: str):
        return send_from_directory(SWAGGER_UI_ASSETS, filename, max_age=86400)

    return app
