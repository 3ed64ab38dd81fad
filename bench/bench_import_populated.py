"""Benchmark: importing an IATI file into a platform that already holds many initiatives.

`bench_import` imports into an empty database. A real platform holds tens of thousands of
initiatives already; what an import costs then depends on how its overlaps are found
(`overlaps.detect_after_import`: the new initiatives against the index of the others). This
builds the synthetic corpus of `--populated` initiatives (`bench/synthetic.py`'s regions,
overlaps stored: `bench_analytics.populate`) once into a SQLite file, then, each run on a
copy of it:

- warm: the process already holds the overlap index (a server that has answered a request);
- cold: it does not (the CLI: `coordination import` in a fresh process), twice: with no
  snapshot of the index on disk (it builds the index from every stored initiative and writes
  the snapshot, as the first process ever on a database does), and with one (it reads it and
  replays the change log after it: `services.index_snapshots`);
- the baseline, in the same process: the per-record path (`register_initiative` for each
  record, its overlaps found right after it, index warm) on the first `--baseline` records;
- with `--small-files K`: K files of `--small-size` activities (600: all published IATI is
  ~1M activities in ~1,600 publishers' files) imported one after another into one copy, index
  warm, as `coordination import` does with many files (one generated file of K x size cut
  in order: no file repeats another): what each file costs besides its activities
  (organisations looked up again, the stored partners gathered, a commit). Twice, each on a
  copy of its own: each file parsed in this process, as before; then as the command
  now does it, one process parsing all the files (`file_imports.files_ahead`, started before
  this process builds its index).

    .venv/bin/python -m bench.bench_import_populated --populated 50000 --activities 4000
"""
from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from lxml import etree
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from api import create_app
from api.extensions import db
from bench.bench_analytics import populate
from bench.bench_import import IATI, _cpu, _import, generate, per_record, report, timed
from coordination.formats.pcodes import area
from coordination.models import Initiative, Overlap
from coordination.services import index_snapshots, overlap_index
from coordination.services.file_imports import files_ahead, import_file
from coordination.services.visions import ensure_sdg_vision
from coordination.unit_of_work import UnitOfWork


