"""`countries_at` tests every country's box at once: the same boxes as one `bbox_contains` each."""
from __future__ import annotations

import random

import pytest

from coordination.geo.boundaries import _in_boxes, countries_at, load_shapes

# Fiji and Russia cross the antimeridian; the poles, the equator, the date line itself.
PLACES = [(-17.8, 178.0), (-16.5, -179.9), (64.7, 177.5), (89.9, 0.0), (-89.9, 120.0), (0.0, 180.0),
          (0.0, -180.0), (-0.0917, 34.768), (13.5, 2.1), (31.5, 34.45)]


@pytest.mark.parametrize("margin_km", [0.0, 20.0, 300.0])
def test_the_boxes_holding_a_point_are_those_each_shape_says_hold_it(margin_km):
    shapes = list(load_shapes().values())
    rng = random.Random(7)
    points = PLACES + [(rng.uniform(-90, 90), rng.uniform(-180, 180)) for _ in range(400)]
    held = 0
    for lat, lon in points:
        expected = [s.iso2 for s in shapes if s.bbox_contains(lat, lon, margin_km)]
        assert [s.iso2 for s in _in_boxes(lat, lon, margin_km)] == expected, (lat, lon)
        held += bool(expected)
    assert held > 50  # land is found, not only sea


def test_a_point_is_placed_in_its_country():
    assert countries_at(-0.0917, 34.768) == ["KE"]  # Kisumu
    assert countries_at(-17.8, 178.0) == ["FJ"]
    assert countries_at(0.0, -30.0) == [] and countries_at(0.0, -30.0, 20.0) == []  # mid-Atlantic
