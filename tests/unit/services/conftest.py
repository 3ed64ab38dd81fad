"""Services without Flask: an in-memory SQLite session and a fake unit of work (cosmicpython style)."""
from __future__ import annotations

from typing import Self

import pytest
from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from coordination.models import Base
from coordination.services.visions import ensure_sdg_vision


class FakeUnitOfWork:
    """Stands in for `coordination.unit_of_work.UnitOfWork`: same session, but it only records.

    `commits` counts the door's commits; `writes` lists the follow-up work the services asked
    for (`after_write`) instead of running overlap detection.
    """

    def __init__(self, session: Session, detect_overlaps: bool = True) -> None:
        self.session = session
        self.detect_overlaps = detect_overlaps
        self.commits = 0
        self.writes: list[tuple[int, str]] = []

    @property
    def committed(self) -> bool:
        return self.commits > 0

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if not self.committed:
            self.session.rollback()

    def commit(self) -> None:
        self.commits += 1
        self.session.commit()

    def after_write(self, initiative, action: str) -> None:
        self.writes.append((initiative.id, action))

    def after_commit(self, work) -> None:
        raise AssertionError("not expected in these services")

    def savepoint(self):
        return self.session.begin_nested()


@pytest.fixture
def session_commits() -> list[object]:
    """Every real COMMIT the database received (not savepoint releases), whoever made it."""
    return []


@pytest.fixture
def session(session_commits):
    """A session on a fresh in-memory database with the schema and the SDG vision."""
    engine = create_engine("sqlite://", poolclass=StaticPool, connect_args={"isolation_level": None})
    event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))  # savepoints nest (pysqlite)
    Base.metadata.create_all(engine)
    with Session(engine) as setup:
        ensure_sdg_vision(setup)
        setup.commit()
    event.listen(engine, "commit", session_commits.append)
    with Session(engine) as session:
        yield session
    engine.dispose()


@pytest.fixture
def uow(session):
    """A fake unit of work on the in-memory session."""
    return FakeUnitOfWork(session)
