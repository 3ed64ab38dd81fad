"""Loading visions and resolving goal codes against them."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager

from .. import vocab
from ..errors import Conflict, NotFound, ValidationError
from ..models import Goal, Vision
from ..permissions import Actor, require_coordinator
from ..vocab import goal_reference, split_goal_reference
from .history import record_change
from ..text import slugify

SDG_SLUG = "sdg"
SEED_DIR = Path(__file__).resolve().parents[2] / "seed_data"


def load_vision_document(session: Session, doc: dict[str, Any], builtin: bool = False) -> Vision:
    """Create or refresh a vision and its goal tree from a document; idempotent."""
    vision = session.scalar(select(Vision).where(Vision.slug == doc["slug"]))
    if vision is None:
        vision = Vision(slug=doc["slug"], name=doc["name"], builtin=builtin)
        session.add(vision)
    vision.name, vision.description = doc["name"], doc.get("description", "")
    session.flush()
    existing = {g.code: g for g in session.scalars(select(Goal).where(Goal.vision_id == vision.id))}

    def upsert(item: dict, parent: Goal | None, level: str, position: int) -> Goal:
        goal = existing.get(item["code"]) or Goal(vision_id=vision.id, code=item["code"])
        goal.parent, goal.level, goal.title = parent, level, item["title"]
        goal.short_title, goal.colour = item.get("short_title"), item.get("colour")
        goal.sdg_code, goal.position = item.get("sdg_code"), position
        session.add(goal)
        return goal

    for i, item in enumerate(doc["goals"]):
        parent = upsert(item, None, "goal", i)
        for j, target in enumerate(item.get("targets", [])):
            upsert({**target, "colour": item.get("colour")}, parent, "target", j)
    session.flush()
    return vision


def ensure_sdg_vision(session: Session, path: Path | None = None) -> Vision:
    """Load the built-in UN 2030 Agenda from seed_data/sdg_vision.json (idempotent)."""
    doc = json.loads((path or SEED_DIR / "sdg_vision.json").read_text(encoding="utf-8"))
    return load_vision_document(session, doc, builtin=True)


def create_vision(session: Session, actor: Actor, doc: dict[str, Any]) -> Vision:
    """A coordinator adds a coalition's own vision; each goal may link to an SDG code."""
    require_coordinator(actor)
    errors: dict[str, list[str]] = {}
    name = (doc.get("name") or "").strip()
    if not name:
        errors["name"] = ["is required"]
    slug = doc.get("slug") or slugify(name)
    if session.scalar(select(Vision.id).where(Vision.slug == slug)):
        raise Conflict(f"A vision with slug {slug!r} already exists.", {"slug": ["already exists"]})
    sdg_codes = set(session.scalars(select(Goal.code).join(Vision).where(Vision.slug == SDG_SLUG)))
    goals = doc.get("goals") or []
    if not goals:
        errors.setdefault("goals", []).append("a vision needs at least one goal")
    for i, g in enumerate(goals):
        if not str(g.get("code") or "").strip() or not str(g.get("title") or "").strip():
            errors.setdefault(f"goals.{i}", []).append("needs a code and a title")
        link = g.get("sdg_code")
        if link is not None and vocab.normalise_goal_code(link) not in sdg_codes:
            errors.setdefault(f"goals.{i}.sdg_code", []).append(f"{link!r} is not an SDG goal or target")
        elif link is not None:
            g["sdg_code"] = vocab.normalise_goal_code(link)
    if errors:
        raise ValidationError("Invalid vision.", errors)
    vision = load_vision_document(session, {"slug": slug, "name": name,
                                            "description": doc.get("description", ""), "goals": goals})
    record_change(session, actor, "vision", vision.id, "create", None, {"slug": slug, "name": name})
    return vision


def resolve_goals(session: Session, codes: Iterable[str]) -> list[Goal]:
    """Goals for codes: "6.1" in the SDG vision, "slug:code" in another vision.

    Unknown codes raise ValidationError naming each one.
    """
    wanted = list(dict.fromkeys(codes))
    if not wanted:
        return []
    by_vision: dict[str, list[str]] = {}
    for code in wanted:
        slug, local = split_goal_reference(code)
        by_vision.setdefault(slug, []).append(local)
    found: dict[str, Goal] = {}
    for slug, locals_ in by_vision.items():
        rows = session.scalars(select(Goal).join(Vision).options(contains_eager(Goal.vision))  # `ref` reads it
                               .where(Vision.slug == slug, Goal.code.in_(locals_)))
        for goal in rows:
            found[goal_reference(slug, goal.code)] = goal
    unknown = [c for c in wanted if c not in found]
    if unknown:
        raise ValidationError(f"Unknown goal code {unknown[0]!r}.",
                              {"goals": [f"{c!r} is not a known goal or target code" for c in unknown]})
    return [found[c] for c in wanted]


def get_goal(session: Session, code: str) -> Goal:
    """One goal by code (SDG by default, "slug:code" otherwise)."""
    norm = vocab.normalise_goal_code(code) if ":" not in code else code
    if norm is None:
        raise NotFound(f"No goal with code {code!r}.")
    try:
        return resolve_goals(session, [norm])[0]
    except ValidationError:
        raise NotFound(f"No goal with code {code!r}.") from None
