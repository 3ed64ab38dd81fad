"""suggest_goals: goals and targets a user would expect for typical initiative texts."""
from __future__ import annotations

import socket

import pytest

from coordination.suggest import Suggestions, load_model, suggest_goals
from coordination.suggest.model import MODEL_DIR, read_model


def codes(items) -> list[str]:
    return [item.code for item in items]


@pytest.mark.parametrize("title, description, goal", [
    ("Safe water for rural villages",
     "Drilling boreholes, repairing hand pumps and training water committees so that "
     "households have a reliable supply of clean water and improved sanitation.", "6"),
    ("Primary schools for refugee children",
     "Teacher training, classrooms and learning materials so that every child completes "
     "primary education.", "4"),
], ids=["water-goal-6", "education-goal-4"])
def test_a_clearly_water_or_education_related_text_ranks_its_goal_first(title, description, goal):
    assert suggest_goals(title, description).goals[0].code == goal


def test_drinking_water_puts_target_6_1_among_the_top_targets():
    result = suggest_goals(
        "Access to safe and affordable drinking water",
        "Piped drinking water connections for every household in the district.",
    )
    assert "6.1" in codes(result.targets[:3])


@pytest.mark.parametrize("title, description", [
    ("Accès à l'eau potable dans les villages",  # French
     "Construction de forages et de points d'eau, formation des comités de gestion."),
    ("Agua potable para comunidades rurales",  # Spanish
     "Construcción de pozos y sistemas de agua potable y saneamiento en las comunidades."),
], ids=["french", "spanish"])
def test_a_french_or_spanish_text_about_drinking_water_gets_goal_6_in_the_top_two(title, description):
    assert "6" in codes(suggest_goals(title, description).goals[:2])


@pytest.mark.parametrize(
    "title",
    ["Mobile clinics for maternal health and vaccination", "Solar mini-grids for villages",
     "Mangrove restoration and small-scale fisheries", "Legal aid and access to justice"],
)
def test_scores_lie_in_the_unit_interval_and_are_sorted(title):
    result = suggest_goals(title, tags=["community"], limit=5)
    for items in (result.goals, result.targets):
        scores = [item.score for item in items]
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert scores == sorted(scores, reverse=True)
    assert 0 < len(result.goals) <= 5 and len(result.targets) <= 5


def test_targets_use_lower_case_codes_of_the_official_list():
    result = suggest_goals("Hepatitis, malaria and neglected tropical disease control", limit=10)
    targets = set(load_model().target_codes)
    assert all(t.code in targets and t.code == t.code.lower() for t in result.targets)
    assert len(targets) == 169


@pytest.mark.parametrize("title,description", [("", ""), ("   ", "\n\t"), ("!!!", "---")])
def test_empty_text_returns_no_confident_goals_and_does_not_crash(title, description):
    result = suggest_goals(title, description)
    assert isinstance(result, Suggestions)
    assert not any(g.confident for g in result.goals + result.targets)


def test_a_confident_goal_is_given_for_an_unambiguous_text():
    result = suggest_goals(
        "Malaria prevention",
        "Distribution of insecticide-treated bed nets and malaria treatment at health centres.",
    )
    assert result.goals[0].code == "3" and result.goals[0].confident


def test_the_model_loads_from_the_package_directory_without_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the SDG model tried to open a network connection")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    model = read_model(MODEL_DIR)
    assert MODEL_DIR.parent.name == "data" and MODEL_DIR.parent.parent.name == "coordination"
    assert len(model.goal_codes) == 17
    indices, values = model.vector("clean drinking water")
    assert model.goal_codes[int(model.goal_scores(indices, values).argmax())] == "6"


def test_the_model_is_loaded_once_per_process():
    assert load_model() is load_model()


def test_a_two_word_title_is_never_applied_without_asking():
    result = suggest_goals("COVID-19 response")
    assert result.goals and not any(g.confident for g in result.goals)


def test_the_wash_acronym_points_to_water_and_sanitation():
    result = suggest_goals("WASH in schools", tags=["WASH"])
    assert "6" in codes(result.goals[:2])
