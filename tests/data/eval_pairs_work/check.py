#!/usr/bin/env python3
"""Validate eval_pairs_work/pairs.jsonl (stdlib only) and print its counts.

Usage: python3 tests/data/eval_pairs_work/check.py [path/to/pairs.jsonl]
Exits 1 with a list of problems if any check fails.
"""
import collections, json, math, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "pairs.jsonl")

PAIR_KEYS = {"id", "a", "b", "overlap", "kind", "split", "why", "features"}
SIDE_KEYS = {"title", "description", "organisation", "language", "start", "end",
             "goals", "tags", "locations", "provenance"}
LOC_KEYS = {"country", "admin1", "admin2", "name", "lat", "lon", "precision"}
LANGS = {"en", "es", "fr", "ar", "pt", "de", "sv"}
PRECISIONS = {"exact", "admin2", "admin1", "country"}
POS_KINDS = {"paraphrase", "cross_language", "no_goals", "nearby_place"}
NEG_KINDS = {"different_work_same_place"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
GOAL = re.compile(r"^(1[0-7]|[1-9])(\.([0-9]{1,2}|[a-z]))?$")

MIN_PAIRS = 240
MIN_LANGS = 5
MIN_COUNTRIES = 12
MIN_XL_OR_PARA = 0.40
NEARBY_KM = (2.0, 15.0)     # nearby_place: points 2-15 km apart
SAME_PLACE_KM = 2.0         # other kinds: same town, points under 2 km apart


def km(p, q):
    la1, lo1, la2, lo2 = map(math.radians, (p["lat"], p["lon"], q["lat"], q["lon"]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def check_side(pid, tag, s, errs):
    where = "%s.%s" % (pid, tag)
    if set(s) != SIDE_KEYS:
        errs.append("%s: fields %s" % (where, sorted(set(s) ^ SIDE_KEYS)))
        return
    for f in ("title", "description", "provenance"):
        if not isinstance(s[f], str) or not s[f].strip():
            errs.append("%s.%s: empty" % (where, f))
    o = s["organisation"]
    if not isinstance(o, dict) or set(o) != {"name", "country"} or not o["name"]:
        errs.append("%s.organisation: needs name and country" % where)
    elif o["country"] is not None and not re.match(r"^[A-Z]{2}$", o["country"]):
        errs.append("%s.organisation.country: %r" % (where, o["country"]))
    if s["language"] not in LANGS:
        errs.append("%s.language: %r" % (where, s["language"]))
    for f in ("start", "end"):
        if s[f] is not None and not DATE.match(s[f]):
            errs.append("%s.%s: %r" % (where, f, s[f]))
    if s["start"] and s["end"] and s["start"] > s["end"]:
        errs.append("%s: start after end" % where)
    if not isinstance(s["goals"], list) or any(not GOAL.match(g) for g in s["goals"]):
        errs.append("%s.goals: %r" % (where, s["goals"]))
    if not isinstance(s["tags"], list):
        errs.append("%s.tags: not a list" % where)
    if not s["locations"]:
        errs.append("%s.locations: empty" % where)
    for i, l in enumerate(s["locations"]):
        if set(l) != LOC_KEYS:
            errs.append("%s.locations[%d]: fields %s" % (where, i, sorted(set(l) ^ LOC_KEYS)))
            continue
        if not re.match(r"^[A-Z]{2}$", l["country"] or ""):
            errs.append("%s.locations[%d].country: %r" % (where, i, l["country"]))
        if l["precision"] not in PRECISIONS:
            errs.append("%s.locations[%d].precision: %r" % (where, i, l["precision"]))
        if l["lat"] is not None and not (-90 <= l["lat"] <= 90 and -180 <= l["lon"] <= 180):
            errs.append("%s.locations[%d]: bad coordinates" % (where, i))


def main():
    errs = []
    pairs = []
    with open(PATH, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                pairs.append(json.loads(line))
            except ValueError as e:
                errs.append("line %d: not JSON (%s)" % (n, e))
    ids = set()
    for n, p in enumerate(pairs, 1):
        pid = p.get("id", "line %d" % n)
        if set(p) != PAIR_KEYS:
            errs.append("%s: fields %s" % (pid, sorted(set(p) ^ PAIR_KEYS)))
            continue
        if pid != "w%04d" % n:
            errs.append("%s: expected id w%04d" % (pid, n))
        if pid in ids:
            errs.append("%s: duplicate id" % pid)
        ids.add(pid)
        check_side(pid, "a", p["a"], errs)
        check_side(pid, "b", p["b"], errs)
        if p["split"] != "calibration":
            errs.append("%s: split must be calibration" % pid)
        if not isinstance(p["overlap"], bool):
            errs.append("%s: overlap not boolean" % pid)
        if (p["overlap"] and p["kind"] not in POS_KINDS) or (not p["overlap"] and p["kind"] not in NEG_KINDS):
            errs.append("%s: kind %s does not fit overlap=%s" % (pid, p["kind"], p["overlap"]))
        if not p["why"] or len(p["why"]) < 30:
            errs.append("%s: why too short" % pid)
        if not isinstance(p["features"], list):
            errs.append("%s: features not a list" % pid)
        a, b = p["a"], p["b"]
        try:
            if a["organisation"]["name"].strip().lower() == b["organisation"]["name"].strip().lower():
                errs.append("%s: same organisation on both sides" % pid)
            # every pair in this set shares time: periods must intersect
            if not (a["start"] <= b["end"] and b["start"] <= a["end"]):
                errs.append("%s: periods do not intersect" % pid)
            la, lb = a["locations"][0], b["locations"][0]
            if la["country"] != lb["country"]:
                errs.append("%s: different countries" % pid)
            d = km(la, lb)
            if p["kind"] == "nearby_place":
                if not NEARBY_KM[0] <= d <= NEARBY_KM[1]:
                    errs.append("%s: nearby_place but %.1f km" % (pid, d))
            elif d >= SAME_PLACE_KM:
                errs.append("%s: %s but %.1f km apart" % (pid, p["kind"], d))
            if p["kind"] == "no_goals" and a["goals"] and b["goals"]:
                errs.append("%s: no_goals but both sides have goals" % pid)
            if p["kind"] == "cross_language" and a["language"] == b["language"]:
                errs.append("%s: cross_language with one language" % pid)
            if p["kind"] == "paraphrase" and a["language"] != b["language"]:
                errs.append("%s: paraphrase across languages" % pid)
            if p["overlap"] and a["description"] == b["description"]:
                errs.append("%s: positive with identical text" % pid)
        except (KeyError, TypeError, IndexError) as e:
            errs.append("%s: malformed (%s)" % (pid, e))

    kinds = collections.Counter(p["kind"] for p in pairs)
    pos = sum(1 for p in pairs if p.get("overlap") is True)
    langs = collections.Counter()
    combos = collections.Counter()
    countries = collections.Counter()
    for p in pairs:
        ls = sorted({p["a"]["language"], p["b"]["language"]})
        combos["-".join(ls)] += 1
        for l in ls:
            langs[l] += 1
        for c in {p["a"]["locations"][0]["country"], p["b"]["locations"][0]["country"]}:
            countries[c] += 1
    xl = sum(1 for p in pairs if p["a"]["language"] != p["b"]["language"])
    xl_or_para = sum(1 for p in pairs if p["a"]["language"] != p["b"]["language"]
                     or "paraphrase" in p["features"])
    xl_pos = sum(1 for p in pairs if p["a"]["language"] != p["b"]["language"] and p["overlap"])

    if len(pairs) < MIN_PAIRS:
        errs.append("only %d pairs (< %d)" % (len(pairs), MIN_PAIRS))
    if len(langs) < MIN_LANGS:
        errs.append("only %d languages" % len(langs))
    if len(countries) < MIN_COUNTRIES:
        errs.append("only %d countries" % len(countries))
    if pairs and xl_or_para / len(pairs) < MIN_XL_OR_PARA:
        errs.append("cross-language or paraphrase share %.2f < %.2f" % (xl_or_para / len(pairs), MIN_XL_OR_PARA))

    print("pairs: %d  positive: %d  negative: %d" % (len(pairs), pos, len(pairs) - pos))
    print("kinds:", ", ".join("%s %d" % kv for kv in sorted(kinds.items())))
    print("cross-language pairs: %d (%d positive, %d negative)" % (xl, xl_pos, xl - xl_pos))
    print("cross-language or paraphrase: %d (%.1f%%)" % (xl_or_para, 100.0 * xl_or_para / max(1, len(pairs))))
    print("languages (pairs containing):", ", ".join("%s %d" % kv for kv in langs.most_common()))
    print("language combinations:", ", ".join("%s %d" % kv for kv in combos.most_common()))
    print("countries (%d):" % len(countries), ", ".join("%s %d" % kv for kv in countries.most_common()))
    if errs:
        print("\n%d PROBLEMS:" % len(errs))
        for e in errs[:200]:
            print(" -", e)
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
