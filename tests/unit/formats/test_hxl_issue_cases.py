"""HXL 3W import, the cases of the public issue: each test imports a real or realistic file and
checks what a correct import stores (organisations by role, names, places, dates, people)."""
from __future__ import annotations

import io

import pytest
from formats_testdata import DATA

from coordination.formats import pcodes
from coordination.formats.hxl_import import HxlStats, parse_hxl
from coordination.formats.hxl_tags import find_hashtag_row, is_hashtag_row
from coordination.formats.items import ImportFileError, collect
from coordination.validation import validate_initiative

CORPUS = DATA / "hxl_corpus"


def _csv(text: str, name: str = "t.csv", encoding: str = "utf-8") -> io.BytesIO:
    data = io.BytesIO(text.encode(encoding))
    data.name = name
    return data


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


# Case 11: encodings and delimiters are detected; refusals say what was found ---------------------

IRAQ_SAMPLE = DATA / "whowhatwhere_afg_3w_data.csv"  # the real one-row Iraq 3W (OCHA, via HDX)


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-le", "utf-32-be", "utf-16", "utf-16-le", "utf-16-be",
                                      "utf-8-sig", "utf-8"])
def test_the_real_iraq_sample_imports_the_same_in_every_unicode_encoding(encoding: str) -> None:
    text = IRAQ_SAMPLE.read_text(encoding="utf-8")
    (record,) = collect(parse_hxl(_csv(text, encoding=encoding))).records
    assert (record["organisation"]["name"], record["organisation"]["aliases"]) == ("Danish Refugee Council", ["DRC"])
    location = record["locations"][0]
    assert (location["country"], location["admin1_code"], location["admin2_code"]) == ("IQ", "IQG01", "IQG01Q01")


def test_windows_1252_is_read_when_the_bytes_are_not_utf8() -> None:
    text = "#org,#sector,#country\nMédecins du Monde – France,Santé,Guinée\n"
    (record,) = collect(parse_hxl(_csv(text, encoding="cp1252"))).records
    assert (record["organisation"]["name"], record["tags"]) == ("Médecins du Monde – France", ["Santé"])


@pytest.mark.parametrize("name", ["libhxl_input-valid.ssv", "libhxl_input-valid.tsv", "libhxl_input-valid-latin1.csv"])
def test_libhxl_semicolon_tab_and_latin1_fixtures_give_the_same_records(name: str) -> None:
    records = collect(parse_hxl(CORPUS / name)).records
    assert [(r["organisation"]["name"], r["tags"], r["people_targeted"], r["locations"][0]["admin1_code"])
            for r in records] == [
        ("ACNUR", ["WASH", "Higiene"], 200, "PA09"), ("OMS", ["Salud", "Vacunación"], None, "CO19"),
        ("UNICEF", ["Educación", "Formación de enseñadores"], 550, "CO27"), ("OMS", ["WASH", "Urbano"], 175, "VE02")]


def test_semicolons_win_over_commas_inside_cells() -> None:
    text = "Org;Sector;Note\n#org;#sector;#description\nCARE;WASH;wells, latrines, soap\n"
    (record,) = collect(parse_hxl(_csv(text))).records
    assert (record["organisation"]["name"], record["description"]) == ("CARE", "wells, latrines, soap")


def test_a_file_without_hashtags_is_refused_saying_what_was_read() -> None:
    with pytest.raises(ImportFileError) as refused:
        list(parse_hxl(DATA / "whowhatwhere_notags_3w_data.csv"))
    message = str(refused.value)
    assert message.startswith("not HXL: no row of #hashtags found in the first 25 rows (read as UTF-8, comma-separated")
    assert "'Month', 'ADM1_PCODE'" in message and "no '#' at all" in message


def test_a_file_without_an_org_column_is_refused_naming_its_hashtags() -> None:
    with pytest.raises(ImportFileError, match=r"no #org column \(read as UTF-16, tab-separated; hashtags: #sector, #adm1"):
        list(parse_hxl(_csv("#sector\t#adm1\nWASH\tKabul\n", encoding="utf-16")))


@pytest.mark.parametrize(("data", "said"), [
    (b"PK\x03\x04rest-of-a-zip", "Excel workbook"),
    (b"\xff\xfe\x00\x00\x00\xd8\x00\x00", "UTF-32 (byte-order mark) but byte"),
])
def test_files_that_are_not_csv_text_are_refused_for_what_they_are(data: bytes, said: str) -> None:
    with pytest.raises(ImportFileError, match=said.replace("(", r"\(").replace(")", r"\)")):
        list(parse_hxl(io.BytesIO(data)))


# Case 12: Excel "CSV UTF-8" exports and day-first dates -----------------------------------------


