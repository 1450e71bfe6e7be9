"""Flat cost at scale: the corpus-wide reads at 100 articles and at 100,000, in one run.

``python -m bench scale [--large 100000] [--entities-per-article 3]``: builds two SQLite stores
(cached under ``bench/.work/``) and times, in-process (the WSGI app with its fast path, no
network, no server; the fast path's page memo off, so each page is read anew), page one and a
deep cursor of ``/v1/entities`` (all and by ``type``), of
the article list and its facets, and prints each URL's rate at both sizes and their ratio (the
issue's target: ≥ 0.9). A rate is requests per second of the process's CPU time, not of the
wall clock, so that the machine's other work does not move it.

Each store starts with 100 articles of our own, parsed and stored through ``save`` (so their
entities, facets and counters are the real ones). The large one is filled up to its size with
copies of those articles (``ArticleStore.copy_article``: the list's rows, no parser runs) and
with ``--entities-per-article`` distinct entities per article written as ``save`` would keep
them (``corpus_entities`` rows and their counters): a corpus whose number of distinct names
grows with it, which the copies alone would not give.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import time
from pathlib import Path

from werkzeug.test import EnvironBuilder

from bench.corpus import build, variant_id

WORK = Path(__file__).resolve().parent / ".work"
SMALL = 100
TYPES = ("PERSON", "ORG", "GPE")


def make_store(path: Path, n: int, per_article: int) -> str:
    """A store of ``n`` articles at ``path`` (built once, then reused)."""
    from sqlalchemy import func, insert, select

    from api.store import ArticleStore
    from api.store.tables import ENTITY_COUNTER, corpus_entities, entity_counter, totals

    url = f"sqlite:///{path}"
    marker = path.with_suffix(".json")
    wanted = {"articles": n, "entities_per_article": per_article}
    if marker.exists() and json.loads(marker.read_text()) == wanted:
        store = ArticleStore(url)
        store.create_schema()  # a store from an older schema: migrated
        store.dispose()
        return url
    for old in path.parent.glob(path.name + "*"):
        old.unlink()
    store = ArticleStore(url)
    build(store, min(n, SMALL))
    if n > SMALL:
        print(f"scale: filling {path.name} to {n:,} articles …", flush=True)
        copies = [f"scale-{i:07d}" for i in range(n - SMALL)]
        for start in range(0, len(copies), 10_000):
            store.copy_article(variant_id(start % SMALL), copies[start : start + 10_000])
        rows = [
            {
                "key": f"{TYPES[i % 3].lower()}:scale-name-{i:08d}",
                "name": f"Scale Name {i}",
                "type": TYPES[i % 3],
                "article_count": 1 + i % 7,
                "mention_count": 1 + i % 11,
            }
            for i in range((n - SMALL) * per_article)
        ]
        with store.engine.begin() as conn:
            for start in range(0, len(rows), 20_000):
                conn.execute(insert(corpus_entities), rows[start : start + 20_000])
            counted = conn.execute(
                select(corpus_entities.c.type, func.count()).group_by(corpus_entities.c.type)
            ).all()
            conn.execute(totals.delete().where(totals.c.name.like(ENTITY_COUNTER + "%")))
            names = [(ENTITY_COUNTER, sum(c for _, c in counted))]
            names += [(entity_counter(t), c) for t, c in counted if t]
            conn.execute(insert(totals), [{"name": k, "value": v} for k, v in names])
    store.dispose()
    marker.write_text(json.dumps(wanted))
    return url


def rss_mb() -> float:
    """This process's resident set size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def rate(app, url: str, seconds: float) -> float:
    """Requests answered by ``app`` for ``url`` per second of this process's CPU (user +
    system), over ``seconds`` of wall time: what a request costs, which the machine's other
    work (a test run, a second benchmark) does not move as it moves a wall-clock rate."""
    path, _, query = url.partition("?")
    base = EnvironBuilder(path=path, query_string=query).get_environ()
    status = []

    def call():
        environ = dict(base, **{"wsgi.input": io.BytesIO()})
        for _ in app(environ, lambda s, h, e=None: status.append(s)):
            pass

    call()
    if not status[-1].startswith("200"):
        raise RuntimeError(f"{url}: {status[-1]}")
    done, started, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - started < seconds:
        call()
        done += 1
    return done / (time.process_time() - cpu)


