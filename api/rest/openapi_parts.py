"""The parts the OpenAPI path table is written with: tags, error responses, shared parameters and the `op`/`ok`/`body` helpers."""
from __future__ import annotations

from typing import Any

from coordination import vocab
from coordination.models import OverlapKind, OverlapStatus
from coordination.queries import FIRST_YEAR, LAST_YEAR

TAGS = [
    {"name": "initiatives", "description": "Register, read, edit, withdraw and restore initiatives; history; "
                                           "goal suggestions from text."},
    {"name": "convergence", "description": "Overlapping efforts of different organisations, decisions about them, "
                                           "convergence groups, fragmentation and the organisation network."},
    {"name": "notifications", "description": "The overlap inbox, signed webhooks and the e-mail digest address."},
    {"name": "data", "description": "Exports in the field's formats and file imports."},
    {"name": "reference", "description": "Organisations, visions and their goal trees, the tag vocabulary."},
    {"name": "curation", "description": "Coordinators register and verify organisations, add visions and "
                                        "curate tags."},
]


# Error responses (components/responses); each has the shared `Error` body.
ERROR_RESPONSES = {
    400: ("BadRequest", ("Invalid input: `error.fields` names each offending field and why (text with NUL "
                         "characters is always refused)")),
    401: ("Unauthorized", "Missing, malformed, unknown or revoked token"),
    403: ("Forbidden", "The token's role or organisation may not do this"),
    404: ("NotFound", "No such thing (or not visible to this token)"),
    409: ("Conflict", "Conflicts with the current state (duplicate, stale If-Match, already done)"),
    413: ("TooLarge", "Body larger than the limit"),
    415: ("UnsupportedMediaType", "Body in a media type this operation does not take"),
    422: ("KeyReused", "The Idempotency-Key was already used for a different request"),
    429: ("RateLimited", "Too many requests from this token or address; see Retry-After"),
    503: ("Unavailable", "The database is unavailable; nothing was saved; see Retry-After"),
}


ALWAYS = (401, 429, 503)


PUBLIC = [{}, {"bearer": []}]  # a token is optional: it widens what is visible


TOKEN = [{"bearer": []}]


def query_param(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


def path_param(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": schema}


def header_param(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "header", "required": False, "description": description, "schema": schema}


ID = {"type": "integer", "minimum": 1}


INITIATIVE_ID = path_param("initiative_id", "Initiative id", ID)


FILTERS = [
    query_param("goal", "Goal or target code (e.g. 6, 6.1, or vision:code); a goal matches its targets and linked "
               "local goals too", {"type": "string"}),
    query_param("target", "Target code (e.g. 6.1)", {"type": "string"}),
    query_param("tag", "Tag label or key (merged tags are followed)", {"type": "string"}),
    query_param("organisation", "Organisation slug (lead or partner)", {"type": "string"}),
    query_param("country", "ISO 3166-1 alpha-2 code of a location", {"type": "string"}),
    query_param("bbox", "minLon,minLat,maxLon,maxLat: longitudes within ±180, latitudes within ±90, minLat ≤ maxLat "
               "(minLon > maxLon crosses 180°)", {"type": "string", "example": "33.9,-1.5,35.0,0.5"}),
    query_param("status", "Activity status of the initiative", {"type": "string", "enum": list(vocab.STATUS_CODES)}),
    query_param("active_on", "Running on that day", {"type": "string", "format": "date"}),
    query_param("year", "Running at some time in that year", {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR}),
    query_param("q", "Words in title or description (all of the first eight must appear)", {"type": "string"}),
    query_param("vision", "Vision slug: initiatives registered against one of its goals", {"type": "string"}),
]


# On /overlaps, `status` is the overlap's; the initiatives' activity status is `initiative_status`.
OVERLAP_FILTERS = [{**p, "name": "initiative_status"} if p["name"] == "status" else p for p in FILTERS]


ORGANISATION_PARAM = query_param("organisation", "Organisation slug; only platform-wide tokens name it (others act for "
                                        "their own organisation)", {"type": "string"})


IF_MATCH = header_param("If-Match", 'The ETag (version, e.g. "3") the change is based on; a stale one is a 409',
                   {"type": "string"})


IDEMPOTENCY_KEY = header_param("Idempotency-Key", "1-255 printable ASCII characters; a retry with the same key and "
                                             "body replays the first answer instead of writing again",
                          {"type": "string", "minLength": 1, "maxLength": 255})


MIN_SCORE = query_param("min_score", "Only overlaps scoring at least this", {"type": "number", "minimum": 0, "maximum": 1,
                                                                     "default": 0})


OVERLAP_STATUS = query_param("status", "Only overlaps with this status (default: all but dismissed)",
                    {"type": "string", "enum": list(OverlapStatus.ALL)})


OVERLAP_KIND = query_param("kind", "Only links of this kind: overlap (two efforts doing the same work) or duplicate "
                          "(the same effort reported twice); default: both", {"type": "string", "enum": list(OverlapKind.ALL)})


def first_param(default: int, maximum: int) -> dict[str, Any]:
    return query_param("first", f"Page size, 1-{maximum}", {"type": "integer", "minimum": 1, "maximum": maximum,
                                                    "default": default})


AFTER = query_param("after", "Cursor: `next_cursor` of the previous page", {"type": "string"})


ETAG = {"ETag": {"description": "The initiative's version, for If-Match", "schema": {"type": "string"}}}


def ok(schema: str, description: str, headers: dict | None = None) -> dict[str, Any]:
    """A JSON response with a schema component."""
    out: dict[str, Any] = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        out["headers"] = headers
    return out


def body(schema: str, description: str = "", required: bool = True) -> dict[str, Any]:
    """A JSON request body with a schema component."""
    return {"required": required, "description": description,
            "content": {"application/json": {"schema": schema}}}


def op(tag: str, summary: str, responses: dict[str, Any], errors: tuple[int, ...] = (),
       parameters: list | None = None, request_body: dict | None = None, security: list = PUBLIC,
       description: str | None = None) -> dict[str, Any]:
    """One operation; `errors` are its own error statuses.

    401, 429 and 503 are added to all; 413 to those with a body; 400 to those taking text (a body, a
    query parameter or a text path parameter), since text with NUL (U+0000) characters is refused.
    """
    out: dict[str, Any] = {"tags": [tag], "summary": summary, "security": security}
    if description:
        out["description"] = description
    if parameters:
        out["parameters"] = parameters
    if request_body:
        out["requestBody"] = request_body
    takes_text = request_body or any(p["in"] == "query" or (p["in"] == "path" and p["schema"]["type"] == "string")
                                     for p in parameters or [])
    codes = sorted(set(errors) | set(ALWAYS) | ({413} if request_body else set()) | ({400} if takes_text else set()))
    out["responses"] = {**responses, **{str(c): {"$ref": f"#/components/responses/{ERROR_RESPONSES[c][0]}"}
                                        for c in codes}}
    return out


NO_CONTENT = {"204": {"description": "Done; no body"}}
