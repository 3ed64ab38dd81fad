"""Robustness: scores stay in [0, 1], are symmetric, and odd records never crash."""
from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from coordination.convergence import material_fingerprint, score_pair
from coordination.records import InitiativeRecord, PlaceRecord

places = st.builds(
    PlaceRecord,
    country=st.sampled_from([None, "KE", "SN", ""]),
    admin1=st.sampled_from([None, "Kisumu", "Thiès"]),
    lat=st.one_of(st.none(), st.floats(-95, 95) | st.just(float("nan"))),
    lon=st.one_of(st.none(), st.floats(-190, 190) | st.just(float("inf"))),
    precision=st.sampled_from(["point", "admin1", "country", "weird"]),
)
records = st.builds(
    InitiativeRecord,
    id=st.integers(1, 10_000),
    organisation_id=st.integers(1, 5),
    title=st.text(max_size=40),
    description=st.text(max_size=120),
    goals=st.frozensets(st.sampled_from(["6", "6.1", "6.A", "3.3", "17.19", "x", "", "99.9"]), max_size=3),
    tags=st.frozensets(st.text(max_size=8), max_size=3),
    places=st.lists(places, max_size=3).map(tuple),
    start=st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2030, 1, 1))),
    end=st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2030, 1, 1))),
)


@settings(max_examples=150, deadline=None)
@given(records, records)
def test_scores_are_in_zero_one_symmetric_and_every_component_is_reported(a, b):
    ab, ba = score_pair(a, b), score_pair(b, a)
    assert 0.0 <= ab.score <= 1.0
    assert ab == ba and ab.components == ba.components
    assert set(ab.components) == {"goal", "place", "time", "text", "tags", "work"}
    assert all(0.0 <= v <= 1.0 for v in ab.components.values())
    assert isinstance(material_fingerprint(a), str)


def test_an_empty_record_scores_against_itself_without_crashing():
    empty = InitiativeRecord(id=1, organisation_id=1, title="")
    assert 0.0 <= score_pair(empty, empty).score <= 1.0
