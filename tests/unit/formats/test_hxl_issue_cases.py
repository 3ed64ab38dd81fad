"""HXL 3W import, the cases of the public issue: each test imports a real or realistic file and
checks what a correct import stores (organisations by role, names, places, dates, people)."""
from __future__ import annotations

import pytest
from formats_testdata import DATA
from formats_testdata import csv_file as _csv

from coordination.formats import pcodes
from coordination.formats.hxl_import import HxlStats, parse_hxl
from coordination.formats.hxl_tags import find_hashtag_row, is_hashtag_row
from coordination.formats.items import collect
from coordination.validation import validate_initiative

CORPUS = DATA / "hxl_corpus"


# Case 5: one stray non-hashtag cell ------------------------------------------------------------


def test_a_hashtag_row_is_one_where_at_least_half_the_cells_are_hashtags() -> None:
    assert is_hashtag_row(["#org", "#sector", "Column1"])
    assert is_hashtag_row(["#org", "", "Province"])  # one of two non-empty cells
    assert not is_hashtag_row(["Org", "Sector", "#adm1"])
    assert not is_hashtag_row(["", ""])
    assert find_hashtag_row([["Org", "Sector", "Column1"], ["#org", "#sector", "Column1"]]) == 1


def test_ethiopia_4w_with_an_untagged_column1_imports_and_ignores_that_column() -> None:
    stats = HxlStats()
    result = collect(parse_hxl(CORPUS / "ethiopia_4w_column1.csv", stats=stats))
    assert (stats.rows, stats.skipped_rows) == (5, 1)
    assert [(p.line, p.reason) for p in result.problems] == [(7, "no organisation name (#org)")]
    wfp = next(r for r in result.records if r["organisation"]["name"] == "World Food Programme")
    assert wfp["organisation"]["aliases"] == ["WFP"]
    assert wfp["tags"] == ["Food"] and wfp["status"] == "implementation"
    assert [(loc["country"], loc["admin1_code"], loc["admin2_code"]) for loc in wfp["locations"]] == [
        ("ET", "ET04", "ET0401"), ("ET", "ET04", "ET0402")]
    assert sorted(r["organisation"]["name"] for r in result.records) == [
        "Ethiopian Red Cross Society", "Save the Children International", "World Food Programme"]
    assert not any("x" in str(r.get("description")) for r in result.records)


def test_a_two_column_file_with_one_stray_header_cell_is_read() -> None:
    (record,) = collect(parse_hxl(_csv("Org,Sector,Column1\n#org,#sector,Column1\nCARE,WASH,junk\n"))).records
    assert (record["organisation"]["name"], record["tags"]) == ("CARE", ["WASH"])


# Case 6: attributes give roles, names and acronyms ---------------------------------------------


def _orgs(record: dict) -> tuple:
    """(lead name, lead aliases, lead type, [(partner name, aliases, role)])."""
    lead = record["organisation"]
    partners = [(p["organisation"]["name"], p["organisation"]["aliases"], p["role"]) for p in record["partners"]]
    return lead["name"], lead["aliases"], lead["type"], partners


def test_iraq_3w_a_role_descriptor_column_is_not_an_organisation() -> None:
    records = collect(parse_hxl(CORPUS / "iraq_3w_impl_roles.csv")).records
    assert [_orgs(r) for r in records] == [
        ("Danish Refugee Council", ["DRC"], "21", [("ECHO", [], "funding")]),
        ("Al-Mesalla Organization for Human Resources Development", ["Al-Mesalla"], "22",
         [("Danish Refugee Council", [], "funding")]),
        ("International Medical Corps", ["IMC"], "21", [("BHA", [], "funding")]),
    ]


def test_libya_3w_partner_acronym_stays_with_the_partner_and_no_partner_is_nobody() -> None:
    records = collect(parse_hxl(CORPUS / "libya_3w_partners.csv")).records
    assert [_orgs(r) for r in records] == [
        ("International Rescue Committee", ["IRC"], None, [("ECHO", [], "funding")]),
        ("International Medical Corps", ["IMC"], None, [("Libyan Red Crescent", ["LRC"], "implementing")]),
        ("International Medical Corps", ["IMC"], None,
         [("Libyan Red Crescent", ["LRC"], "implementing"), ("BHA", [], "funding")]),
        ("ACTED", [], None, []),  # "not applicable", "none", "TBD"
    ]
    assert [r["locations"][0]["admin1_code"] for r in records] == ["LY02", "LY02", "LY01", "LY01"]


