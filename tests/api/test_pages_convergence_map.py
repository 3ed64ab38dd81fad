"""Convergence on the map: overlap lines and group circles per viewport, and the cached point table."""
from __future__ import annotations

import re

import pytest

from api.extensions import db
from coordination.mapping import table as point_table
from coordination.mapping.read import map_points
from coordination.models import Overlap
from coordination.permissions import ANONYMOUS, Actor
from coordination.queries import InitiativeFilter
from coordination.services.overlaps import decide_overlap

from ..factories import (
    BOREHOLES,
    WELLS,
    bearer,
    in_unit_of_work,
    make_initiative,
    make_token,
    make_water_neighbours,
)

KISUMU = "34.6,-0.3,35.0,0.1"
PRIVATE_TITLE = "Confidential borehole plan Zeta"
SECRET = (-0.0876543, 34.7712345)  # the exact place of the sensitive initiative
SECRET_NAME = "Safehouse Kondele"


def lines(data: dict) -> list[dict]:
    return [f for f in data["features"] if f["properties"]["kind"] == "overlap"]


def groups(data: dict) -> list[dict]:
    return [f for f in data["features"] if f["properties"]["kind"] == "group"]


@pytest.fixture
def kisumu(session):
    """Two NGOs and a county government overlapping in Kisumu; one private and one sensitive initiative."""
    trust, wells, county, boreholes, repairs = make_water_neighbours(
        session, ("Kisumu Water Trust", BOREHOLES), ("Lake Basin Wells", WELLS), "Kisumu County Government")
    private = make_initiative(session, county, **{**BOREHOLES, "title": PRIVATE_TITLE, "visibility": "private"})
    sensitive = make_initiative(session, county, **{
        **WELLS, "title": "Water for shelters", "public_precision": "admin",
        "locations": [{"name": SECRET_NAME, "country": "KE", "admin1": "Kisumu", "lat": SECRET[0], "lon": SECRET[1]}]})
    return {"trust": trust, "wells": wells, "county": county, "boreholes": boreholes.id, "repairs": repairs.id,
            "private": private.id, "sensitive": sensitive.id}


def test_overlapping_initiatives_are_joined_by_a_line_with_score_status_and_explanation(client, kisumu):
    data = client.get(f"/map/overlaps.geojson?zoom=12&bbox={KISUMU}").get_json()
    pair = next(f for f in lines(data) if {f["properties"]["a"]["id"], f["properties"]["b"]["id"]}
                == {kisumu["boreholes"], kisumu["repairs"]})
    props = pair["properties"]
    assert 0.4 < props["score"] <= 1 and props["status"] == "suggested"
    assert "6.1" in props["explanation"] and "km apart" in props["explanation"]
    assert {props["a"]["title"], props["b"]["title"]} == {BOREHOLES["title"], WELLS["title"]}
    assert props["a"]["url"] == f"/initiatives/{props['a']['id']}" and "components" not in props
    assert pair["geometry"]["type"] == "LineString"
    assert sorted(map(tuple, pair["geometry"]["coordinates"])) == [(34.7617, -0.1022), (34.79, -0.09)]
    assert data["meta"]["overlaps"] == len(lines(data)) and data["meta"]["zoom_in"] is False


def test_the_group_circle_covers_its_members_and_says_whether_an_institution_takes_part(client, kisumu):
    data = client.get(f"/map/overlaps.geojson?zoom=12&bbox={KISUMU}").get_json()
    [group] = groups(data)
    props = group["properties"]
    assert props["initiatives"] == 3 and props["organisations"] == 3 and props["institutional"] is True
    assert 1000 < props["radius_m"] < 20_000
    assert {f["properties"]["group"] for f in lines(data)} == {0}


def test_far_out_the_answer_is_empty_and_asks_to_zoom_in(client, kisumu):
    data = client.get("/map/overlaps.geojson?zoom=5").get_json()
    assert data["features"] == [] and data["meta"]["zoom_in"] is True and data["meta"]["min_zoom"] == 9


def test_private_work_and_exact_sensitive_places_never_appear(client, session, kisumu):
    for headers in ({}, bearer(make_token(session, kisumu["wells"]))):
        response = client.get(f"/map/overlaps.geojson?zoom=14&bbox={KISUMU}", headers=headers)
        text = response.get_data(as_text=True)
        assert PRIVATE_TITLE not in text and SECRET_NAME not in text
        numbers = [float(n) for n in re.findall(r"-?\d+\.\d+", text)]
        assert not [n for n in numbers if abs(n - SECRET[0]) < 5e-4 or abs(n - SECRET[1]) < 5e-4]
        ids = {side["id"] for f in lines(response.get_json()) for side in (f["properties"]["a"], f["properties"]["b"])}
        assert kisumu["private"] not in ids and kisumu["sensitive"] in ids
        shelter = next(f["properties"] for f in lines(response.get_json())
                       if kisumu["sensitive"] in (f["properties"]["a"]["id"], f["properties"]["b"]["id"]))
        side = shelter["a"] if shelter["a"]["id"] == kisumu["sensitive"] else shelter["b"]
        assert side["approximate"] is True and "km apart" not in shelter["explanation"]
    # a tiny box around the real place of the sensitive work finds no line
    box = f"{SECRET[1] - 0.002},{SECRET[0] - 0.002},{SECRET[1] + 0.002},{SECRET[0] + 0.002}"
    near = client.get(f"/map/overlaps.geojson?zoom=18&bbox={box}").get_json()
    assert not [f for f in lines(near) if kisumu["sensitive"] in (f["properties"]["a"]["id"], f["properties"]["b"]["id"])]


