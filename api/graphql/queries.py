"""The read side of the schema, as Query mixins that schema.py composes.

Initiatives go through `coordination.queries` (one filter vocabulary, visibility
rules); nothing here filters initiatives on its own. A page statement joins only each
initiative's organisation; the request's loaders fetch the other nested fields for the
whole page when first asked (api/graphql/loaders.py).
"""

from __future__ import annotations

import graphene
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.errors import NotFound
from coordination.models import Goal as GoalModel
from coordination.models import Vision as VisionModel
from coordination.queries import (
    DEFAULT_PAGE,
    get_initiative,
    list_initiatives,
    list_organisations,
    tag_usage,
)
from coordination.services.organisations import get_organisation
from coordination.services.visions import get_goal

from .inputs import InitiativeFilter, domain_filter
from .limits import check_first
from .types import (
    Goal,
    Initiative,
    InitiativeConnection,
    InitiativePage,
    Organisation,
    OrganisationConnection,
    OrganisationEdge,
    PageInfo,
    Tag,
    TagRow,
    Vision,
)


def initiative_id(value: str) -> int:
    """The database id behind a GraphQL ID; anything else is simply not found."""
    try:
        number = int(str(value))
    except ValueError:
        raise NotFound(f"No initiative {value!r}.") from None
    if not 0 < number <= 2_147_483_647:  # beyond the id column: cannot exist
        raise NotFound(f"No initiative {value!r}.")
    return number


class InitiativeQueries(graphene.ObjectType):
    """initiatives (a cursor connection) and initiative(id)."""

    initiatives = graphene.Field(
        InitiativeConnection,
        required=True,
        filter=InitiativeFilter(),
        first=graphene.Int(description=f"Page size, 1-100 (default {DEFAULT_PAGE})"),
        after=graphene.String(description="pageInfo.endCursor of the previous page"),
    )
    initiative = graphene.Field(Initiative, id=graphene.ID(required=True))

    @staticmethod
    def resolve_initiatives(_root, info, filter=None, first=None, after=None):
        ctx = info.context
        f = domain_filter(filter)
        first = check_first(first, ctx.config, DEFAULT_PAGE)
        page = list_initiatives(ctx.session, ctx.actor, f, first=first, after=after,
                                load=ctx.loaders.page_options)
        ctx.loaders.register(page.items)
        return InitiativePage(page=page, filter=f)

    @staticmethod
    def resolve_initiative(_root, info, id):
        ctx = info.context
        initiative = get_initiative(ctx.session, ctx.actor, initiative_id(id))
        ctx.loaders.register([initiative])
        return initiative


class OrganisationQueries(graphene.ObjectType):
    """organisations (by slug, searchable) and organisation(slug)."""

    organisations = graphene.Field(
        OrganisationConnection,
        required=True,
        first=graphene.Int(description="1-100, default 50"),
        after=graphene.String(description="The last slug seen"),
        q=graphene.String(description="Part of the name"),
    )
    organisation = graphene.Field(Organisation, slug=graphene.String(required=True))

    @staticmethod
    def resolve_organisations(_root, info, first=None, after=None, q=None):
        ctx = info.context
        first = check_first(first, ctx.config, 50)
        page = list_organisations(ctx.session, q, first, after)
        rows, has_next, total = page.items, page.has_next, page.total
        return OrganisationConnection(
            edges=[OrganisationEdge(cursor=o.slug, node=o) for o in rows],
            total_count=total,
            page_info=PageInfo(
                has_next_page=has_next,
                has_previous_page=page.has_previous,
                end_cursor=rows[-1].slug if rows else None,
                start_cursor=rows[0].slug if rows else None,
            ),
        )

    @staticmethod
    def resolve_organisation(_root, info, slug):
        return get_organisation(info.context.session, slug)


class GoalQueries(graphene.ObjectType):
    """visions (with goals → targets) and goal(code)."""

    visions = graphene.List(graphene.NonNull(Vision), required=True)
    goal = graphene.Field(
        Goal, code=graphene.String(required=True, description='"6", "6.1", "slug:code"')
    )

    @staticmethod
    def resolve_visions(_root, info):
        stmt = (
            select(VisionModel)
            .order_by(VisionModel.id)
            .options(selectinload(VisionModel.goals).selectinload(GoalModel.children))
        )
        return list(info.context.session.scalars(stmt))

    @staticmethod
    def resolve_goal(_root, info, code):
        return get_goal(info.context.session, code)


class TagQueries(graphene.ObjectType):
    """tags: the normalised vocabulary by usage, with aliases and counts."""

    tags = graphene.List(
        graphene.NonNull(Tag),
        required=True,
        q=graphene.String(description="Key prefix"),
        first=graphene.Int(description="1-100, default 100"),
    )

    @staticmethod
    def resolve_tags(_root, info, q=None, first=None):
        ctx = info.context
        first = check_first(first, ctx.config, 100)
        rows = tag_usage(ctx.session, ctx.actor, q, first)  # the same read as REST /tags
        return [TagRow(tag, count) for tag, count in rows]
