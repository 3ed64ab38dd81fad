"""The overlap: a scored pair of initiatives of different organisations.

Two overlaps are equal when they name the same pair with the same score; components and
explanation are carried along but do not take part in equality or hashing.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Overlap:
    """A scored pair of initiatives (a_id < b_id) with its components and explanation."""

    a_id: int
    b_id: int
    score: float
    components: dict[str, float] = field(default_factory=dict, hash=False, compare=False)
    explanation: str = field(default="", compare=False)

    @property
    def pair(self) -> tuple[int, int]:
        """The (a_id, b_id) key of the pair."""
        return (self.a_id, self.b_id)
