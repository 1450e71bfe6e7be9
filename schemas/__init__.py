"""marshmallow schemas: the one definition of every resource's shape.

Used at ingest to dump the stored representations, by the API to document (and validate) its
responses, and by apispec to write the OpenAPI document. Component names are the class names
without the ``Schema`` suffix.
"""

from .article import (
    ArticleListQuerySchema,
    ArticleListResponseSchema,
    ArticleQuerySchema,
    ArticleResponseSchema,
    ArticleSchema,
    ArticleSummarySchema,
    VersionListResponseSchema,
    VersionSummarySchema,
)
from .bullet import BulletListResponseSchema, BulletSchema
from .common import LinksSchema, NoQuerySchema, PageQuerySchema, ProblemSchema
from .section import SectionListResponseSchema, SectionResponseSchema, SectionSchema

__all__ = [
    "ArticleListQuerySchema",
    "ArticleListResponseSchema",
    "ArticleQuerySchema",
    "ArticleResponseSchema",
    "ArticleSchema",
    "ArticleSummarySchema",
    "BulletListResponseSchema",
    "BulletSchema",
    "LinksSchema",
    "NoQuerySchema",
    "PageQuerySchema",
    "ProblemSchema",
    "SectionListResponseSchema",
    "SectionResponseSchema",
    "SectionSchema",
    "VersionListResponseSchema",
    "VersionSummarySchema",
]
