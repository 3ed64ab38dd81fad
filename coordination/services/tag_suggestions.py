"""Tags that name the same kind of work, in any language: suggested merges for coordinators.

People type "boreholes", "pozos", "forages" and "hand pumps" for one kind of work. The synonym
table joins the labels someone already curated; this finds the rest through the engine's own
reading of work (`convergence.work`): every live tag whose label names exactly one kind of work
is grouped with the other tags naming that kind, and a group of two or more is a suggested merge
into its most used tag. Nothing is merged here: a coordinator decides (`tag_curation.merge_tags`).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..convergence.work import LABELS, work_types
from ..models import InitiativeTag, Tag
from ..permissions import Actor, require_coordinator


def merge_suggestions(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """Groups of live tags naming the same single kind of work, most used first in each group,
    the largest groups first: {"work", "work_label", "into", "tags": [{"key", "label", "count"}]}."""
    require_coordinator(actor)
    usage = (select(Tag, func.count(InitiativeTag.initiative_id))
             .outerjoin(InitiativeTag, InitiativeTag.tag_id == Tag.id)
             .where(Tag.merged_into_id.is_(None)).group_by(Tag.id))
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for tag, count in session.execute(usage):
        kinds = work_types(" ".join([tag.label, *(tag.aliases or [])]))
        if len(kinds) == 1:
            groups[next(iter(kinds))].append({"key": tag.key, "label": tag.label, "count": int(count)})
    found = []
    for code, tags in groups.items():
        if len(tags) < 2:
            continue
        tags.sort(key=lambda t: (-t["count"], t["key"]))
        found.append({"work": code, "work_label": LABELS[code], "into": tags[0]["key"], "tags": tags})
    found.sort(key=lambda g: (-len(g["tags"]), -sum(t["count"] for t in g["tags"]), g["work"]))
    return found
