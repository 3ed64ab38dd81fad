"""REST API under /api/v1: organisations, initiatives, goals, tags, OpenAPI."""
from flask import Blueprint

bp = Blueprint("rest", __name__, url_prefix="/api/v1")

from . import convergence, data, goals, initiatives, openapi, organisations, restore, suggestions, tag_curation, tags, webhooks  # noqa: E402,F401  (routes)


@bp.url_value_preprocessor
def _ids_in_range(_endpoint, values) -> None:
    """An id beyond the database's integer column cannot exist: 404, not a database error."""
    from coordination.errors import NotFound

    for name, value in (values or {}).items():
        if name.endswith("_id") and isinstance(value, int) and value > 2_147_483_647:
            raise NotFound(f"No {name[:-3]} {value}.")
