"""What a newcomer reads on the organisation, organisations, initiative, form, inbox and account pages:
words instead of codes, overlaps shown, published contacts, and "Introduce us" through the platform."""
from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest

from api.extensions import db
from coordination.models import (
    Change,
    DigestSubscription,
    Initiative,
    Introduction,
    Overlap,
    User,
    WebhookDelivery,
    utcnow,
)
from coordination.permissions import SYSTEM
from coordination.services.accounts import PASSWORDS
from coordination.services.digest import SmtpSettings, compose_digest, pending_notices
from coordination.services.introductions import pending_for_digest
from coordination.services.notify import create_webhook
from coordination.services.webhook_delivery import _payload
from coordination.status import status_of

from ..factories import BOREHOLES, WELLS, make_initiative, make_organisation
from .test_pages import csrf_of

PASSWORD = "correct horse battery"


def text_of(response) -> str:
    """The page as a person reads it: tags removed, entities decoded, spaces collapsed."""
    body = response.get_data(as_text=True)
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.DOTALL)
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))
    return re.sub(r"\s+([).,:])", r"\1", re.sub(r"\(\s+", "(", text))


def add_user(session, org, email, role="admin") -> User:
    user = User(email=email, password_hash=PASSWORDS.hash(PASSWORD), organisation_id=org.id, role=role)
    session.add(user)
    session.commit()
    return user


def sign_in(client, email):
    client.post("/signout", data={"csrf_token": csrf_of(client.get("/signin").get_data(as_text=True))})
    token = csrf_of(client.get("/signin").get_data(as_text=True))
    response = client.post("/signin", data={"csrf_token": token, "email": email, "password": PASSWORD})
    assert response.status_code == 302


def post(client, url, data=None):
    token = csrf_of(client.get("/organisations").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **(data or {})})


@pytest.fixture
def pair(session):
    """Two NGOs whose Kisumu water work overlaps; the first has people signed up, the second publishes a contact."""
    trust = make_organisation(session, name="Kisumu Water Trust", type="22", country="KE")
    trust.verified = False  # signed up here, not checked yet
    wells = make_organisation(session, name="Lake Basin Wells", type="21", country="UG")
    wells.public_email, wells.public_website = "hello@lakebasinwells.example", "https://lakebasinwells.example"
    stranger = make_organisation(session, name="Far Away Schools")
    mine = make_initiative(session, trust, **BOREHOLES)
    theirs = make_initiative(session, wells, **WELLS)
    add_user(session, trust, "amina.private@trust.example")
    add_user(session, wells, "otieno.private@wells.example")
    add_user(session, stranger, "someone@stranger.example")
    overlap = session.scalars(db.select(Overlap)).one()
    return {"trust": trust, "wells": wells, "stranger": stranger, "mine": mine, "theirs": theirs, "overlap": overlap}


def test_the_organisation_page_speaks_in_words_and_shows_its_overlaps(client, session, pair):
    page = text_of(client.get(f"/organisations/{pair['trust'].slug}"))
    assert "National NGO" in page and "based in Kenya" in page
    assert "IATI organisation type" not in page and " 22 " not in page
    assert "Not verified yet" in page  # people signed it up here: verification means something
    assert "Overlapping work" in page and "Lake Basin Wells" in page
    assert "once overlap detection runs" not in page
    assert "hello@lakebasinwells.example" not in page  # the other one's contact is on its own page
    other = text_of(client.get(f"/organisations/{pair['wells'].slug}"))
    assert "International NGO" in other and "based in Uganda" in other
    assert "hello@lakebasinwells.example" in other and "lakebasinwells.example" in other


def test_an_organisation_known_only_from_data_is_not_called_unverified(client, session):
    org = make_organisation(session, name="United Nations Development Programme", type="40",
                            org_identifier="XM-DAC-41114")
    org.verified = False
    session.commit()
    page = text_of(client.get(f"/organisations/{org.slug}"))
    assert "Multilateral" in page and "Not verified" not in page and "Known from published data" in page
    org.verified = True
    session.commit()
    assert "Verified by a coordinator" in text_of(client.get(f"/organisations/{org.slug}"))


def test_its_own_people_read_the_same_words_as_the_public_on_the_account_page(client, session):
    org = make_organisation(session, name="United Nations Development Programme", type="40",
                            org_identifier="XM-DAC-41114")
    org.verified = False
    add_user(session, org, "desk@undp.example")
    sign_in(client, "desk@undp.example")
    account = text_of(client.get("/account"))
    assert "Known from published data" in account and "not verified yet" not in account.lower()
    public = text_of(client.get(f"/organisations/{org.slug}"))
    assert "Known from published data" in public and "Not verified" not in public


