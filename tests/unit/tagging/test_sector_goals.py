"""Sector tags imply SDG goals: clusters by mandate, aid-sector names by their words."""
from __future__ import annotations

import pytest

from coordination.tagging import normalise_tag
from coordination.tagging.sector_goals import goals_for_tag, goals_for_tags


@pytest.mark.parametrize("label, goals", [
    ("WASH", ("6",)), ("Agua, Saneamiento e Higiene", ("6",)), ("Protección", ("16",)),
    ("Seguridad alimentaria", ("2",)), ("ES/NFI", ("11",)), ("CCCM", ("11",)), ("GBV", ("5",)),
    ("Basic drinking water supply", ("6",)), ("Infectious disease control", ("3",)),
    ("Coordination", ()), ("Logistics", ()), ("Information management", ()),
])
def test_a_sector_label_as_people_type_it_implies_its_goal(label, goals):
    assert goals_for_tag(normalise_tag(label)) == goals


def test_goals_of_several_tags_are_distinct_in_first_seen_order():
    assert goals_for_tags(["health", "wash", "covid-19", "logistics", "water-supply"]) == ["3", "6"]
    assert goals_for_tags([]) == []
