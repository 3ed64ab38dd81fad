"""Overlaps and decisions, the inbox, convergence groups, fragmentation and the network."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from coordination.models import OverlapKind, OverlapStatus

from .initiatives import OrganisationRefSchema


class OverlapComponentsSchema(Schema):
    goal = fields.Float(required=True)
    place = fields.Float(required=True)
    time = fields.Float(required=True)
    text = fields.Float(required=True)
    tags = fields.Float(required=True)
    work = fields.Float(allow_none=True, metadata={"description": (
        "1: both name a kind of work in common; 0: both name kinds of work, none in common; "
        "0.5: a side names none (absent on overlaps found before kinds of work were read)")})


class OverlapSideSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    organisation = fields.Nested(OrganisationRefSchema, required=True)


class OverlapSchema(Schema):
    """A link between initiatives of two organisations: an overlap or a duplicate report."""

    id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(OverlapKind.ALL),
                         metadata={"description": "overlap: two efforts doing the same work (notified); "
                                                  "duplicate: the same effort reported twice (count it once)"})
    kind_text = fields.String(required=True, metadata={"description": "The kind in words, naming both "
                                                                      "organisations"})
    score = fields.Float(required=True, metadata={"description": "0 (unrelated) to 1 (the same effort)"})
    components = fields.Nested(OverlapComponentsSchema, required=True,
                               metadata={"description": "Similarity of goals, places, dates, text and tags"})
    explanation = fields.String(required=True, metadata={"description": "Why, in words (places coarsened "
                                                                        "when the reader may not see them)"})
    status = fields.String(required=True, validate=validate.OneOf(OverlapStatus.ALL))
    active = fields.Boolean(required=True)
    initiatives = fields.List(fields.Nested(OverlapSideSchema), required=True,
                              validate=validate.Length(equal=2))
    decided_by = fields.String(required=True, allow_none=True)
    decided_at = fields.DateTime(required=True, allow_none=True)
    detected_at = fields.DateTime(required=True, allow_none=True)
    other = fields.Nested(OverlapSideSchema, metadata={"description": "The other side, when read from one "
                                                                      "initiative or an inbox"})


class OverlapListSchema(Schema):
    items = fields.List(fields.Nested(OverlapSchema), required=True)


class OverlapPageSchema(Schema):
    items = fields.List(fields.Nested(OverlapSchema), required=True)
    next_cursor = fields.String(required=True, allow_none=True, metadata={"description": "Pass as `after`"})
    has_next = fields.Boolean(required=True)


class OverlapDecisionInputSchema(Schema):
    class Meta:
        unknown = RAISE

    status = fields.String(required=True, validate=validate.OneOf(OverlapStatus.ALL))


class InboxItemSchema(Schema):
    notice_id = fields.Integer(required=True)
    read = fields.Boolean(required=True)
    created_at = fields.DateTime(required=True)
    overlap = fields.Nested(OverlapSchema, required=True)


class OwnInitiativeSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)


class InboxBundleSchema(Schema):
    initiative = fields.Nested(OwnInitiativeSchema, required=True, metadata={"description": "Your own initiative"})
    count = fields.Integer(required=True, metadata={"description": "Overlaps reaching you about it"})
    unread = fields.Integer(required=True)
    best_score = fields.Float(required=True)
    overlaps = fields.List(fields.Nested(InboxItemSchema), required=True, metadata={
        "description": "The best few (all of them with ?initiative=)"})
    more = fields.Integer(required=True, metadata={"description": "Overlaps not listed here"})


class InboxSchema(Schema):
    unread = fields.Integer(required=True)
    items = fields.List(fields.Nested(InboxItemSchema), required=True,
                        metadata={"description": "The newest notices (at most 100)"})
    by_initiative = fields.List(fields.Nested(InboxBundleSchema), required=True, metadata={
        "description": "Notices bundled by your own initiative: unread first, then best score first"})
    initiatives = fields.Integer(required=True, metadata={"description": "Bundles in all pages"})
    page = fields.Integer(required=True)
    pages = fields.Integer(required=True)
    notify_threshold = fields.Float(required=True, metadata={
        "description": "Overlaps scoring below this are listed on the initiatives but do not reach the inbox"})


class InboxReadInputSchema(Schema):
    class Meta:
        unknown = RAISE

    ids = fields.List(fields.Integer(strict=True, validate=validate.Range(min=1, max=2_147_483_647)),
                      allow_none=True, validate=validate.Length(max=1000),
                      metadata={"description": "Notice ids; omitted or null: every unread notice"})


class MarkedSchema(Schema):
    marked = fields.Integer(required=True, metadata={"description": "Notices newly marked read"})


class OrganisationBriefSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    type = fields.String(required=True, allow_none=True)


class AllySchema(Schema):
    organisation = fields.Nested(OrganisationBriefSchema, required=True)
    reason = fields.String(required=True)
    initiative_ids = fields.List(fields.Integer(), required=True)


class ConvergenceGroupSchema(Schema):
    initiative_ids = fields.List(fields.Integer(), required=True)
    organisation_ids = fields.List(fields.Integer(), required=True)
    organisations = fields.List(fields.Nested(OrganisationBriefSchema), required=True)
    shared_goals = fields.List(fields.String(), required=True,
                               metadata={"description": "Codes held by initiatives of two or more organisations"})
    countries = fields.List(fields.String(), required=True)
    admin1 = fields.List(fields.String(), required=True,
                         metadata={"description": 'First-level areas by name ("Kisumu")'})
    admin1_codes = fields.List(fields.String(), required=True,
                               metadata={"description": 'Their p-codes, where known ("KE042")'})
    start = fields.Date(required=True, allow_none=True)
    end = fields.Date(required=True, allow_none=True, metadata={"description": "null when open-ended"})
    has_institutional_actor = fields.Boolean(required=True)
    grassroots_only = fields.Boolean(required=True)
    suggested_allies = fields.List(fields.Nested(AllySchema), required=True)
    split_from = fields.List(fields.Integer(), required=True, allow_none=True, metadata={
        "description": "[initiatives, organisations] of the component this group was split from because it was "
                       "too large to convene; null when not split"})
    split_by = fields.List(fields.String(), required=True, metadata={
        "description": "How it was split, in order: area, work, overlaps, size (empty when not split)"})


class GroupListSchema(Schema):
    items = fields.List(fields.Nested(ConvergenceGroupSchema), required=True)


class FragmentationCellSchema(Schema):
    goal = fields.String(required=True)
    area = fields.String(required=True, metadata={"description": '"KE", or "KE/Kisumu" at admin1 level'})
    period = fields.List(fields.Date(allow_none=True), required=True, allow_none=True,
                         validate=validate.Length(equal=2), metadata={"description": "[start, end] of `year`"})
    n_initiatives = fields.Integer(required=True)
    n_organisations = fields.Integer(required=True)
    herfindahl = fields.Float(required=True, validate=validate.Range(0, 1))
    effective_actors = fields.Float(required=True, metadata={"description": "1 / herfindahl"})
    overlap_share = fields.Float(required=True, validate=validate.Range(0, 1))


class GapSchema(Schema):
    goal = fields.String(required=True)
    area = fields.String(required=True)
    related_present = fields.List(fields.String(), required=True)


class FragmentationSchema(Schema):
    cells = fields.List(fields.Nested(FragmentationCellSchema), required=True)
    gaps = fields.List(fields.Nested(GapSchema), required=True)


class NetworkNodeSchema(Schema):
    organisation_id = fields.Integer(required=True)
    organisation = fields.Nested(OrganisationBriefSchema, required=True)
    degree = fields.Integer(required=True)
    betweenness = fields.Float(required=True, validate=validate.Range(0, 1))


class NetworkEdgeSchema(Schema):
    a = fields.Integer(required=True, metadata={"description": "organisation_id"})
    b = fields.Integer(required=True, metadata={"description": "organisation_id"})
    weight = fields.Float(required=True)
    kinds = fields.List(fields.String(validate=validate.OneOf(["overlap", "partnership"])), required=True)


class NetworkSchema(Schema):
    nodes = fields.List(fields.Nested(NetworkNodeSchema), required=True)
    edges = fields.List(fields.Nested(NetworkEdgeSchema), required=True)
    components = fields.List(fields.List(fields.Integer()), required=True,
                             metadata={"description": "Groups of linked organisation ids, largest first"})
    isolated = fields.List(fields.Integer(), required=True)
