"""Memory of an import as its file grows: what it holds beyond what the platform keeps anyway.

`.venv/bin/python -m bench.bench_import_memory --sizes 4000,16000,32000` (SQLite). For each
size, an IATI file of real activities (`bench_import.generate` with `era`: copies move to other
countries and, every `--era` copies, 200 years on, so pairs per activity stay level however
large the file, as in published data) is imported in a forked process of its own, on its own
peak RSS (`bench_import.in_child`). The baseline, in the same run, is what any process that
serves the platform holds for the same initiatives: a second forked process opens the
database the import left and builds the overlap index of everything stored (the engine keeps
every initiative's features in memory; an import hands its records to that index after its
commit). What grows with the file beyond that index is the import's own working memory:
"memory flat in file size" is that column staying level.
"""
from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from api import create_app
from api.extensions import db
from bench.bench_import import IATI, _status_kb, fresh_database, generate, in_child, per_record
from coordination.convergence.memory import return_freed_memory
from coordination.formats.pcodes import area
from coordination.models import Overlap
from coordination.services import index_snapshots, overlap_index
from coordination.services.file_imports import import_file
from coordination.services.visions import ensure_sdg_vision
from coordination.unit_of_work import UnitOfWork


def _app(database: Path):
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "bench"})


def _import(database: Path, path: Path) -> dict:
    """Import `path` into a new database at `database` (kept); peak RSS measured by `in_child`."""
    start = _status_kb("VmRSS")
    with _app(database).app_context():
        db.create_all()
        ensure_sdg_vision(db.session)
        db.session.commit()
        wall = time.perf_counter()
        with UnitOfWork(db.session) as uow:
            out = import_file(uow, "iati", path)
            uow.commit()
        wall = time.perf_counter() - wall
        pairs = db.session.scalar(select(func.count(Overlap.id)))
        db.session.remove()
        db.engine.dispose()
    gc.collect()
    return_freed_memory()  # what is still held, not what the allocator kept for reuse
    return {"created": out["created"], "pairs": pairs, "wall": wall,
            "after_growth_mb": (_status_kb("VmRSS") - start) / 1024}


def _index_alone(database: Path) -> dict:
    """Build the overlap index of everything in `database`, as a serving process does; what
    it holds is the RSS growth once built (its peak, building, is higher)."""
    start = _status_kb("VmRSS")
    with _app(database).app_context():
        index = overlap_index.current_index(db.session)
        db.session.commit()
        index_snapshots.wait_for_writers()  # the snapshot it writes (another process) is not what it holds
        held = len(index)
        db.session.remove()
        db.engine.dispose()
    gc.collect()
    return_freed_memory()
    return {"indexed": held, "held_mb": (_status_kb("VmRSS") - start) / 1024}


def main() -> int:
    parser = argparse.ArgumentParser(description="Import memory as the file grows")
    parser.add_argument("--sizes", default="4000,16000,32000", help="activities per file, comma-separated")
    parser.add_argument("--era", type=int, default=16, help="copies of the real activities per era")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with fresh_database(None):  # the gazetteer, the text model and the p-code table, loaded once
        per_record("iati", IATI / "foodsecurity_input_dportal.xml", 3)
    area("AF01")
    overlap_index.text_model()
    print(f"{'activities':>10} {'pairs/act':>9} {'import peak':>12} {'index held':>12} "
          f"{'working':>8} {'working/act':>12} {'import':>8}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["COORDINATION_INSTANCE"] = str(Path(tmp) / "instance")  # its index snapshots too
        for size in sizes:
            path = Path(tmp) / f"era-{size}.xml"
            generate(path, size, era=args.era)
            database = Path(tmp) / f"era-{size}.sqlite"
            run = in_child(lambda p=path, d=database: _import(d, p))
            alone = in_child(lambda d=database: _index_alone(d))
            assert alone["indexed"] == run["created"], "the index holds every imported initiative"
            working = run["peak_growth_mb"] - alone["held_mb"]
            rows.append((size, run["peak_growth_mb"], alone["held_mb"], working))
            print(f"{size:>10,} {run['pairs'] / size:>9.2f} {run['peak_growth_mb']:>9.0f} MB "
                  f"{alone['held_mb']:>9.0f} MB {working:>5.0f} MB {working * 1024 / size:>9.1f} KB "
                  f"{run['wall']:>6.1f} s   (index built cold: peak +{alone['peak_growth_mb']:.0f} MB)")
            path.unlink()
            database.unlink()
    (small, peak_a, alone_a, work_a), (large, peak_b, alone_b, work_b) = rows[0], rows[-1]
    span = (large - small) / 1024
    print(f"per further activity ({small:,} -> {large:,}): import peak +{(peak_b - peak_a) / span:.1f} KB, "
          f"index held +{(alone_b - alone_a) / span:.1f} KB, working memory {(work_b - work_a) / span:+.1f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
