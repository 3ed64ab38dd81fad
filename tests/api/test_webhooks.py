"""Webhooks for overlap notices: queued with the write, signed, retried with backoff, failures visible."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from coordination.jobs.delivery import deliver_due
from coordination.models import WebhookDelivery, utcnow
from coordination.services.webhook_delivery import BACKOFF, MAX_ATTEMPTS

from ..factories import bearer, initiative_data, make_organisation, make_token
from .test_rest_overlaps import BOREHOLES, WELLS


class Receiver:
    """A local HTTP endpoint in a thread that records POSTs and answers `status` (or hangs)."""

    def __init__(self, status: int = 204, hang: bool = False):
        self.status, self.hang, self.requests = status, hang, []
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append((dict(self.headers), body))
                if receiver.hang:
                    receiver.release.wait(30)
                try:
                    self.send_response(receiver.status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass  # the client gave up waiting

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.handle_error = lambda *args: None
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/coordination"

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def receivers(local_webhooks):
    """Start local receivers (the app may call this machine for the test's sake)."""
    started: list[Receiver] = []

    def start(**kwargs) -> Receiver:
        started.append(Receiver(**kwargs))
        return started[-1]
    yield start
    for r in started:
        r.close()


@pytest.fixture
def orgs(session):
    a = make_organisation(session, name="Kisumu Water Trust")
    b = make_organisation(session, name="Lake Basin Wells")
    return {"a": a, "b": b, "admin_a": make_token(session, a, "admin"), "member_a": make_token(session, a),
            "admin_b": make_token(session, b, "admin"), "member_b": make_token(session, b)}


def _register_overlap(client, orgs) -> tuple[dict, dict]:
    first = client.post("/api/v1/initiatives", json=initiative_data(**BOREHOLES), headers=bearer(orgs["member_a"]))
    second = client.post("/api/v1/initiatives", json=initiative_data(**WELLS), headers=bearer(orgs["member_b"]))
    assert first.status_code == second.status_code == 201
    return first.get_json(), second.get_json()


def _add_webhook(client, token, url) -> dict:
    response = client.post("/api/v1/webhooks", json={"url": url}, headers=bearer(token))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _deliveries(session) -> list[WebhookDelivery]:
    session.expire_all()
    return list(session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def test_an_overlap_reaches_the_organisations_webhook_as_a_correctly_signed_post(app, client, session, orgs,
                                                                                 receivers):
    receiver = receivers()
    hook = _add_webhook(client, orgs["admin_a"], receiver.url)
    assert len(hook["secret"]) >= 32
    _first, second = _register_overlap(client, orgs)
    assert receiver.requests == []  # queued with the write, not sent by it
    result = app.test_cli_runner().invoke(args=["deliver"])
    assert result.exit_code == 0 and "1 delivered" in result.output, result.output
    [(headers, body)] = receiver.requests
    expected = "sha256=" + hmac.new(hook["secret"].encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Coordination-Signature"], expected)
    payload = json.loads(body)
    assert headers["X-Coordination-Timestamp"] == str(payload["timestamp"])
    assert abs(payload["timestamp"] - utcnow().timestamp()) < 300
    assert payload["event"] == headers["X-Coordination-Event"] == "overlap.suggested"
    inbox = client.get("/api/v1/inbox", headers=bearer(orgs["member_a"])).get_json()
    assert payload["overlap"]["id"] == inbox["items"][0]["overlap"]["id"]
    assert payload["overlap"]["other"]["id"] == second["id"] and "6.1" in payload["overlap"]["explanation"]
    listed = client.get("/api/v1/webhooks", headers=bearer(orgs["admin_a"])).get_json()["items"]
    assert [h["url"] for h in listed] == [receiver.url] and "secret" not in listed[0]
    assert listed[0]["deliveries"] == {"pending": 0, "delivered": 1, "failed": 0}
    assert app.test_cli_runner().invoke(args=["deliver"]).output == ""  # nothing sent twice


def test_a_failing_receiver_is_retried_with_backoff_then_marked_failed_with_the_error_visible(client, session, orgs,
                                                                                              receivers):
    receiver = receivers(status=500)
    _add_webhook(client, orgs["admin_b"], receiver.url)
    _register_overlap(client, orgs)
    now = utcnow()
    gaps = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert deliver_due(session, now=now, allow_private=True)["delivered"] == 0
        [delivery] = _deliveries(session)
        assert delivery.attempts == attempt and delivery.last_status_code == 500
        if attempt < MAX_ATTEMPTS:
            due = _aware(delivery.next_attempt_at)
            gaps.append(due - now)
            assert deliver_due(session, now=due - timedelta(seconds=1), allow_private=True) == \
                {"delivered": 0, "retrying": 0, "failed": 0}  # not before the backoff is over
            now = due
    assert gaps == list(BACKOFF)
    assert delivery.status == "failed" and len(receiver.requests) == MAX_ATTEMPTS
    assert sum(deliver_due(session, now=now + timedelta(days=1), allow_private=True).values()) == 0
    [hook] = client.get("/api/v1/webhooks", headers=bearer(orgs["admin_b"])).get_json()["items"]
    assert hook["deliveries"]["failed"] == 1 and "HTTP 500" in hook["last_error"]
    shown = hook["recent_deliveries"][0]
    assert (shown["status"], shown["attempts"], shown["last_status_code"]) == ("failed", MAX_ATTEMPTS, 500)


def test_a_hanging_receiver_does_not_hold_up_registration(client, session, orgs, receivers):
    receiver = receivers(hang=True)
    _add_webhook(client, orgs["admin_a"], receiver.url)
    _add_webhook(client, orgs["admin_b"], receiver.url)
    _register_overlap(client, orgs)
    # The registration returned without contacting the receiver: both deliveries wait in the queue.
    assert receiver.requests == []
    assert [(d.status, d.attempts, d.last_attempt_at) for d in _deliveries(session)] == [("pending", 0, None)] * 2
    counts = deliver_due(session, timeout=0.3, allow_private=True)
    assert counts == {"delivered": 0, "retrying": 2, "failed": 0}
    assert all(d.last_error == "timed out after 0.3 s" and d.status == "pending" for d in _deliveries(session))


def test_a_private_address_is_not_called_unless_private_hosts_are_allowed(client, session, orgs, receivers):
    receiver = receivers()
    _add_webhook(client, orgs["admin_a"], receiver.url)
    _register_overlap(client, orgs)
    assert deliver_due(session, allow_private=False)["retrying"] == 1
    assert receiver.requests == [] and "only public hosts" in _deliveries(session)[0].last_error


def test_only_the_organisations_admin_manages_its_webhooks(client, session, orgs, receivers):
    url = receivers().url
    hook = _add_webhook(client, orgs["admin_a"], url)
    for token in (orgs["member_a"], orgs["admin_b"]):
        assert client.post(f"/api/v1/webhooks/{hook['id']}/test", headers=bearer(token)).status_code == 403
        assert client.delete(f"/api/v1/webhooks/{hook['id']}", headers=bearer(token)).status_code == 403
    assert client.get("/api/v1/webhooks", headers=bearer(orgs["member_a"])).status_code == 403
    assert client.post("/api/v1/webhooks", json={"url": url}, headers=bearer(orgs["member_a"])).status_code == 403
    assert client.post("/api/v1/webhooks", json={"url": url, "organisation": orgs["a"].slug},
                       headers=bearer(orgs["admin_b"])).status_code == 403
    assert client.get("/api/v1/webhooks").status_code == 401
    assert client.get("/api/v1/webhooks", headers=bearer(orgs["admin_b"])).get_json()["items"] == []
    platform = make_token(session, None, "admin")
    listed = client.get(f"/api/v1/webhooks?organisation={orgs['a'].slug}", headers=bearer(platform)).get_json()
    assert [h["id"] for h in listed["items"]] == [hook["id"]]
    assert client.delete("/api/v1/webhooks/9999", headers=bearer(orgs["admin_a"])).status_code == 404
    assert client.delete(f"/api/v1/webhooks/{hook['id']}", headers=bearer(orgs["admin_a"])).status_code == 204
    assert client.get("/api/v1/webhooks", headers=bearer(orgs["admin_a"])).get_json()["items"] == []


def test_the_test_button_sends_a_signed_event_now_and_reports_a_failure(client, session, orgs, receivers):
    good, bad = receivers(), receivers(status=500)
    ok = _add_webhook(client, orgs["admin_a"], good.url)
    failing = _add_webhook(client, orgs["admin_a"], bad.url)
    sent = client.post(f"/api/v1/webhooks/{ok['id']}/test", headers=bearer(orgs["admin_a"])).get_json()
    assert sent["status"] == "delivered" and sent["event"] == "webhook.test"
    [(headers, body)] = good.requests
    assert headers["X-Coordination-Signature"] == \
        "sha256=" + hmac.new(ok["secret"].encode(), body, hashlib.sha256).hexdigest()
    failed = client.post(f"/api/v1/webhooks/{failing['id']}/test", headers=bearer(orgs["admin_a"])).get_json()
    assert failed["status"] == "failed" and failed["last_error"] == "HTTP 500 from the receiver"
