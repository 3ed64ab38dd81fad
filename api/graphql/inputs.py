"""GraphQL input types and their translation to what the domain takes.

`InitiativeFilter` mirrors `coordination.queries.InitiativeFilter` field for field;
`InitiativeInput` mirrors `api.schemas.InitiativeInputSchema` (camelCase here,
snake_case there) and is loaded through that same schema, as REST does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import graphene

from coordination.queries import InitiativeFilter as DomainFilter

from ..schemas import InitiativeInputSchema, load_or_raise
from .places import location_type


class InitiativeFilter(graphene.InputObjectType):
    """What to list; every field is optional and they combine with AND."""

    goal = graphene.String(
        description="Goal code; matches its targets and linked local goals (e.g. 6)"
    )
    target = graphene.String(description="Target code (e.g. 6.1)")
    tag = graphene.String(description="Tag label or key")
    organisation = graphene.String(description="Organisation slug (lead or partner)")
    country = graphene.String(description="ISO 3166-1 alpha-2")
    bbox = graphene.String(description='"minLon,minLat,maxLon,maxLat", the same string as REST')
    status = graphene.String(description="pipeline | implementation | finalisation | closed | ...")
    active_on = graphene.Date(description="Running on that day")
    year = graphene.Int(description="Running at some time in that year")
    q = graphene.String(description="Words in title or description")
    vision = graphene.String(description="Vision slug")


LocationInput = location_type("LocationInput", graphene.InputObjectType, "A WGS84 point and/or an administrative area.",
                              {"country": "ISO 3166-1 alpha-2"})


class PartnerInput(graphene.InputObjectType):
    """A partner organisation (slug) and its IATI role."""

    organisation = graphene.String(required=True)
    role = graphene.String(description="funding | accountable | extending | implementing (default)")


class InitiativeInput(graphene.InputObjectType):
    """An initiative to register (title required) or the fields to change (any subset)."""

    title = graphene.String()
    description = graphene.String()
    organisation = graphene.String(description="Slug; only platform-wide tokens name it")
    partners = graphene.List(graphene.NonNull(PartnerInput))
    goals = graphene.List(graphene.NonNull(graphene.String), description='Codes, e.g. ["6", "6.1"]')
    primary_goal = graphene.String()
    tags = graphene.List(graphene.NonNull(graphene.String))
    locations = graphene.List(graphene.NonNull(LocationInput))
    start = graphene.String(description="YYYY-MM-DD")
    end = graphene.String(description="YYYY-MM-DD")
    status = graphene.String()
    budget = graphene.Float()
    currency = graphene.String()
    people_targeted = graphene.Int()
    visibility = graphene.String(description="public | private")
    public_precision = graphene.String(description="exact | admin | country")
    iati_identifier = graphene.String()


def domain_filter(value: Mapping[str, Any] | None) -> DomainFilter:
    """The domain filter for a GraphQL filter input (bbox parsed and checked as in REST)."""
    return DomainFilter.from_params(value or {})


def _plain(value: Any) -> Any:
    """Graphene input containers → plain dicts and lists, keeping only the keys sent."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in dict.items(value)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def load_initiative_input(value: Mapping[str, Any], partial: bool = False) -> dict[str, Any]:
    """Load through the same marshmallow schema as REST (snake_case keys, same messages)."""
    return load_or_raise(InitiativeInputSchema(), _plain(value), partial=partial)
