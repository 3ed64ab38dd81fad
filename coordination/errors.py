"""Domain exceptions. The doors map each `code` to one error shape and HTTP status."""
from __future__ import annotations


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""

    code = "error"

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationError(DomainError):
    """The input is wrong; `fields` names each offending field and why."""

    code = "validation_error"


class NotFound(DomainError):
    """The thing does not exist, or the actor may not know it exists."""

    code = "not_found"


class AuthenticationRequired(DomainError):
    """No valid credentials were given for an action that needs them."""

    code = "unauthorized"


class PermissionDenied(DomainError):
    """The actor is known but may not do this."""

    code = "forbidden"


class Conflict(DomainError):
    """The write collides with the current state (duplicate, stale version)."""

    code = "conflict"
