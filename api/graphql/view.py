"""POST /graphql runs a query; GET /graphql opens GraphiQL, served from /static (no CDN).

The view parses, checks the limits, validates (the outcome kept per query text,
`documents.py`) and executes with graphql-core. It never commits: the services own the transaction. Request-level failures (not JSON,
no query, syntax errors, limits, invalid queries) are HTTP 400 in the same
`errors[].extensions` shape as execution errors.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, current_app, jsonify, render_template_string, request
from graphql import ExecutionResult, execute

from coordination.errors import DomainError, ValidationError

from ..auth import current_actor
from ..errors import STATUS
from ..extensions import db
from ..rest.common import nul_fields, refuse_nul
from ..security import charge_analytics
from .context import Context
from .cost import check_cost
from .documents import Checked, checked_document, problems_of
from .errors import domain_entry, format_error
from .schema import get_schema

bp = Blueprint("graphql", __name__)

GRAPHIQL = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>GraphQL · Coordination platform</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{{ url_for('static', filename='graphiql/graphiql.min.css') }}">
<style{{ nonce_attr() }}>html, body, #graphiql { height: 100%; margin: 0; }</style></head>
<body><div id="graphiql" data-endpoint="{{ url_for('graphql.graphql') }}">Loading GraphiQL…</div>
<script src="{{ url_for('static', filename='graphiql/react.production.min.js') }}"></script>
<script src="{{ url_for('static', filename='graphiql/react-dom.production.min.js') }}"></script>
<script src="{{ url_for('static', filename='graphiql/graphiql.min.js') }}"></script>
<script src="{{ url_for('static', filename='graphiql/init.js') }}"></script>
</body></html>"""


def _bad_request(err: DomainError, status: int | None = None):
    return jsonify({"errors": [domain_entry(err)]}), status or STATUS.get(err.code, 400)


# How deeply arrays and objects may nest in a request body. The schema's deepest input (an
# initiative's locations and partners) needs 4; anything far deeper is an attack on the
# parser and on every recursive walk of the variables after it.
MAX_JSON_DEPTH = 32


def _too_deep() -> ValidationError:
    message = f"The request body nests arrays or objects more than {MAX_JSON_DEPTH} levels deep."
    return ValidationError(message, {"_body": [f"must not nest more than {MAX_JSON_DEPTH} levels deep"]})


def _check_depth(value: Any) -> None:
    """Refuse parsed JSON nested deeper than MAX_JSON_DEPTH (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > MAX_JSON_DEPTH:
                raise _too_deep()
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))


def _loads(raw: bytes | str) -> Any:
    """json.loads whose failures, including nesting too deep for the parser, are a ValidationError."""
    try:
        value = json.loads(raw)
    except RecursionError:
        raise _too_deep() from None
    _check_depth(value)
    return value


def _read_body() -> dict[str, Any]:
    """The {"query", "variables", "operationName"} object; anything else is a ValidationError."""
    if not request.is_json:
        # Requiring JSON also keeps cross-site HTML forms (text/plain, no preflight) out.
        raise ValidationError(
            "Send the request as application/json.",
            {
                "_body": [
                    f"content type must be application/json, not {request.mimetype or 'none'!r}"
                ]
            },
        )
    raw = request.get_data(cache=True)
    try:
        body = _loads(raw) if raw.strip() else None
    except (ValueError, UnicodeDecodeError) as err:
        raise ValidationError(
            f"Malformed JSON: {err}", {"_body": [f"malformed JSON: {err}"]}
        ) from None
    if isinstance(body, list):
        raise ValidationError(
            "Batched queries are not supported; send one query per request.",
            {"_body": ["must be one JSON object, not a list"]},
        )
    if not isinstance(body, dict):
        raise ValidationError(
            'The body must be a JSON object {"query": "..."}.',
            {"_body": ["must be a JSON object with a query"]},
        )
    query = body.get("query")
    if not isinstance(query, str) or not query.strip():
        raise ValidationError(
            "The request has no query.", {"query": ["is required (a GraphQL document)"]}
        )
    variables = body.get("variables")
    if isinstance(variables, str) and variables.strip():
        try:  # some clients send the variables as a JSON string
            variables = _loads(variables)
        except ValueError:
            raise ValidationError(
                "Invalid variables.", {"variables": ["must be a JSON object"]}
            ) from None
    if variables not in (None, "") and not isinstance(variables, dict):
        raise ValidationError("Invalid variables.", {"variables": ["must be a JSON object"]})
    name = body.get("operationName")
    if name is not None and not isinstance(name, str):
        raise ValidationError("Invalid operationName.", {"operationName": ["must be a string"]})
    return {"query": query, "variables": variables or None, "operation_name": name or None}


def _respond(result: ExecutionResult):
    """The JSON response of an execution; unexpected errors are logged and the session rolled back."""
    body: dict[str, Any] = {}
    if result.errors:
        formatted = [format_error(err) for err in result.errors]
        for err, (_entry, kind) in zip(result.errors, formatted):
            if kind == "unexpected":
                original = err.original_error
                current_app.logger.error(
                    "GraphQL resolver failed: %s",
                    err.message,
                    exc_info=(type(original), original, original.__traceback__),
                )
        db.session.rollback()
        body["errors"] = [entry for entry, _kind in formatted]
        kinds = {kind for _entry, kind in formatted}
        if result.data is None and kinds == {"request"}:
            return jsonify(body), 400  # the request could not run at all (e.g. bad variables)
        if "unavailable" in kinds:
            db.session.remove()
            response = jsonify({**body, "data": None})
            response.headers["Retry-After"] = "5"
            return response, 503
        if result.data is None and "unexpected" in kinds:
            body["data"] = None
            return jsonify(body), 500
    body["data"] = result.data
    return jsonify(body), 200


def _refuse_nul(checked: Checked, variables) -> None:
    """Text no column stores (NUL, lone surrogates) in variables or string literals is a 400."""
    fields = nul_fields(variables or {})
    if checked.literal_problem:
        fields.setdefault("query", checked.literal_problem)
    refuse_nul(fields)


@bp.get("/graphql")
def graphiql():
    """GraphiQL, the in-browser IDE, with its scripts served from /static."""
    return render_template_string(GRAPHIQL)


@bp.post("/graphql")
def graphql():
    """Run one GraphQL operation for the caller's token (or anonymously)."""
    schema = get_schema().graphql_schema
    config = current_app.config
    try:
        body = _read_body()
        checked = checked_document(body["query"], config)
        _refuse_nul(checked, body["variables"])
        actor = current_actor()
    except DomainError as err:
        return _bad_request(err)
    document = checked.document
    problems = problems_of(schema, body["query"], checked, config)
    if problems:
        return jsonify({"errors": [format_error(p)[0] for p in problems]}), 400
    try:
        analytics = check_cost(schema, document, body["variables"], body["operation_name"], config)
    except DomainError as err:
        return _bad_request(err)
    if analytics:  # computed over every record: the stricter analytics rate limit applies too
        refused = charge_analytics(sum(analytics.values()))
        if refused is not None:
            return refused
    result = execute(
        schema,
        document,
        context_value=Context(db.session, actor, config),
        variable_values=body["variables"],
        operation_name=body["operation_name"],
    )
    return _respond(result)
