"""schemathesis against /api/v1/openapi.json, in process (WSGI): no 5xx, no contract violation.

Every documented operation gets a bounded number of generated requests, valid (positive) and
invalid (negative), sent with a member token. Operations only some roles may use are walked
again with such a token (organisation admin, coordinator, platform admin), so they are exercised
beyond 403; and each operation with path parameters is walked once more with parameters naming
things that exist (see FUZZ_TARGETS in conftest), so it is exercised beyond 404. Each response
must not be a server error, must use a documented status code and content type, and its body
must match the documented schema. The operations taking text are walked again, with a smaller
budget, on PostgreSQL, where over-long text and NUL characters used to fail as 500s.

schemathesis's pytest plugin (`from_fixture`) does not work with pytest 9 (it reads
`request.node._nodeid`), so the operations are walked here and each is driven by hypothesis
through `APIOperation.as_strategy`. Failures are collected rather than raised at the first, so
one run lists them all. The bugs it found are fixed and pinned by the plain tests at the end of
this file and in tests/api/test_openapi_contract.py.
"""
from __future__ import annotations

import time
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ..factories import bearer

EXAMPLES_PER_OPERATION = 25  # per generation mode, member token
EXAMPLES_PER_ROLE = 12  # per generation mode, the roles an operation is restricted to
EXAMPLES_FOR_TARGETS = 10  # positive only, path parameters naming things that exist
EXAMPLES_ON_POSTGRESQL = 10  # per generation mode, the operations taking text, member token
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
ORG_ADMIN = ("POST /imports", "GET /webhooks", "POST /webhooks", "DELETE /webhooks/{webhook_id}",
             "POST /webhooks/{webhook_id}/test", "GET /notifications/email", "PUT /notifications/email",
             "DELETE /notifications/email")
COORDINATOR = ("POST /organisations", "POST /organisations/{slug}/verify", "POST /visions", "POST /tags/merge",
               "POST /tags/merges/{merge_id}/undo", "POST /tags/{key}/synonyms")
PLATFORM_ADMIN = ("POST /initiatives/{initiative_id}/restore",)
ROLES = [("FUZZ_ADMIN_TOKEN", ORG_ADMIN), ("FUZZ_COORDINATOR_TOKEN", COORDINATOR),
         ("FUZZ_PLATFORM_TOKEN", PLATFORM_ADMIN)]


def targets_for(label: str, t: dict) -> tuple[str, dict] | None:
    """The token and the path parameters that name existing things for an operation, if it has any."""
    path = label.split(" ", 1)[1]
    if "{" not in path:
        return None
    if label in PLATFORM_ADMIN:
        return "FUZZ_PLATFORM_TOKEN", {"initiative_id": t["withdrawn_id"]}
    token = ("FUZZ_ADMIN_TOKEN" if label in ORG_ADMIN else "FUZZ_COORDINATOR_TOKEN" if label in COORDINATOR
             else "FUZZ_TOKEN")
    known = {"initiative_id": t["suggested_id"] if "suggested-goals" in path else t["initiative_id"],
             "code": t["suggested_code"] if "suggested-goals" in path else "6.1", "overlap_id": 1,
             "slug": t["slug"], "merge_id": t["merge_id"], "key": t["tag_key"],
             "webhook_id": t["doomed_webhook_id"] if label.startswith("DELETE") else t["webhook_id"]}
    return token, {name: value for name, value in known.items() if f"{{{name}}}" in path}


