"""The demo seed (seed_data/initiatives.json) places 3W work at its districts and dates the undated quarter."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from coordination.geo import area_of_code

SEED = Path(__file__).resolve().parents[2] / "seed_data" / "initiatives.json"


def _afghan_3w() -> list[dict]:
    records = json.loads(SEED.read_text(encoding="utf-8"))
    return [r for r in records if r["provenance"].startswith("hxl:afghanistan_3w_operational_presence")]


def test_afghan_3w_locations_stand_at_their_districts_own_points_where_known():
    records = _afghan_3w()
    spots = Counter(p for r in records for p in {(loc["lat"], loc["lon"]) for loc in r["locations"]})
    assert len(records) == 481
    assert len(spots) >= 40  # 4 when every district carried its province's point
    paghman = [loc for r in records for loc in r["locations"] if loc["admin2_code"] == "AF0102"]
    district, province = area_of_code("AF0102"), area_of_code("AF01")
    assert paghman and {(loc["lat"], loc["lon"]) for loc in paghman} == {(district.lat, district.lon)}
    assert (district.lat, district.lon) != (province.lat, province.lon)
    assert {loc["precision"] for r in records for loc in r["locations"]} == {"admin2"}


def test_the_undated_afghan_quarter_is_given_its_reporting_period():
    assert Counter((r["start"], r["end"]) for r in _afghan_3w()) == {("2024-01-01", "2024-03-31"): 481}


def test_country_level_seed_locations_name_no_province():
    records = json.loads(SEED.read_text(encoding="utf-8"))
    country_level = [loc for r in records for loc in r["locations"] if loc["precision"] == "country"]
    assert country_level and not any(loc["admin1"] or loc["admin1_code"] for loc in country_level)
