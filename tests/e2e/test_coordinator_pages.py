"""The coordinator pages in Chromium: groups, one group, overlaps, fragmentation, network.

On the demo data (read-only): each page shows its content, has no serious axe violation, fits
a phone without sideways scrolling, and is screenshotted at 1366×768 and 390×844 into
tests/artifacts/. On the small seeded app (writable): a coordinator tabs to a decision button
and decides with the keyboard.
"""
from __future__ import annotations

import re

import pytest

from api.extensions import db
from coordination.models import Organisation

from ..factories import make_initiative, make_token, recompute
from .axe import axe_violations

SIZES = ((1366, 768), (390, 844))


def _group_url(page, demo_url: str) -> str:
    page.goto(f"{demo_url}/groups")
    return page.locator("ul.group-list h3 a").first.get_attribute("href")


PAGES = {
    "groups": "/groups",
    "group": None,  # the first group of the list
    "overlaps": "/overlaps",
    "fragmentation": "/fragmentation?goal=6",
    "network": "/network",
}


def _content(page, name: str) -> None:
    """What a person must see on each page."""
    main = page.locator("main")
    if name == "groups":
        assert page.locator("ul.group-list > li").count() >= 10
        assert "Group 1" not in main.inner_text()
        assert not re.search(r"\b[A-Z]{2}\d{2,3}\b", main.inner_text())  # area names, not p-codes
    elif name == "group":
        assert page.locator("ul.members > li").count() >= 2
        assert page.locator("#group-map.leaflet-container").count() == 1
        page.wait_for_function("() => document.querySelectorAll('#group-map path.leaflet-interactive').length > 0")
        text = main.inner_text()
        assert "Shared goals" in text and "Time span" in text and "Institutional actor" in text
        assert not re.search(r"\b[A-Z]{2}\d{2,3}\b", text)
    elif name == "overlaps":
        items = page.locator("ol.overlap-list > li")
        assert items.count() == 30
        first = items.first.inner_text()
        assert "Why:" in first and "%" in first and "and" in first.split()
        assert "Why: Overlap:" not in main.inner_text()  # one opening word, not two
    elif name == "fragmentation":
        assert page.locator("svg.bar-chart g.row").count() >= 3
        assert page.locator("table.numbers tbody tr").count() >= 3
        assert "Effective number of actors" in main.inner_text() and "1/H" not in main.inner_text()
        assert page.locator("table.numbers tbody th", has_text="Afghanistan").count() == 1
    elif name == "network":
        assert page.locator("svg.network-svg circle").count() >= 30
        assert page.locator("svg.network-svg circle.broker").count() >= 3
        assert page.locator("svg.network-svg .labels text").count() >= 5
        boxes = page.eval_on_selector_all("svg.network-svg .labels text", """els => els.map(e => {
            const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })""")
        for i, a in enumerate(boxes):  # labels never collide
            for b in boxes[i + 1:]:
                assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
        assert page.locator("table.numbers tbody tr").count() == 50


@pytest.mark.parametrize("name", list(PAGES))
def test_coordinator_page_on_the_demo(browser, demo_url, artifacts, name):
    for width, height in SIZES:
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(30_000)
        try:
            url = PAGES[name] or _group_url(page, demo_url)
            response = page.goto(f"{demo_url}{url}")
            assert response.status == 200
            page.wait_for_load_state("networkidle")
            _content(page, name)
            assert axe_violations(page) == []
            overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
            page.screenshot(path=str(artifacts / f"coordinator-{name}-{width}x{height}.png"))
        finally:
            context.close()


def _tab_to(page, predicate: str, limit: int = 80) -> bool:
    """Press Tab until the focused element satisfies the JS predicate (given `el`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!el && ({predicate}); }}"):
            return True
    return False


def test_filters_links_and_tables_are_reachable_by_keyboard_on_the_demo(page, demo_url):
    page.goto(f"{demo_url}/overlaps")
    assert _tab_to(page, "el.matches('.coord-nav a') && el.textContent.includes('Fragmentation')")
    assert _tab_to(page, "el.id === 'o-goal'")
    assert _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Show overlaps')")
    assert _tab_to(page, "el.closest('ol.overlap-list') !== null && el.tagName === 'A'")
    page.goto(f"{demo_url}/network")
    assert _tab_to(page, "el.matches('.chart-scroll')", 40)  # the picture's scroll region
    assert _tab_to(page, "el.closest('table.numbers') !== null && el.tagName === 'A'", 60)
    page.goto(f"{demo_url}/fragmentation?goal=6")
    assert _tab_to(page, "el.matches('.table-scroll')", 40)


def test_the_overlaps_narrow_to_a_department_with_the_keyboard_on_the_demo(page, demo_url):
    page.goto(f"{demo_url}/overlaps?country=HN")
    everywhere = page.locator("#overlap-count").inner_text()
    assert _tab_to(page, "el.id === 'o-area'")
    assert page.locator("label[for=o-area]").inner_text() == "Area in Honduras"
    page.keyboard.type("Copan")  # a select picks the option whose name is typed
    assert page.evaluate("() => document.activeElement.selectedOptions[0].textContent") == "Copan"
    assert _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.includes('Show overlaps')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "area=HN" in page.url and page.locator("#o-area").input_value().startswith("HN")
    narrowed = page.locator("#overlap-count").inner_text()
    total = lambda text: int(re.search(r"of ([\d,]+) overlaps", text).group(1).replace(",", ""))  # noqa: E731
    assert 0 < total(narrowed) < total(everywhere)
    assert "Cop" in page.locator("ol.overlap-list").inner_text()  # Copán, Santa Rosa de Copán ...
    assert axe_violations(page) == []


@pytest.fixture
def coordinator(seeded_app):
    """Overlaps computed on the small seeded app and a coordinator's token."""
    with seeded_app.app_context():
        recompute(db.session)
        token = make_token(db.session, None, "coordinator")
        db.session.commit()
    return token


