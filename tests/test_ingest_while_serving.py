"""New versions arrive while the API is under load: no failed request, no half version."""

from __future__ import annotations

import re
import threading
import time
import urllib.error
import urllib.request

import orjson
import pytest

from api.ingest import ingest_files, seed_files
from api.store import ArticleStore

from .serving import gunicorn_server

pytestmark = pytest.mark.nlp

REVISIONS = 12


def story(revision: int) -> str:
    paragraphs = "\n\n".join(
        f"Paragraph {n} of revision {revision}: the harbour board met again today."
        for n in range(8)
    )
    return f"Harbour board story\n\nThis is revision {revision} of the story.\n\n{paragraphs}\n"


def test_ingest_while_serving(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    path = seeds / "harbour.txt"
    path.write_text(story(1))
    database_url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    store = ArticleStore(database_url)
    store.create_schema()

    def ingest():
        results = list(ingest_files(store, seed_files(seeds), seeds, max_bytes=2_000_000))
        assert [r.status for r in results] == ["created"]

    ingest()
    failures: list[str] = []
    bodies_by_etag: dict[str, bytes] = {}
    versions_seen: set[int] = set()
    count = 0
    stop = threading.Event()
    lock = threading.Lock()

    with gunicorn_server(
        database_url, tmp_path, extra_env={"ARTICLE_API_RATE_LIMIT": "off"}
    ) as server:

        def load():
            nonlocal count
            urls = [
                f"{server.url}/v1/articles/harbour?include=sections",
                f"{server.url}/v1/articles?page_size=5",
                f"{server.url}/v1/articles/harbour/sections",
            ]
            n = 0
            while not stop.is_set():
                url = urls[n % len(urls)]
                n += 1
                try:
                    with urllib.request.urlopen(url, timeout=10) as response:
                        body = response.read()
                        etag = response.headers["ETag"]
                except (urllib.error.URLError, OSError) as error:
                    with lock:
                        failures.append(f"{url}: {error}")
                    continue
                data = orjson.loads(body)["data"]
                with lock:
                    count += 1
                    if bodies_by_etag.setdefault(etag, body) != body:
                        failures.append(f"{url}: one ETag for two bodies")
                    if "include=sections" in url:
                        revision = int(re.search(r"revision (\d+)", data["text"]).group(1))
                        versions_seen.add(data["version"])
                        if revision != data["version"]:
                            failures.append(f"version {data['version']} with revision {revision}")
                        mixed = {
                            int(m)
                            for s in data["sections"]
                            for p in s["paragraphs"]
                            for m in re.findall(r"revision (\d+)", p["text"])
                        }
                        if mixed != {revision}:
                            failures.append(f"sections of revisions {mixed} in {revision}")

        threads = [threading.Thread(target=load) for _ in range(4)]
        for thread in threads:
            thread.start()
        try:
            for revision in range(2, REVISIONS + 1):
                time.sleep(0.2)
                path.write_text(story(revision))
                ingest()
            time.sleep(0.3)
        finally:
            stop.set()
            for thread in threads:
                thread.join()
    store.dispose()

    assert failures == []
    assert count > 100
    assert len(versions_seen) >= REVISIONS // 2
