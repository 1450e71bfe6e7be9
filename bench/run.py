"""The benchmark: one command, ``python -m bench`` (see the README's "Benchmarks" section).

1. builds (or reuses) a corpus of N articles (``bench.corpus``), reporting ingest throughput;
2. starts four servers on 127.0.0.1: the API under the repo's ``gunicorn.conf.py``, the bare
   Flask floor (``bench.floor``) under the same settings returning the same bytes, nginx
   serving the same bytes as static files (the practical ceiling), and nginx with the repo's
   own configuration (``deploy/nginx.conf.template``) in front of the API;
3. drives each scenario — every one also with ``Accept-Encoding: gzip, br``, the floor and the
   static nginx then serving the app's compressed bytes — on the first three with ``wrk`` for a
   bounded time, in turns, so that the machine's drift hits all alike, and prints req/s, p50,
   p99 and the ratios; then the hot latest URLs through the repo's nginx against nginx static;
4. holds 50 idle and 50 trickling sockets to the API and times ``/healthz`` probes meanwhile
   (``bench.slow_clients``);
5. prints each worker's RSS and stops every server, also on Ctrl-C or an error.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from bench.processes import (
    PYTHON,
    ROOT,
    answering,
    executable,
    free_port,
    gunicorn,
    listening,
    running,
)
from bench.slow_clients import hold, probe

WORK = ROOT / "bench" / ".work"

#: Production defaults, set explicitly so a developer's environment does not leak in. The rate
#: limit is the exception: every wrk connection comes from 127.0.0.1, one client address, so the
#: default (100/s per client) would answer 429s; a limit that never triggers keeps the
#: limiter's cost in the measurement without its refusals.
SERVER_ENV = {
    "ARTICLE_API_RATE_LIMIT": "100000000 per second",
    "ARTICLE_API_RATE_LIMIT_STORAGE": "local://",  # the default: one count for every worker
    "ARTICLE_API_COMPRESS": "on",
    "ARTICLE_API_LOG_FORMAT": "json",
    "ARTICLE_API_TRUSTED_PROXIES": "0",
    "ARTICLE_API_CORS_ORIGINS": "*",
}

#: Response headers the server writes itself (gunicorn, Flask), not copied to the floor.
SERVER_SET = frozenset(
    ("date", "server", "connection", "keep-alive", "transfer-encoding", "content-length")
)
#: What a browser sends: every scenario runs once without it and once with it.
COMPRESSED = {"Accept-Encoding": "gzip, br"}
#: The slow-client scenario: sockets held while ``/healthz`` is probed.
SLOW_IDLE, SLOW_TRICKLE, PROBES = 50, 50, 20

#: What the ``fields=`` and ``facets=`` scenarios ask for (compared with the plain GET).
SPARSE_ARTICLE = "id,title,published_at,quotes.text,quotes.speaker"
SPARSE_LIST = "id,title,published_at"
FACETED = "entity,type,tag,published_month"
#: Each sparse or faceted scenario and the plain one it must stay close to.
AGAINST_PLAIN = {
    "GET article, fields=": "GET article",
    "list page 1, fields=": "list page 1",
    "list page 1, facets=": "list page 1",
}

INSTALL_HINT = "install it with: apt-get install -y wrk nginx   (Debian/Ubuntu packages)"


@dataclass
class Result:
    rate: float
    p50_ms: float
    p99_ms: float
    errors: int
    #: CPU time (user + system) the server's workers spent per answered request, in µs: what a
    #: request costs the server, which the other processes on the machine do not move as they
    #: move the rate (None for nginx, whose workers are not timed).
    cpu_us: float | None = None


class Runs(list):
    """One server's runs of one scenario, a round each: its row shows the fastest."""

    @property
    def best(self) -> Result:
        return max(self, key=lambda r: r.rate)

    def ratios(self, other: Runs) -> list[float]:
        """This rate against ``other``'s in the same round, a round each."""
        return [mine.rate / theirs.rate for mine, theirs in zip(self, other, strict=True)]

    def ratio(self, other: Runs) -> float:
        """The median over rounds of :meth:`ratios`."""
        return statistics.median(self.ratios(other))

    def cost_ratio(self, other: Runs) -> float | None:
        """``other``'s CPU per request over this one's, the median over rounds (above 1: this
        server spends less on a request)."""
        pairs = [(m.cpu_us, t.cpu_us) for m, t in zip(self, other, strict=True)]
        if not pairs or any(not m or t is None for m, t in pairs):
            return None
        return statistics.median(t / m for m, t in pairs)

    def spread(self, other: Runs) -> str:
        """The rounds' range of ratios to ``other``, when there are several."""
        ratios = self.ratios(other)
        return f" [{min(ratios):.2f}–{max(ratios):.2f}]" if len(ratios) > 1 else ""

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="corpus size (10,000)")
    parser.add_argument("--large", action="store_true", help="100,000 articles")
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk run (10)")
    parser.add_argument("--rounds", type=int, default=1, help="runs per scenario and server")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached corpus")
    parser.add_argument("--smoke", action="store_true", help="50 articles, 1 s runs (a check)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="build the corpus in, and serve it from, this store instead of a cached SQLite "
        "file (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/bench: its tables are "
        "replaced)",
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a server setting (e.g. ARTICLE_API_RATE_LIMIT=off), to price a feature",
    )
    args = parser.parse_args(argv)
    if args.large:
        args.articles = 100_000
    if args.smoke:
        args.articles, args.duration = 50, 1

    wrk, nginx = shutil.which("wrk"), executable("nginx")
    missing = [name for name, path in (("wrk", wrk), ("nginx", nginx)) if not path]
    if missing:
        print(f"bench: {' and '.join(missing)} not found; {INSTALL_HINT}", file=sys.stderr)
        return 2

    WORK.mkdir(parents=True, exist_ok=True)
    if args.database_url:
        database_url = args.database_url
        tag = hashlib.sha256(database_url.encode()).hexdigest()[:8]
        stats_file = WORK / f"corpus-{args.articles}-{tag}.json"
        ingest = corpus(database_url, stats_file, args.articles, rebuild=args.rebuild)
    else:
        db = WORK / f"corpus-{args.articles}.sqlite3"
        database_url = f"sqlite:///{db}"
        ingest = corpus(database_url, db.with_suffix(".json"), args.articles, rebuild=args.rebuild)
    print(f"store: {make_url(database_url).get_backend_name()}")

    with contextlib.ExitStack() as stack:
        _stop_on_sigterm()
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="article-api-bench-")))
        tmp.chmod(0o755)  # nginx's workers (nobody) read the static files
        overrides = dict(item.split("=", 1) for item in args.env)
        env = os.environ | SERVER_ENV | overrides | {"DATABASE_URL": database_url}
        env["PYTHONPATH"] = str(ROOT)

        app_port = free_port()
        app = stack.enter_context(gunicorn("api.wsgi:app", app_port, env, tmp / "app.log"))
        scenarios = capture(app_port, args.articles, tmp)

        floor_port = free_port()
        floor_env = env | {"BENCH_FLOOR_MANIFEST": str(tmp / "manifest.json")}
        floor = stack.enter_context(
            gunicorn("bench.floor:app", floor_port, floor_env, tmp / "floor.log")
        )
        nginx_port = free_port()
        stack.enter_context(nginx_server(nginx, nginx_port, tmp, scenarios))
        proxy_port = free_port()
        stack.enter_context(proxy_server(nginx, proxy_port, app_port, tmp))
        for port in (floor_port, nginx_port, proxy_port):
            for scenario in scenarios:
                check(port, scenario["url"], scenario["sent"])
        for scenario in scenarios:
            if scenario.get("revalidate"):  # nginx's own validator: a real 304 at the ceiling
                etag = nginx_etag(nginx_port, scenario["url"], scenario["sent"])
                scenario["headers"]["nginx"] = [f"If-None-Match: {etag}"]

        servers = [("app", app_port), ("floor", floor_port), ("nginx", nginx_port)]
        timed = {"app": app.pid, "floor": floor.pid}  # their workers' CPU is read per run
        results: dict[tuple[str, str], Runs] = {}
        for scenario in scenarios:
            chosen = servers + ([("proxy", proxy_port)] if scenario.get("proxy") else [])
            # Rounds go app, floor, nginx (proxy), then floor, app, nginx (proxy), …: each
            # ratio is taken within a round, so the machine's other work weighs on both sides
            # of it alike, and neither side always runs first.
            sent = [f"{k}: {v}" for k, v in scenario["sent"].items()]
            for turn in range(args.rounds):
                order = chosen if turn % 2 == 0 else [chosen[1], chosen[0], *chosen[2:]]
                for server, port in order:
                    headers = sent + scenario["headers"].get(server, [])
                    run = run_wrk(wrk, port, scenario["url"], headers, args, timed.get(server))
                    results.setdefault((scenario["name"], server), Runs()).append(run)
                    if scenario.get("heavy") and server == "app":
                        settle(port)

        slow = slow_clients(app_port)
        rss = {"app": worker_rss(app.pid), "floor": worker_rss(floor.pid)}
    report(args, scenarios, results, rss, ingest, slow)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "articles": args.articles,
                    "machine": machine(),
                    "ingest": ingest,
                    "rss_mb": rss,
                    "slow_clients": slow,
                    "results": {
                        f"{s}/{v}": [r.__dict__ for r in runs] for (s, v), runs in results.items()
                    },
                },
                indent=2,
            )
        )
    return 0


