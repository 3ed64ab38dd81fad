"""Helpers shared by the REST handlers: reading bodies and query arguments, answering a creation."""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from flask import Response, jsonify, request

from coordination.errors import ValidationError
from coordination.permissions import Actor

from ..auth import current_actor
from ..schemas import load_or_raise

NUL_MESSAGE = "must not contain NUL (U+0000) characters"
SURROGATE_MESSAGE = "must not contain lone surrogates (U+D800 to U+DFFF): send text as valid Unicode"
_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(text: str) -> str | None:
    """Why no text column can store `text` (a NUL or a lone surrogate), or None."""
    if "\x00" in text:
        return NUL_MESSAGE
    if _SURROGATE.search(text):
        return SURROGATE_MESSAGE
    return None


def nul_fields(value: Any) -> dict[str, str]:
    """Field paths ("goals.0") of strings (keys or values) in parsed JSON that cannot be stored, and why."""
    found: dict[str, str] = {}
    stack = [("", value)]
    while stack:  # not recursive: a deeply nested body must not exhaust the stack
        path, item = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                found[path or "_body"] = problem
        elif isinstance(item, dict):
            for key, child in item.items():
                name = f"{path}.{key}" if path else str(key)
                problem = text_problem(str(key))
                if problem:
                    found[name] = problem
                else:
                    stack.append((name, child))
        elif isinstance(item, list):
            stack.extend((f"{path}.{i}" if path else str(i), child) for i, child in enumerate(item))
    return dict(sorted(found.items()))


def refuse_nul(fields: dict[str, str]) -> None:
    """A 400 naming the fields whose text cannot be stored (NUL characters, lone surrogates), and why."""
    if fields:
        raise ValidationError("Text may not contain NUL characters or lone surrogates.",
                              {name: [why] for name, why in fields.items()})


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


def caller_and_body(require: Callable[[Actor], None], schema: Any) -> tuple[Actor, Any]:
    """The caller, once `require` lets them through, and the JSON body loaded with `schema`."""
    actor = current_actor()
    require(actor)
    return actor, load_or_raise(schema, json_body())


def created(body: Any, location: str) -> Response:
    """A 201 answer: the new resource, and where it lives."""
    response = jsonify(body)
    response.status_code = 201
    response.headers["Location"] = location
    return response
