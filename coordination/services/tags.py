"""Tags as the services use them: labels in, normalised Tag rows out."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Tag
from ..tagging import canonical_label, normalise_tag


def tag_for_label(session: Session, label: str) -> Tag:
    """The live tag a label normalises to, created on first use; merged tags are followed."""
    key = normalise_tag(label) or label.strip().lower()
    tag = session.scalar(select(Tag).where(Tag.key == key))
    if tag is None:
        tag = Tag(key=key, label=canonical_label(key) or label.strip(), aliases=[])
        session.add(tag)
        session.flush()
    seen = set()
    while tag.merged_into_id is not None and tag.id not in seen:
        seen.add(tag.id)
        tag = session.get(Tag, tag.merged_into_id)
    if label.strip() != tag.label and label.strip() not in (tag.aliases or []):
        tag.aliases = [*(tag.aliases or []), label.strip()]
    return tag
