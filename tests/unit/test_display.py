"""Words for codes: what pages show instead of ISO, IATI and P-codes and import references."""
from __future__ import annotations

import pytest

from coordination.display import (
    area_name,
    country_name,
    names_in_text,
    organisation_type_name,
    provenance_text,
    verification_label,
    why_text,
)
from coordination.vocab import status_from_dates


def test_countries_and_areas_are_named():
    assert country_name("SV") == "El Salvador" and country_name("hn") == "Honduras"
    assert country_name("ZZ") == "ZZ" and country_name(None) == ""
    assert area_name("SV10") == "San Salvador" and area_name("KE") == "Kenya"


@pytest.mark.parametrize(("words_for", "codes", "words"), [
    # Explanations name admin areas and countries.
    (names_in_text, "both work on goal 2, both in SV10, both active in 2020",
     "both work on goal 2, both in San Salvador, both active in 2020"),
    (names_in_text, "both in HN08, shared tags wash", "both in Francisco Morazan, shared tags wash"),
    (names_in_text, "both in ME, both active", "both in Montenegro, both active"),
    (names_in_text, "descriptions 100% similar, COVID19", "descriptions 100% similar, COVID19"),
    # Sources read as sentences.
    (provenance_text, "hxl:whowhatwhere_345_honduras.csv#row=3", "Imported from whowhatwhere_345_honduras.csv, row 3"),
    (provenance_text, "iati:covid_input_dportal.xml#XM-DAC-41114-1",
     "Imported from covid_input_dportal.xml (IATI activity XM-DAC-41114-1)"),
    (provenance_text, "web form", "Registered on this platform"),
    (provenance_text, "hxl:uploads/3w.csv", "Imported from 3w.csv"),
    (provenance_text, "something else", "something else"),
])
def test_explanations_and_sources_read_as_words(words_for, codes, words):
    assert words_for(codes) == words


def test_organisation_types_are_named():
    assert organisation_type_name("22") == "National NGO" and organisation_type_name("40") == "Multilateral"
    assert organisation_type_name(None) == "" and organisation_type_name("99") == "99"


def test_verification_is_only_mentioned_where_it_means_something():
    assert verification_label(True, False) == "Verified"
    assert verification_label(False, True) == "Not verified yet"
    assert verification_label(False, False) is None  # known only from published data
    # An organisation with an IATI publisher identifier is known from published data, accounts or not.
    assert verification_label(False, True, published=True) == "Known from published data"
    assert verification_label(False, False, published=True) == "Known from published data"
    assert verification_label(True, True, published=True) == "Verified"


def test_status_follows_the_dates():
    today = "2026-06-01"
    assert status_from_dates("2020-01-01", "2020-12-31", today) == "closed"
    assert status_from_dates("2027-01-01", None, today) == "pipeline"
    assert status_from_dates("2026-01-01", "2026-12-31", today) == "implementation"
    assert status_from_dates(None, None, today) is None
    assert status_from_dates("not a date", None, today) is None


def test_why_drops_the_engines_overlap_opening_and_names_areas():
    assert why_text("Overlap: both target 6.1, both in KE042") == "both target 6.1, both in Kisumu"
    assert why_text("Co-presence: both in Kisumu") == "Co-presence: both in Kisumu"
    assert why_text(None) == ""
