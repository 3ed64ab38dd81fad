"""Visions, goals and targets; tags and their curation; suggestions of goals, tags and places."""
from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from coordination import vocab


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


class SuggestedTagSchema(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    count = fields.Integer(required=True, metadata={"description": "Initiatives carrying it, any visibility"})


class TagMergeSuggestionSchema(Schema):
    work = fields.String(required=True, metadata={"description": "Code of the kind of work the labels name"})
    work_label = fields.String(required=True)
    into = fields.String(required=True, metadata={"description": "The most used tag of the group"})
    tags = fields.List(fields.Nested(SuggestedTagSchema), required=True)


class TagMergeSuggestionListSchema(Schema):
    items = fields.List(fields.Nested(TagMergeSuggestionSchema), required=True)


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
    because = fields.List(fields.String(), metadata={
        "description": "The words of the text the goal's score rests on most, strongest first (for a "
                       "target, its goal's)"})


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
