"""How one organisation is written many ways: names, acronyms and identifiers as matching keys.

Pure functions of strings. "United Nations Children's Fund (UNICEF)", "UNITED NATIONS
CHILDREN'S FUND" and "UN Children's Fund" give the same name key; "(UNICEF)" is an
acronym, kept apart because a bare acronym names many organisations ("ADA" is an Afghan
NGO and an Austrian agency), and `CH-FDJP-CHE-106823242` and `CH-FDJP-CHE106823242`
give the same identifier key.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text import fold, name_key

# Spellings of one word that real files mix ("World Food Program" / "WORLD FOOD PROGRAMME").
_SPELLINGS = {
    "programme": "program", "programmes": "programs", "organization": "organisation",
    "organizations": "organisations", "centre": "center", "un": "united nations",
    "intl": "international", "int": "international", "internat": "international",
    "dev": "development", "dev t": "development",
}
_LEADING_WORDS = ("the ",)
_ACRONYM_CHARS = re.compile(r"^[A-Za-z0-9][A-Za-z0-9&.'\-]{1,14}$")
# An acronym written beside the name: "Name (ACR)", "Name - ACR", "ACR - Name", "ACR-Name".
_TRAILING_PAREN = re.compile(r"^(?P<name>.+?)\s*\((?P<acr>[^()]+)\)\s*$")
_TRAILING_DASH = re.compile(r"^(?P<name>.+?)\s+[-–]\s+(?P<acr>\S+)\s*$")
_LEADING_DASH = re.compile(r"^(?P<acr>[^\s-]+)\s*[-–]\s*(?P<name>.+)$")


def looks_like_acronym(text: str) -> bool:
    """One short word written in capitals ("UNICEF", "MSF-F", "ACTED"): a possible acronym."""
    text = text.strip()
    letters = [c for c in text if c.isalpha()]
    return (bool(_ACRONYM_CHARS.match(text)) and len(letters) >= 2 and len(text) >= 3
            and sum(c.isupper() for c in letters) >= max(2, len(letters) - 1))


def acronym_key(text: str) -> str:
    """An acronym's key: letters and digits only, lower case ("MSF - F" and "MSF-F" alike)."""
    return re.sub(r"[^a-z0-9]+", "", fold(text))


def loose_key(name: str) -> str:
    """A name's matching key: folded, punctuation dropped, spellings and "&"/"and" unified."""
    key = " " + name_key(name.replace("&", " and ")) + " "
    for word, same in _SPELLINGS.items():
        key = key.replace(f" {word} ", f" {same} ")
    key = key.strip()
    for lead in _LEADING_WORDS:
        key = key.removeprefix(lead)
    return key


def _spelled_out(text: str) -> bool:
    """A name written in words, not another acronym or a fragment ("F" in "MSF - F")."""
    return " " in text.strip() and not looks_like_acronym(text)


def split_acronym(name: str) -> tuple[str, str | None]:
    """("United Nations Children's Fund", "UNICEF") from "United Nations Children's Fund (UNICEF)".

    Only a part that looks like an acronym is split off: "Women and Children First (UK)"
    keeps "(UK)" out of the acronyms (two letters), and "Terre des hommes - Aide à
    l'enfance" stays whole (neither side is an acronym).
    """
    name = name.strip()
    for pattern in (_TRAILING_PAREN, _TRAILING_DASH, _LEADING_DASH):
        found = pattern.match(name)
        if found and looks_like_acronym(found["acr"]) and _spelled_out(found["name"]):
            return found["name"].strip(), found["acr"].strip()
    return name, None


# An org-id has a digit ("XM-DAC-41122", "44000", "G82484882") or an agency prefix
# ("XI-IATI-UNPF", "CN-GOV"); "N/A", "none" or "-" in an identifier column are placeholders.
_ORG_ID = re.compile(r"^(?=.*[0-9])[A-Za-z0-9][A-Za-z0-9_./:\- ]*$|^[A-Za-z]{2}-[A-Za-z0-9_]{2,}(-[A-Za-z0-9_.\-]+)?$")


def usable_identifier(identifier: object) -> str | None:
    """The identifier, trimmed, or None for an empty value or a placeholder such as "N/A"."""
    if not isinstance(identifier, str) or not _ORG_ID.match(identifier.strip()):
        return None
    return identifier.strip()


def identifier_key(identifier: str) -> str:
    """An org-id's matching key: upper case, letters and digits only.

    A bare number is a DAC channel code written the old way: "41122" is `XM-DAC-41122`.
    """
    key = re.sub(r"[^A-Z0-9]+", "", identifier.upper())
    return "XMDAC" + key if key.isdigit() else key


@dataclass
class Identity:
    """The keys one description of an organisation gives: full names, acronyms, identifier."""

    names: set[str] = field(default_factory=set)
    acronyms: set[str] = field(default_factory=set)
    identifier: str | None = None

    def add_name(self, text: str, primary: bool = False) -> None:
        """Add a name as written, its acronym split off.

        A bare acronym is only an acronym, except as the organisation's own name: two
        organisations registered as "UNICEF" are written the same way, whereas an alias
        "ADA" says no more than that the organisation is known by those letters.
        """
        full, acronym = split_acronym(text)
        if acronym:
            self.acronyms.add(acronym_key(acronym))
        if looks_like_acronym(full):
            self.acronyms.add(acronym_key(full))
            if not primary:
                return
        if loose_key(full):
            self.names.add(loose_key(full))

    def keys(self) -> list[str]:
        """The stored "|key|" entries: name keys bare, acronyms as a:..., identifier as id:..."""
        keys = sorted(self.names) + sorted(f"a:{a}" for a in self.acronyms if a)
        return keys + ([f"id:{identifier_key(self.identifier)}"] if self.identifier else [])


def identity_of(names: list[str], identifier: str | None = None) -> Identity:
    """The identity keys of a list of names (name first, then aliases) and an identifier."""
    identity = Identity(identifier=usable_identifier(identifier))
    for i, text in enumerate(names):
        if isinstance(text, str) and text.strip():
            identity.add_name(text, primary=i == 0)
    return identity


def stored_keys(identity: Identity) -> str:
    """The "|key|key|" text kept in `Organisation.alias_keys`, searchable with LIKE anywhere."""
    keys = identity.keys()
    return "|" + "|".join(keys) + "|" if keys else ""
