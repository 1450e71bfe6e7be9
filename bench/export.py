"""Bulk export: NDJSON (and CSV) of 100,000 articles from the real server, and its memory.

    .venv/bin/python -m bench export                   # 100,000 articles on a temporary SQLite
    .venv/bin/python -m bench export --articles 20000 --database-url postgresql+psycopg://…

Stores one article of our own (parsed once, layout only) and 99,999 copies of it under new
ids (``ArticleStore.copy_article``: the article list's rows, no parser runs), starts the API
under the repo's ``gunicorn.conf.py`` with one worker, and reads ``GET /v1/articles`` with
``Accept: application/x-ndjson``, then ``text/csv``, line by line over loopback. Meanwhile the
worker's RSS is sampled every 50 ms; it prints items/s, MB/s, time to the first line, and the
RSS before the request, at 10 %, 50 % and 100 % of the items, and its peak: a server that
buffered the export would grow by the body's size (~55 MB for NDJSON).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

from api.parser import parse_bytes
from api.representation import Representation
from api.store import ArticleStore
from bench.processes import answering, free_port, gunicorn

#: The article every copy is made of (ours: a few paragraphs, a list, a heading).
TEMPLATE = b"""# Export bench article

The harbour authority agreed on Tuesday to extend the ferry timetable through the winter,
after a season in which passenger numbers rose by a fifth.

## What changes

* two more crossings on weekdays
* a late boat on Fridays and Saturdays
* step-free boarding at both piers

The new timetable starts next month. Tickets bought before then remain valid.
"""
SERVER_ENV = {
    "WEB_CONCURRENCY": "1",
    "ARTICLE_API_RATE_LIMIT": "off",
    "ARTICLE_API_LOG_FORMAT": "text",
    "ARTICLE_API_COMPRESS": "on",
}
SAMPLE_SECONDS = 0.05


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench export", description=__doc__)
    parser.add_argument("--articles", type=int, default=100_000, help="how many (100,000)")
    parser.add_argument("--database-url", metavar="URL", help="a store to fill (rows are kept)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="article-api-export-") as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'export.sqlite3'}"
        started = time.perf_counter()
        made = fill(url, args.articles)
        took = time.perf_counter() - started
        print(f"store: {url.split(':', 1)[0]}, {made:,} articles in {took:.1f} s")
        port = free_port()
        env = os.environ | SERVER_ENV | {"DATABASE_URL": url}
        with gunicorn(
            "api.wsgi:app",
            port,
            env,
            Path(tmp) / "server.log",
            ready=answering(f"http://127.0.0.1:{port}/healthz"),
        ) as server:
            worker = _worker(server.pid)
            for accept in ("application/x-ndjson", "text/csv"):
                report(accept, measure(port, worker, accept, made))
    return 0


def fill(url: str, n: int) -> int:
    """One stored article and ``n - 1`` copies; a store that already holds them is kept."""
    store = ArticleStore(url)
    try:
        store.create_schema()
        if store.stats().articles >= n:
            return store.stats().articles
        representation = Representation(parse_bytes(TEMPLATE, file_name="export-bench.txt"))
        document = representation.document
        store.save(
            document.id,
            representation.output_hash,
            representation.render,
            source=representation.source,
        )
        store.copy_article(document.id, [f"export-{i:06d}" for i in range(n - 1)])
        return store.stats().articles
    finally:
        store.dispose()


def measure(port: int, worker: int, accept: str, expected: int) -> dict:
    samples: list[tuple[float, int]] = []
    done = threading.Event()

    def sample():
        while not done.is_set():
            samples.append((time.perf_counter(), rss_kib(worker)))
            time.sleep(SAMPLE_SECONDS)

    before = rss_kib(worker)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    conn.request("GET", "/v1/articles", headers={"Accept": accept})
    response = conn.getresponse()
    assert response.status == 200, response.read()[:500]
    lines = size = 0
    first = None
    marks = {}
    header = accept == "text/csv"
    for line in response:
        if first is None:
            first = time.perf_counter() - started
        lines += 1
        size += len(line)
        for share in (0.1, 0.5):
            if share not in marks and lines >= expected * share:
                marks[share] = rss_kib(worker)
    elapsed = time.perf_counter() - started
    marks[1.0] = rss_kib(worker)
    done.set()
    sampler.join()
    conn.close()
    items = lines - (1 if header else 0)
    assert items >= expected, (items, expected)  # CSV: a summary with a line break adds lines
    return {
        "items": expected,
        "bytes": size,
        "seconds": elapsed,
        "first_line_ms": (first or 0) * 1000,
        "rss_before": before,
        "rss_marks": marks,
        "rss_peak": max(kib for _, kib in samples) if samples else marks[1.0],
    }


def report(accept: str, result: dict) -> None:
    mib = 1024
    marks = result["rss_marks"]
    print(
        f"{accept}: {result['items']:,} items, {result['bytes'] / 1e6:.1f} MB in "
        f"{result['seconds']:.2f} s = {result['items'] / result['seconds']:,.0f} items/s, "
        f"{result['bytes'] / 1e6 / result['seconds']:.1f} MB/s; first line after "
        f"{result['first_line_ms']:.1f} ms"
    )
    print(
        f"  worker RSS: before {result['rss_before'] / mib:.1f} MB, at 10 % "
        f"{marks[0.1] / mib:.1f} MB, at 50 % {marks[0.5] / mib:.1f} MB, at the end "
        f"{marks[1.0] / mib:.1f} MB, peak {result['rss_peak'] / mib:.1f} MB"
    )


def rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1))


def _worker(master: int) -> int:
    """The one worker process of the gunicorn ``master``."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


if __name__ == "__main__":
    sys.exit(main())
