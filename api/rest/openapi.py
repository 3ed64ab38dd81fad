"""The OpenAPI 3 document, derived from the marshmallow schemas, and a readable docs page."""
from __future__ import annotations

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app, jsonify, render_template_string

from .. import schemas as s
from . import bp
from .openapi_paths import ERROR_RESPONSES, PATHS, TAGS

# Components: name -> schema class in api.schemas (name + "Schema"); nested ones before those using them.
SCHEMAS = (
    "Error", "Initiative", "InitiativeInput", "InitiativePage", "History", "Suggestions", "SuggestionInput",
    "Overlap", "OverlapList", "OverlapPage", "OverlapDecisionInput", "GroupList", "Fragmentation", "Network",
    "Inbox", "InboxReadInput", "Marked", "Delivery", "Webhook", "WebhookCreated", "WebhookList", "WebhookInput",
    "DigestSubscription", "DigestInput", "ImportReport", "Organisation", "OrganisationPage", "OrganisationInput",
    "Goal", "Vision", "VisionList", "VisionInput", "Tag", "TagList", "CuratedTag", "TagMerge", "TagMergeInput",
    "SynonymInput",
)


def build_spec() -> dict:
    """Assemble the document from the schemas and the path table (openapi_paths.PATHS)."""
    spec = APISpec(title="Coordination platform API", version="1.0.0", openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()], tags=TAGS,
                   info={"description": "Register initiatives against shared goals and find who else works on them. "
                                        "Send tokens as `Authorization: Bearer <token>`; reads work without one "
                                        "(public data only). No text may contain NUL (U+0000) characters. Errors have one shape: "
                                        '`{"error": {"code", "message", "fields"}}`.'},
                   servers=[{"url": "/api/v1"}])
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for name in SCHEMAS:
        spec.components.schema(name, schema=getattr(s, f"{name}Schema"))
    for _status, (name, why) in sorted(ERROR_RESPONSES.items()):
        response = {"description": why, "content": {"application/json": {"schema": "Error"}}}
        if _status in (429, 503):
            response["headers"] = {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}}
        spec.components.response(name, response)
    for path, operations in PATHS.items():
        spec.path(path=path, operations=operations)
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
<nav><ul>{% for tag in spec.tags %}<li><a href="#tag-{{ tag.name }}">{{ tag.name }}</a>: {{ tag.description }}</li>
{% endfor %}</ul></nav>
{% for tag in spec.tags %}<h2 id="tag-{{ tag.name }}">{{ tag.name|capitalize }}</h2><p>{{ tag.description }}</p>
{% for path, method, op in groups[tag.name] %}
<section class="op"><h3><code>{{ method|upper }} /api/v1{{ path }}</code></h3><p>{{ op.summary }}{% if op.security == [{"bearer": []}] %}
(token required){% endif %}</p>{% if op.description %}<p>{{ op.description }}</p>{% endif %}
{% if op.parameters %}<table><tr><th>parameter</th><th>in</th><th>type</th><th>meaning</th></tr>
{% for p in op.parameters %}<tr><td><code>{{ p.name }}</code></td><td>{{ p['in'] }}</td>
<td>{{ p.schema.type }}{% if p.schema.format %} ({{ p.schema.format }}){% endif %}{% if p.schema.enum %}: {{ p.schema.enum|join(', ') }}{% endif %}
{%- if p.schema.minimum is defined and p.schema.maximum is defined %} ({{ p.schema.minimum }}-{{ p.schema.maximum }}){% elif p.schema.minimum is defined %} (&ge; {{ p.schema.minimum }}){% endif %}</td>
<td>{{ p.description or '' }}</td></tr>{% endfor %}</table>{% endif %}
{% if op.requestBody %}<p>Body: {% for media, c in op.requestBody.content.items() %}<code>{{ media }}</code>
{% if c.schema['$ref'] %}<a href="#{{ c.schema['$ref'].rsplit('/', 1)[1] }}">{{ c.schema['$ref'].rsplit('/', 1)[1] }}</a>{% endif %}
{% endfor %}{% if not op.requestBody.required %} (optional){% endif %}</p>{% endif %}
<p>Responses: {% for code, r in op.responses.items() %}{% set r = responses.get(r['$ref'], r) %}<code>{{ code }}</code> {{ r.description }}{% if not loop.last %}; {% endif %}{% endfor %}</p>
</section>{% endfor %}{% endfor %}
<h2>Schemas</h2>{% for name, schema in spec.components.schemas.items() %}<h3 id="{{ name }}">{{ name }}</h3>
<table>{% for field, prop in (schema.properties or {}).items() %}<tr><td><code>{{ field }}</code></td>
<td>{{ prop.type or prop.get('$ref', '').rsplit('/', 1)[-1] }}{% if prop.nullable %} or null{% endif %}</td>
<td>{{ prop.description or '' }}</td></tr>{% endfor %}</table>{% endfor %}
</main></body></html>"""


@bp.get("/docs")
def docs():
    """A readable page generated from the same document."""
    spec = build_spec()
    groups: dict[str, list] = {tag["name"]: [] for tag in spec["tags"]}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            groups.setdefault((operation.get("tags") or ["other"])[0], []).append((path, method, operation))
    responses = {f"#/components/responses/{name}": r for name, r in spec["components"]["responses"].items()}
    return render_template_string(DOCS, spec=spec, groups=groups, responses=responses)
