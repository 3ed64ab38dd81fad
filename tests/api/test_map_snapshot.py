"""The map's point table is stored in the database: a new process starts from it, not from every point."""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import select, update

from coordination.mapping import snapshot
from coordination.mapping import table as point_table
from coordination.models import Location, MapSnapshot
from api.sqlite import declare_read_only, reset_read_only
from coordination.permissions import ANONYMOUS
from coordination.queries import InitiativeFilter

from ..factories import BOREHOLES, WELLS, make_initiative, make_organisation


def _rows(t):
    return sorted(zip(t.initiative_id.tolist(), t.organisation_id.tolist(), t.lat.tolist(), t.lon.tolist(),
                      t.approximate.tolist(), [t.palette[c] for c in t.colour.tolist()]))


@contextmanager
def reading(session):
    """Read as a web request with a safe method does (on SQLite: without taking the write lock)."""
    session.commit()
    token = declare_read_only()
    try:
        yield
    finally:
        session.commit()
        reset_read_only(token)


def _two_initiatives(session):
    trust = make_organisation(session, name="Kisumu Water Trust")
    wells = make_organisation(session, name="Lake Basin Wells")
    make_initiative(session, trust, **BOREHOLES)
    sensitive = make_initiative(session, wells, **{**WELLS, "public_precision": "admin"})
    session.commit()
    return trust, sensitive


def test_building_the_table_stores_it_and_the_stored_copy_holds_the_same_points(session):
    _two_initiatives(session)
    point_table.forget_all()
    with reading(session):
        table, _ = point_table.current_points(session, point_table.PUBLIC)
        marker = point_table.data_marker(session)
    stored = session.scalar(select(MapSnapshot).where(MapSnapshot.audience == "public"))
    assert len(table) == 2
    if session.get_bind().dialect.name == "sqlite":
        assert stored is None  # a read on SQLite never writes (see snapshot.store)
        return
    assert stored is not None
    assert _rows(snapshot.decode(stored.payload)) == _rows(table)
    assert (stored.change_id, stored.change_at, stored.newest_initiative) == marker


def test_a_new_process_starts_from_the_stored_table_and_replays_later_writes(session):
    trust, sensitive = _two_initiatives(session)
    with reading(session):
        point_table.current_points(session, point_table.PUBLIC)
    point_table.forget_all()  # as a new process
    # A change no log explains: a table read from every point would show it, the stored one does not.
    session.execute(update(Location).where(Location.initiative_id == sensitive.id).values(admin1="Nairobi"))
    session.commit()
    with reading(session):
        before = point_table.view_points(session, ANONYMOUS, InitiativeFilter())
    added = make_initiative(session, trust, **{**BOREHOLES, "title": "Kisumu school latrines"})
    session.commit()
    point_table.forget_all()
    with reading(session):
        after = point_table.view_points(session, ANONYMOUS, InitiativeFilter())
    fresh = point_table.load_points(session, point_table.PUBLIC)
    stored_copy = _rows(before) != _rows(fresh.take(fresh.initiative_id != added.id))
    # PostgreSQL: the sensitive point still stands where the snapshot had it (Kisumu's centroid,
    # not Nairobi's); SQLite stores nothing, so the new process read every point.
    assert len(before) == 2 and stored_copy == (session.get_bind().dialect.name != "sqlite")
    assert added.id in after.initiative_id.tolist()  # the logged write was replayed
    assert len(after) == 3
