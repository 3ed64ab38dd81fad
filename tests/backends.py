"""Which real databases the integration tests run on, and how to reset them between tests.

SQLite always runs. PostgreSQL runs when TEST_DATABASE_URL is set or a server answers on
127.0.0.1:5432; without one it skips on a laptop, but under CI=true it fails instead.
"""
from __future__ import annotations

import atexit
import os
import shutil
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.orm import Session

from coordination.models import Base
from coordination.services.visions import ensure_sdg_vision

from .resources import missing

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/coordination_test"
_state: dict = {}


def _private_database(url: str) -> str:
    """A database of this test process's own (parallel runs must not share tables)."""
    base = make_url(url)
    name = f"{base.database}_{os.getpid()}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT",
                          connect_args={"connect_timeout": 3})
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()

    def drop() -> None:
        engine = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()

    atexit.register(drop)
    return base.set(database=name).render_as_string(hide_password=False)


def postgres_url() -> str:
    """The PostgreSQL test database, or skip (fail in CI) if none answers."""
    if "pg" in _state:
        return _state["pg"]
    url = os.environ.get("TEST_DATABASE_URL", DEFAULT_PG)
    try:
        url = _private_database(url)
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        Base.metadata.create_all(engine)
        with Session(engine) as session:
            ensure_sdg_vision(session)
            session.commit()
        engine.dispose()
    except Exception as err:  # noqa: BLE001 - any failure to reach the server means "no PostgreSQL"
        missing(f"PostgreSQL not reachable at {url}: {err.__class__.__name__}: {err}")
    _state["pg"] = url
    return url


def reset_postgres(url: str) -> None:
    """Empty every table except the built-in SDG vision, restarting ids."""
    engine = create_engine(url)
    tables = [t.name for t in Base.metadata.sorted_tables if t.name not in ("vision", "goal")]
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        conn.execute(text("DELETE FROM goal WHERE vision_id IN (SELECT id FROM vision WHERE slug <> 'sdg')"))
        conn.execute(text("DELETE FROM vision WHERE slug <> 'sdg'"))
    engine.dispose()


def app_engine(url: str, **options):
    """An engine set up as the app sets up its own (on SQLite: `api.sqlite.attach`)."""
    from api.sqlite import attach

    engine = create_engine(url, **options)
    attach(engine)
    return engine


def _remove_template(template: Path, creator: int) -> None:
    """The template goes with the test process that made it (not with a child forked from it)."""
    if os.getpid() == creator:
        template.unlink(missing_ok=True)


def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite file with the schema and the SDG vision, copied from a template."""
    template = _state.get("sqlite_template")
    if template is None:
        template = Path(os.environ.get("PYTEST_TMP_TEMPLATE", "/tmp")) / f"coordination-template-{os.getpid()}.sqlite"
        template.unlink(missing_ok=True)
        atexit.register(_remove_template, template, os.getpid())
        engine = create_engine(f"sqlite:///{template}")
        Base.metadata.create_all(engine)
        with Session(engine) as session:
            ensure_sdg_vision(session)
            session.commit()
        engine.dispose()
        _state["sqlite_template"] = template
    target = tmp_path / "test.sqlite"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"
