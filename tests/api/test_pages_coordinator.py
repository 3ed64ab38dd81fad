"""The coordinator pages through the test client: what a person sees on groups, overlaps, fragmentation, network."""
from __future__ import annotations

import re

import pytest

from api.extensions import db
from coordination.models import Organisation, Overlap

from .. import factories
from ..factories import BOREHOLES, WELLS, bearer, make_initiative, make_organisation, make_token
from ..factories import recompute as recompute_overlaps
from .test_pages import csrf_of, sign_up


@pytest.fixture
def world(session):
    """Two NGOs whose Kisumu water work overlaps, a government elsewhere on water, and a private plan."""
    wells_org, bore_org, gov, wells, bores = factories.make_water_neighbours(
        session, ("Kisumu Wells Friends", WELLS), ("Borehole Brigade", BOREHOLES), "Lake Region Water Ministry")
    ministry = make_initiative(session, gov, title="County water master plan", goals=["6.1"],
                               locations=[{"name": "Kisumu", "country": "KE", "lat": -0.2, "lon": 34.9}],
                               start="2030-01-01", end="2030-12-31",
                               description="Planning the bulk water supply of the lake region.")
    make_initiative(session, wells_org, title="Secret hush plan", visibility="private", **{
        k: v for k, v in BOREHOLES.items() if k != "title"})
    make_initiative(session, gov, title="School meals in Kampala", goals=["2.1"],
                    locations=[{"name": "Kampala", "country": "UG", "lat": 0.347, "lon": 32.582}])
    recompute_overlaps(session)
    session.commit()
    return {"wells_org": wells_org, "bore_org": bore_org, "gov": gov, "wells": wells, "bores": bores,
            "ministry": ministry}


def _overlap(world) -> Overlap:
    a, b = sorted((world["wells"].id, world["bores"].id))
    return db.session.scalars(db.select(Overlap).where(Overlap.initiative_a_id == a,
                                                       Overlap.initiative_b_id == b)).one()


def test_groups_list_names_the_organisations_goals_and_area(client, world):
    html = client.get("/groups").get_data(as_text=True)
    assert "Group 1" not in html
    assert "Kisumu Wells Friends" in html and "Borehole Brigade" in html
    assert "Clean water" in html.lower() or "6 " in html
    assert "Kenya" in html and not re.search(r"\bKE0\d\d\b", html)
    assert "grassroots only" in html
    key = min(world["wells"].id, world["bores"].id)
    assert f'href="/groups/{key}"' in html
    assert "Secret hush plan" not in html


def test_goal_page_lists_the_groups_with_their_organisations(client, world):
    html = client.get("/goals/6").get_data(as_text=True)
    assert "Kisumu Wells Friends" in html and "Group 1" not in html
    assert "Effective number of actors" in html and ">1/H<" not in html
    assert "/fragmentation?goal=6" in html


def test_group_page_names_members_goals_area_and_allies(client, world):
    key = min(world["wells"].id, world["bores"].id)
    response = client.get(f"/groups/{key}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for text in ("Kisumu Wells Friends", "Borehole Brigade", WELLS["title"], BOREHOLES["title"], "Kenya",
                 "Time span", "Suggested allies", "Lake Region Water Ministry"):
        assert text in html, text
    assert f'href="/initiatives/{world["wells"].id}"' in html
    assert f'href="/organisations/{world["bore_org"].slug}"' in html
    assert not re.search(r"\bKE0\d\d\b", html) and "type 10" not in html
    assert "Secret hush plan" not in html
    assert 'id="group-map"' in html and "/static/vendor/leaflet/leaflet.js" in html
    points = re.search(r'<script type="application/json" id="group-points">(.*?)</script>', html, re.DOTALL).group(1)
    assert '"lat"' in points
    assert client.get("/groups/999999").status_code == 404


def test_overlaps_page_names_both_organisations_and_why(client, world):
    html = client.get("/overlaps").get_data(as_text=True)
    assert "Kisumu Wells Friends" in html and "Borehole Brigade" in html
    assert _overlap(world).explanation.startswith("Overlap: ")
    assert "Why: " + _overlap(world).explanation.removeprefix("Overlap: ")[:20] in html  # said once, not twice
    assert "Why: Overlap:" not in html
    assert 'name="decision"' not in html  # anonymous readers do not decide
    assert "Secret hush plan" not in html
    assert "Borehole Brigade" not in client.get("/overlaps?goal=2").get_data(as_text=True)
    assert "Borehole Brigade" not in client.get("/overlaps?min_score=100").get_data(as_text=True)
    assert "Borehole Brigade" in client.get("/overlaps?country=KE&goal=6").get_data(as_text=True)
    assert client.get("/overlaps?min_score=abc").status_code == 400


def test_a_member_decides_in_place_and_the_status_changes(client, world):
    sign_up(client, email="desk@wells.example", org="Wells Desk")
    # The signed-up organisation is not a party: no buttons, and a decision is refused.
    html = client.get("/overlaps?mine=").get_data(as_text=True)
    assert "Borehole Brigade" in html and 'name="decision"' not in html
    row = _overlap(world)
    refused = client.post(f"/overlaps/{row.id}/decision", data={"csrf_token": csrf_of(html), "decision": "confirm"})
    assert refused.status_code in (403, 404)
    assert db.session.get(Overlap, row.id).status == "suggested"


