"""Reads behind one convergence group's page: its member initiatives and its allies' titles."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..models import Initiative
from ..permissions import Actor
from ..queries import visible_to


def group_members(session: Session, actor: Actor, ids) -> list[Initiative]:
    """The readable initiatives among `ids` with organisation and places, by title."""
    return list(session.scalars(
        visible_to(actor, select(Initiative)).where(Initiative.id.in_(ids))
        .options(selectinload(Initiative.organisation), selectinload(Initiative.locations))
        .order_by(Initiative.title, Initiative.id)))


def titles_of(session: Session, actor: Actor, ids) -> dict[int, str]:
    """Title of each readable initiative among `ids`."""
    if not ids:
        return {}
    return dict(session.execute(visible_to(actor, select(Initiative.id, Initiative.title))
                                .where(Initiative.id.in_(ids))).all())
