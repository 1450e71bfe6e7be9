"""Integration over HTTP, in process: keys and scopes, write validation, jobs run by a worker,
retraction, the change feed, webhooks and their deliveries (on both store backends).

The same flows through the real gunicorn server and a real worker process, with the networked
queue too: ``tests/test_integration_e2e.py``.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
import time
from pathlib import Path

import orjson
import pytest
from standardwebhooks import Webhook

from api import auth, webhooks
from api.app import create_app
from api.cli import main
from api.ids import ARTICLE_ID_MAX_LENGTH
from api.queue import queue
from api.settings import Settings
from api.store import ArticleStore
from api.worker import Worker
from tests.conftest import SEED, store_article
from tests.serving import Receiver

pytestmark = pytest.mark.nlp

DOC = (
    "Harbour bridge to close for repairs\n\n"
    "The old harbour bridge will close for six weeks from Monday, the city said.\n\n"
    '"We have no choice; the cables are worn," said Priya Natarajan, the city engineer.\n'
)
EDIT = DOC + '\n"Ferries will run every ten minutes," Natarajan added.\n'


@pytest.fixture
def queue_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'queue.sqlite3'}"


@pytest.fixture
def app(db_url: str, queue_url: str):
    return create_app(
        {
            "DATABASE_URL": db_url,
            "TESTING": True,
            "QUEUE_URL": queue_url,
            "WEBHOOK_ALLOW_PRIVATE": True,
            "RATE_LIMIT": None,
        }
    )


@pytest.fixture
def worker(app, queue_url: str) -> Worker:
    settings = dataclasses.replace(
        Settings.from_env(),
        database_url=app.config["DATABASE_URL"],
        queue_url=queue_url,
        webhook_allow_private=True,
        webhook_timeout=5.0,
        job_lease_seconds=60,
    )
    return Worker(settings, app.extensions["article_store"], queue(queue_url))


def make_key(store: ArticleStore, scope: str, name: str = "newsroom") -> str:
    token = auth.new_token()
    store.create_key(token.key_id, name, scope, token.token_hash)
    return token.token


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    return body


def run_queued(worker: Worker) -> None:
    """What a worker's consumer and pump would do: every queued job, then the feed's
    deliveries."""
    store = worker.store
    with store.reading() as conn:
        from api.store.tables import jobs

        queued = [row.id for row in conn.execute(jobs.select().where(jobs.c.state == "queued"))]
    for job_id in queued:
        worker.run_job(job_id)


def follow(client, response) -> dict:
    assert response.status_code == 202, response.get_data(as_text=True)
    return response.get_json()["data"]


# -- keys and scopes ---------------------------------------------------------------------------


def test_keys_are_stored_hashed_and_shown_once(runner, db_url):
    made = runner.invoke(main, ["keys", "create", "--name", "desk", "--scope", "write"])
    assert made.exit_code == 0, made.output
    token = made.stdout.strip().splitlines()[-1]
    assert token.startswith("aak_")
    listed = runner.invoke(main, ["keys", "list"])
    assert "desk" in listed.output and token not in listed.output
    store = ArticleStore(db_url)
    with store.reading() as conn:
        rows = conn.exec_driver_sql("SELECT * FROM api_keys").all()
    assert len(rows) == 1 and token not in repr(rows)
    assert auth.token_hash(token) in repr(rows)
    key_id = token.split("_")[1]
    revoked = runner.invoke(main, ["keys", "revoke", key_id])
    assert revoked.exit_code == 0
    assert store.live_key(key_id) is None
    store.dispose()


def test_writes_need_a_write_key(client, store):
    no_key = problem(client.post("/v1/articles", data=DOC, content_type="text/plain"), 401)
    assert "write scope" in no_key["detail"]
    response = client.post("/v1/articles", data=DOC, content_type="text/plain")
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="article-api"'
    bad = client.post(
        "/v1/articles", data=DOC, content_type="text/plain", headers=bearer("aak_nope")
    )
    problem(bad, 401)
    assert 'error="invalid_token"' in bad.headers["WWW-Authenticate"]
    basic = client.post(
        "/v1/articles", data=DOC, content_type="text/plain", headers={"Authorization": "Basic x"}
    )
    problem(basic, 401)
    reader = make_key(store, "read")
    forbidden = problem(
        client.post("/v1/articles", data=DOC, content_type="text/plain", headers=bearer(reader)),
        403,
    )
    assert "read scope" in forbidden["detail"]
    writer = make_key(store, "write")
    problem(client.get("/v1/webhooks", headers=bearer(writer)), 403)
    problem(client.delete("/v1/articles/x?reason=r"), 401)  # the key is checked first


def test_a_revoked_key_is_refused_at_once(client, store):
    token = make_key(store, "write")
    assert client.get("/v1/jobs/j_0", headers=bearer(token)).status_code == 404
    assert store.revoke_key(token.split("_")[1])
    problem(client.get("/v1/jobs/j_0", headers=bearer(token)), 401)


def test_reads_can_require_a_read_key(db_url, queue_url):
    app = create_app({"DATABASE_URL": db_url, "QUEUE_URL": queue_url, "READ_KEYS_REQUIRED": True})
    client = app.test_client()
    store = app.extensions["article_store"]
    problem(client.get("/v1/articles"), 401)
    assert client.get("/healthz").status_code == 200
    assert client.get("/v1/openapi.json").status_code == 200
    reader = make_key(store, "read")
    assert client.get("/v1/articles", headers=bearer(reader)).status_code == 200
    assert client.get("/v1/changes", headers=bearer(reader)).status_code == 200
    store.dispose()


def test_tokens_never_reach_the_logs(client, store, caplog):
    token = make_key(store, "write")
    with caplog.at_level(logging.DEBUG):
        client.post("/v1/articles", data=DOC, content_type="text/plain", headers=bearer(token))
        client.get("/v1/articles", headers=bearer(token))
        client.get("/v1/articles", headers=bearer(token + "x"))
    assert caplog.records
    assert not [r for r in caplog.records if token in r.getMessage() + repr(r.__dict__)]


def test_rate_limits_count_per_key(db_url, queue_url):
    app = create_app(
        {
            "DATABASE_URL": db_url,
            "QUEUE_URL": queue_url,
            "RATE_LIMIT": "3 per minute",
            "RATE_LIMIT_STORAGE_URI": "memory://",
        }
    )
    client = app.test_client()
    token = make_key(app.extensions["article_store"], "read")
    for _ in range(3):
        assert client.get("/v1/articles").status_code == 200
    problem(client.get("/v1/articles"), 429)
    assert client.get("/v1/articles", headers=bearer(token)).status_code == 200
    app.extensions["article_store"].dispose()


# -- write validation --------------------------------------------------------------------------


def test_bad_writes_are_named_problems(app, client, store):
    token = make_key(store, "write")
    h = bearer(token)
    problem(client.post("/v1/articles", data="<p>x</p>", content_type="text/html", headers=h), 415)
    big = b"x" * (app.config["MAX_FILE_BYTES"] + 1)
    problem(client.post("/v1/articles", data=big, content_type="text/plain", headers=h), 413)
    problem(
        client.put("/v1/articles/Not_An_Id", data=DOC, content_type="text/plain", headers=h), 400
    )
    long_id = "a" * (ARTICLE_ID_MAX_LENGTH + 1)  # the form of an id, one character too long
    too_long = problem(
        client.put(f"/v1/articles/{long_id}", data=DOC, content_type="text/plain", headers=h), 400
    )
    assert too_long["detail"].startswith("article_id:")
    problem(client.post("/v1/articles", data="{", content_type="application/json", headers=h), 400)
    wrong = problem(
        client.post("/v1/articles", json={"text": DOC, "colour": "red"}, headers=h), 400
    )
    assert any(e.get("pointer") == "/colour" for e in wrong["errors"])
    problem(client.post("/v1/articles", json={"id": "x"}, headers=h), 400)
    problem(client.post("/v1/articles", json={"text": DOC, "id": "Bad Id"}, headers=h), 400)
    problem(client.put("/v1/articles/a", json={"text": DOC, "id": "b"}, headers=h), 400)
    problem(client.post("/v1/articles", data="  \n", content_type="text/plain", headers=h), 422)
    bad_key = problem(
        client.post(
            "/v1/articles",
            data=DOC,
            content_type="text/plain",
            headers={**h, "Idempotency-Key": "é" * 3},
        ),
        400,
    )
    assert "Idempotency-Key" in bad_key["detail"]


def test_an_article_owned_by_a_seed_file_is_a_409(client, store):
    store_article(store, b"Budget day\n\nThe council met.\n", "budget-day.txt")
    token = make_key(store, "write")
    conflict = problem(
        client.put(
            "/v1/articles/budget-day", data=DOC, content_type="text/plain", headers=bearer(token)
        ),
        409,
    )
    assert "file:budget-day.txt" in conflict["detail"]


def test_idempotency_key_replays_the_job_and_refuses_another_body(client, store):
    h = {**bearer(make_key(store, "write")), "Idempotency-Key": "batch-7"}
    first = client.post("/v1/articles", data=DOC, content_type="text/plain", headers=h)
    again = client.post("/v1/articles", data=DOC, content_type="text/plain", headers=h)
    assert first.status_code == again.status_code == 202
    assert first.headers["Location"] == again.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    other = problem(
        client.post("/v1/articles", data=EDIT, content_type="text/plain", headers=h), 422
    )
    assert "another body" in other["detail"]
    # Another owner's identical key is its own.
    h2 = {**bearer(make_key(store, "write", name="wire")), "Idempotency-Key": "batch-7"}
    third = client.post("/v1/articles", data=DOC, content_type="text/plain", headers=h2)
    assert third.headers["Location"] != first.headers["Location"]


def test_concurrent_posts_with_one_idempotency_key_make_one_job(app, store):
    h = {**bearer(make_key(store, "write")), "Idempotency-Key": "same"}
    locations, errors = [], []
    barrier = threading.Barrier(10)

    def post():
        client = app.test_client()
        barrier.wait()
        try:
            response = client.post("/v1/articles", data=DOC, content_type="text/plain", headers=h)
            locations.append((response.status_code, response.headers.get("Location")))
        except Exception as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=post) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert {status for status, _ in locations} == {202}
    assert len({location for _, location in locations}) == 1
    with store.reading() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM jobs").scalar_one() == 1


# -- jobs, versions, the feed -------------------------------------------------------------------


def test_a_write_goes_through_a_job_to_a_version(client, store, worker):
    h = bearer(make_key(store, "write"))
    job = follow(
        client, client.post("/v1/articles", data=DOC, content_type="text/plain", headers=h)
    )
    assert job["state"] == "queued" and job["links"]["self"].startswith("/v1/jobs/j_")
    assert client.get(job["links"]["self"], headers=h).get_json()["data"]["state"] == "queued"
    run_queued(worker)
    done = client.get(job["links"]["self"], headers=h).get_json()["data"]
    assert done["state"] == "succeeded"
    assert done["result"] == {
        "article_id": "harbour-bridge-to-close-for-repairs",
        "version": 1,
        "created": True,
    }
    article = client.get(done["links"]["article"]).get_json()["data"]
    assert article["title"] == "Harbour bridge to close for repairs"
    quotes = client.get(f"{done['links']['article']}/quotes").get_json()["data"]
    assert quotes[0]["speaker"]["name"] == "Priya Natarajan"

    # The same text again: a job that succeeds without a version.
    same = follow(
        client,
        client.put(
            "/v1/articles/harbour-bridge-to-close-for-repairs",
            data=DOC,
            content_type="text/plain",
            headers=h,
        ),
    )
    run_queued(worker)
    again = client.get(same["links"]["self"], headers=h).get_json()["data"]
    assert again["result"]["created"] is False and again["result"]["version"] == 1

    # JSON with fields: a new version.
    edited = follow(
        client,
        client.put(
            "/v1/articles/harbour-bridge-to-close-for-repairs",
            json={
                "text": EDIT,
                "published_at": "2026-12-01T08:00:00+01:00",
                "source_url": "https://news.example.org/bridge",
            },
            headers=h,
        ),
    )
    run_queued(worker)
    second = client.get(edited["links"]["self"], headers=h).get_json()["data"]
    assert second["result"] == {
        "article_id": "harbour-bridge-to-close-for-repairs",
        "version": 2,
        "created": True,
    }
    latest = client.get("/v1/articles/harbour-bridge-to-close-for-repairs").get_json()["data"]
    assert latest["version"] == 2
    assert latest["published_at"] == "2026-12-01T07:00:00Z"
    assert latest["source"]["url"] == "https://news.example.org/bridge"

    feed = client.get("/v1/changes").get_json()
    assert [(e["type"], e["version"]) for e in feed["data"]] == [
        ("article.created", 1),
        ("article.updated", 2),
    ]
    assert feed["data"][1]["links"]["version"].endswith("/versions/2")


def test_a_document_the_parser_refuses_fails_its_job_with_the_reason(client, store, worker):
    h = bearer(make_key(store, "write"))
    job = follow(
        client,
        client.put(
            "/v1/articles/broken",
            data="---\nid: [\n---\nText\n",
            content_type="text/markdown",
            headers=h,
        ),
    )
    run_queued(worker)
    failed = client.get(job["links"]["self"], headers=h).get_json()["data"]
    assert failed["state"] == "failed"
    assert failed["problem"]["status"] == 422
    assert "front matter" in failed["problem"]["detail"]
    assert client.get("/v1/articles/broken").status_code == 404


def test_jobs_are_seen_by_their_owner_only(client, store):
    mine = bearer(make_key(store, "write", name="desk"))
    theirs = bearer(make_key(store, "write", name="wire"))
    job = follow(
        client, client.post("/v1/articles", data=DOC, content_type="text/plain", headers=mine)
    )
    problem(client.get(job["links"]["self"], headers=theirs), 404)
    admin = bearer(make_key(store, "admin", name="ops"))
    assert client.get(job["links"]["self"], headers=admin).status_code == 200


def test_a_job_whose_worker_died_runs_again_and_stores_once(client, store, worker):
    h = bearer(make_key(store, "write"))
    job = follow(
        client, client.put("/v1/articles/bridge", data=DOC, content_type="text/plain", headers=h)
    )
    # A worker claims it and dies (its lease runs out at once).
    assert store.claim_job(job["id"], lease_seconds=-1) is not None
    assert store.due_jobs(stale_seconds=30) == [job["id"]]
    worker.run_job(job["id"])
    done = client.get(job["links"]["self"], headers=h).get_json()["data"]
    assert done["state"] == "succeeded" and done["attempts"] == 2
    assert store.due_jobs(stale_seconds=30) == []
    worker.run_job(job["id"])  # a duplicate from the queue changes nothing
    versions = client.get("/v1/articles/bridge/versions").get_json()
    assert versions["meta"]["pagination"]["total_items"] == 1


def test_the_feed_resumes_from_a_cursor_and_filters(client, store):
    for n in range(5):
        store_article(store, f"Story {n}\n\nText {n}.\n".encode(), f"story-{n}.txt")
    store.retract("story-1", "duplicate")
    first = client.get("/v1/changes?page_size=2").get_json()
    assert [e["seq"] for e in first["data"]] == [1, 2]
    rest = client.get(first["links"]["next"]).get_json()
    assert [e["seq"] for e in rest["data"]] == [3, 4]
    rest = client.get(f"/v1/changes?cursor={rest['meta']['cursor']}").get_json()
    assert [e["seq"] for e in rest["data"]] == [5, 6]
    tail = client.get(f"/v1/changes?cursor={first['meta']['cursor']}&type=article.retracted")
    tail = tail.get_json()
    assert [e["type"] for e in tail["data"]] == ["article.retracted"]
    assert tail["data"][0]["reason"] == "duplicate" and tail["data"][0]["links"]["version"] is None
    empty = client.get(tail["links"]["next"]).get_json()
    assert empty["data"] == [] and empty["meta"]["cursor"] == tail["meta"]["cursor"]
    only = client.get("/v1/changes?type=article.retracted").get_json()
    assert [e["article_id"] for e in only["data"]] == ["story-1"]
    one = client.get("/v1/changes?article_id=story-3").get_json()
    assert [e["seq"] for e in one["data"]] == [4]
    # A filtered walk resumes after the newest event it has passed.
    assert client.get(one["links"]["next"]).get_json()["data"] == []
    problem(client.get("/v1/changes?cursor=abc"), 400)
    problem(client.get("/v1/changes?wait=31"), 400)
    problem(client.get("/v1/changes?type=article.deleted"), 400)
    assert client.get("/v1/changes").headers["Cache-Control"] == "no-store"


def test_a_long_poll_answers_when_an_event_arrives(client, store):
    cursor = client.get("/v1/changes").get_json()["meta"]["cursor"]
    timer = threading.Timer(
        0.6, lambda: store_article(store, b"Late story\n\nText.\n", "late-story.txt")
    )
    started = time.monotonic()
    timer.start()
    response = client.get(f"/v1/changes?cursor={cursor}&wait=20").get_json()
    elapsed = time.monotonic() - started
    timer.join()
    assert [e["article_id"] for e in response["data"]] == ["late-story"]
    assert elapsed < 15
    waited = time.monotonic()
    assert client.get(f"{response['links']['next']}&wait=1").get_json()["data"] == []
    assert time.monotonic() - waited >= 0.9


def test_no_event_is_skipped_by_a_walker_during_concurrent_writes(app, store):
    """Eight writers commit while a walker follows its cursor: it sees every event once, in
    order (on PostgreSQL the feed lock keeps numbers in commit order)."""
    client = app.test_client()
    stop = threading.Event()
    seen: list[int] = []

    def walk():
        cursor = client.get("/v1/changes").get_json()["meta"]["cursor"]
        while True:
            done = stop.is_set()  # before the read: a page read after it holds the last events
            page = client.get(f"/v1/changes?cursor={cursor}").get_json()
            seen.extend(e["seq"] for e in page["data"])
            cursor = page["meta"]["cursor"]
            if done and not page["data"]:
                return

    def write(n: int):
        for k in range(6):
            store_article(store, f"Wire {n} {k}\n\nUpdate {k}.\n".encode(), f"wire-{n}.txt")

    walker = threading.Thread(target=walk)
    walker.start()
    writers = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    walker.join(timeout=60)
    with store.reading() as conn:
        every = [row[0] for row in conn.exec_driver_sql("SELECT seq FROM changes ORDER BY seq")]
    assert len(every) == 48
    assert seen == every


# -- retraction --------------------------------------------------------------------------------


def test_a_retracted_article_is_gone_everywhere(client, store):
    store_article(store, SEED.read_bytes(), SEED.name, with_language=True)
    store_article(store, b"Other story\n\nText.\n", "other.txt")
    article_id = "000-8cbe90a26df69869"
    before = client.get("/v1/quotes").get_json()["meta"]["pagination"]["total_items"]
    assert before > 0
    admin = bearer(make_key(store, "admin", name="ops"))
    assert (
        client.delete(
            f"/v1/articles/{article_id}?reason=legal%20request", headers=admin
        ).status_code
        == 204
    )
    gone = problem(client.get(f"/v1/articles/{article_id}"), 410)
    assert gone["reason"] == "legal request" and gone["retracted_at"].endswith("Z")
    assert client.get(f"/v1/articles/{article_id}").headers["Cache-Control"] == "public, max-age=60"
    for url in (
        f"/v1/articles/{article_id}/versions/1",
        f"/v1/articles/{article_id}/versions",
        f"/v1/articles/{article_id}/quotes",
        f"/v1/articles/{article_id}/entities",
        f"/v1/articles/{article_id}/sections",
    ):
        problem(client.get(url), 410)
    listed = client.get("/v1/articles").get_json()
    assert [a["id"] for a in listed["data"]] == ["other"]
    assert listed["meta"]["pagination"]["total_items"] == 1
    assert client.get("/v1/quotes").get_json()["meta"]["pagination"]["total_items"] == 0
    assert client.get("/v1/entities").get_json()["data"] == []
    assert client.get("/v1/articles?q=trump").get_json()["data"] == []
    assert client.get("/v1/quotes?q=trump").get_json()["data"] == []
    assert client.get("/v1/entities/person:donald-trump").status_code == 404
    # Retracting again changes nothing; another writer may not.
    assert (
        client.delete(f"/v1/articles/{article_id}?reason=again", headers=admin).status_code == 204
    )
    assert problem(client.get(f"/v1/articles/{article_id}"), 410)["reason"] == "legal request"
    writer = bearer(make_key(store, "write", name="desk"))
    problem(client.delete("/v1/articles/other?reason=x", headers=writer), 403)
    problem(client.delete("/v1/articles/nope?reason=x", headers=writer), 404)
    problem(client.delete("/v1/articles/other", headers=writer), 400)
    events = client.get("/v1/changes?type=article.retracted").get_json()["data"]
    assert [(e["article_id"], e["reason"]) for e in events] == [(article_id, "legal request")]
    assert store.integrity_errors() == []


def test_a_put_restores_a_retracted_article(client, store, worker):
    h = bearer(make_key(store, "write"))
    follow(
        client, client.put("/v1/articles/bridge", data=DOC, content_type="text/plain", headers=h)
    )
    run_queued(worker)
    assert client.delete("/v1/articles/bridge?reason=error", headers=h).status_code == 204
    problem(client.get("/v1/articles/bridge"), 410)
    follow(
        client, client.put("/v1/articles/bridge", data=DOC, content_type="text/plain", headers=h)
    )
    run_queued(worker)
    restored = client.get("/v1/articles/bridge").get_json()["data"]
    assert restored["version"] == 2
    assert client.get("/v1/articles").get_json()["meta"]["pagination"]["total_items"] == 1
    types = [e["type"] for e in client.get("/v1/changes").get_json()["data"]]
    assert types == ["article.created", "article.retracted", "article.updated"]


def test_ingest_lists_orphans_and_prunes_them(runner, tmp_path, db_url):
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "keep.txt").write_text("Keep this\n\nIt stays.\n")
    (folder / "drop.txt").write_text("Drop this\n\nIt goes.\n")
    assert runner.invoke(main, ["ingest", str(folder)]).exit_code == 0
    (folder / "drop.txt").unlink()
    listed = runner.invoke(main, ["ingest", str(folder)])
    assert listed.exit_code == 0
    assert "drop.txt: gone from" in listed.output and "orphaned" in listed.output
    store = ArticleStore(db_url)
    assert store.latest_article("drop") is not None
    pruned = runner.invoke(main, ["ingest", str(folder), "--prune"])
    assert "retracted drop" in pruned.output
    assert store.latest_article("drop") is None
    with store.reading() as conn:
        assert store.retraction(conn, "drop")[1] == "seed file drop.txt removed"
    # The file back: ingest skips it, saying it is retracted.
    (folder / "drop.txt").write_text("Drop this\n\nIt goes.\n")
    back = runner.invoke(main, ["ingest", str(folder)])
    assert back.exit_code == 0
    assert "drop.txt: skipped: drop was retracted" in back.output
    assert "1 retracted (skipped)" in back.output
    retracted = runner.invoke(main, ["retract", "keep", "--reason", "by hand"])
    assert retracted.exit_code == 0 and "retracted keep" in retracted.output
    assert runner.invoke(main, ["retract", "nope", "--reason", "x"]).exit_code == 1
    store.dispose()


# -- webhooks ----------------------------------------------------------------------------------


@pytest.fixture
def receiver():
    made = []

    def make(failures: int = 0) -> Receiver:
        made.append(Receiver(failures))
        return made[-1]

    yield make
    for r in made:
        r.close()


def deliver_all(worker: Worker, rounds: int = 6) -> None:
    """The pump and the deliveries it queues, run here (backoff skipped by moving time)."""
    store = worker.store
    for _ in range(rounds):
        for delivery_id in store.dispatch_events():
            worker.deliver(delivery_id)
        with store.writing() as conn:  # every pending retry due now
            from api.store.tables import deliveries

            conn.execute(
                deliveries.update()
                .where(deliveries.c.state == "pending")
                .values(next_attempt_at="0000")
            )
        for delivery_id in store.due_deliveries():
            worker.deliver(delivery_id)


def test_webhooks_are_admin_only_and_refuse_private_targets(db_url, queue_url, receiver):
    app = create_app({"DATABASE_URL": db_url, "QUEUE_URL": queue_url})
    client = app.test_client()
    store = app.extensions["article_store"]
    admin = bearer(make_key(store, "admin"))
    for url in (
        receiver().url,
        "http://localhost:9/x",
        "http://10.0.0.8/x",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/x",
        "http://0.0.0.0/x",
    ):
        refused = problem(
            client.post(
                "/v1/webhooks", json={"url": url, "events": ["article.updated"]}, headers=admin
            ),
            422,
        )
        assert "private" in refused["detail"] or "public" in refused["detail"], url
    for url in ("ftp://example.org/x", "http://user:pw@203.0.113.9/x", "not a url"):
        problem(
            client.post(
                "/v1/webhooks", json={"url": url, "events": ["article.updated"]}, headers=admin
            ),
            422,
        )
    problem(
        client.post(
            "/v1/webhooks",
            json={"url": "https://203.0.113.9/x", "events": ["article.deleted"]},
            headers=admin,
        ),
        400,
    )
    store.dispose()


def test_check_target_takes_public_addresses():
    assert webhooks.check_target("https://8.8.8.8:8443/in", allow_private=False) == (
        "https",
        "8.8.8.8",
        8443,
        "8.8.8.8",
    )
    with pytest.raises(webhooks.TargetRefused):  # documentation space is not public either
        webhooks.check_target("https://203.0.113.9/in", allow_private=False)
    with pytest.raises(webhooks.TargetRefused):
        webhooks.check_target("http://127.0.0.1/in", allow_private=False)
    assert webhooks.check_target("http://127.0.0.1/in", allow_private=True)[3] == "127.0.0.1"
    assert [webhooks.backoff(n) for n in (1, 2, 3)] == [2.0, 4.0, 8.0]
    assert webhooks.backoff(40) == webhooks.MAX_RETRY_SECONDS


def test_a_webhook_gets_each_event_signed_and_retried(client, store, worker, receiver):
    hook_receiver = receiver(failures=2)
    admin = bearer(make_key(store, "admin", name="ops"))
    made = client.post(
        "/v1/webhooks",
        json={"url": hook_receiver.url, "events": ["article.updated", "article.retracted"]},
        headers=admin,
    )
    assert made.status_code == 201 and made.headers["Location"].startswith("/v1/webhooks/wh_")
    hook = made.get_json()["data"]
    assert hook["secret"].startswith("whsec_")
    shown = client.get(hook["links"]["self"], headers=admin).get_json()["data"]
    assert "secret" not in shown
    assert [w["id"] for w in client.get("/v1/webhooks", headers=admin).get_json()["data"]] == [
        hook["id"]
    ]

    writer = bearer(make_key(store, "write", name="desk"))
    follow(
        client,
        client.put("/v1/articles/bridge", data=DOC, content_type="text/plain", headers=writer),
    )
    run_queued(worker)
    follow(
        client,
        client.put("/v1/articles/bridge", data=EDIT, content_type="text/plain", headers=writer),
    )
    run_queued(worker)
    deliver_all(worker)

    # article.created is not subscribed; article.updated came on the third attempt.
    assert len(hook_receiver.calls) == 3
    ids = {headers["webhook-id"] for headers, _ in hook_receiver.calls}
    assert len(ids) == 1
    headers, body = hook_receiver.calls[-1]
    event = Webhook(hook["secret"]).verify(body, headers)
    assert event["type"] == "article.updated"
    assert event["data"]["version"] == 2 and event["data"]["id"] == headers["webhook-id"]
    with pytest.raises(Exception, match="signature"):
        Webhook("whsec_" + "A" * 32).verify(body, headers)

    deliveries = client.get(hook["links"]["deliveries"], headers=admin).get_json()["data"]
    assert len(deliveries) == 1
    assert deliveries[0]["state"] == "succeeded"
    assert [a["status_code"] for a in deliveries[0]["attempts"]] == [503, 503, 204]
    assert deliveries[0]["event"]["type"] == "article.updated"

    assert client.delete(hook["links"]["self"], headers=admin).status_code == 204
    problem(client.get(hook["links"]["self"], headers=admin), 404)


def test_a_delivery_is_given_up_after_the_last_attempt(client, store, worker, receiver):
    always = receiver(failures=100)
    admin = bearer(make_key(store, "admin"))
    hook = client.post(
        "/v1/webhooks", json={"url": always.url, "events": ["article.created"]}, headers=admin
    ).get_json()["data"]
    store_article(store, b"Story\n\nText.\n", "story.txt")
    deliver_all(worker, rounds=webhooks.MAX_ATTEMPTS + 2)
    assert len(always.calls) == webhooks.MAX_ATTEMPTS
    (delivery,) = client.get(hook["links"]["deliveries"], headers=admin).get_json()["data"]
    assert delivery["state"] == "failed" and delivery["next_attempt_at"] is None
    assert json.loads(always.calls[0][1])["type"] == "article.created"


def test_the_spec_declares_the_security_scheme_per_operation(app):
    spec = app.extensions["article_api"].spec.to_dict()
    schemes = spec["components"]["securitySchemes"]
    assert {schemes[n]["scheme"] for n in ("ReadKey", "WriteKey", "AdminKey")} == {"bearer"}
    paths = spec["paths"]
    assert paths["/v1/articles"]["post"]["security"] == [{"WriteKey": []}]
    assert paths["/v1/articles/{article_id}"]["delete"]["security"] == [{"WriteKey": []}]
    assert paths["/v1/webhooks"]["post"]["security"] == [{"AdminKey": []}]
    assert paths["/v1/jobs/{job_id}"]["get"]["security"] == [{"WriteKey": []}]
    assert paths["/v1/articles"]["get"]["security"] == [{}, {"ReadKey": []}]
    body = paths["/v1/articles"]["post"]["requestBody"]["content"]
    assert set(body) == {"text/plain", "text/markdown", "application/json"}
    assert orjson.dumps(paths["/v1/articles"]["post"]["responses"]["202"])


def test_an_attempt_taken_over_cannot_record_its_outcome(client, store, worker):
    from api.store.jobs import JobLost

    h = bearer(make_key(store, "write"))
    job = follow(
        client, client.put("/v1/articles/bridge", data=DOC, content_type="text/plain", headers=h)
    )
    first = store.claim_job(job["id"], lease_seconds=-1)  # its worker stalls past its lease
    second = store.claim_job(job["id"], lease_seconds=60)  # another takes the job over
    assert (first.attempts, second.attempts) == (1, 2)
    assert not store.renew_job(job["id"], 1, 60)
    with pytest.raises(JobLost), store.writing() as conn:
        store.succeed_job(conn, job["id"], 1, "bridge", 1, True)
    assert store.renew_job(job["id"], 2, 60)


def test_a_json_write_carries_editorial_metadata(client, store, worker):
    """``authors``, ``tags``, ``section``, ``image`` of a JSON write are the article's, and its
    filters and facets see them."""
    h = bearer(make_key(store, "write"))
    body = {
        "text": "Tram line approved\n\nThe council approved the tram line on Monday.",
        "id": "tram-line",
        "published_at": "2026-11-30T10:00:00+00:00",
        "authors": ["Ann Lee"],
        "tags": ["Transport", "council"],
        "section": "City",
        "image": "https://news.example.com/img/tram.jpg",
    }
    follow(client, client.post("/v1/articles", json=body, headers=h))
    run_queued(worker)
    article = client.get("/v1/articles/tram-line").get_json()["data"]
    assert (article["authors"], article["tags"], article["section"]) == (
        ["Ann Lee"],
        ["Transport", "council"],
        "City",
    )
    assert article["image"] == body["image"]
    assert article["published_at"] == "2026-11-30T10:00:00Z"
    listed = client.get("/v1/articles?tag=transport&author=ann-lee&facets=section").get_json()
    assert [a["id"] for a in listed["data"]] == ["tram-line"]
    assert listed["meta"]["facets"]["section"] == [{"value": "city", "label": "City", "count": 1}]
    bad = client.post("/v1/articles", json={**body, "tags": ["x"] * 30}, headers=h)
    assert problem(bad, 400)["errors"][0]["pointer"].startswith("/tags")
