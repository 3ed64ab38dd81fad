"""Helpers shared by the REST handlers: reading bodies and query arguments."""
from __future__ import annotations

import json
from typing import Any

from flask import request

from coordination.errors import ValidationError

NUL_MESSAGE = "must not contain NUL (U+0000) characters"


def nul_fields(value: Any) -> list[str]:
    """Where strings (keys or values) in parsed JSON contain NUL, as field paths ("goals.0")."""
    found, stack = [], [("", value)]
    while stack:  # not recursive: a deeply nested body must not exhaust the stack
        path, item = stack.pop()
        if isinstance(item, str) and "\x00" in item:
            found.append(path or "_body")
        elif isinstance(item, dict):
            for key, child in item.items():
                name = f"{path}.{key}" if path else str(key)
                if "\x00" in str(key):
                    found.append(name)
                else:
                    stack.append((name, child))
        elif isinstance(item, list):
            stack.extend((f"{path}.{i}" if path else str(i), child) for i, child in enumerate(item))
    return sorted(found)


def refuse_nul(fields: list[str]) -> None:
    """A 400 naming the fields that hold NUL characters, which no text column can store."""
    if fields:
        raise ValidationError("Text may not contain NUL characters.", {name: [NUL_MESSAGE] for name in fields})


def json_body() -> Any:
    """The parsed JSON body; malformed or non-JSON bodies are a clear 400."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        raise ValidationError("The request needs a JSON body.", {"_body": ["is empty"]})
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as err:
        raise ValidationError(f"Malformed JSON: {err}", {"_body": [f"malformed JSON: {err}"]}) from None
    refuse_nul(nul_fields(body))
    return body


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
