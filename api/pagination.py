"""Page and cursor pagination over any ordered collection the store can window.

* page mode (``page=N``): offset windows, ``meta.pagination`` has page counts, links include
  ``last``. For UI pagers.
* cursor mode (no ``page``, or ``cursor=…``): keyset windows on the collection's sort key, so a
  deep page costs what the first costs and pages stay stable while new items arrive. The first
  request of a walk sends neither parameter.

* export (``Accept: application/x-ndjson`` or ``text/csv``, :mod:`api.export`): every item,
  streamed, from the same ``fetch``; the resource gives ``item`` (a row's item bytes).

``after`` (the key of an item, as the client sees it) starts a walk or an export after that
item: how a broken export resumes without any cursor in its lines.

A cursor is opaque to clients: base64url JSON naming the collection's ordering (its scope), the
direction and the key of the item it continues from. A cursor from another collection, a
mangled one, or one whose integer key no stored column can hold (a forged ``2**63``) is a 400
naming ``cursor``: nothing from a cursor reaches SQL unchecked.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import orjson
from flask import request
from flask_smorest import abort

from . import export
from .contract import CANONICAL_INTEGER, MAX_STORED_INT
from .http import link_to
from .store import Key, Slice, Window

KeyType = type | tuple[type, ...]

PAGING_PARAMS = ("page", "cursor", "page_size", "after")
_INTEGER = re.compile(CANONICAL_INTEGER)


@dataclass(slots=True)
class Page:
    rows: list
    links: dict
    meta: dict
    link_header: str


def encode_cursor(scope: str, direction: str, key: str | int) -> str:
    raw = orjson.dumps({"s": scope, "d": direction, "k": key})
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(token: str, scope: str, key_type: KeyType) -> tuple[str, Key]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        value = orjson.loads(raw)
        ok = (
            isinstance(value, dict)
            and value.get("s") == scope
            and value.get("d") in ("next", "prev")
            and _key_fits(value.get("k"), key_type)
        )
    except (binascii.Error, ValueError):
        ok = False
    if not ok:
        bad_parameter("cursor", "Not a cursor for this collection; take one from links.next.")
    key = value["k"]
    return value["d"], tuple(key) if isinstance(key, list) else key


def _key_fits(key: object, key_type: KeyType) -> bool:
    """Exact types only (no bool for int), and integers a stored column can hold, so a mangled
    or forged cursor never reaches SQL."""
    if isinstance(key_type, tuple):
        return (
            isinstance(key, list)
            and len(key) == len(key_type)
            and all(_part_fits(k, t) for k, t in zip(key, key_type, strict=True))
        )
    return _part_fits(key, key_type)


def _part_fits(key: object, key_type: type) -> bool:
    if type(key) is not key_type:
        return False
    return key_type is not int or 0 <= key <= MAX_STORED_INT  # type: ignore[operator]


def bad_parameter(name: str, detail: str):
    abort(400, message=detail, errors={"query": {name: [detail]}})


def after_key(text: str, key_type: KeyType) -> Key:
    """``after`` as a key of the collection: the text itself, or a canonical integer a stored
    column holds; anything else is a 400 naming ``after``."""
    if key_type is str:
        return text
    if key_type is int and _INTEGER.fullmatch(text) and int(text) <= MAX_STORED_INT:
        return int(text)
    bad_parameter("after", "Not a key of this collection: the last item's key (see `after`).")


def start_key(args: dict, scope: str, key_type: KeyType, resume=None) -> tuple[str, Key | None]:
    """Where a walk starts: ``(direction, key)`` from ``cursor`` or ``after``, else the start."""
    if "cursor" in args:
        return decode_cursor(args["cursor"], scope, key_type)
    if "after" in args:
        return "next", (resume or (lambda text: after_key(text, key_type)))(args["after"])
    return "next", None


def export_or_none(
    args: dict,
    fetch,
    *,
    scope: str,
    key_of,
    key_type: KeyType,
    descending: bool,
    item=None,
    items=None,
    resume=None,
    columns: tuple[str, ...] = (),
) -> None:
    """When the request asked for an export: answer it (raises :class:`export.ExportResponse`),
    after the checks a page makes; else return. ``item`` makes one row's bytes; ``items`` (in
    its place) a chunk's, when they need one more read."""
    if export.requested() is None:
        return
    if item is None and items is None:
        export.refuse_unexportable()
    # ``page_size`` is ignored (generated clients send its default); ``page`` cannot mean
    # anything here.
    if "page" in request.args:
        bad_parameter("page", "An export has no pages: it streams every item; leave it out.")
    direction, key = start_key(args, scope, key_type, resume)
    if direction != "next":
        bad_parameter("cursor", "An export goes forwards: take the cursor from links.next.")
    export.stream(
        fetch,
        start=key,
        key_of=key_of,
        items=items or (lambda rows: [item(row) for row in rows]),
        descending=descending,
        columns=columns,
    )


