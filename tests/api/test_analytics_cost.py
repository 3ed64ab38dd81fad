"""Analytics (network, groups, fragmentation) priced by their cost, rate limited, computed once, cached safely."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import update

from coordination import insights
from coordination.models import Overlap

from ..factories import BOREHOLES, WELLS, bearer, make_initiative, make_organisation, make_token
from .test_graphql import error_of, gql
from .test_graphql_errors import _statements_during

NETWORK = "{ organisationNetwork { nodes { organisation { name } degree } edges { a b kinds } isolated } }"


def _aliased(field: str, selection: str, n: int = 20) -> str:
    return "{ " + " ".join(f"f{i}: {field} {{ {selection} }}" for i in range(n)) + " }"


def _count_calls(monkeypatch, name: str) -> list:
    """Count the calls of `insights.<name>` (the computation behind the cache)."""
    calls: list = []
    original = getattr(insights, name)

    def counted(*args, **kwargs):
        calls.append(args[1:])
        return original(*args, **kwargs)

    monkeypatch.setattr(insights, name, counted)
    return calls


@pytest.fixture
def pair(session):
    """Two NGOs whose Kisumu water work overlaps (one organisation-network edge)."""
    a, b = make_organisation(session, name="Kisumu Water Trust"), make_organisation(session, name="Lake Wells")
    make_initiative(session, a, **BOREHOLES)
    make_initiative(session, b, **WELLS)
    return a, b


@pytest.mark.parametrize("field, selection", [
    ("organisationNetwork", "isolated"),
    ("convergenceGroups", "initiativeIds"),
    ('fragmentation(areaLevel: "admin1")', "gaps { goal }"),
])
def test_twenty_aliased_analytics_fields_are_refused_by_cost_before_any_sql(client, app, pair, field, selection):
    holder: dict = {}
    started = time.perf_counter()
    statements = _statements_during(app, lambda: holder.update(body=gql(client, _aliased(field, selection),
                                                                         status=400)))
    assert time.perf_counter() - started < 2.0
    assert statements == []
    ext = error_of(holder["body"])
    assert ext["code"] == "validation_error"
    message = ext["fields"]["query"][0]
    assert "20 analytics fields" in message and f"{field.split('(')[0]} x20" in message
    assert holder["body"]["errors"][0]["message"] == message


def test_analytics_behind_fragments_and_variables_are_priced_too(client, app, pair):
    # Filtered analyses are computed and priced as such (15,000 + 15,000 + 15,000 + 8,000), through
    # fragments and variables too; without a filter the same four come from the kept state.
    spread = ("query($c: String) { ...A ...B } fragment A on Query { a: organisationNetwork(filter: {country: $c}) "
              "{ isolated } b: convergenceGroups(filter: {country: $c}) { initiativeIds } } fragment B on Query "
              "{ ... on Query { c: organisationNetwork(filter: {country: $c}) { isolated } d: gaps(area: $c) "
              "{ goal } } }")
    body = gql(client, spread, {"c": "KE"}, status=400)
    assert "4 analytics fields" in error_of(body)["fields"]["query"][0]
    assert "data" in gql(client, spread, {"c": None})
    # Filtered, each is computed: 6 x 8,000 fits the budget of 50,000, 6 x 10,000 (admin1) does not.
    six = "query($l: String) { " + " ".join(f'f{i}: fragmentation(areaLevel: $l, area: "KE") {{ gaps {{ goal }} }}'
                                           for i in range(6)) + " }"
    assert "data" in gql(client, six, {"l": "country"})
    assert "analytics" in error_of(gql(client, six, {"l": "admin1"}, status=400))["fields"]["query"][0]
    app.config["GRAPHQL_ANALYTICS_COSTS"] = {"organisationNetwork": 60_000}  # the computed (filtered) price
    filtered = NETWORK.replace("organisationNetwork", 'organisationNetwork(filter: {country: "KE"})')
    assert error_of(gql(client, filtered, status=400))["code"] == "validation_error"
    assert "data" in gql(client, NETWORK)
    app.config["GRAPHQL_KEPT_ANALYTICS_COSTS"] = {"organisationNetwork": 60_000}  # the kept price
    assert error_of(gql(client, NETWORK, status=400))["code"] == "validation_error"


def test_one_analytics_field_still_works(client, pair):
    body = gql(client, NETWORK)
    assert "errors" not in body
    assert {n["organisation"]["name"] for n in body["data"]["organisationNetwork"]["nodes"]} == {
        "Kisumu Water Trust", "Lake Wells"}
    assert len(body["data"]["organisationNetwork"]["edges"]) == 1


def test_the_same_analytics_twice_in_one_request_is_computed_once(client, app, pair, monkeypatch):
    app.config["ANALYTICS_CACHE_ENABLED"] = False  # the per-request memo alone
    network, fragmentation = _count_calls(monkeypatch, "network_for"), _count_calls(monkeypatch, "fragmentation_for")
    body = gql(client, """{ a: organisationNetwork { edges { a b } } b: organisationNetwork { isolated }
                            fragmentation(area: "KE") { cells { goal } } gaps(area: "KE") { goal } }""")
    assert "errors" not in body
    assert body["data"]["a"]["edges"] and body["data"]["b"]["isolated"] == []
    assert len(network) == 1 and len(fragmentation) == 1  # gaps shares fragmentation's answer
    gql(client, NETWORK)
    assert len(network) == 2  # a new request, no process cache: computed again


def _kept(app):
    """The kept analytics of the app (unfiltered answers come from there, not from `insights`)."""
    return app.extensions["analytics_cache"].kept


def test_a_repeated_request_is_served_from_the_kept_state_without_recomputing(client, app, pair, monkeypatch):
    calls = _count_calls(monkeypatch, "network_for")
    first = gql(client, NETWORK)
    holder: dict = {}
    statements = _statements_during(app, lambda: holder.update(body=gql(client, NETWORK)))
    assert holder["body"] == first and calls == []  # never the full computation
    assert len(statements) == 1  # the data version, nothing else
    edges = client.get("/api/v1/network").get_json()["edges"]
    assert [(str(e["a"]), str(e["b"])) for e in edges] == [
        (e["a"], e["b"]) for e in first["data"]["organisationNetwork"]["edges"]]
    assert (_kept(app).builds, _kept(app).catch_ups) == (1, 0)  # REST and GraphQL share the state
    filtered = "{ organisationNetwork(filter: {country: \"KE\"}) { isolated } }"
    gql(client, filtered)
    gql(client, filtered)
    assert len(calls) == 1 and app.extensions["analytics_cache"].hits == 1  # filtered: computed, cached


def test_a_kept_answer_follows_a_new_initiative_and_overlap_writes(client, app, session, monkeypatch):
    a, b = make_organisation(session, name="Kisumu Water Trust"), make_organisation(session, name="Lake Wells")
    make_initiative(session, a, **BOREHOLES)
    calls = _count_calls(monkeypatch, "network_for")
    assert client.get("/api/v1/network").get_json()["edges"] == []
    assert client.get("/api/v1/network").get_json()["edges"] == []
    assert (_kept(app).builds, _kept(app).catch_ups) == (1, 0)
    make_initiative(session, b, **WELLS)  # a new initiative and the overlap it makes
    assert len(client.get("/api/v1/network").get_json()["edges"]) == 1
    assert (_kept(app).builds, _kept(app).catch_ups, calls) == (1, 1, [])  # caught up, not recomputed
    # An overlap written without the change log (as recompute_all and bulk paths do) moves the version too.
    session.execute(update(Overlap).values(status="dismissed"))
    session.commit()
    assert client.get("/api/v1/network").get_json()["edges"] == []
    groups = client.get("/api/v1/groups").get_json()["items"]
    assert groups == []


def test_an_organisations_cached_answer_is_never_served_to_anonymous_or_another_organisation(
        client, app, session, monkeypatch):
    owner, neighbour = make_organisation(session, name="Private Owner"), make_organisation(session, name="Neighbour")
    make_initiative(session, owner, visibility="private", **BOREHOLES)
    make_initiative(session, neighbour, **WELLS)
    own_token, other_token = make_token(session, owner), make_token(session, make_organisation(session))
    calls = _count_calls(monkeypatch, "network_for")
    mine = gql(client, NETWORK, token=own_token)["data"]["organisationNetwork"]
    assert {n["organisation"]["name"] for n in mine["nodes"]} == {"Private Owner", "Neighbour"}
    assert len(mine["edges"]) == 1
    for token in (None, other_token):
        seen = gql(client, NETWORK, token=token)["data"]["organisationNetwork"]
        assert {n["organisation"]["name"] for n in seen["nodes"]} == {"Neighbour"} and seen["edges"] == []
        rest = client.get("/api/v1/network", headers=bearer(token) if token else {}).get_json()
        assert [n["organisation"]["name"] for n in rest["nodes"]] == ["Neighbour"] and rest["edges"] == []
        groups = client.get("/api/v1/groups", headers=bearer(token) if token else {}).get_json()["items"]
        assert groups == []
    assert _kept(app).builds == 3  # the owner, anonymous, the other organisation: each kept for itself
    again = gql(client, NETWORK, token=own_token)["data"]["organisationNetwork"]
    assert again == mine and _kept(app).builds == 3 and calls == []


def test_analytics_endpoints_have_a_stricter_rate_limit_than_plain_reads(app, client):
    app.config.update(RATE_LIMIT_ENABLED=True, RATE_LIMIT_PER_ADDRESS="100/60",
                      RATE_LIMIT_ANALYTICS_PER_ADDRESS="2/60")
    assert [client.get("/api/v1/network").status_code for _ in range(3)] == [200, 200, 429]
    refused = client.get("/api/v1/groups")
    assert refused.status_code == 429 and refused.get_json()["error"]["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) >= 1
    assert client.get("/api/v1/initiatives").status_code == 200  # plain reads keep their own limit
    body = client.post("/graphql", json={"query": NETWORK})
    assert body.status_code == 429 and body.get_json()["errors"][0]["extensions"]["code"] == "rate_limited"
    assert client.post("/graphql", json={"query": "{ initiatives { totalCount } }"}).status_code == 200


def test_each_analytics_field_of_a_graphql_query_draws_from_the_analytics_bucket(app, client):
    app.config.update(RATE_LIMIT_ENABLED=True, RATE_LIMIT_PER_ADDRESS="100/60",
                      RATE_LIMIT_ANALYTICS_PER_ADDRESS="3/60")
    two = "{ organisationNetwork { isolated } convergenceGroups { initiativeIds } }"
    assert client.post("/graphql", json={"query": two}).status_code == 200
    assert client.post("/graphql", json={"query": two}).status_code == 429
