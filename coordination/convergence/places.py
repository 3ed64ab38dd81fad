"""Place similarity: distance decay between points, area matches for coarser places.

An initiative may have several places; two initiatives are as close as their closest pair
of places. A place known only to its country (or a country centroid) matches anything in
that country, weakly; a place known to its admin-1 area matches that area a bit better.
"""
from __future__ import annotations

import math
import zlib
from functools import lru_cache

import numpy as np

from coordination.convergence.config import OverlapConfig
from coordination.convergence.words import ascii_fold_cached
from coordination.records import PlaceRecord

POINT, ADMIN2, ADMIN1, COUNTRY = 0, 1, 2, 3
_PRECISION = {"point": POINT, "admin2": ADMIN2, "admin1": ADMIN1, "country": COUNTRY}
EARTH_RADIUS_KM = 6371.0088


@lru_cache(maxsize=65_536)
def area_id(*parts: str | None) -> int:
    """A stable non-zero id for an administrative area path, 0 when its last part is unknown."""
    if not parts or not parts[-1]:
        return 0
    key = "|".join(ascii_fold_cached(p or "").strip() for p in parts)
    return zlib.crc32(key.encode()) | 1


def precision_of(place: PlaceRecord) -> int:
    """How exact the place is, coarsened when the record lacks what its precision claims."""
    level = _PRECISION.get((place.precision or "point").lower(), POINT)
    if level <= ADMIN2 and not has_point(place):
        if place.admin2:
            return ADMIN2
        return ADMIN1 if place.admin1 else COUNTRY
    return level


def has_point(place: PlaceRecord) -> bool:
    """True when the place has usable WGS84 coordinates."""
    lat, lon = place.lat, place.lon
    return (
        lat is not None and lon is not None
        and math.isfinite(lat) and math.isfinite(lon)
        and -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0
    )


def is_usable(place: PlaceRecord) -> bool:
    """True when the place says anything at all about where the work is."""
    return has_point(place) or bool(place.country or place.admin1 or place.admin2)


@lru_cache(maxsize=131_072)
def usable_place_row(place: PlaceRecord) -> tuple[float, float, int, int, int, int] | None:
    """`place_row` of a usable place, None for one that says nothing (one cached lookup)."""
    return place_row(place) if is_usable(place) else None


@lru_cache(maxsize=131_072)
def place_row(place: PlaceRecord) -> tuple[float, float, int, int, int, int]:
    """(lat, lon, precision, country id, admin1 id, admin2 id) of one usable place."""
    level = precision_of(place)
    point = has_point(place) and level <= ADMIN2
    return (
        float(place.lat) if point else math.nan,  # type: ignore[arg-type]
        float(place.lon) if point else math.nan,  # type: ignore[arg-type]
        level,
        area_id(place.country),
        area_id(place.country, place.admin1),
        area_id(place.country, place.admin1, place.admin2),
    )


def haversine_km(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Great-circle distances in km between aligned arrays of points."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def place_pair_scores(
    a: np.ndarray, b: np.ndarray, config: OverlapConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Scores and distances (nan when not two points) of aligned place rows (n x 6 arrays)."""
    lat_a, lon_a, lvl_a, c_a, a1_a, a2_a = a.T
    lat_b, lon_b, lvl_b, c_b, a1_b, a2_b = b.T
    points = (lvl_a <= ADMIN2) & (lvl_b <= ADMIN2) & ~np.isnan(lat_a) & ~np.isnan(lat_b)
    with np.errstate(invalid="ignore"):
        dist = haversine_km(lat_a, lon_a, lat_b, lon_b)
    dist = np.where(points, dist, np.nan)
    decay = np.exp(-np.nan_to_num(dist, nan=np.inf) / config.distance_scale_km)
    decay = np.where(dist <= config.max_distance_km, decay, 0.0)
    same_a2 = (a2_a == a2_b) & (a2_a != 0)
    same_a1 = (a1_a == a1_b) & (a1_a != 0)
    same_c = (c_a == c_b) & (c_a != 0)
    coarse = np.where(same_c, config.same_country, 0.0)
    coarse = np.where(same_a1, config.same_admin1, coarse)
    coarse = np.where(same_a2, config.same_admin2, coarse)
    # Two points in one (possibly huge) admin-1 area are only as close as their distance.
    point_score = np.maximum(decay, np.where(same_a2, config.same_admin2, 0.0))
    return np.where(points, point_score, coarse), dist


class PlaceColumns:
    """Place rows (n x 6, see `place_row`) laid out as columns for pair scoring in bulk."""

    __slots__ = ("a1", "a2", "cos_lat", "country", "lat", "lat_rad", "lon", "point")

    def __init__(self, rows: np.ndarray) -> None:
        """Split `rows` into columns and precompute what haversine needs per place."""
        self.lat, self.lon = rows[:, 0].copy(), rows[:, 1].copy()
        self.point = (rows[:, 2] <= ADMIN2) & ~np.isnan(self.lat)
        self.lat_rad = np.radians(self.lat)
        self.cos_lat = np.cos(self.lat_rad)
        self.country, self.a1, self.a2 = rows[:, 3].copy(), rows[:, 4].copy(), rows[:, 5].copy()

    def scores(self, ia: np.ndarray, ib: np.ndarray, config: OverlapConfig) -> np.ndarray:
        """Scores of the place pairs (ia[k], ib[k]): the arithmetic of `place_pair_scores`."""
        a2_a, a2_b = self.a2[ia], self.a2[ib]
        same_a2 = (a2_a == a2_b) & (a2_a != 0)
        a1_a = self.a1[ia]
        same_a1 = (a1_a == self.a1[ib]) & (a1_a != 0)
        c_a = self.country[ia]
        same_c = (c_a == self.country[ib]) & (c_a != 0)
        coarse = np.where(same_c, config.same_country, 0.0)
        coarse[same_a1] = config.same_admin1
        coarse[same_a2] = config.same_admin2
        points = np.flatnonzero(self.point[ia] & self.point[ib])
        pa, pb = ia[points], ib[points]
        p1, p2 = self.lat_rad[pa], self.lat_rad[pb]
        dp, dl = p2 - p1, np.radians(self.lon[pb] - self.lon[pa])
        h = np.sin(dp / 2) ** 2 + self.cos_lat[pa] * self.cos_lat[pb] * np.sin(dl / 2) ** 2
        dist = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
        decay = np.exp(-dist / config.distance_scale_km)
        decay = np.where(dist <= config.max_distance_km, decay, 0.0)
        # Two points in one (possibly huge) admin-1 area are only as close as their distance.
        coarse[points] = np.maximum(decay, np.where(same_a2[points], config.same_admin2, 0.0))
        return coarse


def grid_cells(lat: float, lon: float, cell_degrees: float) -> list[tuple[int, int]]:
    """The 2 x 2 grid cells around a point: two points within one cell size share one."""
    x, y = lon / cell_degrees - 0.5, lat / cell_degrees - 0.5
    ix, iy = math.floor(x), math.floor(y)
    return [(ix, iy), (ix + 1, iy), (ix, iy + 1), (ix + 1, iy + 1)]


def place_label(place: PlaceRecord) -> str | None:
    """The most specific human name of a place."""
    return place.name or place.admin2 or place.admin1 or place.country
