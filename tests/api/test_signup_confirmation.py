"""Sign-up confirmed by an e-mailed link: every sign-up is answered alike, nothing exists before the link."""
from __future__ import annotations

import logging
import re

import pytest
from argon2 import PasswordHasher
from itsdangerous import TimestampSigner

from api.extensions import db
from coordination.models import Organisation, User
from coordination.models.account import PendingSignUp
from coordination.services import accounts

from ..mail import smtp_fixture
from .test_pages import confirmation_link, csrf_of, post_sign_up, sign_up

RIGHT = "correct horse battery"
REGISTERED, FRESH = "amina@example.org", "zuri1@example.org"  # the same length: same Content-Length


mailserver = smtp_fixture("mailserver", "accounts@coordination.test", "A local SMTP server the app sends through.")


@pytest.fixture
def registered(client):
    """amina@example.org has an account (signed out again)."""
    sign_up(client, email=REGISTERED)
    client.post("/signout", data={"csrf_token": csrf_of(client.get("/").get_data(as_text=True))})
    return db.session.query(User).one()


def _sign_in(client, email, password=RIGHT):
    token = csrf_of(client.get("/signin").get_data(as_text=True))
    return client.post("/signin", data={"csrf_token": token, "email": email, "password": password})


def _seen(response, address):
    """Everything a client receives, with the address and the per-response CSP nonce masked."""
    nonce = re.search(r"'nonce-([^']+)'", response.headers.get("Content-Security-Policy", ""))
    def mask(text):
        text = text.replace(address, "<address>")
        return text.replace(nonce.group(1), "<nonce>") if nonce else text
    headers = sorted((k, mask(v)) for k, v in response.headers.items() if k != "Date")
    return response.status_code, headers, mask(response.get_data(as_text=True))


def test_a_sign_up_is_answered_identically_for_a_registered_and_a_fresh_address(client, registered, monkeypatch):
    hashed = []

    class Spy(PasswordHasher):
        def hash(self, password, *, salt=None):
            hashed.append(password)
            return super().hash(password, salt=salt)

    monkeypatch.setattr(accounts, "PASSWORDS", Spy())
    taken, taken_mail = post_sign_up(client, email=REGISTERED, org="Another Water Group")
    fresh, fresh_mail = post_sign_up(client, email=FRESH, org="Another Water Group")
    assert _seen(taken, REGISTERED) == _seen(fresh, FRESH)
    assert "Set-Cookie" not in taken.headers and "Set-Cookie" not in fresh.headers
    html = fresh.get_data(as_text=True)
    assert fresh.status_code == 200 and "Check your e-mail" in html
    assert f"We sent a link to {FRESH} to finish signing up." in html
    assert "No mail server is configured here: the link is in the server&#39;s console." in html
    assert hashed == [RIGHT, RIGHT]  # the password is hashed for the registered address too
    # Each address got one message: the registered one a notice, the fresh one its link.
    [notice], [link_mail] = taken_mail, fresh_mail
    assert "already has an account" in notice and "/signin" in notice and "/signup/confirm/" not in notice
    assert "/signup/confirm/" in link_mail
    assert db.session.query(User).count() == 1 and db.session.query(Organisation).count() == 1
    assert client.get("/initiatives/new").status_code == 302  # nobody was signed in


def test_without_smtp_the_link_is_logged_and_signs_in_and_the_organisation_registers_an_initiative(
        client, caplog, monkeypatch):
    monkeypatch.delenv("SMTP_HOST", raising=False)
    caplog.set_level(logging.WARNING)
    response, _ = post_sign_up(client, email=FRESH, org="Kisumu Youth Water")
    assert response.status_code == 200
    [record] = [r for r in caplog.records if "E-mail not sent" in r.getMessage()]
    assert record.levelno == logging.WARNING
    assert record.getMessage().startswith(f"E-mail not sent (no SMTP_HOST configured) to {FRESH}: Confirm your sign-up")
    # Until the link is followed nothing is registered, listed or able to sign in.
    assert db.session.query(Organisation).count() == 0 and db.session.query(User).count() == 0
    assert "Kisumu Youth Water" not in client.get("/organisations").get_data(as_text=True)
    assert client.get("/api/v1/organisations").get_json()["items"] == []
    welcome = client.get(confirmation_link(record.getMessage()), follow_redirects=True)
    assert welcome.request.path == "/initiatives/new"
    assert "Welcome! Your organisation is registered" in welcome.get_data(as_text=True)
    user = db.session.query(User).one()
    assert user.email == FRESH and user.role == "admin" and not user.organisation.verified
    assert "Kisumu Youth Water" in client.get("/organisations").get_data(as_text=True)
    html = client.get("/initiatives/new").get_data(as_text=True)
    saved = client.post("/initiatives/new", data={
        "csrf_token": csrf_of(html), "title": "Hand pumps for Kisumu schools", "description": "Repairs.",
        "goals": ["6.1"], "loc-0-name": "Kisumu", "loc-0-country": "KE", "loc-0-lat": "-0.1",
        "loc-0-lon": "34.75", "start": "2025-02-01", "visibility": "public", "public_precision": "exact",
        "similar_seen": "1"})
    assert saved.status_code == 302
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Hand pumps for Kisumu schools" in page and "Kisumu Youth Water" in page


