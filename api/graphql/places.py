"""GraphQL types of a location, built from its one list of fields (`coordination.vocab.LOCATION_FIELDS`)."""
from __future__ import annotations

import graphene

from coordination.vocab import LOCATION_FIELDS, LOCATION_PRECISIONS

_SCALARS = {"text": graphene.String, "number": graphene.Float}
_DESCRIBED = {"precision": " | ".join(LOCATION_PRECISIONS)}


def location_type(name: str, base: type, doc: str, descriptions: dict[str, str] | None = None,
                  required: tuple[str, ...] = ()) -> type:
    """A graphene type (`base`: ObjectType or InputObjectType) with a location's fields, in order."""
    described = {**_DESCRIBED, **(descriptions or {})}
    fields = {field: _SCALARS[kind](description=described.get(field), required=field in required)
              for field, kind in LOCATION_FIELDS}
    return type(name, (base,), {"__doc__": doc, **fields})
