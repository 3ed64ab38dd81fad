"""Reads of the goal tree: visions with their goals, counts of work per goal, who works on one."""
from __future__ import annotations

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session, selectinload

from ..models import Goal, Initiative, InitiativeGoal, Organisation, Vision
from ..permissions import Actor
from ..queries import InitiativeFilter, filtered, visible_to


def visions_with_goals(session: Session) -> list[Vision]:
    """Every vision with its goals and targets loaded (SDGs first)."""
    visions = session.scalars(select(Vision).options(
        selectinload(Vision.goals).selectinload(Goal.children)).order_by(Vision.builtin.desc(), Vision.name))
    return list(visions.unique())


def sdg_goals(session: Session) -> dict[str, Goal]:
    """The SDG goals and targets by code."""
    rows = session.scalars(select(Goal).join(Vision, Vision.id == Goal.vision_id).where(Vision.slug == "sdg"))
    return {g.code: g for g in rows}


def sdg_titles(session: Session, codes: list[str]) -> dict[str, str]:
    """Short title (or title) of each of these SDG codes that exists."""
    rows = session.execute(select(Goal.code, Goal.short_title, Goal.title).join(Vision).where(
        Vision.slug == "sdg", Goal.code.in_(codes)))
    return {code: short or title for code, short, title in rows}


def goal_counts(session: Session, actor: Actor) -> dict[int, tuple[int, int]]:
    """goal id → (initiatives, organisations) the actor can see; a goal counts its targets' work."""
    visible = visible_to(actor, select(Initiative.id)).scalar_subquery()
    counts: dict[int, tuple[int, int]] = {}
    for key in (Goal.id, func.coalesce(Goal.parent_id, Goal.id)):  # targets, then goal families
        stmt = (select(key, func.count(distinct(Initiative.id)), func.count(distinct(Initiative.organisation_id)))
                .select_from(InitiativeGoal).join(Initiative, Initiative.id == InitiativeGoal.initiative_id)
                .join(Goal, Goal.id == InitiativeGoal.goal_id).where(Initiative.id.in_(visible)).group_by(key))
        for goal_id, n, orgs in session.execute(stmt):
            counts[goal_id] = (n, orgs)
    return counts


def organisations_working_on(session: Session, actor: Actor, f: InitiativeFilter,
                             limit: int = 50) -> list[tuple[Organisation, int]]:
    """(organisation, initiatives) among the initiatives matching `f`, most first."""
    ids = filtered(session, actor, f).with_only_columns(Initiative.id).scalar_subquery()
    return list(session.execute(
        select(Organisation, func.count(Initiative.id)).join(Initiative, Initiative.organisation_id == Organisation.id)
        .where(Initiative.id.in_(ids)).group_by(Organisation.id)
        .order_by(func.count(Initiative.id).desc(), Organisation.name).limit(limit)).all())
