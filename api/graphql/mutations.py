"""The write side: register, update and withdraw initiatives through the services.

Each input is loaded through `api.schemas.InitiativeInputSchema` (the REST schema),
then handed to `coordination.services.initiatives` with the request's actor. The
services validate, check permissions, record the change and commit or roll back.
"""

from __future__ import annotations

import graphene

from coordination.queries import get_initiative
from coordination.services import initiatives as service

from ..unit_of_work import unit_of_work
from .inputs import InitiativeInput, load_initiative_input
from .queries import initiative_id
from .types import Initiative, change_of_one_initiative


def _fresh(info, initiative):
    """The written initiative, re-read with its nested fields eagerly loaded."""
    return get_initiative(info.context.session, info.context.actor, initiative.id)


class InitiativeMutations(graphene.ObjectType):
    """registerInitiative, updateInitiative, withdrawInitiative."""

    register_initiative = graphene.Field(
        Initiative,
        required=True,
        input=InitiativeInput(required=True),
        description="Register an initiative for the token's organisation.",
    )
    update_initiative = graphene.Field(
        Initiative,
        required=True,
        id=graphene.ID(required=True),
        input=InitiativeInput(required=True),
        version=graphene.Int(description="The version you edited; a stale one is a conflict"),
        description="Change the fields given in `input`; the others stay.",
    )
    withdraw_initiative = change_of_one_initiative("Withdraw: it leaves every listing, its history is kept.")

    @staticmethod
    def resolve_register_initiative(_root, info, input):
        ctx = info.context
        data = load_initiative_input(input)
        with unit_of_work() as uow:
            initiative = service.register_initiative(uow, ctx.actor, data)
            uow.commit()
        return _fresh(info, initiative)

    @staticmethod
    def resolve_update_initiative(_root, info, id, input, version=None):
        ctx = info.context
        data = load_initiative_input(input, partial=True)
        with unit_of_work() as uow:
            initiative = service.update_initiative(
                uow, ctx.actor, initiative_id(id), data, expected_version=version
            )
            uow.commit()
        return _fresh(info, initiative)

    @staticmethod
    def resolve_withdraw_initiative(_root, info, id, version=None):
        ctx = info.context
        with unit_of_work() as uow:
            initiative = service.withdraw_initiative(
                uow, ctx.actor, initiative_id(id), expected_version=version
            )
            uow.commit()
        return _fresh(info, initiative)
