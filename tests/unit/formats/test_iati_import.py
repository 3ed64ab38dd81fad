"""IATI activity XML import: real files, per-activity problems and the field mapping."""
from __future__ import annotations

import io

import pytest
from formats_testdata import DATA, data_file

from coordination.formats.iati_import import parse_iati
from coordination.formats.items import ImportFileError, collect

# (file under tests/data, activities imported, activities skipped). The *_excerpt.xml files keep whole
# activities of larger real files (tests/data/real/SOURCES.md says which); the counts are the extracts'.
REAL_FILES = [
    ("real/iati/covid_input_dportal_excerpt.xml", 81, 0),
    ("real/iati/foodsecurity_input_dportal.xml", 7, 0),
    ("real/iati/dportal_117_excerpt.xml", 20, 0),
    ("real/iati/dportal_128_excerpt.xml", 20, 0),
    ("real/iati/dportal_15_excerpt.xml", 20, 0),
    ("real/iati/dportal_86_excerpt.xml", 20, 0),
    ("real/iati/MAEC_IATI_INDONESIA.xml", 83, 0),
    ("formats/activity-standard-example-annotated.xml", 1, 0),
]


@pytest.mark.parametrize(("relative", "imported", "skipped"), REAL_FILES)
def test_every_real_iati_file_imports_with_the_expected_counts(relative: str, imported: int, skipped: int) -> None:
    result = collect(parse_iati(data_file(relative)))
    assert (len(result.records), len(result.problems)) == (imported, skipped)
    assert all(r["title"] and r["organisation"]["name"] for r in result.records)


def _good() -> dict:
    records = collect(parse_iati(DATA / "problems.xml")).records
    assert len(records) == 1
    return records[0]


def test_activities_without_identifier_or_title_are_skipped_with_a_reason_and_the_good_one_kept() -> None:
    result = collect(parse_iati(DATA / "problems.xml"))
    reasons = [(p.ref, p.reason) for p in result.problems]
    assert reasons == [
        (None, "activity has no iati-identifier"),
        ("GB-CHC-000001-NOTITLE", "activity has no title"),
    ]
    assert all(p.line for p in result.problems)
    assert [r["iati_identifier"] for r in result.records] == ["GB-CHC-000001-GOOD"]


def test_english_title_is_preferred_and_its_language_kept() -> None:
    record = _good()
    assert (record["title"], record["language"]) == ("Safe water in Kisumu", "en")


def test_description_html_is_stripped_even_when_escaped_twice() -> None:
    assert _good()["description"] == "Boreholes & hand pumps\nfor 12 villages"


def test_participating_orgs_become_partners_with_roles_and_the_lead_is_not_repeated() -> None:
    record = _good()
    assert record["organisation"]["org_identifier"] == "GB-CHC-000001"
    assert record["organisation"]["country"] == "GB"
    partners = [(p["organisation"]["name"], p["role"], p["organisation"]["type"]) for p in record["partners"]]
    assert partners == [("UK FCDO", "funding", "10"), ("Kisumu Water Group", "implementing", "22")]


def test_sdg_tags_and_sectors_become_normalised_goals_and_unknown_codes_are_reported() -> None:
    result = collect(parse_iati(DATA / "problems.xml"))
    assert result.records[0]["goals"] == ["6.a", "6", "6.1"]
    assert any("99.9" in w for _, w in result.warnings)


def test_dac_sectors_become_tags_with_their_codelist_names() -> None:
    assert _good()["tags"] == ["Basic drinking water supply and basic sanitation", "Basic drinking water supply"]


def test_actual_dates_win_over_planned_and_status_is_named() -> None:
    record = _good()
    assert (record["start"], record["end"], record["status"]) == ("2024-02-15", "2026-12-31", "implementation")


def test_a_revised_budget_replaces_the_original_of_the_same_period() -> None:
    record = _good()
    assert (record["budget"], record["currency"]) == (3500.0, "EUR")


def test_a_point_location_keeps_its_coordinates_and_the_country_is_not_repeated() -> None:
    (location,) = _good()["locations"]
    assert (location["lat"], location["lon"], location["country"], location["precision"]) == (
        -0.0917, 34.768, "KE", "point")


def test_country_only_activities_get_country_precision_without_coordinates() -> None:
    records = collect(parse_iati(data_file("real/iati/MAEC_IATI_INDONESIA.xml"))).records
    country_only = [loc for r in records for loc in r["locations"] if loc["name"] is None]
    assert country_only and all(
        (loc["country"], loc["precision"], loc["lat"]) == ("ID", "country", None) for loc in country_only)


