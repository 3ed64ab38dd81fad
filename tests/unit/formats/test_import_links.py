"""What the importers keep for link kinds: IATI activity ids an activity names, and generated 3W titles."""
from __future__ import annotations

import io

from formats_testdata import data_file

from coordination.formats.generated_titles import title_looks_generated
from coordination.formats.hxl_import import parse_hxl
from coordination.formats.iati_import import parse_iati
from coordination.formats.items import collect

AFGHAN_PRESENCE = "real/hxl/afghanistan_3w_operational_presence_january_march_2024_excerpt.csv"


def _one(relative: str) -> dict:
    [record] = collect(parse_iati(data_file(relative))).records
    return record


def test_an_implementers_activity_keeps_the_funders_activity_id_it_names():
    implementer = _one("links/drc_h2h_dportal_15_excerpt.xml")
    assert implementer["iati_identifier"] == "DK-CVR-20699310-DF212197"
    # participating-org/@activity-id and transaction provider-org/@provider-activity-id
    assert "GB-GOV-1-301150-117" in implementer["related_identifiers"]
    assert "DK-CVR-20699310-DF212197" not in implementer["related_identifiers"]


def test_a_parent_programme_is_kept_and_sibling_components_are_not():
    funder = _one("links/fcdo_h2h_covid_input_dportal_excerpt.xml")
    # related-activity type 1 (the parent) is kept; its 25 siblings (type 3) are other efforts
    assert funder["related_identifiers"] == ["GB-GOV-1-301150"]


def test_receiver_activity_ids_and_third_party_reports_are_read():
    xml = b"""<iati-activities version="2.03"><iati-activity>
      <iati-identifier>XM-DAC-41122-KE-1</iati-identifier>
      <reporting-org ref="XM-DAC-41122"><narrative>UNICEF</narrative></reporting-org>
      <title><narrative>Water for schools</narrative></title>
      <related-activity ref="GB-CHC-202918-KE-9" type="5"/>
      <transaction><transaction-type code="3"/><value>10</value>
        <receiver-org ref="KE-NGO-1" receiver-activity-id=" KE-NGO-1-W4S "><narrative>NGO</narrative></receiver-org>
      </transaction></iati-activity></iati-activities>"""
    [record] = collect(parse_iati(io.BytesIO(xml), source_name="x.xml")).records
    assert record["related_identifiers"] == ["GB-CHC-202918-KE-9", "KE-NGO-1-W4S"]


def test_3w_rows_without_an_activity_name_are_marked_as_having_a_generated_title():
    records = collect(parse_hxl(data_file(AFGHAN_PRESENCE))).records
    assert records and all(r["title_generated"] and not r["description"] for r in records)
    assert all(title_looks_generated(r) for r in records), "old exports are recognised by the same rule"
    named = collect(parse_hxl(data_file("real/hxl/whowhatwhere_345w_el_salvador_excerpt.csv"))).records
    assert named and not any(r["title_generated"] or title_looks_generated(r) for r in named)
