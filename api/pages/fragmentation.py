"""Fragmentation of one goal by area, as a picture: organisations and effective number of actors, gaps marked."""
from __future__ import annotations

from flask import render_template, request

from coordination.errors import ValidationError
from coordination.queries import InitiativeFilter

from .. import analytics
from . import bp
from .common import web_actor
from .coordinator_helpers import (
    area_name,
    countries_with_names,
    fragmentation_chart,
    goal_options,
    sdg_goals,
)

MAX_ROWS = 25
MAX_GAPS = 8


@bp.get("/fragmentation")
def fragmentation():
    """One goal × area: per area the organisations and the effective number of actors, gaps marked."""
    actor = web_actor()
    goals = goal_options()
    goal = (request.args.get("goal") or (goals[0][0] if goals else "1")).strip()
    country = (request.args.get("country") or "").strip().upper()
    level = request.args.get("level") or ("admin1" if country else "country")
    errors: dict[str, list[str]] = {}
    if not all(p.isdigit() for p in goal.split(".")):
        errors["goal"] = ["must be an SDG goal or target code such as 6 or 6.1"]
    if country and not (len(country) == 2 and country.isalpha()):
        errors["country"] = ["must be a two-letter country code"]
    if level not in ("country", "admin1"):
        errors["level"] = ["must be country or admin1"]
    if errors:
        raise ValidationError("Invalid filter.", errors)
    key = "target" if "." in goal else "goal"
    data = analytics.fragmentation_for(actor, InitiativeFilter(**{key: goal}, country=country or None), level)
    cells, gaps = data["cells"], data["gaps"]
    rows = [{"area": c["area"], "name": area_name(c["area"]), "initiatives": c["n_initiatives"],
             "organisations": c["n_organisations"], "effective": round(c["effective_actors"], 1),
             "overlap_share": c["overlap_share"], "gap": False, "related": ()} for c in cells]
    rows.sort(key=lambda r: (-r["organisations"], -r["initiatives"], r["name"]))
    shown = rows[:MAX_ROWS]
    gap_rows = [{"area": g["area"], "name": area_name(g["area"]), "initiatives": 0, "organisations": 0,
                 "effective": 0.0, "overlap_share": 0.0, "gap": True, "related": g["related_present"]}
                for g in sorted(gaps, key=lambda g: (-len(g["related_present"]), area_name(g["area"])))]
    chart_rows = shown + gap_rows[:MAX_GAPS]
    known = sdg_goals()
    this = known.get(goal)
    all_countries = {c["area"].split("/")[0] for c in
                     analytics.fragmentation_for(actor, InitiativeFilter(), "country")["cells"]}
    return render_template(
        "fragmentation.html", goal=goal, goal_name=(this.short_title or this.title) if this else goal,
        goal_colour=(this.colour if this else None) or "#0072B2", goals=goals, country=country, level=level,
        countries=countries_with_names(sorted(all_countries)), rows=rows, shown=len(shown), gap_rows=gap_rows[:MAX_GAPS], more_gaps=gap_rows[MAX_GAPS:],
        chart=fragmentation_chart(chart_rows), related_names={c: (known[c].short_title or known[c].title)
                                                               for c in known if "." not in c})
