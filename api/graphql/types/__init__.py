"""GraphQL object types over the domain models, each declared whole in one module (nothing extends them later).

`reference` (organisations, visions and goals, tags), `initiatives` (the Initiative type and
its parts), `overlaps` (the Overlap type) and `pages` (Relay connections). Initiative and
Overlap refer to each other: `Initiative.overlaps` names the Overlap type by its module path,
so neither module changes the other when imported. The initiative's and the overlap's fields
are resolved by the read models of `coordination.reads` (`initiative_view`, `overlap_view`),
the same ones the REST answers are made from.
"""

from __future__ import annotations

from .initiatives import (
    Freshness,
    Initiative,
    Location,
    Partner,
    SuggestedGoal,
    change_of_one_initiative,
)
from .overlaps import OverlapComponents, OverlapType
from .pages import (
    InitiativeConnection,
    InitiativeEdge,
    InitiativePage,
    OrganisationConnection,
    OrganisationEdge,
    PageInfo,
    edge_and_connection,
)
from .reference import Goal, Organisation, Tag, TagRow, Vision

__all__ = [
    "Freshness", "Goal", "Initiative", "InitiativeConnection", "InitiativeEdge", "InitiativePage", "Location",
    "Organisation", "OrganisationConnection", "OrganisationEdge", "OverlapComponents", "OverlapType", "PageInfo",
    "Partner", "SuggestedGoal", "Tag", "TagRow", "Vision", "change_of_one_initiative", "edge_and_connection",
]
