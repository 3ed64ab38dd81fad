"""Idempotency-Key: a retried POST returns the first response and writes nothing; a reused key is refused."""
from __future__ import annotations

from sqlalchemy import func, select

from api.idempotency import request_fingerprint
from api.models import IdempotencyKey
from coordination.models import ApiToken, Change, Initiative

from ..factories import bearer, initiative_data, make_organisation, make_token
from .test_graphql import REGISTER, graphql_input


def _count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def test_a_retried_rest_post_returns_the_same_201_and_writes_nothing(client, session):
    token = make_token(session, make_organisation(session))
    headers = {**bearer(token), "Idempotency-Key": "retry-1"}
    first = client.post("/api/v1/initiatives", json=initiative_data(), headers=headers)
    assert first.status_code == 201
    writes = (_count(session, Initiative), _count(session, Change))
    again = client.post("/api/v1/initiatives", json=initiative_data(), headers=headers)
    assert again.status_code == 201
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert (_count(session, Initiative), _count(session, Change)) == writes
    assert writes[0] == 1


def test_the_same_key_with_another_body_is_refused_with_422(client, session):
    token = make_token(session, make_organisation(session))
    headers = {**bearer(token), "Idempotency-Key": "retry-2"}
    assert client.post("/api/v1/initiatives", json=initiative_data(), headers=headers).status_code == 201
    other = client.post("/api/v1/initiatives", json=initiative_data(title="Something else"), headers=headers)
    assert other.status_code == 422
    assert other.get_json()["error"]["fields"]["Idempotency-Key"]
    assert _count(session, Initiative) == 1


def test_keys_belong_to_one_token_so_another_caller_may_use_the_same_key(client, session):
    org = make_organisation(session)
    one, two = make_token(session, org), make_token(session, org)
    for token in (one, two):
        response = client.post("/api/v1/initiatives", json=initiative_data(),
                               headers={**bearer(token), "Idempotency-Key": "shared"})
        assert response.status_code == 201
    assert _count(session, Initiative) == 2


def test_a_failed_request_does_not_use_up_its_key(client, session):
    token = make_token(session, make_organisation(session))
    headers = {**bearer(token), "Idempotency-Key": "retry-3"}
    bad = client.post("/api/v1/initiatives", json=initiative_data(goals=["99.9"]), headers=headers)
    assert bad.status_code == 400
    assert _count(session, IdempotencyKey) == 0
    good = client.post("/api/v1/initiatives", json=initiative_data(), headers=headers)
    assert good.status_code == 201


def test_a_key_still_in_progress_is_a_409_and_a_bad_key_a_400(client, session):
    token = make_token(session, make_organisation(session))
    token_id = session.scalar(select(ApiToken.id))
    with client.application.test_request_context("/api/v1/initiatives", method="POST", json=initiative_data()):
        fingerprint = request_fingerprint()
    session.add(IdempotencyKey(actor_key=f"token:{token_id}", key="busy", request_hash=fingerprint))
    session.commit()
    busy = client.post("/api/v1/initiatives", json=initiative_data(),
                       headers={**bearer(token), "Idempotency-Key": "busy"})
    assert busy.status_code == 409
    bad = client.post("/api/v1/initiatives", json=initiative_data(),
                      headers={**bearer(token), "Idempotency-Key": "x" * 300})
    assert bad.status_code == 400
    assert _count(session, Initiative) == 0


