"""The initiative form: turning posted fields into service input, and service errors back into fields."""
from __future__ import annotations

import math
import re
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from coordination import vocab
from coordination.convergence.explain import distance_words
from coordination.errors import ValidationError
from coordination.models import Initiative, InitiativeGoal, Location
from coordination.permissions import Actor
from coordination.queries import eager, goal_ids_for, visible_to
from coordination.visibility import exact_clause, sees_exact

MAX_LOCATION_ROWS = 50
MAX_PARTNER_ROWS = 10
NEARBY_KM = 50.0
_ROW = re.compile(r"^(loc|partner)-(\d+)-(\w+)$")


def _number(raw: str | None) -> Any:
    """A float when the text is a number; the text itself otherwise, so validation names it."""
    if raw is None or not raw.strip():
        return None
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        return raw
    return value if math.isfinite(value) else raw


def _rows(form, prefix: str, limit: int) -> list[dict[str, str]]:
    rows: dict[int, dict[str, str]] = {}
    for key in form:
        m = _ROW.match(key)
        if m and m.group(1) == prefix and int(m.group(2)) < limit:
            rows.setdefault(int(m.group(2)), {})[m.group(3)] = form.get(key, "").strip()
    return [rows[i] for i in sorted(rows) if any(rows[i].values())]


def form_to_data(form) -> dict[str, Any]:
    """The service's input from the posted form (bad values are passed on for validation to name)."""
    text = lambda k: (form.get(k) or "").strip() or None
    people = text("people_targeted")
    data: dict[str, Any] = {
        "title": form.get("title", ""), "description": form.get("description", ""),
        "goals": [g for g in form.getlist("goals") if g.strip()],
        "primary_goal": text("primary_goal"),
        "tags": [t.strip() for t in (form.get("tags") or "").split(",") if t.strip()],
        "start": text("start"), "end": text("end"), "status": text("status"),
        "visibility": text("visibility") or "public", "public_precision": text("public_precision") or "exact",
        "budget": text("budget"), "currency": (text("currency") or "").upper() or None,
        "people_targeted": int(people) if people and people.isdigit() else people,
    }
    locations = []
    for row in _rows(form, "loc", MAX_LOCATION_ROWS):
        loc = {k: row.get(k) or None for k in ("name", "country", "admin1")}
        loc["country"] = loc["country"].upper() if loc["country"] else None
        lat, lon = _number(row.get("lat")), _number(row.get("lon"))
        if lat is not None or lon is not None:
            loc["lat"], loc["lon"] = lat, lon
        locations.append(loc)
    data["locations"] = locations
    data["partners"] = [{"organisation": row["organisation"], "role": row.get("role") or "implementing"}
                        for row in _rows(form, "partner", MAX_PARTNER_ROWS) if row.get("organisation")]
    return data


def field_errors(err: ValidationError) -> dict[str, list[str]]:
    """Service error fields renamed to the form's inputs: locations.0.lat → loc-0-lat."""
    out: dict[str, list[str]] = {}
    for key, messages in err.fields.items():
        name = key
        for src, dst in (("locations.", "loc-"), ("partners.", "partner-")):
            if key.startswith(src):
                name = dst + key[len(src):].replace(".", "-")
        out.setdefault(name, []).extend(messages)
    return out


def initiative_to_form(data: dict[str, Any]) -> dict[str, Any]:
    """Form values from `initiative_to_dict` output (for the edit form)."""
    values = {k: data.get(k) or "" for k in ("title", "description", "start", "end", "status", "visibility",
                                              "public_precision", "currency", "primary_goal")}
    if data.get("status_from_dates"):
        values["status"] = ""  # worked out from the dates on every read: saving it would freeze it
    values["budget"] = "" if data.get("budget") is None else f"{data['budget']:g}"
    values["people_targeted"] = "" if data.get("people_targeted") is None else str(data["people_targeted"])
    values["tags"] = ", ".join(data.get("tags") or [])
    values["goals"] = list(data.get("goals") or [])
    values["locations"] = [{k: ("" if loc.get(k) is None else loc[k]) for k in ("name", "country", "admin1", "lat", "lon")}
                           for loc in data.get("locations") or []]
    values["partners"] = [{"organisation": p["organisation"]["slug"], "role": p["role"]} for p in data.get("partners") or []]
    return values


