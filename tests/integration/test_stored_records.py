"""The engine's records read as plain rows are those built from each loaded initiative.

`live_records` reads initiatives and their links with five statements a batch and no ORM
object; `record_from_initiative` builds a record from a loaded initiative (the write path).
On real files, with a coalition's goals, partners, places kept at a coarser public
precision, generated titles and withdrawn work, both must give the same records.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select, update

from coordination.models import Initiative
from coordination.permissions import SYSTEM
from coordination.services.imports import import_records
from coordination.services.initiatives import register_initiative
from coordination.services.stored_records import live_records, record_from_initiative
from coordination.services.visions import load_vision_document

from ..factories import in_unit_of_work, initiative_data
from .test_bulk_equivalence import _records

REAL = Path(__file__).resolve().parents[1] / "data" / "real"


def test_records_read_as_rows_are_those_of_the_loaded_initiatives(session):
    in_unit_of_work(session, import_records, _records("iati", REAL / "iati" / "dportal_117_excerpt.xml"), SYSTEM)
    in_unit_of_work(session, import_records, _records("hxl", REAL / "hxl" / "whowhatwhere_345_honduras_excerpt.csv"),
                    SYSTEM)
    load_vision_document(session, {"slug": "lake-water", "name": "Lake water coalition", "goals": [
        {"code": "W1", "title": "Safe wells", "sdg_code": "6.1"}, {"code": "W2", "title": "Unmapped"}]})
    session.commit()
    in_unit_of_work(session, register_initiative, SYSTEM, initiative_data(
        goals=["lake-water:W1", "lake-water:W2", "4.1"], organisation={"name": "Lake Trust", "org_identifier": "XM-LT"},
        partners=[{"organisation": {"name": "Hill Pumps"}, "role": "implementing"}],
        locations=[{"name": "Kisumu", "country": "KE", "lat": -0.0917, "lon": 34.768},
                   {"name": "Kakamega", "country": "KE"}]))
    ids = session.scalars(select(Initiative.id).order_by(Initiative.id)).all()
    session.execute(update(Initiative).where(Initiative.id.in_(ids[::3])).values(public_precision="admin1"))
    session.execute(update(Initiative).where(Initiative.id.in_(ids[1::7])).values(public_precision="country"))
    session.execute(update(Initiative).where(Initiative.id.in_(ids[2::11])).values(withdrawn_at=Initiative.created_at))
    session.execute(update(Initiative).where(Initiative.id.in_(ids[4::9])).values(title_generated=True, description=""))
    session.commit()
    loaded = [record_from_initiative(i) for i in session.scalars(
        select(Initiative).where(Initiative.withdrawn_at.is_(None)).order_by(Initiative.id))]
    assert len(loaded) > 40
    assert any(r.partner_ids for r in loaded) and any(not r.own_text for r in loaded)
    assert any("6.1" in r.goals for r in loaded if r.organisation_id == loaded[-1].organisation_id)
    assert any(p.precision != "point" for r in loaded for p in r.places)
    assert list(live_records(session)) == loaded
    assert list(live_records(session, batch=7)) == loaded  # batches of any size
    some = [r.id for r in loaded[::5]]
    assert list(live_records(session, ids=some)) == [r for r in loaded if r.id in set(some)]
    withdrawn = ids[2::11]  # asked for, not live: left out
    assert list(live_records(session, ids=[*reversed(some), *withdrawn], batch=3)) == [
        r for r in loaded if r.id in set(some)]  # in id order, `batch` ids a statement
    # Every live one but some (a write's own rows), batches left empty by them included.
    first_batch = {r.id for r in loaded[:7]}
    for skip in (set(some), first_batch, first_batch | {r.id for r in loaded[-3:]}):
        assert list(live_records(session, batch=7, skip=skip)) == [r for r in loaded if r.id not in skip]
    assert list(live_records(session, skip=set(some))) == [r for r in loaded if r.id not in set(some)]


def test_records_share_empty_sets_and_repeated_names(session):
    """The index keeps a record per initiative in every serving process: records with no
    partners or links share one empty set, and places name their country and areas with one
    string per name, not a copy per record read."""
    in_unit_of_work(session, import_records, _records("hxl", REAL / "hxl" / "whowhatwhere_345_honduras_excerpt.csv"),
                    SYSTEM)
    session.commit()
    for records in (list(live_records(session)), [record_from_initiative(i) for i in session.scalars(
            select(Initiative).order_by(Initiative.id))]):
        lonely = [r for r in records if not r.partner_ids]
        assert len(lonely) > 10
        assert len({id(r.partner_ids) for r in lonely}) == 1
        assert len({id(r.related_identifiers) for r in records if not r.related_identifiers}) == 1
        places = [p for r in records for p in r.places if p.admin1_name]
        by_name: dict[str, set[int]] = {}
        for place in places:
            by_name.setdefault(place.admin1_name, set()).add(id(place.admin1_name))
        assert any(sum(p.admin1_name == name for p in places) > 1 for name in by_name)  # names repeat
        assert all(len(copies) == 1 for copies in by_name.values())
        assert len({id(p.country) for p in places}) == len({p.country for p in places})
