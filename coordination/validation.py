"""Validation of initiative input as plain data, the last line every door passes.

The web doors also parse with marshmallow first (types, OpenAPI), but the importers
and the service layer rely on this module alone, so it checks everything itself and
reports every problem at once: `{"field": ["why", ...]}`, with list items written
`locations.2.lat`.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from . import vocab
from .errors import ValidationError

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_CENT = Decimal("0.01")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
FIELDS = {
    "title", "description", "organisation", "partners", "goals", "primary_goal", "tags",
    "locations", "start", "end", "status", "budget", "currency", "people_targeted",
    "visibility", "public_precision", "iati_identifier", "language", "provenance",
    "related_identifiers", "title_generated",
}
MAX_RELATED_IDENTIFIERS = 100


class _Errors(dict):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)


def _text(errors: _Errors, name: str, value: Any, limit: int, required: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.add(name, "is required and may not be blank")
        return None if value is None else ""
    if not isinstance(value, str):
        errors.add(name, "must be a string")
        return None
    if len(value) > limit:
        errors.add(name, f"is too long ({len(value)} characters, at most {limit})")
        return None
    return value


def _date(errors: _Errors, name: str, value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10]) if len(value.strip()) == 10 else date.fromisoformat(value.strip())
        except ValueError:
            pass
    errors.add(name, f"must be a date written YYYY-MM-DD, got {value!r}")
    return None


def _number(errors: _Errors, name: str, value: Any, lo: float, hi: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        errors.add(name, "must be a number")
        return None
    if value != value or not (lo <= value <= hi):  # NaN fails too
        errors.add(name, f"must be between {lo:g} and {hi:g}, got {value}")
        return None
    return float(value)


def _location(errors: _Errors, i: int, loc: Any) -> dict | None:
    p = f"locations.{i}"
    if not isinstance(loc, dict):
        errors.add(p, "must be an object")
        return None
    out: dict[str, Any] = {}
    for key in ("name", "admin1", "admin2", "admin1_code", "admin2_code"):
        out[key] = _text(errors, f"{p}.{key}", loc.get(key), vocab.MAX_NAME)
    country = loc.get("country")
    if country is not None:
        if not isinstance(country, str) or not _COUNTRY.match(country.strip().upper()):
            errors.add(f"{p}.country", f"must be an ISO 3166-1 alpha-2 code such as 'KE', got {country!r}")
        else:
            country = country.strip().upper()
    out["country"] = country
    out["lat"] = _number(errors, f"{p}.lat", loc.get("lat"), -90, 90)
    out["lon"] = _number(errors, f"{p}.lon", loc.get("lon"), -180, 180)
    if (loc.get("lat") is None) != (loc.get("lon") is None):
        errors.add(p, "lat and lon must be given together")
    if loc.get("lat") is None and not (country or out["admin1"] or out["name"]):
        errors.add(p, "needs a point (lat, lon), a country or a place name")
    precision = loc.get("precision") or ("point" if loc.get("lat") is not None else
                                         "admin2" if out["admin2"] else
                                         "admin1" if out["admin1"] else "country")
    if precision not in vocab.LOCATION_PRECISIONS:
        errors.add(f"{p}.precision", f"must be one of {', '.join(vocab.LOCATION_PRECISIONS)}")
    out["precision"] = precision
    unknown = set(loc) - set(out) - {"precision"}
    for key in sorted(unknown):
        errors.add(f"{p}.{key}", "is not a known field")
    return out


def _goal_code(code: Any) -> str | None:
    """SDG codes are normalised; a code of another vision is written "slug:code"."""
    if isinstance(code, str) and ":" in code:
        slug, _, local = code.strip().partition(":")
        return f"{slug}:{local}" if slug and local else None
    return vocab.normalise_goal_code(str(code)) if isinstance(code, (str, int)) else None


def _list(errors: _Errors, name: str, value: Any, limit: int) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        errors.add(name, "must be a list")
        return []
    if len(value) > limit:
        errors.add(name, f"has {len(value)} items, at most {limit} are allowed")
        return []
    return value


def validate_initiative(data: Any, partial: bool = False) -> dict[str, Any]:
    """Check and clean an initiative's input; raise ValidationError naming every bad field.

    With `partial` (an edit), only the fields present are checked and returned.
    """
    if not isinstance(data, dict):
        raise ValidationError("The body must be a JSON object.", {"_body": ["must be an object"]})
    errors = _Errors()
    out: dict[str, Any] = {}
    for key in sorted(set(data) - FIELDS):
        errors.add(key, "is not a known field")
    has = (lambda k: k in data) if partial else (lambda k: True)

    if has("title"):
        out["title"] = _text(errors, "title", data.get("title"), vocab.MAX_TITLE, required=True)
        if out["title"]:
            out["title"] = out["title"].strip()
    if has("description"):
        out["description"] = _text(errors, "description", data.get("description"), vocab.MAX_DESCRIPTION) or ""
    if has("goals"):
        codes = []
        for i, code in enumerate(_list(errors, "goals", data.get("goals"), vocab.MAX_GOALS)):
            norm = _goal_code(code)
            if norm is None:
                errors.add("goals", f"{code!r} is not a goal or target code (expected e.g. '6' or '6.1')")
            elif norm not in codes:
                codes.append(norm)
        out["goals"] = codes
    if has("primary_goal") and data.get("primary_goal") is not None:
        norm = _goal_code(data["primary_goal"])
        if norm is None:
            errors.add("primary_goal", f"{data['primary_goal']!r} is not a goal or target code")
        out["primary_goal"] = norm
    if has("tags"):
        tags = []
        for i, tag in enumerate(_list(errors, "tags", data.get("tags"), vocab.MAX_TAGS)):
            t = _text(errors, f"tags.{i}", tag, vocab.MAX_TAG, required=True)
            if t:
                tags.append(t.strip())
        out["tags"] = tags
    if has("locations"):
        locs = [_location(errors, i, loc) for i, loc in
                enumerate(_list(errors, "locations", data.get("locations"), vocab.MAX_LOCATIONS))]
        out["locations"] = [loc for loc in locs if loc is not None]
    if has("partners"):
        partners = []
        for i, p in enumerate(_list(errors, "partners", data.get("partners"), vocab.MAX_PARTNERS)):
            if not isinstance(p, dict) or "organisation" not in p:
                errors.add(f"partners.{i}", "must be an object with 'organisation' and 'role'")
                continue
            role = p.get("role", "implementing")
            if not isinstance(role, str) or role not in vocab.PARTNER_ROLES:
                errors.add(f"partners.{i}.role", f"must be one of {', '.join(vocab.PARTNER_ROLES)}")
            partners.append({"organisation": p["organisation"], "role": role})
        out["partners"] = partners
    for key in ("start", "end"):
        if has(key):
            out[key] = _date(errors, key, data.get(key))
    if out.get("start") and out.get("end") and out["end"] < out["start"]:
        errors.add("end", f"must not be before start ({out['start'].isoformat()})")
    if has("status") and data.get("status") is not None:
        if not isinstance(data["status"], str) or data["status"] not in vocab.STATUS_CODES:
            errors.add("status", f"must be one of {', '.join(vocab.STATUS_CODES)}")
        out["status"] = data["status"]
    elif has("status"):
        out["status"] = None
    if has("budget"):
        value = data.get("budget")
        if value is not None:
            try:
                if isinstance(value, bool):
                    raise InvalidOperation
                budget = Decimal(str(value))
                if not budget.is_finite() or budget < 0:
                    raise InvalidOperation
                # To the cent, as the column keeps it (NUMERIC(18, 2) rounds half up): the
                # value the answer shows is then the value stored.
                budget = budget.quantize(_CENT, ROUND_HALF_UP)
                if budget >= Decimal("1e16"):
                    raise InvalidOperation
                out["budget"] = budget
            except InvalidOperation:
                errors.add("budget", f"must be a non-negative amount below 10^16, got {value!r}")
        else:
            out["budget"] = None
    if has("currency"):
        cur = data.get("currency")
        if cur is not None and (not isinstance(cur, str) or not _CURRENCY.match(cur.upper())):
            errors.add("currency", f"must be an ISO 4217 code such as 'USD', got {cur!r}")
        out["currency"] = cur.upper() if isinstance(cur, str) else None
    if out.get("budget") is not None and not (out.get("currency") or (partial and "currency" not in data)):
        errors.add("currency", "is required when a budget is given")
    if has("people_targeted"):
        n = data.get("people_targeted")
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 0 or n > 10**10):
            errors.add("people_targeted", "must be a whole number between 0 and 10^10")
        out["people_targeted"] = n
    if has("visibility"):
        v = data.get("visibility") or "public"
        if v not in vocab.VISIBILITIES:
            errors.add("visibility", f"must be one of {', '.join(vocab.VISIBILITIES)}")
        out["visibility"] = v
    if has("public_precision"):
        v = data.get("public_precision") or "exact"
        if v not in vocab.PUBLIC_PRECISIONS:
            errors.add("public_precision", f"must be one of {', '.join(vocab.PUBLIC_PRECISIONS)}")
        out["public_precision"] = v
    for key, limit in (("iati_identifier", 200), ("language", 8), ("provenance", 300)):
        if has(key):
            out[key] = _text(errors, key, data.get(key), limit)
    if has("related_identifiers"):
        related = _list(errors, "related_identifiers", data.get("related_identifiers"), MAX_RELATED_IDENTIFIERS)
        cleaned = [_text(errors, f"related_identifiers.{i}", v, 200, required=True) for i, v in enumerate(related)]
        out["related_identifiers"] = list(dict.fromkeys(v.strip() for v in cleaned if v))
    if has("title_generated"):
        if not isinstance(data.get("title_generated", False), bool):
            errors.add("title_generated", "must be true or false")
        out["title_generated"] = data.get("title_generated") is True
    if "organisation" in data:
        out["organisation"] = data["organisation"]
    if errors:
        first = next(iter(errors))
        raise ValidationError(f"Invalid initiative: {first} {errors[first][0]}.", dict(errors))
    return out
