"""The gazetteer's building blocks: reading sources, checking points against the country
outlines, the countries themselves and matching admin-1 names to dr5hn states (for
build_gazetteer.py).
"""

from __future__ import annotations

import csv
import difflib
from pathlib import Path

import numpy as np

from coordination.geo.boundaries import SHAPES_FILE, has_shape, load_shapes, point_in_country
from coordination.text import place_key

CHECK_MARGIN_KM = 25.0  # a centroid may sit on a coastline simplified away at 1:50m
ADMIN_WORDS = {
    "province", "provincia", "region", "state", "governorate", "department", "departamento",
    "district", "division", "oblast", "county", "prefecture", "municipality", "territory",
    "autonomous", "city", "of", "the", "de", "del", "la", "capital",
}  # fmt: skip
ISO_FILE = SHAPES_FILE.parent / "iso_codes.csv"


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