def test_long_partner_lists_are_capped_with_show_all(client, session):
    lead = make_organisation(session, name="Lead Agency")
    partners = [make_organisation(session, name=f"Partner {n:02d}") for n in range(12)]
    make_initiative(session, lead, title="Big consortium",
                    partners=[{"organisation": p.slug, "role": "implementing"} for p in partners])
    body = client.get(f"/organisations/{lead.slug}").get_data(as_text=True)
    shown, hidden = body.split("<details class=\"show-all\"><summary>Show all 12 partners", 1)
    assert shown.count("Partner ") >= 8 and "Partner 11" in hidden
    assert 'text-anchor="start"' in body and 'text-anchor="end"' in body  # labels placed away from the centre


def test_the_organisations_list_sorts_without_regard_to_case_and_names_type_and_country(client, session):
    make_organisation(session, name="zeta relief", type="22", country="SV")
    make_organisation(session, name="Alpha Aid", type="40", country="HN")
    make_organisation(session, name="beta builders")
    page = text_of(client.get("/organisations"))
    assert page.index("Alpha Aid") < page.index("beta builders") < page.index("zeta relief")
    assert "Type" in page and "National NGO" in page and "Multilateral" in page
    assert "El Salvador" in page and "Honduras" in page


def test_the_initiative_page_names_places_sources_and_offers_an_introduction(client, session, pair):
    pair["mine"].provenance = "hxl:whowhatwhere_345_kenya.csv#row=3"
    session.commit()
    url = f"/initiatives/{pair['mine'].id}"
    anonymous = text_of(client.get(url))
    assert "(Kenya)" in anonymous and "Imported from whowhatwhere_345_kenya.csv, row 3" in anonymous
    assert "hxl:" not in anonymous and "Introduce us" not in anonymous
    assert "Contact of Lake Basin Wells: hello@lakebasinwells.example" in anonymous  # published: anyone may read it
    sign_in(client, "someone@stranger.example")
    assert "Introduce us" not in text_of(client.get(url))  # not a party
    sign_in(client, "amina.private@trust.example")
    assert "Introduce us to Lake Basin Wells" in text_of(client.get(url))


