"""One organisation written many ways: the name, acronym and identifier keys, on names as real files write them.

Names are from seed_data/organisations.json, the Afghanistan 3W (ORG_ACRONYM / ORG_NAME) and
the IATI publisher list (see tests/data/orgs/SOURCES.md).
"""
from __future__ import annotations

import pytest

from coordination.orgs.names import (
    identifier_key,
    identity_of,
    loose_key,
    split_acronym,
    usable_identifier,
)
from coordination.orgs.registry import registry
from coordination.services.org_identity import known_identity


@pytest.mark.parametrize("written, name, acronym", [
    ("United Nations Children's Fund (UNICEF)", "United Nations Children's Fund", "UNICEF"),
    ("UN HIGH COMMISSIONER FOR REFUGEES (UNHCR)", "UN HIGH COMMISSIONER FOR REFUGEES", "UNHCR"),
    ("FAO-Food and Agriculture Organization", "Food and Agriculture Organization", "FAO"),
    ("SWISS AGENCY FOR DEVELOPMENT AND COOPERATION - SDC", "SWISS AGENCY FOR DEVELOPMENT AND COOPERATION", "SDC"),
    # Not acronyms: a country qualifier, a second language, a sub-unit code.
    ("Women and Children First (UK)", "Women and Children First (UK)", None),
    ("Terre des hommes - Aide à l'enfance dans le monde - Fondation",
     "Terre des hommes - Aide à l'enfance dans le monde - Fondation", None),
    ("MSF - F", "MSF - F", None),
])
def test_an_acronym_written_beside_a_name_is_split_off(written, name, acronym):
    assert split_acronym(written) == (name, acronym)


@pytest.mark.parametrize("a, b", [
    ("UNITED NATIONS CHILDREN'S FUND", "United Nations Children's Fund"),
    ("World Food Program", "WORLD FOOD PROGRAMME"),
    ("UN HIGH COMMISSIONER FOR REFUGEES", "United Nations High Commissioner for Refugees"),
    ("Bill & Melinda Gates Foundation", "Bill and Melinda Gates Foundation"),
    ("FUNDACIO INTERMON OXFAM", "Fundació Intermón Oxfam"),
])
def test_case_accents_spellings_and_ampersands_do_not_change_a_name(a, b):
    assert loose_key(a) == loose_key(b)


def test_different_names_keep_different_keys():
    assert loose_key("Afghan Development Association") != loose_key("Austrian Development Agency")
    assert loose_key("World Food Program") != loose_key("World Food Forum")


def test_one_identifier_however_punctuated_and_the_old_bare_dac_code():
    assert identifier_key("CH-FDJP-CHE-106823242") == identifier_key("CH-FDJP-CHE106823242")
    assert identifier_key("41122") == identifier_key("XM-DAC-41122")
    assert identifier_key("XM-DAC-41122") != identifier_key("XM-DAC-41121")


@pytest.mark.parametrize("written", ["N/A", "none", "-", "", None])
def test_a_placeholder_in_the_identifier_column_is_no_identifier(written):
    assert usable_identifier(written) is None


@pytest.mark.parametrize("written", ["XM-DAC-41122", "41122", "G82484882", "CN-GOV", "XI-IATI-UNPF"])
def test_real_identifiers_are_kept(written):
    assert usable_identifier(written) == written


def test_a_bare_acronym_alias_is_an_acronym_not_a_name():
    identity = identity_of(["UNITED NATIONS CHILDREN'S FUND", "UNICEF"])
    assert identity.names == {"united nations children s fund"}
    assert identity.acronyms == {"unicef"}


def test_the_iati_lists_spell_out_an_international_agencys_letters():
    assert registry().agency("unicef").identifier == "XM-DAC-41122"
    assert "united nations children s fund" in known_identity(["UNICEF"], None).names
    assert "united nations children s fund" in known_identity(["UNITED NATIONS CHILDREN'S FUND"], "41122").names


@pytest.mark.parametrize("letters", ["ada", "care", "drc", "aecid"])
def test_letters_of_national_or_ambiguous_organisations_are_not_spelled_out(letters):
    # ADA: the Austrian Development Agency in the IATI list, an Afghan NGO in the Afghanistan 3W.
    assert registry().agency(letters) is None
    assert known_identity([letters.upper()], None).names == {letters}


def test_a_name_that_spells_out_other_letters_is_not_taken_for_the_agency():
    # "WHO" beside another name is that organisation's acronym, not the World Health Organization.
    identity = known_identity(["Women's Health Organisation", "WHO"], None)
    assert "world health organisation" not in identity.names
