"""The convergence loop through REST: register → overlaps found → inbox → decide → recompute."""
from __future__ import annotations

import pytest

from ..factories import BOREHOLES, WELLS, bearer, initiative_data
from ..factories import make_initiative, make_organisation, make_token


@pytest.fixture
def two_ngos(session):
    a = make_organisation(session, name="Kisumu Water Trust")
    b = make_organisation(session, name="Lake Basin Wells")
    return a, b, make_token(session, a), make_token(session, b)


def test_a_new_initiative_shows_the_other_organisations_overlapping_effort_with_a_reason(client, session, two_ngos):
    a, b, token_a, token_b = two_ngos
    first = client.post("/api/v1/initiatives", json=initiative_data(**BOREHOLES), headers=bearer(token_a)).get_json()
    second = client.post("/api/v1/initiatives", json=initiative_data(**WELLS), headers=bearer(token_b)).get_json()
    overlaps = client.get(f"/api/v1/initiatives/{second['id']}/overlaps").get_json()["items"]
    assert [o["other"]["id"] for o in overlaps] == [first["id"]]
    overlap = overlaps[0]
    assert 0 < overlap["score"] <= 1 and overlap["status"] == "suggested"
    assert set(overlap["components"]) == {"goal", "place", "time", "text", "tags", "work"}
    assert "6.1" in overlap["explanation"] and "km" in overlap["explanation"]
    for token in (token_a, token_b):
        inbox = client.get("/api/v1/inbox", headers=bearer(token)).get_json()
        assert inbox["unread"] == 1 and inbox["items"][0]["overlap"]["id"] == overlap["id"]


def test_initiatives_of_one_organisation_never_overlap(client, session, two_ngos):
    a, _, token_a, _ = two_ngos
    client.post("/api/v1/initiatives", json=initiative_data(**BOREHOLES), headers=bearer(token_a))
    second = client.post("/api/v1/initiatives", json=initiative_data(**WELLS), headers=bearer(token_a)).get_json()
    assert client.get(f"/api/v1/initiatives/{second['id']}/overlaps").get_json()["items"] == []


def test_unrelated_work_far_away_is_not_an_overlap(client, session, two_ngos):
    _, _, token_a, token_b = two_ngos
    client.post("/api/v1/initiatives", json=initiative_data(**BOREHOLES), headers=bearer(token_a))
    other = client.post("/api/v1/initiatives", headers=bearer(token_b), json=initiative_data(
        title="Secondary school teacher training", description="Training mathematics teachers.",
        goals=["4.c"], tags=["Education"], locations=[{"name": "Mombasa", "country": "KE", "lat": -4.04, "lon": 39.66}],
        start="2019-01-01", end="2019-12-31")).get_json()
    assert client.get(f"/api/v1/initiatives/{other['id']}/overlaps").get_json()["items"] == []


def test_a_dismissed_pair_is_not_suggested_again_unless_one_side_changes_materially(client, session, two_ngos):
    _, _, token_a, token_b = two_ngos
    first = client.post("/api/v1/initiatives", json=initiative_data(**BOREHOLES), headers=bearer(token_a)).get_json()
    second = client.post("/api/v1/initiatives", json=initiative_data(**WELLS), headers=bearer(token_b)).get_json()
    overlap_id = client.get(f"/api/v1/initiatives/{second['id']}/overlaps").get_json()["items"][0]["id"]
    decided = client.post(f"/api/v1/overlaps/{overlap_id}/decision", json={"status": "dismissed"},
                          headers=bearer(token_a))
    assert decided.status_code == 200 and decided.get_json()["decided_by"]
    url = f"/api/v1/initiatives/{second['id']}"
    client.patch(url, json={"budget": 5000, "currency": "KES"}, headers=bearer(token_b))  # not material
    assert client.get(f"{url}/overlaps").get_json()["items"] == []
    assert client.get(f"{url}/overlaps?status=dismissed").get_json()["items"][0]["id"] == overlap_id
    client.patch(url, json={"description": WELLS["description"] + " Adding solar pumps to the boreholes."},
                 headers=bearer(token_b))
    again = client.get(f"{url}/overlaps").get_json()["items"]
    assert [o["id"] for o in again] == [overlap_id] and again[0]["status"] == "suggested"
    assert first["id"] in {again[0]["other"]["id"]}


