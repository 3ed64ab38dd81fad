"""A country-level location stays country-level: no province is read off the country's centroid.

The case from the issue: UNDP Kenya's country-wide COVID-19 response
(XM-DAC-41114-PROJECT-00127244, in tests/data/real/iati/covid_input_dportal_excerpt.xml) is
located as the demo seed locates it, at Kenya's centroid (1.0, 38.0) with precision `country`.
That point lies in Isiolo (KE011); the work does not.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sqlalchemy import update

from coordination.formats import collect, parse_iati
from coordination.models import Location

from ..factories import initiative_data, make_initiative, make_organisation

REAL_IATI = Path(__file__).resolve().parents[1] / "data" / "real" / "iati" / "covid_input_dportal_excerpt.xml"
KENYA_CENTROID = {"lat": 1.0, "lon": 38.0}  # dr5hn's, as seed_data/build_seed.py gives it


def _undp_kenya() -> dict:
    """The real activity in the shape the API takes, located at Kenya's centroid like the seed."""
    [record] = [r for r in collect(parse_iati(REAL_IATI)).records
                if r["iati_identifier"] == "XM-DAC-41114-PROJECT-00127244"]
    assert [loc["precision"] for loc in record["locations"]] == ["country"]
    return initiative_data(title=record["title"], description=record["description"], goals=record["goals"],
                          tags=record["tags"], start=record["start"], end=record["end"],
                          locations=[{**loc, **KENYA_CENTROID} for loc in record["locations"]])


def _export(client, fmt: str) -> str:
    response = client.get(f"/api/v1/export/{fmt}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_country_wide_initiative_is_stored_and_exported_without_a_province(client, session):
    org = make_organisation(session, name="UNDP")
    created = make_initiative(session, org, **_undp_kenya())
    body = client.get(f"/api/v1/initiatives/{created.id}").get_json()
    assert [(p["country"], p["admin1"], p["admin1_code"], p["precision"]) for p in body["locations"]] == [
        ("KE", None, None, "country")]
    iati = _export(client, "iati")
    assert "KE011" not in iati and "Isiolo" not in iati
    assert "<location ref=" not in iati
    rows = list(csv.DictReader(io.StringIO(_export(client, "csv"))))
    assert [(r["countries"], r["admin1"]) for r in rows] == [("KE", "")]
    assert "Isiolo" not in _export(client, "hxl")
    features = json.loads(_export(client, "geojson"))["features"]
    assert [f["properties"]["admin1"] for f in features] == [None]


def test_a_country_wide_location_sent_with_a_province_is_kept_country_wide(client, session):
    org = make_organisation(session)
    data = _undp_kenya()
    data["locations"][0].update(admin1="Isiolo", admin1_code="KE011")
    created = make_initiative(session, org, **data)
    assert [(loc.admin1, loc.admin1_code) for loc in created.locations] == [(None, None)]


def test_a_real_point_still_gets_its_province(client, session):
    org = make_organisation(session)
    created = make_initiative(session, org, locations=[{"name": "Merti", "country": "KE",
                                                        "lat": 1.0667, "lon": 38.6667}])
    body = client.get(f"/api/v1/initiatives/{created.id}").get_json()
    assert [(p["admin1"], p["admin1_code"]) for p in body["locations"]] == [("Isiolo", "KE011")]


def test_the_migration_clears_provinces_stored_on_country_locations(app, runner, session):
    org = make_organisation(session)
    initiative_id = make_initiative(session, org, **_undp_kenya()).id
    # As earlier versions stored it.
    session.execute(update(Location).where(Location.initiative_id == initiative_id)
                    .values(admin1="Isiolo", admin1_code="KE011"))
    session.commit()
    session.remove()
    for args in (["db", "stamp", "c3d8f1a2b4e6"], ["db", "upgrade", "e5a7c2d9f014"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    locations = session.query(Location).filter_by(initiative_id=initiative_id).all()
    assert [(loc.country, loc.admin1, loc.admin1_code, loc.precision) for loc in locations] == [
        ("KE", None, None, "country")]
