"""What an import works out of each record without the database, wherever the file is parsed.

A record read from a file is fitted to the platform's limits (a negative budget dropped, texts
shortened: each change a warning) and then checked as a form would check it
(`validation.validate_initiative`, places normalised: `drafts.PlaceCache`). None of that
needs the database, so a big IATI file has it done in its parser process
(`parse_ahead`), beside the importing process, which then only resolves names, writes and
detects. A record whose check fails is checked again where it is built (`drafts.build_draft`),
so its refusal is the same whichever process saw it first.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import DomainError
from ..formats.items import ImportItem
from ..formats.limits import fit_to_limits
from ..validation import validate_initiative
from .drafts import PlaceCache


@dataclass(slots=True)
class Prepared:
    """An item and what was worked out of its record: the warnings of fitting it, and its
    checked form (`validate_initiative`'s, places normalised), None when it must be checked
    again (it was refused, or the item has no record)."""

    item: ImportItem
    notes: list[str]
    checked: dict[str, Any] | None

    def __reduce__(self) -> tuple[Any, ...]:
        return (Prepared, (self.item, self.notes, self.checked))  # sent by a parser process: see ImportItem's


def fit_record(item: ImportItem, organisation: str | None) -> list[str]:
    """Fit the item's record to the platform's limits in place; return the warnings (the
    parser's first). `organisation` (a slug) registers the record for that organisation."""
    record = item.record
    assert record is not None
    notes = list(item.warnings or [])
    if isinstance(record.get("budget"), (int, float)) and record["budget"] < 0:
        # Net de-obligations in real IATI files: keep the activity, not the budget.
        notes.append(f"negative budget {record['budget']} dropped")
        record["budget"], record["currency"] = None, None
    notes.extend(fit_to_limits(record))
    if organisation:
        record["organisation"] = organisation
    return notes


class Preparer:
    """`Prepared` items of one import: fitted, then checked with places normalised `strict`ly
    (every writer but the system: `drafts.build_draft`)."""

    def __init__(self, organisation: str | None, strict: bool) -> None:
        self.organisation, self.strict = organisation, strict
        self.places = PlaceCache()

    def warm(self) -> None:
        """Load what checking places reads (the gazetteer, the country outlines), here, before a
        parser process is forked: it then shares them instead of loading its own copy while
        this process waits for its first records (and loads them again later)."""
        try:
            self.places.normalise([{"name": "Kisumu", "country": "KE", "lat": -0.0917, "lon": 34.768}], False)
        except DomainError:  # a gazetteer without the place still loaded
            pass

    def __call__(self, item: ImportItem) -> Prepared:
        if item.problem is not None or item.record is None:
            return Prepared(item, [], None)
        notes = fit_record(item, self.organisation)
        try:
            checked = with_places_normalised(validate_initiative(item.record), self.places, self.strict)
        except DomainError:
            checked = None  # refused where it is built, with the same reasons
        return Prepared(item, notes, checked)


def with_places_normalised(checked: dict[str, Any], places: PlaceCache, strict: bool) -> dict[str, Any]:
    """`validate_initiative`'s form of a record with its places normalised as building it
    normalises them (`strict`ly for every writer but the system): the checked form
    `drafts.build_draft` takes. Raises the places' refusal (a DomainError)."""
    if "locations" in checked:
        checked["locations"] = places.normalise(checked["locations"], strict)
    return checked
