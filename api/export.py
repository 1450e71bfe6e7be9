"""Bulk export: every item of a collection in one streamed answer, as NDJSON or CSV.

A collection (a GET documented with ``read_operation(…, collection=True)``) answers
``Accept: application/x-ndjson`` with all of its matching items, one JSON item per line (each
item's bytes as a page would carry them), and — when it has a flat form — ``Accept: text/csv``
with one row per item under a header row. No envelope, no pages:

* **Constant memory.** The export walks the collection's own ``fetch`` (the one its pages use)
  in keyset windows of :data:`~api.contract.EXPORT_CHUNK` items, writing each chunk as it is
  read. Each chunk is its own short read: the view's ``with store.reading()`` connections are
  held for the stream (:meth:`ArticleStore.hold_reads`) but their transaction ends after every
  chunk, so a stream to a slow client holds no snapshot.
* **Same filters, same errors.** The query is parsed and checked as for a page, and the first
  chunk is read before the answer starts: a bad parameter, an unknown article, a bad cursor is
  still a problem+json 4xx. ``page`` is a 400 (an export has no pages); ``page_size`` is
  ignored (a generated client sends its default with every call).
* **Resumable.** An export starts where ``cursor`` (from a page's ``links.next``) or ``after``
  (the key of the last item received: ``PageQuerySchema.after`` says what it is per
  collection) says, so a client that lost the connection asks again from its last complete
  line. Search exports (``q``) are ranked, and start over.
* **Errors after the start** cannot change the status: the failure is logged and the stream is
  broken off (the server closes the connection without the final chunk), so a client sees an
  incomplete transfer, never a short export that looks whole.
* Never cached (``Cache-Control: no-store``), never buffered by nginx (``X-Accel-Buffering:
  no``), not compressed (a client that wants gzip pipes it), ``Vary: Accept``.

CSV (RFC 4180: CRLF line ends, fields with ``,``, ``"`` or line breaks quoted, ``"`` doubled,
UTF-8): the columns are the item schema's fields in their declared order — a nested object's
fields under dotted names (``counts.quotes``), a list of strings joined with ``|``, a list of
objects left out. A collection whose items are mostly lists of objects (sections and their
paragraphs, deliveries and their attempts) has no flat form and answers ``text/csv`` with a 406
naming what it has. A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is prefixed with ``'`` so that a spreadsheet shows it instead of running it as a formula
(CSV injection).
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import orjson
from flask import Flask, Response, current_app, g, request
from flask_smorest import abort
from marshmallow import Schema, fields

from . import fields as sparse
from .contract import CSV, EXPORT_CHUNK, JSON, NDJSON, NO_STORE
from .http import negotiate, store
from .store import Key, Window

log = logging.getLogger(__name__)

#: What a collection answers: a page, its items as lines, its items as CSV rows.
EXPORT_TYPES = (NDJSON, CSV)
#: ``Content-Type`` of a CSV export (RFC 4180 §3, RFC 7111: it has a header row).
CSV_CONTENT_TYPE = "text/csv; charset=utf-8; header=present"
#: Cells CSV readers may take for a formula (OWASP's list), and what goes before them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_GUARD = "'"
#: How a list of strings is written in one CSV cell.
LIST_SEPARATOR = "|"


@dataclass(frozen=True, slots=True)
class Form:
    """What a collection exports: its item schema, and its CSV columns (None: no flat form)."""

    item_schema: type[Schema]
    columns: tuple[str, ...] | None

    @property
    def media_types(self) -> tuple[str, ...]:
        return (JSON, NDJSON) if self.columns is None else (JSON, NDJSON, CSV)


def collection_form(response_schema, *, flat: bool = True) -> Form:
    """The export form of a collection from its page's schema: the items are ``data``'s list,
    or the list inside ``data`` (an entity's articles)."""
    data = _instance(response_schema).fields["data"]
    if isinstance(data, fields.Nested):
        data = next(f for f in data.schema.fields.values() if _is_object_list(f))
    item = data.inner.schema
    return Form(type(item), columns_of(item) if flat else None)


def columns_of(schema: Schema, prefix: str = "") -> tuple[str, ...]:
    """The flat columns of a schema: dotted names for nested objects, lists of objects left out;
    ``search`` (only on ranked results) is added by the search export itself."""
    found: list[str] = []
    for name, field in schema.fields.items():
        key = field.data_key or name
        if not prefix and key == "search":
            continue
        if isinstance(field, fields.Nested) and not field.many:
            found += columns_of(field.schema, f"{prefix}{key}.")
        elif not _is_object_list(field) and not (isinstance(field, fields.Nested) and field.many):
            found.append(prefix + key)
    return tuple(found)


def _is_object_list(field) -> bool:
    return isinstance(field, fields.List) and isinstance(field.inner, fields.Nested)


def _instance(schema):
    return schema() if isinstance(schema, type) else schema


#: :func:`search_columns`' extra columns of ranked results.
SEARCH_COLUMNS = ("search.rank", "search.snippet")


# -- negotiation -------------------------------------------------------------------------------


def view_form(view) -> Form | None:
    """The export form a Flask view function (or a MethodView's) declares for this method."""
    handler = getattr(
        getattr(view, "view_class", None),
        "get" if request.method == "HEAD" else request.method.lower(),
        None,
    )
    return getattr(handler or view, "export_form", None)


def init_app(app: Flask) -> None:
    @app.before_request
    def _hold_for_export():
        """An ``Accept`` that prefers an export of this collection: note it, and have the
        store's reads outlive the view (the stream reads on after it has returned)."""
        if request.method not in ("GET", "HEAD"):
            return
        accept = request.environ.get("HTTP_ACCEPT")
        if not accept or accept in ("*/*", JSON):
            return
        form = view_form(app.view_functions.get(request.endpoint or ""))
        if form is None:
            return
        media = negotiate(accept, (JSON, *EXPORT_TYPES))
        if media not in EXPORT_TYPES:
            return
        g.export = media
        g.export_form = form
        g.export_held = store().hold_reads()

    app.register_error_handler(ExportResponse, lambda exported: exported.response)

    @app.after_request
    def _vary(response: Response) -> Response:
        """A collection answers by ``Accept`` (a page or an export), so a cache (nginx keys by
        URL) must keep the two apart: ``Vary: Accept`` (compression adds Accept-Encoding)."""
        if view_form(app.view_functions.get(request.endpoint or "")) is not None:
            vary = response.headers.get("Vary")
            if not vary:
                response.headers["Vary"] = "Accept"
            elif "accept" not in [v.strip().lower() for v in vary.split(",")]:
                response.headers["Vary"] = f"{vary}, Accept"
        return response

    @app.teardown_request
    def _release(_error=None):
        held = g.pop("export_held", None)
        if held is not None:  # not taken by a stream: nothing reads through them any more
            store().release_reads(held[1])
            held[0].close()


def requested() -> str | None:
    """The export media type this request negotiated, or None for a page."""
    return g.get("export")


def refuse_unexportable() -> None:
    """A 406 for an export of something without that form (its collection is not wired)."""
    form = g.get("export_form")
    offered = form.media_types if form else (JSON,)
    abort(406, message=f"This URL answers {', '.join(offered)}; not {requested()}.")


def stream(
    fetch: Callable[[Window], tuple],
    *,
    start: Key | None,
    key_of: Callable[[object], Key],
    items: Callable[[list], list[bytes]],
    descending: bool = False,
    columns: tuple[str, ...] = (),
):
    """Answer the request with the export (raises the streamed response, so a view returns it
    from whatever it was doing): every item of ``fetch`` after ``start`` as NDJSON or CSV.

    The first chunk is read now (a 404 or 400 is still a problem document); the rest as the
    client takes the bytes.
    """
    media = requested()
    form: Form = g.export_form
    if media == CSV and form.columns is None:
        abort(406, message=f"This collection has no flat form; it answers {JSON} and {NDJSON}.")
    tree = g.get("field_selection")  # ``fields``: each item cut, as on a page
    if tree is not None:
        uncut = items

        def items(rows):
            return [sparse.project_item(body, tree) for body in uncut(rows)]

    first = fetch(Window(limit=EXPORT_CHUNK, after=start, descending=descending))[0]
    first_items = items(first.rows)
    held, token = g.pop("export_held")
    store().release_reads(token)
    kept = (*form.columns, *columns) if media == CSV else ()
    if tree is not None:
        kept = tuple(column for column in kept if sparse.selects(tree, column.split(".")))
    lines = _ndjson if media == NDJSON else _csv_rows(kept)
    app = current_app._get_current_object()
    body = ExportStream(
        _chunks(app, (first, first_items), fetch, items, key_of, descending, held),
        lines,
        held,
        request.path,
    )
    response = Response(
        body,
        200,
        [
            ("Content-Type", NDJSON if media == NDJSON else CSV_CONTENT_TYPE),
            ("Cache-Control", NO_STORE),
            ("X-Accel-Buffering", "no"),
        ],
        direct_passthrough=True,
    )
    raise ExportResponse(response)


class ExportResponse(Exception):
    """Carries an export's streamed response out of the view, whatever it was in the middle of
    (the handler :func:`init_app` registers returns it, and the after-request hooks run)."""

    def __init__(self, response: Response) -> None:
        super().__init__("export")
        self.response = response


def _chunks(app, first, fetch, items, key_of, descending: bool, held) -> Iterator[list]:
    """The items' bytes chunk by chunk: keyset windows after the last row of the one before,
    each read (its rows, then their bytes) in a transaction of its own."""
    found, made = first
    while True:
        if found.rows:
            yield made
        if not found.has_more or not found.rows:
            return
        window = Window(limit=EXPORT_CHUNK, after=key_of(found.rows[-1]), descending=descending)
        # The request is answered: each read has an app context of its own (the resource's
        # fetch finds the store through it), never held across a yield.
        with app.app_context():
            found = fetch(window)[0]
            made = items(found.rows)
        held.end_snapshots()


class ExportStream:
    """The response body: bytes per chunk; closing it (the server does, also for a HEAD or a
    client gone) gives the held connections back."""

    def __init__(self, chunks, lines, held, path: str) -> None:
        self._chunks, self._lines = chunks, lines
        self._held, self._path = held, path
        self.items = 0
        self._running: Iterator[bytes] | None = None

    def __iter__(self) -> Iterator[bytes]:
        self._running = self._body()
        return self._running

    def _body(self) -> Iterator[bytes]:
        try:
            header = self._lines(None)
            if header:
                yield header
            for made in self._chunks:
                yield self._lines(made)
                self.items += len(made)
        except Exception:
            # The status is sent: break the stream off (the server drops the connection
            # without the last chunk), so the client cannot take it for a whole export.
            log.exception("export of %s broken off after %d items", self._path, self.items)
            raise
        finally:
            self._held.close()

    def close(self) -> None:
        if self._running is not None:
            self._running.close()
        self._chunks.close()
        self._held.close()


def _ndjson(items: list[bytes] | None) -> bytes:
    if items is None:
        return b""
    return b"\n".join(items) + b"\n"


def _csv_rows(columns: tuple[str, ...]):
    paths = [column.split(".") for column in columns]

    def rows(items: list[bytes] | None) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        if items is None:
            writer.writerow(columns)
        else:
            for raw in items:
                value = orjson.loads(raw)
                writer.writerow([csv_cell(_dig(value, path)) for path in paths])
        return out.getvalue().encode()

    return rows


def _dig(value, path: list[str]):
    for name in path:
        if not isinstance(value, dict):
            return None
        value = value.get(name)
    return value


def csv_cell(value) -> str:
    """One item value as a CSV cell: empty for null, ``true``/``false``, numbers as JSON writes
    them, lists of strings joined, and text that could start a formula guarded."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int | float):
        return orjson.dumps(value).decode()
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(str(v) for v in value)
    text = str(value)
    return FORMULA_GUARD + text if text.startswith(FORMULA_STARTS) else text
