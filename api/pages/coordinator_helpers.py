"""What the coordinator pages share: place and goal names, group summaries, the chart and the network picture.

Pure presentation over what the read functions (coordination.insights through api.analytics)
already filtered for the reader: nothing here reads initiatives on its own except through
`visible_to`, so the visibility rule stays in coordination/visibility.py.
"""
from __future__ import annotations

import math
import re
from datetime import date
from functools import lru_cache
from typing import Any

from coordination.models import Goal
from coordination.reads import goals as reads
from coordination.vocab import ORGANISATION_TYPES

from ..extensions import db

# Colours of the network's components (Okabe-Ito, colour-blind safe); later components are grey.
COMPONENT_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C6D1F", "#5E3C99")
OTHER_COMPONENT = "#8a8a8a"


# -- places -----------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _admin1_names() -> dict[str, str]:
    """admin-1 p-code ("KE042") → name ("Kisumu"), from the shipped gazetteer."""
    from coordination.geo.gazetteer import default_gazetteer
    return {p.admin1_code: p.name for p in default_gazetteer().places
            if p.precision == "admin1" and p.admin1_code}


def country_name(iso2: str | None) -> str:
    """"Kenya" for "KE"; the code itself when the gazetteer does not know it."""
    if not iso2:
        return ""
    from coordination.geo.gazetteer import default_gazetteer
    place = default_gazetteer().countries.get(iso2.upper())
    return place.name if place is not None else iso2


def admin1_name(code: str | None) -> str:
    """"Kisumu" for "KE042"; a value that is already a name is returned as it is."""
    if not code:
        return ""
    return _admin1_names().get(code, code)


def area_name(key: str | None) -> str:
    """A fragmentation area key ("KE" or "KE/KE042") or an admin-1 code, in words."""
    if not key:
        return ""
    if "/" in key:
        country, _, admin1 = key.partition("/")
        return f"{admin1_name(admin1)}, {country_name(country)}"
    if len(key) == 2 and key.isupper():
        return country_name(key)
    return admin1_name(key)


def countries_with_names(codes) -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name."""
    return sorted(((c, country_name(c)) for c in codes if c), key=lambda t: t[1])


_PLACE_IN_REASON = re.compile(r"\bin ([A-Z]{2}[A-Z0-9]*)\b")
_TYPE_IN_REASON = re.compile(r"\(institutional, type (\d+)\)")


def reason_in_words(reason: str) -> str:
    """An ally suggestion's reason with place codes and the organisation type code in words."""
    reason = _PLACE_IN_REASON.sub(lambda m: "in " + area_name(m.group(1)), reason or "")
    return _TYPE_IN_REASON.sub(
        lambda m: f"({ORGANISATION_TYPES.get(m.group(1), 'institutional').lower()})", reason)


def org_type_name(code: str | None) -> str:
    return ORGANISATION_TYPES.get((code or "").strip(), "")


# -- goals ------------------------------------------------------------------------------------

def sdg_goals() -> dict[str, Goal]:
    """The SDG goals and targets by code."""
    return reads.sdg_goals(db.session)


def goal_options() -> list[tuple[str, str]]:
    """(code, "6 · Clean water and sanitation") for the 17 SDGs, in order."""
    goals = [g for g in sdg_goals().values() if g.level == "goal"]
    goals.sort(key=lambda g: (int(g.code) if g.code.isdigit() else 99, g.code))
    return [(g.code, f"{g.code} · {g.short_title or g.title}") for g in goals]


def goals_in_words(codes, known: dict[str, Goal] | None = None) -> list[dict[str, Any]]:
    """Goal codes as {code, name, colour} (name from the SDG vision, or the code)."""
    known = sdg_goals() if known is None else known
    out = []
    for code in codes:
        g = known.get(str(code))
        out.append({"code": str(code), "name": (g.short_title or g.title) if g else str(code),
                    "colour": (g.colour if g else None) or "#777"})
    return out


# -- groups -----------------------------------------------------------------------------------

def group_key(item: dict[str, Any]) -> int:
    """A group's stable key: its smallest initiative id."""
    return min(item["initiative_ids"])


def _day(value: str | date | None) -> str:
    if not value:
        return ""
    d = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return f"{d.day} {d:%b %Y}"


def span_in_words(start, end) -> str:
    """"1 Mar 2024 – 30 Sep 2025", "since 1 Mar 2024 (open-ended)" or "dates not given"."""
    if not start:
        return "dates not given"
    if not end:
        return f"since {_day(start)} (open-ended)"
    return f"{_day(start)} – {_day(end)}"


