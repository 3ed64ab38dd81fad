"""The GraphQL schema, composed here and only here from each area's Query and Mutation mixins.

Every root field is listed below, by area; nothing registers itself on import and no
type is changed after its class statement, so `get_schema()` is the same schema whatever
was imported first. A new area adds its mixin to QUERY_MIXINS / MUTATION_MIXINS.
`build_schema` composes another selection (tests use it to try extra mixins).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import graphene

from .confirm import ConfirmMutations
from .overlaps import ConvergenceMutations, ConvergenceQueries
from .mutations import InitiativeMutations
from .org_merge import OrganisationMergeMutations
from .queries import GoalQueries, InitiativeQueries, OrganisationQueries, TagQueries
from .restore import RestoreMutations
from .suggestions import SuggestionQueries
from .types import OverlapType

# The schema lists the root fields in this order.
QUERY_MIXINS: tuple[type, ...] = (
    InitiativeQueries,  # initiatives, initiative
    OrganisationQueries,  # organisations, organisation
    GoalQueries,  # visions, goal
    TagQueries,  # tags
    ConvergenceQueries,  # overlaps, convergenceGroups, fragmentation, gaps, organisationNetwork, ...
    SuggestionQueries,  # suggest
)
MUTATION_MIXINS: tuple[type, ...] = (
    InitiativeMutations,  # registerInitiative, updateInitiative, withdrawInitiative
    ConvergenceMutations,  # decideOverlap
    ConfirmMutations,  # confirmInitiative
    RestoreMutations,  # restoreInitiative
    OrganisationMergeMutations,  # mergeOrganisations, unmergeOrganisation
)
# Reachable from the root fields anyway; named so the printed SDL keeps its order (Overlap first).
EXTRA_TYPES: tuple[type, ...] = (OverlapType,)


def build_schema(
    query_mixins: Iterable[type] | None = None,
    mutation_mixins: Iterable[type] | None = None,
    types: Iterable[type] | None = None,
) -> graphene.Schema:
    """A schema whose Query and Mutation inherit from the given mixins (default: all of the above)."""
    queries = tuple(QUERY_MIXINS if query_mixins is None else query_mixins)
    mutations = tuple(MUTATION_MIXINS if mutation_mixins is None else mutation_mixins)
    # graphene lists the fields of the last base first: reverse so the schema reads in list order.
    query = type(
        "Query",
        (*reversed(queries), graphene.ObjectType),
        {"__doc__": "Read the coordination data."},
    )
    mutation = (
        type(
            "Mutation",
            (*reversed(mutations), graphene.ObjectType),
            {"__doc__": "Register and change initiatives."},
        )
        if mutations
        else None
    )
    return graphene.Schema(
        query=query, mutation=mutation, types=list(EXTRA_TYPES if types is None else types)
    )


@cache
def get_schema() -> graphene.Schema:
    """The schema of the whole API, built once."""
    return build_schema()
