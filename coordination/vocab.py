"""Controlled vocabularies and limits shared by validation, the doors and the importers."""
from __future__ import annotations

import re

# IATI ActivityStatus codes, named as the API writes them.
STATUS_CODES = {
    "pipeline": 1, "implementation": 2, "finalisation": 3,
    "closed": 4, "cancelled": 5, "suspended": 6,
}
STATUS_NAMES = {v: k for k, v in STATUS_CODES.items()}


def status_from_dates(start: str | None, end: str | None, today: str) -> str | None:
    """The status dates imply (ISO dates compare as text): pipeline before the start,
    implementation between start and end, closed after the end; None without a usable date.

    For forms where the person did not choose a status; a chosen one always wins.
    """
    iso = re.compile(r"^\d{4}-\d\d-\d\d$")
    start = start if isinstance(start, str) and iso.match(start) else None
    end = end if isinstance(end, str) and iso.match(end) else None
    if end and end < today:
        return "closed"
    if start and start > today:
        return "pipeline"
    if start or end:
        return "implementation"
    return None

# IATI OrganisationRole codes.
PARTNER_ROLES = {"funding": 1, "accountable": 2, "extending": 3, "implementing": 4}

# IATI OrganisationType codes (codelist OrganisationType, version 2.03).
ORGANISATION_TYPES = {
    "10": "Government", "11": "Local Government", "15": "Other Public Sector",
    "21": "International NGO", "22": "National NGO", "23": "Regional NGO",
    "24": "Partner Country based NGO", "30": "Public Private Partnership",
    "40": "Multilateral", "60": "Foundation", "70": "Private Sector",
    "71": "Private Sector in Provider Country", "72": "Private Sector in Aid Recipient Country",
    "73": "Private Sector in Third Country", "80": "Academic, Training and Research",
    "90": "Other",
}

VISIBILITIES = ("public", "private")
PUBLIC_PRECISIONS = ("exact", "admin", "country")
LOCATION_PRECISIONS = ("point", "admin2", "admin1", "country")
# A location's fields, in every door's order: (name, "text" or "number"). Validation lives in
# coordination.validation; the REST, GraphQL and OpenAPI shapes are built from this list.
LOCATION_FIELDS = (("name", "text"), ("country", "text"), ("admin1", "text"), ("admin2", "text"),
                   ("admin1_code", "text"), ("admin2_code", "text"), ("lat", "number"), ("lon", "number"),
                   ("precision", "text"))
ROLES = ("member", "admin", "coordinator", "platform_admin")

MAX_TITLE = 300
MAX_DESCRIPTION = 20_000
MAX_NAME = 200
MAX_TAG = 120
MAX_TAGS = 50
MAX_LOCATIONS = 200
MAX_GOALS = 60
MAX_PARTNERS = 50

_CODE = re.compile(r"^\s*(?:(?:sdg|goal|target)\s*)?(\d{1,2})(?:\.([0-9]{1,2}|[a-zA-Z]))?\s*$",
                   re.IGNORECASE)


def normalise_goal_code(code: str) -> str | None:
    """Canonical SDG-style code: "6.A" → "6.a", "Goal 6" → "6", " 06.1 " → "6.1"; None if not a code."""
    m = _CODE.match(str(code))
    if not m:
        return None
    goal = str(int(m.group(1)))
    if m.group(2) is None:
        return goal
    sub = m.group(2)
    return f"{goal}.{sub.lower() if sub.isalpha() else int(sub)}"


def goal_family(code: str) -> str:
    """The goal a code belongs to: "6.1" → "6"."""
    return code.split(".", 1)[0]


SDG_VISION = "sdg"  # the built-in vision's slug


def goal_reference(vision_slug: str, code: str) -> str:
    """How every door writes a goal: "6.1" for the SDGs, "slug:code" for another vision's goal."""
    return code if vision_slug == SDG_VISION else f"{vision_slug}:{code}"


def split_goal_reference(ref: str) -> tuple[str, str]:
    """(vision slug, code) of a goal reference: "6.1" -> ("sdg", "6.1"), "coalition:W1" -> ("coalition", "W1")."""
    slug, _, code = ref.rpartition(":")
    return (slug, code) if slug else (SDG_VISION, ref)
