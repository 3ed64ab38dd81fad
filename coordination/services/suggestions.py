"""Suggestions from an initiative's text: goals and targets, tags, places named.

Also applies confident goals to initiatives registered without any, marked
"suggested" (not the organisation's own choice) so the organisation can accept or
reject them.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..convergence.work import work_labels
from ..errors import NotFound, ValidationError
from ..geo import places_in_text
from ..models import Goal, Initiative, InitiativeGoal, Vision
from ..permissions import Actor
from ..suggest import suggest_goals
from ..suggest.batch import confident_goals
from ..tagging import canonical_label
from ..text import fold_label
from ..tagging.sector_goals import goals_for_tags
from ..tagging.synonyms import DEFAULT_TABLE
from .history import record_change


@lru_cache(maxsize=1)
def _tag_phrases() -> list[tuple[re.Pattern, str]]:
    """Whole-word patterns of every built-in tag and alias, longest first."""
    phrases = []
    for key in DEFAULT_TABLE.keys():
        for alias in {key.replace("-", " "), *DEFAULT_TABLE.aliases_of(key)}:
            folded = fold_label(alias).strip()
            if len(folded) >= 4:
                phrases.append((folded, key))
    phrases.sort(key=lambda p: -len(p[0]))
    return [(re.compile(rf"\b{re.escape(p)}\b"), key) for p, key in phrases]


def tags_in_text(text: str, limit: int = 8) -> list[str]:
    """Canonical labels of built-in tags whose name or alias the text contains."""
    folded = fold_label(text)
    found: list[str] = []
    for pattern, key in _tag_phrases():
        if key not in found and pattern.search(folded):
            found.append(key)
        if len(found) >= limit:
            break
    return [canonical_label(k) for k in found]


def _titles(session: Session, codes: Sequence[str]) -> dict[str, str]:
    rows = session.execute(select(Goal.code, Goal.short_title, Goal.title).join(Vision).where(
        Vision.slug == "sdg", Goal.code.in_(list(codes)))).all()
    return {code: short or title for code, short, title in rows}


def suggest(session: Session, title: str, description: str = "", tags: Sequence[str] = (),
            country: str | None = None) -> dict[str, Any]:
    """Ranked goals (score, confident, applies) and targets (score, confident), suggested tags and places named in the text."""
    if not isinstance(title, str) or not title.strip():
        raise ValidationError("Give at least a title.", {"title": ["is required"]})
    if len(title) > 300 or len(description or "") > 20_000:
        raise ValidationError("Text too long.", {"description": ["at most 20000 characters"]})
    result = suggest_goals(title, description or "", list(tags or ()), country)
    titles = _titles(session, [g.code for g in result.goals] + [t.code for t in result.targets])
    text = f"{title}\n{description or ''}"
    places = places_in_text(text, country)[:5]
    return {
        "goals": [{"code": g.code, "title": titles.get(g.code, ""), "score": g.score, "confident": g.confident,
                   "applies": g.applies, "because": list(g.because)} for g in result.goals],
        "targets": [{"code": t.code, "title": titles.get(t.code, ""), "score": t.score, "confident": t.confident,
                     "applies": None, "because": list(t.because)} for t in result.targets],
        "tags": tags_in_text(text),
        "work": work_labels(title, description or "", list(tags or ())),
        "places": [{"name": p.name, "country": p.country, "admin1": p.admin1, "lat": p.lat, "lon": p.lon}
                   for p in places],
    }


SECTOR_SCORE = 0.6  # the score shown for a goal implied by a sector tag (not by the text model)


def suggested_goal_scores(items: Sequence[tuple[str, str, Sequence[str], Iterable[str]]]) -> list[dict[str, float]]:
    """For each (title, description, tag labels, tag keys) without goals of its own: {code: score}
    of the goals to suggest, the model's confident ones (best first), then its sectors'.

    Scored for the whole batch at once (`suggest.batch`); a text scores the same alone.
    """
    confident = confident_goals([(title, description or "", list(labels)) for title, description, labels, _ in items])
    out = []
    for scores, (_, _, _, keys) in zip(confident, items, strict=True):
        scores = dict(scores)
        for code in goals_for_tags(keys):
            scores.setdefault(code, SECTOR_SCORE)
        out.append(scores)
    return out


def apply_suggested_goals(session: Session, initiative: Initiative) -> None:
    """Give an initiative without goals suggested goals: the model's confident ones, then its sectors'.

    Both are marked "suggested" (not the organisation's own choice), so the organisation can
    accept or reject them. Sector tags matter most for 3W records, which name a cluster
    (WASH, Protection, ...) and never a goal; see coordination/tagging/sector_goals.py.
    """
    if initiative.goal_links:
        return
    scores = suggested_goal_scores([(initiative.title, initiative.description or "",
                                     [link.label for link in initiative.tag_links],
                                     [link.tag.key for link in initiative.tag_links if link.tag is not None])])[0]
    if not scores:
        return
    goals = {g.code: g for g in session.scalars(select(Goal).join(Vision).where(
        Vision.slug == "sdg", Goal.code.in_(list(scores))))}
    initiative.goal_links = [InitiativeGoal(goal=goals[code], goal_id=goals[code].id, source="suggested",
                                            score=score) for code, score in scores.items() if code in goals]


def reject_suggested_goal(session: Session, actor: Actor, initiative: Initiative, code: str) -> None:
    """The organisation rejects a suggested goal; accepting is a PATCH listing it among `goals`."""
    link = next((g for g in initiative.goal_links if g.source == "suggested" and g.goal.code == code), None)
    if link is None:
        raise NotFound(f"Initiative {initiative.id} has no suggested goal {code!r}.")
    initiative.goal_links.remove(link)
    initiative.version += 1
    record_change(session, actor, "initiative", initiative.id, "reject_suggestion", {"suggested": code}, None)
