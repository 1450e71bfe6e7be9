"""Liveness and readiness, for load balancers and orchestrators."""

from __future__ import annotations

import orjson
from flask.views import MethodView
from sqlalchemy.exc import SQLAlchemyError

from schemas.common import NoQuerySchema
from schemas.health import HealthResponseSchema

from ..contract import REVALIDATE
from ..errors import problem_response
from ..http import envelope, json_response, self_url, store
from ..spec import Blueprint, read_operation

blp = Blueprint("health", __name__, description="Service health.")


@blp.route("/healthz")
class Health(MethodView):
    @blp.arguments(NoQuerySchema, location="query", as_kwargs=True)
    @read_operation(blp, "getHealth", HealthResponseSchema)
    def get(self):
        """Liveness

        200 while the process can answer requests.
        """
        return json_response(
            envelope(orjson.dumps({"status": "ok"}), {"self": self_url()}), cache_control=REVALIDATE
        )


@blp.route("/readyz")
class Readiness(MethodView):
    @blp.arguments(NoQuerySchema, location="query", as_kwargs=True)
    @read_operation(blp, "getReadiness", HealthResponseSchema)
    @blp.alt_response(503, response="SERVICE_UNAVAILABLE")
    def get(self):
        """Readiness

        200 when the store answers, its schema is the one this node's code expects (the newest
        migration; `schema_version` names it) and it holds at least one article; 503 otherwise.
        """
        from ..migrations import head

        try:
            version = store().schema_version()
            ready = store().has_articles()
        except SQLAlchemyError:
            return problem_response(503, "The store is not reachable.")
        if version != head():
            return problem_response(
                503,
                f"The store's schema is at {version or 'no version'}, this node needs {head()}; "
                "run `article-api db upgrade`.",
            )
        if not ready:
            return problem_response(503, "The store holds no articles yet; run an ingest.")
        data = {"status": "ready", "schema_version": version}
        return json_response(
            envelope(orjson.dumps(data), {"self": self_url()}), cache_control=REVALIDATE
        )
