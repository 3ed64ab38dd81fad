"""IATI activity XML import: real files, per-activity problems and the field mapping."""
from __future__ import annotations

import io

import pytest
from formats_testdata import DATA, shared_file

from coordination.formats.iati_import import parse_iati
from coordination.formats.items import ImportFileError, collect

# (file under shared/data/iati, activities imported, activities skipped)
REAL_FILES = [
    ("dportal-ocha-iati-viz/covid_input_dportal.xml", 401, 0),
    ("dportal-ocha-iati-viz/foodsecurity_input_dportal.xml", 7, 0),
    ("dportal-ocha-iati-viz/saved_data/dportal_117.xml", 100, 0),
    ("dportal-ocha-iati-viz/saved_data/dportal_128.xml", 100, 0),
    ("dportal-ocha-iati-viz/saved_data/dportal_15.xml", 100, 0),
    ("dportal-ocha-iati-viz/saved_data/dportal_86.xml", 100, 0),
    ("legacy-2.01/MAEC_IATI_INDONESIA.xml", 83, 0),
    ("official-example/activity-standard-example-annotated.xml", 1, 0),
]


@pytest.mark.parametrize(("relative", "imported", "skipped"), REAL_FILES)
def test_every_real_iati_file_imports_with_the_expected_counts(relative: str, imported: int, skipped: int) -> None:
    result = collect(parse_iati(shared_file("iati/" + relative)))
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
    records = collect(parse_iati(shared_file("iati/legacy-2.01/MAEC_IATI_INDONESIA.xml"))).records
    country_only = [loc for r in records for loc in r["locations"] if loc["name"] is None]
    assert country_only and all(
        (loc["country"], loc["precision"], loc["lat"]) == ("ID", "country", None) for loc in country_only)


def test_upper_case_sdg_targets_from_real_data_are_lower_cased() -> None:
    records = collect(parse_iati(shared_file("iati/dportal-ocha-iati-viz/saved_data/dportal_128.xml"))).records
    assert all("3.d" in r["goals"] for r in records)


def test_who_sectors_published_only_on_transactions_still_give_tags() -> None:
    records = collect(parse_iati(shared_file("iati/dportal-ocha-iati-viz/saved_data/dportal_128.xml"))).records
    assert sum(1 for r in records if r["tags"]) >= 97


def test_narratives_under_dportals_bogus_xml_namespace_keep_their_language() -> None:
    records = collect(parse_iati(shared_file("iati/dportal-ocha-iati-viz/covid_input_dportal.xml"))).records
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
