"""Backup and restore of the whole database: SQLite's online backup API, pg_dump/pg_restore for PostgreSQL."""
from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from ..errors import ValidationError


def _sqlite_path(url: URL) -> str:
    if not url.database or url.database == ":memory:":
        raise ValidationError("An in-memory database cannot be backed up.", {"database": ["is in memory"]})
    return url.database


def pg_tool(name: str) -> str:
    """The newest pg_dump/pg_restore: PATH, else /usr/lib/postgresql/<version>/bin."""
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    found = candidates[-1] if candidates else shutil.which(name)
    if not found:
        raise ValidationError(f"{name} is not installed (apt-get install postgresql-client).",
                              {"database": [f"{name} not found"]})
    return found


def _pg_args(url: URL) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment (the password travels in PGPASSWORD, not argv)."""
    args = ["--host", url.host or "127.0.0.1", "--port", str(url.port or 5432),
            "--username", url.username or "postgres", "--dbname", url.database or "postgres"]
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600, check=False)
    if result.returncode != 0:
        raise ValidationError(f"{Path(command[0]).name} failed: {result.stderr.strip()[:500]}",
                              {"database": [result.stderr.strip()[:200]]})


def backup_database(database_url: str, target: Path) -> Path:
    """Write a consistent copy of the live database to `target` (SQLite file or pg_dump custom format)."""
    url = make_url(database_url)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)  # online: readers and writers may go on meanwhile
        finally:
            copy.close()
            source.close()
        return target
    if url.get_backend_name() == "postgresql":
        args, env = _pg_args(url)
        _run([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), *args], env)
        return target
    raise ValidationError(f"Backups of {url.get_backend_name()} are not supported.", {"database": ["unsupported"]})


def restore_database(database_url: str, source: Path) -> None:
    """Replace the database's contents with a backup made by `backup_database` (close connections first)."""
    url = make_url(database_url)
    source = Path(source)
    if not source.is_file():
        raise ValidationError(f"No backup file {source}.", {"file": ["does not exist"]})
    if url.get_backend_name() == "sqlite":
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        live = sqlite3.connect(_sqlite_path(url), timeout=30)
        try:
            if backup.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise ValidationError(f"{source} is not a sound SQLite backup.", {"file": ["integrity check failed"]})
            backup.backup(live)  # one transaction: the live file is replaced whole or not at all
        except sqlite3.DatabaseError as err:
            raise ValidationError(f"{source} is not an SQLite backup: {err}", {"file": [str(err)]}) from None
        finally:
            live.close()
            backup.close()
        return
    if url.get_backend_name() == "postgresql":
        args, env = _pg_args(url)
        _run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--exit-on-error", *args, str(source)], env)
        return
    raise ValidationError(f"Restoring {url.get_backend_name()} is not supported.", {"database": ["unsupported"]})