def fuzz_operation(operation, mode: GenerationMode, headers: dict, seen: Counter, failures: list,
                   examples: int = EXAMPLES_PER_OPERATION, path_parameters: dict | None = None) -> None:
    """Send up to `examples` generated requests and validate every response."""

    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    def run(case) -> None:
        try:
            response = case.call(headers=headers)
        except Exception as err:  # noqa: BLE001 - e.g. a streamed body that breaks after its 200
            seen["exception"] += 1
            failures.append((operation.label, mode.value, "exception", f"{type(err).__name__}: {err}"[:1500]))
            return
        seen[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as err:  # noqa: BLE001 - a group of check failures
            failures.append((operation.label, mode.value, response.status_code, str(err)[:1500]))

    try:
        run()
    except Unsatisfiable:
        pass  # no invalid request exists (an operation without parameters or body)


def takes_text(operation) -> bool:
    """Whether text reaches the handler: a body, a query parameter or a text path parameter."""
    definition = operation.definition.raw
    return "requestBody" in definition or any(
        p["in"] == "query" or (p["in"] == "path" and p["schema"].get("type") == "string")
        for p in definition.get("parameters", []))


def walk(app, examples: int, per_role: int, for_targets: int, select=lambda operation: True) -> None:
    """Fuzz the selected operations: known targets first, then member, then each restricted role."""
    started = time.monotonic()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    config = app.config
    all_operations = [result.ok() for result in schema.get_all_operations()]
    assert len(all_operations) >= 38
    assert set(ORG_ADMIN + COORDINATOR + PLATFORM_ADMIN) <= {operation.label for operation in all_operations}
    operations = [operation for operation in all_operations if select(operation)]
    seen: Counter = Counter()
    failures: list = []
    for operation in operations:  # things that exist first: the member's pass may withdraw or delete them
        known = targets_for(operation.label, config["FUZZ_TARGETS"])
        if known:
            fuzz_operation(operation, GenerationMode.POSITIVE, bearer(config[known[0]]), seen, failures,
                           for_targets, known[1])
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz_operation(operation, mode, bearer(config["FUZZ_TOKEN"]), seen, failures, examples)
    for token, restricted in ROLES:
        for operation in (o for o in operations if o.label in restricted):
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                fuzz_operation(operation, mode, bearer(config[token]), seen, failures, per_role)
    print(f"\n{sum(seen.values())} generated requests over {len(operations)} operations in "
          f"{time.monotonic() - started:.0f} s; statuses {dict(sorted(seen.items(), key=str))}")
    assert failures == [], "\n\n".join(f"{op} ({mode}) -> {status}\n{text}"
                                       for op, mode, status, text in failures)
    assert sum(seen.values()) >= len(operations) * 10
    assert seen[200] + seen[201] + seen[204] >= len(operations), "too few requests got past validation"


@pytest.mark.slow
def test_every_operation_answers_within_its_documented_contract(fuzz_app):
    walk(fuzz_app, EXAMPLES_PER_OPERATION, EXAMPLES_PER_ROLE, EXAMPLES_FOR_TARGETS)


@pytest.mark.slow
@pytest.mark.postgres
def test_text_reaching_postgresql_answers_within_its_contract(fuzz_app_pg):
    """Column lengths and NUL characters fail only on PostgreSQL: the operations taking text, again there."""
    walk(fuzz_app_pg, EXAMPLES_ON_POSTGRESQL, EXAMPLES_ON_POSTGRESQL // 2, EXAMPLES_FOR_TARGETS // 2, takes_text)


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_an_initiative_id_too_large_for_the_database_is_not_found(fuzz_app, method):
    client = fuzz_app.test_client()
    response = getattr(client, method)("/api/v1/initiatives/24110219026225241784320",
                                       headers=bearer(fuzz_app.config["FUZZ_TOKEN"]),
                                       json={} if method == "patch" else None)
    assert response.status_code == 404


def test_timestamps_are_rfc3339_date_times_with_an_offset(fuzz_app):
    initiative_id = fuzz_app.config["FUZZ_TARGETS"]["initiative_id"]  # readable by its organisation, even withdrawn
    item = fuzz_app.test_client().get(f"/api/v1/initiatives/{initiative_id}",
                                      headers=bearer(fuzz_app.config["FUZZ_TOKEN"])).get_json()
    for name in ("created_at", "updated_at"):
        assert item[name].endswith(("Z", "+00:00")), item[name]
