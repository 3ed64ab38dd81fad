"""The map's data: clustered initiatives per viewport, the country outlines, counts per country.

`/map/initiatives.geojson?bbox=&zoom=&<filters>` answers at most one feature per grid cell
of the viewport (coordination.mapping.cluster_arrays), so its size is bounded by the
screen, not by the number of initiatives. The points come from the per-process point
table (coordination.mapping.table), kept in step with the change log, so a world view of
100k initiatives is numpy work, not 100k ORM rows; finished answers are kept for a few
seconds per reader, filter and view (most first visits ask for the same world view).
Answers are gzipped when the browser accepts it.
"""
from __future__ import annotations

import dataclasses
import gzip
import json
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path

from flask import Response, current_app, request, url_for

from coordination.mapping import effective_zoom, fragmentation_by_area
from coordination.mapping.cluster import distinct
from coordination.mapping.overlaps import MIN_ZOOM, convergence_view
from coordination.mapping.read import WORLD, area_rows, popup_details
from coordination.mapping.table import ANSWERS, answer_key, data_marker, view_points
from coordination.mapping.viewport import viewport_clusters
from coordination.queries import parse_bbox

from ..extensions import db
from ..rest.common import int_arg
from ..rest.initiatives import filter_from_args
from . import bp
from .common import web_actor

SIMPLIFY_DEG = 0.15  # ~15 km: the base layer is for orientation, not for borders
MIN_ISLAND_DEG2 = 0.05  # smaller islands of a country are dropped (the largest part always stays)
COUNTRIES_FILE = Path(__file__).resolve().parents[2] / "static" / "geo" / "countries.geojson"
BASEMAP_FILE = Path(__file__).resolve().parents[2] / "static" / "basemap" / "basemap.mbtiles"
EMPTY_TILE = b"{}"
_basemap_local = threading.local()


def json_response(payload, content_type: str = "application/json", max_age: int = 0) -> Response:
    """Compact JSON, gzipped for browsers that accept it."""
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return bytes_response(body, content_type, max_age)


def bytes_response(body: bytes, content_type: str, max_age: int = 0, gzipped: bytes | None = None) -> Response:
    """A response with the body gzipped when accepted and large enough to gain from it."""
    response = Response(content_type=content_type)
    if "gzip" in request.headers.get("Accept-Encoding", "") and len(body) > 1024:
        response.set_data(gzipped if gzipped is not None else gzip.compress(body, 6))
        response.headers["Content-Encoding"] = "gzip"
    else:
        response.set_data(body)
    response.headers["Vary"] = "Accept-Encoding, Cookie"
    response.headers["Cache-Control"] = f"public, max-age={max_age}" if max_age else "no-cache"
    return response


def _feature(lat: float, lon: float, props: dict, digits: int) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(lon, digits), round(lat, digits)]},
            "properties": props}


def viewport_geojson(session, actor, f, bbox, zoom: int, marker=None) -> dict:
    """The clustered FeatureCollection for a filter, bbox and zoom (also used by the benchmark)."""
    zoom = effective_zoom(zoom, bbox)
    items, point_count, initiative_count = viewport_clusters(session, actor, f, bbox, zoom, marker)
    details = popup_details(session, [c.initiative_id for c in items if c.initiative_id is not None])
    features = []
    for c in items:
        if c.initiative_id is None:
            features.append(_feature(c.lat, c.lon, {"cluster": True, "count": c.count, "colour": c.colour,
                                                    "bounds": [round(v, 4) for v in c.bounds or ()]}, 4))
            continue
        d = details.get(c.initiative_id)
        if d is None:
            continue
        features.append(_feature(c.lat, c.lon, {
            "id": c.initiative_id, "colour": c.colour, "approximate": c.approximate, **d,
            "url": url_for("pages.initiative", initiative_id=c.initiative_id)}, 5))
    return {"type": "FeatureCollection", "features": features,
            "meta": {"zoom": zoom, "points": point_count,
                     "initiatives": initiative_count, "features": len(features)}}


def encoded(payload) -> tuple[bytes, bytes]:
    """Compact JSON of an answer, plain and gzipped (what the answer cache keeps)."""
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return body, gzip.compress(body, 6)


