"""HXL 3W import, the cases of the public issue: each test imports a real or realistic file and
checks what a correct import stores (organisations by role, names, places, dates, people)."""
from __future__ import annotations

import io

from formats_testdata import DATA

from coordination.formats.hxl_import import HxlStats, parse_hxl
from coordination.formats.hxl_tags import find_hashtag_row, is_hashtag_row
from coordination.formats.items import collect

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
