"""GraphQL object types over the domain models, each declared whole here (nothing extends them later).

An initiative's nested fields (organisation, partners, goals, tags, places, overlaps) are
read through the request's loaders (`info.context.loaders`, api/graphql/loaders.py), which
load them for every initiative of the page at once: a page costs a fixed number of SQL
statements whatever its size.
"""

from __future__ import annotations

from dataclasses import dataclass

import graphene

from coordination import vocab
from coordination.insights import kind_text
from coordination.freshness import freshness_of
from coordination.models import Goal as GoalModel
from coordination.models import Initiative as InitiativeModel
from coordination.models import Organisation as OrganisationModel
from coordination.models import Overlap as OverlapModel
from coordination.models import Tag as TagModel
from coordination.queries import InitiativeFilter as DomainFilter
from coordination.queries import Page, count_initiatives, encode_cursor
from coordination.serialise import location_to_dict
from coordination.status import status_of
from coordination.visibility import sees_exact, shown_actor

from .places import location_type


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


class Partner(graphene.ObjectType):
    """Another organisation's role in an initiative."""

    organisation = graphene.Field(Organisation, required=True)
    role = graphene.String(
        required=True, description="funding | accountable | extending | implementing"
    )


class SuggestedGoal(graphene.ObjectType):
    """A goal the platform suggested from the text, with its score."""

    goal = graphene.Field(Goal, required=True)
    score = graphene.Float()


Location = location_type("Location", graphene.ObjectType,
                         "A place, coarsened to the public precision for readers who may not see it exactly.",
                         required=("precision",))


def _goal_links(initiative: InitiativeModel, info):
    return info.context.loaders.related(initiative, "goal_links")


def _own(initiative: InitiativeModel, info):
    return [link for link in _goal_links(initiative, info) if link.source == "own"]


class Freshness(graphene.ObjectType):
    """When the organisation last said the initiative is accurate, and the traffic light that makes."""

    level = graphene.String(required=True, description="fresh | ageing (from half the stale age) | stale")
    confirmed_at = graphene.DateTime(description="Registered, edited or confirmed (confirmInitiative) last")
    age_days = graphene.Int(required=True)
    stale_after_days = graphene.Int(required=True, description="STALE_AFTER_DAYS (default 180)")


class Initiative(graphene.ObjectType):
    """One organisation's effort: what, where, when, towards which goals."""

    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    description = graphene.String(required=True)
    organisation = graphene.Field(Organisation, required=True)
    partners = graphene.List(graphene.NonNull(Partner), required=True)
    goals = graphene.List(
        graphene.NonNull(Goal), required=True, description="The initiative's own goals"
    )
    primary_goal = graphene.Field(Goal)
    suggested_goals = graphene.List(graphene.NonNull(SuggestedGoal), required=True)
    tags = graphene.List(graphene.NonNull(Tag), required=True)
    locations = graphene.List(graphene.NonNull(Location), required=True)
    start = graphene.Date()
    end = graphene.Date()
    status = graphene.String(description="pipeline | implementation | finalisation | closed | ...: the one "
                                         "given, else the one the dates imply today (see statusFromDates)")
    status_from_dates = graphene.Boolean(required=True, description="True when no status was given and "
                                                                    "`status` is worked out from the dates today")
    budget = graphene.Float()
    currency = graphene.String()
    people_targeted = graphene.Int()
    visibility = graphene.String(required=True)
    public_precision = graphene.String(required=True)
    iati_identifier = graphene.String()
    version = graphene.Int(required=True, description="Send it back to updateInitiative")
    withdrawn = graphene.Boolean(required=True)
    freshness = graphene.Field(Freshness, required=True)
    created_at = graphene.DateTime()
    updated_at = graphene.DateTime()
    overlaps = graphene.List(
        graphene.NonNull(lambda: OverlapType),
        required=True,
        min_score=graphene.Float(default_value=0.0),
        status=graphene.String(description="default: all but dismissed"),
        kind=graphene.String(description="overlap | duplicate (default: both)"),
        description="Other organisations' overlapping efforts and reports of the same effort, best first.",
    )

    @staticmethod
    def resolve_organisation(initiative, info):
        return info.context.loaders.organisation(initiative)

    @staticmethod
    def resolve_partners(initiative, info):
        return info.context.loaders.related(initiative, "partners")

    @staticmethod
    def resolve_goals(initiative, info):
        return [link.goal for link in _own(initiative, info)]

    @staticmethod
    def resolve_primary_goal(initiative, info):
        return next((link.goal for link in _own(initiative, info) if link.primary), None)

    @staticmethod
    def resolve_suggested_goals(initiative, info):
        return [
            SuggestedGoal(goal=link.goal, score=link.score)
            for link in _goal_links(initiative, info)
            if link.source == "suggested"
        ]

    @staticmethod
    def resolve_tags(initiative, info):
        return [TagRow(link.tag) for link in info.context.loaders.related(initiative, "tag_links")]

    @staticmethod
    def resolve_locations(initiative, info):
        exact = sees_exact(info.context.actor, initiative)
        return [
            location_to_dict(loc, exact, initiative.public_precision)
            for loc in info.context.loaders.related(initiative, "locations")
        ]

    @staticmethod
    def resolve_overlaps(initiative, info, min_score=0.0, status=None, kind=None):
        # The same read as insights.overlaps_of, for every initiative of the page at once.
        return info.context.loaders.overlaps(initiative, min_score, status, kind)

    @staticmethod
    def resolve_start(initiative, _info):
        return initiative.start_date

    @staticmethod
    def resolve_end(initiative, _info):
        return initiative.end_date

    @staticmethod
    def resolve_status(initiative, _info):
        return status_of(initiative)[0]

    @staticmethod
    def resolve_status_from_dates(initiative, _info):
        return status_of(initiative)[1]

    @staticmethod
    def resolve_freshness(initiative, _info):
        return freshness_of(initiative)

    @staticmethod
    def resolve_budget(initiative, _info):
        return float(initiative.budget) if initiative.budget is not None else None

    @staticmethod
    def resolve_withdrawn(initiative, _info):
        return initiative.withdrawn_at is not None


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
    def resolve_components(row: OverlapModel, _info):
        return OverlapComponents(**{k: row.components.get(k) for k in ("goal", "place", "time", "text", "tags", "work")})

    @staticmethod
    def resolve_initiatives(row: OverlapModel, info):
        sides = [row.initiative_a, row.initiative_b]
        info.context.loaders.register(sides)
        return sides

    @staticmethod
    def resolve_kind_text(row: OverlapModel, info):
        loaders = info.context.loaders
        return kind_text(row.kind, loaders.organisation(row.initiative_a).name,
                         loaders.organisation(row.initiative_b).name)

    @staticmethod
    def resolve_decided_by(row: OverlapModel, info):
        return shown_actor(info.context.actor, row.decided_by_organisation_id, row.decided_by)

    @staticmethod
    def resolve_decided_at(row: OverlapModel, _info):
        return row.decided_at.isoformat() if row.decided_at else None


