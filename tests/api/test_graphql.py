"""GraphQL: registering, finding, editing and withdrawing initiatives through /graphql."""

from __future__ import annotations

from typing import Any

from tests.factories import bearer, initiative_data, make_initiative, make_organisation, make_token

REGISTER = """mutation($input: InitiativeInput!) {
  registerInitiative(input: $input) { id title version organisation { slug }
    goals { code } primaryGoal { code } tags { label key } locations { lat lon country } } }"""
UPDATE = """mutation($id: ID!, $input: InitiativeInput!, $version: Int) {
  updateInitiative(id: $id, input: $input, version: $version) { id title version peopleTargeted } }"""
WITHDRAW = """mutation($id: ID!, $version: Int) {
  withdrawInitiative(id: $id, version: $version) { id withdrawn version } }"""
FIND = """query($filter: InitiativeFilter, $first: Int, $after: String) {
  initiatives(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id title } } } }"""


def gql(
    client, query: str, variables: dict | None = None, token: str | None = None, status: int = 200
) -> dict[str, Any]:
    """POST a GraphQL request and return the JSON body, checking the HTTP status."""
    response = client.post(
        "/graphql",
        json={"query": query, "variables": variables or {}},
        headers=bearer(token) if token else {},
    )
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


def graphql_input(**overrides: Any) -> dict[str, Any]:
    """The factories' initiative body in GraphQL spelling."""
    data = initiative_data(**overrides)
    renames = {
        "people_targeted": "peopleTargeted",
        "primary_goal": "primaryGoal",
        "public_precision": "publicPrecision",
        "iati_identifier": "iatiIdentifier",
    }
    return {renames.get(k, k): v for k, v in data.items()}


def error_of(body: dict) -> dict:
    """The extensions of the only error in a response."""
    assert len(body["errors"]) == 1, body
    return body["errors"][0]["extensions"]


def test_an_ngo_registers_an_initiative_and_finds_it_by_goal_and_bbox(client, session):
    ngo = make_organisation(session, name="Kisumu Water Trust")
    token = make_token(session, ngo)
    body = gql(
        client, REGISTER, {"input": graphql_input(peopleTargeted=1200, primaryGoal="6.1")}, token
    )
    created = body["data"]["registerInitiative"]
    assert created["organisation"]["slug"] == ngo.slug
    assert [g["code"] for g in created["goals"]] == ["6.1"] and created["primaryGoal"][
        "code"
    ] == "6.1"
    assert created["tags"][0]["key"] and created["locations"][0]["country"] == "KE"
    assert created["version"] == 1

    found = gql(client, FIND, {"filter": {"goal": "6", "bbox": "34.5,-0.5,35.0,0.5"}})["data"][
        "initiatives"
    ]
    assert found["totalCount"] == 1
    assert [e["node"]["id"] for e in found["edges"]] == [created["id"]]
    elsewhere = gql(client, FIND, {"filter": {"goal": "6", "bbox": "30,10,31,11"}})["data"][
        "initiatives"
    ]
    assert elsewhere["totalCount"] == 0 and elsewhere["edges"] == []
    other_goal = gql(client, FIND, {"filter": {"goal": "4"}})["data"]["initiatives"]
    assert other_goal["edges"] == []


def test_the_owner_updates_with_the_current_version_and_a_stale_one_is_a_conflict(client, session):
    ngo = make_organisation(session)
    token = make_token(session, ngo)
    initiative_id = str(make_initiative(session, ngo).id)
    body = gql(
        client,
        UPDATE,
        {
            "id": initiative_id,
            "input": {"title": "Wells, phase 2", "peopleTargeted": 40},
            "version": 1,
        },
        token,
    )
    assert body["data"]["updateInitiative"] == {
        "id": initiative_id,
        "title": "Wells, phase 2",
        "version": 2,
        "peopleTargeted": 40,
    }
    stale = gql(
        client, UPDATE, {"id": initiative_id, "input": {"title": "Overwrite"}, "version": 1}, token
    )
    assert stale["data"] is None
    assert error_of(stale)["code"] == "conflict" and "version" in error_of(stale)["fields"]
    title = gql(client, "query($id: ID!) { initiative(id: $id) { title } }", {"id": initiative_id})
    assert title["data"]["initiative"]["title"] == "Wells, phase 2"


def test_another_organisation_is_forbidden_to_update(client, session):
    owner, other = make_organisation(session), make_organisation(session)
    initiative_id = str(make_initiative(session, owner).id)
    body = gql(
        client,
        UPDATE,
        {"id": initiative_id, "input": {"title": "Taken over"}},
        make_token(session, other),
    )
    assert error_of(body)["code"] == "forbidden"
    assert body["errors"][0]["path"] == ["updateInitiative"]


def test_anonymous_callers_are_unauthorized_to_write(client, session):
    body = gql(client, REGISTER, {"input": graphql_input()})
    assert body["data"] is None and error_of(body)["code"] == "unauthorized"
    assert gql(client, FIND)["data"]["initiatives"]["totalCount"] == 0


def test_a_bad_token_is_unauthorized_even_for_reads(client):
    body = gql(client, FIND, token="cp_not-a-real-token", status=401)
    assert error_of(body)["code"] == "unauthorized"


def test_withdrawing_removes_the_initiative_from_listings_and_stale_withdrawals_conflict(
    client, session
):
    ngo = make_organisation(session)
    token = make_token(session, ngo)
    initiative_id = str(make_initiative(session, ngo).id)
    stale = gql(client, WITHDRAW, {"id": initiative_id, "version": 7}, token)
    assert error_of(stale)["code"] == "conflict"
    body = gql(client, WITHDRAW, {"id": initiative_id, "version": 1}, token)
    assert body["data"]["withdrawInitiative"] == {
        "id": initiative_id,
        "withdrawn": True,
        "version": 2,
    }
    assert gql(client, FIND)["data"]["initiatives"]["totalCount"] == 0
    missing = gql(client, "query($id: ID!) { initiative(id: $id) { id } }", {"id": initiative_id})
    assert missing["data"]["initiative"] is None and error_of(missing)["code"] == "not_found"


def test_graphql_and_rest_show_the_same_initiative(client, session):
    ngo = make_organisation(session)
    token = make_token(session, ngo)
    created = gql(client, REGISTER, {"input": graphql_input(budget=2500.5, currency="KES")}, token)[
        "data"
    ]["registerInitiative"]
    rest = client.get(f"/api/v1/initiatives/{created['id']}").get_json()
    assert rest["title"] == created["title"] and rest["goals"] == ["6.1"]
    assert rest["budget"] == 2500.5 and rest["version"] == created["version"]
