"""The OpenAPI 3 document, derived from the marshmallow schemas, and a readable docs page."""
from __future__ import annotations

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app, jsonify, render_template

from .. import schemas as s
from . import bp
from .examples import example_for, markdown_inline
from .openapi_parts import ERROR_RESPONSES, TAGS
from .openapi_paths import PATHS

# Components: name -> schema class in api.schemas (name + "Schema"); nested ones before those using them.
SCHEMAS = (
    "Error", "Initiative", "InitiativeInput", "InitiativePage", "History", "Suggestions", "SuggestionInput",
    "Overlap", "OverlapList", "OverlapPage", "OverlapDecisionInput", "GroupList", "Fragmentation", "Network",
    "Inbox", "InboxReadInput", "Marked", "Delivery", "Webhook", "WebhookCreated", "WebhookList", "WebhookInput",
    "DigestSubscription", "DigestInput", "ImportReport", "Organisation", "OrganisationPage", "OrganisationInput",
    "Goal", "Vision", "VisionList", "VisionInput", "Tag", "TagList", "CuratedTag", "TagMerge", "TagMergeInput",
    "TagMergeSuggestionList",
    "SynonymInput", "OrganisationMerge", "OrganisationMergeList", "OrganisationMergeInput",
    "OrganisationUnmergeInput",
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


@bp.get("/docs")
def docs():
    """A readable page generated from the same document: grouped, with an example per operation."""
    spec = build_spec()
    groups: dict[str, list] = {tag["name"]: [] for tag in spec["tags"]}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            operation = {**operation, "anchor": f"{method}-{path.strip('/').replace('/', '-').replace('{', '').replace('}', '')}",
                         "example": example_for(spec, path, method, operation)}
            groups.setdefault((operation.get("tags") or ["other"])[0], []).append((path, method, operation))
    responses = {f"#/components/responses/{name}": r for name, r in spec["components"]["responses"].items()}
    return render_template("api_docs.html", spec=spec, groups=groups, responses=responses)


@bp.app_template_filter("md")
def md(text):
    """Inline Markdown of the OpenAPI descriptions, escaped."""
    return markdown_inline(text)
