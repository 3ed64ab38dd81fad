"""Each normalisation rule, on labels people actually type."""

import pytest

from coordination.tagging import normalise_tag, slugify_label
from coordination.tagging.normalise import singular


def test_case_and_accents_are_folded():
    assert slugify_label("Educación") == slugify_label("EDUCACION") == "educacion"


def test_punctuation_and_spacing_do_not_matter():
    assert slugify_label("  Food-distribution / vouchers!! ") == "food-distribution-voucher"


@pytest.mark.parametrize(
    "label", ["Water & Sanitation", "water and sanitation", "agua y saneamiento"]
)
def test_ampersand_and_connectives_in_several_languages_are_dropped(label):
    assert normalise_tag(label) == "wash"


def test_french_et_is_a_connective():
    assert (
        slugify_label("Santé et Nutrition") == slugify_label("sante nutrition") == "sante-nutrition"
    )


def test_articles_and_bare_prepositions_are_dropped():
    assert slugify_label("Education in Emergencies") == slugify_label("education emergencies")


@pytest.mark.parametrize(
    ("plural", "single"),
    [("wells", "well"), ("services", "service"), ("latrines", "latrine"), ("activities", "activity"),
     ("boxes", "box"), ("approaches", "approach"), ("classes", "class"), ("children", "child"),
     ("women", "woman"), ("idps", "idp"), ("intervenciones", "intervencion")],
)  # fmt: skip
def test_plurals_become_singular(plural, single):
    assert singular(plural) == single


@pytest.mark.parametrize(
    "word", ["access", "status", "crisis", "analysis", "logistics", "aids", "news", "gas"]
)
def test_words_that_only_look_plural_are_kept(word):
    assert singular(word) == word


def test_possessive_s_is_not_a_word():
    assert slugify_label("Children's rights") == "child-right"


@pytest.mark.parametrize(
    "label",
    ["WASH", "water, sanitation and hygiene", "water sanitation & hygiene", "Agua, Saneamiento e Higiene",
     "Water & Sanitation", "Sanitation, Water & Hygiene", "EHA"],
)  # fmt: skip
def test_every_way_of_writing_wash_is_one_key(label):
    assert normalise_tag(label) == "wash"


@pytest.mark.parametrize(
    ("label", "key"),
    [("GBV", "gbv"), ("Gender-Based Violence", "gbv"), ("SGBV", "gbv"), ("violencia basada en género", "gbv"),
     ("IDPs", "idp"), ("internally displaced persons", "idp"), ("NFIs", "nfi"), ("non-food items", "nfi"),
     ("CCCM", "cccm"), ("Camp Coordination and Camp Management", "cccm"), ("MHPSS", "mhpss"),
     ("Mental Health and Psychosocial Support", "mhpss"), ("FSL", "fsl"),
     ("Food Security and Livelihoods", "fsl"), ("Seguridad Alimentaria", "food-security")],
)  # fmt: skip
def test_acronyms_and_their_expansions_share_a_key(label, key):
    assert normalise_tag(label) == key


def test_report_framing_before_a_colon_is_dropped_even_with_the_published_typo():
    assert normalise_tag("Operatioanl Presence: Water, Sanitation & Hygiene") == "wash"
    assert normalise_tag("Operational Presence: Health") == "health"


def test_ocha_cluster_codes_resolve_like_their_names():
    assert (
        normalise_tag("ESNFI_OP")
        == normalise_tag("Emergency Shelter & Non-Food Items")
        == "shelter-nfi"
    )
    assert normalise_tag("EiE_OP") == normalise_tag("EIE_OP") == "education-emergency"


def test_an_acronym_in_brackets_names_the_tag():
    assert normalise_tag("Manejo y gestión de Campamentos (CCCM)") == "cccm"
    assert normalise_tag("Core Relief Items (CRIs)") == "nfi"


def test_hyphenated_prefixes_join_rather_than_split():
    assert slugify_label("Relief co-ordination") == "relief-coordination"
    assert slugify_label("e-learning") == "elearning"


def test_an_unknown_label_keeps_its_slug():
    assert normalise_tag("Borehole rehabilitation") == "borehole-rehabilitation"


def test_an_empty_label_normalises_to_empty():
    assert normalise_tag("  ") == ""
