"""The goal browser: visions → goals → targets with counts, and one page per goal."""
from __future__ import annotations

from flask import render_template

from coordination.mapping import fragmentation_by_area
from coordination.mapping.read import area_rows
from coordination.queries import InitiativeFilter
from coordination.reads.goals import goal_counts, organisations_working_on
from coordination.services.visions import get_goal

from ..extensions import db
from .. import analytics
from . import bp
from .common import goal_code, visions_with_goals, web_actor
from .groups import described_groups
from .map import map_text, render_folium_map


@bp.get("/goals")
def goals():
    """Every vision's goals and targets, with how many initiatives and organisations work on each."""
    actor = web_actor()
    return render_template("goals.html", visions=visions_with_goals(), counts=goal_counts(db.session, actor))


@bp.get("/goals/<code>")
def goal(code: str):
    """One goal: its map, targets, organisations active, fragmentation by area, groups."""
    actor = web_actor()
    g = get_goal(db.session, code)
    ref = goal_code(g)
    f = InitiativeFilter(goal=ref) if g.level == "goal" else InitiativeFilter(target=ref)
    organisations = organisations_working_on(db.session, actor, f)
    rows = area_rows(db.session, actor, f)
    by_country = fragmentation_by_area(rows)
    by_admin1 = [c for c in fragmentation_by_area(rows, by_admin1=True) if c.admin1][:15]
    return render_template(
        "goal.html", goal=g, ref=ref, counts=goal_counts(db.session, actor), organisations=organisations,
        by_country=by_country[:20], by_admin1=by_admin1,
        max_country=max((c.initiatives for c in by_country), default=1),
        max_admin1=max((c.initiatives for c in by_admin1), default=1),
        groups=described_groups(analytics.groups_for(actor, InitiativeFilter(goal=ref))), link_args={"goal": ref},
        folium=render_folium_map(), map_text=map_text(),
        fixed=("goal=" if g.level == "goal" else "target=") + ref)
