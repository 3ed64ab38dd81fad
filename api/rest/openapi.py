"""The OpenAPI 3 document, derived from the marshmallow schemas, and a readable docs page."""
from __future__ import annotations

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app, jsonify, render_template_string

from .. import schemas as s
from . import bp

FILTERS = [
    ("goal", "Goal code; matches its targets and linked local goals too (e.g. 6)"),
    ("target", "Target code (e.g. 6.1)"), ("tag", "Tag label or key"),
    ("organisation", "Organisation slug (lead or partner)"), ("country", "ISO 3166-1 alpha-2"),
    ("bbox", "minLon,minLat,maxLon,maxLat"), ("status", "pipeline|implementation|finalisation|closed|cancelled|suspended"),
    ("active_on", "YYYY-MM-DD: running on that day"), ("year", "Running at some time in that year"),
    ("q", "Words in title or description"), ("vision", "Vision slug"),
    ("first", "Page size, 1-100 (default 20)"), ("after", "Cursor from next_cursor"),
]
ERRORS = {str(code): {"description": why, "content": {"application/json": {"schema": "Error"}}}
          for code, why in [(400, "Invalid input (the fields say which and why)"), (401, "Missing or bad token"),
                            (403, "Not your organisation's"), (404, "Not found"), (409, "Conflict or stale version"),
                            (413, "Body too large")]}


def _json(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def build_spec() -> dict:
    """Assemble the document from the schemas and the route table below."""
    spec = APISpec(title="Coordination platform API", version="1.0.0", openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "Register initiatives against shared goals and find who else works on them. "
                                        "Send tokens as `Authorization: Bearer <token>`. Errors have one shape: "
                                        '`{"error": {"code", "message", "fields"}}`.'},
                   servers=[{"url": "/api/v1"}])
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for name in ("Initiative", "InitiativeInput", "InitiativePage", "Organisation", "OrganisationInput",
                 "Goal", "Vision", "Tag", "Error"):
        spec.components.schema(name, schema=getattr(s, f"{name}Schema"))
    one = [{"name": "initiative_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    query = [{"name": n, "in": "query", "required": False, "description": d, "schema": {"type": "string"}}
             for n, d in FILTERS]
    body = {"required": True, "content": {"application/json": {"schema": "InitiativeInput"}}}
    sec = [{"bearer": []}]
    spec.path("/initiatives", operations={
        "get": {"summary": "List initiatives", "parameters": query,
                "responses": {"200": _json("InitiativePage", "A page of initiatives"), "400": ERRORS["400"]}},
        "post": {"summary": "Register an initiative", "security": sec, "requestBody": body,
                 "responses": {"201": _json("Initiative", "Created; Location header points at it"),
                               **{k: ERRORS[k] for k in ("400", "401", "403", "409", "413")}}}})
    spec.path("/initiatives/{initiative_id}", operations={
        "get": {"summary": "One initiative", "parameters": one,
                "responses": {"200": _json("Initiative", "The initiative (ETag: its version)"), "404": ERRORS["404"]}},
        "patch": {"summary": "Edit an initiative (If-Match: the ETag)", "parameters": one, "security": sec,
                  "requestBody": body, "responses": {"200": _json("Initiative", "Edited"),
                                                     **{k: ERRORS[k] for k in ("400", "401", "403", "404", "409")}}},
        "delete": {"summary": "Withdraw an initiative (kept in history)", "parameters": one, "security": sec,
                   "responses": {"200": _json("Initiative", "Withdrawn"),
                                 **{k: ERRORS[k] for k in ("401", "403", "404", "409")}}}})
    spec.path("/organisations", operations={
        "get": {"summary": "List organisations", "responses": {"200": {"description": "Organisations"}}},
        "post": {"summary": "Register an organisation (coordinators)", "security": sec,
                 "requestBody": {"required": True, "content": {"application/json": {"schema": "OrganisationInput"}}},
                 "responses": {"201": _json("Organisation", "Created"), **{k: ERRORS[k] for k in ("400", "401", "403")}}}})
    spec.path("/organisations/{slug}", operations={"get": {
        "summary": "One organisation",
        "parameters": [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}],
        "responses": {"200": _json("Organisation", "The organisation"), "404": ERRORS["404"]}}})
    spec.path("/goals", operations={"get": {
        "summary": "The goal tree of a vision",
        "parameters": [{"name": "vision", "in": "query", "schema": {"type": "string", "default": "sdg"}}],
        "responses": {"200": _json("Vision", "Goals and targets"), "404": ERRORS["404"]}}})
    spec.path("/visions", operations={"get": {"summary": "All visions", "responses": {"200": {"description": "Visions"}}}})
    spec.path("/tags", operations={"get": {"summary": "Tags with aliases and usage counts",
                                           "responses": {"200": {"description": "Tags"}}}})
    for extra in current_app.config.get("OPENAPI_EXTRA_PATHS", []):
        spec.path(**extra)
    return spec.to_dict()


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3 document."""
    return jsonify(build_spec())


DOCS = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>API docs</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="{{ url_for('static', filename='css/site.css') }}"></head>
<body><main class="docs"><h1>{{ spec.info.title }} <small>{{ spec.info.version }}</small></h1>
<p>{{ spec.info.description }}</p><p>Machine-readable: <a href="openapi.json">openapi.json</a>.
GraphQL: <a href="/graphql">/graphql</a>.</p>
{% for path, ops in spec.paths.items() %}{% for method, op in ops.items() %}
<section class="op"><h2><code>{{ method|upper }} /api/v1{{ path }}</code></h2><p>{{ op.summary }}</p>
{% if op.parameters %}<table><tr><th>parameter</th><th>in</th><th>meaning</th></tr>
{% for p in op.parameters %}<tr><td><code>{{ p.name }}</code></td><td>{{ p['in'] }}</td><td>{{ p.description or '' }}</td></tr>{% endfor %}</table>{% endif %}
<p>Responses: {% for code, r in op.responses.items() %}<code>{{ code }}</code> {{ r.description }}{% if not loop.last %}; {% endif %}{% endfor %}</p>
</section>{% endfor %}{% endfor %}
<h2>Schemas</h2>{% for name, schema in spec.components.schemas.items() %}<h3 id="{{ name }}">{{ name }}</h3>
<table>{% for field, prop in schema.properties.items() %}<tr><td><code>{{ field }}</code></td><td>{{ prop.type or prop.get('$ref', '') }}</td></tr>{% endfor %}</table>{% endfor %}
</main></body></html>"""


@bp.get("/docs")
def docs():
    """A readable page generated from the same document."""
    return render_template_string(DOCS, spec=build_spec())
