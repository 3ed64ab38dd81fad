"""Analytics answers (groups, fragmentation, network) computed once per request and cached per process.

Requests without a filter are answered from the kept state of `coordination.maintained`
(updated by what changed, never recomputed per request); the rest as below.

`insights.groups_for`, `fragmentation_for` and `network_for` read every record the reader
may see and compute over all of them: about a second each on 1,500 initiatives. The doors
(REST, GraphQL, pages) call them through the wrappers here, which

- remember each distinct (function, arguments, reader class) for the rest of the request
  (`memo`, a dict the door keeps per request): twenty aliases of one GraphQL field, or
  `gaps` next to `fragmentation` with the same arguments, compute once;
- keep finished answers in a small process-level `AnalyticsCache`, keyed by the database,
  the reader class, the function and its arguments, and valid only for the data version
  they were computed at (`data_version`: one statement over the change log, initiatives,
  overlaps and organisations, so a new initiative, a decision or `recompute_all` writing
  overlaps all move it) and for at most `ttl` seconds (a safety net for writes that bypass
  every column the version reads).

Privacy: the reader class (`reader_class`) is what decides which initiatives and places a
reader sees (`visibility.readable_clause` / `exact_clause`): coordinators ("all"), one
organisation's members ("org", id), everyone else ("public"). An answer is only ever served
to readers of the same class, so an organisation's answer, which counts its private work,
never reaches anonymous readers or another organisation.

Answers are stored pickled: every hit is a fresh copy a caller may change freely, and the
cache can count its bytes. Concurrent misses of one key compute once (the others wait for
it). Nothing here imports Flask: the doors pass the cache and the memo in.
"""
from __future__ import annotations

import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import insights
from .maintained import KeptAnalytics
from .models import Change, Initiative, Organisation, Overlap
from .permissions import Actor
from .queries import InitiativeFilter

Reader = tuple  # ("all",) | ("org", organisation_id) | ("public",)
_VERSION = ("data_version",)  # the memo's entry for the request's data version


def reader_class(actor: Actor) -> Reader:
    """Readers with the same class see exactly the same initiatives and places."""
    if actor.reads_everything:
        return ("all",)
    if actor.organisation_id is not None:
        return ("org", int(actor.organisation_id))
    return ("public",)


def data_version(session: Session) -> tuple:
    """What the analytics depend on, in one statement: any committed write moves it.

    The newest change (id and time: ids restart after a reset or restore), then count, newest id
    and newest `updated_at` of initiatives and of overlaps (`recompute_all` and bulk imports write
    without the change log), and count and newest id of organisations.
    """
    def scalar(*columns):
        return [select(c).scalar_subquery() for c in columns]

    def count(model):  # count(*), not count(id): the same number (ids are never null), read from the
        # smallest index without each row's id (SQLite: 0.4 ms instead of 11 ms for 280,000 overlaps)
        return select(func.count()).select_from(model).scalar_subquery()

    row = session.execute(select(
        *scalar(func.max(Change.id), func.max(Change.at)),
        count(Initiative), *scalar(func.max(Initiative.id), func.max(Initiative.updated_at)),
        count(Overlap), *scalar(func.max(Overlap.id), func.max(Overlap.updated_at)),
        count(Organisation), *scalar(func.max(Organisation.id)),
    )).one()
    return tuple(row)


def database_key(session: Session) -> str:
    """Which database a session talks to (answers are per database)."""
    return session.get_bind().url.render_as_string(hide_password=True)


def _has_pending_writes(session: Session) -> bool:
    """Unflushed changes in the session: an answer computed now may never be committed."""
    return bool(session.new or session.dirty or session.deleted)


@dataclass
class _Entry:
    version: tuple
    stored_at: float
    blob: bytes


