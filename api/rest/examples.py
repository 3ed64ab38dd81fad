"""Example requests and responses for the docs page, made from the OpenAPI document's own schemas.

Values come from the field names (a title looks like a title, a goal like "6.1") so every
operation shows a body a person can copy, and the examples can never drift from the schemas.
"""
from __future__ import annotations

import json
import re
from typing import Any

from markupsafe import Markup, escape

SAMPLES: dict[str, Any] = {
    "title": "Repairing community wells in Kisumu", "description": "Rehabilitating hand-dug wells and "
    "training water committees.", "goals": ["6.1"], "primary_goal": "6.1", "goal": "6.1", "tags": ["WASH"],
    "name": "Kisumu", "country": "KE", "admin1": "Kisumu", "lat": -0.09, "lon": 34.79, "start": "2025-01-01",
    "end": "2025-12-31", "status": "implementation", "visibility": "public", "public_precision": "exact",
    "organisation": "lake-basin-wells", "slug": "lake-basin-wells", "role": "implementing", "budget": 25000,
    "currency": "KES", "people_targeted": 4000, "iati_identifier": "XM-DAC-41122-KE-2025-001",
    "explanation": "both target 6.1, in Kisumu, 3 km apart, both active in 2025, descriptions 71% similar",
    "score": 0.82, "url": "https://hooks.example.org/coordination", "contact_email": "desk@example.org",
    "code": "6.1", "key": "wash", "label": "Water, Sanitation and Hygiene (WASH)", "org_identifier": "KE-NGO-1234",
    "type": "22", "message": "Invalid initiative.", "email": "desk@example.org", "area": "KE",
    # By the object they sit in: an organisation's name is not a place's.
    "organisation.name": "Lake Basin Wells", "organisation.slug": "lake-basin-wells",
    "other.title": "Borehole rehabilitation, Kisumu County", "initiatives.title": "Borehole rehabilitation, Kisumu County",
}


def _resolve(spec: dict, schema: dict) -> dict:
    ref = schema.get("$ref")
    if ref:
        return spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    return schema


def sample(spec: dict, schema: dict, name: str = "", depth: int = 0, parent: str = "") -> Any:
    """A plausible value for `schema` (a field called `name`, inside a field called `parent`)."""
    schema = _resolve(spec, schema)
    key = f"{parent}.{name}" if f"{parent}.{name}" in SAMPLES else name
    if key in SAMPLES and schema.get("type") != "object" and depth:
        value = SAMPLES[key]
        return value if schema.get("type") != "array" or isinstance(value, list) else [value]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "array" or "items" in schema:
        item = sample(spec, schema.get("items", {}), name.rstrip("s"), depth + 1, parent) if depth < 6 else None
        return [] if item is None else [item]
    if kind == "object" or "properties" in schema:
        if depth >= 6:
            return {}
        return {field: sample(spec, prop, field, depth + 1, name) for field, prop in (schema.get("properties") or {}).items()}
    if kind == "integer":
        return 1 if name.endswith("id") or name == "id" else schema.get("minimum", 10)
    if kind == "number":
        return 0.5
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return "2025-01-01"
    if schema.get("format") == "date-time":
        return "2025-01-01T12:00:00+00:00"
    return SAMPLES.get(name, "…")


def _body_schema(content: dict) -> dict | None:
    json_body = content.get("application/json")
    return json_body.get("schema") if json_body else None


def example_for(spec: dict, path: str, method: str, operation: dict) -> dict[str, str]:
    """`curl` for the request and the JSON of its first successful response."""
    url = "http://127.0.0.1:5000/api/v1" + path
    for p in operation.get("parameters", []):
        if p.get("in") == "path":
            url = url.replace("{" + p["name"] + "}", str(SAMPLES.get(p["name"], 1)))
    parts = ["curl -s"]
    if method != "get":
        parts.append(f"-X {method.upper()}")
    if {"bearer": []} in operation.get("security", []):
        parts.append('-H "Authorization: Bearer $TOKEN"')
    request_schema = _body_schema((operation.get("requestBody") or {}).get("content", {}))
    if request_schema is not None:
        body = json.dumps(sample(spec, request_schema, depth=1), indent=2, ensure_ascii=False)
        parts += ['-H "Content-Type: application/json"', f"-d '{body}'"]
    elif "multipart/form-data" in (operation.get("requestBody") or {}).get("content", {}):
        parts.append('-F "file=@activities.xml" -F "format=iati"')
    parts.append(url)
    response = ""
    for code, answer in sorted(operation.get("responses", {}).items()):
        if code.startswith("2") and "content" in answer:
            schema = _body_schema(answer["content"])
            if schema is not None:
                response = f"HTTP {code}\n" + json.dumps(sample(spec, schema, depth=1), indent=2, ensure_ascii=False)
            break
        if code.startswith("2"):
            response = f"HTTP {code} ({answer.get('description', '')})"
            break
    return {"request": " \\\n  ".join(parts), "response": response}


_CODE = re.compile(r"`([^`]+)`")
_BOLD = re.compile(r"\*\*([^*]+)\*\*")
_LINK = re.compile(r"\[([^\]]+)\]\(((?:https?://|/)[^)\s]+)\)")


def markdown_inline(text: str | None) -> Markup:
    """The little Markdown the document uses (`code`, **bold**, [links](/x)), escaped first."""
    out = str(escape(text or ""))
    out = _CODE.sub(r"<code>\1</code>", out)
    out = _BOLD.sub(r"<strong>\1</strong>", out)
    out = _LINK.sub(r'<a href="\2">\1</a>', out)
    return Markup(out)
