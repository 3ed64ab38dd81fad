"""Organisations: the record, the list, the input, and merging two records into one."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from coordination import vocab


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
