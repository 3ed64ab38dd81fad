"""Recipient countries published on transactions instead of the activity (IATI allows either)."""
from __future__ import annotations

import io
from pathlib import Path

from coordination.formats.iati_import import parse_iati
from coordination.formats.items import collect

CORPUS = Path(__file__).resolve().parents[2] / "data" / "formats" / "iati_corpus"


def _activity(body: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03"><iati-activity>
 <iati-identifier>FI-3-X</iati-identifier>
 <reporting-org ref="FI-3" type="10"><narrative>Ministry for Foreign Affairs of Finland</narrative></reporting-org>
 <title><narrative>Inclusive basic education</narrative></title>
 {body}
</iati-activity></iati-activities>""".encode()


def _tx(inner: str) -> str:
    return f'<transaction><transaction-type code="3"/><transaction-date iso-date="2021-06-30"/>' \
           f'<value currency="EUR" value-date="2021-06-30">100</value>{inner}</transaction>'


def _record_and_warnings(body: str):
    items = list(parse_iati(io.BytesIO(_activity(body))))
    assert len(items) == 1 and items[0].record is not None
    return items[0].record, list(items[0].warnings)


def test_the_issue_case_a_country_only_on_transactions_becomes_the_activitys():
    record, warnings = _record_and_warnings(_tx('<recipient-country code="LA"/>'))
    assert [(loc["country"], loc["precision"], loc["lat"]) for loc in record["locations"]] == [("LA", "country", None)]
    assert warnings == []


def test_distinct_transaction_countries_are_kept_in_file_order_and_regions_reported():
    body = "".join([_tx('<recipient-country code="la"/>'), _tx('<recipient-country code="KH"/>'),
                    _tx('<recipient-country code="LA"/>'), _tx('<recipient-region code="789" vocabulary="1"/>')])
    record, warnings = _record_and_warnings(body)
    assert [loc["country"] for loc in record["locations"]] == ["LA", "KH"]
    assert warnings == ["recipient-region 789 not kept: places are stored by country, and the platform has no regions"]


def test_activity_level_geography_wins_over_transactions():
    # An activity-level country, or region, means the transactions' ones are not the activity's.
    record, _ = _record_and_warnings('<recipient-country code="KE"/>' + _tx('<recipient-country code="LA"/>'))
    assert [loc["country"] for loc in record["locations"]] == ["KE"]
    record, warnings = _record_and_warnings('<recipient-region code="298"/>' + _tx('<recipient-country code="LA"/>'))
    assert record["locations"] == [] and warnings == [
        "recipient-region 298 not kept: places are stored by country, and the platform has no regions"]


def test_a_location_without_a_country_takes_the_single_transaction_country():
    body = '<location><name><narrative>Luang Prabang</narrative></name></location>' + _tx('<recipient-country code="LA"/>')
    record, _ = _record_and_warnings(body)
    assert [(loc["name"], loc["country"]) for loc in record["locations"]] == [("Luang Prabang", "LA")]


def test_an_unknown_country_code_is_reported_not_stored():
    record, warnings = _record_and_warnings(_tx('<recipient-country code="xx"/>'))
    assert record["locations"] == [] and warnings == ["unknown recipient-country code 'xx' dropped"]


def test_a_real_activity_with_country_and_region_on_its_13_transactions():
    result = collect(parse_iati(CORPUS / "dportal_15_transaction_countries_excerpt.xml"))
    [record] = result.records
    assert record["iati_identifier"] == "DK-CVR-20074035-LotHUM_2017-12478-2"
    assert record["title"] == "Danida Lot HUM" and record["organisation"]["org_identifier"] == "DK-CVR-20074035"
    assert [(loc["country"], loc["precision"]) for loc in record["locations"]] == [("DK", "country")]
    assert (record["start"], record["end"]) == ("2018-01-01", "2021-12-31")
    assert [w for _, w in result.warnings] == [
        "recipient-region 998 not kept: places are stored by country, and the platform has no regions"]
