"""The organisation network as a picture (laid out on the server) and as a table."""
from __future__ import annotations

from flask import render_template, request

from coordination.errors import ValidationError
from coordination.queries import InitiativeFilter

from .. import analytics
from . import bp
from .common import web_actor
from .coordinator_helpers import countries_with_names, goal_options
from .network_picture import COMPONENT_COLOURS, network_picture

TABLE_ROWS = 50


@bp.get("/network")
def network():
    """Who is linked to whom through overlaps and partnerships; brokers highlighted, components coloured."""
    actor = web_actor()
    goal = (request.args.get("goal") or "").strip()
    country = (request.args.get("country") or "").strip().upper()
    errors: dict[str, list[str]] = {}
    if goal and not all(p.isdigit() for p in goal.split(".")):
        errors["goal"] = ["must be an SDG goal or target code such as 6 or 6.1"]
    if country and not (len(country) == 2 and country.isalpha()):
        errors["country"] = ["must be a two-letter country code"]
    if errors:
        raise ValidationError("Invalid filter.", errors)
    key = "target" if "." in goal else "goal"
    f = InitiativeFilter(**({key: goal} if goal else {}), country=country or None)
    net = analytics.network_for(actor, f)
    picture = network_picture(net)
    component_of = {o: i for i, comp in enumerate(net["components"]) for o in comp}
    ranked = sorted(net["nodes"], key=lambda n: (-n["betweenness"], -n["degree"],
                                                 (n.get("organisation") or {}).get("name") or ""))
    linked = [n for n in ranked if n["degree"] > 0]
    show_all = request.args.get("all") == "1"
    all_countries = {c["area"] for c in analytics.fragmentation_for(actor, InitiativeFilter(), "country")["cells"]}
    return render_template(
        "network.html", picture=picture, rows=linked if show_all else linked[:TABLE_ROWS], n_linked=len(linked),
        show_all=show_all, component_of=component_of, colours=COMPONENT_COLOURS, components=net["components"],
        isolated=len(net["isolated"]), n_edges=len(net["edges"]), goal=goal, country=country, goals=goal_options(),
        countries=countries_with_names(sorted(all_countries)), brokers={b["id"] for b in picture["brokers"]})