def test_a_coordinator_decides_with_the_keyboard(browser, live_url, coordinator, artifacts):
    context = browser.new_context(viewport={"width": 1366, "height": 768},
                                  extra_http_headers={"Authorization": f"Bearer {coordinator}"})
    page = context.new_page()
    try:
        page.goto(f"{live_url}/overlaps")
        assert page.locator("ol.overlap-list > li").count() >= 1
        assert axe_violations(page) == []
        assert _tab_to(page, "el.tagName === 'BUTTON' && el.value === 'confirm'")
        label = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
        assert label.startswith("Confirm:") and " and " in label
        with page.expect_navigation():  # the form posts and redirects back
            page.keyboard.press("Enter")
        assert "Decision recorded: the overlap is now confirmed." in page.locator("main").inner_text()
        assert page.locator("ol.overlap-list .status-word").first.inner_text() == "confirmed"
        assert _tab_to(page, "el.tagName === 'BUTTON' && el.value === 'reopen'")
        page.screenshot(path=str(artifacts / "coordinator-overlaps-decided-1366x768.png"))
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("ol.overlap-list .status-word").first.inner_text() == "suggested"
    finally:
        context.close()


@pytest.fixture
def coordinator_account(seeded_app):
    """Overlaps computed on the small seeded app, one of them with a private side, and a coordinator's web sign-in."""
    with seeded_app.app_context():
        runner = seeded_app.test_cli_runner()
        made = runner.invoke(args=["user", "create", "--role", "coordinator", "--email", "coord@platform.example",
                                   "--password", "correct horse battery"])
        assert made.exit_code == 0, made.output
        lake = db.session.scalar(db.select(Organisation).where(Organisation.name == "Lake Basin Partners"))
        make_initiative(db.session, lake, title="Private well repairs in Kisumu", visibility="private",
                        locations=[{"name": "Kisumu", "country": "KE", "lat": -0.10, "lon": 34.76}])
        recompute(db.session)
        db.session.commit()
    return "coord@platform.example"


def test_a_coordinator_signs_in_on_the_web_and_decides_about_other_organisations_overlaps(
        browser, live_url, coordinator_account, artifacts):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        page.goto(f"{live_url}/overlaps")
        assert "Private well repairs in Kisumu" not in page.locator("main").inner_text()  # the public doesn't
        assert page.locator("button[value=confirm]").count() == 0
        page.get_by_role("link", name="Sign in").last.click()
        page.get_by_label("E-mail").fill(coordinator_account)
        page.get_by_label("Password").fill("correct horse battery")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        assert page.url.endswith("/overlaps")  # back where the sign-in started
        nav = page.locator("header.site nav").inner_text()
        assert "Overlaps" in nav and "Register an initiative" not in nav and "Inbox" not in nav
        main = page.locator("main")
        assert "Private well repairs in Kisumu" in main.inner_text()  # coordinators read private work
        items = page.locator("ol.overlap-list > li")
        assert items.count() >= 2 and items.locator("button[value=confirm]").count() == items.count()
        assert axe_violations(page) == []
        first = items.first
        names = first.locator("p.pair strong").all_inner_texts()
        assert len(set(names)) == 2  # two other organisations: a coordinator is neither
        with page.expect_navigation():
            first.locator("button[value=dismiss]").click()
        assert "Decision recorded: the overlap is now dismissed." in main.inner_text()
        page.screenshot(path=str(artifacts / "coordinator-signed-in-overlaps-1366x768.png"))
        page.goto(f"{live_url}/account")
        assert "a coordinator of the whole platform" in main.inner_text()
        assert page.goto(f"{live_url}/initiatives/new").status == 403
    finally:
        context.close()
