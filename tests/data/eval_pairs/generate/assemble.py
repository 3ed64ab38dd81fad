"""Assemble pairs.jsonl and sample.jsonl from the part files (deterministic)."""
import collections, importlib, json, os, re, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lib
from lib import km


CONSTRUCTORS = {name: getattr(lib, name) for name in ("ca", "seed", "W", "org", "org3w", "loc_town", "loc_pt",
                                                      "loc_adm1", "loc_adm2", "loc_country")}


def build(value):
    """A value of a part*.json file: {"call": name, "args": [...], "kw": {...}} runs that constructor
    (arguments first, in order); lists are built element by element; anything else is itself."""
    if isinstance(value, dict) and "call" in value:
        args = [build(a) for a in value["args"]]
        kw = {k: build(v) for k, v in value.get("kw", {}).items()}
        return CONSTRUCTORS[value["call"]](*args, **kw)
    if isinstance(value, list):
        return [build(v) for v in value]
    if isinstance(value, dict):
        return {k: build(v) for k, v in value.items()}
    return value


def load_pairs(path):
    """Register the pairs of a part*.json file, in file order."""
    with open(path, encoding="utf-8") as f:
        for p in json.load(f)["pairs"]:
            lib.P(p["kind"], p["overlap"], p["why"], build(p["a"]), build(p["b"]), p.get("var"))


def main():
    HERE = os.path.dirname(os.path.abspath(__file__))
    # part*.json hold written and chosen pairs as data, part*.py draw pairs in code; in name order
    PARTS = sorted(f for f in os.listdir(HERE) if f.startswith("part") and f.endswith((".py", ".json")))
    for p in PARTS:
        if p.endswith(".json"):
            load_pairs(os.path.join(HERE, p))
        else:
            importlib.import_module(p[:-3])
    OUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    pairs = lib.PAIRS
    # stable order: by kind then insertion
    order = ["paraphrase", "cross_language", "no_goals", "nearby_place", "town_in_text", "easy_positive",
             "different_work_same_place", "far_apart", "disjoint_periods", "easy_negative"]
    bykind = collections.defaultdict(list)
    for p in pairs:
        bykind[p["kind"]].append(p)
    rows = []
    n = 0
    for k in order:
        for i, p in enumerate(bykind[k]):
            n += 1
            # calibration: positions 0,3,6 of every block of 10 within a kind -> 30%
            split = "calibration" if i % 10 in (0, 3, 6) else "heldout"
            a, b = p["a"], p["b"]
            for x in (a, b):
                x["provenance"] = re.sub(r"seed_data/initiatives\.json\[(\d+)\](?! <-)",
                                         lambda m: "seed_data/initiatives.json[%s] = %s" % (m.group(1), lib.seed_raw(int(m.group(1)))["provenance"]),
                                         x["provenance"])
            assert (lib.fold(a["organisation"]["name"]) or a["organisation"]["name"]) != (lib.fold(b["organisation"]["name"]) or b["organisation"]["name"]), (k, p["why"])
            feats = []
            if a["language"] != b["language"]:
                feats.append("cross_language")
            if "paraphrase" in p["var"] or p["kind"] == "paraphrase":
                feats.append("paraphrase")
            if any(x["provenance"].startswith("written by evaluator") for x in (a, b)):
                feats.append("evaluator_written")
            else:
                feats.append("real_both_sides")
            rows.append({"id": "p%04d" % n, "a": a, "b": b, "overlap": p["overlap"], "kind": k, "split": split,
                         "why": p["why"], "features": feats})
    with open(os.path.join(OUT, "pairs.jsonl"), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n")
    # sample: 60 heldout pairs stratified by kind (every k-th heldout pair within each kind, proportional, min 3)
    held = collections.defaultdict(list)
    for r in rows:
        if r["split"] == "heldout":
            held[r["kind"]].append(r)
    total = sum(len(v) for v in held.values())
    quota = {k: max(3, round(60 * len(v) / total)) for k, v in held.items()}
    while sum(quota.values()) > 60:
        k = max(quota, key=lambda x: quota[x]); quota[k] -= 1
    while sum(quota.values()) < 60:
        k = max(held, key=lambda x: len(held[x]) - quota[x]); quota[k] += 1
    sample = []
    for k in order:
        v = held.get(k, [])
        q = quota.get(k, 0)
        if not v or not q:
            continue
        step = len(v) / q
        sample += [v[int(i * step)] for i in range(q)]
    with open(os.path.join(OUT, "sample.jsonl"), "w", encoding="utf-8") as f:
        for r in sample:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    c = collections.Counter((r["kind"], r["overlap"]) for r in rows)
    for k in order:
        print(k, c[(k, True)], c[(k, False)])
    print("total", len(rows), "sample", len(sample))


if __name__ == "__main__":
    main()
