"""Nudges people will read: the inbox and the digest bundle overlaps by the organisation's own initiative.

Measured on the demo before: UNICEF had 508 inbox notices, one line each. Now an organisation
sees one bundle per own initiative ("5 efforts overlap with …"), the best few overlaps under
it and the rest one click away; a digest carries at most ten bundles.
"""
from __future__ import annotations

import pytest
from sqlalchemy import delete as db_delete
from sqlalchemy import select as db_select

from coordination.inbox import inbox
from coordination.insights import overlaps_of
from coordination.jobs.digests import send_digests
from coordination.nudges import POLICY, NudgePolicy
from coordination.permissions import Actor
from coordination.services.digest import smtp_settings

from ..factories import (
    BOREHOLES,
    WELLS,
    bearer,
    make_initiative,
    make_organisation,
    make_token,
    recompute,
)
from ..mail import local_smtp
from .test_pages_contacts import PASSWORD, add_user, sign_in, text_of


@pytest.fixture
def crowded(session):
    """One trust's borehole work and five other organisations' well repairs around it."""
    trust = make_organisation(session, name="Kisumu Water Trust")
    mine = make_initiative(session, trust, **BOREHOLES)
    others = [make_initiative(session, make_organisation(session, name=f"Wells Group {n}"),
                              **{**WELLS, "title": f"Repairing community wells in Kisumu, ward {n}"})
              for n in range(1, 6)]
    add_user(session, trust, "amina@trust.example")
    return {"trust": trust, "mine": mine, "others": others}


def test_the_inbox_bundles_by_own_initiative_and_keeps_the_rest_one_click_away(client, session, crowded):
    sign_in(client, "amina@trust.example")
    page = text_of(client.get("/inbox"))
    assert "1 of your initiatives has overlapping efforts, 5 unread" in page
    assert "5 efforts overlap with Borehole rehabilitation, Kisumu County" in page
    assert page.count("Repairing community wells in Kisumu, ward") == POLICY.shown_per_initiative == 3
    assert "Show the other 2 overlapping efforts" in page
    everything = text_of(client.get(f"/inbox?initiative={crowded['mine'].id}"))
    assert everything.count("Repairing community wells in Kisumu, ward") == 5
    assert "Show the other" not in everything and "All your initiatives" in everything


def test_the_rest_api_gives_the_same_bundles(client, session, crowded):
    token = make_token(session, crowded["trust"])
    body = client.get("/api/v1/inbox", headers=bearer(token)).get_json()
    [bundle] = body["by_initiative"]
    assert bundle["initiative"] == {"id": crowded["mine"].id, "title": BOREHOLES["title"]}
    assert (bundle["count"], bundle["unread"], len(bundle["overlaps"]), bundle["more"]) == (5, 5, 3, 2)
    scores = [o["overlap"]["score"] for o in bundle["overlaps"]]
    assert scores == sorted(scores, reverse=True) and bundle["best_score"] == scores[0]
    one = client.get(f"/api/v1/inbox?initiative={crowded['mine'].id}", headers=bearer(token)).get_json()
    assert len(one["by_initiative"][0]["overlaps"]) == 5 and one["by_initiative"][0]["more"] == 0
    assert client.get("/api/v1/inbox?page=0", headers=bearer(token)).status_code == 400


def test_overlaps_below_the_notification_threshold_are_listed_but_do_not_reach_the_inbox(session, crowded):
    actor = Actor(role="member", organisation_id=crowded["trust"].id, label="amina")
    listed = overlaps_of(session, actor, crowded["mine"].id)
    assert len(listed) == 5
    strict = NudgePolicy(notify_threshold=max(o.score for o in listed) + 1e-6)
    assert inbox(session, actor, policy=strict)["by_initiative"] == []
    assert inbox(session, actor)["by_initiative"][0]["count"] == 5


def test_a_digest_carries_at_most_ten_bundles_and_points_to_the_inbox_for_the_rest(app, client, session):
    trust, wells = make_organisation(session, name="Kisumu Water Trust"), make_organisation(session, name="Lake Wells")
    for n in range(12):
        place = {"locations": [{"name": f"Site {n}", "country": "KE", "lat": -0.1 + n * 0.3, "lon": 34.76 + n * 0.3}]}
        make_initiative(session, trust, **{**BOREHOLES, "title": f"Boreholes at site {n:02d}", **place})
        make_initiative(session, wells, **{**WELLS, "title": f"Wells at site {n:02d}", **place})
    admin = make_token(session, trust, "admin")
    client.put("/api/v1/notifications/email", json={"contact_email": "alerts@trust.example"}, headers=bearer(admin))
    with local_smtp(app, "digest@coordination.test") as outbox:
        report = send_digests(session, smtp_settings(app.config), "https://coord.example.org")
        assert report["sent"] == 1
        [(_rcpts, msg)] = outbox.messages
    text = msg.get_body(("plain",)).get_content()
    assert text.count("* 1 effort overlaps with your \"Boreholes at site") == POLICY.digest_initiatives == 10
    assert "2 more of your initiatives have new overlaps: https://coord.example.org/inbox" in text
    assert "12 new overlapping efforts" in msg["Subject"]


@pytest.mark.usefixtures("local_webhooks")
def test_an_overlap_below_the_notification_threshold_raises_no_notice_and_no_webhook(
        client, session, monkeypatch):
    """The platform's threshold (here set above the pair's score) decides what is pushed, in both paths."""
    from coordination import nudges
    from coordination.models import Overlap, OverlapNotice, WebhookDelivery

    trust, wells = make_organisation(session, name="Kisumu Water Trust"), make_organisation(session, name="Lake Wells")
    admin = make_token(session, trust, "admin")
    hook = client.post("/api/v1/webhooks", json={"url": "http://127.0.0.1:9/hook"}, headers=bearer(admin))
    assert hook.status_code == 201, hook.get_json()
    monkeypatch.setattr(nudges, "POLICY", NudgePolicy(notify_threshold=0.99))
    make_initiative(session, trust, **BOREHOLES)
    make_initiative(session, wells, **WELLS)
    session.commit()
    [overlap] = session.scalars(db_select(Overlap)).all()
    assert overlap.active and overlap.score < 0.99
    assert session.scalars(db_select(OverlapNotice)).all() == []
    assert session.scalars(db_select(WebhookDelivery)).all() == []
    session.execute(db_delete(Overlap))
    recompute(session)  # the batch path stores the pair and notifies nobody either
    assert len(session.scalars(db_select(Overlap)).all()) == 1
    assert session.scalars(db_select(OverlapNotice)).all() == []
    monkeypatch.setattr(nudges, "POLICY", NudgePolicy())
    session.execute(db_delete(Overlap))
    recompute(session)
    assert len(session.scalars(db_select(OverlapNotice)).all()) == 2
    assert len(session.scalars(db_select(WebhookDelivery)).all()) == 1  # the trust's hook
