"""Small caches of finished map answers and of filter matches, each entry valid for a while."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable


class AnswerCache:
    """A small LRU of finished answers (bytes), each valid for `ttl` seconds."""

    def __init__(self, size: int = 256, ttl: float = 30.0):
        """At most `size` answers, each kept at most `ttl` seconds."""
        self.size, self.ttl = size, ttl
        self._items: OrderedDict[Hashable, tuple[float, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> object | None:
        """The answer stored under `key`, or None."""
        with self._lock:
            item = self._items.get(key)
            if item is None or time.monotonic() - item[0] > self.ttl:
                self._items.pop(key, None)
                return None
            self._items.move_to_end(key)
            return item[1]

    def put(self, key: Hashable, value: object) -> None:
        """Store an answer, dropping the least recently used beyond `size`."""
        with self._lock:
            self._items[key] = (time.monotonic(), value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget every answer."""
        with self._lock:
            self._items.clear()


ANSWERS = AnswerCache()  # finished map answers (encoded), see api/pages/geojson.py
MATCHES = AnswerCache(size=64, ttl=3600.0)  # filter -> matching ids, per data marker (the table TTL)
