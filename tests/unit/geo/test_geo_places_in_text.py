"""Finding the places a title or description names."""

from coordination.geo import places_in_text


def names(places):
    """(name, country, precision) of each place found."""
    return [(p.name, p.country, p.precision) for p in places]


def test_admin1_names_and_a_country_are_found_in_order():
    found = places_in_text("Water points in Kisumu and Nairobi counties, Kenya")
    assert names(found) == [
        ("Kisumu", "KE", "admin1"),
        ("Nairobi", "KE", "admin1"),
        ("Kenya", "KE", "country"),
    ]


def test_names_match_without_their_accents():
    found = places_in_text("Distribución de alimentos en Usulutan", country="SV")
    assert [p.admin1_code for p in found] == ["SV14"]


def test_the_longer_name_wins_over_a_shorter_one_inside_it():
    found = places_in_text("Cash transfers in Santa Barbara department", country="HN")
    assert [p.admin1_code for p in found] == ["HN16"]


def test_a_given_country_decides_between_homonyms_and_drops_foreign_ones():
    found = places_in_text("Latrines in Santa Barbara and Kabul", country="HN")
    assert [(p.country, p.admin1_code) for p in found] == [("HN", "HN16")]


def test_a_country_named_in_the_text_decides_between_homonyms():
    found = places_in_text("Honduras: hygiene kits for Santa Barbara")
    assert ("Santa Barbara", "HN", "admin1") in names(found)


def test_common_words_that_are_also_place_names_are_not_places():
    assert places_in_text("Health services for the Central region and the North") == []


def test_lower_case_words_in_mixed_case_text_are_not_taken_for_names():
    assert places_in_text("Support to women and children on the coast of Kenya") == [
        p for p in places_in_text("Kenya")
    ]


def test_an_all_capitals_title_still_yields_its_places():
    assert names(places_in_text("SCHOOL CANTEENS IN MOPTI")) == [("Mopti", "ML", "admin1")]


def test_a_well_known_admin1_is_found_without_any_country_context():
    assert [p.admin1_code for p in places_in_text("Emergency response in Herat and Kabul")] == [
        "AF32",
        "AF01",
    ]


def test_empty_text_names_no_place():
    assert places_in_text("") == []
