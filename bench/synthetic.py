"""Synthetic initiatives for benchmarks and property tests, with planted overlaps.

Goals are drawn (Zipf-like) from the real SDG targets in
../shared/data/sdg/codeforiati-json-csv/UNSDG-Targets.csv (the embedded copy in
`coordination.convergence.sdg_reference` when that file is absent); descriptions take 3-5
words of their target's wording, 4 words of general development vocabulary and 2 field words
(real descriptions describe activities, not the target text); places cluster around real
towns, with 10% country-centroid locations (national programmes); beyond 50k the map is
copied (see `_world_town`) so density stays that of 50k; about 10% of texts are Spanish or
French. A share of
initiatives gets a planted twin (another organisation, same target, reworded or translated,
a few km away, overlapping dates), whose id pair is returned so recall can be measured.
"""
from __future__ import annotations

import csv
import math
import random
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from coordination.lexicon import WORDS as LEXICON
from coordination.convergence.words import canonical_words
from coordination.records import InitiativeRecord, PlaceRecord

TARGETS_CSV = Path(__file__).resolve().parents[2] / "shared/data/sdg/codeforiati-json-csv/UNSDG-Targets.csv"

# (town, country, admin1, lat, lon)
TOWNS = [
    ("Nairobi", "KE", "Nairobi", -1.286, 36.817), ("Kisumu", "KE", "Kisumu", -0.092, 34.768),
    ("Mombasa", "KE", "Mombasa", -4.043, 39.668), ("Kampala", "UG", "Central", 0.347, 32.582),
    ("Gulu", "UG", "Northern", 2.774, 32.299), ("Dar es Salaam", "TZ", "Dar es Salaam", -6.792, 39.208),
    ("Dodoma", "TZ", "Dodoma", -6.163, 35.752), ("Addis Ababa", "ET", "Addis Ababa", 9.030, 38.740),
    ("Gondar", "ET", "Amhara", 12.600, 37.467), ("Kigali", "RW", "Kigali", -1.944, 30.062),
    ("Lilongwe", "MW", "Central", -13.963, 33.774), ("Blantyre", "MW", "Southern", -15.786, 35.006),
    ("Lusaka", "ZM", "Lusaka", -15.387, 28.323), ("Harare", "ZW", "Harare", -17.829, 31.052),
    ("Maputo", "MZ", "Maputo", -25.969, 32.573), ("Dakar", "SN", "Dakar", 14.716, -17.467),
    ("Thies", "SN", "Thies", 14.791, -16.936), ("Bamako", "ML", "Bamako", 12.639, -8.003),
    ("Mopti", "ML", "Mopti", 14.484, -4.183), ("Ouagadougou", "BF", "Centre", 12.371, -1.520),
    ("Niamey", "NE", "Niamey", 13.512, 2.112), ("Abidjan", "CI", "Abidjan", 5.360, -4.008),
    ("Accra", "GH", "Greater Accra", 5.603, -0.187), ("Tamale", "GH", "Northern", 9.404, -0.853),
    ("Lagos", "NG", "Lagos", 6.524, 3.379), ("Kano", "NG", "Kano", 12.000, 8.517),
    ("Kinshasa", "CD", "Kinshasa", -4.442, 15.266), ("Goma", "CD", "Nord-Kivu", -1.679, 29.222),
    ("Port-au-Prince", "HT", "Ouest", 18.594, -72.307), ("Tegucigalpa", "HN", "Francisco Morazan", 14.072, -87.192),
    ("Guatemala City", "GT", "Guatemala", 14.634, -90.507), ("Quetzaltenango", "GT", "Quetzaltenango", 14.835, -91.518),
    ("La Paz", "BO", "La Paz", -16.490, -68.119), ("Cochabamba", "BO", "Cochabamba", -17.390, -66.157),
    ("Lima", "PE", "Lima", -12.046, -77.043), ("Cusco", "PE", "Cusco", -13.532, -71.967),
    ("Bogota", "CO", "Bogota", 4.711, -74.072), ("Dhaka", "BD", "Dhaka", 23.810, 90.413),
    ("Cox's Bazar", "BD", "Chittagong", 21.427, 92.006), ("Kathmandu", "NP", "Bagmati", 27.717, 85.324),
    ("Kabul", "AF", "Kabul", 34.555, 69.207), ("Amman", "JO", "Amman", 31.954, 35.911),
    ("Manila", "PH", "Metro Manila", 14.600, 120.984), ("Phnom Penh", "KH", "Phnom Penh", 11.556, 104.928),
]
FIELD_WORDS = ["community", "households", "rural", "villages", "training", "committees", "women", "girls", "children", "youth", "farmers", "clinic", "school", "health", "water", "market", "cooperative", "volunteers", "awareness", "campaign", "monitoring"]
_ES = {v: k for k, v in LEXICON.items() if not k.endswith(("e", "t", "s")) and k.isalpha()}
_FR = {v: k for k, v in LEXICON.items() if k.endswith(("e", "t", "s")) and k.isalpha()}


