"""Bulk imports write in batches and still cost a refused record only itself.

`import_records` checks every record as a form would, writes many in one savepoint and one
flush, and finds overlaps once at the end. These tests pin what that must not change: a bad
record among good ones in one batch, a record named twice before its organisation exists,
the history and identifiers of every record, and overlaps the same as one-by-one writes.
"""
from __future__ import annotations

from sqlalchemy import func, select

from coordination.models import Change, Initiative, Organisation, Overlap
from coordination.permissions import SYSTEM
from coordination.services.imports import WRITE_BATCH, import_records

from ..factories import BOREHOLES, WELLS, in_unit_of_work, initiative_data, recompute

NEW_ORG = {"name": "Lakeside Water Trust", "org_identifier": "KE-NGO-9911"}
OTHER_ORG = {"name": "Kisumu Pumps Collective", "org_identifier": "KE-NGO-9912"}


def _records(n: int) -> list[dict]:
    return [initiative_data(title=f"Well repairs, lot {i}", iati_identifier=f"KE-NGO-9911-{i}",
                            organisation=NEW_ORG) for i in range(n)]


def test_a_refused_record_in_a_batch_costs_only_itself(session):
    records = _records(WRITE_BATCH + 10)
    bad = records[5]
    bad["start"], bad["end"] = "2025-06-01", "2025-01-01"  # end before start: refused by the service
    records[7]["iati_identifier"] = records[3]["iati_identifier"]  # the same record named twice
    report = in_unit_of_work(session, import_records, records, SYSTEM)
    assert (report.created, report.existing, report.skipped) == (len(records) - 2, 1, 1)
    assert report.problems[0]["record"] == "KE-NGO-9911-5" and "end" in report.problems[0]["fields"]
    stored = set(session.scalars(select(Initiative.iati_identifier)))
    assert stored == {r["iati_identifier"] for r in records} - {"KE-NGO-9911-5"}
    assert session.scalar(select(func.count(Organisation.id)).where(Organisation.name == NEW_ORG["name"])) == 1


def test_every_imported_record_has_its_history_and_its_own_platform_identifier(session):
    report = in_unit_of_work(session, import_records, _records(30), SYSTEM)
    assert report.created == 30
    rows = session.execute(select(Initiative.id, Initiative.platform_identifier, Initiative.iati_identifier)).all()
    platform = [p for _, p, _ in rows]
    # Its organisation's identifier and its id, unless another initiative already exports that.
    assert all(p.startswith(f"KE-NGO-9911-{i}") for i, p, _ in rows)
    assert len(set(platform)) == 30
    created = set(session.scalars(select(Change.entity_id).where(
        Change.entity_type == "initiative", Change.action == "create")))
    assert created == {i for i, _, _ in rows}


def test_importing_the_same_file_again_creates_nothing(session):
    in_unit_of_work(session, import_records, _records(12), SYSTEM)
    again = in_unit_of_work(session, import_records, _records(12), SYSTEM)
    assert (again.created, again.existing, again.skipped) == (0, 12, 0)


def test_overlaps_found_after_a_bulk_import_are_those_of_a_full_recomputation(session):
    records = [{**BOREHOLES, "organisation": NEW_ORG, "iati_identifier": "KE-NGO-9911-B"},
               {**WELLS, "organisation": OTHER_ORG, "iati_identifier": "KE-NGO-9912-W"}]
    in_unit_of_work(session, import_records, records, SYSTEM)

    def found() -> set:
        return set(session.execute(select(Overlap.initiative_a_id, Overlap.initiative_b_id, Overlap.score)
                                   .where(Overlap.active)).all())

    after_import = found()
    assert len(after_import) == 1
    recompute(session)
    assert found() == after_import


def test_records_of_organisations_new_to_the_platform_go_in_one_batch(session, monkeypatch):
    """3W rows: each names its organisation, most of them new, and has a provenance of its own.
    None can repeat a pending one, so nothing is written early (before: a batch per row whose
    organisation was not registered yet). A record with the identifier of a pending one still
    waits for it to be written, and is then found to be the same record."""
    from coordination.services import imports

    batches: list[int] = []
    real = imports._Registrar.register
    monkeypatch.setattr(imports._Registrar, "register",
                        lambda self, records: (records and batches.append(len(records))) or real(self, records))
    rows = [initiative_data(title=f"Latrines, site {i}", provenance=f"hxl:3w.csv#row={i + 2}",
                            organisation={"name": f"Village Water Committee {i % 6}"}) for i in range(40)]
    report = in_unit_of_work(session, import_records, rows, SYSTEM)
    assert (report.created, report.existing, batches) == (40, 0, [40])
    assert session.scalar(select(func.count(Organisation.id)).where(
        Organisation.name.like("Village Water Committee %"))) == 6

    batches.clear()
    again = [initiative_data(title=f"Handpumps {i}", iati_identifier=f"XM-NEW-{i % 5}",
                             organisation={"name": "Handpump Alliance", "org_identifier": "XM-NEW"}) for i in range(8)]
    report = in_unit_of_work(session, import_records, again, SYSTEM)
    # The sixth names the first's identifier: the five before it are written, then it is known.
    assert (report.created, report.existing, batches) == (5, 3, [5])


def test_a_batch_holding_refused_records_writes_the_others_in_one_batch(session, monkeypatch):
    """Before, one refused record sent its whole batch through one registration per record
    (an import with 2% bad records took five times as long). Now a record its check refuses
    (an end before its start) is refused before the batch is built, and one refused as it is
    built (an unknown goal: the database says so) has the others go in one batch again and is
    tried alone. Each is refused with its own reason, in the records' order."""
    from coordination.services import imports

    batches: list[int] = []
    real = imports._Registrar.register
    monkeypatch.setattr(imports._Registrar, "register",
                        lambda self, records: (records and batches.append(len(records))) or real(self, records))
    records = _records(40)
    for i in (3, 17, 30):
        records[i]["start"], records[i]["end"] = "2025-06-01", "2025-01-01"  # end before start
    records[25]["goals"] = ["99.9"]  # no such goal
    report = in_unit_of_work(session, import_records, records, SYSTEM)
    assert (report.created, report.existing, report.skipped) == (36, 0, 4)
    assert batches == [37, 36, 1]  # before: [40, 36, 1, 1, 1, 1] (each refused record tried alone)
    assert [(p["record"], sorted(p["fields"])) for p in report.problems] == [
        ("KE-NGO-9911-3", ["end"]), ("KE-NGO-9911-17", ["end"]), ("KE-NGO-9911-25", ["goals"]),
        ("KE-NGO-9911-30", ["end"])]
    stored = set(session.scalars(select(Initiative.iati_identifier)))
    assert stored == {r["iati_identifier"] for r in records} - {f"KE-NGO-9911-{i}" for i in (3, 17, 25, 30)}
