"""InitiativeFilter.from_params: one reading of a filter for every door (REST text, GraphQL values)."""
from __future__ import annotations

from datetime import date

import pytest

from coordination.errors import ValidationError
from coordination.queries import InitiativeFilter


def test_a_query_string_and_a_graphql_input_asking_the_same_give_the_same_filter():
    rest = InitiativeFilter.from_params({"goal": "6", "country": "KE", "year": "2021", "active_on": "2021-03-01",
                                         "bbox": "34,-1,35,0.5", "q": "", "tag": "WASH"})
    graphql = InitiativeFilter.from_params({"goal": "6", "country": "KE", "year": 2021,
                                            "active_on": date(2021, 3, 1), "bbox": "34,-1,35,0.5", "tag": "WASH"})
    assert rest == graphql == InitiativeFilter(goal="6", country="KE", year=2021, active_on=date(2021, 3, 1),
                                               bbox=(34.0, -1.0, 35.0, 0.5), tag="WASH")


@pytest.mark.parametrize("params, field", [
    ({"year": "1899"}, "year"), ({"year": 2201}, "year"), ({"year": "twenty"}, "year"), ({"year": "²"}, "year"),
    ({"active_on": "2021-13-01"}, "active_on"), ({"bbox": "1,2,3"}, "bbox"),
])
def test_a_bad_value_is_refused_naming_its_field(params, field):
    with pytest.raises(ValidationError) as err:
        InitiativeFilter.from_params(params)
    assert list(err.value.fields) == [field]


def test_no_parameters_is_no_filter():
    assert InitiativeFilter.from_params({}) == InitiativeFilter()
