"""The GraphQL Overlap type: each field resolved by the read model (`coordination.reads.overlap_view`)."""

from __future__ import annotations

import graphene

from coordination.models import Overlap as OverlapModel
from coordination.reads.overlap_view import OverlapView

from .initiatives import Initiative


def view_of(row: OverlapModel, info) -> OverlapView:
    """The read model of a stored overlap for the request's reader (organisations from the loaders)."""
    return OverlapView(row, info.context.actor, info.context.loaders)


class OverlapComponents(graphene.ObjectType):
    """What an overlap score is made of, each in [0, 1]."""

    goal = graphene.Float()
    place = graphene.Float()
    time = graphene.Float()
    text = graphene.Float()
    tags = graphene.Float()
    work = graphene.Float(description="1: both name a kind of work in common; 0: both name kinds of "
                                       "work, none in common; 0.5: a side names none")


class OverlapType(graphene.ObjectType):
    """A link between initiatives of different organisations: an overlap (two efforts doing the
    same work) or a duplicate (the same effort reported twice, e.g. by funder and implementer)."""

    class Meta:
        name = "Overlap"  # the public schema's name; OverlapType says it is the GraphQL type

    id = graphene.ID(required=True)
    kind = graphene.String(required=True, description="overlap | duplicate")
    kind_text = graphene.String(required=True, description="The kind in words, naming both organisations")
    score = graphene.Float(required=True)
    components = graphene.Field(OverlapComponents, required=True)
    explanation = graphene.String(required=True)
    status = graphene.String(required=True, description="suggested | confirmed | dismissed | coordinating")
    active = graphene.Boolean(required=True)
    initiatives = graphene.List(graphene.NonNull(Initiative), required=True)
    decided_by = graphene.String()
    decided_at = graphene.String()

    @staticmethod
    def resolve_components(row: OverlapModel, info):
        return OverlapComponents(**view_of(row, info).component_scores)

    @staticmethod
    def resolve_initiatives(row: OverlapModel, info):
        sides = view_of(row, info).sides
        info.context.loaders.register(sides)
        return sides

    @staticmethod
    def resolve_kind_text(row: OverlapModel, info):
        return view_of(row, info).kind_text

    @staticmethod
    def resolve_decided_by(row: OverlapModel, info):
        return view_of(row, info).decided_by

    @staticmethod
    def resolve_decided_at(row: OverlapModel, info):
        return view_of(row, info).decided_at
