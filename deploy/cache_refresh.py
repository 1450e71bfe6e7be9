#!/usr/bin/env python3
"""Keep a shared cache (the repo's nginx) in step with the change feed: retractions included.

Version URLs are ``immutable`` for a year, so nginx keeps them without asking the API again;
latest URLs may be held for the shared-cache lifetime. This follows ``GET /v1/changes`` (long-
polling, its cursor stored in ``--state`` so a restart resumes where it stopped) and, for each
``article.updated`` or ``article.retracted``, re-fetches that article's URLs *through the cache*
with ``X-Cache-Refresh: 1``. ``deploy/nginx.conf.template`` honours that header from loopback
only (``proxy_cache_bypass``): nginx asks a node and stores the new answer — for a retraction,
the 410 — in place of the copy it held.

It refreshes the canonical forms of each URL: the article, each version (up to the event's), with
no ``include`` and with every part, and the first page of its part lists, each in every coding
(identity, gzip, br: the cache keeps a copy per coding, whatever Accept-Encoding a client
sent). A client URL with another spelling of ``include`` is another cache key; purge by prefix
(a CDN's purge API, or nginx's cache folder) when every variant must go at once.

    python3 deploy/cache_refresh.py --api http://10.0.0.11:8000 --cache http://127.0.0.1 \\
        --state /var/lib/article-api/cache-refresh.cursor [--once]

Standard library only: it runs on the nginx machine without the service installed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REFRESH_HEADER = "X-Cache-Refresh"
ALL_PARTS = "sections,bullets,quotes,entities"
PARTS = ("sections", "bullets", "quotes", "entities")
WAIT_SECONDS = 25
#: The copies deploy/nginx.conf.template keeps of an answer: one per coding the nodes send.
CODINGS = {"identity": {"Accept-Encoding": "identity"}, "gzip": {"Accept-Encoding": "gzip"}}
CODINGS["br"] = {"Accept-Encoding": "br"}


def urls_of(event: dict) -> list[str]:
    """The cached URLs an event makes stale."""
    base = f"/v1/articles/{event['article_id']}"
    urls = [base, f"{base}?include={ALL_PARTS}", f"{base}/versions"]
    urls += [f"{base}/{part}" for part in PARTS]
    for version in range(1, (event.get("version") or 0) + 1):
        urls += [f"{base}/versions/{version}", f"{base}/versions/{version}?include={ALL_PARTS}"]
    return urls


def fetch(url: str, headers: dict | None = None, timeout: float = WAIT_SECONDS + 10):
    request = urllib.request.Request(url, headers={"Accept": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def refresh(cache: str, event: dict) -> list[tuple[str, str, int]]:
    """Each stale URL asked anew in each coding the cache keeps a copy of (its key holds the
    coding, not the client's Accept-Encoding string): ``(url, coding, status)``."""
    return [
        (url, coding, fetch(cache + url, {REFRESH_HEADER: "1", **sent}, timeout=30)[0])
        for url in urls_of(event)
        for coding, sent in CODINGS.items()
    ]


def run(api: str, cache: str, state: Path, *, once: bool = False, wait: int = WAIT_SECONDS) -> int:
    """Follow the feed; returns how many events were handled (``once``: one page, no wait)."""
    handled = 0
    while True:
        cursor = state.read_text().strip() if state.exists() else ""
        url = f"{api}/v1/changes?wait={0 if once else wait}" + (
            f"&cursor={cursor}" if cursor else ""
        )
        status, body = fetch(url)
        if status != 200:
            print(f"feed answered {status}: {body[:200]!r}", file=sys.stderr)
            if once:
                return handled
            time.sleep(5)
            continue
        page = json.loads(body)
        for event in page["data"]:
            if event["type"] in ("article.updated", "article.retracted"):
                for stale, coding, answer in refresh(cache, event):
                    print(f"{event['id']} {event['type']}: {stale} ({coding}) -> {answer}")
            handled += 1
        # The cursor moves only once the page's URLs are refreshed: a crash repeats, never skips.
        state.parent.mkdir(parents=True, exist_ok=True)
        state.write_text(page["meta"]["cursor"])
        if once and not page["data"]:
            return handled


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api", required=True, help="an API node (or the cache) to read from")
    parser.add_argument("--cache", required=True, help="the cache's base URL (nginx)")
    parser.add_argument("--state", required=True, type=Path, help="file holding the cursor")
    parser.add_argument("--once", action="store_true", help="handle what is there, then exit")
    args = parser.parse_args(argv)
    run(args.api.rstrip("/"), args.cache.rstrip("/"), args.state, once=args.once)


if __name__ == "__main__":
    main()