def test_a_retried_graphql_registration_returns_the_same_initiative(client, session):
    token = make_token(session, make_organisation(session))
    body = {"query": REGISTER, "variables": {"input": graphql_input()}}
    headers = {**bearer(token), "Idempotency-Key": "gql-1"}
    first = client.post("/graphql", json=body, headers=headers)
    again = client.post("/graphql", json=body, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.get_json() == first.get_json()
    assert _count(session, Initiative) == 1
    changed = {"query": REGISTER, "variables": {"input": graphql_input(title="Other")}}
    refused = client.post("/graphql", json=changed, headers=headers)
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["extensions"]["code"] == "unprocessable"
    assert _count(session, Initiative) == 1


def _die_after_the_write(monkeypatch) -> None:
    """The process dies right after the request's commit, before it can answer."""
    from coordination.unit_of_work import UnitOfWork

    commit = UnitOfWork.commit

    def crash(uow):
        commit(uow)
        if uow.committed:  # the real commit (a joined unit's commit only marks its part done)
            raise RuntimeError("worker killed after the commit")

    monkeypatch.setattr(UnitOfWork, "commit", crash)


def test_a_retry_after_a_crash_past_the_commit_gets_the_written_initiative_not_a_stuck_409(
        client, session, monkeypatch):
    token = make_token(session, make_organisation(session))
    headers = {**bearer(token), "Idempotency-Key": "crash-1"}
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    with monkeypatch.context() as patch:
        _die_after_the_write(patch)
        lost = client.post("/api/v1/initiatives", json=initiative_data(), headers=headers)
    assert lost.status_code == 500
    assert _count(session, Initiative) == 1  # the write itself committed
    again = client.post("/api/v1/initiatives", json=initiative_data(), headers=headers)
    assert again.status_code == 201, again.get_json()
    written = session.scalar(select(Initiative.id))
    assert again.get_json()["id"] == written
    assert again.headers["Location"].endswith(f"/initiatives/{written}")
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count(session, Initiative) == 1
    other = client.post("/api/v1/initiatives", json=initiative_data(title="Another"), headers=headers)
    assert other.status_code == 422  # the key still belongs to the first body


def test_a_graphql_retry_after_a_crash_past_the_commit_gets_the_answer_naming_what_was_written(
        client, session, monkeypatch):
    token = make_token(session, make_organisation(session))
    body = {"query": REGISTER, "variables": {"input": graphql_input()}}
    headers = {**bearer(token), "Idempotency-Key": "crash-2"}
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    with monkeypatch.context() as patch:
        _die_after_the_write(patch)
        assert client.post("/graphql", json=body, headers=headers).status_code == 500
    again = client.post("/graphql", json=body, headers=headers)
    # The response was stored in the write's own commit: the retry gets it, naming the initiative written.
    written = session.scalar(select(Initiative.id))
    assert "errors" not in again.get_json()
    assert again.get_json()["data"]["registerInitiative"]["id"] == str(written)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count(session, Initiative) == 1


def test_an_idempotent_post_commits_the_write_its_key_and_its_response_once(client, session):
    from sqlalchemy import event

    from api.extensions import db

    token = make_token(session, make_organisation(session))
    pending: dict[int, list[str]] = {}
    committed: list[list[str]] = []

    def seen(connection, cursor, statement, parameters, context, executemany) -> None:
        pending.setdefault(id(connection), []).append(statement.lower())

    def count(connection) -> None:
        committed.append(pending.pop(id(connection), []))

    event.listen(db.engine, "before_cursor_execute", seen)
    event.listen(db.engine, "commit", count)
    try:
        first = client.post("/api/v1/initiatives", json=initiative_data(),
                            headers={**bearer(token), "Idempotency-Key": "once-1"})
    finally:
        event.remove(db.engine, "commit", count)
        event.remove(db.engine, "before_cursor_execute", seen)
    assert first.status_code == 201
    # Other short transactions may commit on their own connection (PostgreSQL's shared rate
    # limiter buckets); exactly one commit carries the write, and it carries the key too.
    writing = [statements for statements in committed
               if any("initiative" in s and s.startswith("insert") for s in statements)
               or any("idempotency_key" in s and not s.startswith("select") for s in statements)]
    assert len(writing) == 1
    assert any(s.startswith("insert into initiative ") for s in writing[0])
    assert any("idempotency_key" in s and not s.startswith("select") for s in writing[0])
    session.expire_all()
    stored = session.scalar(select(IdempotencyKey).where(IdempotencyKey.key == "once-1"))
    assert stored.status == 201 and str(first.get_json()["id"]) in stored.body
