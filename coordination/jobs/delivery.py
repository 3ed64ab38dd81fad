"""The webhook worker's pass: claim due deliveries, then attempt each in its own unit of work."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ..models import utcnow
from ..services.webhook_delivery import TIMEOUT, claim_due, deliver_one
from ..unit_of_work import UnitOfWork


def deliver_due(session: Session, now: datetime | None = None, timeout: float = TIMEOUT,
                allow_private: bool = False, limit: int = 100) -> dict[str, int]:
    """Send every delivery that is due once (the worker's one pass); counts per outcome.

    The claim commits first (another worker then skips these rows); each attempt commits on
    its own, so a crash mid-pass keeps the outcomes already recorded.
    """
    now = now or utcnow()
    counts = {"delivered": 0, "retrying": 0, "failed": 0}
    with UnitOfWork(session) as uow:
        ids = claim_due(session, now, limit)
        uow.commit()
    for delivery_id in ids:
        with UnitOfWork(session) as uow:
            outcome = deliver_one(session, delivery_id, now, timeout, allow_private)
            uow.commit()
        if outcome is not None:
            counts[outcome] += 1
    return counts