def test_honduras_345w_saved_by_excel_as_csv_utf8_imports_with_day_first_dates() -> None:
    raw = (CORPUS / "honduras_345w_excel_csv_utf8.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    stats = HxlStats()
    result = collect(parse_hxl(CORPUS / "honduras_345w_excel_csv_utf8.csv", stats=stats))
    assert (stats.rows, stats.skipped_rows, result.problems) == (12, 0, [])
    # "01/07/2021" alone could be 7 January; the file's "31/12/2021" says day-first: 1 July.
    assert {(r["start"], r["end"]) for r in result.records} == {("2021-07-01", "2021-12-31")}
    first = result.records[0]
    assert (first["organisation"]["name"], first["organisation"]["type"], first["language"]) == ("SC", "21", "es")
    assert first["partners"] == [{"organisation": {"name": "UNICEF", "type": None, "country": None,
                                                   "org_identifier": None, "aliases": []}, "role": "funding"}]
    assert (first["locations"][0]["admin1_code"], first["locations"][0]["admin2_code"]) == ("HN16", "HN1601")
    assert first["people_targeted"] == 663


def test_month_first_dates_are_read_month_first_when_the_file_says_so() -> None:
    text = ("\ufeffOrg,Sector,Start,End\r\n#org,#sector,#date +start,#date +end\r\n"
            "CARE,WASH,7/1/2021,12/31/2021\r\nCARE,Health,3/4/2021,3/5/2021\r\n")
    records = collect(parse_hxl(_csv(text))).records
    assert [(r["start"], r["end"]) for r in records] == [("2021-07-01", "2021-12-31"), ("2021-03-04", "2021-03-05")]


def test_ambiguous_dates_are_refused_with_their_row_and_column_and_unambiguous_rows_stay() -> None:
    text = ("Org,Sector,Start date,End date\n#org,#sector,#date +start,#date +end\n"
            "CARE,WASH,01/02/2021,03/04/2021\n"
            "Oxfam,WASH,2021-05-01,2021-06-30\n"  # ISO: never ambiguous
            "MSF,Health,05/05/2021,06/06/2021\n")  # day = month: the same either way
    result = collect(parse_hxl(_csv(text)))
    assert [(r["organisation"]["name"], r["start"], r["end"]) for r in result.records] == [
        ("Oxfam", "2021-05-01", "2021-06-30"), ("MSF", "2021-05-05", "2021-06-06")]
    (problem,) = result.problems
    assert (problem.ref, problem.line) == ("row=3", 3)
    assert problem.reason == (
        "date '01/02/2021' in column 3 'Start date' (#date +start) could be day-first or month-first, "
        "and no date in the file has a day over 12 to tell the order; write it as YYYY-MM-DD")


def test_day_first_evidence_from_any_date_column_settles_the_whole_file() -> None:
    text = "#org,#sector,#date +start,#date +end\nCARE,WASH,01/02/2021,03/04/2021\nCARE,Food,02/03/2021,25/03/2021\n"
    records = collect(parse_hxl(_csv(text))).records
    assert [(r["start"], r["end"]) for r in records] == [("2021-02-01", "2021-04-03"), ("2021-03-02", "2021-03-25")]


# Case 10: the platform's limits never drop a real row -------------------------------------------


def test_yemen_market_sites_long_activity_text_and_239_places_are_kept_with_warnings() -> None:
    stats = HxlStats()
    result = collect(parse_hxl(CORPUS / "yemen_3w_market_sites.csv", stats=stats))
    assert (stats.rows, stats.skipped_rows, result.problems) == (240, 0, [])
    markets, nutrition = result.records
    activity = ("Monthly monitoring of retail prices and availability of wheat flour, rice, vegetable oil, "
                "sugar, red beans, fuel and drinking water in district markets")
    assert markets["title"] == ("Monthly monitoring of retail prices and availability of wheat flour, rice, "
                                "vegetable oil, sugar, red beans, fuel and…")
    assert markets["description"].startswith(activity) and len(markets["description"]) == 361
    # 239 market points (no admin column) become the admin-1 areas they lie in, plus Yemen for
    # the point no admin-1 centroid of Yemen is nearest to.
    assert len(markets["locations"]) == 20
    assert {loc["country"] for loc in markets["locations"]} == {"YE"}
    assert {"Lahj", "Amran", "Ibb", "Hadramawt"} <= {loc["admin1"] for loc in markets["locations"]}
    assert all(loc["admin1_code"].startswith("YE") for loc in markets["locations"] if loc["admin1"])
    assert result.warnings == [
        ("hxl:yemen_3w_market_sites.csv#row=3", ("239 places are more than the 200 an initiative holds: "
                                                "stored as their 20 admin1 / country areas")),
        ("hxl:yemen_3w_market_sites.csv#row=3", ("activity text of 361 characters (more than a 300-character "
                                                "title) kept as the description; title derived from it"))]
    assert (nutrition["title"], nutrition["locations"][0]["precision"]) == (
        "Treatment of moderate acute malnutrition", "point")
    for record in result.records:
        validate_initiative(record)  # no "title is too long", no "at most 200"


def test_a_long_activity_whose_first_sentence_is_short_gets_that_sentence_as_title() -> None:
    text = "#org,#sector,#activity,#description\nCARE,WASH," + '"Rehabilitation of 12 boreholes. ' + "x " * 200 + '",More.\n'
    (record,) = collect(parse_hxl(_csv(text))).records
    assert record["title"] == "Rehabilitation of 12 boreholes"
    assert record["description"].startswith("Rehabilitation of 12 boreholes. x x") and record["description"].endswith("More.")
