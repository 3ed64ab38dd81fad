"""Evaluating overlap detection end to end: labelled pairs registered as any user would.

Every side of every pair is registered through `register_initiative` as a bulk import
does (its organisation found or created from its name, its places checked leniently), the batch
(`recompute_all`) runs once, and a pair counts as found when an active stored overlap
(kind overlap or duplicate) links its two initiatives. Pairs share one database: the engine
scores with a frozen model, so a pair's score and candidacy are functions of the pair alone,
and overlaps across pairs are simply not looked at. The raw score of every pair (found or
not) comes from `score_pair` on the records the engine reads, for the score distribution.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..convergence import score_pair
from ..convergence.evaluation_pairs import Outcome, initiative_input
from ..errors import ValidationError
from ..models import Initiative, Overlap
from ..permissions import SYSTEM
from ..records import InitiativeRecord
from . import overlap_index
from .initiatives import register_initiative
from .stored_records import record_from_initiative

if TYPE_CHECKING:
    from ..unit_of_work import UnitOfWork


def register_side(uow: UnitOfWork, side: dict[str, Any], pair_id: str) -> Initiative:
    """Register one side as a bulk import does (organisation found or created by name)."""
    data = {**initiative_input(side), "organisation": {
        "name": side["organisation"]["name"], "country": side["organisation"].get("country")}}
    try:
        return register_initiative(uow, SYSTEM, data)
    except ValidationError as err:
        raise ValidationError(f"pair {pair_id}: {err}", err.fields) from err


def text_of(record: InitiativeRecord) -> str:
    """What a text model reads of an initiative: its title, then its description."""
    return f"{record.title}. {record.description}".strip()


def register_pairs(uow: UnitOfWork, pairs: list[dict[str, Any]]) -> list[tuple[dict[str, Any], int, int]]:
    """Register both sides of every pair: (pair, id of a, id of b). Open `uow` without overlap
    detection: one batch runs at the end, as a bulk load does."""
    registered = []
    for pair in pairs:
        a = register_side(uow, pair["a"], pair["id"])
        b = register_side(uow, pair["b"], pair["id"])
        registered.append((pair, a.id, b.id))
    return registered


def outcomes_of(session: Session, registered: list[tuple[dict[str, Any], int, int]]) -> list[Outcome]:
    """Say for each registered pair (after `recompute_all`) whether it was found, and its score."""
    stored = {(row.initiative_a_id, row.initiative_b_id): row.kind
              for row in session.scalars(select(Overlap).where(Overlap.active.is_(True)))}
    outcomes = []
    for pair, a_id, b_id in registered:
        a = record_from_initiative(session.get(Initiative, a_id))
        b = record_from_initiative(session.get(Initiative, b_id))
        kind = stored.get((min(a_id, b_id), max(a_id, b_id)))
        scored = score_pair(a, b, overlap_index.CONFIG)
        outcomes.append(Outcome(
            pair_id=pair["id"], split=pair["split"], kind=pair["kind"], overlap=bool(pair["overlap"]),
            found=kind is not None, score=float(scored.score), link_kind=kind,
            same_organisation=a.organisation_id == b.organisation_id,
            components={k: float(v) for k, v in scored.components.items()},
            texts=(text_of(a), text_of(b))))
    return outcomes
