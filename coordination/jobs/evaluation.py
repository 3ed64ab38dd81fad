"""Evaluating overlap detection end to end: register labelled pairs, recompute, read the outcome."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..convergence.evaluation_pairs import Outcome
from ..services.overlaps import recompute_all
from ..services.pair_evaluation import outcomes_of, register_pairs
from ..unit_of_work import UnitOfWork


def evaluate_pairs(session: Session, pairs: list[dict[str, Any]]) -> list[Outcome]:
    """Register the pairs (one commit), run the batch (another), and say for each pair whether it was found."""
    with UnitOfWork(session, detect_overlaps=False) as uow:
        registered = register_pairs(uow, pairs)
        uow.commit()
    with UnitOfWork(session) as uow:
        recompute_all(uow)
        uow.commit()
    return outcomes_of(session, registered)