def test_introduce_us_reaches_the_inbox_webhooks_and_digest_without_private_addresses(client, session, pair, app):
    create_webhook(session, SYSTEM, pair["wells"].id, {"url": "https://hooks.example.org/in"}, allow_private=True)
    session.add(DigestSubscription(organisation_id=pair["wells"].id, contact_email="digest.private@wells.example"))
    session.commit()
    overlap = pair["overlap"]
    sign_in(client, "amina.private@trust.example")
    response = post(client, f"/overlaps/{overlap.id}/introduce", {"next": f"/initiatives/{pair['mine'].id}"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/initiatives/{pair['mine'].id}")
    page = text_of(client.get(f"/initiatives/{pair['mine'].id}"))
    assert "Your organisation introduced itself to Lake Basin Wells on" in page
    assert "has not published a contact yet" in page  # the flash tells the sender what the other side sees
    assert "Lake Basin Wells now finds your introduction in its inbox" in page  # it has people, a webhook, a digest
    # A second click is refused kindly; nothing is sent twice.
    again = post(client, f"/overlaps/{overlap.id}/introduce", {"next": "/inbox"})
    assert again.status_code == 302 and session.scalar(db.select(db.func.count()).select_from(Introduction)) == 1

    # The other organisation: inbox, webhook, digest, history.
    sign_in(client, "otieno.private@wells.example")
    inbox = text_of(client.get("/inbox"))
    assert "Organisations that would like to get in touch" in inbox
    assert "Kisumu Water Trust asked to be introduced about your initiative Repairing community wells in Kisumu" in inbox
    assert "They have not published a contact" in inbox and "Introduce us back" in inbox
    assert "amina.private@trust.example" not in inbox
    delivery = session.scalars(db.select(WebhookDelivery).where(WebhookDelivery.event == "overlap.introduction")).one()
    payload = repr(_payload(delivery))
    assert "Kisumu Water Trust" in payload and "amina.private" not in payload
    sub = session.scalars(db.select(DigestSubscription)).one()
    until = utcnow() + timedelta(minutes=1)
    intros = pending_for_digest(session, pair["wells"].id, None, until)
    message = compose_digest(pair["wells"], pending_notices(session, sub, until), SmtpSettings(host="localhost"),
                             sub.contact_email, "http://x", intros)
    plain = message.get_body(("plain",)).get_content()
    assert "Kisumu Water Trust would like to get in touch" in plain and "amina.private" not in plain
    assert session.scalar(db.select(Change).where(Change.entity_type == "introduction")).action == "create"

    # Introducing back shows the published contact to the first organisation.
    post(client, f"/overlaps/{overlap.id}/introduce", {"next": "/inbox"})
    sign_in(client, "amina.private@trust.example")
    inbox = text_of(client.get("/inbox"))
    assert "Lake Basin Wells asked to be introduced" in inbox
    assert "Contact of Lake Basin Wells: hello@lakebasinwells.example" in inbox
    assert "otieno.private@wells.example" not in inbox and "digest.private" not in inbox


def test_introduce_us_says_the_truth_when_nobody_of_the_other_side_has_joined(client, session, pair):
    session.execute(db.delete(User).where(User.organisation_id == pair["wells"].id))  # like the demo's 549
    session.commit()
    sign_in(client, "amina.private@trust.example")
    post(client, f"/overlaps/{pair['overlap'].id}/introduce", {"next": "/inbox"})
    page = text_of(client.get("/inbox"))
    assert "nobody from Lake Basin Wells has joined the platform yet" in page
    assert "waits in their inbox for when they join" in page
    assert "now finds your introduction" not in page
    assert "Your organisation introduced itself to Lake Basin Wells" in page  # still recorded


def test_only_parties_may_introduce_and_only_on_overlaps_they_see(client, session, pair):
    overlap = pair["overlap"]
    sign_in(client, "someone@stranger.example")
    response = post(client, f"/overlaps/{overlap.id}/introduce")
    assert response.status_code == 302  # refused with a message, nothing sent
    assert session.scalar(db.select(db.func.count()).select_from(Introduction)) == 0
    assert post(client, "/overlaps/999999/introduce").status_code == 404
    # A side turned private: the other organisation may no longer see the pair, so it is not introduced.
    initiative = session.get(Initiative, pair["mine"].id)
    initiative.visibility = "private"
    session.commit()
    sign_in(client, "otieno.private@wells.example")
    assert post(client, f"/overlaps/{overlap.id}/introduce").status_code == 404
    sign_in(client, "amina.private@trust.example")
    refused = post(client, f"/overlaps/{overlap.id}/introduce", {"next": "/inbox"})
    assert refused.status_code == 302
    assert session.scalar(db.select(db.func.count()).select_from(Introduction)) == 0


def test_the_inbox_says_which_of_your_initiatives_matched(client, session, pair):
    sign_in(client, "amina.private@trust.example")
    inbox = text_of(client.get("/inbox"))
    assert "1 effort overlaps with Borehole rehabilitation, Kisumu County" in inbox
    assert "Repairing community wells in Kisumu (Lake Basin Wells)" in inbox
    assert "Contact of Lake Basin Wells: hello@lakebasinwells.example" in inbox
    assert "Introduce us to Lake Basin Wells" in inbox


def test_an_admin_publishes_the_contact_and_a_member_cannot(client, session, pair):
    sign_in(client, "amina.private@trust.example")
    bad = post(client, "/account/contact", {"public_email": "not an address", "public_website": ""})
    assert bad.status_code == 400 and "must be one e-mail address" in text_of(bad)
    ok = post(client, "/account/contact", {"public_email": "coordination@trust.example",
                                           "public_website": "trust.example"})
    assert ok.status_code == 302
    page = text_of(client.get(f"/organisations/{pair['trust'].slug}"))
    assert "coordination@trust.example" in page and "trust.example" in page
    assert "amina.private@trust.example" not in page
    add_user(session, pair["trust"], "member@trust.example", role="member")
    sign_in(client, "member@trust.example")
    assert post(client, "/account/contact", {"public_email": "x@y.example"}).status_code == 403


def test_the_form_works_the_status_out_from_the_dates(client, session, pair):
    sign_in(client, "amina.private@trust.example")
    form = client.get("/initiatives/new").get_data(as_text=True)
    assert not re.search(r'<option value="implementation"\s+selected', form)
    assert 'data-status-auto="1"' in form and "El Salvador</option>" in form
    token = csrf_of(form)
    response = client.post("/initiatives/new", data={
        "csrf_token": token, "title": "Past cash transfers in Gulu", "description": "Done in 2020.",
        "goals": "1", "start": "2020-01-01", "end": "2020-12-31", "status": "", "similar_seen": "1",
        "loc-0-name": "Gulu", "loc-0-country": "UG", "loc-0-lat": "2.78", "loc-0-lon": "32.3"})
    assert response.status_code == 302, text_of(response)
    saved = session.scalars(db.select(Initiative).where(Initiative.title == "Past cash transfers in Gulu")).one()
    assert saved.status is None  # not frozen: worked out from the dates on every read
    assert status_of(saved) == ("closed", True)
    assert "Closed" in text_of(client.get(f"/initiatives/{saved.id}"))