def _viewport_answer(kind: str, build) -> object:
    """The GeoJSON answer `build(session, actor, filter, bbox, zoom, marker)` for this request's
    viewport and filters, from the answer cache when the same view was asked since the last write."""
    actor = web_actor()
    f = dataclasses.replace(filter_from_args(request.args), bbox=None)
    bbox = parse_bbox(request.args["bbox"]) if request.args.get("bbox") else WORLD
    zoom = int_arg("zoom", 2, 0, 22)
    marker = data_marker(db.session)
    key = answer_key(db.session, actor, f, kind, effective_zoom(zoom, bbox), bbox, marker=marker)
    cached = ANSWERS.get(key)
    if cached is None:
        cached = encoded(build(db.session, actor, f, bbox, zoom, marker))
        ANSWERS.put(key, cached)
    return bytes_response(cached[0], "application/geo+json", gzipped=cached[1])


@bp.get("/map/initiatives.geojson")
def initiatives_geojson():
    """Markers and clusters for the viewport; filters as on /api/v1/initiatives."""
    return _viewport_answer("markers", viewport_geojson)


def _side(end, details: dict) -> dict:
    d = details.get(end.initiative_id, {})
    return {"id": end.initiative_id, "title": d.get("title"), "organisation": d.get("organisation"),
            "url": url_for("pages.initiative", initiative_id=end.initiative_id), "approximate": end.approximate}


def overlaps_geojson_for(session, actor, f, bbox, zoom: int, marker=None) -> dict:
    """Overlap lines and convergence-group circles for a viewport (empty, with `zoom_in`, when too far out)."""
    zoom = effective_zoom(zoom, bbox)
    meta = {"zoom": zoom, "min_zoom": MIN_ZOOM, "overlaps": 0, "lines": 0, "groups": 0, "zoom_in": zoom < MIN_ZOOM}
    if zoom < MIN_ZOOM:
        return {"type": "FeatureCollection", "features": [], "meta": meta}
    view = convergence_view(session, actor, f, bbox, marker)
    details = popup_details(session, [e.initiative_id for line in view.lines for e in (line.a, line.b)])
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(g.lon, 5), round(g.lat, 5)]},
                 "properties": {"kind": "group", "group": i, "initiatives": len(g.initiative_ids),
                                "organisations": len(g.organisation_ids), "radius_m": round(g.radius_km * 1000),
                                "institutional": g.has_institutional_actor}} for i, g in enumerate(view.groups)]
    for line in view.lines:
        features.append({"type": "Feature", "geometry": {"type": "LineString", "coordinates": [
            [round(line.a.lon, 5), round(line.a.lat, 5)], [round(line.b.lon, 5), round(line.b.lat, 5)]]},
            "properties": {"kind": "overlap", "id": line.overlap_id, "score": round(line.score, 3),
                           "status": line.status, "explanation": line.explanation, "group": line.group,
                           "a": _side(line.a, details), "b": _side(line.b, details)}})
    meta.update(overlaps=view.total, lines=len(view.lines), groups=len(view.groups))
    return {"type": "FeatureCollection", "features": features, "meta": meta}


PLACE_LIST = 60  # initiatives listed in a same-place popup; the rest are counted


@bp.get("/map/place.json")
def place_json():
    """The initiatives shown at one point (a hub: many initiatives at the very same place).

    Reads the same point table as the markers (`view_points`, same filters and visibility),
    so it lists exactly what zooming in to the point would show, sensitive work only at
    its area's centre; a point is given to 5 decimals like the markers.
    """
    try:
        lat, lon = float(request.args["lat"]), float(request.args["lon"])
    except (KeyError, ValueError):
        return json_response({"error": {"message": "lat and lon are required"}}), 400
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return json_response({"error": {"message": "lat or lon out of range"}}), 400
    actor = web_actor()
    f = dataclasses.replace(filter_from_args(request.args), bbox=None)
    eps = 0.00006  # the markers' 5-decimal rounding, and a little more
    points = view_points(db.session, actor, f, (lon - eps, lat - eps, lon + eps, lat + eps), data_marker(db.session))
    ids = distinct(points.initiative_id).tolist()
    details = popup_details(db.session, ids[:PLACE_LIST])
    items = sorted(({"id": i, "title": d["title"], "organisation": d["organisation"],
                     "freshness": d["freshness"], "confirmed_days_ago": d["confirmed_days_ago"],
                     "url": url_for("pages.initiative", initiative_id=i)} for i, d in details.items()),
                   key=lambda item: (item["organisation"] or "", item["title"] or ""))
    return json_response({"count": len(ids), "initiatives": items})


