"""GraphQL endpoint: the blueprint lives in `api.graphql.view` (the schema in `api.graphql.schema`)."""

from .graphql.view import bp

__all__ = ["bp"]
