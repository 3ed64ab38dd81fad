"""REST: coordinators merge tags, undo merges and add synonyms."""
from __future__ import annotations

from flask import jsonify

from coordination.errors import ValidationError
from coordination.services import tag_curation

from ..auth import current_actor
from ..extensions import db
from . import bp
from .common import json_body


def _tag_dict(tag) -> dict:
    return {"key": tag.key, "label": tag.label, "aliases": tag.aliases or []}


@bp.post("/tags/merge")
def merge():
    """{"from": ["water-sanitation", ...], "into": "wash"} → the merge, with the id that undoes it."""
    body = json_body()
    if not isinstance(body, dict) or not isinstance(body.get("from"), list) or not isinstance(body.get("into"), str):
        raise ValidationError("Say which tags to merge into which.",
                              {"from": ["a list of tag keys"], "into": ["a tag key"]})
    change = tag_curation.merge_tags(db.session, current_actor(), body["from"], body["into"])
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
    body = json_body()
    label = body.get("label") if isinstance(body, dict) else None
    return jsonify(_tag_dict(tag_curation.add_synonym(db.session, current_actor(), label, key)))
