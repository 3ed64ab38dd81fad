"""The convergence engine, seen from the pages: overlaps, groups and the inbox, when it exists.

The engine's service layer lands separately; until `coordination.services.overlaps` is
importable every function here returns None and the pages show an empty state saying so.
Results are read tolerantly (objects or dicts) so the pages light up without changes.
"""
from __future__ import annotations

from typing import Any

from coordination.permissions import Actor

from ..extensions import db
from ..unit_of_work import unit_of_work
from .common import optional_module

SERVICE = "coordination.services.overlaps"
SIMILAR_SERVICE = "coordination.services.similar"


def _service(*names: str):
    """The first of `names` that the overlap service provides, or None."""
    module = optional_module(SERVICE)
    if module is None:
        return None
    for name in names:
        fn = getattr(module, name, None)
        if callable(fn):
            return fn
    return None


def field(item: Any, name: str, default: Any = None) -> Any:
    """An attribute or key of a result, whichever the service returns."""
    if isinstance(item, dict):
        return item.get(name, default)
    return getattr(item, name, default)


def available() -> bool:
    """Whether overlap detection is installed."""
    return optional_module(SERVICE) is not None


def _insights():
    return optional_module("coordination.insights")


def overlaps_for(actor: Actor, initiative_id: int) -> list | None:
    """Overlaps of one initiative (with explanation), or None without the engine."""
    insights = _insights()
    if insights is None or not hasattr(insights, "overlaps_of"):
        return None
    return [insights.overlap_to_dict(row, viewpoint=initiative_id, actor=actor)
            for row in insights.overlaps_of(db.session, actor, initiative_id)]


def decide(actor: Actor, overlap_id: int, status: str):
    """Confirm, dismiss or mark as coordinating; None without the engine."""
    fn = _service("decide_overlap")
    if fn is None:
        return None
    with unit_of_work() as uow:
        row = fn(uow.session, actor, overlap_id, status)
        uow.commit()
    return row


def groups(actor: Actor, goal: str | None = None) -> list | None:
    """Convergence groups (optionally for a goal), or None without the engine."""
    insights = _insights()
    if insights is None or not hasattr(insights, "groups_for"):
        return None
    from coordination.queries import InitiativeFilter

    from .. import analytics
    return list(analytics.groups_for(actor, InitiativeFilter(goal=goal) if goal else InitiativeFilter()))


def similar_before_save(actor: Actor, data: dict, initiative_id: int | None = None,
                        partial: bool = False) -> list | None:
    """The engine's overlaps for an unsaved initiative (best first), or None to use the simple query.

    `coordination.services.similar.similar_to_draft` scores the draft against the overlap
    index exactly as a saved initiative would be; an empty list means the engine found no
    overlap and is final (the simple query is only for platforms without the engine).
    ValidationError propagates: the draft would not save either.
    """
    module = optional_module(SIMILAR_SERVICE)
    fn = getattr(module, "similar_to_draft", None) if module is not None else None
    if callable(fn):
        return list(fn(db.session, actor, data, initiative_id=initiative_id, partial=partial))
    fn = _service("similar_to_draft", "similar_initiatives", "preview_overlaps")
    return list(fn(db.session, actor, data)) if fn else None
