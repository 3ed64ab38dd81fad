"""What every resolver gets as `info.context`: the session, the actor, the limits and the loaders."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from coordination.permissions import Actor

from .loaders import Loaders


@dataclass
class Context:
    """One GraphQL request: read and write through `session` as `actor`.

    `loaders` batch and cache the nested fields of the initiatives this request hands out
    (see api/graphql/loaders.py); a fresh set per request unless one is given.
    """

    session: Session
    actor: Actor
    config: Mapping[str, Any] = field(default_factory=dict)
    loaders: Loaders | None = None

    def __post_init__(self) -> None:
        if self.loaders is None:
            self.loaders = Loaders(self.session, self.actor)
