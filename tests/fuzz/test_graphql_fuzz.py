"""GraphQL under generated and abusive queries: no 5xx, one error shape, abuse refused unexecuted.

Valid queries and mutations are generated from the schema itself (hypothesis-graphql, shipped
with schemathesis), invalid ones by mode NEGATIVE; a fixed set of abusive documents (deep
nesting, alias floods, huge strings, fragment cycles, batches, wrong types) must be refused
with 400 before any SQL statement runs, and the time to refuse is printed.
"""
from __future__ import annotations

import statistics
import time
from collections import Counter

import hypothesis_graphql as hg
import pytest
from graphql import print_schema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event

from api.extensions import db
from api.graphql.schema import get_schema

from ..factories import bearer

EXAMPLES = 150
SCALARS = {"Date": st.dates().map(lambda d: hg.nodes.String(d.isoformat()))}


def assert_one_error_shape(response) -> None:
    """Not a server error, JSON, and every error carries extensions.code and extensions.fields."""
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert isinstance(body, dict), response.get_data(as_text=True)[:200]
    for error in body.get("errors") or []:
        assert isinstance(error.get("message"), str)
        assert isinstance(error["extensions"]["code"], str) and error["extensions"]["code"]
        assert isinstance(error["extensions"]["fields"], dict)
    if response.status_code == 400:
        assert body.get("errors"), "a refused request says why"


def fuzz(client, strategy, headers: dict, seen: Counter, failures: list) -> None:
    """Post up to EXAMPLES generated documents; collect what breaks the contract."""

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(query=strategy)
    def run(query) -> None:
        response = client.post("/graphql", json={"query": query}, headers=headers)
        seen[response.status_code] += 1
        codes = {e.get("extensions", {}).get("code") for e in (response.get_json() or {}).get("errors") or []}
        try:
            assert_one_error_shape(response)
            assert "internal_error" not in codes
        except AssertionError as err:
            failures.append((query, str(err)[:600]))

    run()


@pytest.mark.slow
@pytest.mark.parametrize("mode", [hg.Mode.POSITIVE, hg.Mode.NEGATIVE], ids=["valid", "invalid"])
def test_generated_queries_and_mutations_never_fail_on_the_server(fuzz_app, mode):
    sdl = print_schema(get_schema().graphql_schema)
    client = fuzz_app.test_client()
    seen: Counter = Counter()
    failures: list = []
    fuzz(client, hg.queries(sdl, custom_scalars=SCALARS, mode=mode), {}, seen, failures)
    fuzz(client, hg.mutations(sdl, custom_scalars=SCALARS, mode=mode),
         bearer(fuzz_app.config["FUZZ_TOKEN"]), seen, failures)
    print(f"\n{mode.name}: {sum(seen.values())} generated GraphQL requests, statuses {dict(seen)}")
    assert failures == [], "\n\n".join(f"{query}\n{why}" for query, why in failures)
    assert sum(seen.values()) >= EXAMPLES


FIELDS = "id title organisation { name } goals { code }"
ABUSIVE = {
    "deep nesting": "{ initiatives { edges { node { " + "organisation { initiatives { edges { node { " * 6
                    + "id" + " } } } }" * 6 + " } } } }",
    "alias flood": "{ " + " ".join(f"a{i}: initiatives(first: 100) {{ totalCount }}" for i in range(500)) + " }",
    "huge string": '{ initiatives(filter: {q: "' + "x" * 50_000 + '"}) { totalCount } }',
    "token flood": "{ initiatives { totalCount " + "__typename " * 5_000 + "} }",
    "fragment cycle": "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
    "wrong type": '{ initiatives(first: "many") { totalCount } }',
    "unknown field": "{ initiatives { edges { node { password } } } }",
    "syntax error": "{ initiatives { edges { node { id } }",
}


def count_statements(engine):
    """A counter of the SQL statements the engine runs (to show nothing was executed)."""
    counter = Counter()

    def on_execute(*_args) -> None:
        counter["statements"] += 1

    event.listen(engine, "before_cursor_execute", on_execute)
    return counter, lambda: event.remove(engine, "before_cursor_execute", on_execute)


@pytest.mark.parametrize("name", sorted(ABUSIVE))
def test_an_abusive_query_is_refused_before_it_runs(fuzz_app, name):
    client = fuzz_app.test_client()
    with fuzz_app.app_context():
        counter, stop = count_statements(db.engine)
    try:
        timings = []
        for _ in range(5):
            start = time.perf_counter()
            response = client.post("/graphql", json={"query": ABUSIVE[name]})
            timings.append(time.perf_counter() - start)
    finally:
        stop()
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert_one_error_shape(response)
    assert response.get_json()["errors"][0]["extensions"]["code"] == "validation_error"
    assert counter["statements"] == 0, "refused documents must not reach the database"
    print(f"\n{name}: {len(ABUSIVE[name]):,} characters refused in "
          f"{statistics.median(timings) * 1000:.2f} ms (median of 5)")


def test_a_page_too_large_is_refused_before_any_statement_runs(fuzz_app):
    # The page size is checked by the resolver (not before execution), but before its SQL.
    client = fuzz_app.test_client()
    with fuzz_app.app_context():
        counter, stop = count_statements(db.engine)
    try:
        response = client.post("/graphql", json={
            "query": "{ initiatives(first: 100000) { edges { node { " + FIELDS + " } } } }"})
    finally:
        stop()
    assert_one_error_shape(response)
    error = response.get_json()["errors"][0]
    assert error["extensions"]["code"] == "validation_error" and "first" in error["extensions"]["fields"]
    assert counter["statements"] == 0


def test_a_batch_of_queries_is_refused(fuzz_app):
    response = fuzz_app.test_client().post("/graphql", json=[{"query": "{ visions { slug } }"}] * 50)
    assert response.status_code == 400
    assert_one_error_shape(response)


@pytest.mark.parametrize("argument", ["first: null", "minScore: null"])
def test_an_explicit_null_argument_of_overlaps_is_not_a_server_error(fuzz_app, argument):
    response = fuzz_app.test_client().post(
        "/graphql", json={"query": f"{{ overlaps({argument}) {{ edges {{ cursor }} }} }}"})
    assert response.status_code < 500
    assert_one_error_shape(response)


def test_an_explicit_null_minimum_score_of_an_initiatives_overlaps_is_not_a_server_error(fuzz_app):
    response = fuzz_app.test_client().post("/graphql", json={
        "query": "{ initiatives(first: 3) { edges { node { overlaps(minScore: null, status: null) { id } } } } }"})
    assert response.status_code == 200 and "errors" not in response.get_json()


def test_initiative_with_an_id_too_large_for_the_database_is_not_found(fuzz_app):
    response = fuzz_app.test_client().post(
        "/graphql", json={"query": '{ initiative(id: "99999999999999999999999") { id } }'})
    assert_one_error_shape(response)
    assert response.get_json()["errors"][0]["extensions"]["code"] == "not_found"


@pytest.mark.parametrize("query", ["{ gaps(period: 26572) { goal } }",
                                   "{ fragmentation(period: -4513) { cells { area } } }"])
def test_a_period_outside_the_calendar_is_a_validation_error(fuzz_app, query):
    response = fuzz_app.test_client().post("/graphql", json={"query": query})
    assert_one_error_shape(response)
    assert response.get_json()["errors"][0]["extensions"]["code"] == "validation_error"
