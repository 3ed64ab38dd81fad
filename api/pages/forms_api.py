"""JSON helpers of the initiative form: goal suggestions, place search, similar initiatives.

Suggestions use `coordination.suggest` (answering `{"available": false}` while its model files
are not built) and place search `coordination.geo`.

Similar initiatives: the form posts what has been typed so far (POST, CSRF token in the
form) and gets the convergence engine's overlaps for that draft — the same function the
save step asks before saving (`similar_to_draft`). GET with goals and
places only is the quick goal-and-place lookup (`reads.nearby.similar_initiatives`).
"""
from __future__ import annotations

from typing import Any

from flask import jsonify, request

from coordination import geo
from coordination.suggest import suggest_goals
from coordination.display import country_name
from coordination.errors import ValidationError
from coordination.reads.goals import sdg_titles
from coordination.reads.nearby import similar_initiatives
from coordination.services.similar import similar_to_draft

from ..extensions import db
from . import bp
from .common import web_actor
from .forms import form_to_data

MAX_TEXT = 5000


@bp.get("/pages-api/suggest")
def suggest():
    """Suggested SDG goals and targets for the text typed so far."""
    title = request.args.get("title", "")[:MAX_TEXT]
    description = request.args.get("description", "")[:MAX_TEXT]
    tags = [t.strip() for t in request.args.get("tags", "").split(",") if t.strip()][:20]
    if len((title + description).strip()) < 8:
        return jsonify({"available": True, "goals": [], "targets": []})
    try:
        found = suggest_goals(title, description, tags, request.args.get("country") or None)
    except OSError:  # the model files are not built yet
        return jsonify({"available": False, "goals": [], "targets": []})
    titles = sdg_titles(db.session, [s.code for s in [*found.goals, *found.targets]])
    as_json = lambda items: [{"code": s.code, "score": s.score, "confident": s.confident, "applies": s.applies,
                              "because": list(s.because), "title": titles.get(s.code, "")} for s in items if s.code in titles]
    return jsonify({"available": True, "goals": as_json(found.goals), "targets": as_json(found.targets)})


def _place(p) -> dict:
    return {"name": p.name, "country": p.country, "country_name": country_name(p.country), "admin1": p.admin1, "admin2": p.admin2,
            "lat": p.lat, "lon": p.lon, "precision": p.precision}


@bp.get("/pages-api/geocode")
def geocode():
    """Places matching a typed name (offline gazetteer), best first."""
    q = request.args.get("q", "").strip()[:200]
    if not q:
        return jsonify({"available": True, "items": []})
    places = geo.geocode(q, request.args.get("country") or None)[:8]
    return jsonify({"available": True, "items": [_place(p) for p in places]})


@bp.get("/pages-api/reverse")
def reverse():
    """The area a clicked point lies in (country and admin-1), if known."""
    try:
        lat, lon = float(request.args["lat"]), float(request.args["lon"])
    except (KeyError, ValueError):
        return jsonify({"available": True, "place": None}), 400
    place = geo.reverse_geocode(lat, lon)
    return jsonify({"available": True, "place": _place(place) if place else None})


ENGINE_FIELDS = ("title", "description", "goals", "primary_goal", "tags", "locations", "start", "end", "partners")


def _draft(data: dict[str, Any]) -> dict[str, Any]:
    """The fields of a half-filled form the engine uses, without the empty ones."""
    return {k: data[k] for k in ENGINE_FIELDS if data.get(k) not in (None, "", [])}


def similar_for_draft(data: dict[str, Any], initiative_id: int | None = None) -> list[dict]:
    """The engine's overlaps for what has been typed so far; fields that do not validate yet are left out."""
    draft = _draft(data)
    if not (draft.get("title") or draft.get("description") or draft.get("goals")):
        return []
    actor = web_actor()
    for _attempt in range(2):
        try:
            return similar_to_draft(db.session, actor, draft, initiative_id=initiative_id, partial=True)
        except ValidationError as err:  # a date or a place half typed: score without it
            db.session.rollback()
            bad = {key.split(".")[0] for key in err.fields} & set(draft)
            if not bad:
                return []
            draft = {k: v for k, v in draft.items() if k not in bad}
            continue
    return []


@bp.post("/pages-api/similar")
def similar_draft():
    """The live panel of the form: overlaps the draft would have if saved now, best first, with why."""
    exclude = request.form.get("exclude", "")
    items = similar_for_draft(form_to_data(request.form), int(exclude) if exclude.isdigit() else None)
    return jsonify({"items": items})


@bp.get("/pages-api/similar")
def similar():
    """Other organisations' initiatives on the same goal family nearby (quick lookup without text)."""
    def floats(name):
        out = []
        for raw in request.args.getlist(name)[:20]:
            try:
                out.append(float(raw))
            except ValueError:
                out.append(None)
        return out
    points = [(la, lo) for la, lo in zip(floats("lat"), floats("lon")) if la is not None and lo is not None
              and -90 <= la <= 90 and -180 <= lo <= 180]
    exclude = request.args.get("exclude", "")
    items = similar_initiatives(db.session, web_actor(), request.args.getlist("goals")[:60],
                                [c.upper() for c in request.args.getlist("country")[:20] if len(c) == 2],
                                points, int(exclude) if exclude.isdigit() else None)
    return jsonify({"items": items})
