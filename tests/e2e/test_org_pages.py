"""Organisation, organisations, initiative, form, inbox and account pages in a real browser:
what a newcomer reads (words, not codes), axe (serious/critical), keyboard use of the new buttons,
and screenshots at 1366×768 and 390×844 into tests/artifacts/."""
from __future__ import annotations

import re

import pytest

from api.extensions import db
from coordination.models import Organisation, User
from coordination.services.accounts import PASSWORDS
from coordination.text import name_key

from .axe import axe_violations

pytestmark = pytest.mark.browser

SIZES = {"1366": (1366, 768), "390": (390, 844)}
PASSWORD = "correct horse battery"


def shoot(page, artifacts, name):
    """Screenshots of the page at both sizes (then back to the laptop size)."""
    for tag, (w, h) in SIZES.items():
        page.set_viewport_size({"width": w, "height": h})
        page.wait_for_timeout(150)
        page.screenshot(path=str(artifacts / f"{name}-{tag}.png"), full_page=False)
    page.set_viewport_size({"width": 1366, "height": 768})


def tab_to(page, pattern: str, limit: int = 200) -> str:
    """Press Tab until the focused element's text matches; fails if it is never reached."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        text = page.evaluate("() => document.activeElement ? document.activeElement.textContent : ''") or ""
        if re.search(pattern, text):
            return text
    raise AssertionError(f"{pattern!r} is not reachable with the keyboard")


def test_organisation_page_on_the_demo_data(page, demo_url, artifacts):
    page.goto(demo_url + "/organisations/oxfam")
    body = page.inner_text("main")
    assert "International NGO" in body and "IATI organisation type" not in body
    assert "Not verified yet" not in body  # known from published data only
    assert "Overlapping work" in body and "once overlap detection runs" not in body
    assert page.locator("details.show-all").count() >= 1
    # Labels of the picture stay inside it.
    box = page.locator(".org-network svg").bounding_box()
    for label in page.locator(".org-network svg text").all():
        b = label.bounding_box()
        assert box["x"] - 1 <= b["x"] and b["x"] + b["width"] <= box["x"] + box["width"] + 1, label.inner_text()
    tab_to(page, r"Show all \d+ organisations")
    page.keyboard.press("Enter")
    assert page.locator("details.show-all[open]").count() >= 1
    assert axe_violations(page) == []
    shoot(page, artifacts, "e2e-organisation")


def test_organisations_list_on_the_demo_data(page, demo_url, artifacts):
    page.goto(demo_url + "/organisations")
    headers = page.locator("table.organisations th").all_inner_texts()
    assert headers[:3] == ["Organisation", "Type", "Country"]
    names = page.locator("table.organisations tbody td:first-child").all_inner_texts()
    assert names == sorted(names, key=lambda n: (name_key(n), n.lower()))  # case and accents aside
    text = page.inner_text("table.organisations")
    assert "National NGO" in text and "Afghanistan" in text
    assert axe_violations(page) == []
    shoot(page, artifacts, "e2e-organisations")


def test_initiative_page_on_the_demo_data(page, demo_url, artifacts):
    page.goto(demo_url + "/organisations/oxfam")
    links = [a.get_attribute("href") for a in page.locator(".org-initiatives li a").all()][:40]
    body = ""
    for href in links:  # Oxfam's El Salvador work, whose overlaps name the other side's place
        page.goto(demo_url + href)
        page.wait_for_selector("h1")
        body = page.inner_text("main")
        if "(El Salvador)" in body:
            break
    assert "Imported from" in body and "hxl:" not in body and "#row=" not in body
    assert "(El Salvador)" in body and not re.search(r"\(SV\)|both in SV\d", body)
    assert "Introduce us" not in body  # anonymous readers are no party
    assert axe_violations(page) == []
    shoot(page, artifacts, "e2e-initiative")


@pytest.fixture
def people(seeded_app):
    """An admin for Water Aid Kenya and one for Lake Basin Partners (whose Kisumu work overlaps)."""
    with seeded_app.app_context():
        for slug, email in (("water-aid-kenya", "admin@wateraid.test"), ("lake-basin-partners", "admin@lake.test")):
            org = db.session.scalar(db.select(Organisation).where(Organisation.slug == slug))
            db.session.add(User(email=email, password_hash=PASSWORDS.hash(PASSWORD), organisation_id=org.id,
                                role="admin"))
        lake = db.session.scalar(db.select(Organisation).where(Organisation.slug == "lake-basin-partners"))
        lake.public_email = "contact@lake.test"
        db.session.commit()
        db.session.remove()


def sign_in(page, live_url, email):
    page.goto(live_url + "/signin")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def test_inbox_introduce_us_and_account_contact(page, live_url, people, artifacts):
    sign_in(page, live_url, "admin@wateraid.test")
    page.goto(live_url + "/inbox")
    body = page.inner_text("main")
    assert re.search(r"1 effort overlaps with .+\n+\d+% .+ \(Lake Basin Partners\)", body), body
    assert "Contact of Lake Basin Partners: contact@lake.test" in body
    assert axe_violations(page) == []
    shoot(page, artifacts, "e2e-inbox")
    tab_to(page, r"Introduce us")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "now finds your introduction in its inbox" in page.inner_text("main")
    assert "introduced itself to Lake Basin Partners" in page.inner_text("main")

    # The admin publishes a contact, with the keyboard.
    page.goto(live_url + "/account")
    page.get_by_label("Public e-mail").fill("hello@wateraid.test")
    page.get_by_label("Website").focus()
    tab_to(page, r"Save the public contact")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "public contact is saved" in page.inner_text("main")
    assert axe_violations(page) == []
    shoot(page, artifacts, "e2e-account")

    # The other organisation sees the introduction and the published contact, never a person's address.
    page.context.clear_cookies()
    sign_in(page, live_url, "admin@lake.test")
    page.goto(live_url + "/inbox")
    body = page.inner_text("main")
    assert "Water Aid Kenya asked to be introduced" in body and "hello@wateraid.test" in body
    assert "admin@wateraid.test" not in body
    assert page.get_by_role("button", name=re.compile("Introduce us back")).count() >= 1
    assert axe_violations(page) == []
    shoot(page, artifacts, "e2e-inbox-received")


def test_form_status_from_dates_and_find_zooms_the_map(page, live_url, people, artifacts):
    sign_in(page, live_url, "admin@wateraid.test")
    page.goto(live_url + "/initiatives/new")
    assert page.input_value("#in-status") == ""
    page.fill("#in-start", "2019-01-01")
    page.fill("#in-end", "2019-12-31")
    page.dispatch_event("#in-end", "change")
    # Shown on the empty choice, not chosen: left empty, the status follows the dates on every read.
    assert page.input_value("#in-status") == ""
    assert "Closed" in page.locator("#in-status option[value='']").inner_text()
    page.fill("#in-end", "2099-12-31")
    page.dispatch_event("#in-end", "change")
    assert "Implementation" in page.locator("#in-status option[value='']").inner_text()
    page.select_option("#in-status", "suspended")  # the person's choice is kept
    page.fill("#in-start", "2098-01-01")
    page.dispatch_event("#in-start", "change")
    assert page.input_value("#in-status") == "suspended"

    page.wait_for_function("() => document.querySelector('#form-map .leaflet-pane') !== null")
    page.get_by_label("Place name").fill("Kisumu")
    page.get_by_role("button", name="Find").click()
    choice = page.locator(".place-choices button").first
    choice.wait_for()
    assert "Kenya" in choice.inner_text() and "(admin1)" not in choice.inner_text()
    choice.click()
    assert page.input_value(".place-country") == "KE"
    # The small map now shows Kisumu, not the world view it started at (zoom 2).
    page.wait_for_function("() => Number(document.querySelector('#form-map').dataset.zoom || 0) >= 7")
    assert axe_violations(page) == []
    shoot(page, artifacts, "e2e-form")
