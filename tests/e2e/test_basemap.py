"""The goal map as a newcomer meets it on the demo data: an offline basemap with names at every
zoom, a hub (Kabul) that stays readable, a legend for the clusters, and a phone layout."""
from __future__ import annotations

import re

import pytest

from .axe import axe_violations
from .conftest import open_page
from .test_map import page_weight, wait_for_markers, wait_for_overlaps

pytestmark = pytest.mark.browser

VIEWS = {"world": (10.0, 15.0, 2), "kisumu": (-0.0917, 34.768, 12), "western kenya": (-0.2, 34.9, 9), "kabul": (34.5266, 69.1849, 12),
         "san salvador": (13.6929, -89.2182, 11)}
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
WATER = (0xA6, 0xCB, 0xE5)  # lakes and rivers on the basemap canvas (basemap.js COLOURS.water)
BORDER = (0x80, 0x70, 0x8A)
ADMIN1 = (0xA8, 0x95, 0xB0)  # first-level boundaries (basemap.js COLOURS.admin1)


def open_view(page, base: str, view: str) -> None:
    lat, lon, z = VIEWS[view]
    page.goto(f"{base}/?z={z}&lat={lat}&lon={lon}")
    wait_for_markers(page)
    page.wait_for_function(
        "z => { const w = document.getElementById('map-wrap'); return w.dataset.basemapZoom === String(z)"
        " && Number(w.dataset.basemapLabels) > 0; }", arg=z)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # the labels are placed 60 ms after the last tile arrives


def labels(page) -> list[str]:
    return [t.strip() for t in page.locator(".bm-label").all_inner_texts()]


def canvas_colours(page, colour: tuple[int, int, int]) -> int:
    """How many sampled pixels of the basemap's tiles have this colour."""
    return page.evaluate("""rgb => {
      let n = 0;
      for (const c of document.querySelectorAll('.leaflet-tile-pane canvas')) {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < d.length; i += 4 * 7)
          if (Math.abs(d[i] - rgb[0]) < 6 && Math.abs(d[i + 1] - rgb[1]) < 6 && Math.abs(d[i + 2] - rgb[2]) < 6) n++;
      }
      return n;
    }""", list(colour))


@pytest.fixture
def desktop(browser):
    yield from open_page(browser, 20_000, viewport=DESKTOP)


@pytest.fixture
def phone(browser):
    yield from open_page(browser, 20_000, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)


def test_at_zoom_12_kisumu_shows_its_name_its_neighbours_and_the_lake(desktop, demo_url):
    open_view(desktop, demo_url, "kisumu")
    names = labels(desktop)
    assert "Kisumu" in names
    assert len(names) >= 2, names  # a neighbouring town too, not just one name
    for name in names[:10]:
        assert desktop.locator(".bm-label", has_text=name).first.is_visible()
    assert canvas_colours(desktop, WATER) > 500  # Lake Victoria's Winam Gulf


def test_at_zoom_12_kabul_shows_its_name_and_its_districts_or_neighbours(desktop, demo_url):
    open_view(desktop, demo_url, "kabul")
    names = labels(desktop)
    assert "Kabul" in names, names
    assert desktop.locator(".bm-admin1, .bm-admin2").count() >= 1  # a district (OCHA admin-2) is named too


def test_the_world_view_names_countries_and_draws_borders(desktop, demo_url):
    open_view(desktop, demo_url, "world")
    names = labels(desktop)
    assert {"KENYA", "AFGHANISTAN"} & set(names) or len([n for n in names if n.isupper()]) >= 10, names
    assert canvas_colours(desktop, BORDER) > 50
    # Large countries are named before small territories (which were named instead of them).
    assert {"UNITED STATES OF AMERICA", "INDIA", "EGYPT", "BRAZIL", "CHINA"} <= set(names), names
    assert not {"JERSEY", "NIUE", "PITCAIRN", "BOUVET ISLAND", "TOKELAU"} & set(names), names


def test_western_kenya_shows_its_county_boundaries_and_names(desktop, demo_url, artifacts):
    open_view(desktop, demo_url, "western kenya")
    assert canvas_colours(desktop, ADMIN1) > 60  # dashed county lines: Kisumu, Siaya, Vihiga, Homa Bay...
    assert "Kisumu" in labels(desktop)
    desktop.screenshot(path=str(artifacts / "basemap-western-kenya-z9-1366.png"))


