"""Country boundaries: which country a point lies in, from Natural Earth 1:50m outlines.

Shapes are loaded once from `coordination/data/geo/country_shapes.npz` (built by
`scripts/build_geo.py` from the npm package world-atlas). Each country keeps its edges as
numpy arrays plus a bounding box, so a test costs one bbox comparison for most countries and
one vectorised even-odd ray cast for the few whose box contains the point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "geo"
SHAPES_FILE = DATA_DIR / "country_shapes.npz"
# Natural Earth 1:50m smooths coastlines by a few km and drops islets; ports, beaches and island
# markets then fall just "in the sea". 20 km absorbs that without accepting the neighbour's
# interior (capital cities sit farther than that from most borders).
COAST_MARGIN_KM = 20.0
KM_PER_DEG_LAT = 110.574
KM_PER_DEG_LON_EQUATOR = 111.320


@dataclass(frozen=True)
class CountryShape:
    """One country's outline as edge arrays (lon/lat degrees) with its bounding box."""

    iso2: str
    name: str
    bbox: tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat
    x1: np.ndarray
    y1: np.ndarray
    x2: np.ndarray
    y2: np.ndarray

    def contains(self, lat: float, lon: float) -> bool:
        """Even-odd ray cast: holes (enclaves such as Lesotho in ZA) come out right for free."""
        if not self.bbox_contains(lat, lon, 0.0):
            return False
        straddles = (self.y1 > lat) != (self.y2 > lat)
        if not straddles.any():
            return False
        x1, y1, x2, y2 = (
            self.x1[straddles],
            self.y1[straddles],
            self.x2[straddles],
            self.y2[straddles],
        )
        x_cross = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
        # Rings that cross the antimeridian are stored unwrapped (past ±180), so try both copies.
        min_lon, _, max_lon, _ = self.bbox
        lons = [lon] + [lon + 360.0] * (max_lon > 180) + [lon - 360.0] * (min_lon < -180)
        return any(np.count_nonzero(x_cross > x) % 2 for x in lons)

    def bbox_contains(self, lat: float, lon: float, margin_km: float) -> bool:
        """Whether the point lies in the bounding box grown by margin_km."""
        min_lon, min_lat, max_lon, max_lat = self.bbox
        dlat = margin_km / KM_PER_DEG_LAT
        if not (min_lat - dlat <= lat <= max_lat + dlat):
            return False
        if max_lon - min_lon > 350:  # shapes cut at the antimeridian: the box says nothing
            return True
        cos_lat = max(math.cos(math.radians(lat)), 0.01)
        dlon = margin_km / (KM_PER_DEG_LON_EQUATOR * cos_lat)
        return min_lon - dlon <= lon <= max_lon + dlon

    def distance_km(self, lat: float, lon: float) -> float:
        """Approximate distance from the point to the outline (local equirectangular projection)."""
        kx = KM_PER_DEG_LON_EQUATOR * math.cos(math.radians(lat))
        ax = _wrap(self.x1 - lon) * kx
        bx = _wrap(self.x2 - lon) * kx
        ay = (self.y1 - lat) * KM_PER_DEG_LAT
        by = (self.y2 - lat) * KM_PER_DEG_LAT
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        with np.errstate(invalid="ignore", divide="ignore"):
            t = np.where(length2 > 0, -(ax * dx + ay * dy) / length2, 0.0)
        t = np.clip(t, 0.0, 1.0)
        px, py = ax + t * dx, ay + t * dy
        return float(np.sqrt((px * px + py * py).min()))


def _wrap(dlon: np.ndarray) -> np.ndarray:
    """Longitude differences folded into [-180, 180) so Fiji's edges near ±180 stay near."""
    return (dlon + 180.0) % 360.0 - 180.0


