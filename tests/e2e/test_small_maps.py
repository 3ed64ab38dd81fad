"""The small maps (the registration form's and a group's) draw the same offline basemap as the goal
map: after "Find" a person sees the lake and the place names around the place they found."""
from __future__ import annotations

import pytest

from .axe import axe_violations
from .test_basemap import WATER, canvas_colours
from .test_org_pages import people, sign_in  # noqa: F401  (people is a fixture)

pytestmark = pytest.mark.browser


def _names(page, box: str) -> list[str]:
    return [t.strip() for t in page.locator(f"{box} .bm-label").all_inner_texts()]


def test_after_find_kisumu_the_form_map_shows_the_lake_and_names_around_it(page, live_url, people, artifacts):
    sign_in(page, live_url, "admin@wateraid.test")
    page.goto(live_url + "/initiatives/new")
    page.get_by_label("Place name").fill("Kisumu")
    page.get_by_role("button", name="Find").click()
    page.locator(".place-choices button").first.click()
    page.wait_for_function("() => Number(document.querySelector('#form-map').dataset.zoom || 0) >= 7")
    page.wait_for_function("() => { const m = document.querySelector('#form-map');"
                           " return m.dataset.basemapZoom === m.dataset.zoom && Number(m.dataset.basemapLabels) >= 2; }")
    page.wait_for_load_state("networkidle")
    names = _names(page, "#form-map")
    assert "Kisumu" in names, names
    assert page.locator("#form-map .bm-label", has_text="Kisumu").first.is_visible()
    assert canvas_colours(page, WATER) > 500  # Lake Victoria's Winam Gulf, beside the town
    assert axe_violations(page) == []
    page.screenshot(path=str(artifacts / "e2e-form-map-kisumu-1280.png"))


def test_a_group_map_shows_place_names_on_the_basemap(page, demo_url):
    page.goto(f"{demo_url}/groups")
    page.goto(demo_url + page.locator("ul.group-list h3 a").first.get_attribute("href"))
    page.wait_for_function("() => Number(document.querySelector('#group-map').dataset.basemapLabels || 0) >= 1")
    assert page.locator("#group-map .leaflet-tile-pane canvas").count() >= 1
    assert len(_names(page, "#group-map")) >= 1
