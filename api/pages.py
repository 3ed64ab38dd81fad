"""Web pages (placeholder until the map lands)."""
from flask import Blueprint

bp = Blueprint("pages", __name__)


@bp.get("/")
def index():
    """Placeholder home page."""
    return "<!doctype html><title>Coordination</title><h1>Coordination platform</h1><p>The map is coming.</p>"
