"""E-mail digests of overlap notices, sent to a local SMTP server started by the test."""
from __future__ import annotations

import pytest

from ..factories import bearer, initiative_data, make_organisation, make_token
from ..mail import smtp_fixture
from .test_rest_overlaps import BOREHOLES, WELLS


smtp = smtp_fixture("smtp", "digest@coordination.test", "A local SMTP server the app is configured to send through.")


@pytest.fixture
def orgs(session):
    a = make_organisation(session, name="Kisumu Water Trust")
    b = make_organisation(session, name="Lake Basin <Wells> & Co")
    c = make_organisation(session, name="Quiet Org")
    return {"a": a, "b": b, "admin_a": make_token(session, a, "admin"), "member_a": make_token(session, a),
            "admin_b": make_token(session, b, "admin"), "member_b": make_token(session, b),
            "admin_c": make_token(session, c, "admin")}


def _subscribe(client, token, email):
    response = client.put("/api/v1/notifications/email", json={"contact_email": email}, headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _register_overlap(client, orgs):
    first = client.post("/api/v1/initiatives", json=initiative_data(**BOREHOLES), headers=bearer(orgs["member_a"]))
    second = client.post("/api/v1/initiatives", json=initiative_data(
        **dict(WELLS, title="Wells <repair> & training")), headers=bearer(orgs["member_b"]))
    return first.get_json(), second.get_json()


def test_each_organisation_gets_one_digest_of_its_new_overlaps_and_a_second_run_sends_nothing(
        app, client, orgs, smtp):
    _subscribe(client, orgs["admin_a"], "alerts@kisumu-water.example")
    _subscribe(client, orgs["admin_b"], "team@lakebasin.example")
    _subscribe(client, orgs["admin_c"], "hello@quiet.example")
    first, second = _register_overlap(client, orgs)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["digest", "--base-url", "https://coord.example.org"])
    assert result.exit_code == 0, result.output
    assert "2 digests sent" in result.output and "nothing new for 1 organisation(s)" in result.output
    by_recipient = {tuple(rcpts): msg for rcpts, msg in smtp.messages}
    assert set(by_recipient) == {("alerts@kisumu-water.example",), ("team@lakebasin.example",)}
    msg = by_recipient[("alerts@kisumu-water.example",)]
    assert msg["From"] == "digest@coordination.test" and "1 new overlapping effort" in msg["Subject"]
    text = msg.get_body(("plain",)).get_content()
    explanation = client.get(f"/api/v1/initiatives/{first['id']}/overlaps").get_json()["items"][0]["explanation"]
    assert "Wells <repair> & training" in text and explanation in text
    assert f"https://coord.example.org/initiatives/{second['id']}" in text
    html = msg.get_body(("html",)).get_content()
    assert "Wells &lt;repair&gt; &amp; training" in html and "<repair>" not in html
    assert f'href="https://coord.example.org/initiatives/{second["id"]}"' in html
    assert "Lake Basin &lt;Wells&gt; &amp; Co" in html
    again = runner.invoke(args=["digest"])
    assert again.exit_code == 0 and "0 digests sent" in again.output and len(smtp.messages) == 2


def test_a_digest_leaves_out_notices_already_read_and_includes_new_ones_later(app, client, session, orgs, smtp):
    from coordination.jobs.digests import send_digests
    from coordination.services.digest import smtp_settings

    _subscribe(client, orgs["admin_a"], "alerts@kisumu-water.example")
    _register_overlap(client, orgs)
    client.post("/api/v1/inbox/read", headers=bearer(orgs["member_a"]))
    settings = smtp_settings(app.config)
    assert send_digests(session, settings, "http://x")["sent"] == 0
    client.post("/api/v1/initiatives", headers=bearer(orgs["member_b"]), json=initiative_data(
        **dict(WELLS, title="Hand pump repairs in Kisumu")))
    report = send_digests(session, settings, "http://x")
    assert report["sent"] == 1 and report["notices"] == 1
    [(_rcpts, msg)] = smtp.messages
    assert "Hand pump repairs in Kisumu" in msg.get_body(("plain",)).get_content()


def test_without_smtp_the_digest_command_says_what_to_configure(app, client, orgs, monkeypatch):
    monkeypatch.delenv("SMTP_HOST", raising=False)
    result = app.test_cli_runner().invoke(args=["digest"])
    assert result.exit_code == 2 and "SMTP_HOST" in result.output


def test_only_the_organisations_admin_sets_the_digest_address_and_it_must_be_an_address(client, orgs):
    put = "/api/v1/notifications/email"
    assert client.put(put, json={"contact_email": "x@y.example"}, headers=bearer(orgs["member_a"])).status_code == 403
    assert client.put(put, json={"contact_email": "x@y.example", "organisation": orgs["a"].slug},
                      headers=bearer(orgs["admin_b"])).status_code == 403
    for bad in ("not-an-address", "a@b.example\r\nBcc: evil@example.org", "", None):
        response = client.put(put, json={"contact_email": bad}, headers=bearer(orgs["admin_a"]))
        assert response.status_code == 400 and "contact_email" in response.get_json()["error"]["fields"]
    assert _subscribe(client, orgs["admin_a"], "alerts@kisumu-water.example")["contact_email"] == \
        "alerts@kisumu-water.example"
    assert client.get(put, headers=bearer(orgs["admin_a"])).get_json()["contact_email"] == "alerts@kisumu-water.example"
    assert client.delete(put, headers=bearer(orgs["admin_a"])).status_code == 204
    assert client.get(put, headers=bearer(orgs["admin_a"])).get_json()["contact_email"] is None
