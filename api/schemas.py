"""Marshmallow schemas: the shape of the REST and GraphQL inputs and of the OpenAPI document.

Both doors load input through these schemas, then hand it to the same service,
which validates the meaning (known goal codes, dates in order) once more.
"""
from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from coordination import vocab
from coordination.models import DeliveryStatus, OverlapKind, OverlapStatus


class OrganisationRefSchema(Schema):
    slug = fields.String(required=True, metadata={"description": "Organisation slug"})
    name = fields.String(required=True)


class LocationSchema(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(allow_none=True, validate=validate.Length(max=vocab.MAX_NAME))
    country = fields.String(allow_none=True, validate=validate.Regexp(r"^[A-Za-z]{2}$"),
                            metadata={"description": "ISO 3166-1 alpha-2"})
    admin1 = fields.String(allow_none=True, validate=validate.Length(max=vocab.MAX_NAME))
    admin2 = fields.String(allow_none=True, validate=validate.Length(max=vocab.MAX_NAME))
    admin1_code = fields.String(allow_none=True, validate=validate.Length(max=32))
    admin2_code = fields.String(allow_none=True, validate=validate.Length(max=32))
    lat = fields.Float(allow_none=True, validate=validate.Range(-90, 90), allow_nan=False)
    lon = fields.Float(allow_none=True, validate=validate.Range(-180, 180), allow_nan=False)
    precision = fields.String(validate=validate.OneOf(vocab.LOCATION_PRECISIONS))


class PartnerInputSchema(Schema):
    class Meta:
        unknown = RAISE

    organisation = fields.String(required=True, metadata={"description": "Partner organisation slug"})
    role = fields.String(load_default="implementing", validate=validate.OneOf(list(vocab.PARTNER_ROLES)))


class InitiativeInputSchema(Schema):
    """Body of POST /initiatives (all fields) and PATCH (any subset)."""

    class Meta:
        unknown = RAISE

    title = fields.String(required=True, validate=validate.Length(min=1, max=vocab.MAX_TITLE))
    description = fields.String(validate=validate.Length(max=vocab.MAX_DESCRIPTION))
    organisation = fields.String(metadata={"description": "Slug; only platform-wide tokens name it"})
    partners = fields.List(fields.Nested(PartnerInputSchema), validate=validate.Length(max=vocab.MAX_PARTNERS))
    goals = fields.List(fields.String(), validate=validate.Length(max=vocab.MAX_GOALS),
                        metadata={"description": 'Goal or target codes, e.g. ["6", "6.1"]'})
    primary_goal = fields.String(allow_none=True)
    tags = fields.List(fields.String(validate=validate.Length(min=1, max=vocab.MAX_TAG)),
                       validate=validate.Length(max=vocab.MAX_TAGS))
    locations = fields.List(fields.Nested(LocationSchema), validate=validate.Length(max=vocab.MAX_LOCATIONS))
    start = fields.Date(allow_none=True)
    end = fields.Date(allow_none=True)
    status = fields.String(allow_none=True, validate=validate.OneOf(list(vocab.STATUS_CODES)))
    budget = fields.Float(allow_none=True, validate=validate.Range(min=0), allow_nan=False)
    currency = fields.String(allow_none=True, validate=validate.Regexp(r"^[A-Za-z]{3}$"))
    people_targeted = fields.Integer(allow_none=True, strict=True, validate=validate.Range(min=0))
    visibility = fields.String(validate=validate.OneOf(vocab.VISIBILITIES))
    public_precision = fields.String(validate=validate.OneOf(vocab.PUBLIC_PRECISIONS))
    iati_identifier = fields.String(allow_none=True, validate=validate.Length(max=200))


class LocationOutSchema(LocationSchema):
    """A location as written: every key present, coarsened ones null (see `public_precision`)."""

    name = fields.String(required=True, allow_none=True)
    country = fields.String(required=True, allow_none=True, metadata={"description": "ISO 3166-1 alpha-2"})
    admin1 = fields.String(required=True, allow_none=True)
    admin2 = fields.String(required=True, allow_none=True)
    admin1_code = fields.String(required=True, allow_none=True)
    admin2_code = fields.String(required=True, allow_none=True)
    lat = fields.Float(required=True, allow_none=True)
    lon = fields.Float(required=True, allow_none=True)
    precision = fields.String(required=True, validate=validate.OneOf(vocab.LOCATION_PRECISIONS))


class PartnerOutSchema(Schema):
    organisation = fields.Nested(OrganisationRefSchema, required=True)
    role = fields.String(required=True, validate=validate.OneOf(list(vocab.PARTNER_ROLES)))


class SuggestedGoalRefSchema(Schema):
    code = fields.String(required=True, metadata={"description": "Goal or target code the platform suggested"})
    score = fields.Float(required=True, allow_none=True)


class FreshnessSchema(Schema):
    """When the organisation last said the initiative is accurate, and the traffic light that makes."""

    level = fields.String(required=True, validate=validate.OneOf(["fresh", "ageing", "stale"]), metadata={
        "description": "stale once `stale_after_days` old, ageing from half of that, fresh before"})
    confirmed_at = fields.DateTime(required=True, allow_none=True, metadata={
        "description": "Registered, edited or confirmed (POST /initiatives/{id}/confirm) last"})
    age_days = fields.Integer(required=True)
    stale_after_days = fields.Integer(required=True, metadata={"description": "STALE_AFTER_DAYS (default 180)"})


class InitiativeSchema(Schema):
    """An initiative as the API returns it."""

    id = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    organisation = fields.Nested(OrganisationRefSchema, required=True)
    partners = fields.List(fields.Nested(PartnerOutSchema), required=True)
    goals = fields.List(fields.String(), required=True)
    primary_goal = fields.String(required=True, allow_none=True)
    suggested_goals = fields.List(fields.Nested(SuggestedGoalRefSchema), required=True,
                                  metadata={"description": "Goals the platform suggested; accept one by "
                                                           "PATCHing it into `goals`, reject it with DELETE"})
    tags = fields.List(fields.String(), required=True)
    locations = fields.List(fields.Nested(LocationOutSchema), required=True)
    start = fields.Date(required=True, allow_none=True)
    end = fields.Date(required=True, allow_none=True)
    status = fields.String(required=True, allow_none=True, validate=validate.OneOf(list(vocab.STATUS_CODES)),
                           metadata={"description": "The status given, else the one the dates imply today "
                                                    "(see status_from_dates)"})
    status_from_dates = fields.Boolean(required=True, metadata={
        "description": "No status was given: `status` is worked out from the dates on every read (pipeline "
                       "before the start, implementation until the end, closed after it)"})
    budget = fields.Float(required=True, allow_none=True)
    currency = fields.String(required=True, allow_none=True)
    people_targeted = fields.Integer(required=True, allow_none=True)
    visibility = fields.String(required=True, validate=validate.OneOf(vocab.VISIBILITIES))
    public_precision = fields.String(required=True, validate=validate.OneOf(vocab.PUBLIC_PRECISIONS))
    iati_identifier = fields.String(required=True, allow_none=True)
    provenance = fields.String(required=True)
    created_at = fields.DateTime(required=True, allow_none=True)
    updated_at = fields.DateTime(required=True, allow_none=True)
    withdrawn = fields.Boolean(required=True)
    freshness = fields.Nested(FreshnessSchema, required=True)
    version = fields.Integer(required=True, metadata={"description": "Also the ETag; send it as If-Match"})


class InitiativePageSchema(Schema):
    items = fields.List(fields.Nested(InitiativeSchema), required=True)
    next_cursor = fields.String(required=True, allow_none=True, metadata={"description": "Pass as `after`"})
    has_next = fields.Boolean(required=True)
    total = fields.Integer(required=True, metadata={"description": "How many initiatives match the filter"})


class HistoryEntrySchema(Schema):
    action = fields.String(required=True, metadata={"description": "create, update, withdraw, restore, ..."})
    actor = fields.String(required=True, allow_none=True,
                          metadata={"description": "Who; null for anonymous readers"})
    at = fields.DateTime(required=True)
    changed = fields.List(fields.String(), required=True, metadata={"description": "Fields whose value changed"})


class HistorySchema(Schema):
    items = fields.List(fields.Nested(HistoryEntrySchema), required=True)


class OrganisationSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    type = fields.String(required=True, allow_none=True, metadata={"description": "IATI OrganisationType code"})
    type_name = fields.String(required=True, allow_none=True)
    country = fields.String(required=True, allow_none=True)
    org_identifier = fields.String(required=True, allow_none=True)
    aliases = fields.List(fields.String(), required=True)
    verified = fields.Boolean(required=True)
    merged_into = fields.String(allow_none=True, metadata={
        "description": "Slug of the organisation this record was merged into by a coordinator (null: none)"})


class OrganisationPageSchema(Schema):
    items = fields.List(fields.Nested(OrganisationSchema), required=True)
    has_next = fields.Boolean(required=True)
    next_cursor = fields.String(required=True, allow_none=True, metadata={"description": "Pass as `after`"})


class OrganisationInputSchema(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    type = fields.String(allow_none=True, validate=validate.OneOf(list(vocab.ORGANISATION_TYPES)))
    country = fields.String(allow_none=True, validate=validate.Regexp(r"^[A-Za-z]{2}$"))
    org_identifier = fields.String(allow_none=True, validate=validate.Length(max=120))
    aliases = fields.List(fields.String(validate=validate.Length(max=300)))
    description = fields.String(validate=validate.Length(max=5000))


class TargetSchema(Schema):
    code = fields.String(required=True)
    title = fields.String(required=True)
    short_title = fields.String(required=True, allow_none=True)
    colour = fields.String(required=True, allow_none=True)
    level = fields.String(required=True, validate=validate.OneOf(["goal", "target"]))
    sdg_code = fields.String(required=True, allow_none=True,
                             metadata={"description": "The SDG goal or target a local goal links to"})


class GoalSchema(TargetSchema):
    targets = fields.List(fields.Nested(TargetSchema), required=True)


class VisionSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)
    goals = fields.List(fields.Nested(GoalSchema), required=True)


class VisionListSchema(Schema):
    items = fields.List(fields.Nested(VisionSchema), required=True)


_CODE = validate.Regexp(r"^[^\s:]+$", error="must be one word without ':'")


class VisionTargetInputSchema(Schema):
    class Meta:
        unknown = RAISE

    code = fields.String(required=True, validate=[validate.Length(min=1, max=32), _CODE])
    title = fields.String(required=True, validate=validate.Length(min=1, max=vocab.MAX_TITLE))
    short_title = fields.String(allow_none=True, validate=validate.Length(max=200))
    sdg_code = fields.String(allow_none=True, validate=validate.Length(min=1, max=16),
                             metadata={"description": "An SDG goal or target this one contributes to, e.g. 6.1"})


class VisionGoalInputSchema(VisionTargetInputSchema):
    colour = fields.String(allow_none=True, validate=validate.Regexp(r"^#[0-9A-Fa-f]{6}$"))
    targets = fields.List(fields.Nested(VisionTargetInputSchema), validate=validate.Length(max=200))


class VisionInputSchema(Schema):
    """Body of POST /visions: a coalition's own goal tree."""

    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    slug = fields.String(validate=[validate.Length(min=1, max=64), validate.Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")],
                         metadata={"description": "Defaults to the name, slugified"})
    description = fields.String(validate=validate.Length(max=5000))
    goals = fields.List(fields.Nested(VisionGoalInputSchema), required=True,
                        validate=validate.Length(min=1, max=200))

    @validates_schema
    def _codes_unique(self, data, **_kwargs) -> None:
        seen: set[str] = set()
        for i, goal in enumerate(data.get("goals") or []):
            for where, code in [(f"goals.{i}.code", goal["code"])] + [
                    (f"goals.{i}.targets.{j}.code", t["code"]) for j, t in enumerate(goal.get("targets") or [])]:
                if code in seen:
                    raise ValidationError({where: [f"{code!r} is used twice in this vision"]})
                seen.add(code)


class TagSchema(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    aliases = fields.List(fields.String(), required=True)
    count = fields.Integer(required=True, metadata={"description": "Public, live initiatives with the tag"})


class TagListSchema(Schema):
    items = fields.List(fields.Nested(TagSchema), required=True)


class CuratedTagSchema(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    aliases = fields.List(fields.String(), required=True)


class TagMergeInputSchema(Schema):
    class Meta:
        unknown = RAISE

    from_ = fields.List(fields.String(validate=validate.Length(min=1, max=vocab.MAX_TAG)), data_key="from",
                        required=True, validate=validate.Length(min=1, max=100),
                        metadata={"description": "Keys (or labels) of the tags to merge away"})
    into = fields.String(required=True, validate=validate.Length(min=1, max=vocab.MAX_TAG),
                         metadata={"description": "Key (or label) of the tag that stays"})


class TagMergeSchema(Schema):
    merge_id = fields.Integer(required=True, metadata={"description": "POST /tags/merges/{merge_id}/undo undoes it"})
    into = fields.String(required=True)
    merged = fields.List(fields.String(), required=True)
    initiatives_moved = fields.Integer(required=True)


class OrganisationMergeInputSchema(Schema):
    class Meta:
        unknown = RAISE

    into = fields.String(required=True, validate=validate.Length(min=1, max=80),
                         metadata={"description": "Slug of the organisation record that stays"})
    reason = fields.String(load_default="", validate=validate.Length(max=2000))
    share_access = fields.Boolean(load_default=False, metadata={
        "description": "Say true when the merge lets people read private initiatives they cannot read now"})


class OrganisationUnmergeInputSchema(Schema):
    class Meta:
        unknown = RAISE

    reason = fields.String(load_default="", validate=validate.Length(max=2000))


class OrganisationMergeSchema(Schema):
    id = fields.Integer(required=True)
    survivor = fields.String(required=True, metadata={"description": "Slug of the record that stays"})
    absorbed = fields.String(required=True, metadata={"description": "Slug of the record merged into it "
                                                                     "(kept as a redirect)"})
    reason = fields.String(required=True)
    merged_by = fields.String(required=True, allow_none=True, metadata={"description": "Coordinators only"})
    merged_at = fields.String(required=True)
    unmerged_by = fields.String(allow_none=True)
    unmerged_at = fields.String(allow_none=True)
    moved = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True, metadata={
        "description": "How many initiatives, partners, users, tokens, ... moved (coordinators only; empty otherwise)"})


class OrganisationMergeListSchema(Schema):
    items = fields.List(fields.Nested(OrganisationMergeSchema), required=True)


class SynonymInputSchema(Schema):
    class Meta:
        unknown = RAISE

    label = fields.String(required=True, validate=validate.Length(min=1, max=vocab.MAX_TAG))


class SuggestionInputSchema(Schema):
    """Body of POST /suggestions."""

    class Meta:
        unknown = RAISE

    title = fields.String(required=True, validate=validate.Length(min=1, max=vocab.MAX_TITLE))
    description = fields.String(allow_none=True, validate=validate.Length(max=vocab.MAX_DESCRIPTION))
    tags = fields.List(fields.String(validate=validate.Length(max=vocab.MAX_TAG)), allow_none=True,
                       validate=validate.Length(max=vocab.MAX_TAGS))
    country = fields.String(allow_none=True, validate=validate.Length(max=100),
                            metadata={"description": "ISO 3166-1 alpha-2 code or country name: its places win "
                                                     "ambiguous names"})


class SuggestedCodeSchema(Schema):
    code = fields.String(required=True)
    title = fields.String(required=True)
    score = fields.Float(required=True, metadata={"description": "The model's calibrated probability"})
    confident = fields.Boolean(required=True, metadata={"description": "The platform would apply it unasked"})
    applies = fields.Boolean(allow_none=True, metadata={
        "description": "Goals only: yes or no, is this one of the work's goals (calibrated for few wrong "
                       "answers either way); null for targets"})


class SuggestedPlaceSchema(Schema):
    name = fields.String(required=True)
    country = fields.String(required=True)
    admin1 = fields.String(required=True, allow_none=True)
    lat = fields.Float(required=True, allow_none=True)
    lon = fields.Float(required=True, allow_none=True)


class SuggestionsSchema(Schema):
    goals = fields.List(fields.Nested(SuggestedCodeSchema), required=True)
    targets = fields.List(fields.Nested(SuggestedCodeSchema), required=True)
    tags = fields.List(fields.String(), required=True)
    places = fields.List(fields.Nested(SuggestedPlaceSchema), required=True)
    work = fields.List(fields.String(), required=True, metadata={
        "description": "Kinds of work the text names (what overlap detection compares), in words"})


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


class ImportProblemSchema(Schema):
    position = fields.Integer(allow_none=True, metadata={"description": "The record's place in the file, from 1"})
    record = fields.String(required=True, allow_none=True,
                           metadata={"description": "The record's identifier (IATI identifier, HXL row); null if none"})
    reason = fields.String(required=True)
    line = fields.Integer(allow_none=True)
    where = fields.String(metadata={"description": "Position, line and identifier in words, as every door shows them"})
    fields_ = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), data_key="fields")


class ImportWarningSchema(Schema):
    position = fields.Integer(allow_none=True, metadata={"description": "The record's place in the file, from 1"})
    record = fields.String(required=True, allow_none=True)
    line = fields.Integer(allow_none=True)
    reason = fields.String(required=True, metadata={"description": "What was shortened or dropped, the record kept"})
    where = fields.String(required=True)


class ImportPeriodSchema(Schema):
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    label = fields.String(required=True, metadata={"example": "2024-01..2024-03"})
    source = fields.String(required=True, metadata={"example": "file name 'afghanistan_3w_january_march_2024.csv'"})
    rows = fields.Integer(required=True, metadata={"description": "Rows without dates that took the period"})


class ImportReportSchema(Schema):
    file = fields.String(required=True)
    records = fields.Integer(required=True, metadata={"description": "Records read from the file"})
    created = fields.Integer(required=True)
    existing = fields.Integer(required=True, metadata={"description": "Already registered, left alone"})
    warned = fields.Integer(required=True,
                            metadata={"description": "Records kept with something shortened or dropped (see warnings)"})
    skipped = fields.Integer(required=True)
    problems = fields.List(fields.Nested(ImportProblemSchema), required=True)
    warnings = fields.List(fields.Nested(ImportWarningSchema), required=True,
                           metadata={"description": "One per change to a kept record (at most 500 listed)"})
    period = fields.Nested(ImportPeriodSchema, allow_none=True, metadata={
        "description": "HXL: the reporting period given to rows without dates, and where it came from "
                       "(the request, the file name or a title row); null when none"})


class WebhookInputSchema(Schema):
    class Meta:
        unknown = RAISE

    url = fields.String(required=True, validate=validate.Length(min=1, max=2000),
                        metadata={"description": "http(s) URL of a public host"})
    secret = fields.String(allow_none=True, validate=validate.Length(min=16, max=200),
                           metadata={"description": "HMAC key; generated when omitted"})
    organisation = fields.String(metadata={"description": "Slug; only platform-wide tokens name it"})


class DeliverySchema(Schema):
    id = fields.Integer(required=True)
    event = fields.String(required=True, metadata={"description": "overlap.suggested or webhook.test"})
    overlap_id = fields.Integer(required=True, allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf(DeliveryStatus.ALL))
    attempts = fields.Integer(required=True)
    max_attempts = fields.Integer(required=True)
    last_status_code = fields.Integer(required=True, allow_none=True)
    last_error = fields.String(required=True, allow_none=True)
    next_attempt_at = fields.DateTime(required=True, allow_none=True)
    last_attempt_at = fields.DateTime(required=True, allow_none=True)
    delivered_at = fields.DateTime(required=True, allow_none=True)
    created_at = fields.DateTime(required=True, allow_none=True)


class DeliveryCountsSchema(Schema):
    pending = fields.Integer(required=True)
    delivered = fields.Integer(required=True)
    failed = fields.Integer(required=True)


class WebhookSchema(Schema):
    id = fields.Integer(required=True)
    url = fields.String(required=True)
    active = fields.Boolean(required=True)
    organisation = fields.String(required=True, metadata={"description": "Organisation slug"})
    created_at = fields.DateTime(required=True, allow_none=True)
    deliveries = fields.Nested(DeliveryCountsSchema, required=True)
    last_error = fields.String(required=True, allow_none=True)
    recent_deliveries = fields.List(fields.Nested(DeliverySchema), required=True)


class WebhookCreatedSchema(WebhookSchema):
    secret = fields.String(required=True, metadata={"description": "Shown only in this response"})


class WebhookListSchema(Schema):
    items = fields.List(fields.Nested(WebhookSchema), required=True)


class DigestInputSchema(Schema):
    class Meta:
        unknown = RAISE

    contact_email = fields.String(required=True, validate=validate.Length(min=1, max=320))
    organisation = fields.String(metadata={"description": "Slug; only platform-wide tokens name it"})


class DigestSubscriptionSchema(Schema):
    contact_email = fields.String(required=True, allow_none=True, metadata={"description": "null: no digests"})
    active = fields.Boolean(required=True)
    last_sent_at = fields.DateTime(required=True, allow_none=True)
    last_error = fields.String(required=True, allow_none=True)


class ErrorDetailSchema(Schema):
    code = fields.String(required=True, metadata={"description": "validation_error, unauthorized, forbidden, "
                                                                 "not_found, conflict, too_large, rate_limited, ..."})
    message = fields.String(required=True)
    fields_ = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True,
                          data_key="fields", metadata={"description": '{"field": ["why"]}'})


class ErrorSchema(Schema):
    error = fields.Nested(ErrorDetailSchema, required=True)


def flatten_messages(messages, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages → {"locations.0.lat": ["..."]}."""
    out: dict[str, list[str]] = {}
    if isinstance(messages, list):
        out[prefix or "_body"] = [str(m) for m in messages]
        return out
    for key, value in messages.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if name.endswith("._schema"):
            name = name[: -len("._schema")]
        if isinstance(value, (dict, list)) and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            out.update(flatten_messages(value, name))
        else:
            out[name] = [str(v) for v in (value if isinstance(value, list) else [value])]
    return out


def load_or_raise(schema: Schema, data, partial: bool = False) -> dict:
    """Load with marshmallow; turn its errors into the domain's ValidationError."""
    from coordination.errors import ValidationError as DomainValidationError

    if not isinstance(data, dict):
        raise DomainValidationError("The body must be a JSON object.", {"_body": ["must be a JSON object"]})
    try:
        return schema.load(data, partial=partial)
    except ValidationError as err:
        fields_ = flatten_messages(err.messages)
        first = next(iter(fields_))
        raise DomainValidationError(f"Invalid input: {first}: {fields_[first][0]}", fields_) from None
