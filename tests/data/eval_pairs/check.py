#!/usr/bin/env python3
"""Validate pairs.jsonl and sample.jsonl (stdlib only). Run: python3 tests/data/eval_pairs/check.py

Checks: JSON parses, required keys and types, allowed values, different organisations on the two sides,
date logic per kind, distance logic per kind, coverage minimums from the brief, split ratio, sample drawn
from heldout only. Prints the counts used in README.md. Exit code 1 on any failure.
"""
import collections
import datetime
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = ["paraphrase", "cross_language", "no_goals", "nearby_place", "town_in_text", "easy_positive",
         "different_work_same_place", "far_apart", "disjoint_periods", "easy_negative"]
POSITIVE_KINDS = {"paraphrase", "cross_language", "no_goals", "nearby_place", "town_in_text", "easy_positive"}
PAIR_KEYS = {"id", "a", "b", "overlap", "kind", "split", "why"}
INIT_KEYS = {"title", "description", "organisation", "language", "start", "end", "goals", "tags", "locations", "provenance"}
LOC_KEYS = {"country", "admin1", "admin2", "name", "lat", "lon", "precision"}
PRECISIONS = {"exact", "admin2", "admin1", "country"}
LANGS = {"en", "fr", "es", "pt", "ar", "sv", "de"}

errors = []


def err(msg):
    errors.append(msg)


def date(s, where):
    if s is None:
        return None
    try:
        return datetime.date.fromisoformat(s)
    except (TypeError, ValueError):
        err("%s: bad date %r" % (where, s))
        return None


def km(p, q):
    r = math.pi / 180
    h = (math.sin((q[0] - p[0]) * r / 2) ** 2
         + math.cos(p[0] * r) * math.cos(q[0] * r) * math.sin((q[1] - p[1]) * r / 2) ** 2)
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def check_initiative(x, where):
    if not isinstance(x, dict):
        err("%s: not an object" % where)
        return
    missing = INIT_KEYS - set(x)
    if missing:
        err("%s: missing %s" % (where, sorted(missing)))
        return
    for k in ("title", "description", "provenance"):
        if not isinstance(x[k], str) or not x[k].strip():
            err("%s: empty %s" % (where, k))
    o = x["organisation"]
    if not isinstance(o, dict) or not o.get("name") or "country" not in o:
        err("%s: organisation needs name and country" % where)
    if x["language"] not in LANGS:
        err("%s: language %r" % (where, x["language"]))
    s, e = date(x["start"], where), date(x["end"], where)
    if s and e and e < s:
        err("%s: end before start" % where)
    if not isinstance(x["goals"], list) or not all(isinstance(g, str) and g.split(".")[0].isdigit() and 1 <= int(g.split(".")[0]) <= 17 for g in x["goals"]):
        err("%s: goals %r" % (where, x["goals"]))
    if not isinstance(x["tags"], list) or not all(isinstance(t, str) for t in x["tags"]):
        err("%s: tags" % where)
    if not isinstance(x["locations"], list) or not x["locations"]:
        err("%s: needs at least one location" % where)
        return
    for i, l in enumerate(x["locations"]):
        w = "%s.locations[%d]" % (where, i)
        if set(l) != LOC_KEYS:
            err("%s: keys %s" % (w, sorted(l)))
            continue
        if not (isinstance(l["country"], str) and len(l["country"]) == 2 and l["country"].isupper()):
            err("%s: country %r" % (w, l["country"]))
        if l["precision"] not in PRECISIONS:
            err("%s: precision %r" % (w, l["precision"]))
        if (l["lat"] is None) != (l["lon"] is None):
            err("%s: lat/lon must both be set or both null" % w)
        if l["lat"] is not None and not (-90 <= l["lat"] <= 90 and -180 <= l["lon"] <= 180):
            err("%s: lat/lon out of range" % w)
        if l["precision"] == "exact" and l["lat"] is None:
            err("%s: exact precision without a point" % w)


def point(x):
    for l in x["locations"]:
        if l["lat"] is not None:
            return (l["lat"], l["lon"])
    return None


def load(name):
    rows = []
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                err("%s:%d: %s" % (name, n, e))
    return rows


