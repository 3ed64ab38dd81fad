"""A test app runs with production's protections: TESTING turns none of them off.

Tests that need a local webhook receiver turn that protection off for themselves (the
`local_webhooks` fixture), so the rest see what production does.
"""
from __future__ import annotations

import logging
import time

from ..factories import bearer, make_organisation, make_token


def test_a_test_app_refuses_a_webhook_to_this_machine(app, client, session):
    assert app.config["TESTING"] and "WEBHOOK_ALLOW_PRIVATE" not in app.config
    admin = make_token(session, make_organisation(session), "admin")
    response = client.post("/api/v1/webhooks", json={"url": "http://127.0.0.1:9/hook"}, headers=bearer(admin))
    assert response.status_code == 400
    assert "only public hosts" in response.get_json()["error"]["fields"]["url"][0]


def test_a_test_app_limits_a_burst_of_requests(app, client):
    """A burst of analyses from one address: its bucket (20 a minute by default) runs dry, then 429."""
    assert app.config["TESTING"] and app.config["RATE_LIMIT_ENABLED"]
    allowed, period = (int(n) for n in app.config["RATE_LIMIT_ANALYTICS_PER_ADDRESS"].split("/"))
    statuses: list[int] = []
    started = time.monotonic()
    while len(statuses) < 3 * allowed and 429 not in statuses:
        statuses.append(client.get("/api/v1/network").status_code)
    refilled = (time.monotonic() - started) * allowed / period  # the bucket refills as the burst goes
    assert statuses[-1] == 429 and set(statuses[:-1]) == {200}
    assert allowed <= len(statuses) - 1 <= allowed + refilled + 1


def test_a_test_app_logs_each_request(client, caplog):
    with caplog.at_level(logging.INFO, logger="api"):
        client.get("/api/v1/goals/6")
    assert [(r.method, r.path, r.status) for r in caplog.records if hasattr(r, "path")] == [
        ("GET", "/api/v1/goals/6", 200)]


def test_an_app_runs_numpy_on_one_blas_thread_and_collects_young_garbage_less_often(app):
    """Web workers share the cores: one BLAS thread each, and the collector's thresholds raised
    (a kept analytics state holds millions of long-lived objects)."""
    import gc

    from threadpoolctl import threadpool_info

    assert app.config["BLAS_THREADS"] == 1
    blas = [lib for lib in threadpool_info() if lib["user_api"] == "blas"]
    assert blas and all(lib["num_threads"] == 1 for lib in blas)
    assert gc.get_threshold() == tuple(int(x) for x in app.config["GC_THRESHOLDS"].split(","))
    assert gc.get_threshold()[0] > 700
