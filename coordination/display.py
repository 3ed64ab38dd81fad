"""Words for codes, at display time: what a person reads instead of `SV`, `22`, `KE042` or `hxl:x.csv#row=3`.

Stored data keeps its codes (the API writes them, importers match on them); pages turn
them into names with these helpers. Unknown codes are shown as they are.
"""
from __future__ import annotations

import re
from functools import cache

from . import vocab

# OCHA P-codes as the engine's explanations carry them: ISO2 then digits (SV10, KE042, AF0101).
_PCODE = re.compile(r"\b([A-Z]{2}\d{2,})\b")
# A bare country code only where the explanation names an area: "both in ME".
_BOTH_IN_COUNTRY = re.compile(r"\bboth in ([A-Z]{2})\b")
_PROVENANCE = re.compile(r"^(?P<kind>hxl|iati|csv|file):(?P<file>[^#]+?)(?:#(?P<ref>.*))?$")


@cache
def _areas() -> tuple[dict[str, str], dict[str, str]]:
    """Country names by ISO2, and admin area names ("Kisumu", "Kondele, Kisumu") by P-code."""
    from .geo.gazetteer import default_gazetteer

    countries: dict[str, str] = {}
    areas: dict[str, str] = {}
    for place in default_gazetteer().places:
        if place.precision == "country":
            countries[place.country] = place.name
        elif place.precision == "admin1" and place.admin1_code:
            areas[place.admin1_code] = place.name
        elif place.precision == "admin2" and place.admin2_code:
            areas[place.admin2_code] = f"{place.name}, {place.admin1}" if place.admin1 else place.name
    return countries, areas


def country_name(code: str | None) -> str:
    """'SV' → 'El Salvador'; an unknown code as it is; '' for None."""
    if not code:
        return ""
    return _areas()[0].get(code.strip().upper(), code)


def country_choices() -> list[tuple[str, str]]:
    """(ISO2, name) of every country, sorted by name, for forms."""
    return sorted(_areas()[0].items(), key=lambda kv: kv[1].lower())


def area_name(code: str | None) -> str:
    """'KE042' → 'Kisumu'; 'KE' → 'Kenya'; an unknown code as it is."""
    if not code:
        return ""
    countries, areas = _areas()
    key = code.strip().upper()
    return areas.get(key) or countries.get(key) or code


def organisation_type_name(code: str | None) -> str:
    """'22' → 'National NGO' (IATI OrganisationType); an unknown code as it is."""
    if not code:
        return ""
    return vocab.ORGANISATION_TYPES.get(str(code), str(code))


def names_in_text(text: str | None) -> str:
    """An engine explanation with area codes named: 'both in KE042' → 'both in Kisumu'."""
    if not text:
        return ""
    _countries, areas = _areas()
    text = _PCODE.sub(lambda m: areas.get(m.group(1), m.group(1)), text)
    return _BOTH_IN_COUNTRY.sub(lambda m: "both in " + country_name(m.group(1)), text)


def why_text(explanation: str | None) -> str:
    """An explanation after the word "Why:": with its areas named and without the engine's
    "Overlap: " opening (the list already says these are overlaps)."""
    text = names_in_text(explanation)
    return text[len("Overlap: "):] if text.startswith("Overlap: ") else text


def provenance_text(provenance: str | None) -> str:
    """Where a record came from, in words.

    'hxl:whowhatwhere_345_honduras.csv#row=3' → 'Imported from whowhatwhere_345_honduras.csv, row 3';
    'iati:covid.xml#XM-DAC-41114-1' → 'Imported from covid.xml (IATI activity XM-DAC-41114-1)';
    'web form' → 'Registered on this platform'.
    """
    if not provenance:
        return ""
    value = provenance.strip()
    if value == "web form":
        return "Registered on this platform"
    m = _PROVENANCE.match(value)
    if not m:
        return value
    name, ref = m.group("file").rsplit("/", 1)[-1], (m.group("ref") or "").strip()
    row = re.fullmatch(r"row=(\d+)", ref)
    if row:
        return f"Imported from {name}, row {row.group(1)}"
    if ref and m.group("kind") == "iati":
        return f"Imported from {name} (IATI activity {ref})"
    if ref:
        return f"Imported from {name} ({ref})"
    return f"Imported from {name}"


def verification_label(verified: bool, has_accounts: bool, published: bool = False) -> str | None:
    """What to say about verification, or None when it means nothing for this organisation.

    Verification is a coordinator's check that the people who signed an organisation up on
    this platform really act for it. It is meaningful only for organisations that signed up
    here: one known from published data (`published`: it carries the identifier of its IATI
    publisher record; a sign-up never has one) is "Known from published data" — to the public
    and to its own people alike — and one known only from 3W files, with nobody signed up, has
    nothing to verify. Saying "not verified" about either would wrongly cast doubt on it.
    The organisation page and the account page both say what this returns.
    """
    if verified:
        return "Verified"
    if published:
        return "Known from published data"
    if has_accounts:
        return "Not verified yet"
    return None
