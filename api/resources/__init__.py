"""One module per resource, each a flask-smorest Blueprint."""

from . import articles, bullets, entities, health, quotes, sections, versions

BLUEPRINTS = (
    articles.blp,
    versions.blp,
    sections.blp,
    bullets.blp,
    quotes.blp,
    entities.blp,
    health.blp,
)
