"""REST: an NGO registers, edits and withdraws its initiatives; others read what is public."""
from __future__ import annotations

from coordination.models import Change, Initiative

from ..factories import bearer, initiative_data, make_initiative, make_organisation, make_token


def test_an_ngo_registers_an_initiative_and_gets_201_with_location(client, session):
    org = make_organisation(session, name="Water Aid Kenya")
    token = make_token(session, org)
    response = client.post("/api/v1/initiatives", json=initiative_data(goals=["6.A", "6.1"]),
                           headers=bearer(token))
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"] == f"/api/v1/initiatives/{body['id']}"
    assert body["organisation"]["slug"] == org.slug
    assert body["goals"] == ["6.a", "6.1"]  # upper-case target letters are normalised
    assert body["locations"][0]["lat"] == -0.0917
    assert client.get(response.headers["Location"]).get_json()["title"] == body["title"]


def test_the_initiative_is_found_filtered_by_goal_and_bounding_box(client, session):
    org = make_organisation(session)
    make_initiative(session, org)
    make_initiative(session, org, title="School meals in Mombasa", goals=["2.1"],
                    locations=[{"name": "Mombasa", "country": "KE", "lat": -4.04, "lon": 39.66}])
    by_goal = client.get("/api/v1/initiatives?goal=6").get_json()
    assert [i["title"] for i in by_goal["items"]] == ["Repairing community wells in Kisumu"]
    in_box = client.get("/api/v1/initiatives?bbox=39,-5,40,-3").get_json()
    assert [i["title"] for i in in_box["items"]] == ["School meals in Mombasa"]
    assert client.get("/api/v1/initiatives?bbox=0,0,1,1").get_json()["total"] == 0


def test_filters_cover_target_tag_country_status_dates_and_text(client, session):
    org = make_organisation(session)
    make_initiative(session, org)
    make_initiative(session, org, title="Vaccination outreach", description="Measles campaign",
                    goals=["3.b"], tags=["Health"], status="pipeline", start="2027-01-01", end=None,
                    locations=[{"country": "UG"}])
    titles = lambda q: [i["title"] for i in client.get(f"/api/v1/initiatives?{q}").get_json()["items"]]  # noqa: E731
    assert titles("target=6.1") == ["Repairing community wells in Kisumu"]
    assert titles("target=3.B") == ["Vaccination outreach"]
    assert titles("tag=wash") == ["Repairing community wells in Kisumu"]
    assert titles("country=ug") == ["Vaccination outreach"]
    assert titles("status=pipeline") == ["Vaccination outreach"]
    assert titles("active_on=2025-06-01") == ["Repairing community wells in Kisumu"]
    assert titles("active_on=2030-06-01") == ["Vaccination outreach"]  # open-ended
    assert titles("q=measles") == ["Vaccination outreach"]
    assert titles(f"organisation={org.slug}&goal=3") == ["Vaccination outreach"]


def test_cursor_pagination_visits_every_initiative_once(client, session):
    org = make_organisation(session)
    ids = {make_initiative(session, org, title=f"Effort {n}").id for n in range(7)}
    seen, after = [], None
    while True:
        url = "/api/v1/initiatives?first=3" + (f"&after={after}" if after else "")
        page = client.get(url).get_json()
        seen += [i["id"] for i in page["items"]]
        assert page["total"] == 7
        if not page["has_next"]:
            break
        after = page["next_cursor"]
    assert sorted(seen) == sorted(ids)


def test_an_edit_changes_fields_and_records_who_changed_what(client, session):
    org = make_organisation(session)
    token = make_token(session, org)
    initiative = make_initiative(session, org)
    response = client.patch(f"/api/v1/initiatives/{initiative.id}",
                            json={"title": "Repairing wells and boreholes in Kisumu", "goals": ["6"]},
                            headers=bearer(token))
    assert response.status_code == 200
    assert response.get_json()["goals"] == ["6"] and response.get_json()["version"] == 2
    history = client.get(f"/api/v1/initiatives/{initiative.id}/history").get_json()["items"]
    assert [h["action"] for h in history] == ["create", "update"]
    assert "title" in history[1]["changed"] and "goals" in history[1]["changed"]


def test_a_stale_if_match_is_refused_with_409_and_nothing_changes(client, session):
    org = make_organisation(session)
    token = make_token(session, org)
    initiative = make_initiative(session, org)
    ok = client.patch(f"/api/v1/initiatives/{initiative.id}", json={"title": "New title"},
                      headers={**bearer(token), "If-Match": '"1"'})
    assert ok.status_code == 200 and ok.headers["ETag"] == '"2"'
    stale = client.patch(f"/api/v1/initiatives/{initiative.id}", json={"title": "Lost update"},
                         headers={**bearer(token), "If-Match": '"1"'})
    assert stale.status_code == 409
    assert stale.get_json()["error"]["code"] == "conflict"
    assert client.get(f"/api/v1/initiatives/{initiative.id}").get_json()["title"] == "New title"


