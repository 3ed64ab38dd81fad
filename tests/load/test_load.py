"""Under concurrent writers and readers, served by gunicorn, no acknowledged write is lost or doubled.

A bounded form of `bench/load_test.py` (which prints the figures): a fresh database migrated by
`coordination init`, gunicorn on 127.0.0.1, writers through several organisations' tokens and
readers of filtered lists and GraphQL at the same time. The assertions are about correctness,
never speed.
"""
from __future__ import annotations

import pytest

from bench.load_clients import WORK
from bench.load_test import print_summary, run_once

from ..backends import postgres_url


def assert_every_acknowledged_write_is_stored_once(summary: dict, at_least: int) -> None:
    """The check a user would make: what was acknowledged is there, once, and nothing else is."""
    print_summary(summary)
    check = summary["check"]
    assert summary["warm_up_failures"] == []
    server_errors = {status: n for status, n in summary["statuses"].items() if status >= 500 or status == 0}
    assert server_errors == {}, f"server errors or dropped connections; see {summary.get('server_log')}"
    assert check["acknowledged"] >= at_least
    assert check["found"] == check["acknowledged"] == check["rows"]
    assert check["missing"] == [] and check["wrong_title"] == []
    assert check["extra"] == [] and check["extra_from_unanswered"] == []
    assert check["duplicate_titles"] == [] and check["duplicate_acks"] == 0
    reads = [k for name, k in summary["kinds"].items() if name.startswith("read")]
    assert sum(k["n"] for k in reads) > 0, "the readers must have run beside the writers"


@pytest.mark.slow
@pytest.mark.postgres
def test_concurrent_writers_and_readers_on_postgresql_lose_and_double_nothing():
    postgres_url()  # skips without a server locally, fails under CI=true
    summary = run_once("postgres", workers=2, threads=4, n_orgs=4, writers=6, writes_per_writer=8,
                       readers=3, max_reads=150, time_limit=60)
    assert_every_acknowledged_write_is_stored_once(summary, at_least=len(WORK) + 6 * 8)


@pytest.mark.slow
def test_concurrent_writers_and_readers_on_sqlite_queue_and_lose_nothing():
    # SQLite's realistic concurrency: one writer at a time beside many readers (WAL). Concurrent
    # writers queue on BEGIN IMMEDIATE (busy timeout) instead of failing: every write succeeds.
    summary = run_once("sqlite", workers=2, threads=4, n_orgs=2, writers=4, writes_per_writer=6,
                       readers=3, max_reads=150, time_limit=60)
    assert_every_acknowledged_write_is_stored_once(summary, at_least=len(WORK) + 4 * 6)