def describe_group(item: dict[str, Any], known_goals: dict[str, Goal] | None = None) -> dict[str, Any]:
    """A group from `groups_for` as the pages show it: names, not codes."""
    countries = [country_name(c) for c in item.get("countries") or ()]
    admin1 = sorted({admin1_name(a) for a in item.get("admin1") or ()})
    organisations = [o for o in item.get("organisations") or () if o]
    goals = goals_in_words(item.get("shared_goals") or (), known_goals)
    if admin1 and len(countries) == 1:
        area = ", ".join(admin1[:4]) + (f" and {len(admin1) - 4} more areas" if len(admin1) > 4 else "") \
            + f" ({countries[0]})"
    elif countries:
        area = ", ".join(countries[:5]) + (f" and {len(countries) - 5} more countries" if len(countries) > 5 else "")
    else:
        area = "no place given"
    if len(countries) > 5:
        short_area = f"{len(countries)} countries"
    elif admin1 and len(countries) == 1:
        short_area = ", ".join(admin1[:2]) + (" …" if len(admin1) > 2 else "") + f", {countries[0]}"
    else:
        short_area = ", ".join(countries) or "no place given"
    topic = ", ".join(g["name"] for g in goals[:2]) if goals else "related work"
    return {
        "key": group_key(item), "title": f"{topic} in {short_area}",
        "n_initiatives": len(item["initiative_ids"]), "organisations": organisations,
        "goals": goals, "area": area, "countries": countries, "admin1": admin1,
        "country_codes": list(item.get("countries") or ()),
        "span": span_in_words(item.get("start"), item.get("end")),
        "institutional": bool(item.get("has_institutional_actor")),
        "allies": [{"organisation": a["organisation"], "reason": reason_in_words(a["reason"]),
                    "initiative_ids": a["initiative_ids"]}
                   for a in item.get("suggested_allies") or () if a.get("organisation")],
        "initiative_ids": list(item["initiative_ids"]),
        "split": split_in_words(item.get("split_from"), item.get("split_by") or ()),
    }


SPLIT_WORDS = {"area": "by area", "work": "by kind of work", "overlaps": "by which efforts overlap most",
               "size": "into parts a meeting can hold"}


def split_in_words(split_from: Any, split_by: Any) -> str | None:
    """"Part of a larger group of 69 initiatives from 60 organisations, split by area." (None: not split)."""
    if not split_from:
        return None
    initiatives, organisations = split_from
    how = " and ".join(SPLIT_WORDS.get(s, s) for s in dict.fromkeys(split_by)) or "in parts"
    return (f"Part of a larger group of {initiatives} initiatives from {organisations} organisations, "
            f"split {how} so that each group can meet.")


# -- the fragmentation chart -------------------------------------------------------------------

def fragmentation_chart(rows: list[dict[str, Any]], width: int = 640) -> dict[str, Any]:
    """Geometry of a horizontal bar chart: per area, organisations (bar) and effective number of actors.

    `rows` carry name, organisations, effective (float) and gap (bool). Gaps get a hatched,
    empty row. Coordinates are plain numbers for the template's <svg>.
    """
    label_w, row_h, top = 170, 34, 36
    plot_w = width - label_w - 60
    top_value = max([r["organisations"] for r in rows] + [r["effective"] for r in rows] + [1])
    scale_max = _nice(top_value)
    out = []
    for i, r in enumerate(rows):
        y = top + i * row_h
        out.append({**r, "y": y,
                    "org_w": round(plot_w * r["organisations"] / scale_max, 1),
                    "eff_w": round(plot_w * r["effective"] / scale_max, 1),
                    "label": r["name"] if len(r["name"]) <= 24 else r["name"][:23] + "…"})
    ticks = [{"value": v, "x": round(label_w + plot_w * v / scale_max, 1)}
             for v in _ticks(scale_max)]
    return {"rows": out, "width": width, "height": top + len(rows) * row_h + 10, "label_w": label_w,
            "plot_w": plot_w, "top": top, "ticks": ticks, "row_h": row_h}


def _nice(value: float) -> float:
    """The smallest 1, 2 or 5 × 10^k at or above value."""
    exp = 10 ** math.floor(math.log10(value)) if value > 0 else 1
    for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * exp >= value:
            return m * exp
    return 10 * exp


