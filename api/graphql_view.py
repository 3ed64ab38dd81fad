"""GraphQL endpoint: the blueprint lives in `api.graphql.view`."""

from .graphql.view import bp

__all__ = ["bp"]