class AnalyticsCache:
    """A small LRU of pickled analytics answers, each valid for one data version and `ttl` seconds."""

    def __init__(self, max_entries: int = 128, max_bytes: int = 64 << 20, ttl: float = 600.0,
                 clock: Callable[[], float] = time.monotonic, kept: KeptAnalytics | None = None):
        """At most `max_entries` answers and `max_bytes` bytes; one answer at most a quarter of that.

        `kept`: the kept analytics unfiltered requests are answered from (one is made if None)."""
        self.max_entries, self.max_bytes, self.ttl = max_entries, max_bytes, ttl
        self.kept = kept if kept is not None else KeptAnalytics()
        self._clock = clock
        self._items: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._inflight: dict[Hashable, list] = {}  # key -> [lock, waiters]
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    @property
    def size_bytes(self) -> int:
        """Bytes of the stored answers."""
        return self._bytes

    def _get(self, key: Hashable, version: tuple) -> tuple[bool, Any]:
        with self._lock:
            entry = self._items.get(key)
            if entry is None:
                return False, None
            if entry.version != version or self._clock() - entry.stored_at > self.ttl:
                self._drop(key)
                return False, None
            self._items.move_to_end(key)
            blob = entry.blob
        return True, pickle.loads(blob)

    def _drop(self, key: Hashable) -> None:
        entry = self._items.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry.blob)

    def _put(self, key: Hashable, version: tuple, value: Any) -> None:
        blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        if len(blob) > self.max_bytes // 4:
            return  # one huge answer must not flush everything else
        with self._lock:
            self._drop(key)
            self._items[key] = _Entry(version, self._clock(), blob)
            self._bytes += len(blob)
            while self._items and (len(self._items) > self.max_entries or self._bytes > self.max_bytes):
                self._drop(next(iter(self._items)))

    def get_or_compute(self, key: Hashable, version: tuple, compute: Callable[[], Any]) -> Any:
        """The answer stored under `key` for `version`, else `compute()` (once, however many ask at once)."""
        found, value = self._get(key, version)
        if found:
            self.hits += 1
            return value
        with self._lock:
            slot = self._inflight.setdefault(key, [threading.Lock(), 0])
            slot[1] += 1
        try:
            with slot[0]:
                found, value = self._get(key, version)  # another request may have just computed it
                if found:
                    self.hits += 1
                    return value
                self.misses += 1
                value = compute()
                self._put(key, version, value)
                return value
        finally:
            with self._lock:
                slot[1] -= 1
                if slot[1] == 0:
                    self._inflight.pop(key, None)

    def clear(self) -> None:
        """Forget every answer."""
        with self._lock:
            self._items.clear()
            self._bytes = 0
            self.hits = self.misses = 0
        self.kept.clear()


def cached(session: Session, actor: Actor, name: str, args: Hashable, compute: Callable[[], Any],
           cache: AnalyticsCache | None = None, memo: dict | None = None, kept: str | None = None) -> Any:
    """`compute()`'s answer for (name, args) as the actor's reader class sees it, computed as rarely as possible.

    `args` must hold every input of the computation but the reader (filters as their repr).
    Without `cache`, only the request's `memo` (if any) is used. With unflushed writes in the
    session nothing is read from or stored in the process cache. `kept` names the kept answer
    (`maintained.ANSWERS`) equal to `compute()`'s: the cache's kept state answers instead, with
    an answer shared between requests (read-only: callers must not change it).
    """
    key = (name, args, reader_class(actor))
    if memo is not None and key in memo:
        return memo[key]
    if cache is None or _has_pending_writes(session):
        value = compute()
    else:
        version = memo.get(_VERSION) if memo is not None else None
        if version is None:
            version = data_version(session)  # read before the answer: a write in between moves it next time
            if memo is not None:
                memo[_VERSION] = version
        if kept is not None:
            value = cache.kept.answer(session, actor, (database_key(session), key[2]), version, kept)
        else:
            value = cache.get_or_compute((database_key(session), *key), version, compute)
    if memo is not None:
        memo[key] = value
    return value


def groups_for(session: Session, actor: Actor, f: InitiativeFilter, cache: AnalyticsCache | None = None,
               memo: dict | None = None) -> list[dict[str, Any]]:
    """`insights.groups_for` (with allies, the first 50 groups), cached."""
    return cached(session, actor, "groups_for", (repr(f),),
                  lambda: insights.groups_for(session, actor, f), cache, memo,
                  kept="groups" if f == InitiativeFilter() else None)


def fragmentation_for(session: Session, actor: Actor, f: InitiativeFilter, area_level: str = "country",
                      period: tuple[date | None, date | None] | None = None,
                      cache: AnalyticsCache | None = None, memo: dict | None = None) -> dict[str, Any]:
    """`insights.fragmentation_for`, cached (GraphQL `gaps` shares the answer with `fragmentation`)."""
    unfiltered = f == InitiativeFilter() and period is None and area_level in ("country", "admin1")
    return cached(session, actor, "fragmentation_for", (repr(f), area_level, repr(period)),
                  lambda: insights.fragmentation_for(session, actor, f, area_level, period), cache, memo,
                  kept=f"fragmentation {area_level}" if unfiltered else None)


def network_for(session: Session, actor: Actor, f: InitiativeFilter, cache: AnalyticsCache | None = None,
                memo: dict | None = None) -> dict[str, Any]:
    """`insights.network_for`, cached."""
    return cached(session, actor, "network_for", (repr(f),),
                  lambda: insights.network_for(session, actor, f), cache, memo,
                  kept="network" if f == InitiativeFilter() else None)


__all__ = ["AnalyticsCache", "cached", "data_version", "fragmentation_for", "groups_for", "network_for",
           "reader_class"]