@bp.get("/map/overlaps.geojson")
def overlaps_geojson():
    """Lines between overlapping initiatives and circles around convergence groups, at city zooms.

    Same filters, visibility and place precision as the markers; both sides of a line
    must match the filter. Below `MIN_ZOOM` the answer is empty and says `zoom_in`.
    """
    return _viewport_answer("overlaps", overlaps_geojson_for)


def _extent(ring: list) -> float:
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return (max(xs) - min(xs)) * (max(ys) - min(ys))


@lru_cache(maxsize=1)
def _countries(path: str, mtime: float) -> tuple[bytes, bytes]:
    """The shipped country outlines, simplified to ~15 km, small islands dropped, plain and gzipped."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))

    def simplify(ring: list) -> list:
        # Drop vertices within SIMPLIFY_DEG of the last kept one; keep the ring closed.
        out: list = []
        for lon, lat, *_ in ring:
            if not out or abs(out[-1][0] - lon) + abs(out[-1][1] - lat) >= SIMPLIFY_DEG:
                out.append([round(lon, 2), round(lat, 2)])
        if out[-1] != out[0]:
            out.append(out[0])
        return out if len(out) >= 4 else [[round(x, 2) for x in p[:2]] for p in ring]

    for feature in data["features"]:
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            geometry["coordinates"] = [simplify(r) for r in geometry["coordinates"]]
        elif geometry["type"] == "MultiPolygon":
            polys = sorted(geometry["coordinates"], key=lambda poly: -_extent(poly[0]))
            kept = [polys[0]] + [poly for poly in polys[1:] if _extent(poly[0]) >= MIN_ISLAND_DEG2]
            geometry["coordinates"] = [[simplify(r) for r in poly] for poly in kept]
        feature["properties"] = {"iso2": feature["properties"].get("iso2"),
                                 "name": feature["properties"].get("name")}
    body = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return body, gzip.compress(body, 9)


@bp.get("/map/countries.geojson")
def countries_geojson():
    """The offline base layer: country outlines shipped with the platform (static/geo)."""
    path = Path(current_app.config.get("MAP_COUNTRIES_FILE", COUNTRIES_FILE))
    if not path.exists():
        return json_response({"type": "FeatureCollection", "features": []}, "application/geo+json")
    body, packed = _countries(str(path), path.stat().st_mtime)
    return bytes_response(body, "application/geo+json", max_age=86400, gzipped=packed)


@bp.get("/map/areas.json")
def areas_json():
    """Initiatives, organisations and effective number of actors per country for the filters."""
    actor = web_actor()
    f = dataclasses.replace(filter_from_args(request.args), bbox=None)
    cells = fragmentation_by_area(area_rows(db.session, actor, f))
    return json_response({"countries": {c.country: {
        "initiatives": c.initiatives, "organisations": c.organisations,
        "effective_actors": round(c.effective_actors, 2)} for c in cells}})


def _basemap_tile(path: Path, z: int, x: int, y: int) -> bytes | None:
    """The gzipped JSON of one basemap tile from the shipped MBTiles file (one read-only connection per thread)."""
    key = (str(path), path.stat().st_mtime)
    if getattr(_basemap_local, "key", None) != key:
        _basemap_local.db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        _basemap_local.key = key
    row = _basemap_local.db.execute(
        "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
        (z, x, (1 << z) - 1 - y)).fetchone()  # MBTiles rows count from the south (TMS)
    return row[0] if row else None


@bp.get("/map/basemap/<int:z>/<int:x>/<int:y>.json")
def basemap_tile(z: int, x: int, y: int):
    """A tile of the offline basemap (land, water, borders, names; see scripts/build_basemap.py).

    Served from static/basemap/basemap.mbtiles, which ships with the platform: the map needs
    no tile server. A tile with nothing in it (the open sea) is an empty object.
    """
    path = Path(current_app.config.get("MAP_BASEMAP_FILE", BASEMAP_FILE))
    packed = None
    if 0 <= z <= 22 and 0 <= x < (1 << z) and 0 <= y < (1 << z) and path.exists():
        packed = _basemap_tile(path, z, x, y)
    if packed is None:
        return bytes_response(EMPTY_TILE, "application/json", max_age=86400)
    if "gzip" not in request.headers.get("Accept-Encoding", ""):
        return bytes_response(gzip.decompress(packed), "application/json", max_age=86400)
    response = Response(packed, content_type="application/json")
    response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
