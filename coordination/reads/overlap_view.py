"""The overlap read model: a stored overlap (`models.Overlap`) for one reader, each field's rule written once.

`OverlapView` answers what needs a rule: the kind in words naming both organisations, the
two sides (and, read from one of them, the other), who decided it (named only to that
organisation and coordinators, `visibility.shown_actor`), the score's components. `as_dict`
is the same view as plain data, what REST, the inbox, the digests and the webhooks write
(`insights.overlap_to_dict`); `OVERLAP_FIELDS` is that shape's field list, the one the OpenAPI
document describes. The sides' organisations come from `rows` (`ORM_ROWS`, or the GraphQL
request's batch loaders).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..models import Initiative, Overlap, OverlapKind
from ..permissions import ANONYMOUS, Actor
from ..visibility import shown_actor
from .computed_once import computed_once
from .initiative_view import ORM_ROWS, RelatedRows, iso_text, organisation_ref

# What an overlap score is made of (`convergence` scoring), each in [0, 1].
COMPONENTS: tuple[str, ...] = ("goal", "place", "time", "text", "tags", "work")


def kind_text(kind: str, organisation_a: str, organisation_b: str) -> str:
    """A link's kind in words, naming both organisations ("reported twice: by A and by B")."""
    if kind == OverlapKind.DUPLICATE:
        return f"The same effort reported twice: by {organisation_a} and by {organisation_b}"
    return f"Overlap: two efforts, of {organisation_a} and of {organisation_b}, doing the same work"


class OverlapView:
    """One stored overlap as `actor` reads it."""

    def __init__(self, row: Overlap, actor: Actor = ANONYMOUS, rows: RelatedRows = ORM_ROWS):
        self.row = row
        self.actor = actor
        self.rows = rows

    @property
    def sides(self) -> list[Initiative]:
        """Both initiatives, in the stored order (a before b)."""
        return [self.row.initiative_a, self.row.initiative_b]

    def other(self, viewpoint: int) -> Initiative:
        """The side that is not the initiative `viewpoint`."""
        row = self.row
        return row.initiative_b if row.initiative_a_id == viewpoint else row.initiative_a

    @computed_once
    def kind_text(self) -> str:
        a, b = (self.rows.organisation(side) for side in self.sides)
        return kind_text(self.row.kind, a.name, b.name)

    @property
    def decided_by(self) -> str | None:
        """Who decided, named only to that organisation and to coordinators."""
        row = self.row
        return shown_actor(self.actor, row.decided_by_organisation_id, row.decided_by)

    @property
    def decided_at(self) -> str | None:
        return iso_text(self.row.decided_at)

    @property
    def detected_at(self) -> str | None:
        return iso_text(self.row.detected_at)

    @property
    def component_scores(self) -> dict[str, float | None]:
        """Each of `COMPONENTS` (None where the stored overlap has none, e.g. `work` before it was scored)."""
        return {name: self.row.components.get(name) for name in COMPONENTS}

    def side_dict(self, side: Initiative) -> dict[str, Any]:
        """A side as plain data: id, title and organisation."""
        return {"id": side.id, "title": side.title, "organisation": organisation_ref(self.rows.organisation(side))}

    def as_dict(self, viewpoint: int | None = None) -> dict[str, Any]:
        """The view as plain data, with `OVERLAP_FIELDS` in order; `viewpoint` adds the `other` side."""
        out = {name: write(self) for name, write in _PLAIN.items()}
        if viewpoint is not None:
            out["other"] = self.side_dict(self.other(viewpoint))
        return out


def _attr(name: str) -> Callable[[OverlapView], Any]:
    """A column written as stored."""
    return lambda view: getattr(view.row, name)


# Each field of the plain shape and how it is written from the view (`other` only from a viewpoint).
_PLAIN: dict[str, Callable[[OverlapView], Any]] = {
    "id": _attr("id"),
    "kind": _attr("kind"),
    "kind_text": lambda v: v.kind_text,
    "score": _attr("score"),
    "components": _attr("components"),  # as stored: an overlap found before `work` was scored has no `work`
    "explanation": _attr("explanation"),
    "status": _attr("status"),
    "active": _attr("active"),
    "initiatives": lambda v: [v.side_dict(side) for side in v.sides],
    "decided_by": lambda v: v.decided_by,
    "decided_at": lambda v: v.decided_at,
    "detected_at": lambda v: v.detected_at,
}

OVERLAP_FIELDS: tuple[str, ...] = (*_PLAIN, "other")
