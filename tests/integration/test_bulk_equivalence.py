"""An imported file is stored exactly as the same records registered one by one.

The bulk path (`import_records`: plain drafts, suggestions scored per batch, set-based
inserts, overlaps found once at the end) must leave what the per-record path leaves
(`register_initiative` for each record in its own savepoint, its overlaps found right after
it): the initiatives with their goals (own and suggested, with scores), tags, places and
partners, the organisations and tags created, the history entries, the platform
identifiers, the overlaps and the inbox notices. Both run on the same real files, on SQLite
and PostgreSQL; ids are compared by registration order.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select

from coordination.errors import DomainError
from coordination.formats import parse_hxl, parse_iati
from coordination.formats.limits import fit_to_limits
from coordination.models import Change, Initiative, Organisation, Overlap, OverlapNotice, Tag
from coordination.models.base import Base
from coordination.permissions import SYSTEM
from coordination.serialise import initiative_to_dict
from coordination.convergence import beside, new_pairs, overlap
from coordination.formats.items import ImportItem
from coordination.services.import_checks import Preparer
from coordination.services.imports import import_records
from coordination.services.initiatives import register_initiative
from coordination.unit_of_work import UnitOfWork

from ..factories import in_unit_of_work

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
FILES = [("iati", REAL / "iati" / "covid_input_dportal_excerpt.xml"),
         ("iati", REAL / "iati" / "dportal_117_excerpt.xml"),
         ("iati", REAL / "iati" / "dportal_86_excerpt.xml"),
         ("hxl", REAL / "hxl" / "afghanistan_who_does_what_where_july_to_september_2021_excerpt.csv"),
         ("hxl", REAL / "hxl" / "whowhatwhere_345_honduras_excerpt.csv")]
KEPT_TABLES = {"vision", "goal", "alembic_version"}  # the SDG vision every database starts with
KEYS = ("organisations", "organisation_order", "organisation_changes", "tags", "initiatives", "changes", "overlaps")


def _records(kind: str, path: Path) -> list[dict[str, Any]]:
    """The records `import_file` hands to the import (parsed, negative budgets dropped, fitted)."""
    items = parse_iati(path) if kind == "iati" else parse_hxl(path, source_name=path.name)
    out = []
    for item in items:
        if item.problem is not None:
            continue
        record = item.record
        if isinstance(record.get("budget"), (int, float)) and record["budget"] < 0:
            record["budget"], record["currency"] = None, None
        fit_to_limits(record)
        out.append(record)
    return out


def _one_by_one(session, records: list[dict[str, Any]]) -> None:
    """The per-record path: each record registered alone, its overlaps found after it."""
    seen: set[tuple[str, str]] = set()
    with UnitOfWork(session) as uow:
        for record in records:
            key = (repr(record.get("organisation")), record.get("iati_identifier") or record.get("provenance"))
            if key[1] and key in seen:
                continue  # the import counts a repeated record as existing
            seen.add(key)
            try:
                with uow.savepoint():
                    register_initiative(uow, SYSTEM, record)
            except DomainError:
                continue
        uow.commit()


def _stored(session) -> dict[str, Any]:
    """Everything the two paths must agree on, with initiative ids replaced by registration order."""
    session.expire_all()
    initiatives = list(session.scalars(select(Initiative).order_by(Initiative.id)))
    position = {i.id: n for n, i in enumerate(initiatives)}

    def plain(i: Initiative) -> dict[str, Any]:
        data = initiative_to_dict(i)
        for key in ("id", "created_at", "updated_at", "freshness"):
            data.pop(key)
        prefix, _, suffix = i.platform_identifier.rpartition("-")
        assert suffix == str(i.id)
        data.update(platform_prefix=prefix, title_generated=i.title_generated, language=i.language,
                    related=i.related_identifiers, confirmed=i.confirmed_at is not None,
                    links=[(g.goal.ref, g.source, g.primary, g.score) for g in i.goal_links],
                    tag_links=[(t.tag.key, t.label) for t in i.tag_links])
        return data

    changes = [(position[c.entity_id], c.action, c.actor, c.before,
                {**c.after, "id": position[c.after["id"]]})
               for c in session.scalars(select(Change).where(Change.entity_type == "initiative").order_by(Change.id))]
    slug = {o.id: o.slug for o in session.scalars(select(Organisation))}
    # Organisations in the order they were registered, and what their history says.
    organisation_order = [o.slug for o in session.scalars(select(Organisation).order_by(Organisation.id))]
    organisation_changes = [(slug[c.entity_id], c.action, c.before, c.after) for c in session.scalars(
        select(Change).where(Change.entity_type == "organisation").order_by(Change.id))]
    overlaps = {(position[o.initiative_a_id], position[o.initiative_b_id]): (
        o.kind, o.status, o.active, o.score, o.components, o.explanation,
        sorted(slug[n.organisation_id] for n in session.scalars(select(OverlapNotice).where(
            OverlapNotice.overlap_id == o.id))))
        for o in session.scalars(select(Overlap))}
    return {
        "initiatives": [plain(i) for i in initiatives],
        "organisations": sorted((o.slug, o.name, o.type, o.country, o.org_identifier, tuple(o.aliases or ()))
                                for o in session.scalars(select(Organisation))),
        "tags": sorted((t.key, t.label, tuple(t.aliases or ())) for t in session.scalars(select(Tag))),
        "changes": changes,
        "overlaps": overlaps,
        "organisation_order": organisation_order,
        "organisation_changes": organisation_changes,
    }


def _empty(session) -> None:
    for table in reversed(Base.metadata.sorted_tables):
        if table.name not in KEPT_TABLES:
            session.execute(delete(table))
    session.commit()


def _checked_as_in_a_file_import(records: list[dict[str, Any]]):
    """`import_records`' `checked`: each record's checked form, worked out as `import_file`
    does (`import_checks.Preparer`), so the import takes the path a file takes."""
    preparer = Preparer(None, strict=False)
    checked = {id(record): preparer(ImportItem(record=record)).checked for record in records}
    return lambda record: checked.get(id(record))


@pytest.mark.parametrize("kind,path", FILES, ids=[p.name[:30] for _, p in FILES])
@pytest.mark.parametrize("prepared", [False, True], ids=["unchecked", "checked"])
def test_a_file_imported_in_bulk_is_stored_as_its_records_registered_one_by_one(session, kind, path, prepared):
    _one_by_one(session, _records(kind, path))
    one_by_one = _stored(session)
    assert one_by_one["initiatives"], "the file registers nothing"
    _empty(session)
    records = _records(kind, path)
    checked = _checked_as_in_a_file_import(records) if prepared else None
    report = in_unit_of_work(session, import_records, records, SYSTEM, checked=checked)
    bulk = _stored(session)
    assert report.created == len(bulk["initiatives"])
    for key in KEYS:
        assert bulk[key] == one_by_one[key], key


def test_every_file_together_is_stored_as_one_by_one(session, monkeypatch):
    """Several files, each imported into what the ones before left (existing organisations, tags, overlaps).

    The bulk detection uses the records featurised as each batch was written: featurising them
    again at the end would fail here. Half its candidates are scored, and its pairs explained,
    by a forked helper process (`convergence.beside`), however few there are.
    """
    for kind, path in FILES:
        _one_by_one(session, _records(kind, path))
    one_by_one = _stored(session)
    _empty(session)

    class NotAgain(new_pairs.FeatureTable):
        @classmethod
        def from_records(cls, *args, **kwargs):
            raise AssertionError("the import's new records were featurised again at the end")

    monkeypatch.setattr(new_pairs, "FeatureTable", NotAgain)
    # Half the candidates scored and the pairs explained by a helper process, however few.
    monkeypatch.setattr(new_pairs, "SCORED_BESIDE_FROM", 0)
    monkeypatch.setattr(overlap, "EXPLAINED_BESIDE_FROM", 1)
    helpers: list[int] = []

    def spy(helper, main, real=new_pairs.run_beside):
        (pid, answer), mine = real(lambda: (os.getpid(), helper()), main)
        helpers.append(pid)
        return answer, mine

    def map_spy(work, chunks, real=overlap.map_beside):
        for pid, answer in real(lambda chunk: (os.getpid(), work(chunk)), chunks):
            helpers.append(pid)
            yield answer

    monkeypatch.setattr(new_pairs, "run_beside", spy)
    monkeypatch.setattr(overlap, "map_beside", map_spy)
    for kind, path in FILES:
        in_unit_of_work(session, import_records, _records(kind, path), SYSTEM)
    bulk = _stored(session)
    for key in KEYS:
        assert bulk[key] == one_by_one[key], key
    assert len(helpers) > len(FILES)  # each file's candidates, and the pairs of those that found some
    assert all(pid != os.getpid() for pid in helpers) or not beside.may_fork()


def _crafted() -> list[dict[str, Any]]:
    """Records whose organisations an import creates in one batch, with the traps of creating
    them without an insert each: two long names with one slug (slugs are cut at 80
    characters), a name met again with its identifier and its acronym (found, not created
    twice), a record refused in the middle of the batch (its batch is written again record by
    record; its own tag must not stay), and an organisation named only by a slug that a record
    before it creates. Tags come new, repeated and written differently."""
    stem = "Association for the Development of Rural Water Supply and Sanitation in the Eastern Provinces"
    base = {"description": "Boreholes and latrines for rural schools.", "visibility": "public",
            "goals": ["6.1"], "tags": ["Water supply"]}

    def record(n: int, lead: dict[str, Any], *partners: dict[str, Any], **extra: Any) -> dict[str, Any]:
        return {**base, "title": f"Rural water {n}", "iati_identifier": f"XM-CRAFT-ACT-{n}", "organisation": lead,
                "partners": [{"organisation": p, "role": "implementing"} for p in partners], **extra}

    lead = {"name": "Crafted Donor Agency", "org_identifier": "XM-CRAFT", "type": "10"}
    return [
        record(1, lead, {"name": stem + " North"}, {"name": stem + " South"}),
        record(2, lead, {"name": "Water Without Borders"}, tags=["Water supply", "Borehole drilling"]),
        record(3, lead, {"name": "Water Without Borders", "org_identifier": "GB-CHC-555001"}),
        # Refused once its first partner was created: the second's type is not a code.
        record(4, lead, {"name": "Rural Water Network (RWN)"}, {"name": "Orphan Type Org", "type": "999"},
               tags=["Orphan label", "Water supply"]),
        record(5, {"name": "Kisumu Youth Water Group", "type": "22"}, {"name": "Rural Water Network (RWN)"},
               tags=["borehole  drilling", "Sanitation", "WASH"]),
        record(6, lead, {"name": "RWN"}, {"name": "Lake Basin Women Network"}),
        record(7, lead, {"slug": "lake-basin-women-network"}),
    ]


@pytest.mark.parametrize("prepared", [False, True], ids=["unchecked", "checked"])
def test_organisations_and_tags_created_in_one_batch_are_those_created_one_by_one(session, prepared):
    records = _crafted()
    _one_by_one(session, records)
    one_by_one = _stored(session)
    slugs = one_by_one["organisation_order"]
    assert len(one_by_one["initiatives"]) == len(records) - 1, "the refused record is the only one left out"
    assert len([s for s in slugs if s.startswith("association-for")]) == 2, slugs  # the same 80 characters
    assert sum(s.startswith("water-without-borders") for s in slugs) == 1, slugs
    assert "rural-water-network-rwn" in slugs and "orphan-type-org" not in slugs, slugs
    tags = [key for key, _, _ in one_by_one["tags"]]
    assert len(tags) >= 4 and not any("orphan" in key for key in tags), tags
    _empty(session)
    records = _crafted()
    checked = _checked_as_in_a_file_import(records) if prepared else None
    report = in_unit_of_work(session, import_records, records, SYSTEM, checked=checked)
    bulk = _stored(session)
    assert (report.created, report.skipped) == (len(records) - 1, 1)
    assert "not an IATI OrganisationType" in str(report.problems[0]["fields"]), report.problems
    for key in KEYS:
        assert bulk[key] == one_by_one[key], key
