"""Overlap scoring beyond range and symmetry (tests/unit/convergence/test_properties.py has those):
the order in which places are listed never matters, and every score comes with an explanation."""
from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from coordination.convergence import score_pair
from coordination.records import InitiativeRecord, PlaceRecord

towns = [("KE", "Kisumu", -0.09, 34.77), ("KE", "Nairobi", -1.29, 36.82), ("SN", "Thiès", 14.79, -16.94)]
places = st.builds(lambda t, dx, precision: PlaceRecord(country=t[0], admin1=t[1], lat=t[2] + dx,
                                                        lon=t[3] - dx, precision=precision, name=t[1]),
                   st.sampled_from(towns), st.floats(-0.2, 0.2), st.sampled_from(["point", "admin1", "country"]))
records = st.builds(
    InitiativeRecord,
    id=st.integers(1, 1000), organisation_id=st.integers(1, 3),
    title=st.sampled_from(["Repairing wells", "School meals", "Mobile clinics", "Cash for work", ""]),
    description=st.text(alphabet="abcdefgh wells water school ", max_size=60),
    goals=st.frozensets(st.sampled_from(["6", "6.1", "6.2", "2.1", "3.1", "4.1"]), max_size=3),
    tags=st.frozensets(st.sampled_from(["wash", "education", "health", "cash"]), max_size=2),
    places=st.lists(places, max_size=3).map(tuple),
    start=st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2026, 1, 1))),
    end=st.one_of(st.none(), st.dates(date(2026, 1, 2), date(2030, 1, 1))),
)


@settings(max_examples=150, deadline=None)
@given(records, records, st.randoms(use_true_random=False))
def test_the_order_places_are_listed_in_does_not_change_the_score(a, b, rnd):
    shuffled = list(a.places)
    rnd.shuffle(shuffled)
    moved = InitiativeRecord(**{**{f: getattr(a, f) for f in a.__slots__}, "places": tuple(shuffled)})
    before, after = score_pair(a, b), score_pair(moved, b)
    assert abs(before.score - after.score) < 1e-9
    assert all(abs(before.components[k] - after.components[k]) < 1e-9 for k in before.components)


@settings(max_examples=100, deadline=None)
@given(records, records)
def test_every_score_comes_with_a_plain_words_explanation(a, b):
    overlap = score_pair(a, b)
    assert 0.0 <= overlap.score <= 1.0
    assert isinstance(overlap.explanation, str) and overlap.explanation.strip()
