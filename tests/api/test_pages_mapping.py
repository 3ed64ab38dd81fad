"""The map's pure parts: grid clustering by zoom and fragmentation by area (no database)."""
from __future__ import annotations

from coordination.mapping import MapPoint, cluster_points, effective_zoom, fragmentation_by_area
from coordination.mapping.cluster import in_bbox


def grid(n: int, lat: float = -0.1, lon: float = 34.75, step: float = 0.001) -> list[MapPoint]:
    """n points of n initiatives in a small square."""
    side = int(n ** 0.5) + 1
    return [MapPoint(i + 1, lat + (i // side) * step, lon + (i % side) * step, "#26BDE2") for i in range(n)]


def test_a_city_of_points_is_one_cluster_at_world_zoom():
    out = cluster_points(grid(500), zoom=3)
    assert len(out) == 1 and out[0].count == 500 and out[0].initiative_id is None
    assert out[0].colour == "#26BDE2" and out[0].bounds[0] <= 34.75 <= out[0].bounds[2]


def test_zooming_in_splits_clusters_until_single_markers():
    counts = [len(cluster_points(grid(500), zoom=z)) for z in (3, 10, 14, 16)]
    assert counts == sorted(counts) and counts[-1] == 500


def test_locations_of_one_initiative_in_a_cell_count_once():
    points = [MapPoint(7, -0.1, 34.75), MapPoint(7, -0.1001, 34.7501), MapPoint(8, 10.0, 10.0)]
    out = cluster_points(points, zoom=5)
    assert sorted(c.count for c in out) == [1, 1] and {c.initiative_id for c in out} == {7, 8}


def test_the_colour_of_a_cluster_is_the_one_most_initiatives_share():
    points = [MapPoint(i, 1.0, 1.0 + i * 1e-4, "#E5243B" if i < 3 else "#26BDE2") for i in range(10)]
    assert cluster_points(points, zoom=4)[0].colour == "#26BDE2"


def test_effective_zoom_bounds_the_number_of_cells():
    assert effective_zoom(18, (-180, -85, 180, 85)) <= 4
    assert effective_zoom(12, (34.7, -0.2, 34.8, -0.1)) == 12


def test_bbox_across_the_antimeridian():
    assert in_bbox(0, 179.5, (170, -10, -170, 10)) and not in_bbox(0, 0, (170, -10, -170, 10))


def test_fragmentation_counts_each_initiative_once_per_area():
    rows = [(1, 10, "KE", "Kisumu"), (1, 10, "KE", "Kisumu"), (2, 10, "KE", "Nairobi"), (3, 11, "KE", "Kisumu"),
            (4, 12, "UG", None)]
    ke = fragmentation_by_area(rows)[0]
    assert (ke.country, ke.initiatives, ke.organisations) == ("KE", 3, 2)
    assert abs(ke.herfindahl - (4 / 9 + 1 / 9)) < 1e-3 and round(ke.effective_actors, 2) == 1.8
    kisumu = next(c for c in fragmentation_by_area(rows, by_admin1=True) if c.admin1 == "Kisumu")
    assert (kisumu.initiatives, kisumu.organisations) == (2, 2)
