"""The one error shape, and loading a body through a schema into it."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields


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
