"""GraphQL: confirmInitiative — its organisation says the initiative is still accurate (composed in schema.py)."""
from __future__ import annotations

import graphene

from coordination.queries import get_initiative
from coordination.services.freshness import confirm_initiative

from ..unit_of_work import unit_of_work
from .queries import initiative_id
from .types import Initiative


class ConfirmMutations(graphene.ObjectType):
    """confirmInitiative."""

    confirm_initiative = graphene.Field(
        Initiative,
        required=True,
        id=graphene.ID(required=True),
        description="Say the initiative is still accurate (members of its organisation): its last-confirmed "
                    "time becomes now and its freshness fresh; recorded in the change log.",
    )

    @staticmethod
    def resolve_confirm_initiative(_root, info, id):
        ctx = info.context
        with unit_of_work() as uow:
            initiative = confirm_initiative(uow.session, ctx.actor, initiative_id(id))
            uow.commit()
        return get_initiative(ctx.session, ctx.actor, initiative.id)