def test_no_request_leaves_the_machine_and_the_page_stays_light(desktop, demo_url):
    requests = []
    desktop.on("request", lambda r: requests.append(r))
    for view in VIEWS:
        open_view(desktop, demo_url, view)
    outside = [r.url for r in requests if not (r.url.startswith(demo_url + "/") or r.url.startswith("data:"))]
    assert outside == []
    tiles = [r.url for r in requests if "/map/basemap/" in r.url]
    assert tiles, "the basemap came from the app"
    context = desktop.context.browser.new_context(viewport=DESKTOP)  # a first visit: nothing cached
    fresh, first = context.new_page(), []
    fresh.on("request", lambda r: first.append(r))
    fresh.goto(demo_url + "/")
    fresh.wait_for_load_state("networkidle")
    weight = page_weight(first)  # /map/ (markers, tiles) excluded
    context.close()
    print(f"\nfirst load of / without map data: {weight / 1024:.0f} KB")
    assert weight <= 300 * 1024


def test_the_legend_explains_clusters_and_a_hub_lists_its_initiatives(desktop, demo_url):
    open_view(desktop, demo_url, "kabul")
    legend = desktop.locator("#cluster-legend")
    assert legend.is_visible()
    text = legend.inner_text()
    assert "circle with a number" in text and "that many initiatives" in text
    assert "same place" in text and "Colour" in text
    hubs = desktop.locator(".cluster .bubble.same-place")
    counts = [int(hubs.nth(i).inner_text()) for i in range(hubs.count())]
    count = max(counts)
    hub = hubs.nth(counts.index(count))
    # Kabul's districts stand on their own points (geoBoundaries centroids): the same-place hubs
    # left are initiatives in one district, never the 100-strong hub of one shared point.
    assert 2 <= count < 100
    hub.click()
    desktop.wait_for_selector(".leaflet-popup-content .place-list li")
    popup = desktop.locator(".leaflet-popup-content").inner_text()
    assert f"{count} initiatives at this same place" in popup
    first = desktop.locator(".leaflet-popup-content .place-list li").first.inner_text()
    assert re.fullmatch(r".+ \(.+\)( (Fresh|Ageing|Stale) · .+)?", first), first


def test_clicking_down_in_kabul_ends_in_a_list_never_an_unstyled_cluster_or_a_big_spider(desktop, demo_url, artifacts):
    open_view(desktop, demo_url, "kabul")
    for step in range(8):
        assert desktop.locator(".marker-cluster").count() == 0, f"an unstyled cluster icon at step {step}"
        legs = desktop.get_attribute("#map-wrap", "data-spider-legs")
        assert legs is None or int(legs) <= 10, f"a spider of {legs} legs at step {step}"
        if desktop.locator(".leaflet-popup-content").count():
            break
        bubbles = desktop.locator(".leaflet-marker-icon .bubble:not(.same-place)")
        if not bubbles.count():  # only hubs left: open the biggest
            bubbles = desktop.locator(".leaflet-marker-icon .bubble")
        counts = [int(t) for t in bubbles.all_inner_texts()]
        assert counts, f"nothing left to click at step {step}"
        loaded = desktop.get_attribute("#map-wrap", "data-loaded")
        bubbles.nth(counts.index(max(counts))).click()
        desktop.wait_for_function(
            "prev => document.querySelector('.leaflet-popup-content') ||"
            " document.getElementById('map-wrap').dataset.loaded !== prev", arg=loaded)
        desktop.wait_for_load_state("networkidle")
        desktop.wait_for_timeout(400)  # the zoom animation and the browser-side grouping
    else:
        raise AssertionError("eight clicks never opened a list")
    desktop.wait_for_selector(".leaflet-popup-content .place-list li")
    popup = desktop.locator(".leaflet-popup-content").inner_text()
    assert re.search(r"\d+ initiatives (at this same place|a few metres apart)", popup), popup
    assert desktop.get_attribute("#map-wrap", "data-spider-legs") is None
    desktop.screenshot(path=str(artifacts / "e2e-map-kabul-click-down.png"))


