"""Exports: IATI 2.03 validity and round trip, HXL 3W read-back, GeoJSON and CSV."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from formats_testdata import DATA, data_file
from lxml import etree
from test_iati_import import REAL_FILES

from coordination.formats import (
    collect,
    csv_chunks,
    geojson_chunks,
    hxl_csv_chunks,
    iati_xml_chunks,
    parse_hxl,
    parse_iati,
)


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    """The IATI 2.03 activity schema (copied into tests/data/formats)."""
    return etree.XMLSchema(etree.parse(str(DATA / "iati-schemas-2.03" / "iati-activities-schema.xsd")))


def _export(records: list[dict]) -> bytes:
    return "".join(iati_xml_chunks(records, today=date(2026, 11, 23))).encode()


@pytest.mark.parametrize("relative", [f for f, _, _ in REAL_FILES])
def test_exported_real_data_is_valid_iati_2_03_and_imports_back_unchanged(relative: str, schema) -> None:
    path = data_file(relative)
    records = collect(parse_iati(path)).records
    xml = _export(records)
    assert schema.validate(etree.fromstring(xml).getroottree()), schema.error_log
    back = collect(parse_iati(io.BytesIO(xml), source_name=path.name)).records
    assert back == records


def test_sdg_goals_and_targets_are_exported_as_tag_vocabularies_2_and_3() -> None:
    record = collect(parse_iati(DATA / "problems.xml")).records[0]
    root = etree.fromstring(_export([record]))
    tags = [(t.get("vocabulary"), t.get("code")) for t in root.iter("tag")]
    assert tags == [("3", "6.a"), ("2", "6"), ("3", "6.1")]


def test_3w_records_without_status_or_dates_still_export_valid_iati(schema) -> None:
    records = collect(parse_hxl(DATA / "afghanistan_3w_2024_excerpt.csv")).records
    root = etree.fromstring(_export(records))
    assert schema.validate(root.getroottree()), schema.error_log
    assert len(root) == len(records)


def test_hxl_export_reads_back_as_the_same_initiatives() -> None:
    records = collect(parse_hxl(DATA / "el_salvador_345w_excerpt.csv")).records
    text = "".join(hxl_csv_chunks(records))
    back = collect(parse_hxl(io.BytesIO(text.encode()), source_name="x.csv", language="es")).records
    assert len(back) == len(records)
    for before, after in zip(records, back):
        assert after["organisation"]["name"] == before["organisation"]["name"]
        assert after["tags"] == before["tags"] and after["start"] == before["start"]
        assert [loc["admin2_code"] for loc in after["locations"]] == [loc["admin2_code"] for loc in before["locations"]]


def test_geojson_has_one_lon_lat_point_per_located_place() -> None:
    records = collect(parse_iati(DATA / "activity-standard-example-annotated.xml")).records
    collection = json.loads("".join(geojson_chunks(records)))
    assert collection["type"] == "FeatureCollection"
    assert [f["geometry"]["coordinates"] for f in collection["features"]] == [
        [65.716944, 31.616944], [104.9167, 11.55]]
    assert collection["features"][0]["properties"]["organisation"] == "Organisation name"


def test_geojson_of_nothing_is_an_empty_collection() -> None:
    assert json.loads("".join(geojson_chunks([]))) == {"type": "FeatureCollection", "features": []}


def test_csv_has_one_row_per_initiative_and_neutralises_formulas() -> None:
    record = collect(parse_iati(DATA / "problems.xml")).records[0]
    record["title"] = "=HYPERLINK(\"http://evil\")"
    rows = list(csv.DictReader(io.StringIO("".join(csv_chunks([record, record])))))
    assert len(rows) == 2
    assert rows[0]["title"].startswith("'=")
    assert rows[0]["goals"] == "6.a; 6; 6.1" and rows[0]["countries"] == "KE"
    assert rows[0]["partners"] == "UK FCDO (funding); Kisumu Water Group (implementing)"


def test_people_targeted_travel_as_a_result_indicator_that_is_valid_iati_and_reads_back(schema) -> None:
    records = collect(parse_hxl(DATA / "afghanistan_3w_2024_excerpt.csv")).records[:3]
    records[0] = {**records[0], "people_targeted": 1200, "start": None, "end": None}
    records[1] = {**records[1], "people_targeted": 45, "start": "2024-01-01", "end": None}
    root = etree.fromstring(_export(records))
    assert schema.validate(root.getroottree()), schema.error_log
    titles = [t.text for t in root.iterfind("iati-activity/result/indicator/title/narrative")]
    assert titles == ["People targeted", "People targeted"]
    back = collect(parse_iati(io.BytesIO(_export(records)), source_name="x.xml")).records
    assert [r["people_targeted"] for r in back] == [1200, 45, records[2]["people_targeted"]]
