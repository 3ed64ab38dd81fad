"""REST: coordinators merge tags, undo merges and add synonyms."""
from __future__ import annotations

from flask import jsonify

from coordination.permissions import require_coordinator
from coordination.services import tag_curation

from ..auth import current_actor
from ..extensions import db
from ..schemas import SynonymInputSchema, TagMergeInputSchema, load_or_raise
from . import bp
from .common import json_body


def _tag_dict(tag) -> dict:
    return {"key": tag.key, "label": tag.label, "aliases": tag.aliases or []}


@bp.post("/tags/merge")
def merge():
    """{"from": ["water-sanitation", ...], "into": "wash"} → the merge, with the id that undoes it."""
    actor = current_actor()
    require_coordinator(actor)
    body = load_or_raise(TagMergeInputSchema(), json_body())
    change = tag_curation.merge_tags(db.session, actor, list(dict.fromkeys(body["from_"])), body["into"])
    return jsonify({"merge_id": change.id, "into": change.after["into"],
                    "merged": [m["key"] for m in change.before["merged"]],
                    "initiatives_moved": sum(len(m["links"]) for m in change.before["merged"])})


@bp.post("/tags/merges/<int:merge_id>/undo")
def undo(merge_id: int):
    """Undo a merge: the merged tags and their initiatives come back."""
    return jsonify(_tag_dict(tag_curation.undo_merge(db.session, current_actor(), merge_id)))


@bp.post("/tags/<key>/synonyms")
def synonym(key: str):
    """{"label": "Agua y saneamiento"}: from now on this label means the tag `key`."""
    actor = current_actor()
    require_coordinator(actor)
    body = load_or_raise(SynonymInputSchema(), json_body())
    return jsonify(_tag_dict(tag_curation.add_synonym(db.session, actor, body["label"], key)))
