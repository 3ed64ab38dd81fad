"""Two writers at the same moment both succeed: the races the load test found, made deterministic.

Each test holds one transaction open while a second one runs in a thread, the interleaving
that concurrent requests produce under gunicorn. Both were real failures (a
500 on the tag race, an immediate 'database is locked' on SQLite) before the fixes in
coordination/services/tags.py and api/sqlite.py (attached here as the app attaches it).
"""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from coordination.models import Tag
from coordination.services.tags import tag_for_label

from ..backends import app_engine, postgres_url, reset_postgres, sqlite_url


def run_beside(work, wait: float = 1.0) -> tuple[threading.Thread, dict]:
    """Start `work()` in a thread and give it `wait` seconds; its result or error lands in the dict."""
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["result"] = work()
        except Exception as err:  # noqa: BLE001 - the test reports whatever the second writer hit
            outcome["error"] = err

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(wait)
    return thread, outcome


@pytest.mark.postgres
def test_two_registrations_introducing_the_same_new_tag_at_once_both_succeed_on_postgresql():
    url = postgres_url()
    reset_postgres(url)
    engine = create_engine(url)
    first, second = Session(engine), Session(engine)
    try:
        tag_for_label(first, "Beekeeping cooperatives")  # inserted, not yet committed

        def second_writer():
            tag = tag_for_label(second, "Beekeeping cooperatives")  # waits on the unique index
            second.commit()
            return tag.key

        thread, outcome = run_beside(second_writer)
        first.commit()
        thread.join(20)
        assert "error" not in outcome, repr(outcome.get("error"))
        with Session(engine) as check:
            assert len(check.scalars(select(Tag).where(Tag.key == outcome["result"])).all()) == 1
    finally:
        first.close()
        second.close()
        engine.dispose()


def test_two_writers_on_sqlite_wait_for_each_other_instead_of_failing(tmp_path):
    engine = app_engine(sqlite_url(tmp_path), connect_args={"check_same_thread": False})
    first, second = Session(engine), Session(engine)
    try:
        first.scalar(select(Tag.id).limit(1))  # a request's reads (token, goals) come first

        def second_writer():
            tag_for_label(second, "Water")
            second.commit()

        thread, outcome = run_beside(second_writer)
        tag_for_label(first, "Health")
        first.commit()
        thread.join(20)
        assert "error" not in outcome, repr(outcome.get("error"))
        with Session(engine) as check:
            assert {"water", "health"} <= set(check.scalars(select(Tag.key)))
    finally:
        first.close()
        second.close()
        engine.dispose()