@cache
def load_shapes(path: Path = SHAPES_FILE) -> dict[str, CountryShape]:
    """Read the shipped outlines, keyed by ISO 3166-1 alpha-2 code."""
    with np.load(path, allow_pickle=False) as data:
        iso2s, names = data["iso2"], data["name"]
        ring_country, offsets = data["ring_country"], data["ring_offsets"]
        lonlat = data["lonlat"].astype(np.float64)
    edges: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {}
    for ring_index, country_index in enumerate(ring_country):
        ring = lonlat[offsets[ring_index] : offsets[ring_index + 1]]
        edges.setdefault(int(country_index), []).append((ring[:-1], ring[1:]))
    shapes = {}
    for index, parts in edges.items():
        start = np.concatenate([a for a, _ in parts])
        end = np.concatenate([b for _, b in parts])
        both = np.concatenate([start, end])
        bbox = (both[:, 0].min(), both[:, 1].min(), both[:, 0].max(), both[:, 1].max())
        shapes[str(iso2s[index])] = CountryShape(
            iso2=str(iso2s[index]),
            name=str(names[index]),
            bbox=tuple(float(v) for v in bbox),  # type: ignore[arg-type]
            x1=start[:, 0].copy(),
            y1=start[:, 1].copy(),
            x2=end[:, 0].copy(),
            y2=end[:, 1].copy(),
        )
    return shapes


def has_shape(iso2: str) -> bool:
    """Whether the 1:50m outlines include this country (tiny territories may be missing)."""
    return iso2.upper() in load_shapes()


def point_in_country(lat: float, lon: float, iso2: str, margin_km: float = 0.0) -> bool:
    """True if the point lies inside the country, or within margin_km of its outline."""
    shape = load_shapes().get(iso2.upper())
    if shape is None or not shape.bbox_contains(lat, lon, margin_km):
        return False
    if shape.contains(lat, lon):
        return True
    return margin_km > 0 and shape.distance_km(lat, lon) <= margin_km


@cache
def _boxes() -> tuple[list[CountryShape], np.ndarray, np.ndarray]:
    """The shapes in `load_shapes` order, their boxes as columns (min_lon, min_lat, max_lon,
    max_lat), and whether each box spans the antimeridian cut (says nothing about longitude)."""
    shapes = list(load_shapes().values())
    boxes = np.array([s.bbox for s in shapes], dtype=np.float64).reshape(-1, 4)
    return shapes, boxes, boxes[:, 2] - boxes[:, 0] > 350


def _in_boxes(lat: float, lon: float, margin_km: float) -> list[CountryShape]:
    """The shapes whose box grown by margin_km holds the point: `CountryShape.bbox_contains`
    of every shape at once (the same sums, in the same order)."""
    shapes, boxes, cut = _boxes()
    dlat = margin_km / KM_PER_DEG_LAT
    near = (boxes[:, 1] - dlat <= lat) & (lat <= boxes[:, 3] + dlat)
    cos_lat = max(math.cos(math.radians(lat)), 0.01)
    dlon = margin_km / (KM_PER_DEG_LON_EQUATOR * cos_lat)
    near &= cut | ((boxes[:, 0] - dlon <= lon) & (lon <= boxes[:, 2] + dlon))
    return [shapes[i] for i in np.flatnonzero(near).tolist()]


def countries_at(lat: float, lon: float, margin_km: float = 0.0) -> list[str]:
    """ISO2 codes of countries containing the point; failing that, those within margin_km, nearest first."""
    candidates = _in_boxes(lat, lon, margin_km)
    inside = [s.iso2 for s in candidates if s.contains(lat, lon)]
    if inside or margin_km <= 0:
        return inside
    near = [(s.distance_km(lat, lon), s.iso2) for s in candidates]
    return [iso2 for distance, iso2 in sorted(near) if distance <= margin_km]


def country_at(lat: float, lon: float, margin_km: float = 0.0) -> str | None:
    """The ISO2 code of the country at the point (or nearest within margin_km), else None."""
    found = countries_at(lat, lon, margin_km)
    return found[0] if found else None
