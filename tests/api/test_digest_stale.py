"""The digest reminds an organisation of its stale initiatives (sent to a local SMTP server)."""
from __future__ import annotations

from datetime import timedelta

from coordination.jobs.digests import send_digests
from coordination.models import Initiative, utcnow
from coordination.services.digest import smtp_settings

from ..factories import bearer, initiative_data, make_organisation, make_token
from .test_digest import _register_overlap, _subscribe, orgs, smtp  # noqa: F401 (fixtures)


def _age(session, initiative_id: int, days: int) -> None:
    initiative = session.get(Initiative, initiative_id)
    initiative.confirmed_at = utcnow() - timedelta(days=days)
    session.commit()


def test_a_digest_lists_the_organisations_stale_initiatives_and_a_reminder_alone_comes_weekly(
        app, client, session, orgs, smtp):  # noqa: F811
    _subscribe(client, orgs["admin_a"], "alerts@kisumu-water.example")
    stale = client.post("/api/v1/initiatives", headers=bearer(orgs["member_a"]),
                        json=initiative_data(title="School latrines <Kondele>")).get_json()
    fresh = client.post("/api/v1/initiatives", headers=bearer(orgs["member_a"]),
                        json=initiative_data(title="Water kiosks in Nyalenda")).get_json()
    _age(session, stale["id"], 240)
    settings, now = smtp_settings(app.config), utcnow()
    report = send_digests(session, settings, "https://coord.example.org", now=now)
    assert report["sent"] == 1  # nothing new but a stale initiative: the reminder goes alone
    [(_rcpts, msg)] = smtp.messages
    assert "1 initiative to confirm" in msg["Subject"]
    text = msg.get_body(("plain",)).get_content()
    assert "School latrines <Kondele> (last confirmed 240 days ago)" in text
    assert f"https://coord.example.org/initiatives/{stale['id']}" in text and fresh["title"] not in text
    assert "Still accurate" in text
    html = msg.get_body(("html",)).get_content()
    assert "School latrines &lt;Kondele&gt;" in html and "<Kondele>" not in html
    # A day later nothing new: no reminder-only digest again within the week.
    assert send_digests(session, settings, "https://x", now=now + timedelta(days=1))["sent"] == 0
    # New overlaps a day later: the digest carries the reminder along with them.
    _register_overlap(client, orgs)
    assert send_digests(session, settings, "https://x", now=utcnow() + timedelta(days=1))["sent"] == 1
    text = smtp.messages[-1][1].get_body(("plain",)).get_content()
    assert "new overlapping effort" in text and "School latrines <Kondele>" in text
    # Confirmed as still accurate: no more reminder.
    assert client.post(f"/api/v1/initiatives/{stale['id']}/confirm",
                       headers=bearer(orgs["member_a"])).status_code == 200
    assert send_digests(session, settings, "https://x", now=utcnow() + timedelta(days=30))["sent"] == 0


def test_another_organisations_stale_work_is_never_in_a_digest(app, client, session, orgs, smtp):  # noqa: F811
    _subscribe(client, orgs["admin_a"], "alerts@kisumu-water.example")
    other = make_organisation(session, name="Other Trust")
    theirs = client.post("/api/v1/initiatives", headers=bearer(make_token(session, other)),
                         json=initiative_data(title="Their old project")).get_json()
    _age(session, theirs["id"], 400)
    assert send_digests(session, smtp_settings(app.config), "https://x")["sent"] == 0
    assert smtp.messages == []
