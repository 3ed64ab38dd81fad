"""GraphQL errors in the platform's one error shape: `extensions: {code, fields}`.

Domain errors keep their code, message and fields (field names in GraphQL
spelling, e.g. `peopleTargeted`); anything unexpected becomes `internal_error`
with a generic message, is logged, and never shows its stack trace.
"""

from __future__ import annotations

import re
from typing import Any

from graphql import GraphQLError
from sqlalchemy.exc import DBAPIError, OperationalError

from coordination.errors import DomainError

INTERNAL_MESSAGE = "Something went wrong on our side; nothing was saved."


def camel_path(path: str) -> str:
    """ "locations.0.admin1_code" → "locations.0.admin1Code"."""
    return ".".join(
        re.sub(r"(?<=[a-z0-9])_([a-z0-9])", lambda m: m.group(1).upper(), part)
        for part in path.split(".")
    )


def error_entry(
    code: str, message: str, fields: dict | None = None, **extra: Any
) -> dict[str, Any]:
    """One entry of a response's `errors` list."""
    return {"message": message, **extra, "extensions": {"code": code, "fields": fields or {}}}


def domain_entry(err: DomainError, **extra: Any) -> dict[str, Any]:
    """A domain error as a GraphQL error entry."""
    fields = {camel_path(k): list(v) for k, v in err.fields.items()}
    return error_entry(err.code, err.message, fields, **extra)


def format_error(err: GraphQLError) -> tuple[dict[str, Any], str]:
    """The error entry for an execution error, and its kind: domain, request or unexpected."""
    extra: dict[str, Any] = {}
    if err.locations:
        extra["locations"] = [{"line": loc.line, "column": loc.column} for loc in err.locations]
    if err.path:
        extra["path"] = list(err.path)
    original = err.original_error
    if isinstance(original, DomainError):
        return domain_entry(original, **extra), "domain"
    if isinstance(original, OperationalError) or (
            isinstance(original, DBAPIError) and original.connection_invalidated):
        # The database went away: the same 503 "unavailable" as REST, so clients retry.
        return error_entry("unavailable", "The database is unavailable; try again shortly.", {}, **extra), "unavailable"
    if original is None or isinstance(original, GraphQLError):
        # Raised by graphql-core itself: bad variables, unknown operation, and the like.
        return error_entry("validation_error", err.message, {}, **extra), "request"
    return error_entry("internal_error", INTERNAL_MESSAGE, {}, **extra), "unexpected"
