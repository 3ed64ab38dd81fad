"""Tags as the services use them: labels in, normalised Tag rows out."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
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


def _key(label: str) -> str:
    """The key a label normalises to."""
    return normalise_tag(label) or label.strip().lower()


def _new_label(key: str, label: str) -> str:
    """The label a new tag of `key` takes, first named `label`."""
    return canonical_label(key) or label.strip()


def create_missing_tags(session: Session, labels: Iterable[str]) -> None:
    """Insert at once the tags `tag_for_label` would create for `labels`, in that order (a bulk
    import's batch: one statement, not a savepoint and an insert each). A key another
    transaction inserts meanwhile is left as that transaction wrote it."""
    wanted: dict[str, str] = {}
    for label in labels:
        key = _key(label)
        if key not in wanted:
            wanted[key] = _new_label(key, label)
    if not wanted:
        return
    stored = set(session.scalars(select(Tag.key).where(Tag.key.in_(list(wanted)))))
    rows = [{"key": key, "label": label, "aliases": []} for key, label in wanted.items() if key not in stored]
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert if dialect == "sqlite" else None
    if insert is None:  # elsewhere: one at a time, as on first use
        for row in rows:
            _create_tag(session, row["key"], row["label"])
        return
    session.execute(insert(Tag).on_conflict_do_nothing(index_elements=["key"]), rows)


def tag_for_label(session: Session, label: str) -> Tag:
    """The live tag a label normalises to, created on first use; merged tags are followed."""
    key = _key(label)
    tag = session.scalar(select(Tag).where(Tag.key == key))
    if tag is None:
        tag = _create_tag(session, key, _new_label(key, label))
    return _live_named(session, tag, label)


def tags_for_labels(session: Session, labels: Iterable[str]) -> dict[str, Tag]:
    """`tag_for_label` of each label, in order, the stored tags of all of them read in one
    statement (a bulk import's batch: after `create_missing_tags`, nothing is left to create)."""
    wanted = {label: _key(label) for label in labels}
    found = {tag.key: tag for tag in session.scalars(select(Tag).where(Tag.key.in_(set(wanted.values()))))} \
        if wanted else {}
    tags: dict[str, Tag] = {}
    for label, key in wanted.items():
        tag = found.get(key)
        if tag is None:
            tag = found[key] = _create_tag(session, key, _new_label(key, label))
        tags[label] = _live_named(session, tag, label)
    return tags


def _live_named(session: Session, tag: Tag, label: str) -> Tag:
    """The live tag of `tag` (merges followed), the label kept among its aliases if new to it."""
    seen = set()
    while tag.merged_into_id is not None and tag.id not in seen:
        seen.add(tag.id)
        tag = session.get(Tag, tag.merged_into_id)
    if label.strip() != tag.label and label.strip() not in (tag.aliases or []):
        tag.aliases = [*(tag.aliases or []), label.strip()]
    return tag