def test_with_smtp_the_link_is_mailed_and_a_registered_address_is_told_someone_tried(
        client, registered, mailserver):
    response, logged = post_sign_up(client, email=FRESH, org="Lake Shore Wells")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f"We sent a link to {FRESH}" in html
    assert "No mail server is configured here" not in html and logged == []
    client.application.config["PUBLIC_BASE_URL"] = "https://coordination.example/"
    post_sign_up(client, email=REGISTERED.upper(), org="Lake Shore Wells", host="evil.example")
    by_recipient = {tuple(rcpts): msg for rcpts, msg in mailserver.messages}
    assert set(by_recipient) == {(FRESH,), (REGISTERED,)}
    notice = by_recipient[(REGISTERED,)]
    assert notice["Subject"] == "Someone tried to sign up with your e-mail address"
    # Links point to PUBLIC_BASE_URL, whatever Host the request named.
    assert "https://coordination.example/signin" in notice.get_content().split()
    assert "/signup/confirm/" not in notice.get_content() and "evil" not in notice.get_content()
    mail = by_recipient[(FRESH,)]
    assert mail["Subject"] == "Confirm your sign-up" and mail["From"] == "accounts@coordination.test"
    assert "http://localhost/signup/confirm/" in mail.get_content()  # no PUBLIC_BASE_URL yet: this host
    confirmed = client.get(confirmation_link(mail.get_content()))
    assert confirmed.status_code == 302 and confirmed.headers["Location"].endswith("/initiatives/new")
    assert client.get("/initiatives/new").status_code == 200
    assert {u.email for u in db.session.query(User)} == {REGISTERED, FRESH}


def test_a_link_works_once_and_only_the_newest(client):
    _, [first] = post_sign_up(client, email=FRESH)
    _, [second] = post_sign_up(client, email=FRESH)  # signed up again: a new link
    old = client.get(confirmation_link(first))
    assert old.status_code == 400 and "This link is not valid" in old.get_data(as_text=True)
    assert client.get(confirmation_link(second)).status_code == 302
    other = client.application.test_client()
    again = other.get(confirmation_link(second))
    assert again.status_code == 410 and "This link was already used" in again.get_data(as_text=True)
    assert other.get("/initiatives/new").status_code == 302  # a used link signs nobody in
    assert db.session.query(User).count() == 1 and db.session.query(Organisation).count() == 1
    assert db.session.query(PendingSignUp).one().password_hash == ""  # kept by the account only


def test_a_tampered_or_foreign_link_is_refused(client):
    _, [message] = post_sign_up(client, email=FRESH)
    path = confirmation_link(message)
    token = path.rsplit("/", 1)[1]
    changed = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    forged = TimestampSigner("another-secret", salt="coordination.sign-up-confirm").sign(token.rsplit(".", 2)[0])
    for bad in (changed, forged.decode(), "not-a-token"):
        response = client.get(f"/signup/confirm/{bad}")
        assert response.status_code == 400 and "This link is not valid" in response.get_data(as_text=True)
    assert db.session.query(User).count() == 0
    assert client.get(path).status_code == 302  # the real one still works


def test_an_expired_link_is_refused(client, monkeypatch):
    _, [message] = post_sign_up(client, email=FRESH)
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) + 24 * 3600 + 5)
    response = client.get(confirmation_link(message))
    html = response.get_data(as_text=True)
    assert response.status_code == 410 and "This link has expired" in html and 'href="/signup"' in html
    assert db.session.query(User).count() == 0 and client.get("/initiatives/new").status_code == 302


def test_an_unconfirmed_sign_up_cannot_sign_in_and_a_wrong_password_says_nothing(client):
    post_sign_up(client, email=FRESH)
    unknown = _sign_in(client, "nobody@example.org", "wrong password")
    wrong = _sign_in(client, FRESH, "wrong password")
    assert wrong.status_code == unknown.status_code == 401
    assert "The e-mail or password is not right." in wrong.get_data(as_text=True)
    assert "confirm" not in wrong.get_data(as_text=True).lower()
    right = _sign_in(client, FRESH)
    assert right.status_code == 403 and "not confirmed yet" in right.get_data(as_text=True)
    assert client.get("/initiatives/new").status_code == 302
    for i in range(4):  # five failures in all lock the address, as for any other
        assert _sign_in(client, FRESH, f"wrong guess {i}").status_code == 401
    assert _sign_in(client, FRESH).status_code == 429
    assert db.session.query(PendingSignUp).one().confirmed_at is None
