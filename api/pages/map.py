"""The goal map at `/`: a folium (Leaflet) map served entirely from /static, with filters.

folium renders the map element and its script; its CDN defaults (Leaflet from jsDelivr,
jQuery, Bootstrap, awesome-markers) are replaced by the vendored Leaflet, so the page
works with no internet. Markers come from `/map/initiatives.geojson` (see geojson.py),
fetched by static/js/map.js for the current viewport and filters.
"""
from __future__ import annotations

import math
import re

from flask import current_app, render_template, request, url_for
from markupsafe import Markup

from coordination import vocab
from coordination.mapping.overlaps import MIN_ZOOM
from coordination.reads.map import public_countries, public_organisations

from ..extensions import db
from ..security import csp_nonce
from . import bp
from .common import visions_with_goals
from .i18n import _

FILTERS = ("vision", "goal", "target", "tag", "organisation", "country", "status", "year")
LAYERS = ("overlaps", "groups")  # convergence overlays, both on unless `layers=` says otherwise


def _float_arg(name: str, default: float, lo: float, hi: float) -> float:
    try:
        value = float(request.args.get(name, default))
    except ValueError:
        return default
    return min(max(value, lo), hi) if math.isfinite(value) else default


def render_folium_map(lat: float = 10.0, lon: float = 15.0, zoom: int = 2) -> dict[str, Markup]:
    """folium's header, map element and script with local assets only."""
    import folium  # here: its import and templates cost ~0.4 s, which a process not drawing a map never pays

    m = folium.Map(location=[lat, lon], zoom_start=zoom, tiles=None, control_scale=True,
                   prefer_canvas=True, min_zoom=1, max_bounds=True, world_copy_jump=False)
    m.default_js = [("leaflet", url_for("static", filename="vendor/leaflet/leaflet.js"))]
    m.default_css = [("leaflet_css", url_for("static", filename="vendor/leaflet/leaflet.css"))]
    tiles = current_app.config.get("MAP_TILE_URL")
    if tiles:
        folium.TileLayer(tiles=tiles, attr=current_app.config.get("MAP_TILE_ATTRIBUTION", "Map tiles"),
                         name=_("Street map"), max_zoom=19).add_to(m)
    root = m.get_root()
    root.render()
    # folium's viewport meta forbids zooming the page, which people with low vision need.
    header = re.sub(r"<meta name=\"viewport\"[^>]*>", "", root.header.render())
    # folium's own inline <script>/<style> (never user input) carry the CSP nonce of this response.
    header = re.sub(r"<(script|style)>", lambda m: f'<{m.group(1)} nonce="{csp_nonce()}">', header)
    return {"header": Markup(header), "html": Markup(root.html.render()),
            "script": Markup(root.script.render()), "name": m.get_name()}


def filter_choices() -> dict:
    """Options of the filter form: visions and goals, countries and organisations with work."""
    return {"visions": visions_with_goals(), "countries": public_countries(db.session),
            "organisations": public_organisations(db.session),
            "statuses": list(vocab.STATUS_CODES)}


def goal_colour_names() -> dict[str, str]:
    """Colour of each goal (upper-case hex) → its name ("Goal 6: Clean water and sanitation"), for the
    map's colour legend: markers and circles carry only a colour."""
    names: dict[str, str] = {}
    for vision in visions_with_goals():
        for g in vision.goals:
            if g.level != "goal" or not g.colour or g.colour.upper() in names:
                continue
            title = g.short_title or g.title
            names[g.colour.upper()] = (_("Goal %(code)s: %(title)s", code=g.code, title=title) if vision.slug == "sdg"
                                       else f"{vision.name} {g.code}: {title}")
    return names


def map_text() -> dict:
    """Text static/js/map.js shows for the convergence layers and the colour legend (translated here,
    filled in there)."""
    return {
        "goal_colours": goal_colour_names(),
        "colour_heading": _("Colour: primary goal"),
        "colour_note": _("A circle takes the colour of most initiatives in it."),
        "no_goal": _("Grey: no goal given"),
        "empty": _("No initiatives in this part of the map yet. Zoom out to see more, or register one."),
        "empty_filtered": _("No initiatives match these filters here. Zoom out, clear the filters, or register one."),
        "zoom_in": _("Zoom in to a city or district to see overlaps."),
        "loading": _("Loading overlaps…"),
        "none": _("No overlap between initiatives of different organisations in view."),
        "failed": _("The overlaps could not load. Check your connection and try again."),
        "summary": _("Overlaps in view: %(total)s: %(lines)s drawn as lines, %(same)s between initiatives at the "
                     "same place (ringed). Convergence groups: %(groups)s."),
        "summary_capped": _("Overlaps in view: %(total)s; the %(shown)s strongest are shown: %(lines)s as lines, "
                            "%(same)s between initiatives at the same place (ringed); %(rest)s weaker ones are only "
                            "counted. Convergence groups: %(groups)s."),
        "same_place_ring": _("%(count)s overlaps between initiatives at this same place (see the list of overlaps in view)"),
        "score": _("Overlap score: %(score)s"),
        "status": _("Status: %(status)s"),
        "group": _("Convergence group: %(initiatives)s initiatives of %(organisations)s organisations."),
        "institutional": _("An institutional actor takes part."),
        "grassroots": _("Grassroots only: an institutional ally could help (bottom up needs an ally up)."),
        "all_groups": _("See all convergence groups"),
        "approximate": _("(approximate place)"),
        "and": _("and"),
    }


@bp.get("/")
def index():
    """The public goal map; the query string holds filters and view so a link reproduces it."""
    lat = _float_arg("lat", 10.0, -85, 85)
    lon = _float_arg("lon", 15.0, -180, 180)
    zoom = int(_float_arg("z", 2, 1, 18))
    folium_parts = render_folium_map(lat, lon, zoom)
    values = {k: request.args.get(k, "") for k in FILTERS}
    layers = LAYERS if request.args.get("layers") is None else tuple(
        name for name in request.args["layers"].split(",") if name in LAYERS)
    return render_template("map.html", folium=folium_parts, values=values, layers=layers,
                           overlaps_min_zoom=MIN_ZOOM, map_text=map_text(), **filter_choices())
