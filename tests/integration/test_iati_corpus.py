"""The IATI corpus (tests/data/formats/iati_corpus, see its SOURCES.md): what each file's import stores.

Each file is imported as the CLI does (the system actor) into a fresh database, on SQLite and
PostgreSQL; the counts, the reasons and the stored initiatives are checked file by file.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from coordination.models import Initiative, Organisation
from coordination.services.file_imports import import_file

from ..factories import in_unit_of_work

CORPUS = Path(__file__).resolve().parents[1] / "data" / "formats" / "iati_corpus"

# file: (records in, imported, warned, skipped, [(where, reason) of each skip], [a part of each warning])
EXPECTED = {
    "activity-standard-example-annotated.xml": (1, 1, 1, 0, [], ["recipient-region 489, A1 not kept"]),
    "dportal_15_transaction_countries_excerpt.xml": (1, 1, 1, 0, [], ["recipient-region 998 not kept"]),
    "fi_mfa_issue_cases_constructed.xml": (
        4, 3, 3, 1,
        [("activity 3 (line 47), no identifier", "activity has no iati-identifier")],
        ["shortened to fit 120 characters (was 121)", "title shortened to fit 300 characters (was 392)",
         "recipient-region 789 not kept", "6 tags beyond the first 50 dropped",
         "3 participating organisations beyond the first 50 dropped"]),
    "pyiati_1-04_02-minimal-doc.xml": (1, 0, 0, 1, [("activity 1 (line 4) 12345", "activity has no title")], []),
    "pyiati_2-02_invalid_std_ruleset_bad_identifier.xml": (1, 1, 1, 0, [], ["unknown DAC sector code '11111'"]),
    "pyiati_2-03_21-transaction.xml": (
        1, 0, 0, 1, [("activity 1 (line 7), no identifier", "activity has no iati-identifier")], []),
    "xm-dac-41122_unicef_constructed.xml": (1, 1, 0, 0, [], []),
}


def test_every_corpus_file_has_its_expectations():
    assert sorted(p.name for p in CORPUS.glob("*.xml")) == sorted(EXPECTED)
    assert (CORPUS / "SOURCES.md").exists()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_corpus_file_imports_with_its_expected_counts_and_reasons(session, name):
    records, created, warned, skipped, skips, warnings = EXPECTED[name]
    report = in_unit_of_work(session, import_file, "iati", CORPUS / name)
    assert (report["records"], report["created"], report["warned"], report["skipped"]) == (
        records, created, warned, skipped)
    assert [(p["where"], p["reason"]) for p in report["problems"]] == skips
    assert len(report["warnings"]) == len(warnings)
    for expected, got in zip(warnings, report["warnings"]):
        assert expected in got["reason"]
    assert session.query(Initiative).count() == created


def _one(session, identifier: str) -> Initiative:
    return session.query(Initiative).filter_by(iati_identifier=identifier).one()


def _roles(initiative: Initiative) -> dict[str, list[str]]:
    roles: dict[str, list[str]] = {}
    for partner in initiative.partners:
        roles.setdefault(partner.role, []).append(partner.organisation.org_identifier or partner.organisation.name)
    return {role: sorted(names) for role, names in roles.items()}


def test_the_official_example_stores_its_fields(session):
    in_unit_of_work(session, import_file, "iati", CORPUS / "activity-standard-example-annotated.xml")
    activity = _one(session, "AA-AAA-123456789-ABC123")
    assert activity.title == "Activity title"
    assert activity.organisation.org_identifier == "AA-AAA-123456789"
    assert activity.organisation.name == "Organisation name"
    assert sorted({loc.country for loc in activity.locations}) == ["AF", "AG", "KH"]
    assert (activity.start_date.isoformat(), activity.end_date.isoformat()) == ("2012-04-28", "2015-12-31")
    # the reporting organisation, also named as extending, is the lead and not its own partner
    assert _roles(activity) == {"funding": ["BB-BBB-123456789"], "accountable": ["CC-CCC-123456789"]}


def test_a_real_activity_with_countries_only_on_transactions_gets_them(session):
    in_unit_of_work(session, import_file, "iati", CORPUS / "dportal_15_transaction_countries_excerpt.xml")
    activity = _one(session, "DK-CVR-20074035-LotHUM_2017-12478-2")
    assert activity.title == "Danida Lot HUM"
    assert [(loc.country, loc.precision) for loc in activity.locations] == [("DK", "country")]
    assert activity.organisation.name == "ADRA Danmark" and activity.organisation.org_identifier == "DK-CVR-20074035"
    assert _roles(activity) == {"funding": ["XM-DAC-3-1"]}
    assert (activity.start_date.isoformat(), activity.end_date.isoformat()) == ("2018-01-01", "2021-12-31")


def test_the_issue_cases_file_keeps_every_record_with_an_identifier(session):
    in_unit_of_work(session, import_file, "iati", CORPUS / "fi_mfa_issue_cases_constructed.xml")
    assert sorted(i.iati_identifier for i in session.query(Initiative)) == ["FI-3-LONG-TITLE", "FI-3-MANY", "FI-3-X"]
    x = _one(session, "FI-3-X")
    assert [loc.country for loc in x.locations] == ["LA"]
    tag = [t.label for t in x.tag_links]
    assert tag == [("Finland's development policy priority area: quality education and a well-functioning society, "
                    "incl. inclusive learning…")]
    assert _roles(x) == {"implementing": ["XM-DAC-41122"]}
    long_title = _one(session, "FI-3-LONG-TITLE")
    assert len(long_title.title) <= 300 and long_title.title.endswith("…")
    assert long_title.description.startswith("Strengthening the capacity of provincial")
    assert "(phase II)\n\nPhase II of the education support programme." in long_title.description
    many = _one(session, "FI-3-MANY")
    assert [loc.country for loc in many.locations] == ["LA", "KH"]
    assert len(many.tag_links) == 50 and len(many.partners) == 50
    assert many.organisation.org_identifier == "FI-3"


def test_the_bad_identifier_file_keeps_its_identifier_and_countries(session):
    in_unit_of_work(session, import_file, "iati", CORPUS / "pyiati_2-02_invalid_std_ruleset_bad_identifier.xml")
    activity = _one(session, "////////")
    assert sorted(loc.country for loc in activity.locations) == ["AF", "AX"]
    assert _roles(activity) == {"accountable": ["BB-BBB-123456789"]}
    assert session.query(Organisation).filter_by(org_identifier="AA-AAA-123456789").one().name == "Organisation name"
