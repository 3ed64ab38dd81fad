"""The organisation network as an SVG picture: components coloured, nodes laid out without overlapping labels."""
from __future__ import annotations

import math
from typing import Any

# Colours of the network's components (Okabe-Ito, colour-blind safe); later components are grey.
COMPONENT_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C6D1F", "#5E3C99")
OTHER_COMPONENT = "#8a8a8a"


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