# -- corpus ------------------------------------------------------------------------------------


def corpus(database_url: str, stats_file: Path, n: int, *, rebuild: bool) -> dict:
    """Build the corpus once per size and store (cached: a SQLite file under bench/.work/, or
    the tables of ``--database-url``) and its ingest figures."""
    from api.store import ArticleStore

    url = make_url(database_url)
    store = ArticleStore(database_url)
    try:
        if stats_file.exists() and not rebuild and _holds(store, n):
            print(f"corpus: reusing {n} articles in {url.render_as_string()} (--rebuild to redo)")
            store.create_schema()  # a corpus from an older schema: migrate it before serving
            return json.loads(stats_file.read_text())
        if url.get_backend_name() == "sqlite":
            db = Path(url.database)
            for path in db.parent.glob(db.name + "*"):
                path.unlink()
        else:  # an empty schema: drop what the migrations made
            from api import migrations

            if store.schema_version():
                migrations.downgrade(store.engine, "base")
    finally:
        store.dispose()
    db = url.render_as_string(hide_password=True)
    print(f"corpus: building {n} articles in {db} …", flush=True)
    code = (
        "import json, sys\n"
        "from bench.corpus import build\n"
        "from api.store import ArticleStore\n"
        "store = ArticleStore(sys.argv[1])\n"
        "stats = build(store, int(sys.argv[2]), progress=lambda i, s: print(\n"
        "    f'  {i} stored, {i / s:.0f}/s', flush=True))\n"
        "print(json.dumps({'parsed': stats.parsed, 'parse_per_s': stats.parse_rate,\n"
        "    'stored': stats.stored, 'store_per_s': stats.store_rate}))\n"
    )
    # A separate process: the NLP stack is loaded there, never in this one or the servers.
    out = subprocess.run(
        [PYTHON, "-c", code, database_url, str(n)],
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout.strip()
    lines = out.splitlines()
    for line in lines[:-1]:
        print(line)
    stats = json.loads(lines[-1])
    stats_file.write_text(json.dumps(stats))
    return stats


def _holds(store, n: int) -> bool:
    try:
        return store.stats().articles == n
    except Exception:  # no tables yet
        return False


# -- servers -----------------------------------------------------------------------------------


def _stop_on_sigterm() -> None:
    def raise_exit(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, raise_exit)


@contextlib.contextmanager
def nginx_server(nginx: str, port: int, tmp: Path, scenarios: list[dict]):
    """nginx serving each scenario's captured body as a static file, on 127.0.0.1:port."""
    static = tmp / "static"
    served = [s for s in scenarios if not s.get("no_static")]
    mapping = "\n".join(f'        "{s["url"]}|{s["coding"]}" /{s["file"]};' for s in served)
    codings = "\n".join(f'        "{s["url"]}|{s["coding"]}" "{s["coding"]}";' for s in served)
    conf = tmp / "nginx.conf"
    conf.write_text(
        f"""
worker_processes auto;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    types {{ application/json json; }}
    default_type application/json;
    keepalive_requests 1000000;
    map_hash_bucket_size 256;
    map $http_accept_encoding $coding {{
        default "";
        ~br br;
        ~gzip gzip;
    }}
    map "$request_uri|$coding" $captured {{
        default /missing;
{mapping}
    }}
    map "$request_uri|$coding" $captured_coding {{
        default "";
{codings}
    }}
    server {{
        listen 127.0.0.1:{port};
        root {static};
        location / {{
            add_header Content-Encoding $captured_coding;
            try_files $captured =404;
        }}
    }}
}}
"""
    )
    command = [nginx, "-c", str(conf), "-g", "daemon off;"]
    with running(command, ready=listening(port), log=tmp / "nginx.out") as process:
        yield process


@contextlib.contextmanager
def proxy_server(nginx: str, port: int, app_port: int, tmp: Path):
    """nginx with the repo's ``deploy/nginx.conf.template`` (its cache included) in front of
    the API, on 127.0.0.1:port: both upstream lines name the one API server."""
    import string

    prefix = tmp / "proxy"
    (prefix / "cache").mkdir(parents=True)
    site = string.Template((ROOT / "deploy" / "nginx.conf.template").read_text())
    (prefix / "site.conf").write_text(
        site.safe_substitute(
            NODE_1=f"127.0.0.1:{app_port}",
            NODE_2=f"127.0.0.1:{app_port}",
            LISTEN=f"127.0.0.1:{port}",
            CACHE_DIR=str(prefix / "cache"),
        )
    )
    user = "user root root;\n" if os.geteuid() == 0 else ""  # the workers write the cache
    conf = prefix / "nginx.conf"
    conf.write_text(
        f"""{user}worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/site.conf;
}}
"""
    )
    command = [nginx, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"]
    ready = answering(f"http://127.0.0.1:{port}/healthz")
    with running(command, ready=ready, log=prefix / "nginx.out") as process:
        yield process


def settle(port: int, timeout: float = 120) -> None:
    """Wait until the server answers ``/healthz`` within a second again (the requests wrk
    abandoned at its end are still being answered)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if probe(port, count=1, pause=0, timeout=1).within(1.0) == 1.0:
            return
        time.sleep(0.5)


def slow_clients(port: int) -> dict:
    """``/healthz`` probes on an idle server, then while slow and idle sockets are held."""
    quiet = probe(port, count=PROBES // 2, timeout=5)
    with hold(port, idle=SLOW_IDLE, trickle=SLOW_TRICKLE):
        held = probe(port, count=PROBES, timeout=5)
    return {
        "idle_sockets": SLOW_IDLE,
        "trickling_sockets": SLOW_TRICKLE,
        "probes": held.count,
        "answered": len(held.latencies),
        "within_1s": held.within(1.0),
        "slowest_ms": held.slowest * 1000,
        "slowest_quiet_ms": quiet.slowest * 1000,
    }


def children_of(master: int):
    """Each living child of ``master``: its ``/proc`` folder and the fields of its ``stat``
    after the command name (``fields[1]`` the parent, ``[11]``/``[12]`` user and system ticks)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == master:
                yield stat.parent, fields


def children_cpu(master: int) -> float:
    """CPU seconds (user + system) the living children of ``master`` have used so far (gunicorn
    keeps its workers for the whole run: none is replaced between two readings)."""
    tick = os.sysconf("SC_CLK_TCK")
    return sum((int(f[11]) + int(f[12])) / tick for _, f in children_of(master))


def worker_rss(master: int) -> list[float]:
    """Resident set size (MB) of each child of ``master``."""
    sizes = []
    for folder, _ in children_of(master):
        with contextlib.suppress(OSError, ValueError, IndexError):
            status = (folder / "status").read_text()
            sizes.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
    return sorted(sizes)


# -- scenarios ---------------------------------------------------------------------------------


def hot_article(port: int, n: int) -> str:
    """The article the single-article scenarios read: the first from the middle of the corpus
    whose every such answer is over the compression threshold (so each ``[br]`` row is
    compressed, whatever sources the corpus was made of)."""
    from bench.corpus import variant_id

    for i in range(n // 2, n):
        url = f"/v1/articles/{variant_id(i)}"
        wanted = (url, f"{url}/sections", f"{url}?fields={SPARSE_ARTICLE}")
        if all(fetch(port, u, COMPRESSED)[1].get("Content-Encoding") for u in wanted):
            return url
    raise RuntimeError("no article of the corpus is long enough to be compressed")


def capture(port: int, n: int, tmp: Path) -> list[dict]:
    """Each scenario's URL, and the app's 200 for it: the bytes the floor and nginx serve."""
    from bench.corpus import variant_id

    sys.path.insert(0, str(ROOT))
    from api.pagination import encode_cursor

    article = hot_article(port, n)
    deep = encode_cursor("articles:id", "next", variant_id(n * 9 // 10))
    plain = [
        {"name": "GET article", "url": article, "proxy": True},
        {
            "name": "GET article, every include",
            "url": f"{article}?include=sections,bullets,quotes,entities",
            "proxy": True,
        },
        {"name": "GET article's sections (a part)", "url": f"{article}/sections"},
        {"name": "list page 1", "url": "/v1/articles", "proxy": True},
        {"name": "GET article, fields=", "url": f"{article}?fields={SPARSE_ARTICLE}"},
        {"name": "list page 1, fields=", "url": f"/v1/articles?fields={SPARSE_LIST}"},
        {"name": "list page 1, facets=", "url": f"/v1/articles?facets={FACETED}"},
        {
            "name": f"list by cursor at {n * 9 // 10:,}",
            "url": f"/v1/articles?page_size=20&cursor={deep}",
        },
        {"name": "304 revalidation", "url": article, "revalidate": True, "no_static": True},
        # Last: a slow answer keeps the workers busy after wrk stops (abandoned requests are
        # still answered), which must not weigh on the other scenarios.
        {"name": "corpus entities", "url": "/v1/entities", "heavy": True},
        {"name": "search q=trade", "url": "/v1/articles?q=trade", "heavy": True},
    ]
    scenarios = [
        *({**s, "sent": {}} for s in plain),
        *({**s, "name": f"{s['name']} [br]", "sent": COMPRESSED} for s in plain),
    ]
    scenarios.sort(key=lambda s: bool(s.get("heavy")))
    static = tmp / "static"
    static.mkdir(mode=0o755)
    manifest = {}
    for i, scenario in enumerate(scenarios):
        status, headers, body = fetch(port, scenario["url"], scenario["sent"])
        if status != 200:
            raise RuntimeError(f"{scenario['url']}: the app answered {status}")
        scenario["file"] = f"{i}.json"
        scenario["coding"] = headers.get("Content-Encoding", "")
        scenario["headers"] = {}
        if scenario.get("revalidate"):
            etag = headers["ETag"]
            scenario["headers"]["app"] = [f"If-None-Match: {etag}"]
            status, _, _ = fetch(port, scenario["url"], {**scenario["sent"], "If-None-Match": etag})
            if status != 304:
                raise RuntimeError(f"{scenario['url']}: If-None-Match got {status}, not 304")
            continue
        (static / scenario["file"]).write_bytes(body)
        (static / scenario["file"]).chmod(0o644)
        # The floor sends the app's whole response: its body and every header the app set
        # (security, CORS, rate limit, request id: bytes gunicorn writes for both), not those
        # the server adds itself.
        manifest[f"{scenario['url']}|{scenario['coding']}"] = {
            "file": str(static / scenario["file"]),
            "headers": {k: v for k, v in headers.items() if k.lower() not in SERVER_SET},
        }
    (tmp / "manifest.json").write_text(json.dumps(manifest))
    return scenarios


def fetch(port: int, url: str, headers: dict | None = None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{url}", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def check(port: int, url: str, sent: dict) -> None:
    status, headers, _ = fetch(port, url, sent)
    if status != 200:
        raise RuntimeError(f"port {port}: {url} answered {status}")
    if sent and not headers.get("Content-Encoding"):
        raise RuntimeError(f"port {port}: {url} was not compressed for {sent}")


def nginx_etag(port: int, url: str, sent: dict) -> str:
    return fetch(port, url, sent)[1]["ETag"]


def run_wrk(
    wrk: str, port: int, url: str, headers: list[str], args, master: int | None = None
) -> Result:
    command = [wrk, "-t1", f"-c{args.connections}", f"-d{args.duration:g}s", "--latency"]
    command += ["--timeout", "10s"]  # a slow scenario is measured, not counted as errors
    for header in headers:
        command += ["-H", header]
    command.append(f"http://127.0.0.1:{port}{url}")
    used = children_cpu(master) if master else 0.0
    out = subprocess.run(
        command, check=True, capture_output=True, text=True, timeout=args.duration + 60
    ).stdout
    used = children_cpu(master) - used if master else 0.0
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    bad = int(errors.group(1)) if errors else 0
    if socket_errors:
        bad += sum(int(x) for x in re.findall(r"\d+", socket_errors.group(1)))
    done = int(re.search(r"(\d+) requests in", out).group(1))
    cpu_us = used / done * 1e6 if master and done else None
    return Result(rate, _percentile(out, "50%"), _percentile(out, "99%"), bad, cpu_us)


def _percentile(out: str, which: str) -> float:
    value, unit = re.search(rf"{which}\s+([\d.]+)(us|ms|s)", out).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


# -- report ------------------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        found = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
        cpu = found.group(1).strip() if found else cpu
    memory = ""
    with contextlib.suppress(OSError, AttributeError):
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f", {kb / 1024 / 1024:.0f} GB"
    load = os.getloadavg()[0]
    return f"{os.cpu_count()} cores ({cpu}){memory}; load average {load:.1f} at the end"


def _cost(app: Runs, floor: Runs) -> str:
    """The CPU columns: each server's least CPU per request and the floor's over the app's
    (the median of the rounds': above 1, a request costs the app less than the floor)."""
    ratio = app.cost_ratio(floor)
    if ratio is None:
        return ""
    least = min(r.cpu_us for r in app), min(r.cpu_us for r in floor)
    return f" | {least[0]:6.0f} {least[1]:6.0f} {ratio:5.2f}"


def report(args, scenarios, results, rss, ingest, slow) -> None:
    print()
    print(
        f"{args.articles:,} articles, {args.connections} connections, {args.duration:g} s per "
        f"run, {args.rounds} round(s) taken in turns (a row: the fastest run; a ratio: the median "
        f"of the rounds' ratios, their range after the row); {machine()}"
    )
    head = (
        f"{'scenario':34} {'app req/s':>10} {'p50':>7} {'p99':>7} | {'floor':>8} {'p99':>7} | "
        f"{'nginx':>8} {'p99':>7} | {'/floor':>6} {'/nginx':>6} | {'µs/req':>6} {'floor':>6} "
        f"{'cost':>5}"
    )
    print(head)
    print("-" * len(head))
    by_name = {}
    for scenario in scenarios:
        name = scenario["name"]
        runs = {s: results[(name, s)] for s in ("app", "floor", "nginx")}
        app, floor, ceiling = (runs[s].best for s in ("app", "floor", "nginx"))
        by_name[name] = app
        errors = {server: r.errors for server, r in runs.items()}
        flags = " (errors: " + ", ".join(f"{k} {v}" for k, v in errors.items()) + ")"
        print(
            f"{name:34} {app.rate:10.0f} {app.p50_ms:6.2f}ms {app.p99_ms:6.2f}ms | "
            f"{floor.rate:8.0f} {floor.p99_ms:6.2f}ms | {ceiling.rate:8.0f} {ceiling.p99_ms:6.2f}ms"
            f" | {runs['app'].ratio(runs['floor']):6.2f} {runs['app'].ratio(runs['nginx']):6.2f}"
            + _cost(runs["app"], runs["floor"])
            + runs["app"].spread(runs["floor"])
            + (flags if any(errors.values()) else "")
        )
    print("\nthrough deploy/nginx.conf.template (its cache) in front of the app, vs nginx static:")
    for scenario in scenarios:
        if scenario.get("proxy"):
            runs = {s: results[(scenario["name"], s)] for s in ("proxy", "nginx")}
            proxy, ceiling = runs["proxy"].best, runs["nginx"].best
            print(
                f"{scenario['name']:34} {proxy.rate:10.0f} {proxy.p50_ms:6.2f}ms "
                f"{proxy.p99_ms:6.2f}ms | static {ceiling.rate:8.0f} | "
                f"{runs['proxy'].ratio(runs['nginx']):6.2f}"
                + runs["proxy"].spread(runs["nginx"])
                + (f" (errors: {runs['proxy'].errors})" if runs["proxy"].errors else "")
            )
    first = by_name["list page 1"]
    deep = next(r for name, r in by_name.items() if name.startswith("list by cursor"))
    print(f"\ndeep cursor / page 1 (app): {deep.rate / first.rate:.2f}")
    for suffix in ("", " [br]"):
        print(
            f"against the plain GET{suffix} (app): "
            + ", ".join(
                f"{name}{suffix} {by_name[name + suffix].rate / by_name[plain + suffix].rate:.2f}"
                for name, plain in AGAINST_PLAIN.items()
            )
        )
    print("304s: the floor and nginx rows of '304 revalidation' are their 200 for the same URL")
    print(
        "µs/req: CPU (user + system) of the server's workers per request; cost: the floor's "
        "over the app's (above 1: the app spends less), the median of the rounds'"
    )
    print(
        f"slow clients: {slow['idle_sockets']} idle + {slow['trickling_sockets']} trickling "
        f"sockets held; {slow['answered']}/{slow['probes']} /healthz probes answered, "
        f"{slow['within_1s']:.0%} within 1 s, slowest {slow['slowest_ms']:.0f} ms "
        f"(no sockets held: {slow['slowest_quiet_ms']:.0f} ms)"
    )
    for server, sizes in rss.items():
        print(f"RSS per {server} worker: " + ", ".join(f"{mb:.1f} MB" for mb in sizes))
    print(
        f"ingest: full parse (spaCy) {ingest['parse_per_s']:.1f} docs/s over "
        f"{ingest['parsed']} sources; render + store {ingest['store_per_s']:.0f} docs/s over "
        f"{ingest['stored']:,}"
    )


if __name__ == "__main__":
    sys.exit(main())
