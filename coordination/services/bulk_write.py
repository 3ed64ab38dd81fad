"""Storing many new initiatives at once: set-based inserts, no ORM object per row.

What a registration writes for one initiative (`initiatives.register_initiative`: the row,
its goals, tags, places and partners, its platform identifier, its "create" history entry
with the snapshot) `write_drafts` writes for a batch of drafts (`drafts.build_draft`) with
one COPY per table on PostgreSQL, one `executemany` INSERT elsewhere (`bulk_copy`), the new ids taken first
(`bulk_ids.take_ids`). Organisations, tags and goals are
ORM rows already looked up (or created) by the import; they are flushed first.
"""
from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.orm import Session

from ..models import Change, Initiative, InitiativeGoal, InitiativeTag, Location, Partner, utcnow
from ..permissions import Actor
from ..serialise import snapshot
from .bulk_copy import insert_rows
from .bulk_ids import take_ids
from .drafts import Draft
from .identifiers import assign_platform_identifiers


def _table(model: type) -> Table:
    return model.__table__  # type: ignore[attr-defined,return-value]


def _insert(session: Session, model: type, rows: list[dict]) -> None:
    insert_rows(session, _table(model), rows)


def write_drafts(session: Session, actor: Actor, drafts: list[Draft]) -> list[int]:
    """Insert the drafts and everything that hangs off them; set and return their ids."""
    if not drafts:
        return []
    session.flush()  # organisations and tags the drafts name, and their new aliases
    now = utcnow()
    for draft in drafts:
        draft.created_at = draft.updated_at = now
    table = _table(Initiative)
    ids = take_ids(session, table, len(drafts))
    for draft, new_id in zip(drafts, ids, strict=True):
        draft.id = new_id
    # The identifiers only need the ids (the rows, not yet stored, are not among those taken),
    # so each row goes in with its own: no UPDATE per row after the insert.
    assign_platform_identifiers(session, drafts)
    insert_rows(session, table, [{"id": d.id, "platform_identifier": d.platform_identifier, **d.row()}
                                 for d in drafts])
    _insert(session, InitiativeGoal, [{"initiative_id": d.id, "goal_id": link.goal_id, "primary": link.primary,
                                       "source": link.source, "score": link.score}
                                      for d in drafts for link in d.goal_links])
    _insert(session, InitiativeTag, [{"initiative_id": d.id, "tag_id": link.tag_id, "label": link.label}
                                     for d in drafts for link in d.tag_links])
    _insert(session, Location, [loc.row(d.id) for d in drafts for loc in d.locations])
    _insert(session, Partner, [{"initiative_id": d.id, "organisation_id": p.organisation_id, "role": p.role}
                               for d in drafts for p in d.partners])
    who = {"entity_type": "initiative", "action": "create", "actor": actor.label[:160],
           "actor_token_id": actor.token_id, "organisation_id": actor.organisation_id, "before": None, "at": now}
    _insert(session, Change, [{**who, "entity_id": d.id, "after": snapshot(d)} for d in drafts])
    return list(ids)