class PageInfo(graphene.ObjectType):
    """Where a page starts and ends, and whether pages come before and after it (Relay connections)."""

    has_next_page = graphene.Boolean(required=True)
    has_previous_page = graphene.Boolean(
        required=True, description="True when `after` was given and items come at or before it")
    start_cursor = graphene.String(description="The cursor of the page's first item")
    end_cursor = graphene.String(description="The cursor of the page's last item; pass it as `after`")


def edge_and_connection(name: str, node, doc: str, total_count: bool = False) -> tuple[type, type]:
    """The Relay `{name}Edge` (cursor, node) and `{name}Connection` (edges, pageInfo, totalCount if asked) types."""
    edge = type(f"{name}Edge", (graphene.ObjectType,), {
        "cursor": graphene.String(required=True), "node": graphene.Field(node, required=True)})
    fields = {"__doc__": doc, "edges": graphene.List(graphene.NonNull(edge), required=True),
              "page_info": graphene.Field(PageInfo, required=True)}
    if total_count:
        fields["total_count"] = graphene.Int(required=True)
    return edge, type(f"{name}Connection", (graphene.ObjectType,), fields)


class InitiativeEdge(graphene.ObjectType):
    cursor = graphene.String(required=True)
    node = graphene.Field(Initiative, required=True)


@dataclass
class InitiativePage:
    """A page plus the filter it came from, so totalCount is computed only when asked."""

    page: Page
    filter: DomainFilter


class InitiativeConnection(graphene.ObjectType):
    """A page of initiatives, oldest first; pass pageInfo.endCursor as `after` for the next."""

    edges = graphene.List(graphene.NonNull(InitiativeEdge), required=True)
    page_info = graphene.Field(PageInfo, required=True)
    total_count = graphene.Int(required=True)

    @staticmethod
    def resolve_edges(parent: InitiativePage, _info):
        return [InitiativeEdge(cursor=encode_cursor(i.id), node=i) for i in parent.page.items]

    @staticmethod
    def resolve_page_info(parent: InitiativePage, _info):
        p = parent.page
        return PageInfo(has_next_page=p.has_next, has_previous_page=p.has_previous,
                        end_cursor=p.end_cursor, start_cursor=p.start_cursor)

    @staticmethod
    def resolve_total_count(parent: InitiativePage, info):
        return count_initiatives(info.context.session, info.context.actor, parent.filter)


OrganisationEdge, OrganisationConnection = edge_and_connection(
    "Organisation", Organisation, "A page of organisations by slug; the cursor is the last slug seen (as in REST).",
    total_count=True)


def change_of_one_initiative(description: str) -> graphene.Field:
    """A mutation field acting on one initiative by id, guarded by the version the client saw."""
    return graphene.Field(Initiative, required=True, id=graphene.ID(required=True),
                          version=graphene.Int(description="The version you saw; a stale one is a conflict"),
                          description=description)
