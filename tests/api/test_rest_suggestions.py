"""Goal, tag and place suggestions from text, and suggested goals on registration."""
from __future__ import annotations

from ..factories import bearer, initiative_data, make_organisation, make_token


def test_suggestions_rank_water_first_and_name_the_places(client):
    body = client.post("/api/v1/suggestions", json={
        "title": "Boreholes and hand pumps for safe drinking water in Kisumu",
        "description": "We repair community wells and train water committees on sanitation and hygiene.",
        "country": "KE"}).get_json()
    assert body["goals"][0]["code"] == "6" and body["goals"][0]["title"]
    assert "6.1" in [t["code"] for t in body["targets"][:3]]
    assert any(p["name"] == "Kisumu" and p["country"] == "KE" for p in body["places"])
    assert all(0 <= g["score"] <= 1 for g in body["goals"])
    # A yes/no per goal: water applies, and goals the text does not concern do not.
    assert body["goals"][0]["applies"] is True
    assert any(g["applies"] is False for g in body["goals"])
    assert all(t["applies"] is None for t in body["targets"])
    # Why: the words the water goal rests on are words of the text, and the strongest is about water.
    text = ("boreholes and hand pumps for safe drinking water in kisumu we repair community wells and train water "
            "committees on sanitation and hygiene")
    because = body["goals"][0]["because"]
    assert because and "water" in because[0] and all(words in text for words in because)
    assert all(t["because"] == because for t in body["targets"] if t["code"].startswith("6."))
    assert "water supply" in body["work"] and "sanitation and sewage" not in body["work"]


def test_suggestions_need_a_title(client):
    response = client.post("/api/v1/suggestions", json={"description": "water"})
    assert response.status_code == 400 and "title" in response.get_json()["error"]["fields"]


def test_an_initiative_without_goals_gets_confident_goals_as_suggestions_it_can_reject(client, session):
    token = make_token(session, make_organisation(session))
    body = client.post("/api/v1/initiatives", headers=bearer(token), json=initiative_data(
        goals=[], title="Drinking water supply: boreholes, hand pumps and water point repairs",
        description="Rehabilitating boreholes and hand pumps so that rural households have safe drinking water.")
    ).get_json()
    assert body["goals"] == []
    suggested = [g["code"] for g in body["suggested_goals"]]
    assert "6" in suggested
    rejected = client.delete(f"/api/v1/initiatives/{body['id']}/suggested-goals/6", headers=bearer(token))
    assert rejected.status_code == 200
    assert "6" not in [g["code"] for g in rejected.get_json()["suggested_goals"]]


def test_graphql_suggest_gives_the_same_goals_as_rest(client):
    text = {"title": "Scholarships and teacher training for girls' secondary education"}
    rest = client.post("/api/v1/suggestions", json=text).get_json()
    body = client.post("/graphql", json={"query": 'query($t: String!) { suggest(title: $t) { goals { code score confident applies because } } }',
                                         "variables": {"t": text["title"]}}).get_json()
    assert [g["code"] for g in body["data"]["suggest"]["goals"]] == [g["code"] for g in rest["goals"]]
    assert body["data"]["suggest"]["goals"][0]["code"] == "4"
    assert [g["applies"] for g in body["data"]["suggest"]["goals"]] == [g["applies"] for g in rest["goals"]]
    assert [g["because"] for g in body["data"]["suggest"]["goals"]] == [g["because"] for g in rest["goals"]]
    assert any("teacher" in words or "scholarships" in words for words in rest["goals"][0]["because"])