WORLD_SIZE = 50_000  # initiatives per copy of the towns: density stays that of 50k
COUNTRY_SHARE = 0.1  # national programmes: 10% of initiatives (each meets its whole country)


def _world_town(town: tuple, world: int) -> tuple:
    """`town` in copy `world` of the map: 0 is the real town; copies sit 3-degree steps away.

    Beyond 50k initiatives the synthetic world grows instead of getting denser: 1M IATI
    activities span ~150 countries and many more settlements than 44 towns, so each further
    50k initiatives get their own copy of the towns (country codes suffixed, so national
    programmes of one copy do not meet another's).
    """
    if world == 0:
        return town
    name, country, admin1, lat, lon = town
    dlat, dlon = 3.0 * (world % 5 - 2 or 3), 3.0 * (world // 5 + 1) * (-1) ** world
    return (name, f"{country}{world}", admin1, max(-80.0, min(80.0, lat + dlat)),
            (lon + dlon + 180.0) % 360.0 - 180.0)


@dataclass
class Corpus:
    """Generated records and the id pairs (a < b) of the planted overlaps."""

    records: list[InitiativeRecord]
    planted: set[tuple[int, int]]


def load_targets() -> dict[str, list[str]]:
    """SDG target code -> content words of its wording."""
    if TARGETS_CSV.exists():
        with TARGETS_CSV.open(encoding="utf-8") as handle:
            rows = {r["code"].lower(): r["name"] for r in csv.DictReader(handle)}
    else:
        from coordination.convergence.sdg_reference import TARGETS as rows  # type: ignore[assignment]
    return {code: [w for w in canonical_words(text) if len(w) > 3] or ["development"]
            for code, text in rows.items()}


def generate(n: int, seed: int = 42, planted_share: float = 0.05) -> Corpus:
    """`n` initiatives (planted twins included) and the planted pairs."""
    rng = random.Random(seed)
    targets = load_targets()
    codes = sorted(targets)
    weights = [1.0 / (1 + i) ** 0.8 for i in range(len(codes))]
    rng.shuffle(weights)
    n_orgs = max(10, n // 40)
    org_type = {o: rng.choice(["21", "22", "22", "23", "24", "24", "10", "11", "40", "60", "70", "80"])
                for o in range(1, n_orgs + 1)}
    centroids = _country_centroids()
    records: list[InitiativeRecord] = []
    planted: set[tuple[int, int]] = set()
    code_draws = rng.choices(codes, weights=weights, k=n)
    vocabulary = sorted({w for ws in targets.values() for w in ws})
    worlds = max(1, math.ceil(n / WORLD_SIZE))
    while len(records) < n:
        i = len(records) + 1
        code = code_draws[len(records)]
        org = rng.randint(1, n_orgs)
        town = _satellite(rng, _world_town(rng.choice(TOWNS), rng.randrange(worlds)))
        words = rng.sample(targets[code], min(len(targets[code]), rng.randint(3, 5)))
        words += rng.sample(vocabulary, 4) + rng.sample(FIELD_WORDS, 2) + [town[0]]
        rng.shuffle(words)
        goals = _goals(rng, code)
        place = _place(rng, town, centroids, country_share=COUNTRY_SHARE)
        start = date(rng.randint(2015, 2025), rng.randint(1, 12), 1)
        end = None if rng.random() < 0.2 else date(min(2030, start.year + rng.randint(1, 5)), 12, 31)
        if rng.random() < 0.05:
            start, end = None, None
        lang = rng.random()
        text = _translate(words, _ES if lang < 0.05 else _FR if lang < 0.1 else {})
        records.append(InitiativeRecord(
            id=i, organisation_id=org, title=" ".join(text[:4]).capitalize(),
            description=" ".join(text), goals=goals, tags=frozenset({code.replace(".", "-")}) if rng.random() < 0.3 else frozenset(),
            places=(place,), start=start, end=end, org_type=org_type[org],
            partner_ids=frozenset({rng.randint(1, n_orgs)}) if rng.random() < 0.1 else frozenset(),
        ))
        if len(records) < n and rng.random() < planted_share:
            records.append(_twin(rng, records[-1], len(records) + 1, n_orgs, org_type, town, targets[code]))
            planted.add((i, len(records)))
    return Corpus(records, planted)


def _satellite(rng: random.Random, town: tuple) -> tuple:
    """A settlement within ~120 km of a real town (the same for every run)."""
    name, country, admin1, lat, lon = town
    k = rng.randint(0, 24)
    if k == 0:
        return town
    local = random.Random(zlib.crc32(f"{name}|{k}".encode()))
    km, angle = local.uniform(15, 120), local.uniform(0, 2 * math.pi)
    return (f"{name} {k}", country, admin1, lat + km / 111 * math.cos(angle),
            lon + km / (111 * math.cos(math.radians(lat))) * math.sin(angle))


def _goals(rng: random.Random, code: str) -> frozenset[str]:
    """A target, sometimes with its goal or a sibling; 10% of initiatives declare none."""
    roll = rng.random()
    if roll < 0.1:
        return frozenset()
    if roll < 0.3:
        return frozenset({code, code.split(".")[0]})
    return frozenset({code})


def _place(rng: random.Random, town: tuple, centroids: dict, country_share: float) -> PlaceRecord:
    """A point near `town`, or (country_share of the time) its country's centroid."""
    name, country, admin1, lat, lon = town
    if rng.random() < country_share:
        clat, clon = centroids.get(country[:2], (lat, lon))
        return PlaceRecord(country=country, lat=clat, lon=clon, precision="country")
    km, angle = abs(rng.gauss(0, 8)), rng.uniform(0, 2 * math.pi)
    return PlaceRecord(
        country=country, admin1=admin1, name=name, precision="point",
        lat=lat + km / 111 * math.cos(angle),
        lon=lon + km / (111 * math.cos(math.radians(lat))) * math.sin(angle),
    )


def _twin(rng, base: InitiativeRecord, new_id: int, n_orgs: int, org_type: dict,
          town: tuple, vocab: list[str]) -> InitiativeRecord:
    """A planted overlap of `base`: other organisation, reworded, nearby, same period."""
    org = rng.choice([o for o in (rng.randint(1, n_orgs) for _ in range(5)) if o != base.organisation_id] or [base.organisation_id % n_orgs + 1])
    words = base.description.split()
    kept = rng.sample(words, max(1, int(len(words) * 0.7))) + rng.sample(vocab, min(2, len(vocab)))
    roll = rng.random()
    kept = _translate(kept, _ES if roll < 0.15 else _FR if roll < 0.3 else {})
    base_place = base.places[0]
    if base_place.precision == "country":
        place = base_place
    else:
        km, angle = rng.uniform(0, 3), rng.uniform(0, 2 * math.pi)
        place = PlaceRecord(country=base_place.country, admin1=base_place.admin1, name=base_place.name,
                            lat=base_place.lat + km / 111 * math.cos(angle),
                            lon=base_place.lon + km / 111 * math.sin(angle), precision="point")
    return InitiativeRecord(
        id=new_id, organisation_id=org, title=" ".join(kept[:4]).capitalize(),
        description=" ".join(kept), goals=base.goals if rng.random() < 0.8 else frozenset(),
        tags=base.tags, places=(place,), start=base.start, end=base.end, org_type=org_type[org],
    )


def _translate(words: list[str], table: dict[str, str]) -> list[str]:
    """Replace the field words that have a Spanish or French form."""
    return [table.get(w, w) for w in words]


def _country_centroids() -> dict[str, tuple[float, float]]:
    """A rough centroid per country: the mean of its towns."""
    by_country: dict[str, list[tuple[float, float]]] = {}
    for _, country, _, lat, lon in TOWNS:
        by_country.setdefault(country, []).append((lat, lon))
    return {c: (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
            for c, pts in by_country.items()}