pairs = load("pairs.jsonl")
sample = load("sample.jsonl")
ids = set()
for r in pairs:
    w = r.get("id", "?")
    missing = PAIR_KEYS - set(r)
    if missing:
        err("%s: missing %s" % (w, sorted(missing)))
        continue
    if r["id"] in ids:
        err("%s: duplicate id" % w)
    ids.add(r["id"])
    if r["kind"] not in KINDS:
        err("%s: kind %r" % (w, r["kind"]))
    if r["split"] not in ("calibration", "heldout"):
        err("%s: split %r" % (w, r["split"]))
    if not isinstance(r["overlap"], bool) or r["overlap"] != (r["kind"] in POSITIVE_KINDS):
        err("%s: overlap label does not match kind %s" % (w, r["kind"]))
    if not r["why"].strip():
        err("%s: empty why" % w)
    check_initiative(r["a"], w + ".a")
    check_initiative(r["b"], w + ".b")
    if errors:
        continue
    na, nb = r["a"]["organisation"]["name"].strip().lower(), r["b"]["organisation"]["name"].strip().lower()
    if na == nb:
        err("%s: same organisation on both sides" % w)
    sa, ea = date(r["a"]["start"], w), date(r["a"]["end"], w)
    sb, eb = date(r["b"]["start"], w), date(r["b"]["end"], w)
    if all((sa, ea, sb, eb)):
        overlap_t = sa <= eb and sb <= ea
        if r["kind"] == "disjoint_periods" and overlap_t:
            err("%s: disjoint_periods but the periods overlap" % w)
        if r["overlap"] and not overlap_t:
            err("%s: positive pair without a common period" % w)
    elif r["kind"] == "disjoint_periods":
        err("%s: disjoint_periods needs both periods" % w)
    pa, pb = point(r["a"]), point(r["b"])
    if r["kind"] == "nearby_place":
        if not (pa and pb) or not (6 <= km(pa, pb) <= 17):
            err("%s: nearby_place needs points 6-17 km apart (got %s)" % (w, pa and pb and round(km(pa, pb), 1)))
    if r["kind"] == "far_apart" and pa and pb and km(pa, pb) < 50:
        err("%s: far_apart points only %.0f km apart" % (w, km(pa, pb)))
    if r["kind"] == "town_in_text":
        precs = {r["a"]["locations"][0]["precision"], r["b"]["locations"][0]["precision"]}
        if "admin1" not in precs and "admin2" not in precs:
            err("%s: town_in_text needs one side located only by an area" % w)

# sample
held_ids = {r["id"] for r in pairs if r.get("split") == "heldout"}
by_id = {r["id"]: r for r in pairs}
if len(sample) != 60:
    err("sample.jsonl has %d pairs, expected 60" % len(sample))
for s in sample:
    if s.get("id") not in held_ids:
        err("sample %s is not a heldout pair" % s.get("id"))
    elif s != by_id[s["id"]]:
        err("sample %s differs from pairs.jsonl" % s["id"])

# coverage
n = len(pairs)
kinds = collections.Counter(r["kind"] for r in pairs)
xl = sum(1 for r in pairs if r["a"]["language"] != r["b"]["language"] or "paraphrase" in r.get("features", []) or r["kind"] == "paraphrase")
langs = collections.Counter(l for r in pairs for l in {r["a"]["language"], r["b"]["language"]})
countries = collections.Counter(c for r in pairs for c in {l["country"] for s in ("a", "b") for l in r[s]["locations"]})
pos = sum(1 for r in pairs if r["overlap"])
cal = sum(1 for r in pairs if r["split"] == "calibration")
if n < 420:
    err("only %d pairs" % n)
for k in ("different_work_same_place", "far_apart", "disjoint_periods", "paraphrase", "cross_language",
          "no_goals", "nearby_place", "town_in_text"):
    if kinds[k] < 25:
        err("kind %s has %d < 25" % (k, kinds[k]))
if xl < 0.4 * n:
    err("cross-language or paraphrase pairs %d < 40%%" % xl)
if len([l for l in ("en", "fr", "es", "pt", "ar") if langs[l]]) < 5:
    err("fewer than 5 of en/fr/es/pt/ar")
if len(countries) < 12:
    err("fewer than 12 countries")
if not 0.25 <= cal / n <= 0.35:
    err("calibration share %.2f" % (cal / n))

print("pairs %d | positives %d (%.1f%%) | cross-language or paraphrase %d (%.1f%%) | calibration %d, heldout %d" % (
    n, pos, 100 * pos / n, xl, 100 * xl / n, cal, n - cal))
print("kind                       total  pos  neg  calib  heldout")
for k in KINDS:
    rs = [r for r in pairs if r["kind"] == k]
    print("%-26s %5d %4d %4d %6d %8d" % (k, len(rs), sum(r["overlap"] for r in rs), sum(not r["overlap"] for r in rs),
                                         sum(r["split"] == "calibration" for r in rs), sum(r["split"] == "heldout" for r in rs)))
print("languages (pairs containing it):", dict(langs.most_common()))
lp = collections.Counter("-".join(sorted({r["a"]["language"], r["b"]["language"]})) for r in pairs)
print("language pairs:", dict(lp.most_common()))
print("countries (%d):" % len(countries), dict(countries.most_common()))
print("sample kinds:", dict(collections.Counter(s["kind"] for s in sample)), "| sample positives:", sum(s["overlap"] for s in sample))
if errors:
    print("\n%d ERRORS" % len(errors))
    for e in errors[:50]:
        print(" -", e)
    sys.exit(1)
print("OK")
