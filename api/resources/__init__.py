"""One module per resource, each a flask-smorest Blueprint."""

from . import articles, bullets, health, sections, versions

BLUEPRINTS = (articles.blp, versions.blp, sections.blp, bullets.blp, health.blp)
