"""Every exported initiative has its own identifier, the same in every export, and survives a round trip."""
from __future__ import annotations

import csv
import io
import re
from contextlib import contextmanager

import pytest

from api import create_app
from api.extensions import db
from coordination.exports import export_chunks
from coordination.models import Initiative
from coordination.permissions import ANONYMOUS, Actor
from coordination.queries import InitiativeFilter
from coordination.services.file_imports import import_file
from coordination.services.initiatives import register_initiative

from ..backends import sqlite_url
from ..factories import BOREHOLES, WELLS, in_unit_of_work, make_organisation


def _web_form_pair(session):
    """Two initiatives of one organisation registered through the web form (no IATI identifier)."""
    # Another organisation's private work first, so ids here are not the ids a fresh database gives.
    other = make_organisation(session, name="Lake Basin Trust")
    in_unit_of_work(session, register_initiative, Actor(role="member", organisation_id=other.id, label="x@example.org"),
                        {**WELLS, "visibility": "private"})
    org = make_organisation(session, name="Kisumu Water Friends")
    actor = Actor(role="member", organisation_id=org.id, label="amina@example.org")
    for body in (BOREHOLES, WELLS):
        in_unit_of_work(session, register_initiative, actor, {**body, "provenance": "web form"})
    return org


def _export(session, fmt: str) -> str:
    return "".join(export_chunks(session, ANONYMOUS, InitiativeFilter(), fmt))


@contextmanager
def _another_database(tmp_path, monkeypatch):
    """A second, empty instance of the platform (its own folder and SQLite file), in its app context."""
    (tmp_path / "other").mkdir()
    monkeypatch.setenv("COORDINATION_INSTANCE", str(tmp_path / "other"))
    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": sqlite_url(tmp_path / "other"),
                        "SECRET_KEY": "x"})
    with other.app_context():
        try:
            yield
        finally:
            db.session.remove()
            db.engine.dispose()


def _identifiers(xml: str) -> list[str]:
    return re.findall(r"<iati-identifier>([^<]+)</iati-identifier>", xml)


def test_two_web_form_initiatives_export_under_their_own_lasting_identifiers(session):
    org = _web_form_pair(session)
    first = _identifiers(_export(session, "iati"))
    ids = [i.id for i in session.query(Initiative).filter_by(organisation_id=org.id).order_by(Initiative.id)]
    assert first == [f"XX-NONE-{org.slug}-{ids[0]}", f"XX-NONE-{org.slug}-{ids[1]}"]
    org.slug = "renamed-water-friends"  # a later rename does not change what was handed out
    session.commit()
    assert _identifiers(_export(session, "iati")) == first
    rows = list(csv.DictReader(io.StringIO(_export(session, "csv"))))
    assert [row["iati_identifier"] for row in rows] == first
    hxl = list(csv.reader(io.StringIO(_export(session, "hxl"))))
    code = hxl[1].index("#activity+code")
    assert [row[code] for row in hxl[2:]] == first


@pytest.mark.parametrize("fmt, kind, suffix", [("iati", "iati", "xml"), ("hxl", "hxl", "csv")])
def test_an_export_reimported_into_a_fresh_database_loses_nothing_and_exports_the_same(
        session, tmp_path, monkeypatch, fmt, kind, suffix):
    _web_form_pair(session)
    exported = tmp_path / f"export.{suffix}"
    exported.write_text(_export(session, fmt), encoding="utf-8")
    before = sorted(i.title for i in session.query(Initiative).filter_by(visibility="public"))
    identifiers = sorted(_identifiers(_export(session, "iati")))

    with _another_database(tmp_path, monkeypatch):
        report = in_unit_of_work(db.session, import_file, kind, exported)
        assert (report["created"], report["existing"], report["skipped"]) == (2, 0, 0)
        assert sorted(i.title for i in db.session.query(Initiative)) == before
        if kind == "iati":  # IATI carries identifiers: the same ones in every database
            assert sorted(_identifiers(_export(db.session, "iati"))) == identifiers
        # Registering more there never hands out an identifier the import already holds.
        org = db.session.query(Initiative).first().organisation
        actor = Actor(role="member", organisation_id=org.id, label="amina@example.org")
        for n in range(3):
            in_unit_of_work(db.session, register_initiative, actor, {**WELLS, "title": f"Kiosk {n}", "provenance": "web form"})
        again = _identifiers(_export(db.session, "iati"))
        assert len(again) == 5 and len(set(again)) == 5


