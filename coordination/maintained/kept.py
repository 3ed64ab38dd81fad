"""Per process: one kept state per (database, reader class), caught up before it answers.

`KeptAnalytics.answer(session, actor, version, name)` brings the reader class's state up to
`version` (the data version the request read first: a write after it moves the version
again, so the next request catches up again) and answers from it:

- no state yet, or older than `resync` seconds: built from every record (the one full read);
- same version as last time: nothing to read;
- else: what changed since (`source.since`) is applied; a change the rows cannot tell
  (tags, visions, a restore) builds the state again.

Answers are shared and read-only: the same objects are returned to every request until a
change, and a change never alters an answer already handed out (the views build new lists and
dicts for what they recompute and keep the rest). Copying them per request would cost more
than everything else: the network at 50k initiatives holds 220,000 links. One lock per
state: concurrent requests of one class wait for the catch-up in progress rather than
repeating it.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy.orm import Session

from ..convergence.memory import settle_long_lived
from ..permissions import Actor
from . import source
from .state import KeptState

ANSWERS = ("groups", "fragmentation country", "fragmentation admin1", "network")


class _Slot:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.state: KeptState | None = None
        self.mark: source.Mark | None = None
        self.version: tuple | None = None
        self.built_at = 0.0
        self.answers: dict[str, tuple[int, Any]] = {}


class KeptAnalytics:
    """The kept states of one process, by (database, reader class)."""

    def __init__(self, resync: float = 3600.0, clock: Callable[[], float] = time.monotonic,
                 max_states: int = 8):
        """`max_states`: reader classes kept at once (each holds every record its class may read);
        the least recently asked is dropped, and built again if asked again."""
        self.resync, self._clock, self.max_states = resync, clock, max_states
        self._slots: OrderedDict[Hashable, _Slot] = OrderedDict()
        self._lock = threading.Lock()
        self.builds = self.catch_ups = 0

    def _slot(self, key: Hashable) -> _Slot:
        with self._lock:
            slot = self._slots.setdefault(key, _Slot())
            self._slots.move_to_end(key)
            while len(self._slots) > self.max_states:
                self._slots.popitem(last=False)  # a request still using it keeps its own reference
            return slot

    def _build(self, slot: _Slot, session: Session, actor: Actor) -> None:
        delta, slot.mark = source.full(session, actor)
        slot.state = KeptState()
        slot.state.apply(delta)
        slot.built_at = self._clock()
        slot.answers.clear()
        self.builds += 1
        settle_long_lived()

    def _catch_up(self, slot: _Slot, session: Session, actor: Actor, version: tuple) -> KeptState:
        if slot.state is None or (self.resync and self._clock() - slot.built_at > self.resync):
            self._build(slot, session, actor)
        elif slot.version != version:
            try:
                slot.state.apply(source.since(session, actor, slot.mark, overlap_count=version[5]))
                self.catch_ups += 1
            except source.Rebuild:
                self._build(slot, session, actor)
        slot.version = version
        return slot.state

    def answer(self, session: Session, actor: Actor, key: Hashable, version: tuple, name: str) -> Any:
        """The answer `name` (one of ANSWERS) for the reader class `key[1]`, as of `version` (read-only)."""
        if name not in ANSWERS:
            raise ValueError(f"no kept answer {name!r}")
        slot = self._slot(key)
        with slot.lock:
            state = self._catch_up(slot, session, actor, version)
            held = slot.answers.get(name)
            if held is None or held[0] != state.generation:
                held = slot.answers[name] = (state.generation, _answer(state, name))
        return held[1]

    def clear(self) -> None:
        """Forget every state."""
        with self._lock:
            self._slots.clear()


def _answer(state: KeptState, name: str) -> Any:
    if name == "groups":
        return state.ready(state.groups).answer(state)
    if name == "network":
        return state.ready(state.network).answer(state.names)
    return state.ready(state.cells[name.split()[1]]).answer()


__all__ = ["ANSWERS", "KeptAnalytics"]
