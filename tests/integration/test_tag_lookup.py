"""A batch's tags read at once are the tags one lookup per label gives.

A bulk import creates a batch's missing tags in one statement (`create_missing_tags`) and reads
them in one more (`tags_for_labels`); a registration looks each label up on its own
(`tag_for_label`). Both must give the same live tag per label, follow merges the same way and
leave the same aliases behind.
"""
from __future__ import annotations

from sqlalchemy import select

from coordination.models import Tag
from coordination.services.tags import create_missing_tags, tag_for_label, tags_for_labels

LABELS = ["Water", "water ", "WASH", "Hand washing", "brand new thing", "Brand New Thing", "Old name",
          "old name", "Water", "Cash transfers", "cash-transfers", "  Latrines"]


def _outcome(session, run) -> tuple[dict, list]:
    """What `run` gives per label and every tag afterwards (by key: ids differ between runs)."""
    savepoint = session.begin_nested()
    tags = run()
    session.flush()
    key_of = {t.id: t.key for t in session.scalars(select(Tag))}
    given = {label: (tag.key, tag.label, list(tag.aliases or [])) for label, tag in tags.items()}
    stored = sorted((t.key, t.label, tuple(t.aliases or ()), key_of.get(t.merged_into_id))
                    for t in session.scalars(select(Tag)))
    savepoint.rollback()
    return given, stored


def test_a_batch_s_tags_read_at_once_are_those_one_lookup_per_label_gives(session):
    water = Tag(key="water", label="Water", aliases=["H2O"])
    session.add(water)
    session.flush()
    session.add(Tag(key="old-name", label="Old name", aliases=[], merged_into_id=water.id))
    session.add(Tag(key="latrine", label="Latrine", aliases=[]))
    session.commit()

    def one_by_one():
        return {label: tag_for_label(session, label) for label in LABELS}

    def at_once():
        create_missing_tags(session, LABELS)
        return tags_for_labels(session, LABELS)

    expected, expected_stored = _outcome(session, one_by_one)
    given, stored = _outcome(session, at_once)
    assert given == expected
    assert stored == expected_stored
    # What the two agree on is what a person expects: merges followed, new variants kept as aliases.
    assert expected["Old name"][0] == "water" and "Old name" in expected["Water"][2]
    assert expected["brand new thing"][0] == expected["Brand New Thing"][0]
    assert ("brand-new-thing", "Brand new thing", ("brand new thing", "Brand New Thing"), None) in stored
    assert expected["  Latrines"][0] == "latrine" and "Latrines" in expected["  Latrines"][2]
