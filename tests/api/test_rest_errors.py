"""REST: every bad input gets a 4xx naming the field and the reason, and nothing is written."""
from __future__ import annotations

import pytest

from coordination.models import Initiative

from ..factories import bearer, initiative_data, make_organisation, make_token


@pytest.fixture
def token(session):
    return make_token(session, make_organisation(session))


@pytest.mark.parametrize("overrides, field", [
    ({"title": ""}, "title"),
    ({"title": "x" * 301}, "title"),
    ({"title": None}, "title"),
    ({"locations": [{"lat": 91, "lon": 10}]}, "locations.0.lat"),
    ({"locations": [{"lat": 10, "lon": -181}]}, "locations.0.lon"),
    ({"start": "2025-06-01", "end": "2025-01-01"}, "end"),
    ({"goals": ["18.1"]}, "goals"),
    ({"goals": ["6.9"]}, "goals"),
    ({"goals": "6"}, "goals"),
    ({"budget": "lots"}, "budget"),
    ({"start": "01/02/2025"}, "start"),
    ({"status": "ongoing"}, "status"),
    ({"visibility": "secret"}, "visibility"),
    ({"people_targeted": 1.5}, "people_targeted"),
    ({"colour": "blue"}, "colour"),
    ({"partners": [{"organisation": "nobody-knows", "role": "funding"}]}, "partners.0.organisation"),
])
def test_bad_input_is_refused_naming_the_field(client, session, token, overrides, field):
    response = client.post("/api/v1/initiatives", json=initiative_data(**overrides), headers=bearer(token))
    assert response.status_code == 400, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["fields"], error
    assert session.query(Initiative).count() == 0


def test_an_unknown_goal_code_is_named_in_the_error(client, token):
    error = client.post("/api/v1/initiatives", json=initiative_data(goals=["6.1", "6.9"]),
                        headers=bearer(token)).get_json()["error"]
    assert any("6.9" in message for message in error["fields"]["goals"])


def test_malformed_json_is_a_clear_400(client, token):
    response = client.post("/api/v1/initiatives", data='{"title": ', headers={
        **bearer(token), "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["error"]["fields"]["_body"][0].startswith("malformed JSON")


def test_a_body_that_is_not_an_object_is_refused(client, token):
    response = client.post("/api/v1/initiatives", json=["a", "list"], headers=bearer(token))
    assert response.status_code == 400 and "_body" in response.get_json()["error"]["fields"]


def test_an_oversized_body_gets_413(client, token):
    big = initiative_data(description="x" * (3 * 1024 * 1024))
    response = client.post("/api/v1/initiatives", json=big, headers=bearer(token))
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"


def test_bad_query_arguments_name_the_argument(client):
    for query, field in [("bbox=1,2,3", "bbox"), ("first=0", "first"), ("first=abc", "first"),
                         ("after=notacursor", "after"), ("active_on=tomorrow", "active_on"),
                         ("goal=99", "goal"), ("status=done", "status")]:
        response = client.get(f"/api/v1/initiatives?{query}")
        assert response.status_code == 400, query
        assert field in response.get_json()["error"]["fields"], query


def test_a_bad_token_is_401_and_text_is_stored_as_given(client, session, token):
    assert client.post("/api/v1/initiatives", json=initiative_data(),
                       headers=bearer("cp_not-a-token")).status_code == 401
    html = '<script>alert("x")</script> & wells'
    created = client.post("/api/v1/initiatives", json=initiative_data(title=html), headers=bearer(token))
    assert created.get_json()["title"] == html


def test_unknown_routes_and_methods_use_the_error_shape(client):
    assert client.get("/api/v1/nothing-here").get_json()["error"]["code"] == "not_found"
    assert client.put("/api/v1/initiatives").get_json()["error"]["code"] == "method_not_allowed"


def test_swapped_coordinates_are_refused_with_the_likely_fix(client, token):
    body = initiative_data(locations=[{"name": "Kisumu", "country": "KE", "lat": 34.768, "lon": -0.0917}])
    error = client.post("/api/v1/initiatives", json=body, headers=bearer(token)).get_json()["error"]
    assert "swapped" in error["fields"]["locations.0"][0]


def test_a_point_outside_its_declared_country_is_refused_naming_where_it_is(client, token):
    body = initiative_data(locations=[{"country": "KE", "lat": 9.03, "lon": 38.74}])  # Addis Ababa
    error = client.post("/api/v1/initiatives", json=body, headers=bearer(token)).get_json()["error"]
    assert "Ethiopia" in error["fields"]["locations.0"][0]


def test_a_place_name_alone_is_geocoded_offline(client, token):
    body = initiative_data(locations=[{"name": "Kisumu", "country": "KE"}])
    loc = client.post("/api/v1/initiatives", json=body, headers=bearer(token)).get_json()["locations"][0]
    assert loc["admin1"] == "Kisumu" and abs(loc["lat"] + 0.1) < 0.2 and loc["precision"] == "admin1"


def test_a_cursor_holding_an_id_beyond_any_issued_is_a_400_not_a_500(client):
    import base64

    for value in (2**31, 2**63 + 5, -1):
        cursor = base64.urlsafe_b64encode(f"initiative:{value}".encode()).decode().rstrip("=")
        response = client.get(f"/api/v1/initiatives?after={cursor}")
        assert response.status_code == 400, value
        assert response.get_json()["error"]["fields"]["after"]


@pytest.mark.parametrize("overrides, field", [
    ({"title": "Wells \ud800 in Kisumu"}, "title"), ({"tags": ["WA\udfffSH"]}, "tags.0"),
    ({"description": "x\udc00"}, "description")])
def test_a_lone_surrogate_is_a_400_naming_the_field_and_nothing_is_saved(client, session, token, overrides, field):
    import json

    body = json.dumps(initiative_data(**overrides))  # ASCII escapes: "\ud800" reaches the server as sent
    response = client.post("/api/v1/initiatives", data=body,
                           headers={**bearer(token), "Content-Type": "application/json"})
    assert response.status_code == 400, response.get_data(as_text=True)
    assert "lone surrogates" in response.get_json()["error"]["fields"][field][0]
    assert session.query(Initiative).count() == 0
    graphql = client.post("/graphql", data=json.dumps({
        "query": "mutation($i: InitiativeInput!) { registerInitiative(input: $i) { id } }",
        "variables": {"i": {"title": "Wells \ud800"}}}), headers={**bearer(token), "Content-Type": "application/json"})
    assert graphql.status_code == 400 and "lone surrogates" in graphql.get_data(as_text=True)