def test_the_colour_legend_names_every_colour_shown_including_grey(desktop, demo_url):
    open_view(desktop, demo_url, "world")
    items = desktop.locator("#legend ul.colour-legend li").all_inner_texts()
    items = [i.strip() for i in items]
    assert "Grey: no goal given" in items, items
    assert any(re.fullmatch(r"Goal \d+: [A-Z][a-z].+", i) for i in items), items  # a name, not "Goal 3"
    assert not any(re.fullmatch(r"Goal \d+", i) for i in items), items
    shown = set(desktop.eval_on_selector_all(
        ".cluster .bubble, .marker .dot", "els => els.map(e => getComputedStyle(e).backgroundColor)"))
    explained = set(desktop.eval_on_selector_all(
        "#legend ul.colour-legend .swatch", "els => els.map(e => getComputedStyle(e).backgroundColor)"))
    assert len(shown) >= 3
    assert shown <= explained, f"colours on the map without a legend line: {shown - explained}"


def test_overlaps_in_a_hub_are_counted_as_drawn_and_name_both_organisations(desktop, demo_url, artifacts):
    lat, lon, z = VIEWS["san salvador"]  # Kabul's 3W rows are presence, not overlaps, since link kinds
    desktop.goto(f"{demo_url}/?z={z}&lat={lat}&lon={lon}")
    wait_for_markers(desktop)
    wait_for_overlaps(desktop)
    status = desktop.text_content("#convergence-status")
    lines = int(desktop.get_attribute("#map-wrap", "data-overlap-lines"))
    same = int(desktop.get_attribute("#map-wrap", "data-same-place-overlaps"))
    numbers = [int(n) for n in re.findall(r"\d+", status)]
    assert f"{lines} as lines" in status or f"{lines} drawn as lines" in status, status
    assert f"{same} between initiatives at the same place" in status, status
    total = numbers[0]
    assert total >= lines + same
    if same:
        assert int(desktop.get_attribute("#map-wrap", "data-same-place-rings")) >= 1  # a ring says where they are
    desktop.locator("#convergence-list summary").click()
    item = desktop.locator("#convergence-list li").first.inner_text()
    assert re.match(r".+ \(.+\) — .+ \(.+\)", item), item


def test_on_a_phone_the_map_comes_first_and_the_filters_open_from_a_button(phone, demo_url):
    open_view(phone, demo_url, "kabul")
    box = phone.locator("#map-wrap").bounding_box()
    assert box["y"] < 844 / 2 and box["y"] + box["height"] <= 844 and box["height"] >= 400
    assert box["width"] >= 380
    assert box["y"] + box["height"] >= 844 - 1, "a band of page under the map"
    scale = phone.locator(".leaflet-control-scale").bounding_box()
    credit = phone.locator(".leaflet-control-attribution").bounding_box()
    apart = (scale["y"] + scale["height"] <= credit["y"] or credit["y"] + credit["height"] <= scale["y"]
             or scale["x"] + scale["width"] <= credit["x"] or credit["x"] + credit["width"] <= scale["x"])
    assert apart, f"the attribution covers the scale: {scale} {credit}"
    assert not phone.locator("#f-goal").is_visible()
    toggle = phone.get_by_role("button", name="Filters and legend")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert phone.locator("#f-goal").is_visible() and toggle.get_attribute("aria-expanded") == "true"
    assert phone.locator("#cluster-legend").is_visible() or phone.locator("#cluster-legend").count() == 1
    assert axe_violations(phone) == []
    phone.get_by_role("button", name="Close").click()
    assert not phone.locator("#f-goal").is_visible()


@pytest.mark.parametrize("view", list(VIEWS))
def test_the_map_page_has_no_serious_accessibility_violations(desktop, demo_url, view):
    open_view(desktop, demo_url, view)
    assert axe_violations(desktop) == []


def test_screenshots(desktop, phone, demo_url, artifacts):
    for name, page in (("desktop", desktop), ("phone", phone)):
        for view in VIEWS:
            open_view(page, demo_url, view)
            page.screenshot(path=str(artifacts / f"basemap-{view}-{name}.png"))
        page.get_by_role("button", name="Filters and legend").click() if name == "phone" else None
        if name == "phone":
            page.screenshot(path=str(artifacts / "basemap-phone-drawer.png"))
