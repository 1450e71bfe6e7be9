"""Sparse fieldsets: ``fields=id,title,quotes.text`` keeps only those members of each item.

A selection is a tree: each named member maps to ``None`` (keep its whole value) or to the
selection inside it (``quotes.text``: in each quote, only ``text``). Names are checked against
the item's schema, so an unknown name is a 400 naming it, never an empty object. The envelope
(``links``, ``meta``) is never cut; in a collection the selection applies to each item.

Pure functions (no Flask): the app applies them in :mod:`api.http`, the fast path in
:mod:`api.fastpath`, to the stored bytes of the response being built.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import orjson
from marshmallow import Schema, fields

#: A selection: member name -> None (all of it) or the selection within it.
Tree = dict[str, "Tree | None"]

#: At most this many names in one request's ``fields``.
MAX_FIELDS = 50
#: What one name looks like: member names, dotted into nested ones.
FIELD_PATTERN = r"^[a-z_]+(\.[a-z_]+)*$"


class UnknownField(ValueError):
    """A name in ``fields`` the item has no member for."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        self.name = name
        self.known = sorted(known)
        super().__init__(f"unknown field {name!r}")


@functools.cache
def allowed(schema: type[Schema]) -> Tree:
    """Every member an item of ``schema`` may have, nested ones included (lists of objects too)."""
    tree: Tree = {}
    for name, field in schema._declared_fields.items():
        name = field.data_key or name
        inner = field.inner if isinstance(field, fields.List) else field
        if isinstance(inner, fields.Nested) and isinstance(inner.nested, type):
            tree[name] = allowed(inner.nested)
        else:
            tree[name] = None
    return tree


def names_of(values: Iterable[str]) -> list[str]:
    """The names of ``fields`` parameters (each comma-separated), blanks dropped."""
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


def selection(names: Iterable[str], schema: type[Schema]) -> Tree:
    """The tree of ``names`` (``a``, ``a.b``) for items of ``schema``; :class:`UnknownField` for
    a name the item lacks. A whole member wins over parts of it (``quotes,quotes.text``)."""
    tree: Tree = {}
    known = allowed(schema)
    for name in names:
        node, options = tree, known
        parts = name.split(".")
        for depth, part in enumerate(parts):
            if options is None or part not in options:
                raise UnknownField(name, (options or {}).keys())
            if depth == len(parts) - 1:
                node[part] = None
                break
            if part in node and node[part] is None:
                break  # already whole
            node = node.setdefault(part, {})
            options = options[part]
    return tree


def with_parts(include: list[str], tree: Tree, parts) -> list[str]:
    """``include`` plus the ``parts`` the selection names (on an article, ``fields=quotes.text``
    embeds the quotes, as ``include=quotes`` would)."""
    return list(dict.fromkeys([*include, *(name for name in tree if name in parts)]))


def project(value, tree: Tree):
    """``value`` with only the members ``tree`` names (in the item's own order); lists are
    projected item by item, and anything that is not an object is kept as it is."""
    if isinstance(value, list):
        return [project(item, tree) for item in value]
    if not isinstance(value, dict):
        return value
    return {
        name: member if tree[name] is None else project(member, tree[name])
        for name, member in value.items()
        if name in tree
    }


def project_item(body: bytes, tree: Tree) -> bytes:
    """One serialised item cut to ``tree`` (an export's line)."""
    return orjson.dumps(project(orjson.loads(body), tree))


def selects(tree: Tree, path: list[str]) -> bool:
    """Whether ``tree`` keeps the member at ``path`` (``["counts", "quotes"]``): a CSV column."""
    node: Tree | None = tree
    for part in path:
        if node is None:
            return True
        if part not in node:
            return False
        node = node[part]
    return True


def project_envelope(body: bytes, tree: Tree) -> bytes:
    """A ``{data, links, meta}`` body with ``data`` (an item, or each item of a list) cut to
    ``tree``."""
    document = orjson.loads(body)
    document["data"] = project(document["data"], tree)
    return orjson.dumps(document)
