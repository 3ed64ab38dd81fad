"""REST API under /api/v1: organisations, initiatives, goals, tags, OpenAPI."""
from flask import Blueprint, request

bp = Blueprint("rest", __name__, url_prefix="/api/v1")

from . import data, goals, initiatives, openapi, org_merge, organisations, overlaps, restore, suggestions, tag_curation, tags, webhooks  # noqa: E402,F401  (routes)
from . import confirm  # noqa: E402,F401  (route: POST /initiatives/<id>/confirm)


@bp.url_value_preprocessor
def _ids_in_range(_endpoint, values) -> None:
    """An id beyond the database's integer column cannot exist: 404, not a database error."""
    from coordination.errors import NotFound

    for name, value in (values or {}).items():
        if name.endswith("_id") and isinstance(value, int) and value > 2_147_483_647:
            raise NotFound(f"No {name[:-3]} {value}.")


@bp.before_request
def _no_nul_in_path_or_query() -> None:
    """PostgreSQL text cannot hold NUL (U+0000): refuse it here as a 400, not a database error.

    Bodies are checked where they are read (common.json_body, the upload's form fields).
    """
    from coordination.errors import ValidationError

    from .common import refuse_nul, text_problem

    bad = {name: text_problem(value) for name, value in (request.view_args or {}).items() if isinstance(value, str)}
    for name, values in request.args.lists():
        bad[name] = next((p for p in map(text_problem, [name, *values]) if p), None)
    refuse_nul({name: why for name, why in sorted(bad.items()) if why})
