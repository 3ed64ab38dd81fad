"""The goal map in a real browser: offline, filterable, linkable."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser


def wait_for_markers(page, previous: str | None = None) -> int:
    """Wait until the map has drawn an answer (a newer one than `previous`); the number of markers."""
    page.wait_for_function(
        "prev => { const w = document.getElementById('map-wrap'); return w && w.dataset.loaded && w.dataset.loaded !== prev; }",
        arg=previous)
    return page.locator(".leaflet-marker-icon").count()


def page_weight(requests) -> int:
    """Bytes transferred for the page, its assets and scripts, excluding map data (/map/)."""
    total = 0
    for r in requests:
        if "/map/" in r.url or r.url.startswith("data:"):
            continue
        response = r.response()
        if response is not None:
            total += r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]
    return total


def test_map_loads_markers_with_no_request_leaving_the_machine(page, live_url, artifacts):
    requests = []
    page.on("request", lambda r: requests.append(r))
    page.goto(live_url + "/")
    assert wait_for_markers(page) > 0
    page.wait_for_selector("#map-wrap[data-base-layer]", state="attached")  # offline country outlines drawn
    assert int(page.get_attribute("#map-wrap", "data-base-layer")) > 200
    page.wait_for_load_state("networkidle")
    hosts = {urlsplit(r.url).hostname for r in requests if not r.url.startswith("data:")}
    assert hosts == {"127.0.0.1"}, f"requests left the machine: {hosts}"
    weight = page_weight(requests)
    print(f"\nfirst load of / excluding map data: {weight / 1024:.0f} KB over {len(requests)} requests")
    assert weight < 500 * 1024
    page.screenshot(path=str(artifacts / "map.png"))


def test_a_filter_changes_the_markers_and_the_url(page, live_url):
    page.goto(live_url + "/?z=5&lat=0.5&lon=34")
    wait_for_markers(page)
    all_status = page.text_content("#map-status")
    stamp = page.get_attribute("#map-wrap", "data-loaded")
    page.select_option("#f-goal", "2")
    wait_for_markers(page, stamp)
    assert "goal=2" in page.url
    status = page.text_content("#map-status")
    assert status != all_status and status.startswith("2 initiatives")
    # the link reproduces the view
    page.goto(page.url)
    wait_for_markers(page)
    assert page.input_value("#f-goal") == "2" and page.text_content("#map-status").startswith("2 initiatives")


def test_a_popup_links_to_the_initiative_page(page, live_url):
    page.goto(live_url + "/?z=12&lat=0.347&lon=32.582")
    wait_for_markers(page)
    page.locator(".leaflet-marker-icon[title='School meals in Kampala']").click()
    link = page.locator(".leaflet-popup-content a", has_text="School meals in Kampala")
    link.click()
    page.wait_for_url("**/initiatives/*")
    assert page.text_content("h1") == "School meals in Kampala"
    assert "Food For All" in page.text_content("main")


def test_goal_page_shows_its_map_and_fragmentation(page, live_url):
    page.goto(live_url + "/goals/6")
    assert wait_for_markers(page) > 0
    assert "Fragmentation by country" in page.text_content("main")


@pytest.mark.parametrize("path", ["/goals", "/goals/6", "/initiatives/1", "/organisations/water-aid-kenya", "/signup"])
def test_pages_are_light_and_local(page, live_url, path):
    requests = []
    page.on("request", lambda r: requests.append(r))
    page.goto(live_url + path)
    page.wait_for_load_state("networkidle")
    assert {urlsplit(r.url).hostname for r in requests if not r.url.startswith("data:")} == {"127.0.0.1"}
    weight = page_weight(requests)
    print(f"\nfirst load of {path} excluding map data: {weight / 1024:.0f} KB over {len(requests)} requests")
    assert weight < 500 * 1024


def wait_for_overlaps(page, previous: str | None = None) -> None:
    """Wait until the convergence layers have drawn an answer newer than `previous`."""
    page.wait_for_function(
        "prev => { const w = document.getElementById('map-wrap'); return w && w.dataset.overlapsLoaded && w.dataset.overlapsLoaded !== prev; }",
        arg=previous)


def test_overlaps_and_groups_are_drawn_at_city_zoom_and_can_be_switched_off(page, live_url, artifacts):
    page.goto(live_url + "/?z=5&lat=0&lon=34")
    wait_for_markers(page)
    wait_for_overlaps(page)
    assert "Zoom in" in page.text_content("#convergence-status")
    page.goto(live_url + "/?z=12&lat=-0.1&lon=34.78")
    wait_for_markers(page)
    wait_for_overlaps(page)
    assert int(page.get_attribute("#map-wrap", "data-overlap-lines")) >= 1
    assert int(page.get_attribute("#map-wrap", "data-group-rings")) >= 1
    assert page.is_visible("#convergence-legend")
    listing = page.text_content("#convergence-list")
    assert "Repairing community wells in Kisumu" in listing and "Borehole rehabilitation, Kisumu County" in listing
    assert "6.1" in listing
    page.screenshot(path=str(artifacts / "map-overlaps.png"))
    page.locator("#layers").screenshot(path=str(artifacts / "map-convergence-panel.png"))
    # keyboard: focus the checkbox and switch the lines off with the space bar; the URL remembers it
    stamp = page.get_attribute("#map-wrap", "data-overlaps-loaded")
    page.focus("#layer-overlaps")
    page.keyboard.press("Space")
    wait_for_overlaps(page, stamp)
    assert page.get_attribute("#map-wrap", "data-overlap-lines") == "0"
    assert int(page.get_attribute("#map-wrap", "data-group-rings")) >= 1
    assert "layers=groups" in page.url
    page.goto(page.url)
    assert not page.is_checked("#layer-overlaps") and page.is_checked("#layer-groups")


def test_an_empty_view_says_whether_the_filters_or_the_place_hold_nothing(page, live_url):
    """Out at sea nothing is registered: without a filter the status must not send the reader
    looking for filters to clear; with one, it names the filters."""
    page.goto(live_url + "/?z=9&lat=-30&lon=-30")
    assert wait_for_markers(page) == 0
    status = page.text_content("#map-status")
    assert status.startswith("No initiatives in this part of the map") and "filters" not in status
    stamp = page.get_attribute("#map-wrap", "data-loaded")
    page.select_option("#f-goal", "2")
    wait_for_markers(page, stamp)
    assert page.text_content("#map-status").startswith("No initiatives match these filters here")
    # Over the map too (the status sits in the sidebar, below the filters), and gone once there is work.
    assert page.is_visible("#map-empty") and page.text_content("#map-empty") == page.text_content("#map-status")
    page.goto(live_url + "/?z=5&lat=0.5&lon=34")
    assert wait_for_markers(page) > 0 and not page.is_visible("#map-empty")


def test_on_a_phone_an_empty_view_says_so_over_the_map(browser, live_url):
    """A phone keeps the status in the closed drawer: the map itself must say why it is empty."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(live_url + "/?z=9&lat=-30&lon=-30")
        assert wait_for_markers(page) == 0
        assert not page.is_visible("#map-status")  # in the closed drawer
        notice = page.locator("#map-empty")
        assert notice.is_visible() and notice.text_content().startswith("No initiatives in this part of the map")
        box, frame = notice.bounding_box(), page.locator("#map-wrap").bounding_box()
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]  # whole, on the map
        assert frame["y"] <= box["y"] and box["y"] + box["height"] <= frame["y"] + frame["height"]
    finally:
        context.close()
