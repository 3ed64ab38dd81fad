"""Helpers shared by the REST handlers: reading bodies and query arguments."""
from __future__ import annotations

import json
from typing import Any

from flask import request

from coordination.errors import ValidationError


def json_body() -> Any:
    """The parsed JSON body; malformed or non-JSON bodies are a clear 400."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        raise ValidationError("The request needs a JSON body.", {"_body": ["is empty"]})
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as err:
        raise ValidationError(f"Malformed JSON: {err}", {"_body": [f"malformed JSON: {err}"]}) from None


def int_arg(name: str, default: int | None = None, lo: int | None = None, hi: int | None = None) -> int | None:
    """A whole-number query argument, checked."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError(f"Invalid {name}.", {name: [f"must be a whole number, got {raw!r}"]}) from None
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ValidationError(f"Invalid {name}.", {name: [f"must be between {lo} and {hi}"]})
    return value