def paginate(
    args: dict,
    fetch: Callable[[Window], tuple[Slice, int]],
    *,
    scope: str,
    key_of: Callable[[object], Key],
    key_type: KeyType = str,
    descending: bool = False,
    path: str | None = None,
    params: list[tuple[str, str]] | None = None,
    item: Callable[[object], bytes] | None = None,
    items: Callable[[list], list[bytes]] | None = None,
    resume: Callable[[str], Key] | None = None,
) -> Page:
    """Read one page of a collection; ``fetch`` returns the window's rows and the total count.

    ``path`` and ``params`` (the request's path and query items) default to Flask's request;
    :mod:`api.fastpath` passes its own. ``item`` makes a row's item bytes (``items``: a chunk's
    rows' at once): with it, a request for an export is answered with every item
    (:mod:`api.export`) instead of a page.
    ``resume`` reads ``after`` as a key, when the key is not the text itself.
    """
    if path is None:
        export_or_none(
            args,
            fetch,
            scope=scope,
            key_of=key_of,
            key_type=key_type,
            descending=descending,
            item=item,
            items=items,
            resume=resume,
        )
    size = args["page_size"]
    if path is None or params is None:
        path, params = request.path, list(request.args.items(multi=True))
    base = [(k, v) for k, v in params if k not in PAGING_PARAMS]
    sized = [*base, ("page_size", str(size))]

    def _url(query: list[tuple[str, str]]) -> str:
        return link_to(path, query)

    # In the order of PageLinksSchema, so the bytes are exactly the schema's dump.
    links: dict[str, str | None] = {"self": link_to(path, params)}

    if "page" in args:
        page = args["page"]
        found, total = fetch(Window(limit=size, offset=(page - 1) * size, descending=descending))
        pages = max(1, math.ceil(total / size))
        links["first"] = _url([*sized, ("page", "1")])
        links["next"] = _url([*sized, ("page", str(page + 1))]) if page < pages else None
        links["prev"] = _url([*sized, ("page", str(min(page - 1, pages)))]) if page > 1 else None
        links["last"] = _url([*sized, ("page", str(pages))])
        pagination = {
            "mode": "page",
            "page_size": size,
            "total_items": total,
            "page": page,
            "total_pages": pages,
        }
    else:
        direction, key = start_key(args, scope, key_type, resume)
        window = Window(
            limit=size,
            after=key if direction == "next" else None,
            before=key if direction == "prev" else None,
            descending=descending,
        )
        found, total = fetch(window)
        rows = found.rows
        if direction == "prev":
            has_next, has_prev = True, found.has_more
        else:
            has_next, has_prev = found.has_more, key is not None

        def cursor_link(where: str, at) -> str:
            return _url([*sized, ("cursor", encode_cursor(scope, where, at))])

        links["first"] = _url(sized)
        links["next"] = cursor_link("next", key_of(rows[-1])) if has_next and rows else None
        links["prev"] = cursor_link("prev", key_of(rows[0])) if has_prev and rows else None
        pagination = {"mode": "cursor", "page_size": size, "total_items": total}

    header = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url is not None)
    return Page(found.rows, links, {"pagination": pagination}, header)
