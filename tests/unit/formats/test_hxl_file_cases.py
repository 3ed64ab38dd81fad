"""HXL 3W import, the file-level cases of the public issue: encodings and delimiters detected,
refusals that say what was read, day-first and month-first dates, long activity texts kept."""
from __future__ import annotations

import io

import pytest
from formats_testdata import DATA
from formats_testdata import csv_file as _csv

from coordination.formats.hxl_import import HxlStats, parse_hxl
from coordination.formats.items import ImportFileError, collect
from coordination.validation import validate_initiative

CORPUS = DATA / "hxl_corpus"


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