def test_withdrawing_hides_the_initiative_but_keeps_it_in_history(client, session):
    org = make_organisation(session)
    token = make_token(session, org)
    initiative = make_initiative(session, org)
    assert client.delete(f"/api/v1/initiatives/{initiative.id}", headers=bearer(token)).status_code == 200
    assert client.get("/api/v1/initiatives").get_json()["total"] == 0
    assert client.get(f"/api/v1/initiatives/{initiative.id}").status_code == 404  # anonymous
    own = client.get(f"/api/v1/initiatives/{initiative.id}", headers=bearer(token)).get_json()
    assert own["withdrawn"] is True
    assert session.get(Initiative, initiative.id) is not None
    actions = [c.action for c in session.query(Change).filter_by(entity_type="initiative", entity_id=initiative.id)]
    assert actions == ["create", "withdraw"]


def test_private_initiatives_are_visible_to_their_organisation_and_coordinators_only(client, session):
    org, other = make_organisation(session), make_organisation(session)
    initiative = make_initiative(session, org, visibility="private")
    url = f"/api/v1/initiatives/{initiative.id}"
    assert client.get(url).status_code == 404
    assert client.get(url, headers=bearer(make_token(session, other))).status_code == 404
    assert client.get(url, headers=bearer(make_token(session, org))).status_code == 200
    assert client.get(url, headers=bearer(make_token(session, None, "coordinator"))).status_code == 200
    assert client.get("/api/v1/initiatives").get_json()["total"] == 0


def test_sensitive_locations_are_coarsened_for_the_public_but_exact_for_coordinators(client, session):
    org = make_organisation(session)
    loc = {"name": "Safe house", "country": "KE", "admin1": "Kisumu", "lat": -0.1, "lon": 34.7}
    initiative = make_initiative(session, org, public_precision="admin", locations=[loc])
    public = client.get(f"/api/v1/initiatives/{initiative.id}").get_json()["locations"][0]
    assert public["lat"] is None and public["name"] is None and public["admin1"] == "Kisumu"
    exact = client.get(f"/api/v1/initiatives/{initiative.id}",
                       headers=bearer(make_token(session, None, "coordinator"))).get_json()["locations"][0]
    assert exact["lat"] == -0.1


def test_an_edit_can_keep_some_goals_tags_and_partners_and_add_others(client, session):
    org = make_organisation(session)
    partner = make_organisation(session, name="County Government", type="11")
    token = make_token(session, org)
    initiative = make_initiative(session, org, goals=["6.1"], tags=["WASH"],
                                 partners=[{"organisation": partner.slug, "role": "funding"}])
    response = client.patch(f"/api/v1/initiatives/{initiative.id}", headers=bearer(token), json={
        "goals": ["6.1", "6.2"], "tags": ["WASH", "Hygiene promotion"],
        "partners": [{"organisation": partner.slug, "role": "funding"},
                     {"organisation": partner.slug, "role": "implementing"}]})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["goals"] == ["6.1", "6.2"] and len(body["tags"]) == 2 and len(body["partners"]) == 2


def test_each_write_answers_what_a_later_read_finds(client, session):
    """The answer is worked out before the commit (`commit_answer`): it must be what was stored."""
    org = make_organisation(session, name="Water Aid Kenya")
    partner = make_organisation(session, name="County Water Board")
    token = make_token(session, org)
    body = initiative_data(goals=["6.1", "6.b", "3.3"], primary_goal="6.b", tags=["WASH", "water", "Hygiene"],
                           budget="12345.675", currency="usd", people_targeted=900, public_precision="admin",
                           partners=[{"organisation": partner.slug, "role": "funding"}],
                           locations=[{"name": "Kisumu", "country": "KE", "lat": -0.0917, "lon": 34.768},
                                      {"country": "KE", "admin1": "Siaya"}])
    written = client.post("/api/v1/initiatives", json=body, headers=bearer(token))
    assert written.status_code == 201, written.get_json()
    url = written.headers["Location"]
    read = client.get(url, headers=bearer(token))
    assert written.get_json() == read.get_json()
    assert written.headers["ETag"] == read.headers["ETag"] == '"1"'
    assert read.get_json()["budget"] == 12345.68  # rounded to the cent as stored, in the answer too
    edited = client.patch(url, json={"title": "Wells and latrines", "tags": ["WASH"], "budget": 10.005},
                          headers={**bearer(token), "If-Match": '"1"'})
    assert edited.status_code == 200, edited.get_json()
    read = client.get(url, headers=bearer(token))
    assert edited.get_json() == read.get_json()
    assert edited.headers["ETag"] == read.headers["ETag"] == '"2"'
    withdrawn = client.delete(url, headers=bearer(token))
    assert withdrawn.status_code == 200
    assert withdrawn.get_json() == client.get(url, headers=bearer(token)).get_json()