def test_decisions_on_unknown_or_foreign_overlaps_are_refused(client, session, two_ngos):
    _, _, token_a, token_b = two_ngos
    client.post("/api/v1/initiatives", json=initiative_data(**BOREHOLES), headers=bearer(token_a))
    second = client.post("/api/v1/initiatives", json=initiative_data(**WELLS), headers=bearer(token_b)).get_json()
    overlap_id = client.get(f"/api/v1/initiatives/{second['id']}/overlaps").get_json()["items"][0]["id"]
    outsider = make_token(session, make_organisation(session, name="Someone else"))
    assert client.post("/api/v1/overlaps/99999/decision", json={"status": "confirmed"},
                       headers=bearer(token_a)).status_code == 404
    assert client.post(f"/api/v1/overlaps/{overlap_id}/decision", json={"status": "confirmed"},
                       headers=bearer(outsider)).status_code == 404
    assert client.post(f"/api/v1/overlaps/{overlap_id}/decision", json={"status": "confirmed"}).status_code == 401
    bad = client.post(f"/api/v1/overlaps/{overlap_id}/decision", json={"status": "maybe"}, headers=bearer(token_a))
    assert bad.status_code == 400 and "status" in bad.get_json()["error"]["fields"]


def test_withdrawing_an_initiative_removes_its_overlaps(client, session, two_ngos):
    _, _, token_a, token_b = two_ngos
    first = client.post("/api/v1/initiatives", json=initiative_data(**BOREHOLES), headers=bearer(token_a)).get_json()
    second = client.post("/api/v1/initiatives", json=initiative_data(**WELLS), headers=bearer(token_b)).get_json()
    client.delete(f"/api/v1/initiatives/{first['id']}", headers=bearer(token_a))
    assert client.get(f"/api/v1/initiatives/{second['id']}/overlaps").get_json()["items"] == []
    assert client.get("/api/v1/inbox", headers=bearer(token_b)).get_json()["items"] == []


def test_batch_recomputation_agrees_with_incremental_detection_and_keeps_decisions(app, client, session, two_ngos):
    a, b, token_a, token_b = two_ngos
    c = make_organisation(session, name="County Water Department", type="10")
    for org, body in ((a, BOREHOLES), (b, WELLS), (c, dict(BOREHOLES, title="County borehole programme"))):
        make_initiative(session, org, **body)
    before = client.get("/api/v1/overlaps").get_json()["items"]
    assert len(before) == 3
    client.post(f"/api/v1/overlaps/{before[0]['id']}/decision", json={"status": "coordinating"},
                headers=bearer(token_a))
    result = app.test_cli_runner().invoke(args=["converge", "--quiet"])
    assert result.exit_code == 0, result.output
    after = client.get("/api/v1/overlaps").get_json()["items"]
    assert {(o["initiatives"][0]["id"], o["initiatives"][1]["id"]) for o in after} == \
        {(o["initiatives"][0]["id"], o["initiatives"][1]["id"]) for o in before}
    assert [o["status"] for o in after if o["id"] == before[0]["id"]] == ["coordinating"]


def test_groups_flag_grassroots_only_work_and_suggest_an_institutional_ally(client, session, two_ngos):
    a, b, _, _ = two_ngos
    make_initiative(session, a, **BOREHOLES)
    make_initiative(session, b, **WELLS)
    ministry = make_organisation(session, name="Ministry of Water", type="10")
    make_initiative(session, ministry, title="National rural water policy rollout", goals=["6.1"],
                    description="Policy support for county water services.", tags=["Policy"],
                    locations=[{"name": "Kisumu", "country": "KE", "lat": -0.3, "lon": 34.9}],
                    start="2026-01-01", end="2026-12-31")
    groups = client.get("/api/v1/groups?goal=6").get_json()["items"]
    assert len(groups) == 1 and groups[0]["grassroots_only"] is True
    assert "6.1" in groups[0]["shared_goals"]
    assert [s["organisation"]["name"] for s in groups[0]["suggested_allies"]] == ["Ministry of Water"]


def test_fragmentation_reports_herfindahl_and_effective_actors_per_area(client, session, two_ngos):
    a, b, _, _ = two_ngos
    make_initiative(session, a, **BOREHOLES)
    make_initiative(session, a, **dict(BOREHOLES, title="Second borehole project"))
    make_initiative(session, b, **WELLS)
    body = client.get("/api/v1/fragmentation?goal=6&year=2025").get_json()
    cell = next(c for c in body["cells"] if c["area"] == "KE" and c["goal"] == "6")
    assert cell["n_initiatives"] == 3 and cell["n_organisations"] == 2
    assert cell["herfindahl"] == pytest.approx((2 / 3) ** 2 + (1 / 3) ** 2)
    assert cell["effective_actors"] == pytest.approx(1 / cell["herfindahl"])


def test_the_network_links_organisations_through_overlaps(client, session, two_ngos):
    a, b, _, _ = two_ngos
    make_initiative(session, a, **BOREHOLES)
    make_initiative(session, b, **WELLS)
    net = client.get("/api/v1/network").get_json()
    assert {n["organisation"]["name"] for n in net["nodes"]} == {"Kisumu Water Trust", "Lake Basin Wells"}
    assert len(net["edges"]) == 1 and "overlap" in net["edges"][0]["kinds"]
