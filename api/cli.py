"""The ``article-api`` command: ingest, parse, serve, openapi, check, db, settings."""

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
def ingest(seeds_dir: Path | None, as_json: bool, reassign: tuple[str, ...]) -> None:
    """Parse every seed file in SEEDS_DIR (default: seeds/) and store new versions.

    Prints a line per file: new version, unchanged, or failed with the reason. Exits 1 when any
    file failed; every good file is stored regardless. An article id belongs to the file that
    first stored it; ``--reassign ID`` hands it to another file.
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
    counts = {"created": 0, "unchanged": 0, "failed": 0}
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
    summary = (
        f"{len(paths)} files: {counts['created']} new versions, "
        f"{counts['unchanged']} unchanged, {counts['failed']} failed"
        + (f", {warned} with warnings" if warned else "")
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
def serve(host: str, port: int) -> None:
    """Serve the API under gunicorn (settings from gunicorn.conf.py and the environment)."""
    config = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
    argv = ["gunicorn", "--bind", f"{host}:{port}"]
    if config.is_file():
        argv += ["--config", str(config)]
    argv.append("api.wsgi:app")
    os.execvp(sys.executable, [sys.executable, "-m", *argv])


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
