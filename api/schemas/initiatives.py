"""Initiatives: the registration input, the initiative as REST answers it, its history."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from coordination import vocab


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


def _written_location_field(name: str, kind: str) -> fields.Field:
    """A location field as the API writes it: always present; null when coarsened (never `precision`)."""
    if name == "precision":
        return fields.String(required=True, validate=validate.OneOf(vocab.LOCATION_PRECISIONS))
    described = {"metadata": {"description": "ISO 3166-1 alpha-2"}} if name == "country" else {}
    return (fields.Float if kind == "number" else fields.String)(required=True, allow_none=True, **described)


# The same fields, in the same order, as every location (coordination.vocab.LOCATION_FIELDS).
LocationOutSchema = type("LocationOutSchema", (LocationSchema,), {
    "__doc__": "A location as written: every key present, coarsened ones null (see `public_precision`).",
    **{name: _written_location_field(name, kind) for name, kind in vocab.LOCATION_FIELDS}})


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
