"""The digest run: each subscribed organisation's digest, sent and noted in its own unit of work."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..models import Organisation, utcnow
from ..services.digest import SmtpSettings, active_subscriptions, send_digest
from ..unit_of_work import UnitOfWork


def send_digests(session: Session, settings: SmtpSettings, base_url: str,
                 now: datetime | None = None) -> dict[str, Any]:
    """Send each subscribed organisation its digest; an organisation with nothing new gets nothing."""
    now = now or utcnow()
    report: dict[str, Any] = {"sent": 0, "notices": 0, "nothing_new": 0, "errors": {}}
    for sub in active_subscriptions(session):
        with UnitOfWork(session) as uow:
            outcome, notices = send_digest(session, settings, sub, base_url, now)
            if outcome == "error":
                report["errors"][session.get(Organisation, sub.organisation_id).slug] = sub.last_error
            uow.commit()  # a failed send keeps its noted error
        if outcome == "nothing_new":
            report["nothing_new"] += 1
        elif outcome == "sent":
            report["sent"] += 1
            report["notices"] += notices
    return report
