"""The overlaps page: suggested overlaps filtered by goal, country and area, status and score, decided in place.

Everyone sees the overlaps whose two initiatives they may read (coordination.visibility);
coordinators may decide on any of them, an organisation's members on those of their own
organisation (coordination.services.overlaps.decide_overlap checks it again).
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for

from coordination.errors import ValidationError
from coordination.geo.gazetteer import admin1_areas
from coordination.models import Overlap, OverlapKind, OverlapStatus
from coordination.permissions import Actor, require_authenticated
from coordination.reads.overlaps import OverlapQuery, overlap_page, visible_countries
from coordination.services.overlaps import decide_overlap

from ..extensions import db
from ..unit_of_work import unit_of_work
from . import bp
from .common import web_actor
from .coordinator_helpers import countries_with_names, country_name, goal_options
from .i18n import _

PAGE_SIZE = 30
DECISIONS = {"confirm": OverlapStatus.CONFIRMED, "dismiss": OverlapStatus.DISMISSED,
             "coordinating": OverlapStatus.COORDINATING, "reopen": OverlapStatus.SUGGESTED}
STATUS_WORDS = {OverlapStatus.SUGGESTED: "suggested", OverlapStatus.CONFIRMED: "confirmed",
                OverlapStatus.COORDINATING: "coordinating", OverlapStatus.DISMISSED: "dismissed"}


def may_decide(actor: Actor, row: Overlap) -> bool:
    """Coordinators decide on any overlap they see; members and admins on their organisation's."""
    if actor.role in ("coordinator", "platform_admin", "system"):
        return True
    return actor.role in ("member", "admin") and actor.organisation_id in (row.organisation_a_id,
                                                                           row.organisation_b_id)


def _args() -> dict:
    """The filters of the request, checked."""
    args = request.args
    goal = (args.get("goal") or "").strip()
    country = (args.get("country") or "").strip().upper()
    area = (args.get("area") or "").strip().upper()
    status = (args.get("status") or "").strip()
    kind = (args.get("kind") or "").strip()
    errors: dict[str, list[str]] = {}
    if kind and kind not in OverlapKind.ALL:
        errors["kind"] = [f"must be one of {', '.join(OverlapKind.ALL)}"]
    if goal and not all(p.isdigit() for p in goal.split(".")):
        errors["goal"] = ["must be an SDG goal or target code such as 6 or 6.1"]
    if country and not (len(country) == 2 and country.isalpha()):
        errors["country"] = ["must be a two-letter country code"]
    if area and not area.isalnum():
        errors["area"] = ["must be a first-level area of the chosen country"]
    elif area not in dict(admin1_areas(country)):
        area = ""  # left over from another country: the select lists the chosen country's areas
    if status and status not in (*OverlapStatus.ALL, "all"):
        errors["status"] = [f"must be one of {', '.join(OverlapStatus.ALL)} or all"]
    try:
        min_score = int(args.get("min_score") or 0)
        if not 0 <= min_score <= 100:
            raise ValueError
    except ValueError:
        errors["min_score"] = ["must be a whole number of percent between 0 and 100"]
        min_score = 0
    try:
        page = max(1, int(args.get("page") or 1))
    except ValueError:
        page = 1
    if errors:
        raise ValidationError("Invalid filter.", errors)
    return {"goal": goal, "country": country, "area": area, "status": status, "kind": kind, "min_score": min_score,
            "page": page, "mine": args.get("mine", "")}


def overlap_rows(actor: Actor, a: dict) -> tuple[list[Overlap], int]:
    """One page of the matching overlaps, best first, and how many match."""
    query = OverlapQuery(goal=a["goal"], country=a["country"], status=a["status"], kind=a["kind"],
                         area=a["area"], min_score=a["min_score"], mine=bool(a["mine"]), page=a["page"])
    return overlap_page(db.session, actor, query, PAGE_SIZE)


def country_options(actor: Actor) -> list[tuple[str, str]]:
    """Countries where the reader can see work, by name."""
    return countries_with_names(visible_countries(db.session, actor))


@bp.get("/overlaps")
def overlaps():
    """Overlapping efforts of different organisations, with both organisations and the explanation."""
    actor = web_actor()
    a = _args()
    if "mine" not in request.args and actor.organisation_id is not None and not actor.reads_everything:
        a["mine"] = "1"  # an organisation starts with its own overlaps
    rows, total = overlap_rows(actor, a)
    keep = {k: v for k, v in a.items() if v and k != "page"}
    pages = max(1, -(-total // PAGE_SIZE))
    here = url_for("pages.overlaps", **keep, page=a["page"]) if a["page"] > 1 else url_for("pages.overlaps", **keep)
    return render_template(
        "overlaps.html", rows=rows, total=total, a=a, goals=goal_options(), countries=country_options(actor),
        areas=admin1_areas(a["country"]), country_label=country_name(a["country"]),
        statuses=OverlapStatus.ALL, may_decide=lambda row: may_decide(actor, row), here=here,
        prev_url=url_for("pages.overlaps", **keep, page=a["page"] - 1) if a["page"] > 1 else None,
        next_url=url_for("pages.overlaps", **keep, page=a["page"] + 1) if a["page"] < pages else None,
        pages=pages, first=(a["page"] - 1) * PAGE_SIZE + 1, has_org=actor.organisation_id is not None,
        signed_in=actor.authenticated, status_words=STATUS_WORDS, clear_url=url_for("pages.overlaps", mine=""))


def _back(default: str) -> str:
    """Where to return after a decision: the overlaps page the form was on (never another site)."""
    target = request.form.get("next") or ""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/overlaps") or "\\" in target:
        return default
    return target


@bp.post("/overlaps/<int:overlap_id>/decision")
def overlap_decision(overlap_id: int):
    """Confirm, dismiss, mark as coordinating or reopen one overlap; back to the same list."""
    actor = web_actor()
    require_authenticated(actor)
    status = DECISIONS.get(request.form.get("decision", ""))
    if status is None:
        raise ValidationError("Unknown decision.", {"decision": [f"must be one of {', '.join(DECISIONS)}"]})
    with unit_of_work() as uow:
        decide_overlap(uow.session, actor, overlap_id, status)
        uow.commit()
    flash(_("Decision recorded: the overlap is now %(status)s.", status=STATUS_WORDS[status]))
    return redirect(_back(url_for("pages.overlaps")) + f"#overlap-{overlap_id}")

