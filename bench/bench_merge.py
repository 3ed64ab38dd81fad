"""Benchmark: a tag merge that moves thousands of initiatives, on a platform of many.

A coordinator merges a tag into another (`tag_curation.merge_tags`): each initiative whose tags
change gets a new version and a history line, and the engine looks at its overlaps again. This
builds `bench_import_populated`'s corpus of `--populated` initiatives into a SQLite file, tags
every 25th initiative "WASH" and the next one "Water supply" (`--populated` / 25 each), and
then merges "WASH" into "Water supply" on a copy, the process's index warm (built before
timing, as a server holds it), twice each way, in one process:

- the baseline: each moved initiative looked at alone (`UnitOfWork.after_write` of each, the
  path before `after_writes`);
- now: all of them at once (`UnitOfWork.after_writes`, `overlaps.detect_for_many`).

Both must leave the same overlaps stored (checked). Printed: wall and CPU seconds of the merge
and its commit, initiatives moved, the stored pairs it changed.

    .venv/bin/python -m bench.bench_merge --populated 50000
"""
from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from sqlalchemy import select, text

from api import create_app
from api.extensions import db
from bench.bench_import import _cpu
from bench.bench_import_populated import build
from coordination.models import Overlap
from coordination.permissions import Actor
from coordination.services import index_snapshots, overlap_index
from coordination.services.tag_curation import merge_tags
from coordination.services.tags import create_missing_tags, tags_for_labels
from coordination.unit_of_work import UnitOfWork

COORDINATOR = Actor(role="coordinator", organisation_id=None, label="bench coordinator")


def tag_corpus(url: str) -> int:
    """Every 25th initiative tagged "WASH", the next one "Water supply"; how many carry "WASH"."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        session = db.session
        create_missing_tags(session, ["WASH", "Water supply"])
        tags = tags_for_labels(session, ["WASH", "Water supply"])
        session.flush()
        for offset, label in ((0, "WASH"), (1, "Water supply")):
            session.execute(text("INSERT INTO initiative_tag (initiative_id, tag_id, label) "
                                 "SELECT id, :tag, :label FROM initiative WHERE id % 25 = :offset"),
                            {"tag": tags[label].id, "label": label, "offset": offset})
        session.commit()
        moved = session.scalar(text("SELECT count(*) FROM initiative_tag WHERE tag_id = :t"), {"t": tags["WASH"].id})
        session.remove()
        db.engine.dispose()
    return int(moved)


def merge(url: str, label: str, one_by_one: bool) -> set:
    """The merge on the database at `url`, index warm; the stored pairs afterwards."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        session = db.session
        overlap_index.current_index(session)
        session.commit()
        index_snapshots.wait_for_writers()  # its snapshot, written before timing
        before = set(session.execute(select(Overlap.initiative_a_id, Overlap.initiative_b_id, Overlap.score,
                                            Overlap.active)).all())
        original = UnitOfWork.after_writes
        if one_by_one:  # the path before: the engine looks at each moved initiative alone
            UnitOfWork.after_writes = lambda uow, initiatives: [uow.after_write(i, "update") for i in initiatives]
        try:
            wall, cpu = time.perf_counter(), _cpu()
            with UnitOfWork(session) as uow:
                merge_tags(uow, COORDINATOR, ["WASH"], "Water supply")
                uow.commit()
            wall, cpu = time.perf_counter() - wall, _cpu() - cpu
        finally:
            UnitOfWork.after_writes = original
        after = set(session.execute(select(Overlap.initiative_a_id, Overlap.initiative_b_id, Overlap.score,
                                           Overlap.active)).all())
        print(f"  {label:<44} {wall:7.2f} s wall  {cpu:7.2f} s CPU  "
              f"{len(after - before):>7,} stored pairs new or changed")
        overlap_index.forget(session)
        session.remove()
        db.engine.dispose()
        return after


def main() -> int:
    parser = argparse.ArgumentParser(description="A tag merge moving thousands of initiatives")
    parser.add_argument("--populated", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["COORDINATION_INSTANCE"] = str(folder / "instance")
        template = folder / "populated.sqlite"
        build(f"sqlite:///{template}", args.populated)
        moved = tag_corpus(f"sqlite:///{template}")
        print(f"SQLite holding {args.populated:,} initiatives; the merge moves {moved:,} of them")
        results = {}
        for round_ in (1, 2):
            for one_by_one, label in ((True, "baseline: each moved initiative alone"),
                                      (False, "now: all moved initiatives at once")):
                copy = folder / f"copy-{round_}-{one_by_one}.sqlite"
                shutil.copyfile(template, copy)
                results[one_by_one] = merge(f"sqlite:///{copy}", f"{label} ({round_})", one_by_one)
                copy.unlink()
            same = results[True] == results[False]
            print(f"  {'':<44} the same overlaps stored both ways: {same}")
            if not same:
                return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
