"""Nudges people will read: which overlaps reach an organisation, grouped by its own initiative.

Every overlap the engine finds is kept and listed (initiative pages, the overlaps list, the
API). Only those scoring at least `NudgePolicy.notify_threshold` *reach* an organisation: its
inbox, its webhooks, its digest. They arrive grouped by the organisation's own initiative,
best first ("3 efforts overlap with Boreholes in Kisumu"), with the best few shown and the rest
one click away; a digest carries at most `digest_initiatives` such groups.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class NudgePolicy:
    """How many overlaps reach an organisation, and how they are bundled."""

    notify_threshold: float = 0.50  # see docs/NUDGES.md for how it was chosen
    shown_per_initiative: int = 3  # overlaps shown under each own initiative; the rest one click away
    inbox_initiatives: int = 10  # own initiatives per inbox page
    digest_initiatives: int = 10  # own initiatives per digest e-mail; the rest: "see your inbox"

    def __post_init__(self) -> None:
        if not 0.0 <= self.notify_threshold <= 1.0:
            raise ValueError("notify_threshold must lie in [0, 1]")
        if min(self.shown_per_initiative, self.inbox_initiatives, self.digest_initiatives) < 1:
            raise ValueError("the numbers shown must be at least 1")


POLICY = NudgePolicy()


@dataclass(frozen=True, slots=True)
class Notice:
    """One notice as the grouping needs it: the overlap, its score, which side is the reader's."""

    notice_id: int
    overlap_id: int
    own_id: int
    score: float
    unread: bool
    created_at: datetime | None = None


@dataclass(slots=True)
class Bundle:
    """The notices about one of the organisation's own initiatives, best first."""

    own_id: int
    notices: list[Notice] = field(default_factory=list)

    @property
    def best(self) -> float:
        return self.notices[0].score if self.notices else 0.0

    @property
    def unread(self) -> int:
        return sum(n.unread for n in self.notices)


def current(policy: NudgePolicy | None = None) -> NudgePolicy:
    """The policy in force: the one given, else this platform's (`POLICY`, read at call time)."""
    return policy or POLICY


def bundle(notices: Iterable[Notice]) -> list[Bundle]:
    """Group notices by own initiative: bundles with unread notices first, then by best score."""
    by_own: dict[int, Bundle] = {}
    for n in notices:
        by_own.setdefault(n.own_id, Bundle(n.own_id)).notices.append(n)
    for b in by_own.values():
        b.notices.sort(key=lambda n: (-n.score, n.overlap_id))
    return sorted(by_own.values(), key=lambda b: (b.unread == 0, -b.best, b.own_id))


def reaches(score: float, policy: NudgePolicy | None = None) -> bool:
    """Whether an overlap of this score is pushed to the organisations (inbox, webhooks, digest)."""
    return score >= current(policy).notify_threshold


__all__ = ["POLICY", "Bundle", "Notice", "NudgePolicy", "bundle", "current", "reaches"]
