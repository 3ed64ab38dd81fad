"""The operations of /api/v1 for the OpenAPI document: parameters, bodies and every answer each can give.

`PATHS` maps each path to its operations. Bodies and responses name the marshmallow schemas of
`api.schemas` (registered as components by `api.rest.openapi`). Every operation may also answer
401 (a bad token), 429 (rate limit) and 503 (database unavailable); `op` adds those, and 400 where
text comes in (no text may contain NUL characters).
tests/api/test_openapi_routes.py checks that every route of the blueprint is listed here.
"""
from __future__ import annotations

from typing import Any

from .openapi_parts import (
    AFTER,
    ETAG,
    FILTERS,
    ID,
    IDEMPOTENCY_KEY,
    IF_MATCH,
    INITIATIVE_ID,
    MIN_SCORE,
    NO_CONTENT,
    ORGANISATION_PARAM,
    OVERLAP_FILTERS,
    OVERLAP_KIND,
    OVERLAP_STATUS,
    TOKEN,
    body,
    first_param,
    ok,
    op,
    path_param,
    query_param,
)

PATHS: dict[str, dict[str, Any]] = {
    # --- initiatives -------------------------------------------------------------------------------
    "/initiatives": {
        "get": op("initiatives", "List initiatives",
                  {"200": ok("InitiativePage", "A page of the initiatives the token may read, oldest first")},
                  (400,), [*FILTERS, first_param(20, 100), AFTER]),
        "post": op("initiatives", "Register an initiative",
                   {"201": ok("Initiative", "Created", {**ETAG, "Location": {"description": "The initiative's URL",
                                                                             "schema": {"type": "string"}}})},
                   (400, 403, 409, 422), [IDEMPOTENCY_KEY], body("InitiativeInput"), TOKEN,
                   "For the token's organisation (platform-wide tokens name `organisation`)."),
    },
    "/initiatives/{initiative_id}": {
        "get": op("initiatives", "One initiative", {"200": ok("Initiative", "The initiative", ETAG)}, (404,),
                  [INITIATIVE_ID]),
        "patch": op("initiatives", "Edit an initiative", {"200": ok("Initiative", "Edited", ETAG)},
                    (400, 403, 404, 409), [INITIATIVE_ID, IF_MATCH], body("InitiativeInput", "Any subset of the "
                                                                                            "fields"), TOKEN),
        "delete": op("initiatives", "Withdraw an initiative (kept in history)",
                     {"200": ok("Initiative", "Withdrawn", ETAG)}, (400, 403, 404, 409), [INITIATIVE_ID, IF_MATCH],
                     security=TOKEN),
    },
    "/initiatives/{initiative_id}/history": {
        "get": op("initiatives", "The recorded changes of an initiative, oldest first",
                  {"200": ok("History", "Changes")}, (404,), [INITIATIVE_ID]),
    },
    "/initiatives/{initiative_id}/confirm": {
        "post": op("initiatives", "Say the initiative is still accurate (its organisation's members)",
                   {"200": ok("Initiative", "Confirmed now: `freshness.level` is fresh again", ETAG)},
                   (403, 404, 409), [INITIATIVE_ID], security=TOKEN,
                   description="Sets `freshness.confirmed_at` to now and records who did it in the history; "
                               "nothing else changes (not the version). An initiative is stale STALE_AFTER_DAYS "
                               "(default 180) after its last confirmation, edit or registration."),
    },
    "/initiatives/{initiative_id}/restore": {
        "post": op("initiatives", "Restore a withdrawn initiative (platform admins)",
                   {"200": ok("Initiative", "Restored; its overlaps are found again", ETAG)},
                   (400, 403, 404, 409, 422), [INITIATIVE_ID, IF_MATCH, IDEMPOTENCY_KEY], security=TOKEN),
    },
    "/initiatives/{initiative_id}/suggested-goals/{code}": {
        "delete": op("initiatives", "Reject a goal the platform suggested",
                     {"200": ok("Initiative", "The initiative without that suggestion", ETAG)}, (403, 404),
                     [INITIATIVE_ID, path_param("code", "The suggested goal's code", {"type": "string"})], security=TOKEN,
                     description="Accept a suggestion instead by PATCHing it into `goals`."),
    },
    "/suggestions": {
        "post": op("initiatives", "Suggest goals, targets, tags and places for a text",
                   {"200": ok("Suggestions", "Ranked goals and targets (score, confident), tags, places named")},
                   (400,), request_body=body("SuggestionInput")),
    },
    # --- convergence -------------------------------------------------------------------------------
    "/initiatives/{initiative_id}/overlaps": {
        "get": op("convergence", "Overlaps of one initiative with other organisations' work, best first",
                  {"200": ok("OverlapList", "Overlaps; `other` is the other side")}, (400, 404),
                  [INITIATIVE_ID, MIN_SCORE, OVERLAP_STATUS, OVERLAP_KIND]),
    },
    "/overlaps": {
        "get": op("convergence", "Overlaps whose two initiatives both match the filter",
                  {"200": ok("OverlapPage", "A page of overlaps, by id")}, (400,),
                  [*OVERLAP_FILTERS, OVERLAP_STATUS, OVERLAP_KIND, MIN_SCORE, first_param(50, 100), AFTER]),
    },
    "/overlaps/{overlap_id}/decision": {
        "post": op("convergence", "Confirm, dismiss or mark an overlap as coordinating",
                   {"200": ok("Overlap", "The overlap with the decision")}, (400, 403, 404),
                   [path_param("overlap_id", "Overlap id", ID)], body("OverlapDecisionInput"), TOKEN,
                   "By either organisation of the pair, or a coordinator. A dismissed pair returns only when "
                   "one side changes materially."),
    },
    "/groups": {
        "get": op("convergence", "Convergence groups, grassroots-only flags and suggested institutional allies",
                  {"200": ok("GroupList", "Groups, largest first")}, (400,), FILTERS),
    },
    "/fragmentation": {
        "get": op("convergence", "Fragmentation per goal and area (Herfindahl, effective actors) and gaps",
                  {"200": ok("Fragmentation", "Cells and gaps")}, (400,),
                  [*FILTERS, query_param("area_level", "Area granularity", {"type": "string", "enum": ["country", "admin1"],
                                                                   "default": "country"})]),
    },
    "/network": {
        "get": op("convergence", "The organisation network: links, brokers (betweenness), isolated groups",
                  {"200": ok("Network", "Nodes, edges, components")}, (400,), FILTERS),
    },
    # --- notifications -----------------------------------------------------------------------------
    "/inbox": {
        "get": op("notifications", "The organisation's overlap inbox: newest first, and bundled by its own initiative",
                  {"200": ok("Inbox", "Notices of overlaps at or above the notification threshold "
                                      "(empty for platform-wide tokens)")}, (400,),
                  [query_param("unread", "1: only unread notices", {"type": "string", "enum": ["0", "1"]}),
                   query_param("initiative", "Only the bundle of this own initiative, with all its overlaps",
                      {"type": "integer", "minimum": 1}),
                   query_param("page", "Page of bundles (10 own initiatives per page)", {"type": "integer", "minimum": 1})],
                  security=TOKEN),
    },
    "/inbox/read": {
        "post": op("notifications", "Mark inbox notices read", {"200": ok("Marked", "How many were marked")}, (400,),
                   request_body=body("InboxReadInput", "Omit the body (or `ids`) to mark every notice read",
                                     required=False), security=TOKEN),
    },
    "/webhooks": {
        "get": op("notifications", "The organisation's webhooks with delivery counts and recent deliveries",
                  {"200": ok("WebhookList", "Webhooks (never their secrets)")}, (400, 403, 404),
                  [ORGANISATION_PARAM], security=TOKEN),
        "post": op("notifications", "Register a webhook (organisation admins)",
                   {"201": ok("WebhookCreated", "Registered; the secret is shown only here")}, (400, 403, 404),
                   request_body=body("WebhookInput"), security=TOKEN,
                   description="Overlap notices are POSTed with `X-Coordination-Signature: sha256=<HMAC of the "
                               "body>`."),
    },
    "/webhooks/{webhook_id}": {
        "delete": op("notifications", "Remove a webhook and its queued deliveries", NO_CONTENT, (403, 404),
                     [path_param("webhook_id", "Webhook id", ID)], security=TOKEN),
    },
    "/webhooks/{webhook_id}/test": {
        "post": op("notifications", "Send a signed test event now (one attempt)",
                   {"200": ok("Delivery", "How the attempt went")}, (403, 404),
                   [path_param("webhook_id", "Webhook id", ID)], security=TOKEN),
    },
    "/notifications/email": {
        "get": op("notifications", "Where the organisation's e-mail digests go",
                  {"200": ok("DigestSubscription", "The digest address (null when none)")}, (400, 403, 404),
                  [ORGANISATION_PARAM], security=TOKEN),
        "put": op("notifications", "Set the e-mail digest address (organisation admins)",
                  {"200": ok("DigestSubscription", "Saved")}, (400, 403, 404), request_body=body("DigestInput"),
                  security=TOKEN),
        "delete": op("notifications", "Stop the e-mail digests", NO_CONTENT, (400, 403, 404), [ORGANISATION_PARAM],
                     security=TOKEN),
    },
    # --- data --------------------------------------------------------------------------------------
    "/export/{fmt}": {
        "get": op("data", "Export the initiatives matching the filter (streamed)", {"200": {
            "description": "The file (Content-Disposition: attachment)",
            "content": {"application/xml": {"schema": {"type": "string", "description": "IATI activities XML"}},
                        "text/csv": {"schema": {"type": "string", "description": "hxl: HXL-tagged 3W; csv: one "
                                                                                  "row per initiative"}},
                        "application/geo+json": {"schema": {
                            "type": "object", "required": ["type", "features"],
                            "properties": {"type": {"type": "string", "enum": ["FeatureCollection"]},
                                           "features": {"type": "array", "items": {"type": "object"}}}}}}}},
            (400, 404), [path_param("fmt", "File format", {"type": "string", "enum": ["iati", "hxl", "geojson", "csv"]}),
                         *FILTERS]),
    },
    "/imports": {
        "post": op("data", "Import an IATI XML or HXL CSV file for an organisation (its admins)",
                   {"200": ok("ImportReport", "What was created, found already, skipped and why")},
                   (400, 403, 404, 415),
                   [query_param("format", "iati or hxl, if not given as a form field", {"type": "string",
                                                                               "enum": ["iati", "hxl"]})],
                   {"required": True, "content": {"multipart/form-data": {"schema": {
                       "type": "object", "required": ["file"],
                       "properties": {
                           "file": {"type": "string", "format": "binary"},
                           "format": {"type": "string", "enum": ["iati", "hxl"]},
                           "organisation": {"type": "string", "description": "Slug; default: the token's own"},
                           "period": {"type": "string", "example": "2024-01..2024-03",
                                      "description": "HXL: the file's reporting period (first..last month, or "
                                                     "2024-Q1), given to rows without dates; default: the period "
                                                     "the file name names, if any"}}}}}},
                   TOKEN, "All or nothing per file: a file that cannot be read to its end imports nothing (400). "
                          "Bad records inside a good file are skipped with their reasons."),
    },
    # --- reference ---------------------------------------------------------------------------------
    "/organisations": {
        "get": op("reference", "List organisations by slug",
                  {"200": ok("OrganisationPage", "A page of organisations")}, (400,),
                  [query_param("q", "Part of the name", {"type": "string"}), first_param(50, 200),
                   query_param("after", "The last slug of the previous page", {"type": "string"})]),
        "post": op("curation", "Register an organisation, verified (coordinators)",
                   {"201": ok("Organisation", "Created", {"Location": {"description": "The organisation's URL",
                                                                      "schema": {"type": "string"}}})},
                   (400, 403, 409), request_body=body("OrganisationInput"), security=TOKEN),
    },
    "/organisations/{slug}": {
        "get": op("reference", "One organisation", {"200": ok("Organisation", "The organisation")}, (404,),
                  [path_param("slug", "Organisation slug", {"type": "string"})]),
    },
    "/organisations/{slug}/verify": {
        "post": op("curation", "Mark an organisation verified (coordinators)",
                   {"200": ok("Organisation", "Verified")}, (403, 404),
                   [path_param("slug", "Organisation slug", {"type": "string"})], security=TOKEN),
    },
    "/organisations/{slug}/merge": {
        "post": op("curation", "Merge an organisation record into another (coordinators)",
                   {"200": ok("OrganisationMerge", "The merge: what moved")}, (400, 403, 404, 409),
                   [path_param("slug", "Slug of the record merged away", {"type": "string"})],
                   body("OrganisationMergeInput"), TOKEN,
                   description="Initiatives, partner places, people and tokens move to `into`; the record "
                               "stays as a redirect. 409 when people would newly read private initiatives "
                               "and `share_access` is not true."),
    },
    "/organisations/{slug}/unmerge": {
        "post": op("curation", "Undo the merge of an organisation record (coordinators)",
                   {"200": ok("OrganisationMerge", "The merge, now undone")}, (400, 403, 404, 409),
                   [path_param("slug", "Slug of the merged record", {"type": "string"})],
                   body("OrganisationUnmergeInput", required=False), TOKEN),
    },
    "/organisations/{slug}/merges": {
        "get": op("reference", "Merges an organisation took part in, newest first",
                  {"200": ok("OrganisationMergeList", "Who merged what, when and why")}, (404,),
                  [path_param("slug", "Organisation slug", {"type": "string"})]),
    },
    "/visions": {
        "get": op("reference", "Every vision with its goal tree", {"200": ok("VisionList", "Visions")}),
        "post": op("curation", "Add a coalition's vision (coordinators)",
                   {"201": ok("Vision", "Created", {"Location": {"description": "Its goal tree",
                                                                "schema": {"type": "string"}}})},
                   (400, 403, 409), request_body=body("VisionInput"), security=TOKEN,
                   description="Goals may link to SDG goals or targets (`sdg_code`); initiatives then name them "
                               "as `slug:code`."),
    },
    "/goals": {
        "get": op("reference", "The goal tree of a vision", {"200": ok("Vision", "Goals and targets")}, (404,),
                  [query_param("vision", "Vision slug", {"type": "string", "default": "sdg"})]),
    },
    "/goals/{code}": {
        "get": op("reference", "One goal or target", {"200": ok("Goal", "The goal and its targets (none for a "
                                                                        "target)")}, (404,),
                  [path_param("code", 'SDG code ("6", "6.1"; "6.A" is read as "6.a") or "vision:code"',
                         {"type": "string"})]),
    },
    "/tags": {
        "get": op("reference", "Tags by usage, with aliases", {"200": ok("TagList", "Tags")}, (400,),
                  [query_param("q", "Key prefix", {"type": "string"}), first_param(100, 500)]),
    },
    # --- curation ----------------------------------------------------------------------------------
    "/tags/merge": {
        "post": op("curation", "Merge tags into one (coordinators)",
                   {"200": ok("TagMerge", "The merge, with the id that undoes it")}, (400, 403, 404, 409),
                   request_body=body("TagMergeInput"), security=TOKEN,
                   description="Initiatives move to the target; the old labels become its aliases."),
    },
    "/tags/merge-suggestions": {
        "get": op("curation", "Tags naming the same kind of work: merges to consider (coordinators)",
                  {"200": ok("TagMergeSuggestionList", "Groups of tags, each with the tag to merge into")},
                  (403,), security=TOKEN,
                  description="Each group's labels name one and the same kind of work, in any language "
                              "(\"boreholes\", \"pozos\", \"forages\"); nothing is merged until POST /tags/merge."),
    },
    "/tags/merges/{merge_id}/undo": {
        "post": op("curation", "Undo a tag merge (coordinators)", {"200": ok("CuratedTag", "The target tag as "
                                                                                           "it was")},
                   (403, 404, 409), [path_param("merge_id", "`merge_id` of the merge", ID)], security=TOKEN),
    },
    "/tags/{key}/synonyms": {
        "post": op("curation", "Make a label a synonym of a tag (coordinators)",
                   {"200": ok("CuratedTag", "The tag with the new alias")}, (400, 403, 404, 409),
                   [path_param("key", "Tag key", {"type": "string"})], body("SynonymInput"), TOKEN),
    },
}
