"""A retraction reaches a cache that holds an immutable copy: deploy/cache_refresh.py follows the
change feed and refreshes the article's URLs through the repo's nginx configuration."""

from __future__ import annotations

import importlib.util
import os
import shutil

import pytest

from bench.processes import executable

from .conftest import ROOT, SEED, SEED_ID
from .serving import cli, free_port, gunicorn_server
from .test_multinode import get, nginx, render_nginx

NGINX = executable("nginx")
_spec = importlib.util.spec_from_file_location(
    "cache_refresh", ROOT / "deploy" / "cache_refresh.py"
)
cache_refresh = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cache_refresh)

pytestmark = pytest.mark.nlp


def test_a_retraction_replaces_the_cached_immutable_copy(tmp_path):
    if NGINX is None:
        pytest.skip("nginx is not installed (apt-get install -y nginx)")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds)
    database_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": database_url, "ARTICLE_API_LOG_FORMAT": "text"}
    assert cli("ingest", str(seeds), env=env).returncode == 0
    with gunicorn_server(
        database_url, tmp_path, extra_env={"ARTICLE_API_RATE_LIMIT": "off"}
    ) as node:
        prefix = tmp_path / "nginx"
        (prefix / "cache").mkdir(parents=True)
        port = free_port()
        conf = render_nginx(prefix, [node.url, node.url], f"127.0.0.1:{port}")
        front = f"http://127.0.0.1:{port}"
        with nginx(prefix, conf, front):
            version = f"{front}/v1/articles/{SEED_ID}/versions/1"
            # Cached as a client without compression and as browsers ask for it (each its
            # own Accept-Encoding string, one entry per coding).
            browsers = [{"Accept-Encoding": "gzip, deflate, br"}, {"Accept-Encoding": "br"}]
            browsers.append({"Accept-Encoding": "gzip", "Origin": "https://news.example"})
            for headers in ({}, *browsers):
                assert get(version, headers)[0] == 200
                status, seen, _ = get(version, headers)
                assert status == 200 and seen["X-Cache-Status"] == "HIT"
            retracted = cli("retract", SEED_ID, "--reason", "legal request", env=env)
            assert retracted.returncode == 0, retracted.stderr
            status, headers, _ = get(version)
            assert status == 200 and headers["X-Cache-Status"] == "HIT"  # the stale copy
            handled = cache_refresh.run(node.url, front, tmp_path / "cursor", once=True)
            assert handled == 2  # created, retracted
            status, headers, body = get(version)
            assert status == 410 and b"legal request" in body
            assert headers["X-Cache-Status"] == "HIT"  # the 410, now from the cache
            for headers in browsers:  # every coding's copy, whatever the client's string
                assert get(version, headers)[0] == 410
            assert get(f"{front}/v1/articles/{SEED_ID}")[0] == 410
            # Resumes from its cursor: nothing new, nothing redone.
            assert cache_refresh.run(node.url, front, tmp_path / "cursor", once=True) == 0
