"""Similar initiatives before saving come from the convergence engine (coordination.services.similar)."""
from __future__ import annotations

import pytest

from api.extensions import db
from coordination.models import Change, Initiative, Overlap, Tag, User
from coordination.permissions import Actor
from coordination.services.similar import similar_to_draft

from ..factories import BOREHOLES, initiative_data, make_initiative, make_organisation
from .test_pages import csrf_of, sign_up

DRAFT = {"title": "Repairing broken hand pumps in Kisumu",
         "description": "Repairing hand pumps and boreholes so families in Kisumu have safe drinking water.",
         "goals": ["6.1"], "tags": ["WASH", "hand pumps (new tag)"],
         "locations": [{"name": "Kisumu east", "country": "KE", "lat": -0.09, "lon": 34.79}],
         "start": "2025-01-01", "end": "2025-12-31"}
FORM = {"title": DRAFT["title"], "description": DRAFT["description"], "goals": ["6.1"],
        "tags": "WASH, hand pumps (new tag)", "loc-0-name": "Kisumu east", "loc-0-country": "KE",
        "loc-0-lat": "-0.09", "loc-0-lon": "34.79", "start": "2025-01-01", "end": "2025-12-31",
        "status": "implementation", "visibility": "public", "public_precision": "exact"}


@pytest.fixture
def others(session):
    """Initiatives of two other organisations in Kisumu: one public, one private, one sensitive."""
    trust = make_organisation(session, name="Kisumu Water Trust")
    county = make_organisation(session, name="Kisumu County", type="10")
    return {"public": make_initiative(session, trust, **BOREHOLES),
            "private": make_initiative(session, county, **{**BOREHOLES, "title": "Private borehole plan",
                                                           "visibility": "private"}),
            "sensitive": make_initiative(session, county, **{**BOREHOLES, "title": "Water for shelters",
                                                             "public_precision": "admin", "locations": [{
                                                                 "name": "Safehouse Kondele", "country": "KE",
                                                                 "lat": -0.1022, "lon": 34.7617}]}),
            "trust": trust, "county": county}


def actor_of(org) -> Actor:
    return Actor(role="member", organisation_id=org.id, label=f"m@{org.slug}")


def test_a_draft_that_matches_another_organisations_initiative_gets_it_with_the_explanation(session, others):
    me = make_organisation(session, name="Hand Pump Menders")
    found = similar_to_draft(session, actor_of(me), DRAFT)
    best = next(f for f in found if f["id"] == others["public"].id)
    assert best["organisation"] == "Kisumu Water Trust" and best["title"] == BOREHOLES["title"]
    assert 0.48 <= best["score"] <= 1
    assert "both target 6.1" in best["explanation"] and "km apart" in best["explanation"]
    assert best["reason"] == best["explanation"]
    assert [f["score"] for f in found] == sorted((f["score"] for f in found), reverse=True)


def test_the_preview_is_what_the_engine_stores_once_saved(session, others):
    me = make_organisation(session, name="Hand Pump Menders")
    preview = {f["id"]: f["score"] for f in similar_to_draft(session, actor_of(me), DRAFT)}
    saved = make_initiative(session, me, **DRAFT)
    stored = {(o.initiative_a_id if o.initiative_b_id == saved.id else o.initiative_b_id): o.score
              for o in session.query(Overlap).filter((Overlap.initiative_a_id == saved.id)
                                                     | (Overlap.initiative_b_id == saved.id))}
    assert preview == {i: pytest.approx(s, abs=1e-3) for i, s in stored.items() if i != others["private"].id}


def test_nothing_is_written_not_even_a_new_tag(session, others):
    me = make_organisation(session, name="Hand Pump Menders")
    before = (session.query(Initiative).count(), session.query(Tag).count(), session.query(Change).count())
    similar_to_draft(session, actor_of(me), DRAFT)
    session.commit()
    assert (session.query(Initiative).count(), session.query(Tag).count(), session.query(Change).count()) == before


def test_private_work_of_others_is_hidden_and_sensitive_places_are_not_named(session, others):
    me = make_organisation(session, name="Hand Pump Menders")
    found = {f["id"]: f for f in similar_to_draft(session, actor_of(me), DRAFT)}
    assert others["private"].id not in found
    shelter = found[others["sensitive"].id]["explanation"]
    # Named at its public precision only: the county everyone may see, never the spot or a distance.
    assert "km apart" not in shelter and "Kondele" not in shelter and "same spot" not in shelter
    assert "both in Kisumu, Kenya" in shelter
    coordinator = similar_to_draft(session, Actor(role="coordinator", label="c"), DRAFT)
    assert others["private"].id in {f["id"] for f in coordinator}


def test_the_organisations_own_initiatives_are_not_similar_to_its_draft(session, others):
    found = similar_to_draft(session, actor_of(others["trust"]), DRAFT)
    assert others["public"].id not in {f["id"] for f in found}


def test_the_form_shows_the_engine_overlaps_before_saving(client, others):
    sign_up(client)
    html = client.get("/initiatives/new").get_data(as_text=True)
    first = client.post("/initiatives/new", data={"csrf_token": csrf_of(html), **FORM})
    page = first.get_data(as_text=True)
    assert first.status_code == 200 and "Similar initiatives already registered nearby" in page
    panel = page[page.index('id="similar-panel"'):page.index("</section>")]
    assert "Borehole rehabilitation, Kisumu County" in panel and "% overlap" in panel and "both target 6.1" in panel
    assert "Private borehole plan" not in page
    assert db.session.query(Initiative).filter_by(title=DRAFT["title"]).count() == 0


def test_when_the_engine_finds_no_overlap_the_form_saves_without_asking(client, others):
    """Same goal family in the same country (what the simple query matched) but other work, far away, years apart."""
    sign_up(client)
    token = csrf_of(client.get("/initiatives/new").get_data(as_text=True))
    response = client.post("/initiatives/new", data={
        "csrf_token": token, "title": "Sanitation marketing for small towns", "description": "Selling latrine slabs.",
        "goals": ["6.2"], "loc-0-name": "Mombasa", "loc-0-country": "KE", "loc-0-lat": "-4.04",
        "loc-0-lon": "39.66", "start": "2019-01-01", "end": "2019-12-31", "visibility": "public",
        "public_precision": "exact"})
    assert response.status_code == 302


def test_the_live_panel_posts_the_draft_and_scores_what_is_valid_so_far(client, others):
    sign_up(client)
    token = csrf_of(client.get("/initiatives/new").get_data(as_text=True))
    items = client.post("/pages-api/similar", data={"csrf_token": token, **FORM, "end": "2025-13"}).get_json()["items"]
    public = next(i for i in items if i["id"] == others["public"].id)
    assert "6.1" in public["reason"]  # scored with the half-typed end date left out
    assert client.post("/pages-api/similar", data={"csrf_token": token, "title": "x"}).get_json()["items"] == []
    assert client.post("/pages-api/similar", data={**FORM}).status_code == 400  # no CSRF token
    user = db.session.query(User).one()
    mine = make_initiative(db.session, user.organisation, **initiative_data(**BOREHOLES))
    edit = client.post("/pages-api/similar", data={"csrf_token": token, **FORM, "exclude": str(mine.id)}).get_json()
    assert mine.id not in {i["id"] for i in edit["items"]}
