"""Scoring components, the score and its explanation."""
from __future__ import annotations

from datetime import date

import pytest

from coordination.convergence import OverlapConfig, score_pair
from coordination.records import PlaceRecord

from .factories import KISUMU, make_record, near


def test_same_work_in_the_same_town_scores_above_the_threshold_with_all_six_components():
    a = make_record()
    b = make_record(title="Clean water points", description="New wells with hand pumps bring drinking water to villages.")
    overlap = score_pair(a, b)
    assert set(overlap.components) == {"goal", "place", "time", "text", "tags", "work"}
    assert overlap.components["work"] == 1.0  # both supply water
    assert overlap.score >= OverlapConfig().threshold
    assert overlap.a_id < overlap.b_id


def test_goal_similarity_follows_the_hierarchy_target_then_goal_then_related():
    base = make_record(goals=frozenset({"6.1"}))
    same_target = score_pair(base, make_record(goals=frozenset({"6.1"}))).components["goal"]
    same_goal = score_pair(base, make_record(goals=frozenset({"6.2"}))).components["goal"]
    related = score_pair(base, make_record(goals=frozenset({"3.3"}))).components["goal"]
    unrelated = score_pair(base, make_record(goals=frozenset({"16.1"}))).components["goal"]
    assert same_target > same_goal > related > unrelated == 0.0


def test_goal_codes_are_normalised_so_6A_matches_6a():
    assert score_pair(make_record(goals=frozenset({"6.A"})), make_record(goals=frozenset({"6.a"}))).components["goal"] == 1.0


def test_place_decays_with_distance_and_two_hundred_km_kills_the_score():
    a = make_record()
    close = score_pair(a, make_record(places=(near(KISUMU, 3),)))
    far = score_pair(a, make_record(places=(near(KISUMU, 200),)))
    assert close.components["place"] > 0.7
    assert far.components["place"] == 0.0 and far.score == 0.0
    assert "3 km apart" in close.explanation


def test_a_province_wide_programme_matches_a_town_project_in_that_province():
    province = make_record(places=(PlaceRecord(country="KE", admin1="Kisumu", precision="admin1"),))
    assert score_pair(province, make_record()).components["place"] == OverlapConfig().same_admin1


def test_time_is_the_shared_fraction_of_the_shorter_span_and_disjoint_years_score_zero():
    a = make_record(start=date(2024, 1, 1), end=date(2024, 12, 31))
    inside = score_pair(a, make_record(start=date(2020, 1, 1), end=None))
    apart = score_pair(a, make_record(start=date(2015, 1, 1), end=date(2016, 12, 31)))
    assert inside.components["time"] == 1.0
    assert apart.components["time"] == 0.0 and apart.score == 0.0
    assert "not active at the same time" in apart.explanation


def test_missing_goals_dates_and_places_score_neutrally_and_are_said_in_the_explanation():
    bare = make_record(goals=frozenset(), places=(), start=None, end=None, tags=frozenset())
    overlap = score_pair(make_record(), bare)
    neutral = OverlapConfig().neutral
    assert overlap.components["goal"] == overlap.components["place"] == overlap.components["time"] == neutral
    for words in ("goals not given", "place not given", "dates not given"):
        assert words in overlap.explanation


def test_tags_are_compared_after_normalisation():
    a = make_record(tags=frozenset({"Eau & Santé"}))
    b = make_record(tags=frozenset({"eau-sante"}))
    assert score_pair(a, b).components["tags"] == 1.0


def test_explanation_is_one_plain_sentence_naming_target_town_year_and_similarity():
    a = make_record(start=date(2025, 1, 1), end=date(2025, 12, 31))
    b = make_record(places=(near(KISUMU, 3),), start=date(2025, 3, 1), end=None)
    text = score_pair(a, b).explanation
    assert text.startswith("Overlap: both target 6.1, same work: water supply, in Kisumu, 3 km apart, "
                           "both active in 2025, descriptions")
    assert "% similar" in text and "\n" not in text


def test_spanish_and_french_descriptions_match_the_english_one():
    english = make_record(goals=frozenset())
    spanish = make_record(goals=frozenset(), title="Perforación de pozos de agua potable",
                          description="Perforación de pozos con bombas manuales para hogares rurales.")
    french = make_record(goals=frozenset(), title="Forage de puits d'eau potable",
                         description="Forage de puits équipés de pompes manuelles pour les ménages ruraux.")
    school = make_record(goals=frozenset(), title="Girls secondary school scholarships",
                         description="Scholarships and mentoring for girls in secondary school.")
    unrelated = score_pair(english, school).components["text"]
    assert score_pair(english, spanish).components["text"] > unrelated + 0.15
    assert score_pair(english, french).components["text"] > unrelated + 0.15


def test_configuration_refuses_negative_weights_and_thresholds_outside_zero_one():
    with pytest.raises(ValueError):
        OverlapConfig(goal_weight=-1)
    with pytest.raises(ValueError):
        OverlapConfig(threshold=1.5)


def test_the_same_goal_in_the_same_place_is_no_overlap_when_the_work_differs():
    kiosks = make_record(title="Water kiosks in Soweto East", tags=frozenset(),
                         description="Building and running community water kiosks connected to the city network.")
    latrines = make_record(title="Shared sanitation blocks in Soweto East", tags=frozenset(),
                           description="Construction of shared toilet blocks with handwashing basins for households.")
    wells = make_record(title="Community water points", tags=frozenset(),
                        description="New wells with hand pumps bring drinking water to the same households.")
    different, same = score_pair(kiosks, latrines), score_pair(kiosks, wells)
    assert different.components["work"] == 0.0 and same.components["work"] == 1.0
    assert different.score < OverlapConfig().threshold <= same.score
    assert "different work (water supply / sanitation and sewage)" in different.explanation
