"""Districts get their own points: a real Afghan 3W extract imported through the CLI.

tests/data/real/hxl/afghanistan_3w_operational_presence_january_march_2024_excerpt.csv names
35 districts of four provinces by p-code. Before admin-2 points, every one of them carried its
province's point: Paghman, Qara Bagh and Kabul city all stood on one spot in Kabul.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy import update

from coordination.geo import area_of_code
from coordination.geo.gazetteer import haversine_km
from coordination.models import Location

from ..factories import make_initiative, make_organisation

AFGHAN_3W = (Path(__file__).resolve().parents[1] / "data" / "real" / "hxl"
             / "afghanistan_3w_operational_presence_january_march_2024_excerpt.csv")


def _imported_places(runner, client) -> list[dict]:
    result = runner.invoke(args=["import", "hxl", "--quiet", str(AFGHAN_3W)])
    assert result.exit_code == 0, result.output
    items, after = [], None
    while True:
        page = client.get("/api/v1/initiatives?country=AF&first=100" + (f"&after={after}" if after else "")).get_json()
        items += page["items"]
        after = page.get("next_cursor") or page.get("end_cursor")
        if not page["items"] or not after:
            return [loc for item in items for loc in item["locations"]]


def test_districts_named_by_p_code_stand_at_their_own_point(runner, client):
    places = _imported_places(runner, client)
    by_district = {p["admin2_code"]: p for p in places}
    paghman, kabul, qara_bagh = by_district["AF0102"], by_district["AF0101"], by_district["AF0114"]
    assert paghman["precision"] == kabul["precision"] == "admin2"
    assert 10 < haversine_km(paghman["lat"], paghman["lon"], kabul["lat"], kabul["lon"]) < 40
    # "Qara Bagh" is also a district of Ghazni (a GeoNames town, 150 km away): the p-code keeps
    # this one in Kabul, at Kabul province's point since no source has its own.
    assert (qara_bagh["admin1"], qara_bagh["admin2"]) == ("Kabul", "Qara Bagh")
    assert haversine_km(qara_bagh["lat"], qara_bagh["lon"], kabul["lat"], kabul["lon"]) < 40


def test_the_extract_no_longer_stacks_on_four_province_points(runner, client):
    places = _imported_places(runner, client)
    spots = Counter((round(p["lat"], 4), round(p["lon"], 4)) for p in places)
    assert len({p["admin1_code"] for p in places}) == 4
    assert len(spots) >= 15  # 4 before: one per province
    # Kabul province's 15 districts (over half the rows) shared one spot; now the largest stack
    # is the districts no source places, still at the province's point.
    assert max(spots.values()) < 0.25 * len(places)


def test_the_migration_moves_stored_districts_to_their_own_point(runner, session):
    org = make_organisation(session)
    district = {"country": "AF", "admin2_code": "AF0102", "precision": "admin2"}
    initiative_id = make_initiative(session, org, locations=[district]).id
    province = area_of_code("AF01")
    # As earlier versions stored it: Paghman at Kabul province's point.
    session.execute(update(Location).where(Location.initiative_id == initiative_id)
                    .values(lat=province.lat, lon=province.lon))
    session.commit()
    session.remove()
    for args in (["db", "stamp", "b7e3d1f5c920"], ["db", "upgrade", "c9f4e1a7b305"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    [loc] = session.query(Location).filter_by(initiative_id=initiative_id).all()
    paghman = area_of_code("AF0102")
    assert (loc.admin2, loc.lat, loc.lon) == ("Paghman", paghman.lat, paghman.lon)