def test_niger_3w_name_and_acronym_of_the_same_role_are_one_organisation() -> None:
    records = collect(parse_hxl(CORPUS / "niger_3w_name_acronym.csv")).records
    assert [_orgs(r) for r in records] == [
        ("Action contre la Faim", ["ACF"], "21", [("ECHO", [], "funding")]),
        ("Action pour le Bien-Être", ["APBE"], "22", [("UNICEF", [], "funding")]),
        ("Action pour le Bien-Être", ["APBE"], "22", []),  # donor "N/A"
    ]
    assert records[0]["organisation"]["country"] is None and records[1]["organisation"]["country"] == "NE"
    assert [loc["admin2_code"] for loc in records[0]["locations"]] == ["NE002001", "NE002002"]


@pytest.mark.parametrize("placeholder", ["No partner", "N/A", "-", "TBD", "Other", "none", "n/a", "not applicable"])
def test_placeholders_never_become_organisations(placeholder: str) -> None:
    text = f"#org +impl,#org +partner,#org +funder,#sector\nCARE,{placeholder},{placeholder},WASH\n"
    (record,) = collect(parse_hxl(_csv(text))).records
    assert (record["organisation"]["name"], record["partners"]) == ("CARE", [])


def test_an_empty_lead_column_falls_back_to_the_implementer_never_to_the_funder_alone() -> None:
    text = "#org,#org +impl,#org +funder,#sector\n,Oxfam,ECHO,WASH\n,,ECHO,Health\n"
    result = collect(parse_hxl(_csv(text)))
    assert [_orgs(r) for r in result.records] == [("Oxfam", [], None, [("ECHO", [], "funding")])]
    assert [p.reason for p in result.problems] == ["no organisation name (#org)"]


# Case 7: people counts add up -------------------------------------------------------------------


def test_libhxl_fixture_women_and_men_add_up() -> None:
    records = collect(parse_hxl(CORPUS / "libhxl_input-valid-latin1.csv")).records
    assert [(r["organisation"]["name"], r["people_targeted"]) for r in records] == [
        ("ACNUR", 200), ("OMS", None), ("UNICEF", 550), ("OMS", 175)]
    assert [(r["locations"][0]["country"], r["locations"][0]["admin1_code"]) for r in records] == [
        ("PA", "PA09"), ("CO", "CO19"), ("CO", "CO27"), ("VE", "VE02")]


def test_iraq_3w_disaggregated_counts_add_up_per_row_and_over_the_group() -> None:
    records = collect(parse_hxl(CORPUS / "iraq_3w_impl_roles.csv")).records
    assert [r["people_targeted"] for r in records] == [300, 50, 800]  # (120+80)+(60+40); 30+20; 500+300
    assert [(r["start"], r["end"]) for r in records] == [
        ("2023-01-01", "2023-12-31"), ("2023-03-01", "2023-12-31"), ("2023-02-01", "2023-11-30")]


@pytest.mark.parametrize(("tags", "cells", "expected"), [
    ("#targeted +f,#targeted +m", "100,100", 200),
    ("#targeted +total,#targeted +f,#targeted +m", "250,100,150", 250),  # the total, not 500
    ("#targeted +f,#targeted +m,#targeted", "100,150,250", 250),  # an untagged-total column
    ("#targeted +f,#targeted +f +children,#targeted +f +adults,#targeted +m", "100,40,60,90", 190),
    ("#targeted +m +children,#targeted +m +adults,#targeted +f", "10,20,30", 60),
    ("#reached +f,#reached +m,#targeted +f", "5,5,7", 7),  # targeted beats reached
    ("#reached +f,#reached +m", "5,6", 11),
    ("#targeted +hh,#targeted +ind", "20,100", 100),  # households are not people
])
def test_people_counts_sum_disaggregations_without_double_counting(tags: str, cells: str, expected: int) -> None:
    (record,) = collect(parse_hxl(_csv(f"#org,#sector,{tags}\nCARE,WASH,{cells}\n"))).records
    assert record["people_targeted"] == expected


# Case 8: ISO3-prefixed p-codes ------------------------------------------------------------------


