"""Soak: minutes of mixed API load while ingests keep storing new versions.

    .venv/bin/python bench/soak.py --minutes 5        # the real soak
    .venv/bin/python bench/soak.py --seconds 20       # CI's short mode

Starts the real server (gunicorn with gunicorn.conf.py, rate limit off) on a temporary store
holding the seed and the test articles, drives it from client threads over loopback with a mix
of list, article, part, cross-corpus and 304 revalidation requests, and meanwhile re-ingests an
article every few seconds so new versions land under load. Prints requests served, errors (any
5xx, connection failure or wrong body; must be 0), p50/p99 latency and each worker's memory at
start and end. Exits 1 when there was any error.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.ingest import ingest_files, seed_files  # noqa: E402
from api.store import ArticleStore  # noqa: E402
from bench.processes import answering, free_port, gunicorn  # noqa: E402

SEED_ID = "000-8cbe90a26df69869"
PATHS = [
    "/v1/articles?page_size=20",
    "/v1/articles?page=1&page_size=5",
    f"/v1/articles/{SEED_ID}",
    f"/v1/articles/{SEED_ID}?include=sections,bullets,quotes,entities",
    f"/v1/articles/{SEED_ID}/sections",
    f"/v1/articles/{SEED_ID}/bullets",
    f"/v1/articles/{SEED_ID}/quotes?kind=speech",
    f"/v1/articles/{SEED_ID}/entities?type=PERSON",
    "/v1/articles/soak-story?include=sections",
    "/v1/quotes?page_size=10",
    "/v1/entities?page_size=10",
    "/v1/entities/person:donald-trump",
]


def worker_rss_mb(master_pid: int) -> dict[int, float]:
    """RSS of each gunicorn worker (children of the master), from /proc."""
    sizes = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master_pid):
            sizes[int(entry.name)] = int(fields["VmRSS"].split()[0]) / 1024
    return sizes


def story(revision: int) -> str:
    return (
        "Soak test story\n\n"
        f"This is revision {revision} of the soak story, written while the API is under load.\n\n"
        '"We keep going," said Ana Ruiz, who runs the test.\n'
    )


def run(seconds: float, threads: int) -> int:
    work = Path(tempfile.mkdtemp(prefix="article-api-soak-"))
    try:
        seeds = work / "seeds"
        seeds.mkdir()
        shutil.copy(ROOT / "seeds" / "000_8cbe90a26df69869.txt", seeds)
        for path in (ROOT / "tests" / "articles").glob("*.*"):
            shutil.copy(path, seeds)
        (seeds / "soak-story.txt").write_text(story(1))
        database_url = f"sqlite:///{work / 'store.sqlite3'}"
        store = ArticleStore(database_url)
        store.create_schema()
        list(ingest_files(store, seed_files(seeds), seeds, max_bytes=2_000_000))

        latencies: list[float] = []
        errors: list[str] = []
        ingests = 0
        stop = threading.Event()
        lock = threading.Lock()
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = os.environ | {
            "DATABASE_URL": database_url,
            "WEB_CONCURRENCY": "2",
            "ARTICLE_API_RATE_LIMIT": "off",
            "ARTICLE_API_LOG_FORMAT": "json",
        }
        log = work / f"gunicorn-{port}.log"
        ready = answering(f"{url}/healthz")
        with gunicorn("api.wsgi:app", port, env, log, ready=ready, stop_timeout=30) as server:
            time.sleep(0.5)
            rss_start = worker_rss_mb(server.pid)

            def client(seed: int) -> None:
                rng = random.Random(seed)
                etags: dict[str, str] = {}
                while not stop.is_set():
                    path = rng.choice(PATHS)
                    headers = {}
                    if path in etags and rng.random() < 0.3:
                        headers["If-None-Match"] = etags[path]
                    request = urllib.request.Request(url + path, headers=headers)
                    started = time.perf_counter()
                    try:
                        with urllib.request.urlopen(request, timeout=10) as response:
                            response.read()
                            etags[path] = response.headers.get("ETag", "")
                            status = response.status
                    except urllib.error.HTTPError as error:
                        status = error.code
                    except OSError as error:
                        with lock:
                            errors.append(f"{path}: {error!r}")
                        continue
                    elapsed = time.perf_counter() - started
                    with lock:
                        latencies.append(elapsed)
                        if status not in (200, 304):
                            errors.append(f"{path}: HTTP {status}")

            pool = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
            for thread in pool:
                thread.start()
            deadline = time.monotonic() + seconds
            revision = 1
            while time.monotonic() < deadline:
                time.sleep(min(2.0, max(0.0, deadline - time.monotonic())))
                revision += 1
                (seeds / "soak-story.txt").write_text(story(revision))
                results = list(ingest_files(store, seed_files(seeds), seeds, max_bytes=2_000_000))
                if any(r.status == "failed" for r in results):
                    errors.append(f"ingest failed: {[r.line() for r in results]}")
                ingests += 1
            stop.set()
            for thread in pool:
                thread.join()
            rss_end = worker_rss_mb(server.pid)
        store.dispose()

        served = len(latencies)
        ordered = sorted(latencies) or [0.0]
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        print(f"duration:        {seconds:.0f} s, {threads} client threads")
        print(f"requests served: {served} ({served / seconds:.0f}/s)")
        print(f"ingests:         {ingests} (new versions of soak-story under load)")
        print(f"errors:          {len(errors)}")
        print(f"latency p50:     {statistics.median(ordered) * 1000:.1f} ms")
        print(f"latency p99:     {p99 * 1000:.1f} ms")
        for label, sizes in (("start", rss_start), ("end", rss_end)):
            listed = ", ".join(f"{pid}: {mb:.1f} MB" for pid, mb in sorted(sizes.items()))
            print(f"worker RSS {label:5}: {listed}")
        for error in errors[:20]:
            print(f"  error: {error}")
        return 1 if errors else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--minutes", type=float, default=None, help="how long (default 5)")
    length.add_argument("--seconds", type=float, default=None, help="how long, in seconds")
    parser.add_argument("--threads", type=int, default=8, help="client threads (default 8)")
    args = parser.parse_args()
    seconds = args.seconds if args.seconds is not None else (args.minutes or 5) * 60
    os.environ.setdefault("ARTICLE_API_LOG_FORMAT", "json")
    return run(seconds, args.threads)


if __name__ == "__main__":
    sys.exit(main())