def test_upper_case_sdg_targets_from_real_data_are_lower_cased() -> None:
    records = collect(parse_iati(data_file("real/iati/dportal_128_excerpt.xml"))).records
    assert all("3.d" in r["goals"] for r in records)


def test_who_sectors_published_only_on_transactions_still_give_tags() -> None:
    records = collect(parse_iati(data_file("real/iati/dportal_128_excerpt.xml"))).records
    # all 20 activities of the extract (97 of the full page's 100) put their sectors only on transactions
    assert sum(1 for r in records if r["tags"]) >= 20


def test_narratives_under_dportals_bogus_xml_namespace_keep_their_language() -> None:
    path = data_file("real/iati/covid_input_dportal_excerpt.xml")
    assert b'ns2:lang="en"' in path.read_bytes()  # the extract keeps the 21 activities written this way
    records = collect(parse_iati(path)).records
    assert {r["language"] for r in records} <= {"en", "es", "fr", "pt"}
    assert None not in {r["language"] for r in records}


def test_provenance_names_the_file_and_the_activity() -> None:
    assert _good()["provenance"] == "iati:problems.xml#GB-CHC-000001-GOOD"


def test_a_file_object_can_be_imported_under_a_given_name() -> None:
    data = (DATA / "problems.xml").read_bytes()
    items = list(parse_iati(io.BytesIO(data), source_name="upload.xml"))
    assert items[-1].record["provenance"] == "iati:upload.xml#GB-CHC-000001-GOOD"


def test_a_billion_laughs_file_is_refused_before_any_expansion() -> None:
    with pytest.raises(ImportFileError, match="entities"):
        list(parse_iati(DATA / "billion_laughs.xml"))


def test_an_external_entity_file_is_refused() -> None:
    with pytest.raises(ImportFileError, match="entities"):
        list(parse_iati(DATA / "external_entity.xml"))


def test_a_truncated_file_fails_naming_the_line_after_reporting_what_was_read() -> None:
    items: list = []
    with pytest.raises(ImportFileError) as error:
        items.extend(parse_iati(DATA / "truncated_dportal_15.xml"))
    assert error.value.line is not None and f"line {error.value.line}" in str(error.value)
    assert error.value.parsed_before == len(items) == 23


def test_garbage_is_refused_as_malformed_xml() -> None:
    with pytest.raises(ImportFileError, match="malformed"):
        list(parse_iati(io.BytesIO(b"title,org\nwater,oxfam\n")))


def test_an_organisation_file_is_not_taken_for_an_activity_file() -> None:
    with pytest.raises(ImportFileError, match="not an IATI activity file"):
        list(parse_iati(DATA / "organisation_file.xml"))


HOSTILE_ENCODINGS = ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-16", "utf-32", "utf-8-sig", "cp037"]


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml"])
@pytest.mark.parametrize("encoding", HOSTILE_ENCODINGS)
def test_a_hostile_file_is_refused_in_any_encoding_with_or_without_a_byte_order_mark(name, encoding) -> None:
    # "utf-16"/"utf-32" write a byte-order mark; the -le/-be codecs write none (Appendix F autodetection).
    data = (DATA / name).read_text(encoding="utf-8").replace('encoding="UTF-8"', f'encoding="{encoding}"')
    with pytest.raises(ImportFileError, match="DOCTYPE declaring entities") as error:
        list(parse_iati(io.BytesIO(data.encode(encoding))))
    assert error.value.line == 2


def test_a_doctype_hidden_by_the_declared_encoding_is_refused() -> None:
    # ASCII bytes whose declaration says UTF-7: "+ADw-" is "<" once decoded as declared.
    data = (b'<?xml version="1.0" encoding="UTF-7"?>\n+ADw-!DOCTYPE a +AFs-+ADw-!ENTITY x "y"+AD4-+AF0-+AD4-\n'
            b"<iati-activities/>")
    with pytest.raises(ImportFileError, match="DOCTYPE declaring entities"):
        list(parse_iati(io.BytesIO(data)))


@pytest.mark.parametrize(("encoding", "named"), [("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"),
                                                 ("utf-32-le", "UTF-32"), ("utf-16", "UTF-16")])
def test_a_harmless_utf16_or_utf32_file_is_refused_asking_for_utf8(encoding, named) -> None:
    data = (DATA / "problems.xml").read_text(encoding="utf-8")
    with pytest.raises(ImportFileError, match=f"{named} XML is not accepted; save the file as UTF-8"):
        list(parse_iati(io.BytesIO(data.encode(encoding))))
