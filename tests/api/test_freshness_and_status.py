"""Status from the dates and freshness, as people see them: REST, GraphQL, pages, map popups, exports."""
from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest

from api import create_app
from api.extensions import db
from coordination.models import Initiative, User, utcnow

from ..backends import sqlite_url
from ..factories import bearer, initiative_data, make_organisation, make_token
from .test_pages import csrf_of, sign_up

TODAY = date.today()


def _days(n: int) -> str:
    return (TODAY + timedelta(days=n)).isoformat()


def _register(client, token, **overrides):
    response = client.post("/api/v1/initiatives", headers=bearer(token), json=initiative_data(**overrides))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _age(initiative_id: int, days: int) -> None:
    """Pretend the organisation last confirmed the initiative `days` ago."""
    initiative = db.session.get(Initiative, initiative_id)
    initiative.confirmed_at = utcnow() - timedelta(days=days)
    db.session.commit()


@pytest.fixture
def token(session):
    return make_token(session, make_organisation(session), "member")


def test_a_status_left_empty_follows_the_dates_on_every_read_and_a_given_one_wins(client, token):
    ended = _register(client, token, status=None, start=_days(-400), end=_days(-10))
    running = _register(client, token, status=None, start=_days(-10), end=_days(300))
    planned = _register(client, token, status=None, start=_days(30), end=None)
    chosen = _register(client, token, status="suspended", start=_days(-400), end=_days(-10))
    assert [(x["status"], x["status_from_dates"]) for x in (ended, running, planned, chosen)] == [
        ("closed", True), ("implementation", True), ("pipeline", True), ("suspended", False)]
    # Nothing derived is stored, so nothing goes stale when the end date passes.
    assert db.session.get(Initiative, running["id"]).status is None
    closed = client.get("/api/v1/initiatives?status=closed").get_json()["items"]
    assert [x["id"] for x in closed] == [ended["id"]]
    assert [x["id"] for x in client.get("/api/v1/initiatives?status=pipeline").get_json()["items"]] == [planned["id"]]
    query = '{ initiative(id: "ID") { status statusFromDates } }'.replace("ID", str(running["id"]))
    body = client.post("/graphql", json={"query": query}).get_json()
    assert body["data"]["initiative"] == {"status": "implementation", "statusFromDates": True}
    exported = list(csv.DictReader(io.StringIO(client.get("/api/v1/export/csv").get_data(as_text=True))))
    assert sorted(row["status"] for row in exported) == ["closed", "implementation", "pipeline", "suspended"]
    page = client.get(f"/initiatives/{ended['id']}").get_data(as_text=True)
    assert re.search(r'id="status">Closed <span class="muted">\(from the dates\)', page)


def test_freshness_turns_ageing_then_stale_and_the_organisation_confirms_it_through_rest_and_graphql(
        client, session, token):
    created = _register(client, token)
    assert created["freshness"]["level"] == "fresh" and created["freshness"]["age_days"] == 0
    assert created["freshness"]["stale_after_days"] == 180
    _age(created["id"], 100)
    assert client.get(f"/api/v1/initiatives/{created['id']}").get_json()["freshness"]["level"] == "ageing"
    _age(created["id"], 200)
    assert client.get(f"/api/v1/initiatives/{created['id']}").get_json()["freshness"]["level"] == "stale"
    other = make_token(session, make_organisation(session), "member")
    refused = client.post(f"/api/v1/initiatives/{created['id']}/confirm", headers=bearer(other))
    assert refused.status_code == 403
    confirmed = client.post(f"/api/v1/initiatives/{created['id']}/confirm", headers=bearer(token))
    assert confirmed.status_code == 200
    assert confirmed.get_json()["freshness"]["level"] == "fresh"
    assert confirmed.get_json()["version"] == created["version"]  # an open edit form stays valid
    history = client.get(f"/api/v1/initiatives/{created['id']}/history").get_json()
    assert "confirm" in [change["action"] for change in history["items"]]
    _age(created["id"], 365)
    mutation = 'mutation { confirmInitiative(id: "ID") { freshness { level ageDays } } }'.replace("ID", str(created["id"]))
    body = client.post("/graphql", json={"query": mutation}, headers=bearer(token)).get_json()
    assert body["data"]["confirmInitiative"]["freshness"] == {"level": "fresh", "ageDays": 0}


def test_the_page_shows_the_traffic_light_in_words_and_members_press_still_accurate(client):
    sign_up(client)
    user = db.session.query(User).one()
    member = make_token(db.session, db.session.get(User, user.id).organisation, "member")
    created = _register(client, member)
    _age(created["id"], 200)
    page = client.get(f"/initiatives/{created['id']}").get_data(as_text=True)
    light = re.search(r'<p id="freshness">(.*?)</p>', page, re.DOTALL)[1]
    assert "Stale" in light and "confirmed 200 days ago" in light
    assert 'id="confirm-accurate"' in page
    org_page = client.get(f"/organisations/{created['organisation']['slug']}").get_data(as_text=True)
    assert re.search(r'class="freshness stale">.*?Stale', org_page)
    response = client.post(f"/initiatives/{created['id']}/confirm", data={"csrf_token": csrf_of(page)},
                           follow_redirects=True)
    light = re.search(r'<p id="freshness">(.*?)</p>', response.get_data(as_text=True), re.DOTALL)[1]
    assert "Fresh" in light and "confirmed today" in light
    client.post("/signout", data={"csrf_token": csrf_of(response.get_data(as_text=True))})
    assert 'id="confirm-accurate"' not in client.get(f"/initiatives/{created['id']}").get_data(as_text=True)


def test_map_popups_and_same_place_lists_carry_the_traffic_light_and_the_status(client, token):
    created = _register(client, token, status=None, start=_days(-400), end=_days(-10))
    _age(created["id"], 120)
    bbox = "34.6,-0.2,34.9,0.0"
    features = client.get(f"/map/initiatives.geojson?zoom=14&bbox={bbox}").get_json()["features"]
    [marker] = [f["properties"] for f in features if f["properties"].get("id") == created["id"]]
    assert (marker["freshness"], marker["confirmed_days_ago"], marker["status"]) == ("ageing", 120, "closed")
    lon, lat = next(f["geometry"]["coordinates"] for f in features if f["properties"].get("id") == created["id"])
    [listed] = client.get(f"/map/place.json?lat={lat}&lon={lon}").get_json()["initiatives"]
    assert (listed["id"], listed["freshness"], listed["confirmed_days_ago"]) == (created["id"], "ageing", 120)


def test_the_stale_age_is_configured_by_stale_after_days(tmp_path, monkeypatch):
    monkeypatch.setenv("STALE_AFTER_DAYS", "30")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": sqlite_url(tmp_path)})
    with app.app_context():
        token = make_token(db.session, make_organisation(db.session), "member")
        client = app.test_client()
        created = _register(client, token)
        _age(created["id"], 20)
        freshness = client.get(f"/api/v1/initiatives/{created['id']}").get_json()["freshness"]
        assert (freshness["level"], freshness["age_days"], freshness["stale_after_days"]) == ("ageing", 20, 30)
        _age(created["id"], 31)
        assert client.get(f"/api/v1/initiatives/{created['id']}").get_json()["freshness"]["level"] == "stale"
        db.session.remove()
        db.engine.dispose()
    with pytest.raises(ValueError, match="STALE_AFTER_DAYS"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "STALE_AFTER_DAYS": "six months"})
