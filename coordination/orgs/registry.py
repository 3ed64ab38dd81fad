"""Organisations the IATI world already knows: publishers and IATI-issued identifiers.

Two lists shipped in `coordination/data/iati/` (see its SOURCES.md): the IATI publishers
(identifier, name as published, OrganisationType) and the XI-IATI identifiers the IATI
Secretariat issued. They say that `XM-DAC-41122` is "United Nations Children's Fund
(UNICEF)", and so that the letters "UNICEF" stand for that one agency.
"""
from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .names import Identity, identifier_key, identity_of, split_acronym

DATA = Path(__file__).resolve().parent.parent / "data" / "iati"
MULTILATERAL = "40"


@dataclass(frozen=True)
class KnownOrganisation:
    """One organisation as the IATI lists name it."""

    identifier: str
    name: str
    type: str | None

    @property
    def identity(self) -> Identity:
        """Its name keys, acronym and identifier."""
        return identity_of([self.name], self.identifier)


def _publishers(path: Path) -> list[KnownOrganisation]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [KnownOrganisation(row["code"].strip(), row["name"].strip(),
                                  row.get("codeforiati:organisation-type-code") or None)
                for row in csv.DictReader(handle) if row.get("code") and row.get("name")]


def _iati_identifiers(path: Path) -> list[KnownOrganisation]:
    root = ET.parse(path).getroot()
    return [KnownOrganisation(item.findtext("code", "").strip(),
                              item.findtext("name/narrative", "").strip(), None)
            for item in root.iter("codelist-item") if item.findtext("code")]


class Registry:
    """Look-ups by identifier and by acronym over the known organisations."""

    def __init__(self, known: list[KnownOrganisation]):
        self.by_identifier: dict[str, KnownOrganisation] = {}
        self.by_acronym: dict[str, list[KnownOrganisation]] = {}
        for org in known:
            self.by_identifier.setdefault(identifier_key(org.identifier), org)
            for acronym in org.identity.acronyms:
                self.by_acronym.setdefault(acronym, []).append(org)

    def find(self, identifier: str | None) -> KnownOrganisation | None:
        """The organisation an identifier stands for, if IATI lists it."""
        return self.by_identifier.get(identifier_key(identifier)) if identifier else None

    def agency(self, acronym: str) -> KnownOrganisation | None:
        """The international agency a bare acronym stands for everywhere, if there is one.

        Only an acronym that exactly one listed organisation uses (however many times it
        is listed) and that organisation multilateral: "UNICEF", "WHO", "UNHCR". National
        organisations' letters ("ADA", "CARE", "AECID") mean one organisation only in their
        own country, so a bare acronym is never taken for them.
        """
        candidates = self.by_acronym.get(acronym, [])
        names = {split_acronym(o.name)[0].casefold() for o in candidates}
        if len(names) != 1 or any(o.type != MULTILATERAL for o in candidates):
            return None
        return candidates[0]


@lru_cache(maxsize=1)
def registry() -> Registry:
    """The registry built from the shipped lists (read once per process)."""
    return Registry(_publishers(DATA / "ReportingOrganisation.csv")
                    + _iati_identifiers(DATA / "IATIOrganisationIdentifier.xml"))
