"""Remembering how parts of a changing overlap graph were split, without re-reading their links.

`group_split` splits a component into parts, and a kept state (`coordination.maintained`)
splits the touched component again after every write. A part whose records and links among
its members did not change splits as before. `split_component`'s plain memo knows a part by
its records and the sorted links among them; building that key reads every link of every
member, which at thousands of members costs more than most splits it saves.

`ChangeMemo` knows a part by its members' ids instead, and remembers the stamp each member had
when the part was split. Every change is told to it as it happens (`record_changed`,
`link_changed`), moving the stamps of the initiatives concerned and noting what changed in a
per-initiative log. When a part is asked for again and a member's stamp has moved, the log
since says whether the change was inside the part (its record, or a link to another member:
split again) or only a link to an initiative outside it (the split holds). The pieces a cut
part falls into are remembered the same way; summaries of groups (`describe`) depend on the
records alone, so only record changes count for them.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from coordination.records import InitiativeRecord

RECORD = None  # a log entry for a change of the record itself


class ChangeMemo:
    """Splits and summaries of parts, checked against the changes told since."""

    def __init__(self, limit: int = 40_000) -> None:
        self.limit = limit
        self.entries: dict[Hashable, tuple[tuple[int, ...], Any]] = {}
        self.stamps: dict[int, int] = {}
        self.log: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
        self._clock = 0

    def __len__(self) -> int:
        return len(self.entries)

    def record_changed(self, initiative_id: int) -> None:
        """The initiative's record came, went or changed."""
        self._clock += 1
        self.stamps[initiative_id] = self._clock
        if self.entries:  # with nothing remembered, no entry can ask what changed since
            self.log[initiative_id].append((self._clock, RECORD))

    def link_changed(self, a: int, b: int) -> None:
        """The link between `a` and `b` came, went or changed its score."""
        self._clock += 1
        for one, other in ((a, b), (b, a)):
            self.stamps[one] = self._clock
            if self.entries:
                self.log[one].append((self._clock, other))

    def trim(self) -> None:
        """Forget everything remembered once there is more than `limit` (stamps stay)."""
        if len(self.entries) > self.limit:
            self.entries.clear()
            self.log.clear()

    def _holds(self, ids: tuple[int, ...], then: tuple[int, ...], now: tuple[int, ...], links: bool) -> bool:
        """Whether nothing that counts changed between stamps `then` and `now` of the members `ids`."""
        inside: set[int] | None = None
        for i, old, new in zip(ids, then, now):
            if old == new:
                continue
            if links and inside is None:
                inside = set(ids)
            for stamp, other in reversed(self.log.get(i, ())):
                if stamp <= old:
                    break
                if other is RECORD or (links and other in inside):
                    return False
        return True

    def remembered(self, kind: str, members: Sequence[InitiativeRecord], extra: Hashable,
                   compute: Callable[[], Any], links: bool = True) -> Any:
        """What `compute()` gave for these members (and `extra`) if nothing that counts changed
        since; else `compute()`, remembered. With `links`, a link between two members counts;
        else only their records do."""
        ids = tuple(r.id for r in members)
        now = tuple(self.stamps.get(i, 0) for i in ids)
        key = (kind, ids, extra)
        held = self.entries.get(key)
        if held is not None and (held[0] == now or self._holds(ids, held[0], now, links)):
            if held[0] != now:
                self.entries[key] = (now, held[1])
            return held[1]
        value = compute()
        self.entries[key] = (now, value)
        return value


__all__ = ["ChangeMemo"]
