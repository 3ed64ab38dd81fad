"""Generated titles: telling a 3W row's made-up "<sector> in <place>" from a title somebody wrote.

The HXL importer marks the titles it generates (`title_generated`). Records written before it
did (the demo seed's JSON, older exports) are recognised by the same rule the importer uses
(`hxl_import._title`): no activity name, so the title is the first sector and the admin-1
area (or country) of the first place.
"""
from __future__ import annotations

from typing import Any

from . import codes


def title_looks_generated(record: dict[str, Any]) -> bool:
    """True when an HXL record without a description has exactly the importer's generated title."""
    if not str(record.get("provenance") or "").startswith("hxl:") or (record.get("description") or "").strip():
        return False
    tags = record.get("tags") or []
    first = (record.get("locations") or [{}])[0]
    what = tags[0] if tags else "Activity"
    where = first.get("admin1") or codes.country_codes().get(first.get("country") or "", "")
    return record.get("title") == (f"{what} in {where}" if where else what)
