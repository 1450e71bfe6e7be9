"""Operations under the real server: progress bar, graceful shutdown, metrics across workers."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from .conftest import ROOT, SEED, SEED_ID, store_article
from .serving import gunicorn_server

pytestmark = pytest.mark.nlp


def test_ingest_shows_a_progress_bar_on_a_terminal(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for n in range(5):
        (seeds / f"s{n}.txt").write_text(f"Story {n} of the week\n\nA short body for story {n}.\n")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    main_fd, child_fd = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "ingest", str(seeds)],
        stdout=child_fd,
        stderr=child_fd,
        env=env,
        cwd=ROOT,
    )
    os.close(child_fd)
    output = b""
    while True:
        ready, _, _ = select.select([main_fd], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(main_fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    process.wait(timeout=60)
    os.close(main_fd)
    text = output.decode(errors="replace")
    assert process.returncode == 0, text
    assert "Ingesting" in text and "100%" in text
    assert "s4.txt: new version 1 of s4" in text


def seeded_database(tmp_path) -> str:
    from api.store import ArticleStore

    database_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    store = ArticleStore(database_url)
    store.create_schema()
    store_article(store, SEED.read_bytes(), SEED.name, with_language=True)
    store.dispose()
    return database_url


@pytest.fixture
def served(tmp_path):
    with gunicorn_server(seeded_database(tmp_path), tmp_path) as server:
        yield server


def test_sigterm_completes_the_requests_in_flight(tmp_path):
    database_url = seeded_database(tmp_path)
    with gunicorn_server(database_url, tmp_path, app="tests.slow_wsgi:app") as server:
        url = f"{server.url}/v1/articles/{SEED_ID}?include=sections,bullets,quotes,entities"
        expected = urllib.request.urlopen(url, timeout=10).read()
        results: list[object] = []

        def slow_request():
            request = urllib.request.Request(url, headers={"X-Test-Delay": "2"})
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    results.append((response.status, response.read()))
            except OSError as error:
                results.append(repr(error))

        threads = [threading.Thread(target=slow_request) for _ in range(6)]
        for thread in threads:
            thread.start()
        time.sleep(0.7)  # every request is now inside a worker, sleeping
        server.process.send_signal(signal.SIGTERM)
        for thread in threads:
            thread.join(timeout=30)
        server.process.wait(timeout=30)
        assert results == [(200, expected)] * 6
        assert server.process.returncode == 0
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen(url, timeout=5)


def test_metrics_add_up_across_workers(served):
    for _ in range(40):
        urllib.request.urlopen(f"{served.url}/healthz", timeout=5).read()
    text = urllib.request.urlopen(f"{served.url}/metrics", timeout=5).read().decode()
    line = next(
        line
        for line in text.splitlines()
        if line.startswith("article_api_http_requests_total") and 'route="/healthz"' in line
    )
    assert float(line.rsplit(" ", 1)[1]) >= 40


def test_server_header_names_no_version(served):
    with urllib.request.urlopen(f"{served.url}/healthz", timeout=5) as response:
        server = response.headers.get("Server", "")
    assert not any(ch.isdigit() for ch in server), server