def test_the_owner_sees_its_private_work_on_the_map(client, session, kisumu):
    token = make_token(session, kisumu["county"])
    data = client.get(f"/map/overlaps.geojson?zoom=12&bbox={KISUMU}", headers=bearer(token)).get_json()
    ids = {side["id"] for f in lines(data) for side in (f["properties"]["a"], f["properties"]["b"])}
    assert kisumu["private"] in ids


def test_filters_apply_to_both_sides_and_dismissed_pairs_go(client, session, kisumu):
    assert lines(client.get(f"/map/overlaps.geojson?zoom=12&bbox={KISUMU}&goal=2").get_json()) == []
    only = client.get(f"/map/overlaps.geojson?zoom=12&bbox={KISUMU}&organisation={kisumu['trust'].slug}").get_json()
    assert lines(only) == []  # the other side is another organisation's, so the pair is filtered out
    row = session.query(Overlap).filter_by(initiative_a_id=kisumu["boreholes"], initiative_b_id=kisumu["repairs"]).one()
    decide_overlap(session, Actor(role="coordinator", label="c"), row.id, "dismissed")
    session.commit()
    data = client.get(f"/map/overlaps.geojson?zoom=12&bbox={KISUMU}").get_json()
    assert row.id not in {f["properties"]["id"] for f in lines(data)}


def test_bad_filters_use_the_one_error_shape(client, kisumu):
    bad = client.get(f"/map/overlaps.geojson?zoom=12&bbox={KISUMU}&year=abc")
    assert bad.status_code == 400 and bad.get_json()["error"]["fields"]["year"]


@pytest.mark.parametrize("actor", [ANONYMOUS, "member", Actor(role="coordinator", label="c")])
def test_the_cached_point_table_equals_the_direct_read_and_follows_writes(session, kisumu, actor):
    if actor == "member":
        actor = Actor(role="member", organisation_id=kisumu["county"].id, label="m")

    def same(f: InitiativeFilter | None = None):
        f = f or InitiativeFilter()
        cached = point_table.view_points(session, actor, f)
        direct = map_points(session, actor, f)
        assert sorted(zip(cached.initiative_id.tolist(), cached.lat.tolist(), cached.lon.tolist(),
                          cached.approximate.tolist(), [cached.palette[c] for c in cached.colour.tolist()])) \
            == sorted((p.initiative_id, p.lat, p.lon, p.approximate, p.colour) for p in direct)
        return direct

    same()
    same(InitiativeFilter(goal="6"))
    new = make_initiative(session, kisumu["trust"], title="Latrines", locations=[
        {"name": "Kisumu", "country": "KE", "lat": -0.2, "lon": 34.9}])
    assert new.id in {p.initiative_id for p in same()}  # caught up from the change log
    from coordination.services.initiatives import withdraw_initiative
    in_unit_of_work(session, withdraw_initiative, Actor(role="member", organisation_id=kisumu["trust"].id, label="t"),
                    new.id)
    assert new.id not in {p.initiative_id for p in same()}


def test_a_city_view_before_any_table_reads_directly_and_gives_the_same_points(session, kisumu):
    box = (34.6, -0.3, 35.0, 0.1)

    def rows(t):
        return sorted(zip(t.initiative_id.tolist(), t.lat.tolist(), t.lon.tolist(), t.approximate.tolist(),
                          [t.palette[c] for c in t.colour.tolist()]))

    point_table.forget_all()
    direct = point_table.view_points(session, ANONYMOUS, InitiativeFilter(), box)
    assert point_table.current_points(session, point_table.PUBLIC)  # builds the table
    assert rows(direct) == rows(point_table.view_points(session, ANONYMOUS, InitiativeFilter(), box)) != []


def test_a_write_that_bypasses_the_change_log_still_shows_after_a_rebuild(session, kisumu):
    before = point_table.view_points(session, ANONYMOUS, InitiativeFilter())
    from sqlalchemy import insert

    from coordination.models import Initiative, Location
    db.session.execute(insert(Initiative).values(id=9999, title="Bulk", organisation_id=kisumu["trust"].id,
                                                 visibility="public", public_precision="exact", version=1))
    db.session.execute(insert(Location).values(initiative_id=9999, lat=1.0, lon=1.0, country="KE"))
    db.session.commit()
    after = point_table.view_points(session, ANONYMOUS, InitiativeFilter())
    assert 9999 not in before.initiative_id.tolist() and 9999 in after.initiative_id.tolist()


def test_the_map_page_offers_the_layers_with_labels_and_remembers_them_in_the_url(client, kisumu):
    html = client.get("/").get_data(as_text=True)
    for box in ("layer-overlaps", "layer-groups"):
        assert re.search(rf'<input type="checkbox" id="{box}"[^>]*checked>', html)
        assert f'<label for="{box}">' in html
    assert 'data-overlaps="/map/overlaps.geojson"' in html and 'id="map-text"' in html
    off = client.get("/?layers=groups").get_data(as_text=True)
    assert re.search(r'id="layer-overlaps"[^>]*>', off) and not re.search(r'id="layer-overlaps"[^>]*checked', off)
    assert re.search(r'id="layer-groups"[^>]*checked', off)
