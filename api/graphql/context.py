"""What every resolver gets as `info.context`: the session, the actor and the limits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from coordination.permissions import Actor


@dataclass
class Context:
    """One GraphQL request: read and write through `session` as `actor`."""

    session: Session
    actor: Actor
    config: Mapping[str, Any] = field(default_factory=dict)
