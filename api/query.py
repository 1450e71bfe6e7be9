"""Query parsing at request time, through the marshmallow schemas, strictly and without
repeating work.

:class:`StrictQueryParser` makes an unknown parameter, a bad value or a single-valued parameter
given twice a 400 naming the parameter (webargs' default would be a 422, silently ignoring
unknown keys, and taking the first of repeated values).

webargs parses each request's query through the endpoint's marshmallow schema (which stays the
one definition of the parameters, of their 400s and of the spec). Two costs are repeated
needlessly per request:

* the schema is given as a class, so webargs instantiates it for every request (most of the
  parse's cost); here one instance per class is kept (loading does not mutate a schema);
* the result depends on nothing but the schema and the query string, and the same few query
  strings arrive again and again (``""``, ``include=…``, ``page_size=20``); the last
  :data:`MEMO_SIZE` results per process are kept and a copy is handed out. Invalid queries are
  never kept: they raise, and the 400 is built each time.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock
from typing import ClassVar

import marshmallow as ma
from marshmallow import RAISE
from webargs.flaskparser import FlaskParser

MEMO_SIZE = 256


class StrictQueryParser(FlaskParser):
    DEFAULT_VALIDATION_STATUS = 400
    DEFAULT_UNKNOWN_BY_LOCATION: ClassVar[dict] = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": RAISE,
    }

    def load_querystring(self, req, schema: ma.Schema):
        """The query string, after refusing a single-valued parameter given more than once
        (``page_size=1&page_size=2``): which one a client meant is not ours to guess."""
        by_key = {field.data_key or name: field for name, field in schema.fields.items()}
        repeated = {
            name: [f"Given {len(values)} times; `{name}` takes one value."]
            for name, values in req.args.lists()
            if len(values) > 1 and name in by_key and not _is_multiple(by_key[name])
        }
        if repeated:
            raise ma.ValidationError(repeated)
        return super().load_querystring(req, schema)


def _is_multiple(field: ma.fields.Field) -> bool:
    """webargs' rule: a field takes repeated values if it says so, or is a List or Tuple."""
    multiple = getattr(field, "is_multiple", None)
    if multiple is not None:
        return bool(multiple)
    return isinstance(field, ma.fields.List | ma.fields.Tuple)


class MemoQueryParser(StrictQueryParser):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._schemas: dict[type, ma.Schema] = {}
        self._memo: OrderedDict[tuple, dict] = OrderedDict()
        self._lock = Lock()

    def _get_schema(self, argmap, req):
        if isinstance(argmap, type) and issubclass(argmap, ma.Schema):
            schema = self._schemas.get(argmap)
            if schema is None:
                schema = self._schemas[argmap] = argmap()
            return schema
        return super()._get_schema(argmap, req)

    def parse(self, argmap, req=None, *, location=None, **kwargs):
        if location != "query" or kwargs.get("validate") or not isinstance(argmap, type):
            return super().parse(argmap, req, location=location, **kwargs)
        req = req if req is not None else self.get_default_request()
        key = (argmap, req.query_string)
        parsed = self._memo.get(key)
        if parsed is None:
            parsed = super().parse(argmap, req, location=location, **kwargs)
            with self._lock:
                self._memo[key] = parsed
                if len(self._memo) > MEMO_SIZE:
                    self._memo.popitem(last=False)
        return {k: list(v) if isinstance(v, list) else v for k, v in parsed.items()}


QUERY_PARSER = MemoQueryParser()
