"""Integration over HTTP end to end: the real gunicorn server, real worker processes, a webhook
receiver on loopback; on SQLite with the embedded queue, and on PostgreSQL with Redis.

One story per backend pair: keys from the command line, a POST followed to its version, an edit
on the feed and in a signed webhook delivery that a receiver failing twice still gets once
(same ``webhook-id``), 20 racing POSTs with one ``Idempotency-Key``, a worker SIGKILLed mid-job
whose job completes after a restart, and a retraction seen everywhere.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from standardwebhooks import Webhook

from tests.conftest import PG_SKIP, pg_base_url, pg_schema_url, redis_test_url
from tests.serving import Receiver, cli, gunicorn_server, worker_process

pytestmark = pytest.mark.nlp

STORY = (
    "Tram line opens to the airport\n\n"
    "The new tram line to the airport opened on Sunday after four years of work.\n\n"
    '"It is twenty minutes door to door," said Olumide Bakare, who runs the network.\n'
)
EDIT = STORY + '\n"Trams will run all night at weekends," Bakare said.\n'


def long_story(paragraphs: int) -> str:
    """A long article of our own, so that parsing it takes seconds."""
    towns = ["Ashford", "Brimley", "Carrow", "Dunmere", "Eastwick", "Fallowfield"]
    people = ["Maria Lindqvist", "Tomas Okafor", "Hana Sato", "Luis Ferreira", "Ada Nwosu"]
    lines = ["Flood defences tested across the valley", ""]
    for n in range(paragraphs):
        town, person = towns[n % len(towns)], people[n % len(people)]
        lines.append(
            f"In {town}, crews raised barrier {n} before dawn while the river rose. "
            f'"We checked every gate twice," said {person}, who led the crew in {town}. '
            f"Residents of {town} were told to keep sandbags ready until Friday."
        )
        lines.append("")
    return "\n".join(lines)


def call(
    method: str,
    url: str,
    *,
    token: str | None = None,
    body: bytes | None = None,
    content_type: str | None = None,
    headers: dict | None = None,
):
    """``(status, headers, parsed body)`` of one request."""
    sent = dict(headers or {})
    if token:
        sent["Authorization"] = f"Bearer {token}"
    if content_type:
        sent["Content-Type"] = content_type
    request = urllib.request.Request(url, data=body, method=method, headers=sent)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            raw = response.read()
            return response.status, response.headers, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        return error.code, error.headers, json.loads(raw) if raw else None


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def job_state(base: str, location: str, token: str) -> dict:
    return call("GET", base + location, token=token)[2]["data"]


def finished(base: str, location: str, token: str, timeout: float = 90) -> dict:
    return wait_for(
        lambda: (
            (job := job_state(base, location, token))["state"] in ("succeeded", "failed") and job
        ),
        timeout,
        f"job {location}",
    )


@pytest.fixture(params=["sqlite+embedded-queue", "postgresql+redis"])
def backends(request, tmp_path: Path):
    if request.param.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'store.sqlite3'}", f"sqlite:///{tmp_path / 'queue.sqlite3'}"
        return
    if pg_base_url() is None:
        pytest.skip(PG_SKIP)
    redis_url = redis_test_url()
    with pg_schema_url() as url:
        yield url, redis_url


def test_integrating_over_http_end_to_end(backends, tmp_path: Path):
    database_url, queue_url = backends
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ARTICLE_API_QUEUE_URL": queue_url,
        "ARTICLE_API_WEBHOOK_ALLOW_PRIVATE": "1",
        "ARTICLE_API_JOB_LEASE_SECONDS": "3",
        "ARTICLE_API_RATE_LIMIT": "off",
    }
    tokens = {}
    for scope in ("read", "write", "admin"):
        made = cli("keys", "create", "--name", f"{scope}-desk", "--scope", scope, env=env)
        assert made.returncode == 0, made.stderr
        tokens[scope] = made.stdout.strip()
    writer, reader, admin = tokens["write"], tokens["read"], tokens["admin"]
    extra = {k: env[k] for k in env if k.startswith("ARTICLE_API_")}
    receiver = Receiver(failures=2)
    worker_log = tmp_path / "worker-1.log"
    try:
        with gunicorn_server(database_url, tmp_path, extra_env=extra) as server:
            base = server.url
            with worker_process(database_url, worker_log, extra_env=extra) as worker:
                # No key, a read key: refused before anything is read.
                assert (
                    call(
                        "POST",
                        f"{base}/v1/articles",
                        body=STORY.encode(),
                        content_type="text/plain",
                    )[0]
                    == 401
                )
                assert (
                    call(
                        "POST",
                        f"{base}/v1/articles",
                        token=reader,
                        body=STORY.encode(),
                        content_type="text/plain",
                    )[0]
                    == 403
                )

                status, _, hook = call(
                    "POST",
                    f"{base}/v1/webhooks",
                    token=admin,
                    body=json.dumps({"url": receiver.url, "events": ["article.updated"]}).encode(),
                    content_type="application/json",
                )
                assert status == 201
                secret = hook["data"]["secret"]

                status, headers, accepted = call(
                    "POST",
                    f"{base}/v1/articles",
                    token=writer,
                    body=STORY.encode(),
                    content_type="text/plain",
                )
                assert status == 202 and headers["Location"] == accepted["data"]["links"]["self"]
                done = finished(base, headers["Location"], writer)
                assert done["state"] == "succeeded", done
                article_url = base + done["links"]["article"]
                assert call("GET", article_url)[2]["data"]["version"] == 1

                status, headers, _ = call(
                    "PUT",
                    article_url,
                    token=writer,
                    body=json.dumps({"text": EDIT}).encode(),
                    content_type="application/json",
                )
                assert status == 202
                edited = finished(base, headers["Location"], writer)
                assert edited["result"]["version"] == 2 and edited["result"]["created"]
                feed = call("GET", f"{base}/v1/changes")[2]
                assert [(e["type"], e["version"]) for e in feed["data"]] == [
                    ("article.created", 1),
                    ("article.updated", 2),
                ]

                # The receiver failed twice, then got it: one event, one webhook-id, verified.
                wait_for(lambda: len(receiver.calls) >= 3, 60, "the third delivery attempt")
                assert len({h["webhook-id"] for h, _ in receiver.calls}) == 1
                last_headers, last_body = receiver.calls[-1]
                event = Webhook(secret).verify(last_body, last_headers)
                assert event["type"] == "article.updated" and event["data"]["version"] == 2

                # 20 racing POSTs with one Idempotency-Key: one job.
                def post(_):
                    return call(
                        "POST",
                        f"{base}/v1/articles",
                        token=writer,
                        body=b"Race day\n\nTwenty writers, one story.\n",
                        content_type="text/plain",
                        headers={"Idempotency-Key": "race-2026-12-01"},
                    )

                with ThreadPoolExecutor(20) as pool:
                    answers = list(pool.map(post, range(20)))
                assert {a[0] for a in answers} == {202}
                assert len({a[1]["Location"] for a in answers}) == 1
                assert finished(base, answers[0][1]["Location"], writer)["state"] == "succeeded"

                # A worker SIGKILLed mid-job: the job completes after a restart, once.
                status, headers, _ = call(
                    "PUT",
                    f"{base}/v1/articles/floods",
                    token=writer,
                    body=long_story(1200).encode(),
                    content_type="text/plain",
                )
                assert status == 202
                long_job = headers["Location"]
                wait_for(
                    lambda: job_state(base, long_job, writer)["state"] == "running",
                    30,
                    "the long job to start",
                )
                worker.kill()
                worker.wait()
            assert job_state(base, long_job, writer)["state"] == "running"
            with worker_process(database_url, tmp_path / "worker-2.log", extra_env=extra):
                recovered = finished(base, long_job, writer, timeout=180)
                assert recovered["state"] == "succeeded", recovered
                assert recovered["attempts"] >= 2
                versions = call("GET", f"{base}/v1/articles/floods/versions")[2]
                assert versions["meta"]["pagination"]["total_items"] == 1

                # Retraction: 410 everywhere at once.
                assert (
                    call("DELETE", f"{article_url}?reason=wrong%20airport", token=writer)[0] == 204
                )
                status, headers, gone = call("GET", article_url)
                assert status == 410 and gone["reason"] == "wrong airport"
                assert call("GET", f"{article_url}/versions/1")[0] == 410
                article_id = done["result"]["article_id"]
                listed = call("GET", f"{base}/v1/articles?page_size=100")[2]["data"]
                assert article_id not in [a["id"] for a in listed]
                assert not call("GET", f"{base}/v1/articles?q=tram")[2]["data"]
                quotes = call("GET", f"{base}/v1/quotes?page_size=100")[2]["data"]
                assert article_id not in {q["article_id"] for q in quotes}
                assert not call("GET", f"{base}/v1/entities?q=bakare")[2]["data"]
                retracted = call("GET", f"{base}/v1/changes?type=article.retracted")[2]["data"]
                assert [e["article_id"] for e in retracted] == [article_id]
        logs = b"".join(p.read_bytes() for p in tmp_path.glob("*.log"))
        for token in tokens.values():
            assert token.encode() not in logs
    finally:
        receiver.close()


def test_serve_with_worker_is_one_command_for_both(tmp_path: Path):
    """What `make run` starts: the server and a worker; a write is processed; SIGTERM stops
    both."""
    import signal
    import subprocess

    from bench.processes import answering, running
    from tests.serving import CLI, ROOT, free_port

    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'store.sqlite3'}",
        "ARTICLE_API_QUEUE_URL": f"sqlite:///{tmp_path / 'queue.sqlite3'}",
        "ARTICLE_API_LOG_FORMAT": "text",
    }
    made = cli("keys", "create", "--name", "desk", "--scope", "write", env=env)
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    with running(
        [*CLI, "serve", "--port", str(port), "--with-worker"],
        ready=answering(f"{base}/healthz"),
        log=log,
        env=env,
        cwd=ROOT,
        timeout=60,
    ) as parent:
        status, headers, _ = call(
            "POST",
            f"{base}/v1/articles",
            token=token,
            body=STORY.encode(),
            content_type="text/plain",
        )
        assert status == 202
        assert finished(base, headers["Location"], token)["state"] == "succeeded"
        found = subprocess.run(["pgrep", "-P", str(parent.pid)], capture_output=True, text=True)
        children = [int(pid) for pid in found.stdout.split()]
        assert len(children) == 2, found.stdout  # gunicorn's master and the worker
        parent.send_signal(signal.SIGTERM)
        assert parent.wait(timeout=60) == 0

    def alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    assert not [pid for pid in children if alive(pid)], "a child outlived `serve --with-worker`"
