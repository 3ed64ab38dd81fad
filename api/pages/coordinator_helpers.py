"""What the coordinator pages share: place and goal names, group summaries and the fragmentation chart.

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


