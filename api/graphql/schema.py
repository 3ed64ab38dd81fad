"""The GraphQL schema, composed from Query and Mutation mixins.

Another module adds to the API without editing this file:

    from api.graphql.schema import extend_schema, extend_type
    from api.graphql.types import Initiative

    class OverlapQueries(graphene.ObjectType):
        overlaps = graphene.List(...)
        def resolve_overlaps(root, info, ...): ...

    class InitiativeOverlapFields:
        overlaps = graphene.List(...)
        @staticmethod
        def resolve_overlaps(initiative, info): ...

    extend_schema(queries=[OverlapQueries], types=[OverlapType])
    extend_type(Initiative, InitiativeOverlapFields)

Call these at import time of the feature's module (before the first request);
`get_schema()` builds the schema once from everything registered and rebuilds
it if something is registered later.
"""

from __future__ import annotations

from collections.abc import Iterable

import graphene
from graphene.types.utils import yank_fields_from_attrs

from .mutations import WRITE_MIXINS
from .queries import READ_MIXINS

QUERY_MIXINS: list[type] = list(READ_MIXINS)
MUTATION_MIXINS: list[type] = list(WRITE_MIXINS)
EXTRA_TYPES: list[type] = []
_built: dict[str, graphene.Schema] = {}


def extend_schema(
    queries: Iterable[type] = (), mutations: Iterable[type] = (), types: Iterable[type] = ()
) -> None:
    """Register Query / Mutation mixins (graphene ObjectTypes) and extra types."""
    for target, items in (
        (QUERY_MIXINS, queries),
        (MUTATION_MIXINS, mutations),
        (EXTRA_TYPES, types),
    ):
        target.extend(item for item in items if item not in target)
    _built.clear()


def extend_type(object_type: type[graphene.ObjectType], mixin: type) -> None:
    """Add the fields and `resolve_*` functions of a plain class to an existing object type."""
    fields = yank_fields_from_attrs(vars(mixin), _as=graphene.Field)
    for name, field in fields.items():
        if name in object_type._meta.fields:
            raise ValueError(f"{object_type.__name__}.{name} is already defined")
        object_type._meta.fields[name] = field
    for name, value in vars(mixin).items():
        if name.startswith("resolve_"):
            setattr(object_type, name, value)
    _built.clear()


def build_schema(
    query_mixins: Iterable[type] | None = None,
    mutation_mixins: Iterable[type] | None = None,
    types: Iterable[type] | None = None,
) -> graphene.Schema:
    """A schema whose Query and Mutation inherit from the given mixins (default: registered)."""
    queries = tuple(QUERY_MIXINS if query_mixins is None else query_mixins)
    mutations = tuple(MUTATION_MIXINS if mutation_mixins is None else mutation_mixins)
    # graphene lists the fields of the last base first: reverse so the schema reads in registry order.
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


def get_schema() -> graphene.Schema:
    """The schema of everything registered, built once."""
    if "schema" not in _built:
        _built["schema"] = build_schema()
    return _built["schema"]
