"""REST: /visions and /goals — the goal trees initiatives register against."""
from __future__ import annotations

from flask import jsonify, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coordination.errors import NotFound
from coordination.models import Goal, Vision
from coordination.permissions import require_coordinator
from coordination.services import visions as service

from ..extensions import db
from ..schemas import VisionInputSchema
from ..unit_of_work import unit_of_work
from . import bp
from .common import caller_and_body, created


def goal_to_dict(goal: Goal, with_targets: bool = True) -> dict:
    """A goal and, optionally, its targets."""
    out = {"code": goal.code, "title": goal.title, "short_title": goal.short_title,
           "colour": goal.colour, "level": goal.level, "sdg_code": goal.sdg_code}
    if with_targets:
        out["targets"] = [goal_to_dict(t, False) for t in goal.children]
    return out


def vision_to_dict(vision: Vision) -> dict:
    """A vision with its goal tree."""
    return {"slug": vision.slug, "name": vision.name, "description": vision.description,
            "goals": [goal_to_dict(g) for g in vision.goals if g.parent_id is None]}


def _visions():
    return db.session.scalars(select(Vision).order_by(Vision.id).options(
        selectinload(Vision.goals).selectinload(Goal.children)))


@bp.get("/visions")
def list_visions():
    """Every vision with its goal tree."""
    return jsonify({"items": [vision_to_dict(v) for v in _visions()]})


@bp.post("/visions")
def create_vision():
    """A coordinator adds a coalition's vision; goals may link to SDG codes (`sdg_code`)."""
    actor, doc = caller_and_body(require_coordinator, VisionInputSchema())
    with unit_of_work() as uow:
        vision = service.create_vision(uow.session, actor, doc)
        uow.commit()
    return created(vision_to_dict(vision), url_for("rest.list_goals", vision=vision.slug))


@bp.get("/goals")
def list_goals():
    """The goal tree of one vision (`vision`, default the SDGs)."""
    slug = request.args.get("vision", "sdg")
    vision = next((v for v in _visions() if v.slug == slug), None)
    if vision is None:
        raise NotFound(f"No vision {slug!r}.")
    return jsonify(vision_to_dict(vision))


@bp.get("/goals/<code>")
def get_goal(code: str):
    """One goal or target by code ("6", "6.1", "6.A" is read as "6.a")."""
    return jsonify(goal_to_dict(service.get_goal(db.session, code)))
