"""Jobs: ``/v1/jobs/{job_id}``, where a write over HTTP is seen through."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import abort

from schemas.common import FieldsQuerySchema
from schemas.job import JobResponseSchema

from .. import auth
from ..http import store
from ..spec import Blueprint, read_operation
from .common import job_response

blp = Blueprint(
    "jobs",
    __name__,
    url_prefix="/v1/jobs",
    description="Writes on their way: each `POST`/`PUT` of an article is a job that a worker "
    "parses and stores.",
)


@blp.route("/<job_id>")
class JobItem(MethodView):
    @read_operation(
        blp,
        "getJob",
        JobResponseSchema,
        scope="write",
        description="OK: the job, its state and, once done, its result or problem.",
    )
    @blp.arguments(FieldsQuerySchema, location="query")
    def get(self, _args, job_id: str):
        """Get a job

        `queued`, `running`, then `succeeded` (with the article version it made, or found
        unchanged) or `failed` (with the problem). Poll it, or follow the change feed.
        Visible to keys of the owner that sent it (and admin keys).
        """
        caller = auth.caller()  # the operation checked its scope
        job = store().job(job_id) if len(job_id) <= 40 else None
        if job is None or (job.owner != caller.source and not caller.may("admin")):
            abort(404, message=f"No job with id {job_id!r}.")
        return job_response(job)
