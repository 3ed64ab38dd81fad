"""GraphQL endpoint: the blueprint lives in `api.graphql.view`."""

from .graphql.view import bp

__all__ = ["bp"]
from .graphql import convergence as _convergence  # noqa: E402,F401  (registers the convergence fields)
from .graphql import suggestions as _suggestions  # noqa: E402,F401  (registers suggest)
from .graphql import restore as _restore  # noqa: E402,F401  (registers restoreInitiative)
