"""Assemble ../pairs.jsonl from the written scenarios (stdlib only, deterministic).

Each scenario is one place and period with four written records by four organisations:
A and A2 do the same work (A2 restated: other words, other language, fewer goals or a
neighbouring town); B and B2 do another kind of work in the same place and period.
Pairs: (A, A2) overlap, (B, B2) overlap, (A, B) and (A2, B2) different_work_same_place
(or (A, B2) and (A2, B) in one town when that gives more cross-language negatives).
"""
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import shift, km, jitter, PROV
import s1, s2, s3, s4, s5

SCEN = s1.C1 + s2.C2 + s3.C3 + s4.C4 + s5.C5
OFFS = {"A": (0, 0), "A2": (2, 4), "B": (-1, -2), "B2": (3, 3)}


def side(sd, role, place, near, s, e, k, strip):
    if sd["start"]:
        st, en = sd["start"], sd["end"]
    else:
        st, en = shift(s, OFFS[role][0]), shift(e, OFFS[role][1])
    if sd["place"]:
        loc = sd["place"]
    elif role in ("A2", "B2") and near is not None:
        loc = near
    else:
        loc = place
    if role in ("B", "B2"):
        loc = jitter(loc, k * 4 + (1 if role == "B" else 3))
    goals = [] if (sd["nogoals"] or strip) else list(sd["goals"])
    return {
        "title": sd["title"], "description": sd["desc"],
        "organisation": {"name": sd["org"], "country": sd["oc"]},
        "language": sd["lang"], "start": st, "end": en,
        "goals": goals, "tags": list(sd["tags"]),
        "locations": [dict(loc)],
        "provenance": PROV % ("scenario %d, record %s" % (k + 1, role)),
    }


def fam(goals):
    return {g.split(".")[0] for g in goals}


def mk(pid, a, b, overlap, why_core):
    d = km(a["locations"][0], b["locations"][0])
    la, lb = a["language"], b["language"]
    feats = ["evaluator_written", "contrast_set"]
    if la != lb:
        feats.append("cross_language")
    elif overlap:
        feats.append("paraphrase")
    if not a["goals"] or not b["goals"]:
        feats.append("no_goals")
    if d >= 2.0:
        feats.append("nearby_place")
    shared = fam(a["goals"]) & fam(b["goals"])
    if shared:
        feats.append("same_goal_family")
    ov = (max(a["start"], b["start"]), min(a["end"], b["end"]))
    where = "same town, %.1f km apart" % d if d < 2.0 else "neighbouring places %.1f km apart (%s / %s)" % (
        d, a["locations"][0]["name"], b["locations"][0]["name"])
    if overlap:
        if d >= 2.0:
            kind = "nearby_place"
        elif not a["goals"] or not b["goals"]:
            kind = "no_goals"
        elif la != lb:
            kind = "cross_language"
        else:
            kind = "paraphrase"
        why = "Overlap: %s; %s; periods intersect %s to %s." % (why_core, where, ov[0], ov[1])
    else:
        kind = "different_work_same_place"
        srt = lambda fs: ",".join(sorted(fs, key=int))
        if shared:
            g = "shared SDG goal %s" % srt(shared)
        elif not a["goals"] or not b["goals"]:
            g = "one side declares no goals"
        else:
            g = "SDG goals %s vs %s" % (srt(fam(a["goals"])), srt(fam(b["goals"])))
        why = "Not an overlap: %s, periods intersect %s to %s, %s, but the work differs: %s." % (
            where, ov[0], ov[1], g, why_core)
    return {"id": pid, "a": a, "b": b, "overlap": overlap, "kind": kind,
            "split": "calibration", "why": why, "features": feats}


def build():
    pairs = []
    n = 0
    for k, sc in enumerate(SCEN):
        place, near, s, e, A, A2, B, B2, wa, wb, wn = sc
        # deterministic extra goal-less records (as many real 3W rows and IATI records have no SDG field)
        stripA2 = near is None and k % 3 == 0
        stripB2 = near is None and k % 5 == 2
        a = side(A, "A", place, near, s, e, k, False)
        a2 = side(A2, "A2", place, near, s, e, k, stripA2)
        b = side(B, "B", place, near, s, e, k, False)
        b2 = side(B2, "B2", place, near, s, e, k, stripB2)
        negs = ((a, b), (a2, b2))
        if near is None:
            # within one town, pair the negatives crosswise when that puts more language
            # differences on the negative side (so that a language difference is no label shortcut)
            xl = lambda ps: sum(x["language"] != y["language"] for x, y in ps)
            if xl(((a, b2), (a2, b))) > xl(negs):
                negs = ((a, b2), (a2, b))
        for x, y, lab, w in ((a, a2, True, wa), (b, b2, True, wb), negs[0] + (False, wn), negs[1] + (False, wn)):
            n += 1
            pairs.append(mk("w%04d" % n, x, y, lab, w))
    return pairs


if __name__ == "__main__":
    out = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "pairs.jsonl")
    ps = build()
    with open(out, "w", encoding="utf-8") as f:
        for p in ps:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    print("wrote", len(ps), "pairs to", out)
