"""HXL 3W import: hashtag rows, legacy and Spanish columns, grouping and p-code resolution."""
from __future__ import annotations

import io

import pytest
from formats_testdata import DATA, data_file

from coordination.formats.hxl_import import HxlStats, parse_hxl
from coordination.formats.hxl_tags import parse_spec
from coordination.formats.items import ImportFileError, collect


def test_hashtags_with_spaces_and_legacy_tags_are_understood() -> None:
    assert parse_spec("#org +name") == ("org", frozenset({"name"}))
    assert parse_spec("#lat_deg") == ("geo", frozenset({"lat"}))
    assert parse_spec("#country/en") == ("country", frozenset())
    assert parse_spec("Organisation") is None


def test_afghan_3w_rows_group_into_one_initiative_per_org_sector_and_province() -> None:
    result = collect(parse_hxl(DATA / "afghanistan_3w_2024_excerpt.csv"))
    by_title = {(r["organisation"]["name"][:15], r["title"]): r for r in result.records}
    protection = by_title[("ASCHIANA: Afgha", "Protection in Kabul")]
    assert [loc["admin2"] for loc in protection["locations"]] == [
        "Kabul", "Bagrami", "Chahar Asyab", "Deh Sabz", "Estalef", "Farza", "Guldara",
        "Mir Bacha Kot", "Qara Bagh"]
    assert protection["tags"] == ["Protection"]
    assert protection["organisation"]["aliases"] == ["ASCHIANA"]
    assert protection["organisation"]["type"] == "22"
    assert protection["provenance"] == "hxl:afghanistan_3w_2024_excerpt.csv#row=19"


def test_admin_codes_resolve_to_ocha_names_and_the_country() -> None:
    record = collect(parse_hxl(DATA / "afghanistan_3w_2024_excerpt.csv")).records[0]
    location = record["locations"][0]
    assert (location["country"], location["admin1_code"], location["admin2_code"], location["precision"]) == (
        "AF", "AF01", "AF0101", "admin2")


def test_spanish_345w_untagged_columns_give_dates_status_description_and_donor() -> None:
    stats = HxlStats()
    result = collect(parse_hxl(DATA / "el_salvador_345w_excerpt.csv", stats=stats))
    fusal = next(r for r in result.records if r["organisation"]["name"] == "FUSAL")
    assert fusal["language"] == "es"
    assert (fusal["start"], fusal["end"], fusal["status"]) == ("2021-01-15", "2021-03-23", "finalisation")
    assert fusal["description"].startswith("Entrega de alimento")
    assert fusal["people_targeted"] is not None and fusal["tags"] == ["Seguridad Alimentaria"]
    assert stats.rows == 30 and 0.8 <= stats.share_resolved <= 1.0


def test_accented_admin_names_match_unaccented_pcode_names() -> None:
    result = collect(parse_hxl(DATA / "el_salvador_345w_excerpt.csv"))
    places = {loc["admin2_code"]: loc["admin2"] for r in result.records for loc in r["locations"]}
    assert places.get("SV1423") is not None


def test_legacy_unhcr_3w_keeps_admin1_coordinates_and_resolves_country_names() -> None:
    records = collect(parse_hxl(DATA / "unhcr_3w_legacy_excerpt.csv")).records
    location = records[0]["locations"][0]
    assert (location["country"], location["lat"], location["lon"], location["precision"]) == (
        "TD", 8.25, 16.42, "admin1")


def test_a_csv_without_hashtags_is_refused_as_not_hxl() -> None:
    with pytest.raises(ImportFileError, match="not HXL"):
        list(parse_hxl(DATA / "whowhatwhere_notags_3w_data.csv"))


