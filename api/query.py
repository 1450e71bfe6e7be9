"""Query parsing at request time, through the marshmallow schemas, strictly and without
repeating work.

:class:`StrictQueryParser` makes an unknown parameter or a bad value a 400 naming the parameter
(webargs' default would be a 422, or silently ignoring unknown keys).

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
