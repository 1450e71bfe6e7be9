"""Health: liveness and readiness bodies."""

from marshmallow import fields

from .common import ItemMetaSchema, LinksSchema, ResponseSchema, envelope


class HealthSchema(ResponseSchema):
    """The service's state."""

    status = fields.String(
        required=True,
        metadata={"description": "`ok` (liveness) or `ready` (readiness).", "examples": ["ok"]},
    )
    schema_version = fields.String(
        metadata={
            "description": "Readiness only: the store's schema version (its newest applied "
            "migration).",
            "examples": ["0001"],
        },
    )


HealthResponseSchema = envelope(
    "HealthResponse", fields.Nested(HealthSchema, required=True), LinksSchema, ItemMetaSchema
)
