"""Health: liveness and readiness bodies."""

from marshmallow import Schema, fields

from .common import ItemMetaSchema, LinksSchema, envelope


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"example": "ok"})


HealthResponseSchema = envelope(
    "HealthResponse", fields.Nested(HealthSchema, required=True), LinksSchema, ItemMetaSchema
)
