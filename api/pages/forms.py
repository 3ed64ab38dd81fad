"""The initiative form: turning posted fields into service input, and service errors back into fields."""
from __future__ import annotations

import math
import re
from typing import Any

from coordination.errors import ValidationError

MAX_LOCATION_ROWS = 50
MAX_PARTNER_ROWS = 10
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
