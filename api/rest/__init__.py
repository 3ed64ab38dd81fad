"""REST API under /api/v1: organisations, initiatives, goals, tags, OpenAPI."""
from flask import Blueprint

bp = Blueprint("rest", __name__, url_prefix="/api/v1")

from . import convergence, data, goals, initiatives, openapi, organisations, restore, suggestions, tag_curation, tags, webhooks  # noqa: E402,F401  (routes)
