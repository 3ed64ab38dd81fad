"""Similar initiatives for a draft: what the convergence engine would find if it were saved now.

The initiative form shows, before saving, the other organisations' initiatives the new one
overlaps with — the same pairs the overlap inbox will show once it is saved, with the same
score and explanation, because the draft goes the same way as a saved initiative:

1. the draft is validated and applied to an unsaved `Initiative` by the registration
   service's own code (`initiatives.apply_input`: goals resolved, tags normalised and merged
   tags followed, places geocoded and checked; then `apply_suggested_goals` for a draft
   without goals, as `register_initiative` does) and turned into the engine's record by
   `record_from_initiative` — inside a SAVEPOINT that is rolled back, so nothing is
   written (a tag seen for the first time is created and then undone);
2. the record is scored one-against-all by the process's overlap index
   (`overlap_index.current_index(...).find_overlaps`): blocking, the different-organisation
   rule (the draft belongs to the actor's organisation, whose own initiatives the engine
   never pairs with it), the active-at-the-same-time rule and the calibrated threshold are
   the engine's;
3. what the actor may not read is dropped (private initiatives of other organisations);
   sensitive work was scored at its public place (`visibility.public_places`), so neither
   the score nor the explanation moves with a point the actor may not see.

Decision on the simple query (`api/pages/forms.similar_initiatives`: same goal family in
the same country or within 50 km): it is *not* used when the engine answers, even with
nothing. The pre-save panel interrupts saving and asks "is this the same effort?"; only an
overlap the engine would report deserves that. The simple query stays as the fallback for
a platform without this module, and for quick goal-and-place lookups without text.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..models import Initiative, Organisation
from ..permissions import Actor
from ..queries import visible_to
from ..records import InitiativeRecord
from ..unit_of_work import scratch
from ..validation import validate_initiative
from . import overlap_index
from .initiatives import apply_input
from .stored_records import record_from_initiative
from .suggestions import apply_suggested_goals

DRAFT_ID = -1  # the record id of an unsaved draft (indexed ids are positive)
DEFAULT_LIMIT = 10


def draft_initiative(session: Session, actor: Actor, data: dict[str, Any], initiative_id: int | None = None,
                     partial: bool = False) -> tuple[Initiative, InitiativeRecord]:
    """An unsaved initiative for the draft and its engine record; nothing is written.

    `data` is checked as the registration service checks it (ValidationError names the bad
    fields; with `partial`, only the fields given, for a form still being filled in); for an
    edit, `initiative_id` gives the record the initiative's id so the engine does not
    compare it with its saved self.
    """
    clean = validate_initiative(data, partial=partial)
    clean.pop("organisation", None)
    owner = session.get(Organisation, actor.organisation_id) if actor.organisation_id is not None else None
    initiative = Initiative(id=initiative_id or DRAFT_ID, title="", description="",
                            organisation=owner or Organisation(name="", type=None),
                            organisation_id=owner.id if owner else 0, public_precision="exact",
                            visibility="public")
    with scratch(session), session.no_autoflush:
        apply_input(session, actor, initiative, clean)
        if initiative_id is None:
            apply_suggested_goals(session, initiative)  # as registration does for a draft without goals
        record = record_from_initiative(initiative)
    if initiative in session:  # never: it was not added; kept as a guard against cascades
        session.expunge(initiative)
    return initiative, record


def similar_to_draft(session: Session, actor: Actor, data: dict[str, Any], limit: int = DEFAULT_LIMIT,
                     initiative_id: int | None = None, partial: bool = False) -> list[dict[str, Any]]:
    """The visible initiatives of other organisations the draft would overlap with, best first.

    Each item: id, title, organisation (name), organisation_slug, score, explanation, and
    `reason` (the explanation, under the name the form's panel reads).
    """
    draft, record = draft_initiative(session, actor, data, initiative_id, partial)
    found = overlap_index.current_index(session).find_overlaps(record)
    if not found:
        return []
    other_of = {o: (o.b_id if o.a_id == record.id else o.a_id) for o in found}
    readable = {i.id: i for i in session.scalars(
        visible_to(actor, select(Initiative)).where(Initiative.id.in_(list(other_of.values())))
        .options(selectinload(Initiative.organisation)))}
    out = []
    for overlap in found:  # best first, as the engine ranks them
        other = readable.get(other_of[overlap])
        if other is None:
            continue
        shown = overlap.explanation  # written from public places only (see `visibility`)
        out.append({"id": other.id, "title": other.title, "organisation": other.organisation.name,
                    "organisation_slug": other.organisation.slug, "score": round(float(overlap.score), 3),
                    "explanation": shown, "reason": shown})
        if len(out) >= limit:
            break
    return out


__all__ = ["DRAFT_ID", "draft_initiative", "similar_to_draft"]
