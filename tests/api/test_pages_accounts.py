"""Web accounts under attack: password guessing is throttled per address, sign-up reveals no accounts."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from api import create_app
from api.extensions import db
from coordination.models import User, utcnow
from coordination.services import accounts, signin

from .test_pages import csrf_of, post_sign_up, sign_up

RIGHT = "correct horse battery"


class Clock:
    """The accounts and sign-in services' clock, moved forward by the tests."""

    def __init__(self, monkeypatch):
        self.now = utcnow()
        for service in (accounts, signin):
            monkeypatch.setattr(service, "utcnow", lambda: self.now)

    def advance(self, **kwargs) -> None:
        self.now += timedelta(**kwargs)


def _sign_in(client, email="amina@example.org", password=RIGHT):
    token = csrf_of(client.get("/signin").get_data(as_text=True))
    return client.post("/signin", data={"csrf_token": token, "email": email, "password": password})


@pytest.fixture
def account(client):
    """A signed-up account, signed out again."""
    sign_up(client)
    client.post("/signout", data={"csrf_token": csrf_of(client.get("/").get_data(as_text=True))})
    return db.session.query(User).one()


def test_many_wrong_passwords_lock_the_account_even_for_the_right_password(client, account, monkeypatch):
    clock = Clock(monkeypatch)
    assert [_sign_in(client, password=f"wrong guess {i}").status_code for i in range(5)] == [401] * 5
    statuses = [_sign_in(client, password=f"wrong guess {i}").status_code for i in range(35)]
    assert statuses == [429] * 35
    refused = _sign_in(client)  # the right password, after 40 wrong ones
    assert refused.status_code == 429 and "user_id" not in refused.headers.get("Set-Cookie", "")
    assert "Too many failed sign-ins" in refused.get_data(as_text=True)
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert client.get("/initiatives/new").status_code == 302  # not signed in
    clock.advance(seconds=61)
    good = _sign_in(client)
    assert good.status_code == 302 and client.get("/initiatives/new").status_code == 200


def test_each_lock_lasts_longer_and_a_success_starts_afresh(client, account, monkeypatch):
    clock = Clock(monkeypatch)
    waits = []
    for _ in range(3):
        for i in range(5):
            _sign_in(client, password=f"wrong guess {i}")
        waits.append(int(_sign_in(client).headers["Retry-After"]))
        clock.advance(seconds=waits[-1] + 1)
    assert waits == [60, 120, 240]
    assert _sign_in(client).status_code == 302
    client.post("/signout", data={"csrf_token": csrf_of(client.get("/").get_data(as_text=True))})
    assert [_sign_in(client, password="wrong guess").status_code for _ in range(4)] == [401] * 4
    assert _sign_in(client).status_code == 302  # four failures and a success: no lock


def test_failures_spread_beyond_the_window_do_not_lock(client, account, monkeypatch):
    clock = Clock(monkeypatch)
    for _ in range(2):
        for _ in range(4):
            assert _sign_in(client, password="wrong guess").status_code == 401
            clock.advance(minutes=3)
        clock.advance(minutes=16)  # four failures, then a quiet window
    assert _sign_in(client).status_code == 302


def test_an_unknown_address_is_locked_alike_and_other_addresses_are_not_affected(client, account):
    for _ in range(5):
        assert _sign_in(client, email="nobody@example.org", password="wrong guess").status_code == 401
    assert _sign_in(client, email="nobody@example.org", password="wrong guess").status_code == 429
    assert _sign_in(client).status_code == 302  # amina's account is untouched


def test_the_lock_is_shared_by_every_worker(app, client, account):
    for i in range(5):
        _sign_in(client, email="AMINA@example.org ", password=f"wrong guess {i}")
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "SECRET_KEY": "test-secret"})  # another worker process on the same database
    with other.app_context():
        response = _sign_in(other.test_client())
        db.session.remove()
        db.engine.dispose()
    assert response.status_code == 429


def test_signing_up_with_a_registered_address_does_not_say_it_is_registered(client, account):
    response, [notice] = post_sign_up(client, email="Amina@Example.org", org="Another Water Group")
    html = response.get_data(as_text=True)
    assert response.status_code == 200  # as for any address: see test_signup_confirmation
    assert "already registered" not in html and "already exists" not in html and 'id="err-email"' not in html
    assert "We sent a link to amina@example.org to finish signing up." in html
    assert "already has an account" in notice  # told to the address's owner, by e-mail only
    assert db.session.query(User).count() == 1  # and no second organisation or account
    assert client.get("/initiatives/new").status_code == 302  # nobody was signed in
    assert sign_up(client, email="new@example.org", org="Another Water Group").status_code == 302


def test_the_sign_up_form_offers_countries_by_name_and_keeps_the_choice(client):
    page = client.get("/signup").get_data(as_text=True)
    assert '<select id="in-country" name="country"' in page and "two-letter" not in page
    assert '<option value="KE">Kenya</option>' in page and '<option value="SV">El Salvador</option>' in page
    token = csrf_of(page)
    again = client.post("/signup", data={"csrf_token": token, "organisation_name": "", "organisation_type": "22",
                                         "country": "SV", "email": "x@example.org", "password": "short"})
    assert again.status_code == 400  # an error elsewhere: the country stays chosen
    assert re.search(r'<option value="SV"\s+selected>El Salvador</option>', again.get_data(as_text=True))
