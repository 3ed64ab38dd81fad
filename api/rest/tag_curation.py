"""REST: coordinators merge tags, undo merges and add synonyms."""
from __future__ import annotations

from flask import jsonify

from coordination.permissions import require_coordinator
from coordination.services import tag_curation
from coordination.services.tag_suggestions import merge_suggestions

from ..auth import current_actor
from ..extensions import db
from ..schemas import SynonymInputSchema, TagMergeInputSchema
from ..unit_of_work import unit_of_work
from . import bp
from .common import caller_and_body


def _tag_dict(tag) -> dict:
    return {"key": tag.key, "label": tag.label, "aliases": tag.aliases or []}


@bp.post("/tags/merge")
def merge():
    """{"from": ["water-sanitation", ...], "into": "wash"} → the merge, with the id that undoes it."""
    actor, body = caller_and_body(require_coordinator, TagMergeInputSchema())
    with unit_of_work() as uow:
        change = tag_curation.merge_tags(uow, actor, list(dict.fromkeys(body["from_"])), body["into"])
        uow.commit()
    return jsonify({"merge_id": change.id, "into": change.after["into"],
                    "merged": [m["key"] for m in change.before["merged"]],
                    "initiatives_moved": sum(len(m["links"]) for m in change.before["merged"])})


@bp.get("/tags/merge-suggestions")
def suggested_merges():
    """Tags naming the same kind of work ("boreholes", "pozos", "forages"): merges to consider."""
    return jsonify({"items": merge_suggestions(db.session, current_actor())})


@bp.post("/tags/merges/<int:merge_id>/undo")
def undo(merge_id: int):
    """Undo a merge: the merged tags and their initiatives come back."""
    with unit_of_work() as uow:
        tag = tag_curation.undo_merge(uow, current_actor(), merge_id)
        uow.commit()
    return jsonify(_tag_dict(tag))


@bp.post("/tags/<key>/synonyms")
def synonym(key: str):
    """{"label": "Agua y saneamiento"}: from now on this label means the tag `key`."""
    actor, body = caller_and_body(require_coordinator, SynonymInputSchema())
    with unit_of_work() as uow:
        tag = tag_curation.add_synonym(uow, actor, body["label"], key)
        uow.commit()
    return jsonify(_tag_dict(tag))
