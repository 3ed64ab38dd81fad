"""Coordinators curate the tag vocabulary: merge tags, add synonyms, undo a merge.

A merge moves every initiative of the merged tags onto the target tag, keeps the old
labels as the target's aliases, and leaves each merged tag pointing at the target, so
labels typed later that normalise to an old key land on the target too (that is the
synonym table). Each merge is recorded with what it moved, so it can be undone.

An initiative whose tags a merge (or its undo) changes gets a new version and a line in its
history, and the engine looks at it again (`UnitOfWork.after_write`), as after an edit: its
overlaps are found anew, and every process's overlap index replays the change.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..errors import Conflict, NotFound, ValidationError
from ..models import Change, Initiative, InitiativeTag, Tag, utcnow
from ..permissions import Actor, require_coordinator
from ..tagging import normalise_tag
from ..unit_of_work import UnitOfWork
from .history import record_change
from .tags import tag_for_label


def _tag(session: Session, key_or_label: str) -> Tag:
    tag = session.scalar(select(Tag).where(Tag.key == key_or_label)) or session.scalar(
        select(Tag).where(Tag.key == normalise_tag(key_or_label)))
    if tag is None:
        raise NotFound(f"No tag {key_or_label!r}.")
    return tag


def _tag_keys(session: Session, ids: list[int]) -> dict[int, list[str]]:
    """The tag keys of each initiative, sorted."""
    keys: dict[int, list[str]] = {i: [] for i in ids}
    for initiative_id, key in session.execute(select(InitiativeTag.initiative_id, Tag.key).join(
            Tag, Tag.id == InitiativeTag.tag_id).where(InitiativeTag.initiative_id.in_(ids))):
        keys[initiative_id].append(key)
    return {i: sorted(k) for i, k in keys.items()}


def _retagged(uow: UnitOfWork, actor: Actor, ids: list[int], before: dict[int, list[str]]) -> None:
    """Initiatives whose tags a merge or its undo moved (their keys `before` it): a new version
    each, a line in each one's history, and the engine looks at them again (together)."""
    session = uow.session
    session.flush()
    after = _tag_keys(session, ids)
    changed = [i for i in ids if after[i] != before[i]]
    if not changed:
        return
    # A new version: cached copies (ETags) and stale edits see that the tags changed.
    session.execute(update(Initiative).where(Initiative.id.in_(changed)).values(
        version=Initiative.version + 1, updated_at=utcnow()).execution_options(synchronize_session=False))
    for initiative_id in changed:
        record_change(session, actor, "initiative", initiative_id, "update",
                      {"tags": before[initiative_id]}, {"tags": after[initiative_id]})
    session.expire_all()  # the versions were a bulk update: reload what the session holds
    uow.after_writes(list(session.scalars(select(Initiative).where(Initiative.id.in_(changed)))))


def merge_tags(uow: UnitOfWork, actor: Actor, sources: list[str], target: str) -> Change:
    """Merge the `sources` tags into `target`; return the recorded change (its id undoes it)."""
    session = uow.session
    require_coordinator(actor)
    if not sources:
        raise ValidationError("Name the tags to merge.", {"from": ["needs at least one tag"]})
    into = _tag(session, target)
    if into.merged_into_id is not None:
        raise ValidationError("The target was itself merged.", {"into": [f"{target!r} was merged into another tag"]})
    moved: list[dict[str, Any]] = []
    touched: dict[int, list[str]] = {}  # initiative -> its tag keys before the merge
    for name in sources:
        tag = _tag(session, name)
        if tag.id == into.id:
            raise ValidationError("A tag cannot be merged into itself.", {"from": [f"{name!r} is the target"]})
        if tag.merged_into_id is not None:
            raise Conflict(f"Tag {name!r} is already merged.", {"from": [f"{name!r} is already merged"]})
        has_target = set(session.scalars(select(InitiativeTag.initiative_id).where(InitiativeTag.tag_id == into.id)))
        links = list(session.scalars(select(InitiativeTag).where(InitiativeTag.tag_id == tag.id)))
        new = [link.initiative_id for link in links if link.initiative_id not in touched]
        touched.update(_tag_keys(session, new) if new else {})
        record = {"tag_id": tag.id, "key": tag.key, "aliases_before": list(into.aliases or []), "links": []}
        for link in links:
            record["links"].append({"initiative_id": link.initiative_id, "label": link.label,
                                    "duplicate": link.initiative_id in has_target})
            if link.initiative_id in has_target:
                session.delete(link)
            else:
                link.tag_id = into.id
        into.aliases = list(dict.fromkeys([*(into.aliases or []), tag.label, *(tag.aliases or [])]))
        tag.merged_into_id = into.id
        moved.append(record)
    session.flush()
    change = record_change(session, actor, "tag", into.id, "merge", {"merged": moved}, {"into": into.key})
    _retagged(uow, actor, sorted(touched), touched)
    return change


def undo_merge(uow: UnitOfWork, actor: Actor, change_id: int) -> Tag:
    """Undo a recorded merge: the merged tags and their initiatives come back."""
    session = uow.session
    require_coordinator(actor)
    change = session.get(Change, change_id)
    if change is None or change.entity_type != "tag" or change.action != "merge":
        raise NotFound(f"No tag merge {change_id}.")
    if session.scalar(select(Change.id).where(Change.entity_type == "tag", Change.action == "undo_merge",
                                              Change.entity_id == change.entity_id, Change.id > change.id,
                                              Change.after["change_id"].as_integer() == change.id)):
        raise Conflict("This merge was already undone.", {"change_id": ["already undone"]})
    into = session.get(Tag, change.entity_id)
    ids = sorted({item["initiative_id"] for record in change.before["merged"] for item in record["links"]})
    before = _tag_keys(session, ids)
    for record in change.before["merged"]:
        tag = session.get(Tag, record["tag_id"])
        tag.merged_into_id = None
        for item in record["links"]:
            link = session.scalar(select(InitiativeTag).where(
                InitiativeTag.initiative_id == item["initiative_id"], InitiativeTag.tag_id == into.id))
            if item["duplicate"]:
                session.add(InitiativeTag(initiative_id=item["initiative_id"], tag_id=tag.id, label=item["label"]))
            elif link is not None:
                link.tag_id = tag.id
        into.aliases = record["aliases_before"]
    record_change(session, actor, "tag", into.id, "undo_merge", None, {"change_id": change.id})
    _retagged(uow, actor, ids, before)
    return into


def add_synonym(uow: UnitOfWork, actor: Actor, label: str, target: str) -> Tag:
    """Make a label a synonym of a tag: labels normalising like it land on the tag from now on."""
    session = uow.session
    require_coordinator(actor)
    if not isinstance(label, str) or not label.strip():
        raise ValidationError("Give the synonym.", {"label": ["is required"]})
    into = _tag(session, target)
    alias = tag_for_label(session, label)
    if alias.id == into.id:
        return into
    session.flush()
    merge_tags(uow, actor, [alias.key], into.key)
    return into