class Databases:
    """The populated template and its copies: SQLite files in `folder`, or PostgreSQL databases
    next to the one `url` names (`CREATE DATABASE ... TEMPLATE`)."""

    def __init__(self, folder: Path, url: str | None) -> None:
        self.folder, self.url = folder, url and make_url(url)

    def template(self) -> str:
        return self.copy("populated", fresh=True)

    def copy(self, name: str, fresh: bool = False) -> str:
        """A database called `name`: empty if `fresh`, else a copy of the template."""
        if self.url is None:
            path = self.folder / f"{name}.sqlite"
            if not fresh:
                shutil.copy(self.folder / "populated.sqlite", path)
            return f"sqlite:///{path}"
        admin = create_engine(self.url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "bench_{name}"'))
            source = "" if fresh else ' TEMPLATE "bench_populated"'
            conn.execute(text(f'CREATE DATABASE "bench_{name}"{source}'))
        admin.dispose()
        return self.url.set(database=f"bench_{name}").render_as_string(hide_password=False)


def build(url: str, n: int) -> None:
    """The populated database, written once."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        db.create_all()
        ensure_sdg_vision(db.session)
        db.session.commit()
        started = time.perf_counter()
        overlaps = populate(n)
        # Each initiative's "create" entry, as a registration or import writes it: the change log
        # a process catches up from (and an index snapshot names its place in).
        db.session.execute(text("INSERT INTO change (entity_type, entity_id, action, actor, at) "
                                "SELECT 'initiative', id, 'create', 'bench', created_at FROM initiative ORDER BY id"))
        db.session.commit()
        if db.engine.dialect.name == "postgresql":  # `populate` gives ids itself: move the sequences past them
            for table in ("organisation", "initiative", "initiative_goal", "location", "partner"):
                db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                        f"(SELECT coalesce(max(id), 1) FROM {table}))"))
            db.session.commit()
        print(f"populated: {n:,} initiatives, {overlaps:,} overlaps stored ({time.perf_counter() - started:.0f} s)")
        db.session.remove()
        db.engine.dispose()


def run(databases: Databases, name: str, label: str, path: Path, warm: bool, baseline: int = 0,
        snapshot: bool = False) -> None:
    """One import (or the baseline) on a copy of the populated database. Cold (not `warm`), the
    process holds no index: it reads the database's snapshot when there is one (`snapshot`:
    one is written first, by a process building the index, as any first process does), else
    builds the index and writes the snapshot (the first process ever on the database)."""
    url = databases.copy(name)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        session = db.session
        if warm or snapshot:
            started = time.perf_counter()
            overlap_index.current_index(session)
            session.commit()
            index_snapshots.wait_for_writers()  # written long before, in a real process's life
            print(f"  {'':<34} (index of the stored initiatives built before timing: "
                  f"{time.perf_counter() - started:.1f} s{', snapshot written' if snapshot else ''})")
            if snapshot:
                overlap_index.forget(session)  # a new process
                started = time.perf_counter()
                overlap_index.current_index(session)
                session.commit()
                print(f"  {'':<34} (a new process's index read from the snapshot: "
                      f"{time.perf_counter() - started:.1f} s)")
                overlap_index.forget(session)  # the import's process holds no index
        before = session.scalar(select(func.count(Overlap.id)))
        if baseline:
            created, wall, cpu = timed(lambda: per_record("iati", path, baseline))
        else:
            out, wall, cpu = timed(lambda: _import_to_the_end(path))
            created = out["created"]
        stored = session.scalar(select(func.count(Overlap.id))) - before
        live = session.scalar(select(func.count(Initiative.id)))
        report(label, created, wall, cpu)
        print(f"  {'':<34} {stored:,} overlaps stored by it; {live:,} initiatives now")
        overlap_index.forget(session)
        session.remove()
        db.engine.dispose()


def _import_to_the_end(path: Path) -> dict:
    """The import, then the wait for a snapshot it set writing, as `coordination import` waits
    before it exits."""
    out = _import("iati", path)
    index_snapshots.wait_for_writers()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description="Import into a populated platform")
    parser.add_argument("--populated", type=int, default=50_000)
    parser.add_argument("--activities", type=int, default=4000)
    parser.add_argument("--baseline", type=int, default=200)
    parser.add_argument("--small-files", type=int, default=0, help="files of --small-size imported in a row")
    parser.add_argument("--small-size", type=int, default=600)
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL URL: its server gets databases bench_* (dropped first); default SQLite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["COORDINATION_INSTANCE"] = str(folder / "instance")  # its snapshots go there too
        databases = Databases(folder, args.database_url)
        build(databases.template(), args.populated)
        path = folder / "bench.xml"
        generate(path, args.activities)
        run(databases, "warmup", "warm-up (gazetteer, text model)", IATI / "foodsecurity_input_dportal.xml",
            warm=False, baseline=3)
        area("AF01")
        kind = "PostgreSQL" if args.database_url else "SQLite"
        print(f"IATI file: {args.activities:,} activities; database: {kind} holding {args.populated:,}")
        run(databases, "base", "per-record path (baseline)", path, warm=True, baseline=args.baseline)
        for round_ in (1, 2):
            run(databases, f"warm{round_}", f"import_file, index warm ({round_})", path, warm=True)
            run(databases, f"cold{round_}", f"index cold, no snapshot ({round_})", path, warm=False)
            run(databases, f"snap{round_}", f"index cold, snapshot ({round_})", path, warm=False, snapshot=True)
        if args.small_files:
            small_files(databases, folder, args.small_files, args.small_size)
    return 0


def small_files(databases: Databases, folder: Path, count: int, size: int) -> None:
    """`count` files of `size` activities into a copy, index warm: parsed in this process, then
    by one parser process for all of them (as the command). The files are one generated file of
    `count` x `size` activities cut in order, so together they hold the activities (and pairs)
    of that one file: no file repeats another's content (copies of one file would each meet
    every earlier copy, and later files would find ever more overlaps)."""
    generate(folder / "small.xml", count * size)
    paths = split(folder / "small.xml", size, folder / "small-{}.xml")
    for parser_process in (False, True):
        url = databases.copy(f"small{int(parser_process)}")
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with app.app_context():
            session = db.session
            # The command starts its parser process first, before it holds the index.
            ahead = files_ahead("iati", paths) if parser_process else None
            overlap_index.current_index(session)
            session.commit()
            index_snapshots.wait_for_writers()  # its snapshot, written before timing
            walls, created = [], 0
            before = session.scalar(select(func.count(Overlap.id)))
            cpu = _cpu()
            for path in paths:
                out, wall, _ = timed(lambda p=path: _import_with(p, ahead))
                walls.append(wall)
                created += out["created"]
            if ahead is not None:
                ahead.close()  # waited for: its CPU is counted (all of it, from its start)
            cpu = _cpu() - cpu
            total = sum(walls)
            how = "one parser process" if parser_process else "each parsed here"
            report(f"{count} files of {size:,}, {how}", created, total, cpu)
            print(f"  {'':<34} per file {min(walls):.2f}-{max(walls):.2f} s (first {walls[0]:.2f} s, "
                  f"median {sorted(walls)[len(walls) // 2]:.2f} s); "
                  f"1M activities in files of {size:,} at this rate: {1e6 / (created / total) / 3600:.2f} h")
            print(f"  {'':<34} {session.scalar(select(func.count(Overlap.id))) - before:,} overlaps stored by them")
            overlap_index.forget(session)
            session.remove()
            db.engine.dispose()


def split(path: Path, size: int, pattern: Path) -> list[Path]:
    """The activities of the IATI file `path` written in order to files of `size` activities,
    named by `pattern` ("...-{}.xml", numbered from 0); their paths."""
    parts: list[list[bytes]] = [[]]
    for _, activity in etree.iterparse(str(path), tag="iati-activity"):
        if len(parts[-1]) == size:
            parts.append([])
        parts[-1].append(etree.tostring(activity))
        activity.clear()
    paths = []
    for k, part in enumerate(parts):
        target = Path(str(pattern).format(k))
        target.write_bytes(b'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'
                           + b"\n".join(part) + b"\n</iati-activities>\n")
        paths.append(target)
    return paths


def _import_with(path: Path, ahead) -> dict:
    """`import_file` of one file in its own unit of work, as `coordination import` runs it."""
    with UnitOfWork(db.session) as uow:
        out = import_file(uow, "iati", path, ahead=ahead)
        uow.commit()
    return out


if __name__ == "__main__":
    raise SystemExit(main())
