"""The real unit of work: one commit at the outermost block, a rollback when left without one."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coordination.models import Tag
from coordination.unit_of_work import UnitOfWork, scratch


def _tags(session) -> int:
    return session.scalar(select(func.count()).select_from(Tag))


def test_leaving_the_block_without_commit_rolls_back(session, session_commits):
    with UnitOfWork(session):
        session.add(Tag(key="wash", label="WASH"))
        session.flush()
    assert _tags(session) == 0 and session_commits == []


def test_an_error_inside_the_block_rolls_back_and_propagates(session):
    with pytest.raises(RuntimeError), UnitOfWork(session) as uow:
        session.add(Tag(key="wash", label="WASH"))
        uow.commit()
        session.add(Tag(key="health", label="Health"))
        raise RuntimeError("the door gave up")
    assert {t.key for t in session.scalars(select(Tag))} == {"wash"}


def test_a_joined_block_commits_once_at_the_outermost_level(session, session_commits):
    uow = UnitOfWork(session)
    with uow:
        with uow:  # e.g. the view inside the idempotency wrapper
            session.add(Tag(key="wash", label="WASH"))
            uow.commit()
            assert not uow.committed and session_commits == []
        uow.commit()
    assert uow.committed and len(session_commits) == 1 and _tags(session) == 1


def test_after_commit_work_runs_after_the_commit_and_never_after_a_rollback(session):
    ran = []
    with UnitOfWork(session) as uow:
        uow.after_commit(lambda: ran.append("dropped"))
    with UnitOfWork(session) as uow:
        session.add(Tag(key="wash", label="WASH"))
        uow.after_commit(lambda: ran.append(_tags(session)))
        assert ran == []
        uow.commit()
    assert ran == [1]


def test_scratch_work_is_always_undone(session):
    with UnitOfWork(session) as uow:
        with scratch(session):
            session.add(Tag(key="draft", label="Draft"))
            session.flush()
            assert _tags(session) == 1
        uow.commit()
    assert _tags(session) == 0