def test_guinea_ebola_3w_iso3_pcodes_resolve_and_every_row_keeps_its_country() -> None:
    stats = HxlStats()
    result = collect(parse_hxl(CORPUS / "guinea_ebola_3w_iso3_pcodes.csv", stats=stats))
    assert (stats.rows, stats.skipped_rows, stats.initiatives) == (8, 0, 7)
    places = [(r["organisation"]["name"], [(loc["country"], loc["admin1_code"], loc["admin2_code"], loc["admin2"])
                                           for loc in r["locations"]]) for r in result.records]
    assert places == [
        ("CDC", [("GN", "GN008", "GN008001", "Beyla")]),  # GIN008001
        ("Croix-Rouge Guinée", [("GN", "GN008", "GN008002", "Gueckedou")]),
        ("UNICEF", [("GN", "GN008", "GN008002", "Gueckedou"), ("GN", "GN008", "GN008004", "Macenta")]),
        ("Catholic Agency For Overseas Development", [("GN", "GN003", "GN003004", "Kissidougou")]),
        ("Medecins sans Frontieres", [("GN", "GN001", "GN001001", "Boffa")]),  # GN-prefixed as well
        ("WHO", [("GN", "GN002", None, "Kaloum")]),  # unknown GIN002099: its admin-1 from the prefix
        ("CDC", [("GN", None, None, None)]),  # unknown GIN999999: still Guinea
    ]
    assert result.records[0]["title"] == "Coordination in Nzerekore"
    for record in result.records:
        validate_initiative(record)  # no "locations.0 needs a point (lat, lon), a country or a place name"


def test_pcodes_are_found_with_either_iso_prefix_and_the_table_country_is_the_iso_one() -> None:
    assert pcodes.area("GIN008001") == pcodes.area("GN008001") == pcodes.area(" gn008001 ")
    assert pcodes.area("BI005") == pcodes.area("BDI005")  # the table writes Burundi with ISO3
    assert pcodes.area("BDI005").country == "BI"  # not Bangladesh ("BD")
    assert pcodes.country_of_pcode("GIN999999") == "GN" and pcodes.country_of_pcode("IQG99") == "IQ"
    assert pcodes.area("XYZ001") is None and pcodes.country_of_pcode("XYZ001") is None


def test_a_row_whose_place_does_not_resolve_keeps_the_country_of_the_file() -> None:
    text = ("#org,#sector,#adm1 +code,#adm1 +name\nMSF,Health,SD02,North Darfur\n"
            "MSF,WASH,,Nowhere Province\n")
    result = collect(parse_hxl(_csv(text)))
    wash = next(r for r in result.records if r["tags"] == ["WASH"])
    assert (wash["locations"][0]["country"], wash["locations"][0]["admin1"]) == ("SD", "Nowhere Province")
    validate_initiative(wash)


# Case 9: an admin-2 name that does not resolve keeps the admin-1 and the country ----------------


def test_sudan_3w_without_a_country_column_falls_back_to_the_admin1_that_resolves() -> None:
    records = collect(parse_hxl(CORPUS / "sudan_3w_admin_names.csv")).records
    who = records[0]
    assert (who["organisation"]["name"], who["tags"], who["people_targeted"]) == ("WHO", ["Health"], 6600)
    assert [(loc["country"], loc["admin1_code"], loc["admin2_code"], loc["admin2"], loc["precision"])
            for loc in who["locations"]] == [
        ("SD", "SD02", None, "Al Waha", "admin2"),  # not in the p-code table: North Darfur still holds
        ("SD", "SD02", "SD02114", "Al Fasher", "admin2")]
    assert [(r["locations"][0]["admin1_code"], r["locations"][0]["admin2_code"]) for r in records[1:]] == [
        ("SD02", None), ("SD03", "SD03144"), ("SD01", "SD01006")]
    for record in records:
        validate_initiative(record)


def test_the_issue_row_north_darfur_al_waha_stores_sudan() -> None:
    (record,) = collect(parse_hxl(_csv("#adm1,#adm2,#sector,#org\nNorth Darfur,Al Waha,Health,WHO\n"))).records
    assert (record["locations"][0]["country"], record["locations"][0]["admin1"]) == ("SD", "North Darfur")


@pytest.mark.parametrize(("country", "adm1", "adm2", "expected"), [
    (None, "Anbar", "Heet", ("IQ", "IQG01", "IQG01Q07")),  # an alternative name of Al-Anbar
    ("AF", "Kabul Province", None, ("AF", "AF01", None)),
    (None, None, "Al Fasher", ("SD", "SD02", "SD02114")),  # an admin-2 name unique in the table
    (None, "Central", None, (None, None, None)),  # many countries have a "Central": unresolved
    (None, "Niger", None, (None, None, None)),  # the country (UNHCR's "Mali Situation"), not Niger State
])
def test_admin_names_resolve_to_the_most_precise_level_that_is_unambiguous(country, adm1, adm2, expected) -> None:
    found = pcodes.resolve(country, adm1, None, adm2, None)
    assert (found.get("country"), found.get("admin1_code"), found.get("admin2_code")) == expected
