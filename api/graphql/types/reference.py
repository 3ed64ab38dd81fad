"""GraphQL types of the reference data an initiative points to: organisations, visions and goals, tags."""

from __future__ import annotations

from dataclasses import dataclass

import graphene

from coordination import vocab
from coordination.models import Goal as GoalModel
from coordination.models import Organisation as OrganisationModel
from coordination.models import Tag as TagModel


@dataclass
class TagRow:
    """A tag with its usage count (None where it is not counted)."""

    tag: TagModel
    count: int | None = None


class Organisation(graphene.ObjectType):
    """An independent organisation that runs initiatives."""

    slug = graphene.String(required=True)
    name = graphene.String(required=True)
    type = graphene.String(description="IATI OrganisationType code, e.g. 22 (national NGO)")
    type_name = graphene.String()
    country = graphene.String(description="ISO 3166-1 alpha-2")
    org_identifier = graphene.String()
    aliases = graphene.List(graphene.NonNull(graphene.String), required=True)
    verified = graphene.Boolean(required=True)
    is_institutional = graphene.Boolean(required=True)
    merged_into = graphene.String(description="Slug of the organisation this record was merged into (null: none)")

    @staticmethod
    def resolve_merged_into(org, info):
        if org.merged_into_id is None:
            return None
        return info.context.session.get(OrganisationModel, org.merged_into_id).slug

    @staticmethod
    def resolve_type_name(org, _info):
        return vocab.ORGANISATION_TYPES.get(org.type or "")

    @staticmethod
    def resolve_aliases(org, _info):
        return org.aliases or []


class Goal(graphene.ObjectType):
    """A goal or a target of a vision, e.g. SDG "6" or "6.1"."""

    code = graphene.String(required=True)
    ref = graphene.String(required=True, description='"6.1" for SDGs, "slug:code" in other visions')
    title = graphene.String(required=True)
    short_title = graphene.String()
    colour = graphene.String()
    level = graphene.String(required=True, description="goal | target")
    sdg_code = graphene.String(description="The SDG code a local goal serves")
    targets = graphene.List(graphene.NonNull(lambda: Goal), required=True)
    parent = graphene.Field(lambda: Goal)

    @staticmethod
    def resolve_ref(goal: GoalModel, _info):
        return goal.ref

    @staticmethod
    def resolve_targets(goal: GoalModel, _info):
        return goal.children


class Vision(graphene.ObjectType):
    """A shared agenda: a hierarchy of goals (the SDGs are the built-in `sdg`)."""

    slug = graphene.String(required=True)
    name = graphene.String(required=True)
    description = graphene.String(required=True)
    builtin = graphene.Boolean(required=True)
    goals = graphene.List(graphene.NonNull(Goal), required=True, description="Top-level goals")

    @staticmethod
    def resolve_goals(vision, _info):
        return [g for g in vision.goals if g.parent_id is None]


class Tag(graphene.ObjectType):
    """A normalised tag with the other labels seen for it."""

    key = graphene.String(required=True)
    label = graphene.String(required=True)
    aliases = graphene.List(graphene.NonNull(graphene.String), required=True)
    count = graphene.Int(description="Public, live initiatives using it (in `tags` only)")

    @staticmethod
    def resolve_key(row: TagRow, _info):
        return row.tag.key

    @staticmethod
    def resolve_label(row: TagRow, _info):
        return row.tag.label

    @staticmethod
    def resolve_aliases(row: TagRow, _info):
        return row.tag.aliases or []

    @staticmethod
    def resolve_count(row: TagRow, _info):
        return row.count
