"""The NGO flow in a real browser: sign up → the e-mailed link → register → similar initiatives → save → inbox."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ..api.test_pages import mail_log

pytestmark = pytest.mark.browser


def fill_the_signup_form(page, live_url: str, organisation: str, email: str) -> None:
    """Open the sign-up page and fill it in for `organisation` in Kenya, signing in as `email`."""
    page.goto(live_url + "/signup")
    page.get_by_label("Organisation name").fill(organisation)
    country = page.get_by_label("Country")  # a list of names, as on the registration form
    assert "Kenya" in country.locator("option").all_inner_texts()
    country.select_option(label="Kenya")
    page.get_by_label("Your e-mail").fill(email)
    page.get_by_label("Password").fill("a long enough password")


def follow_the_emailed_link(page, app, click):
    """Submit the sign-up form with `click`, read "Check your e-mail", then open the link the app logged."""
    with mail_log(app) as messages:
        click()
        page.wait_for_selector("#signup-sent")
    assert page.text_content("h1") == "Check your e-mail"
    assert "the link is in the server's console" in page.text_content("#signup-sent")
    [message] = messages
    page.goto(re.search(r"https?://\S+/signup/confirm/\S+", message).group(0))
    page.wait_for_url("**/initiatives/new")
    assert "Welcome! Your organisation is registered" in page.text_content("main")


def test_sign_up_register_see_similar_save_and_open_the_inbox(page, live_url, seeded_app, artifacts):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    fill_the_signup_form(page, live_url, "Kisumu Youth Water Group", "amina@example.org")
    page_requests = []
    page.on("request", lambda r: page_requests.append(r))
    follow_the_emailed_link(page, seeded_app, page.get_by_role("button", name="Create account").click)

    page.get_by_label("Title").fill("Fixing hand pumps in Kisumu")
    page.get_by_label("Description").fill("Repairing broken hand pumps and boreholes for safe drinking water.")
    # Suggested codes say why: the words of the text they rest on.
    page.wait_for_selector("#suggestions .chip-button[data-code='6.1']")
    assert "water" in page.get_attribute("#suggestions .chip-button[data-code='6.1']", "title")
    page.check("#goal-6")
    page.get_by_label("Place name").fill("Kisumu")
    page.get_by_role("button", name="Find").click()
    choice = page.locator(".place-choices button").first
    choice.click()
    assert page.input_value(".place-country") == "KE"
    page.wait_for_selector("#similar-live:not([hidden])")
    assert "Repairing community wells in Kisumu" in page.text_content("#similar-live")
    page.screenshot(path=str(artifacts / "form.png"), full_page=True)
    form_requests = [r for r in page_requests if "/map/" not in r.url and not r.url.startswith("data:")
                     and r.response() is not None]
    weight = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in form_requests)
    print(f"\nfirst load of /initiatives/new (with helpers) excluding map data: {weight / 1024:.0f} KB")
    assert weight < 500 * 1024

    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("#similar-panel")
    assert "Borehole rehabilitation, Kisumu County" in page.text_content("#similar-panel")
    page.get_by_role("button", name="Save anyway — it is a different effort").click()
    page.wait_for_url("**/initiatives/*")
    assert page.text_content("h1") == "Fixing hand pumps in Kisumu"
    assert "Kisumu" in page.text_content("main")

    page.get_by_role("link", name="Inbox").click()
    assert page.text_content("h1") == "Overlap inbox"
    assert page.locator(".empty, ul.inbox").count() == 1
    assert page.locator(".empty").count() == 0  # the overlap found on saving is waiting there
    assert "Borehole rehabilitation, Kisumu County" in page.text_content("ul.inbox")
    assert all(u.startswith((live_url, "data:")) for u in requests)


def test_validation_errors_appear_next_to_the_fields(page, live_url):
    page.goto(live_url + "/signup")
    page.get_by_label("Your e-mail").fill("not-an-email")
    page.get_by_role("button", name="Create account").click()
    assert page.locator("#err-email").is_visible()
    assert page.get_attribute("#in-email", "aria-invalid") == "true"


def test_an_admin_uploads_an_iati_file_and_reads_the_report(page, live_url, seeded_app, artifacts):
    data = Path(__file__).resolve().parents[1] / "data" / "formats" / "problems.xml"
    fill_the_signup_form(page, live_url, "Water Trust Uploads", "admin@example.org")
    follow_the_emailed_link(page, seeded_app, page.get_by_role("button", name="Create account").click)
    page.get_by_role("link", name="Account").click()
    requests = []
    page.on("request", lambda r: requests.append(r))
    page.get_by_role("link", name="Upload a file").click()
    page.wait_for_load_state("networkidle")
    weight = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in requests
                 if r.response() is not None)
    print(f"\nfirst load of /account/import: {weight / 1024:.0f} KB")
    assert weight < 500 * 1024
    page.get_by_label("File (IATI XML or HXL CSV, at most 50 MB)").set_input_files(str(data))
    page.get_by_label("IATI activity file (XML)").check()
    page.get_by_role("button", name="Upload and import").click()
    page.wait_for_selector("#import-report")
    assert page.text_content("#count-created") == "1" and page.text_content("#count-skipped") == "2"
    assert "GB-CHC-000001-NOTITLE" in page.text_content("table.problems")
    page.screenshot(path=str(artifacts / "upload.png"), full_page=True)