def data_to_form(data: dict[str, Any]) -> dict[str, Any]:
    """Form values to show again after a failed post (what the person typed)."""
    values = {k: ("" if data.get(k) is None else data.get(k)) for k in (
        "title", "description", "start", "end", "status", "visibility", "public_precision", "currency",
        "primary_goal", "budget", "people_targeted")}
    values["tags"] = ", ".join(data.get("tags") or [])
    values["goals"] = data.get("goals") or []
    values["locations"] = [{k: ("" if loc.get(k) is None else loc[k]) for k in ("name", "country", "admin1", "lat", "lon")}
                           for loc in data.get("locations") or []]
    values["partners"] = data.get("partners") or []
    return values


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def similar_initiatives(session: Session, actor: Actor, goals: list[str], countries: list[str],
                        points: list[tuple[float, float]], exclude_id: int | None = None,
                        limit: int = 10) -> list[dict[str, Any]]:
    """Other organisations' initiatives on the same goal family, in the same country or within ~50 km.

    The simple stand-in for the convergence engine's preview. Exact distances are only
    computed against initiatives whose exact places the reader may see.
    """
    families = sorted({vocab.goal_family(c) for c in goals if ":" not in c and vocab.normalise_goal_code(c)})
    if not families or not (countries or points):
        return []
    goal_ids: list[int] = []
    for family in families:
        try:
            goal_ids += goal_ids_for(session, family, include_children=True)
        except ValidationError:
            continue
    if not goal_ids:
        return []
    near = [Location.country.in_([c.upper() for c in countries])] if countries else []
    for lat, lon in points[:20]:
        dlat = NEARBY_KM / 111.0
        dlon = NEARBY_KM / (111.0 * max(0.05, math.cos(math.radians(lat))))
        near.append(and_(exact_clause(actor), Location.lat.between(lat - dlat, lat + dlat),
                         Location.lon.between(lon - dlon, lon + dlon)))
    stmt = visible_to(actor, select(Initiative)).where(
        exists().where(InitiativeGoal.initiative_id == Initiative.id, InitiativeGoal.goal_id.in_(goal_ids)),
        exists().where(Location.initiative_id == Initiative.id, or_(*near)))
    if actor.organisation_id is not None:
        stmt = stmt.where(Initiative.organisation_id != actor.organisation_id)
    if exclude_id is not None:
        stmt = stmt.where(Initiative.id != exclude_id)
    out = []
    for other in session.scalars(eager(stmt.order_by(Initiative.id.desc()).limit(200))):
        exact = sees_exact(actor, other)
        distance = None
        if exact and points:
            ds = [_km(lat, lon, loc.lat, loc.lon) for lat, lon in points for loc in other.locations
                  if loc.lat is not None and loc.lon is not None]
            distance = min(ds) if ds else None
        if distance is not None and distance > NEARBY_KM and not any(
                loc.country in countries for loc in other.locations):
            continue
        shared = sorted({link.goal.code for link in other.goal_links if link.goal.vision.slug == "sdg"
                         and vocab.goal_family(link.goal.code) in families})
        where = (distance_words(distance) if distance is not None else
                 "in " + ", ".join(sorted({loc.country for loc in other.locations if loc.country in countries})))
        out.append({"id": other.id, "title": other.title, "organisation": other.organisation.name,
                    "organisation_slug": other.organisation.slug, "goals": shared, "distance_km": distance,
                    "reason": f"works on {', '.join(shared) or 'the same goal'}, {where}"})
    out.sort(key=lambda item: (item["distance_km"] is None, item["distance_km"] or 0, -item["id"]))
    return out[:limit]
