"""Several API nodes on one PostgreSQL store, behind nginx with the README's configuration.

Two gunicorn nodes on different ports share one database: an ingest through the CLI is served
by both at once, a cursor from one continues on the other, and nginx (``deploy/nginx.conf.
template``, the file the README quotes) balances them and caches what the API's headers allow.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import string
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import brotli
import pytest

from api import migrations
from api.contract import NDJSON
from bench.processes import answering, executable, running

from .conftest import LAYOUT_ARTICLES, ROOT, SEED, SEED_ID
from .serving import cli, free_port, gunicorn_server

TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
#: The nodes' ARTICLE_API_SHARED_CACHE_SECONDS here: latest URLs kept 1 s, stale 1 s more.
SHARED_SECONDS = 1
NGINX = executable("nginx")

pytestmark = pytest.mark.postgresql

LATE = b"""---
id: late-arrival
title: A late arrival
---
The late arrival was ingested while both nodes were serving.
"""


def get(url: str, headers: dict | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def get_json(url: str):
    status, headers, body = get(url)
    assert status == 200, (url, status, body[:500])
    return json.loads(body), headers


def render_nginx(prefix: Path, nodes: list[str], listen: str) -> Path:
    """The README's configuration, rendered, inside a minimal main file of our own (pid, logs
    and temp folders in ``prefix``)."""
    site = string.Template(TEMPLATE.read_text()).safe_substitute(
        NODE_1=nodes[0].removeprefix("http://"),
        NODE_2=nodes[1].removeprefix("http://"),
        LISTEN=listen,
        CACHE_DIR=str(prefix / "cache"),
    )
    (prefix / "article-api.conf").write_text(site)
    user = "user root root;\n" if os.geteuid() == 0 else ""
    main = f"""{user}worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/article-api.conf;
}}
"""
    conf = prefix / "nginx.conf"
    conf.write_text(main)
    return conf


@contextmanager
def nginx(prefix: Path, conf: Path, url: str) -> Iterator[subprocess.Popen]:
    """nginx on ``conf`` once ``url``/healthz answers through it; stopped gracefully at the end."""
    check = subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True)
    assert check.returncode == 0, check.stderr.decode()
    with running(
        [NGINX, "-p", str(prefix), "-c", str(conf)],
        ready=answering(f"{url}/healthz", timeout=10),
        log=None,
        failure_log=prefix / "error.log",
        timeout=15,
        stop_timeout=10,
        stop_signal=signal.SIGQUIT,  # nginx's graceful stop
    ) as process:
        yield process


def test_two_nodes_one_database_behind_nginx(pg_url, tmp_path):
    if NGINX is None:
        pytest.skip("nginx is not installed (apt-get install -y nginx)")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds)
    for path in LAYOUT_ARTICLES[:3]:
        shutil.copy(path, seeds)
    env = {**os.environ, "DATABASE_URL": pg_url, "ARTICLE_API_LOG_FORMAT": "text"}
    upgraded = cli("db", "upgrade", env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    ingested = cli("ingest", str(seeds), env=env)
    assert ingested.returncode == 0, ingested.stderr

    node_env = {
        "ARTICLE_API_TRUSTED_PROXIES": "1",
        "ARTICLE_API_RATE_LIMIT": "off",
        "ARTICLE_API_SHARED_CACHE_SECONDS": str(SHARED_SECONDS),
    }
    with (
        gunicorn_server(pg_url, tmp_path, workers=1, extra_env=node_env) as a,
        gunicorn_server(pg_url, tmp_path, workers=1, extra_env=node_env) as b,
    ):
        # Both nodes serve the same store: same bytes, same ETags (a cache may mix them).
        list_a, headers_a = get_json(f"{a.url}/v1/articles")
        list_b, headers_b = get_json(f"{b.url}/v1/articles")
        assert list_a == list_b
        assert headers_a["ETag"] == headers_b["ETag"]
        total = list_a["meta"]["pagination"]["total_items"]
        assert total == 4
        ready, _ = get_json(f"{a.url}/readyz")
        assert ready["data"]["schema_version"] == migrations.head()

        # A cursor taken from one node continues on the other.
        ids, url, nodes = [], "/v1/articles?page_size=1", [a.url, b.url]
        while url:
            page, _ = get_json(nodes[len(ids) % 2] + url)
            ids += [item["id"] for item in page["data"]]
            url = page["links"]["next"]
        assert ids == [item["id"] for item in list_a["data"]]

        # An ingest through the CLI is served by both at once, without a restart.
        (seeds / "late.txt").write_bytes(LATE)
        late = cli("ingest", str(seeds), env=env)
        assert late.returncode == 0, late.stderr
        for node in (a, b):
            article, _ = get_json(f"{node.url}/v1/articles/late-arrival")
            assert article["data"]["version"] == 1
            listing, _ = get_json(f"{node.url}/v1/articles")
            assert listing["meta"]["pagination"]["total_items"] == total + 1
            found, _ = get_json(f"{node.url}/v1/articles?q=late%20arrival")
            assert found["data"][0]["id"] == "late-arrival"

        # nginx in front, with the README's configuration.
        prefix = tmp_path / "nginx"
        (prefix / "cache").mkdir(parents=True)
        port = free_port()
        lb = f"http://127.0.0.1:{port}"
        with nginx(prefix, render_nginx(prefix, [a.url, b.url], f"127.0.0.1:{port}"), lb):
            upstreams = set()
            for _ in range(8):
                status, headers, _ = get(f"{lb}/readyz")
                assert status == 200
                assert headers["Cache-Control"] == "no-cache"
                assert "X-Cache-Status" not in headers  # health goes to a node each time
                upstreams.add(headers["X-Upstream"])
            assert upstreams == {a.url.removeprefix("http://"), b.url.removeprefix("http://")}

            # A latest URL is kept a few seconds, and revalidated from the cache.
            latest = f"{lb}/v1/articles/{SEED_ID}"
            first, second = get(latest), get(latest)
            assert first[0] == second[0] == 200
            assert f"s-maxage={SHARED_SECONDS}" in first[1]["Cache-Control"]
            assert "max-age=0" in first[1]["Cache-Control"]  # browsers revalidate every time
            assert second[1]["X-Cache-Status"] == "HIT" and second[2] == first[2]
            cached = get(latest, {"If-None-Match": first[1]["ETag"]})
            assert cached[0] == 304 and cached[1]["X-Cache-Status"] == "HIT"
            # One copy per coding, whatever Accept-Encoding string a browser sends, shared by
            # every origin; an export (another Accept) is another copy.
            br = get(latest, {"Accept-Encoding": "gzip, deflate, br"})
            assert br[1]["Content-Encoding"] == "br" and br[1]["Access-Control-Allow-Origin"] == "*"
            for sent in ({"Accept-Encoding": "br;q=0.5, gzip"}, {"Accept-Encoding": "BR"}):
                again = get(latest, {**sent, "Origin": "https://news.example", "Accept": "*/*"})
                assert again[1]["X-Cache-Status"] == "HIT" and again[2] == br[2]
                assert again[1]["Content-Encoding"] == "br"
                assert again[1]["Access-Control-Allow-Origin"] == "*"
                assert "Origin" not in again[1]["Vary"]
            gzipped = get(latest, {"Accept-Encoding": "gzip, br;q=0"})
            assert gzipped[1]["Content-Encoding"] == "gzip"
            assert gzip.decompress(gzipped[2]) == brotli.decompress(br[2]) == first[2]
            plain = get(latest, {"Accept-Encoding": "gzip;q=0, br;q=0.0"})
            assert plain[1]["X-Cache-Status"] == "HIT" and "Content-Encoding" not in plain[1]
            listed = get(f"{lb}/v1/articles")
            exported = get(f"{lb}/v1/articles", {"Accept": NDJSON})
            assert exported[1]["Content-Type"].startswith(NDJSON)
            assert get(f"{lb}/v1/articles", {"Accept": "*/*"})[2] == listed[2]
            # With credentials, never from (or into) the shared cache.
            private = get(latest, {"Authorization": "Bearer x"})
            assert private[1]["X-Cache-Status"] == "BYPASS"

            # A new version shows through nginx within the documented bound (2 × the seconds).
            late_url = f"{lb}/v1/articles/late-arrival"
            assert json.loads(get(late_url)[2])["data"]["version"] == 1
            assert get(late_url)[1]["X-Cache-Status"] == "HIT"
            (seeds / "late.txt").write_bytes(LATE.replace(b"serving.", b"serving, twice."))
            again = cli("ingest", str(seeds), env=env)
            assert again.returncode == 0, again.stderr
            published, seen = time.monotonic(), None
            while time.monotonic() - published < 2 * SHARED_SECONDS + 5:  # + slack for a busy CI
                if json.loads(get(late_url)[2])["data"]["version"] == 2:
                    seen = time.monotonic() - published
                    break
                time.sleep(0.1)
            assert seen is not None, "version 2 never showed through nginx"

            version = f"{lb}/v1/articles/{SEED_ID}/versions/1"
            first = get(version)
            second = get(version)
            assert first[0] == second[0] == 200
            assert "immutable" in first[1]["Cache-Control"]
            assert second[1]["X-Cache-Status"] == "HIT"  # an immutable version is kept
            assert second[2] == first[2]
            cached = get(version, {"If-None-Match": first[1]["ETag"]})
            assert cached[0] == 304

            # Revalidation passes through: the node's 304 for a matching ETag.
            status, headers, _ = get(f"{lb}/v1/articles")
            again = get(f"{lb}/v1/articles", {"If-None-Match": headers["ETag"]})
            assert again[0] == 304
            # What nginx answers itself is a problem document too, with a request id.
            status, headers, body = get(f"{lb}/metrics")
            assert status == 404
            assert headers["Content-Type"] == "application/problem+json"
            problem = json.loads(body)
            assert problem["status"] == 404 and problem["request_id"] == headers["X-Request-ID"]
            status, headers, body = get(f"{lb}/v1/articles", {"X-Big": "b" * 9000})
            assert status == 400 and json.loads(body)["status"] == 400
            assert headers["Content-Type"] == "application/problem+json"


def test_readme_quotes_the_nginx_configuration_the_test_runs():
    readme = (ROOT / "README.md").read_text()
    assert TEMPLATE.read_text() in readme
