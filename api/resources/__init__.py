"""One module per resource, each a flask-smorest Blueprint."""

from . import (
    articles,
    bullets,
    changes,
    entities,
    health,
    jobs,
    quotes,
    sections,
    versions,
    webhooks,
)

BLUEPRINTS = (
    articles.blp,
    versions.blp,
    sections.blp,
    bullets.blp,
    quotes.blp,
    entities.blp,
    changes.blp,
    jobs.blp,
    webhooks.blp,
    health.blp,
)
