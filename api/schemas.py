"""Marshmallow schemas: the shape of the REST and GraphQL inputs and of the OpenAPI document.

Both doors load input through these schemas, then hand it to the same service,
which validates the meaning (known goal codes, dates in order) once more.
"""
from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from coordination import vocab


class OrganisationRefSchema(Schema):
    slug = fields.String(metadata={"description": "Organisation slug"})
    name = fields.String()


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
    pass


class PartnerOutSchema(Schema):
    organisation = fields.Nested(OrganisationRefSchema)
    role = fields.String()


class InitiativeSchema(Schema):
    """An initiative as the API returns it."""

    id = fields.Integer()
    title = fields.String()
    description = fields.String()
    organisation = fields.Nested(OrganisationRefSchema)
    partners = fields.List(fields.Nested(PartnerOutSchema))
    goals = fields.List(fields.String())
    primary_goal = fields.String(allow_none=True)
    suggested_goals = fields.List(fields.Dict())
    tags = fields.List(fields.String())
    locations = fields.List(fields.Nested(LocationOutSchema))
    start = fields.Date(allow_none=True)
    end = fields.Date(allow_none=True)
    status = fields.String(allow_none=True)
    budget = fields.Float(allow_none=True)
    currency = fields.String(allow_none=True)
    people_targeted = fields.Integer(allow_none=True)
    visibility = fields.String()
    public_precision = fields.String()
    iati_identifier = fields.String(allow_none=True)
    provenance = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    withdrawn = fields.Boolean()
    version = fields.Integer()


class InitiativePageSchema(Schema):
    items = fields.List(fields.Nested(InitiativeSchema))
    next_cursor = fields.String(allow_none=True)
    has_next = fields.Boolean()
    total = fields.Integer()


class OrganisationSchema(Schema):
    slug = fields.String()
    name = fields.String()
    type = fields.String(allow_none=True)
    type_name = fields.String(allow_none=True)
    country = fields.String(allow_none=True)
    org_identifier = fields.String(allow_none=True)
    aliases = fields.List(fields.String())
    verified = fields.Boolean()


class OrganisationInputSchema(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    type = fields.String(allow_none=True, validate=validate.OneOf(list(vocab.ORGANISATION_TYPES)))
    country = fields.String(allow_none=True, validate=validate.Regexp(r"^[A-Za-z]{2}$"))
    org_identifier = fields.String(allow_none=True, validate=validate.Length(max=120))
    aliases = fields.List(fields.String(validate=validate.Length(max=300)))
    description = fields.String(validate=validate.Length(max=5000))


class GoalSchema(Schema):
    code = fields.String()
    title = fields.String()
    short_title = fields.String(allow_none=True)
    colour = fields.String(allow_none=True)
    level = fields.String()
    sdg_code = fields.String(allow_none=True)
    targets = fields.List(fields.Dict())


class VisionSchema(Schema):
    slug = fields.String()
    name = fields.String()
    description = fields.String()
    goals = fields.List(fields.Nested(GoalSchema))


class TagSchema(Schema):
    key = fields.String()
    label = fields.String()
    aliases = fields.List(fields.String())
    count = fields.Integer()


class ErrorSchema(Schema):
    error = fields.Dict(metadata={"description": '{"code", "message", "fields": {"field": ["why"]}}'})


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
