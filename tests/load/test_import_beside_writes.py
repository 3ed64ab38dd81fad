"""An import and a registration at the same moment on PostgreSQL: other processes see both.

Every process keeps its overlap index (and its kept analytics, and the map) in step by
replaying the change log in id order (`overlap_index.current_index`). That only works if
change ids follow commit order among writers: a registration takes the overlap lock before
its change row gets an id. An import writes its change rows batch by batch; if it took the
lock only at its end, a registration committing meanwhile would get a higher id than rows
the import commits later, a process catching up in between would move past them, and never
see the imported initiatives. The import takes the lock before its first write.
"""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from coordination.models import Initiative
from coordination.permissions import SYSTEM
from coordination.services import overlap_index
from coordination.services.imports import WRITE_BATCH, import_records
from coordination.services.initiatives import register_initiative
from coordination.unit_of_work import UnitOfWork

from ..backends import postgres_url, reset_postgres
from ..factories import initiative_data
from .test_concurrent_writes import run_beside


@pytest.mark.postgres
def test_a_registration_during_an_import_does_not_hide_the_import_from_another_process():
    url = postgres_url()
    reset_postgres(url)
    engine = create_engine(url)
    importer, registrar, other = Session(engine), Session(engine), Session(engine)
    records = [initiative_data(title=f"Well repairs, lot {i}", iati_identifier=f"XM-IMP-{i}",
                               organisation={"name": "Lakeside Water Trust", "org_identifier": "XM-IMP"})
               for i in range(WRITE_BATCH + 1)]
    seen: dict = {}

    def register() -> None:
        with UnitOfWork(registrar) as uow:
            register_initiative(uow, SYSTEM, initiative_data(
                title="Borehole repairs", tags=["Boreholes"], organisation={"name": "Hill Pumps", "org_identifier": "XM-REG"}))
            uow.commit()

    def progress(done: int, total: int) -> None:
        if done == total:  # a batch of the import is written (not committed) and another is pending
            seen["thread"], seen["outcome"] = run_beside(register, wait=1.0)
            # Another process builds its index now, from what is committed.
            seen["state"] = overlap_index.build_index(other)
            other.commit()

    try:
        with UnitOfWork(importer) as uow:
            import_records(uow, records, SYSTEM, progress=progress, total=len(records))
            uow.commit()
        seen["thread"].join(30)
        assert "error" not in seen["outcome"], repr(seen["outcome"].get("error"))
        live = other.scalar(select(func.count(Initiative.id)))
        assert live == len(records) + 1
        # That process catches up from the change log, as it does before each use.
        key = overlap_index._key(other)
        overlap_index._states[key] = seen["state"]
        caught_up = overlap_index.current_index(other)
        assert len(caught_up) == live
    finally:
        overlap_index.forget(overlap_index._key(other))
        for session in (importer, registrar, other):
            session.close()
        engine.dispose()
