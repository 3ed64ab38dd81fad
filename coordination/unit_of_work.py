"""The unit of work: one transaction, opened by a door, in which services do their work.

A door (a REST or GraphQL handler, a page's POST, a CLI command) opens one::

    with UnitOfWork(db.session) as uow:
        initiative = register_initiative(uow, actor, data)
        uow.commit()

Services take the unit of work (or its session) and never commit or roll back: the door
decides. Leaving the block without `commit()` (an exception, or a door that changed its
mind) rolls everything back. Follow-up work is explicit on the unit of work:

- `after_write(initiative, action)`: overlap detection (with its inbox notices and queued
  webhook deliveries) runs at once, in the same transaction, so the answer already shows
  the overlaps; a bulk load opens its units with `detect_overlaps=False` and runs the batch
  recomputation once at the end instead.
- `after_commit(fn)`: work that must only happen once the data is durable (installing a
  rebuilt overlap index); it runs right after the commit, never after a rollback.

Opening the same unit again inside its block joins it: the inner `commit()` leaves the real
commit to the outermost block (the idempotency wrapper stores the response that way, in the
same commit as the write).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Self, TypeVar

from sqlalchemy import text
from sqlalchemy.orm import Session, SessionTransaction

if TYPE_CHECKING:
    from .models import Initiative
    from .services.notify import WebhookQueue

T = TypeVar("T")
OVERLAP_LOCK = 0x0C00_0F0E  # the advisory-lock key of overlap detection (`UnitOfWork.lock_overlaps`)


class UnitOfWork:
    """One transaction on a SQLAlchemy session, with the work that follows a write."""

    def __init__(self, session: Session, detect_overlaps: bool = True) -> None:
        self.session = session
        self.detect_overlaps = detect_overlaps
        self.committed = False
        self._depth = 0
        self._after_commit: list[Callable[[], None]] = []
        self._index_touched = False
        self._webhooks: WebhookQueue | None = None  # active webhooks, read once per transaction

    def __enter__(self) -> Self:
        if self._depth == 0:
            self.committed = False
        self._depth += 1
        return self

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        self._depth -= 1
        if self._depth == 0 and (exc_type is not None or not self.committed):
            self.rollback()  # an error after a commit still drops what came after it

    def commit(self) -> None:
        """Make the work durable (at the outermost block), then run the after-commit work."""
        if self._depth > 1:
            return  # joined: the outermost block commits
        self.session.commit()
        self.committed, self._index_touched, self._webhooks = True, False, None
        pending, self._after_commit = self._after_commit, []
        for work in pending:
            work()

    def commit_answer(self, answer: Callable[[], T]) -> T:
        """Flush, work out `answer()`, then commit; return the answer.

        After the flush the session holds exactly what the commit makes durable (ids, defaults
        and timestamps included: they are all set in Python), so an answer worked out then is
        what was committed — without loading every row again, as reading the objects after
        the commit (which expires them) would. If the commit fails the answer is dropped.
        """
        self.session.flush()
        result = answer()
        self.commit()
        return result

    def rollback(self) -> None:
        """Forget everything since the last commit (an overlap index it changed is rebuilt on next use)."""
        self.session.rollback()
        self._after_commit.clear()
        self._webhooks = None
        if self._index_touched:
            from .services import overlap_index

            overlap_index.forget(self.session)
            self._index_touched = False

    def after_write(self, initiative: Initiative, action: str) -> None:
        """An initiative was created, updated, withdrawn or restored: refresh its overlaps now.

        `action` is create|update|withdraw. Nothing happens in a bulk load (`detect_overlaps`
        off): it recomputes every overlap once at the end.
        """
        if not self.detect_overlaps:
            return
        from .services.notify import WebhookQueue
        from .services.overlaps import detect_for

        if self._webhooks is None:
            self._webhooks = WebhookQueue(self.session)
        self.lock_overlaps()
        self._index_touched = True  # the process-wide index changes before the commit
        detect_for(self.session, initiative, action, self._webhooks)

    def after_writes(self, initiatives: list[Initiative]) -> None:
        """Many initiatives were updated at once (a merge): refresh their overlaps together, as
        `after_write` of each would (`overlaps.detect_for_many`)."""
        if not self.detect_overlaps or not initiatives:
            return
        from .services.notify import WebhookQueue
        from .services.overlaps import detect_for_many

        if self._webhooks is None:
            self._webhooks = WebhookQueue(self.session)
        self.lock_overlaps()
        self._index_touched = True  # the process-wide index changes before the commit
        detect_for_many(self.session, initiatives, self._webhooks)

    def lock_overlaps(self) -> None:
        """Hold the database's overlap-detection lock until this transaction ends.

        Detection reads the other initiatives from the process-wide index, which a write
        changes before its commit, and writes overlap rows that point at them. Two writers
        detecting at once would each miss the other's uncommitted initiative (two processes),
        or point at a row not yet committed (two threads of one process: a foreign-key error).
        So detection and the commit after it run one transaction at a time per database: a
        PostgreSQL transaction-level advisory lock (released by the commit or rollback; taking it
        again inside the same transaction is free). On SQLite a write transaction already holds
        the database's only write lock (`BEGIN IMMEDIATE`, api/sqlite.py).
        """
        if self.session.get_bind().dialect.name == "postgresql":
            # Without autoflush: the write's change-log row is inserted once the lock is held, so
            # among writes that detect overlaps its id (a sequence) follows their commit order,
            # the order other processes catch up in (`overlap_index.current_index`).
            with self.session.no_autoflush:
                self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": OVERLAP_LOCK})

    def after_commit(self, work: Callable[[], None]) -> None:
        """Run `work` once this unit has committed (dropped if it rolls back)."""
        self._after_commit.append(work)

    def savepoint(self) -> SessionTransaction:
        """A savepoint inside the transaction: `with uow.savepoint():` keeps or drops one record."""
        return self.session.begin_nested()


@contextmanager
def scratch(session: Session) -> Iterator[None]:
    """Work that is never kept (a draft scored as if it were saved): a savepoint always undone."""
    savepoint = session.begin_nested()
    try:
        yield
    finally:
        savepoint.rollback()
