"""Configuration: environment first, then the mapping passed to `create_app`."""
from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from coordination import json_text
from coordination.freshness import stale_after_days_from


def secret_key(instance: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the instance folder."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def database_uri(instance: Path) -> str:
    """DATABASE_URL, else an SQLite file in the instance folder."""
    url = os.environ.get("DATABASE_URL")
    if url:
        # Accept the common postgres:// spelling and pick the psycopg 3 driver.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://"):]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    return f"sqlite:///{instance / 'coordination.sqlite'}"


def build_config(instance: Path, overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """The full configuration for an app whose instance folder is `instance`."""
    overrides = dict(overrides or {})
    uri = overrides.get("SQLALCHEMY_DATABASE_URI") or database_uri(instance)
    engine_options: dict[str, Any] = {"pool_pre_ping": True}
    if uri.startswith("sqlite"):
        # WAL + a busy timeout let readers and one writer share the file.
        engine_options = {"connect_args": {"timeout": 15}}
    engine_options["json_serializer"] = json_text.dumps  # JSON columns' text, ~8x json.dumps's speed
    config = {
        "SECRET_KEY": overrides.get("SECRET_KEY") or secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": uri,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH") or 2 * 1024 * 1024),
        "JSON_SORT_KEYS": False,
        "OVERLAPS_ENABLED": True,
        # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted (0: none,
        # so a client cannot pick its own address); 1 behind one nginx.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES") or 0),
        # Where rate-limit buckets live: "memory" (per process), "database" (shared by every
        # worker and machine), or "auto" (database on PostgreSQL, memory on SQLite).
        "RATE_LIMIT_STORAGE": os.environ.get("RATE_LIMIT_STORAGE", "auto"),
        # The session cookie: never readable by scripts, never sent on cross-site posts. Flask
        # defines these keys already, so they are set here, not with setdefault. It is marked
        # Secure on HTTPS requests, or always with SESSION_COOKIE_SECURE or
        # PREFERRED_URL_SCHEME=https (see api.security.SessionInterface).
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "").lower() in ("1", "true", "yes"),
        "PREFERRED_URL_SCHEME": os.environ.get("PREFERRED_URL_SCHEME", "http"),
        # Days after its last confirmation an initiative shows as stale (ageing from half of it):
        # see coordination.freshness.
        "STALE_AFTER_DAYS": stale_after_days_from({"STALE_AFTER_DAYS": overrides.get("STALE_AFTER_DAYS")}),
        # Threads numpy's BLAS may use per process (0: its own default, one per core). A web
        # worker answers one request per thread and shares the cores with the other workers and
        # the database: BLAS threads then wait for each other (measured: the betweenness of a
        # 1,250-organisation network 33-46 ms with one thread, 103-106 ms with two, on two busy cores).
        "BLAS_THREADS": int(os.environ.get("BLAS_THREADS", "1")),
        # Python's cyclic garbage collector: allocations between young collections, and young
        # collections between older ones (Python's defaults: 700, 10, 10). A process holding a
        # kept state (millions of long-lived objects) paid 15-30 ms of collections per analytics
        # request after a write with the defaults; empty: leave the defaults.
        "GC_THRESHOLDS": os.environ.get("GC_THRESHOLDS", "20000,20,20"),
        # The folder where the overlap index is kept on disk between processes (empty: never),
        # and the number of initiatives from which it is (coordination.services.index_snapshots):
        # a new process then reads it instead of every stored initiative (at 50,000: ~1 s
        # against ~4 s). One file per database, about 2.3 KB per initiative.
        "OVERLAP_INDEX_SNAPSHOTS": os.environ.get("OVERLAP_INDEX_SNAPSHOTS", str(instance / "index-snapshots")),
        "OVERLAP_INDEX_SNAPSHOT_FROM": int(os.environ.get("OVERLAP_INDEX_SNAPSHOT_FROM") or 10_000),
    }
    config.update(overrides)
    return config
