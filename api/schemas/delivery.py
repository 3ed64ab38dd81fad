"""File imports' reports, webhooks and their deliveries, e-mail digests."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from coordination.models import DeliveryStatus


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
