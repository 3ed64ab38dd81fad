"""Tags as the services use them: labels in, normalised Tag rows out."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import Tag
from ..tagging import canonical_label, normalise_tag


def _create_tag(session: Session, key: str, label: str) -> Tag:
    """Insert a tag; if a concurrent transaction inserted the same key first, use theirs.

    The insert runs in a savepoint: on PostgreSQL it waits on the unique index until the
    other transaction ends and then fails, which rolls back only the savepoint; the
    re-select (a new statement, so a new snapshot under READ COMMITTED) finds their row.
    """
    tag = Tag(key=key, label=label, aliases=[])
    try:
        with session.begin_nested():
            session.add(tag)
            session.flush()
    except IntegrityError:
        existing = session.scalar(select(Tag).where(Tag.key == key))
        if existing is None:
            raise
        return existing
    return tag


def tag_for_label(session: Session, label: str) -> Tag:
    """The live tag a label normalises to, created on first use; merged tags are followed."""
    key = normalise_tag(label) or label.strip().lower()
    tag = session.scalar(select(Tag).where(Tag.key == key))
    if tag is None:
        tag = _create_tag(session, key, canonical_label(key) or label.strip())
    seen = set()
    while tag.merged_into_id is not None and tag.id not in seen:
        seen.add(tag.id)
        tag = session.get(Tag, tag.merged_into_id)
    if label.strip() != tag.label and label.strip() not in (tag.aliases or []):
        tag.aliases = [*(tag.aliases or []), label.strip()]
    return tag
