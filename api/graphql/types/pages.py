"""GraphQL pages (Relay connections): page info, edges and the initiative and organisation connections."""

from __future__ import annotations

from dataclasses import dataclass

import graphene

from coordination.queries import InitiativeFilter as DomainFilter
from coordination.queries import Page, count_initiatives, encode_cursor

from .initiatives import Initiative
from .reference import Organisation


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
        return count_initiatives(info.context.session, info.context.actor, parent.filter, parent.page)


OrganisationEdge, OrganisationConnection = edge_and_connection(
    "Organisation", Organisation, "A page of organisations by slug; the cursor is the last slug seen (as in REST).",
    total_count=True)
