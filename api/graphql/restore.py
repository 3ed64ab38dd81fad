"""GraphQL: restoreInitiative — a platform admin brings back a withdrawn initiative (composed in schema.py)."""
from __future__ import annotations

import graphene

from coordination.queries import get_initiative
from coordination.services.restore import restore_initiative

from ..unit_of_work import unit_of_work
from .queries import initiative_id
from .types import change_of_one_initiative


class RestoreMutations(graphene.ObjectType):
    """restoreInitiative."""

    restore_initiative = change_of_one_initiative("Undo a withdrawal (platform admins); recorded in the change log.")

    @staticmethod
    def resolve_restore_initiative(_root, info, id, version=None):
        ctx = info.context
        with unit_of_work() as uow:
            initiative = restore_initiative(uow, ctx.actor, initiative_id(id), expected_version=version)
            uow.commit()
        return get_initiative(ctx.session, ctx.actor, initiative.id)
