"""Operations: /healthz, /metrics, a clean 503 when the database goes away, restore, and logs without secrets."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import create_engine, event, text

from api.extensions import db

from ..factories import bearer, initiative_data, make_initiative, make_organisation, make_token


def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_metrics_count_requests_by_status_latency_and_initiatives(client, session):
    make_initiative(session, make_organisation(session))
    client.get("/api/v1/initiatives")
    client.get("/api/v1/initiatives/999")
    body = client.get("/metrics").get_data(as_text=True)
    assert 'coordination_http_requests_total{method="GET",status="200"}' in body
    assert 'coordination_http_requests_total{method="GET",status="404"}' in body
    assert 'coordination_http_request_duration_seconds_bucket{le="+Inf"} ' in body
    assert "coordination_initiatives 1\n" in body


@pytest.mark.postgres
@pytest.mark.parametrize("app", ["postgres"], indirect=True)  # terminating server connections
def test_a_database_that_goes_away_gives_503_and_the_next_request_recovers(app, client):
    assert db.engine.dialect.name == "postgresql"
    assert client.get("/api/v1/initiatives").status_code == 200
    killer = create_engine(db.engine.url, isolation_level="AUTOCOMMIT")
    restarted: list[str] = []

    def restart_the_server_once(_conn, _cursor, statement: str, *_args) -> None:
        """The server drops every connection (a restart) just as the request sends its first query."""
        if restarted or "rate_limit_bucket" in statement:
            return
        with killer.connect() as conn:
            restarted.append(statement)
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = current_database() AND pid <> pg_backend_pid()"))

    event.listen(db.engine, "before_cursor_execute", restart_the_server_once)
    try:
        mid_request = client.get("/api/v1/initiatives")  # it loses its connection mid-way
    finally:
        event.remove(db.engine, "before_cursor_execute", restart_the_server_once)
        killer.dispose()
    assert restarted
    assert mid_request.status_code == 503
    assert mid_request.get_json()["error"]["code"] == "unavailable"
    assert client.get("/api/v1/initiatives").status_code == 200  # pool_pre_ping replaced the dead ones
    engines = db._app_engines[app]  # point the app at a stopped server
    original = engines[None]
    stopped = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/gone", connect_args={"connect_timeout": 1})
    db.session.remove()
    engines[None] = stopped
    try:
        down = client.get("/api/v1/initiatives")
        assert down.status_code == 503
        assert down.get_json()["error"]["code"] == "unavailable"
        assert down.headers["Retry-After"] == "5"
        assert client.get("/healthz").status_code == 503
    finally:
        db.session.remove()
        engines[None] = original
        stopped.dispose()
    assert client.get("/api/v1/initiatives").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_a_platform_admin_restores_a_withdrawn_initiative_recorded_in_history(client, session):
    org = make_organisation(session)
    member, admin = make_token(session, org), make_token(session, None, role="admin")
    created = client.post("/api/v1/initiatives", json=initiative_data(), headers=bearer(member)).get_json()
    url = f"/api/v1/initiatives/{created['id']}"
    assert client.delete(url, headers=bearer(member)).status_code == 200
    assert client.post(f"{url}/restore", headers=bearer(member)).status_code == 403
    restored = client.post(f"{url}/restore", headers=bearer(admin))
    assert restored.status_code == 200
    assert restored.get_json()["withdrawn"] is False
    assert client.get("/api/v1/initiatives").get_json()["total"] == 1
    actions = [c["action"] for c in client.get(f"{url}/history", headers=bearer(admin)).get_json()["items"]]
    assert actions == ["create", "withdraw", "restore"]
    assert client.post(f"{url}/restore", headers=bearer(admin)).status_code == 409  # not withdrawn now


def test_graphql_restore_initiative_needs_a_platform_admin(client, session):
    org = make_organisation(session)
    initiative = make_initiative(session, org)
    admin = make_token(session, None, role="admin")
    mutation = "mutation($id: ID!) { %s(id: $id) { id withdrawn } }"
    client.post("/graphql", json={"query": mutation % "withdrawInitiative", "variables": {"id": initiative.id}},
                headers=bearer(admin))
    as_member = client.post("/graphql", json={"query": mutation % "restoreInitiative",
                                              "variables": {"id": initiative.id}}, headers=bearer(make_token(session, org)))
    assert as_member.get_json()["errors"][0]["extensions"]["code"] == "forbidden"
    body = client.post("/graphql", json={"query": mutation % "restoreInitiative", "variables": {"id": initiative.id}},
                       headers=bearer(admin)).get_json()
    assert body["data"]["restoreInitiative"]["withdrawn"] is False


def test_logs_never_contain_tokens_or_cookies(app, client, session, caplog):
    app.config["LOG_FORMAT"] = "json"
    token = make_token(session, make_organisation(session))
    with caplog.at_level(logging.INFO):
        client.get("/api/v1/initiatives", headers={**bearer(token), "Cookie": "session=s3cret-cookie"})
        client.get("/api/v1/initiatives", headers=bearer("cp_not-a-real-token-123"))
        app.logger.warning("client sent Authorization: Bearer %s", token)
    text_logged = caplog.text + " ".join(r.getMessage() for r in caplog.records)
    assert "/api/v1/initiatives" in text_logged
    assert token not in text_logged and token[3:] not in text_logged
    assert "s3cret-cookie" not in text_logged and "not-a-real-token" not in text_logged