def test_rows_without_an_organisation_are_skipped_and_named_while_good_rows_stay() -> None:
    text = "Org,Sector,Province,Country\n#org,#sector,#adm1+name,#country\n,Health,Kabul,AF\nMSF,Health,Kabul,Afghanistan\n"
    result = collect(parse_hxl(io.BytesIO(text.encode()), source_name="t.csv"))
    assert [(p.ref, p.reason) for p in result.problems] == [("row=3", "no organisation name (#org)")]
    assert [r["organisation"]["name"] for r in result.records] == ["MSF"]
    assert result.records[0]["locations"][0]["admin1_code"] == "AF01"


def test_the_hashtag_row_may_come_after_several_header_rows_and_a_bom() -> None:
    text = "\ufeffTitle of report\nOrg,Sector\n#org,#sector\nOxfam,WASH\r\n"
    (record,) = collect(parse_hxl(io.BytesIO(text.encode()), source_name="t.csv")).records
    assert (record["organisation"]["name"], record["tags"]) == ("Oxfam", ["WASH"])


def test_every_real_hxl_3w_file_imports_with_most_admin_areas_resolved() -> None:
    # *_excerpt.csv: the first rows of larger real files (tests/data/real/SOURCES.md); the thresholds are the
    # full files' own
    for relative, minimum in [
        ("afghanistan_3w_operational_presence_january_march_2024_excerpt.csv", 0.99),
        ("whowhatwhere_345_honduras_excerpt.csv", 0.9),
        ("whowhatwhere_345w_guatemala_excerpt.csv", 0.9),
        ("rowca-3w-hxl.csv", 0.99),
    ]:
        stats = HxlStats()
        result = collect(parse_hxl(data_file("real/hxl/" + relative), stats=stats))
        assert result.records and stats.share_resolved >= minimum, relative


def _read(text: str) -> list[dict]:
    return collect(parse_hxl(io.BytesIO(text.encode()), source_name="t.csv")).records


HEAD = "Org,Org id,Sector,Code,Country,Province,Budget,Currency\n#org+name,#org+code,#sector,#activity+code,#country,#adm1+name,#value+budget,#currency\n"


def test_an_activity_code_is_an_identifier_only_when_it_is_the_organisations_own():
    records = _read(HEAD + "UNICEF,XM-DAC-41122,WASH,XM-DAC-41122-AF-7,AF,Kabul,1000,USD\n"
                           "UNICEF,XM-DAC-41122,WASH,XM-DAC-41122-AF-7,AF,Herat,500,USD\n"
                           "UNICEF,XM-DAC-41122,Health,HLT-001,AF,Kabul,,\n"
                           "Aga Khan,,Health,XM-DAC-41122-AF-9,AF,Kabul,,\n")
    by_title = {(r["organisation"]["name"], r["tags"][0]): r for r in records}
    wash = by_title[("UNICEF", "WASH")]
    # One identifier, one initiative: both provinces, the budgets added up.
    assert wash["iati_identifier"] == "XM-DAC-41122-AF-7"
    assert sorted(loc["admin1"] for loc in wash["locations"]) == ["Hirat", "Kabul"]  # OCHA's spelling
    assert (wash["budget"], wash["currency"]) == (1500.0, "USD")
    assert by_title[("UNICEF", "Health")]["iati_identifier"] is None  # the file's own code
    assert by_title[("Aga Khan", "Health")]["iati_identifier"] is None  # another organisation's prefix


def test_a_budget_needs_one_currency_and_a_currency_attribute_counts():
    item_rows = collect(parse_hxl(io.BytesIO((
        "Org,Sector,Province,Budget\n#org+name,#sector,#adm1+name,#value+budget+usd\n"
        "NRC,Shelter,Kabul,250\n").encode()), source_name="t.csv"))
    assert (item_rows.records[0]["budget"], item_rows.records[0]["currency"]) == (250.0, "USD")
    result = collect(parse_hxl(io.BytesIO((HEAD + "NRC,,Shelter,,AF,Kabul,100,USD\nNRC,,Shelter,,AF,Kabul,90,EUR\n"
                                           ).encode()), source_name="t.csv"))
    assert result.records[0]["budget"] is None
    assert any("several currencies" in w for _, w in result.warnings)