def _rich_pair(session):
    """Two initiatives of an organisation with an org-id identifier, carrying every field a 3W row holds."""
    org = make_organisation(session, name="Kisumu Water Friends", org_identifier="KE-NCB-KWF01")
    funder = make_organisation(session, name="Lake Region Fund")
    implementer = make_organisation(session, name="Nyanza Youth Builders")
    actor = Actor(role="member", organisation_id=org.id, label="amina@example.org")
    in_unit_of_work(session, register_initiative, actor, {
        **BOREHOLES, "provenance": "web form", "start": "2024-02-01", "end": "2025-01-31",
        "status": "implementation", "people_targeted": 12000, "budget": 48000.0, "currency": "USD",
        "partners": [{"organisation": funder.slug, "role": "funding"},
                     {"organisation": implementer.slug, "role": "implementing"}],
        "locations": [{"name": "Kisumu", "country": "KE", "lat": -0.1022, "lon": 34.7617},
                      {"name": "Kondele", "country": "KE", "lat": -0.0850, "lon": 34.7700}]})
    in_unit_of_work(session, register_initiative, actor, {**WELLS, "provenance": "web form", "start": "2023-01-01",
                                         "end": "2023-06-30", "budget": 9500.0, "currency": "KES"})
    return org


def _comparable(record: dict) -> dict:
    """What an initiative is, apart from where this database keeps it (ids, slugs, dates of entry)."""
    def org(ref):
        return {"name": ref["name"], "org_identifier": ref.get("org_identifier")}
    keep = ("title", "description", "goals", "tags", "start", "end", "status", "budget", "currency",
            "people_targeted", "visibility", "iati_identifier")
    return {**{k: record.get(k) for k in keep}, "organisation": org(record["organisation"]),
            "partners": sorted((p["role"], p["organisation"]["name"]) for p in record["partners"]),
            "locations": sorted((loc.get("name"), loc.get("country"), loc.get("lat"), loc.get("lon"))
                                for loc in record["locations"])}


def _records(session) -> list[dict]:
    from coordination.serialise import export_record
    from coordination.permissions import SYSTEM
    return sorted((_comparable(export_record(i, SYSTEM)) for i in session.query(Initiative)
                   .filter(Initiative.organisation.has(name="Kisumu Water Friends"))),
                  key=lambda r: r["iati_identifier"])


@pytest.mark.parametrize("fmt, kind, suffix", [("iati", "iati", "xml"), ("hxl", "hxl", "csv")])
def test_a_round_trip_keeps_every_field_the_format_carries(session, tmp_path, monkeypatch, fmt, kind, suffix):
    _rich_pair(session)
    exported = tmp_path / f"export.{suffix}"
    exported.write_text(_export(session, fmt), encoding="utf-8")
    before = _records(session)
    assert [r["iati_identifier"] for r in before] and all(r["iati_identifier"].startswith("KE-NCB-KWF01-")
                                                          for r in before)
    with _another_database(tmp_path, monkeypatch):
        report = in_unit_of_work(db.session, import_file, kind, exported)
        assert (report["created"], report["existing"], report["skipped"]) == (2, 0, 0)
        after = _records(db.session)
        assert [{k: (a[k], b[k]) for k in b if a.get(k) != b[k]} for a, b in zip(after, before)] == [{}, {}]
        # The same file again is recognised, not registered twice.
        again = in_unit_of_work(db.session, import_file, kind, exported)
        assert (again["created"], again["existing"]) == (0, 2)
