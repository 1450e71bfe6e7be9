"""The ``article-api`` command: ingest, parse, serve, worker, keys, retract, openapi, check, db,
settings."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from .settings import SETTINGS, Settings, default, env


@click.group(help="Parse news articles once into versioned JSON resources and serve them.")
def main() -> None:
    """Entry point of the ``article-api`` console script."""


def _model_or_exit() -> None:
    """Stop at once, with the fix, when the language model is not installed."""
    from .parser import nlp

    try:
        nlp.load_model()
    except nlp.ModelMissingError as error:
        raise click.ClickException(str(error)) from None


@main.command()
@click.argument("seeds_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per file.")
@click.option(
    "--reassign",
    "reassign",
    multiple=True,
    metavar="ID",
    help="Let the file now claiming article ID take it over from the file that owns it "
    "(repeatable). Without it, a file claiming another file's id is refused.",
)
@click.option(
    "--prune",
    is_flag=True,
    help="Retract the stored articles whose seed file is no longer in the folder. Without it "
    "they are listed as orphaned and stay served.",
)
def ingest(seeds_dir: Path | None, as_json: bool, reassign: tuple[str, ...], prune: bool) -> None:
    """Parse every seed file in SEEDS_DIR (default: seeds/) and store new versions.

    Prints a line per file: new version, unchanged, retracted (skipped: restore it with a PUT),
    or failed with the reason. Exits 1 when any file failed; every good file is stored
    regardless. An article id belongs to the file that first stored it; ``--reassign ID`` hands
    it to another file. Articles whose seed file has gone are listed as orphaned, or retracted
    with ``--prune``.
    """
    from .ingest import ingest_files, seed_files
    from .store import ArticleStore

    settings = Settings.from_env()
    folder = seeds_dir or Path(settings.seeds_dir)
    if not folder.is_dir():
        raise click.ClickException(f"seeds folder not found: {folder}")
    _model_or_exit()
    store = ArticleStore(settings.database_url)
    store.create_schema()
    counts = {"created": 0, "unchanged": 0, "retracted": 0, "failed": 0}
    warned = 0
    paths = seed_files(folder)
    results = ingest_files(
        store, paths, folder, max_bytes=settings.max_file_bytes, reassign=reassign
    )

    def report(result) -> None:
        if as_json:
            click.echo(json.dumps(result.as_dict()))
        else:
            click.echo(result.line(), err=result.status == "failed")

    if sys.stderr.isatty() and len(paths) > 1:
        # A terminal gets a progress bar while files are parsed, and the lines after it.
        done = []
        with click.progressbar(
            results,
            length=len(paths),
            label="Ingesting",
            file=sys.stderr,
            item_show_func=lambda result: result.file if result else None,
        ) as bar:
            for result in bar:
                counts[result.status] += 1
                warned += bool(result.warnings)
                done.append(result)
        for result in done:
            report(result)
    else:
        for result in results:
            counts[result.status] += 1
            warned += bool(result.warnings)
            report(result)
    present = {path.name for path in paths}
    with store.reading() as conn:
        orphans = [
            (article_id, source.removeprefix("file:"))
            for article_id, source in store.sources(conn, "file:")
            if source.removeprefix("file:") not in present
        ]
    for article_id, name in orphans:
        if prune:
            store.retract(article_id, f"seed file {name} removed")
            line = {"file": name, "status": "pruned", "article_id": article_id}
            text = f"{name}: gone from {folder}; retracted {article_id}"
        else:
            line = {"file": name, "status": "orphaned", "article_id": article_id}
            text = f"{name}: gone from {folder}; {article_id} is orphaned (--prune retracts it)"
        click.echo(json.dumps(line) if as_json else text)
    summary = (
        f"{len(paths)} files: {counts['created']} new versions, "
        f"{counts['unchanged']} unchanged, {counts['failed']} failed"
        + (f", {counts['retracted']} retracted (skipped)" if counts["retracted"] else "")
        + (f", {warned} with warnings" if warned else "")
        + (f"; {len(orphans)} {'pruned' if prune else 'orphaned'}" if orphans else "")
    )
    click.echo(summary, err=True)
    store.dispose()
    if counts["failed"]:
        sys.exit(1)


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def parse(file: Path) -> None:
    """Print FILE's article resource with every part embedded, as JSON (no database needed).

    The same JSON as ``GET /v1/articles/{id}?include=sections,bullets,quotes,entities`` serves
    in ``data`` for a first version.
    """
    from .parser import ParseError, parse_bytes
    from .representation import full_resource
    from .store import utc_now

    _model_or_exit()
    try:
        document = parse_bytes(file.read_bytes(), file_name=file.name)
    except ParseError as error:
        raise click.ClickException(f"{file}: {error}") from None
    for warning in document.warnings:
        click.echo(f"{file}: warning: {warning}", err=True)
    resource = full_resource(document, 1, utc_now())
    click.echo(json.dumps(resource, ensure_ascii=False, indent=2))


@main.command()
@click.option(
    "--host", default=lambda: env("ARTICLE_API_HOST"), show_default=default("ARTICLE_API_HOST")
)
@click.option(
    "--port",
    default=lambda: int(env("ARTICLE_API_PORT")),
    type=int,
    show_default=default("ARTICLE_API_PORT"),
)
@click.option(
    "--with-worker",
    is_flag=True,
    help="Also run a worker (`article-api worker`) beside the server, stopped with it: "
    "what `make run` does, so writes over HTTP are processed on one machine.",
)
def serve(host: str, port: int, with_worker: bool) -> None:
    """Serve the API under gunicorn (settings from gunicorn.conf.py and the environment)."""
    config = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
    argv = ["gunicorn", "--bind", f"{host}:{port}"]
    if config.is_file():
        argv += ["--config", str(config)]
    argv.append("api.wsgi:app")
    command = [sys.executable, "-m", *argv]
    if not with_worker:
        os.execvp(sys.executable, command)
    import signal
    import subprocess

    worker = subprocess.Popen([sys.executable, "-m", "api.cli", "worker"])
    server = subprocess.Popen(command)

    def stop(signum, _frame):
        for process in (server, worker):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = server.wait()
    stop(signal.SIGTERM, None)
    worker.wait()
    sys.exit(code)


@main.command()
@click.option("--threads", default=2, show_default=True, help="Jobs and deliveries run at once.")
def worker(threads: int) -> None:
    """Run write jobs and webhook deliveries from the queue (ARTICLE_API_QUEUE_URL) until
    stopped. Run as many as you like, on any machine sharing the store and the queue."""
    from .worker import run

    _model_or_exit()
    run(threads)


@main.command()
@click.argument("article_id")
@click.option("--reason", required=True, help="Why it is taken down (shown in its 410 answers).")
def retract(article_id: str, reason: str) -> None:
    """Take an article down: it answers 410 Gone from now on, and leaves every list, search and
    aggregate; an article.retracted event goes on the change feed."""
    from .store import ArticleStore

    store = ArticleStore(Settings.from_env().database_url)
    store.create_schema()
    done = store.retract(article_id, reason)
    store.dispose()
    if done is None:
        raise click.ClickException(f"no article with id {article_id!r}")
    if done.new:
        click.echo(f"retracted {article_id} (version {done.version}) at {done.retracted_at}")
    else:
        click.echo(f"{article_id} was already retracted at {done.retracted_at}: {done.reason}")


@main.group()
def keys() -> None:
    """API keys: tokens for writes (and, if required, reads). Only their hashes are stored."""


@keys.command("create")
@click.option("--name", required=True, help="Who it is for; also the owner of what it writes.")
@click.option(
    "--scope",
    type=click.Choice(["read", "write", "admin"]),
    required=True,
    help="read < write (send articles) < admin (also webhooks, retract anything).",
)
def keys_create(name: str, scope: str) -> None:
    """Make a key and print its token, once: it cannot be shown again."""
    from .auth import new_token
    from .store import ArticleStore

    if not name.strip() or len(name) > 100:
        raise click.BadParameter("1–100 characters", param_hint="--name")
    store = ArticleStore(Settings.from_env().database_url)
    store.create_schema()
    token = new_token()
    store.create_key(token.key_id, name.strip(), scope, token.token_hash)
    store.dispose()
    click.echo(f"key {token.key_id} ({scope}) for {name.strip()}; the token, shown once:", err=True)
    click.echo(token.token)


@keys.command("list")
def keys_list() -> None:
    """List keys: id, scope, name, when made, and whether revoked (never tokens)."""
    from .store import ArticleStore

    store = ArticleStore(Settings.from_env().database_url)
    store.create_schema()
    for key in store.api_keys():
        state = f"revoked {key.revoked_at}" if key.revoked_at else "live"
        click.echo(f"{key.id}  {key.scope:<5}  {key.name}  created {key.created_at}  {state}")
    store.dispose()


@keys.command("revoke")
@click.argument("key_id")
def keys_revoke(key_id: str) -> None:
    """Revoke a key at once (its token answers 401 from the next request)."""
    from .store import ArticleStore

    store = ArticleStore(Settings.from_env().database_url)
    store.create_schema()
    done = store.revoke_key(key_id)
    store.dispose()
    if not done:
        raise click.ClickException(f"no live key with id {key_id!r}")
    click.echo(f"revoked {key_id}")


@main.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
def openapi(output: Path | None) -> None:
    """Print the OpenAPI document as YAML (``-o openapi.yaml`` rewrites the committed one)."""
    from .app import create_app
    from .spec import openapi_yaml

    app = create_app({"DATABASE_URL": "sqlite://"})
    text = openapi_yaml(app.extensions["article_api"])
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@main.command()
def check() -> None:
    """Check the store: the database's own integrity check, and that every stored version is
    complete. Exits 1 and lists the problems when there are any."""
    from .store import ArticleStore

    store = ArticleStore(Settings.from_env().database_url)
    store.create_schema()
    problems = store.integrity_errors()
    store.dispose()
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo("store ok")


@main.group()
def db() -> None:
    """The store's schema: migrations (Alembic)."""


@db.command()
def upgrade() -> None:
    """Bring the store's schema to the newest version (DATABASE_URL; safe to repeat, and to run
    while API nodes serve: concurrent runs wait for each other)."""
    from .migrations import head
    from .migrations import upgrade as run_upgrade
    from .store import ArticleStore

    store = ArticleStore(Settings.from_env().database_url)
    before = store.schema_version()
    run_upgrade(store.engine)
    after = store.schema_version()
    store.dispose()
    if before == after:
        click.echo(f"schema at {after} (newest: {head()}); nothing to do")
    else:
        click.echo(f"schema upgraded: {before or 'empty'} -> {after}")


@db.command()
def current() -> None:
    """Print the store's schema version (empty: no schema yet)."""
    from .store import ArticleStore

    store = ArticleStore(Settings.from_env().database_url)
    click.echo(store.schema_version() or "")
    store.dispose()


@main.command()
def settings() -> None:
    """List every setting: environment variable, current value and meaning."""
    for setting in SETTINGS:
        click.echo(f"{setting.env}={env(setting.env)}\n    {setting.help}")


if __name__ == "__main__":
    main()
