"""GraphQL: mergeOrganisations and unmergeOrganisation — coordinators join two records of one
organisation and undo it (composed in schema.py)."""
from __future__ import annotations

import graphene

from coordination.models import Organisation as OrganisationModel
from coordination.services.org_merge import merge_organisations, merge_summary, unmerge_organisation

from ..unit_of_work import unit_of_work
from .types import Organisation


class MergeMoved(graphene.ObjectType):
    """How many of each thing the merge moved to the survivor."""

    initiatives = graphene.Int(required=True)
    partners = graphene.Int(required=True)
    partners_dropped = graphene.Int(required=True, description="partner places that repeated the survivor")
    users = graphene.Int(required=True)
    tokens = graphene.Int(required=True)
    webhooks = graphene.Int(required=True)
    notices = graphene.Int(required=True)
    aliases_added = graphene.Int(required=True)


class OrganisationMerge(graphene.ObjectType):
    """One merge: the survivor, the absorbed record (now a redirect), who, when, why, what moved."""

    id = graphene.ID(required=True)
    survivor = graphene.Field(Organisation, required=True)
    absorbed = graphene.Field(Organisation, required=True)
    reason = graphene.String(required=True)
    merged_by = graphene.String(required=True)
    merged_at = graphene.String(required=True)
    unmerged_by = graphene.String()
    unmerged_at = graphene.String()
    moved = graphene.Field(MergeMoved, required=True)


def _merge(info, merge) -> dict:
    """The merge as the type resolves it: organisations as records, moved as counts."""
    session = info.context.session
    summary = merge_summary(session, merge, info.context.actor)
    moved = {name: summary["moved"].get(name, 0) for name in MergeMoved._meta.fields}
    return {**summary, "survivor": session.get(OrganisationModel, merge.survivor_id),
            "absorbed": session.get(OrganisationModel, merge.absorbed_id), "moved": MergeMoved(**moved)}


class OrganisationMergeMutations(graphene.ObjectType):
    """mergeOrganisations, unmergeOrganisation."""

    merge_organisations = graphene.Field(
        OrganisationMerge, required=True,
        survivor=graphene.String(required=True, description="slug of the record that stays"),
        absorbed=graphene.String(required=True, description="slug of the record merged into it"),
        reason=graphene.String(),
        share_access=graphene.Boolean(default_value=False,
                                      description="say yes when the merge lets people read private work"),
        description="Merge two records of one organisation (coordinators, platform admins); recorded.",
    )
    unmerge_organisation = graphene.Field(
        OrganisationMerge, required=True,
        absorbed=graphene.String(required=True, description="slug of the merged record to restore"),
        reason=graphene.String(),
        description="Undo a merge: what it moved goes back (coordinators, platform admins); recorded.",
    )

    @staticmethod
    def resolve_merge_organisations(_root, info, survivor, absorbed, reason=None, share_access=False):
        ctx = info.context
        with unit_of_work() as uow:
            merge = merge_organisations(uow, ctx.actor, survivor, absorbed, reason or "", share_access=share_access)
            uow.commit()
        return _merge(info, merge)

    @staticmethod
    def resolve_unmerge_organisation(_root, info, absorbed, reason=None):
        ctx = info.context
        with unit_of_work() as uow:
            merge = unmerge_organisation(uow, ctx.actor, absorbed, reason or "")
            uow.commit()
        return _merge(info, merge)