def test_a_coordinator_confirms_dismisses_and_reopens(client, world, session):
    token = make_token(session, None, "coordinator")
    html = client.get("/overlaps", headers=bearer(token)).get_data(as_text=True)
    assert 'name="decision" value="confirm"' in html
    row = _overlap(world)
    csrf = csrf_of(html)
    response = client.post(f"/overlaps/{row.id}/decision", headers=bearer(token),
                           data={"csrf_token": csrf, "decision": "confirm", "next": "/overlaps?goal=6"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/overlaps?goal=6")
    db.session.expire_all()
    assert db.session.get(Overlap, row.id).status == "confirmed"
    page = client.get("/overlaps?goal=6", headers=bearer(token)).get_data(as_text=True)
    assert "Decision recorded" in page and re.search(r'status-word">confirmed<', page)
    client.post(f"/overlaps/{row.id}/decision", headers=bearer(token), data={"csrf_token": csrf, "decision": "dismiss"})
    assert f'id="overlap-{row.id}"' not in client.get("/overlaps", headers=bearer(token)).get_data(as_text=True)
    dismissed = client.get("/overlaps?status=dismissed", headers=bearer(token)).get_data(as_text=True)
    assert f'id="overlap-{row.id}"' in dismissed and 'value="reopen"' in dismissed
    client.post(f"/overlaps/{row.id}/decision", headers=bearer(token), data={"csrf_token": csrf, "decision": "reopen"})
    db.session.expire_all()
    assert db.session.get(Overlap, row.id).status == "suggested"
    # Never redirected off the site, never without the CSRF token, never an unknown decision.
    away = client.post(f"/overlaps/{row.id}/decision", headers=bearer(token),
                       data={"csrf_token": csrf, "decision": "confirm", "next": "https://evil.example/overlaps"})
    assert away.headers["Location"].startswith("/overlaps#")
    assert client.post(f"/overlaps/{row.id}/decision", headers=bearer(token),
                       data={"decision": "confirm"}).status_code == 400
    assert client.post(f"/overlaps/{row.id}/decision", headers=bearer(token),
                       data={"csrf_token": csrf, "decision": "maybe"}).status_code == 400


def test_a_party_organisation_decides_on_its_own_overlap(client, world, session):
    sign_up(client, email="amina@wells.example", org="Wells Owner Org")
    org = session.scalars(db.select(Organisation).where(Organisation.name == "Wells Owner Org")).one()
    make_initiative(session, org, **{**WELLS, "title": "Wells again in Kisumu"})
    recompute_overlaps(session)
    session.commit()
    html = client.get("/overlaps").get_data(as_text=True)  # an organisation starts with its own
    assert "Wells again in Kisumu" in html and 'name="decision" value="coordinating"' in html
    assert 'id="o-mine" name="mine" value="1" checked' in html
    oid = int(re.search(r'action="/overlaps/(\d+)/decision"', html).group(1))
    client.post(f"/overlaps/{oid}/decision", data={"csrf_token": csrf_of(html), "decision": "coordinating"})
    db.session.expire_all()
    assert db.session.get(Overlap, oid).status == "coordinating"


def test_fragmentation_page_draws_the_chart_and_the_table(client, world):
    html = client.get("/fragmentation?goal=6").get_data(as_text=True)
    assert "<svg" in html and 'role="img"' in html and "<table" in html
    assert "Effective number of actors" in html and ">1/H<" not in html
    row = re.search(r'<th scope="row">Kenya</th><td>(\d+)</td><td>(\d+)</td>\s*<td>([\d.]+)</td>', html)
    assert row and row.groups() == ("3", "3", "3.0")
    assert "Kenya: 3 organisations" in html  # the chart's text description
    # Uganda has school meals (goal 2) but nobody on water: a gap, marked in chart and table.
    assert "Uganda" in html and "gap" in html.lower()
    admin1 = client.get("/fragmentation?goal=6&country=KE&level=admin1").get_data(as_text=True)
    assert "Kisumu" in admin1 and not re.search(r"\bKE0\d\d\b", admin1)
    assert client.get("/fragmentation?goal=x").status_code == 400


def test_network_page_draws_the_picture_and_the_table(client, world):
    html = client.get("/network").get_data(as_text=True)
    assert "<svg" in html and 'class="network-svg"' in html
    assert "Kisumu Wells Friends" in html and "Borehole Brigade" in html
    assert "Brokerage (betweenness)" in html and "Connected group" in html
    table = html[html.index("<table"):]
    assert re.search(r"Borehole Brigade</a>.*?</th>\s*<td>\d+</td><td>[\d.]+</td>", table, re.DOTALL)
    assert "Secret hush plan" not in html
    assert client.get("/network?country=KEN").status_code == 400


def test_coordinator_pages_link_each_other(client, world):
    html = client.get("/groups").get_data(as_text=True)
    for url in ("/overlaps", "/fragmentation", "/network"):
        assert f'href="{url}"' in html


def test_a_group_too_large_to_convene_is_shown_in_parts_that_say_so(client, session):
    """Kabul's hub on the demo was one group of 60 organisations; nobody can invite that."""
    for n in range(14):
        org = make_organisation(session, name=f"Kisumu Water Group {n:02d}")
        make_initiative(session, org, **{**BOREHOLES, "title": f"Borehole repairs, Kisumu, lot {n:02d}"})
    recompute_overlaps(session)
    session.commit()
    html = client.get("/groups").get_data(as_text=True)
    notes = re.findall(r'<p class="muted split-note">([^<]+)</p>', html)
    assert len(notes) >= 2
    assert all(note.startswith("Part of a larger group of 14 initiatives from 14 organisations") for note in notes)
    listed = re.findall(r"(\d+) organisations?:", html)
    assert listed and all(2 <= int(n) <= 12 for n in listed)
    key = re.search(r'href="/groups/(\d+)"', html).group(1)
    page = client.get(f"/groups/{key}").get_data(as_text=True)
    assert "Part of a larger group of 14 initiatives from 14 organisations" in page
