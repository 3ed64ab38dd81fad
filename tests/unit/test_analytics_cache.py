"""The process-level analytics cache: versions, expiry, bounds, copies, one computation per key."""
from __future__ import annotations

import threading
import time

from coordination.analytics_cache import AnalyticsCache, cached, reader_class
from coordination.permissions import ANONYMOUS, Actor


def test_an_answer_is_served_for_its_version_only_and_as_a_copy():
    cache, calls = AnalyticsCache(), []

    def compute():
        calls.append(1)
        return {"nodes": [1, 2]}

    first = cache.get_or_compute("k", (1,), compute)
    first["nodes"].append(99)  # a caller changing its answer changes nothing cached
    assert cache.get_or_compute("k", (1,), compute) == {"nodes": [1, 2]} and len(calls) == 1
    assert cache.get_or_compute("k", (2,), compute) == {"nodes": [1, 2]} and len(calls) == 2
    assert (cache.hits, cache.misses) == (1, 2)


def test_answers_expire_and_the_cache_stays_within_its_bounds():
    now = [0.0]
    cache = AnalyticsCache(max_entries=2, max_bytes=4000, ttl=10, clock=lambda: now[0])
    for key in "abc":
        cache.get_or_compute(key, (1,), lambda: [0] * 10)
    assert len(cache) == 2  # the least recently used went
    now[0] = 11
    calls = []
    cache.get_or_compute("c", (1,), lambda: calls.append(1) or [0])
    assert calls == [1]  # expired
    cache.get_or_compute("big", (1,), lambda: "x" * 2000)  # over a quarter of max_bytes: not kept
    assert "big" not in cache._items and cache.size_bytes <= 4000


def test_concurrent_misses_of_one_key_compute_once():
    cache, calls = AnalyticsCache(), []

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return 42

    results: list = []
    threads = [threading.Thread(target=lambda: results.append(cache.get_or_compute("k", (1,), slow)))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [42] * 4 and len(calls) == 1


def test_reader_classes_separate_everyone_who_sees_differently():
    member_a, admin_a = Actor("member", 1), Actor("admin", 1)
    assert reader_class(member_a) == reader_class(admin_a) == ("org", 1)
    assert reader_class(Actor("member", 2)) == ("org", 2)
    assert reader_class(ANONYMOUS) == ("public",)
    assert reader_class(Actor("coordinator")) == reader_class(Actor("platform_admin")) == ("all",)
    assert len({reader_class(a) for a in (member_a, Actor("member", 2), ANONYMOUS, Actor("coordinator"))}) == 4


def test_the_request_memo_is_keyed_by_reader_too():
    memo: dict = {}
    assert cached(None, Actor("member", 1), "f", ("x",), lambda: "org 1", memo=memo) == "org 1"
    assert cached(None, ANONYMOUS, "f", ("x",), lambda: "public", memo=memo) == "public"
    assert cached(None, Actor("member", 1), "f", ("x",), lambda: "again", memo=memo) == "org 1"
