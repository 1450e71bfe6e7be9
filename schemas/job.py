"""Write jobs: what ``POST``/``PUT /v1/articles`` answer, and ``GET /v1/jobs/{job_id}``."""

from __future__ import annotations

from marshmallow import fields

from api.store import JOB_STATES

from .common import (
    ItemMetaSchema,
    NamedChoices,
    ProblemSchema,
    ResponseSchema,
    envelope,
    timestamp,
)

JOB_STATE = NamedChoices(
    "JobState",
    JOB_STATES,
    description="Where a write is: waiting for a worker, being parsed and stored, done, or "
    "refused (see `problem`).",
)


class JobResultSchema(ResponseSchema):
    article_id = fields.String(required=True, metadata={"examples": ["council-budget"]})
    version = fields.Integer(required=True, metadata={"examples": [2]})
    created = fields.Boolean(
        required=True,
        metadata={
            "description": "False when the text was unchanged: no new version was made.",
            "examples": [True],
        },
    )


class JobLinksSchema(ResponseSchema):
    self = fields.String(required=True, metadata={"examples": ["/v1/jobs/j_5f2c9a1e0b7d4c3a"]})
    article = fields.String(
        allow_none=True,
        metadata={
            "description": "The article the job wrote (once it succeeded).",
            "examples": ["/v1/articles/council-budget"],
        },
    )
    version = fields.String(
        allow_none=True,
        metadata={
            "description": "The immutable URL of the version it made or found unchanged.",
            "examples": ["/v1/articles/council-budget/versions/2"],
        },
    )


class JobSchema(ResponseSchema):
    """A write, parsed and stored by a worker."""

    id = fields.String(required=True, metadata={"examples": ["j_5f2c9a1e0b7d4c3a"]})
    state = fields.String(required=True, validate=JOB_STATE)
    method = fields.String(
        required=True, metadata={"description": "`POST` or `PUT`.", "examples": ["PUT"]}
    )
    article_id = fields.String(
        allow_none=True,
        metadata={
            "description": "The id the request named; null for a POST that lets the title name it.",
            "examples": ["council-budget"],
        },
    )
    created_at = timestamp("When it was accepted.", "2026-12-01T10:00:00.000000Z", required=True)
    started_at = timestamp(
        "When a worker last started it.", "2026-12-01T10:00:00.100000Z", allow_none=True
    )
    finished_at = timestamp("When it finished.", "2026-12-01T10:00:01.200000Z", allow_none=True)
    attempts = fields.Integer(
        required=True,
        metadata={
            "description": "How many times a worker started it (a worker that dies "
            "mid-job leaves it to run again).",
            "examples": [1],
        },
    )
    result = fields.Nested(JobResultSchema, allow_none=True)
    problem = fields.Nested(
        ProblemSchema, allow_none=True, metadata={"description": "Why it failed."}
    )
    links = fields.Nested(JobLinksSchema, required=True)


JobResponseSchema = envelope(
    "JobResponse", fields.Nested(JobSchema, required=True), JobLinksSchema, ItemMetaSchema
)