def _ticks(scale_max: float) -> list[float]:
    exp = 10 ** math.floor(math.log10(scale_max)) if scale_max > 0 else 1
    step = next((m * exp / 10 for m in (1, 2, 2.5, 5, 10, 20, 25, 50) if scale_max / (m * exp / 10) <= 6), exp)
    step = max(step, 1)
    values, v = [], 0.0
    while v <= scale_max + 1e-9:
        values.append(int(v) if float(v).is_integer() else round(v, 1))
        v += step
    return values


# -- the network picture ----------------------------------------------------------------------

def network_picture(net: dict[str, Any], max_nodes: int = 70, max_labels: int = 12,
                    size: tuple[int, int] = (900, 620)) -> dict[str, Any]:
    """A readable drawing of the organisation network, laid out server-side.

    Shows the best-connected organisations (the top of each component first, then by degree),
    the edges among them, brokers (highest betweenness) ringed, components coloured, and labels
    only for brokers and the best-connected, each placed where it collides with no other label.
    """
    import networkx as nx

    nodes = {n["organisation_id"]: n for n in net["nodes"]}
    component_of: dict[int, int] = {}
    for i, comp in enumerate(net["components"]):
        for org in comp:
            component_of[org] = i
    by_degree = sorted(nodes.values(), key=lambda n: (-n["degree"], -n["betweenness"], n["organisation_id"]))
    chosen: list[int] = []
    for comp in net["components"][:len(COMPONENT_COLOURS)]:  # every coloured component shows up
        top = sorted(comp, key=lambda o: (-nodes[o]["degree"], o))[:3]
        chosen += [o for o in top if o not in chosen]
    by_brokerage = sorted(nodes.values(), key=lambda n: (-n["betweenness"], -n["degree"], n["organisation_id"]))
    chosen += [n["organisation_id"] for n in by_brokerage[:10]
               if n["betweenness"] > 0 and n["organisation_id"] not in chosen]
    for n in by_degree:
        if len(chosen) >= max_nodes:
            break
        if n["degree"] > 0 and n["organisation_id"] not in chosen:
            chosen.append(n["organisation_id"])
    chosen_set = set(chosen)
    edges = [e for e in net["edges"] if e["a"] in chosen_set and e["b"] in chosen_set]
    brokers = [n["organisation_id"] for n in sorted(nodes.values(), key=lambda n: -n["betweenness"])
               if n["betweenness"] > 0][:5]
    graph = nx.Graph()
    graph.add_nodes_from(sorted(chosen))
    graph.add_edges_from((e["a"], e["b"]) for e in edges)
    width, height = size
    if not chosen:
        return {"nodes": [], "edges": [], "width": width, "height": height, "brokers": [], "shown": 0,
                "total": len(nodes), "legend": []}
    width, height = size
    pos = _packed_layout(graph, width, height)
    max_degree = max(nodes[o]["degree"] for o in chosen) or 1

    def place(o: int) -> tuple[float, float]:
        return pos[o]

    drawn = []
    for o in chosen:
        x, y = place(o)
        n = nodes[o]
        comp = component_of.get(o)
        drawn.append({"id": o, "x": x, "y": y, "r": round(4 + 10 * math.sqrt(n["degree"] / max_degree), 1),
                      "colour": COMPONENT_COLOURS[comp] if comp is not None and comp < len(COMPONENT_COLOURS)
                      else OTHER_COMPONENT, "broker": o in brokers, "name": _name(n),
                      "degree": n["degree"], "betweenness": n["betweenness"], "component": comp})
    at = {d["id"]: d for d in drawn}
    # Labels: brokers first, then the best-connected; each tries eight spots around its node.
    wanted = [o for o in brokers if o in at] + [o for o in chosen if o not in brokers]
    boxes = [(d["x"] - d["r"], d["y"] - d["r"], d["x"] + d["r"], d["y"] + d["r"]) for d in drawn]
    placed: list[tuple[float, float, float, float]] = []
    labelled = 0
    for o in wanted:
        if labelled >= max_labels:
            break
        d = at[o]
        text = d["name"] if len(d["name"]) <= 26 else d["name"][:25] + "…"
        w, h = 6.4 * len(text) + 6, 16
        for dx, dy, anchor in _SPOTS:
            lx = d["x"] + dx * (d["r"] + 4)
            ly = d["y"] + dy * (d["r"] + 4) + (4 if dy == 0 else (12 if dy > 0 else -2))
            x0 = lx if anchor == "start" else (lx - w if anchor == "end" else lx - w / 2)
            box = (x0 - 2, ly - 12, x0 + w, ly + 4)
            if box[0] < 2 or box[2] > width - 2 or box[1] < 2 or box[3] > height - 2:
                continue
            if any(_hit(box, b) for b in placed) or (o not in brokers and any(
                    _hit(box, b) for i, b in enumerate(boxes) if drawn[i]["id"] != o)):
                continue
            d["label"] = {"text": text, "x": round(lx, 1), "y": round(ly, 1), "anchor": anchor,
                          "bx": round(x0 - 2, 1), "by": round(ly - 12, 1), "bw": round(w + 2, 1), "bh": h}
            placed.append(box)
            labelled += 1
            break
    lines = [{"x1": at[e["a"]]["x"], "y1": at[e["a"]]["y"], "x2": at[e["b"]]["x"], "y2": at[e["b"]]["y"],
              "partnership": "partnership" in e["kinds"]} for e in edges]
    legend = [{"index": i, "colour": COMPONENT_COLOURS[i], "size": len(c)}
              for i, c in enumerate(net["components"][:len(COMPONENT_COLOURS)])]
    # Draw the big nodes first, so small ones stay visible on top.
    drawn.sort(key=lambda d: -d["r"])
    return {"nodes": drawn, "edges": lines, "width": width, "height": height,
            "brokers": [at[o] for o in brokers if o in at], "shown": len(drawn), "total": len(nodes),
            "legend": legend, "more_components": max(0, len(net["components"]) - len(COMPONENT_COLOURS))}


