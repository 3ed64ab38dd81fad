"""The HXL corpus (tests/data/formats/hxl_corpus, SOURCES.md there): every file imports, and what
it stores is what a careful reader of the file would store. One row of expectations per file."""
from __future__ import annotations

from typing import Any

import pytest
from formats_testdata import DATA

from coordination.formats.hxl_import import HxlStats, parse_hxl
from coordination.formats.items import collect
from coordination.validation import validate_initiative

CORPUS = DATA / "hxl_corpus"

# file: (rows, skipped rows, records, records with warnings,
#        first record: (title, organisation, aliases, type, partners, country, admin1 code, admin2 code,
#                       start, end, people))
EXPECTED: dict[str, tuple[Any, ...]] = {
    "afghanistan_3w_2021_excerpt.csv": (30, 0, 10, 0, (
        "Emergency Shelter & Non-Food Items in Ghor",
        "Afghan Amputee Bicyclist for Rehabilitation and Recreation", ["AABRAR"], "22", [],
        "AF", "AF23", "AF2307", None, None, None)),
    "ethiopia_4w_column1.csv": (5, 1, 3, 0, (
        "Food in Oromia", "World Food Programme", ["WFP"], None, [], "ET", "ET04", "ET0401", None, None, None)),
    "guatemala_345w_excerpt.csv": (20, 0, 10, 0, (
        "Nutrición - Otra - Especificar en comentarios", "The Shalom Foundation", [], "22", [],
        "GT", "GT01", "GT0101", "2020-06-01", "2021-08-01", 538)),
    "guinea_ebola_3w_iso3_pcodes.csv": (8, 0, 7, 0, (
        "Coordination in Nzerekore", "CDC", [], "10", [], "GN", "GN008", "GN008001", None, None, None)),
    "honduras_345w_excel_csv_utf8.csv": (12, 0, 7, 0, (
        None, "SC", [], "21", [("UNICEF", "funding")], "HN", "HN16", "HN1601", "2021-07-01", "2021-12-31", 663)),
    "iati_sierraleone_legacy_excerpt.csv": (20, 0, 20, 0, (
        "SL-Public Financial Management TAL (FY09", "World Bank Group", [], None,
        [("International Development Association", "funding"),
         ("International Development Association", "extending"),
         ("MINISTRY OF FINANCE AND ECONOMIC DEVELOPMENT", "implementing")],
        "SL", None, None, "2008-10-16", None, None)),
    "iraq_3w_impl_roles.csv": (4, 0, 3, 0, (
        "Protection in Al-Anbar", "Danish Refugee Council", ["DRC"], "21", [("ECHO", "funding")],
        "IQ", "IQG01", "IQG01Q01", "2023-01-01", "2023-12-31", 300)),
    "libhxl_input-fuzzy.csv": (4, 0, 4, 0, (  # "country", "adm1" written without '#': untagged
        "WASH", "ACNUR", [], None, [], None, None, None, None, None, 100)),  # +f twice: counted once
    "libhxl_input-multiple-headers.csv": (2, 2, 0, 0, None),  # #org, #adm1, #affected: no sector
    "libhxl_input-valid-latin1.csv": (4, 0, 4, 0, (
        "WASH in Los Santos", "ACNUR", [], None, [], "PA", "PA09", None, None, None, 200)),
    "libhxl_input-valid.ssv": (4, 0, 4, 0, (
        "WASH in Los Santos", "ACNUR", [], None, [], "PA", "PA09", None, None, None, 200)),
    "libhxl_input-valid.tsv": (4, 0, 4, 0, (
        "WASH in Los Santos", "ACNUR", [], None, [], "PA", "PA09", None, None, None, 200)),
    "libya_3w_partners.csv": (4, 0, 4, 0, (
        "Legal aid for migrants", "International Rescue Committee", ["IRC"], None, [("ECHO", "funding")],
        "LY", "LY02", "LY0211", None, None, None)),
    "niger_3w_name_acronym.csv": (4, 0, 3, 0, (
        "Sécurité alimentaire in Diffa", "Action contre la Faim", ["ACF"], "21", [("ECHO", "funding")],
        "NE", "NE002", "NE002001", None, None, None)),
    "rowca_3w_legacy_excerpt.csv": (25, 0, 17, 0, (
        "Distribution of educational materials for teachers", "United Nations Children's Fund", [], None, [],
        "ML", "ML03", None, None, None, None)),
    "sudan_3w_admin_names.csv": (5, 0, 4, 0, (
        "Health in North Darfur", "WHO", [], None, [], "SD", "SD02", None, None, None, 6600)),
    "yemen_3w_market_sites.csv": (240, 0, 2, 1, (
        ("Monthly monitoring of retail prices and availability of wheat flour, rice, vegetable oil, sugar, "
        "red beans, fuel and…"), "World Food Programme", ["WFP"], None, [], "YE", "YE25", None, None, None, None)),
}


def test_every_corpus_file_has_expectations_and_a_source() -> None:
    files = {p.name for p in CORPUS.iterdir() if p.name != "SOURCES.md"}
    assert files == set(EXPECTED)
    sources = (CORPUS / "SOURCES.md").read_text(encoding="utf-8")
    assert all(f"| {name} |" in sources for name in files)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_imports_what_a_careful_reader_would_store(name: str) -> None:
    rows, skipped, records, warned, first = EXPECTED[name]
    stats = HxlStats()
    result = collect(parse_hxl(CORPUS / name, stats=stats))
    assert (stats.rows, stats.skipped_rows, len(result.records)) == (rows, skipped, records)
    assert len({ref for ref, _ in result.warnings}) == warned
    for record in result.records:
        validate_initiative(record)  # the platform would store every record
    if first is None:
        return
    title, org, aliases, org_type, partners, country, admin1, admin2, start, end, people = first
    record = result.records[0]
    location = record["locations"][0] if record["locations"] else {}
    if title is not None:
        assert record["title"] == title
    assert (record["organisation"]["name"], record["organisation"]["aliases"], record["organisation"]["type"]) == (
        org, aliases, org_type)
    assert [(p["organisation"]["name"], p["role"]) for p in record["partners"]] == partners
    assert (location.get("country"), location.get("admin1_code"), location.get("admin2_code")) == (
        country, admin1, admin2)
    assert (record["start"], record["end"], record["people_targeted"]) == (start, end, people)


def test_a_group_whose_every_end_is_before_its_start_keeps_the_start_and_says_so() -> None:
    import io

    text = "#org,#sector,#date +start,#date +end\nCARE,WASH,2020-07-27,2020-07-20\n"
    result = collect(parse_hxl(io.BytesIO(text.encode()), source_name="t.csv"))
    (record,) = result.records
    assert (record["start"], record["end"]) == ("2020-07-27", None)
    assert result.warnings == [("hxl:t.csv#row=2", "end 2020-07-20 is before start 2020-07-27: the end is left out")]
    validate_initiative(record)