def urls(n: int) -> list[tuple[str, str]]:
    """The scenarios on a store of ``n`` articles; the list's cursor at 90 % of its ids, or
    earlier where a full page must follow it (on the small store: 20 articles after the 79th,
    not 10 after the 90th, so that both sizes read and send a page of the same length)."""
    from api.contract import DEFAULT_PAGE_SIZE
    from api.pagination import encode_cursor

    at = min(n * 9 // 10, n - DEFAULT_PAGE_SIZE - 1)
    deep = variant_id(at) if n <= SMALL else f"scale-{at - SMALL:07d}"
    entity_cursor = encode_cursor("entities", "next", "gpe:")  # a full page at either size
    return [
        ("/v1/entities", "/v1/entities"),
        ("/v1/entities?type=PERSON", "/v1/entities?type=PERSON"),
        ("/v1/entities, a cursor", f"/v1/entities?cursor={entity_cursor}"),
        ("/v1/articles", "/v1/articles"),
        (
            "/v1/articles, a cursor at 90 %",
            f"/v1/articles?cursor={encode_cursor('articles:id', 'next', deep)}",
        ),
        ("/v1/articles?facets=entity,type,tag", "/v1/articles?facets=entity,type,tag"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench scale", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--large", type=int, default=100_000, help="the large corpus (100,000)")
    parser.add_argument("--entities-per-article", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5, help="per URL and size (5)")
    parser.add_argument(
        "--distinct", type=int, default=5000, help="distinct articles read for memory (5,000)"
    )
    args = parser.parse_args(argv)
    import os

    os.environ.setdefault("ARTICLE_API_RATE_LIMIT", "off")
    from api.app import create_app
    from api.store import fast
    from api.store.fast import BudgetMemo

    fast.MEMO_BYTES = 0  # every read made anew (the readers' memo between commits: off)

    WORK.mkdir(parents=True, exist_ok=True)
    sizes = (SMALL, args.large)
    stores = {
        n: make_store(WORK / f"scale-{n}.sqlite3", n, args.entities_per_article) for n in sizes
    }
    apps = {n: create_app({"DATABASE_URL": url}) for n, url in stores.items()}
    for app in apps.values():  # every page read anew: the read's cost, not the memo's
        app.extensions["article_fastpath"].pages = BudgetMemo(budget=0)
    logging.disable(logging.INFO)  # no access lines: the rate is the app's
    rows = []
    for (name, small_url), (_, large_url) in zip(urls(SMALL), urls(args.large), strict=True):
        small = large = 0.0
        for _ in range(5):  # in turns, the best of each: the machine's noise only slows
            small = max(small, rate(apps[SMALL], small_url, args.seconds / 5))
            large = max(large, rate(apps[args.large], large_url, args.seconds / 5))
        rows.append((name, small, large))
    print(
        f"\n| scenario (in-process, per CPU second) | {SMALL:,} articles req/s | "
        f"{args.large:,} req/s | ratio |"
    )
    print("|---|---:|---:|---:|")
    for name, small, large in rows:
        print(f"| {name} | {small:,.0f} | {large:,.0f} | **{large / small:.2f}** |")
    for app in apps.values():
        app.extensions["article_store"].dispose()
    print(memory(stores[args.large], args.distinct))
    return 0


def memory(url: str, distinct: int) -> str:
    """Each worker's resident size after ``3 * distinct`` requests of distinct URLs (articles
    plain and with ``include``, compressed; list pages) to the real server (gunicorn with the
    repo's settings, the memos on) on the large store."""
    import contextlib
    import os
    import tempfile
    import urllib.request

    from bench.processes import free_port, gunicorn
    from bench.run import SERVER_ENV, worker_rss

    env = os.environ | SERVER_ENV | {"DATABASE_URL": url, "PYTHONPATH": str(WORK.parent.parent)}
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        port = free_port()
        server = stack.enter_context(gunicorn("api.wsgi:app", port, env, tmp / "app.log"))
        before = worker_rss(server.pid)
        for i in range(distinct):
            article = f"/v1/articles/{variant_id(i) if i < SMALL else f'scale-{i:07d}'}"
            for path, coding in (
                (article, "br"),
                (f"{article}?include=sections,quotes", "gzip, br"),
                (f"/v1/articles?page={1 + i % 500}&page_size={1 + i % 100}", "br"),
            ):
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}{path}", headers={"Accept-Encoding": coding}
                )
                with urllib.request.urlopen(request, timeout=10) as response:
                    response.read()
        after = worker_rss(server.pid)
    return (
        f"memory: {3 * distinct:,} requests of distinct URLs to gunicorn on the large store "
        f"(articles plain and with include, compressed; list pages): RSS per worker "
        f"{', '.join(f'{mb:.1f}' for mb in before)} MB at start, "
        f"{', '.join(f'{mb:.1f}' for mb in after)} MB after"
    )