def _packed_layout(graph, width: int, height: int) -> dict[int, tuple[float, float]]:
    """Positions in pixels: each connected part laid out alone, the largest on the left, the others stacked right."""
    import networkx as nx

    parts = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0]))
    pad_x, pad_y = 100, 36
    main_w = width if len(parts) == 1 else int(width * 0.74)
    boxes = [(0, 0, main_w, height)]
    rest = parts[1:9]
    if rest:
        weights = [math.sqrt(len(c)) for c in rest]
        y = 0.0
        for w in weights:
            h = height * w / sum(weights)
            boxes.append((main_w, y, width, y + h))
            y += h
    pos: dict[int, tuple[float, float]] = {}
    leftovers = [o for c in parts[9:] for o in c]
    for part, (x0, y0, x1, y1) in zip(parts, boxes, strict=False):
        sub = graph.subgraph(part)
        if len(part) == 1:
            raw = {part[0]: (0.0, 0.0)}
        else:
            raw = _spread(nx.kamada_kawai_layout(sub, weight=None) if len(part) <= 150
                          else nx.spring_layout(sub, seed=7, weight=None))
        xs = [p[0] for p in raw.values()]
        ys = [p[1] for p in raw.values()]
        span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
        px, py = (pad_x if x1 - x0 > 2 * pad_x + 20 else (x1 - x0) / 3), min(pad_y, (y1 - y0) / 3)
        for o, (x, y) in raw.items():
            fx = 0.5 if len(part) == 1 else (x - min(xs)) / span_x
            fy = 0.5 if len(part) == 1 else (y - min(ys)) / span_y
            pos[o] = (round(x0 + px + fx * (x1 - x0 - 2 * px), 1), round(y0 + py + fy * (y1 - y0 - 2 * py), 1))
    for i, o in enumerate(leftovers):  # tiny parts beyond the eighth: a row along the bottom
        pos[o] = (round(20 + (i % 40) * (width - 40) / 40, 1), float(height - 12))
    return pos


def _spread(raw: dict) -> dict:
    """Pull far-out nodes in (each axis clamped to its 5th-95th percentile band, gently) so the core is not squeezed."""
    import numpy as np

    if len(raw) < 8:
        return raw
    keys = list(raw)
    xy = np.array([raw[k] for k in keys], dtype=float)
    for axis in (0, 1):
        lo, hi = np.percentile(xy[:, axis], [5, 95])
        span = (hi - lo) or 1.0
        v = xy[:, axis]
        over, under = v > hi, v < lo
        v[over] = hi + span * 0.15 * np.tanh((v[over] - hi) / span)
        v[under] = lo - span * 0.15 * np.tanh((lo - v[under]) / span)
    return {k: (float(x), float(y)) for k, (x, y) in zip(keys, xy, strict=True)}


_SPOTS = ((1, 0, "start"), (-1, 0, "end"), (0, -1, "middle"), (0, 1, "middle"),
          (1, -1, "start"), (-1, -1, "end"), (1, 1, "start"), (-1, 1, "end"))


def _hit(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _name(node: dict[str, Any]) -> str:
    org = node.get("organisation") or {}
    return org.get("name") or f"Organisation {node['organisation_id']}"
