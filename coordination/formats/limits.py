"""Fitting an imported record into the platform's limits without losing the record.

A publisher's file is not wrong because a title is longer than this platform stores, or
because an activity names more places than one initiative holds. `fit_to_limits` shortens
or drops what does not fit (keeping what it can: a long title stays whole at the top of the
description, places beyond the limit still leave their countries) and returns one warning
per change, so the import keeps the record and says what was cut.

The limits are those of `coordination.validation` and `coordination.vocab` (and the column
sizes they protect), so a fitted record passes validation whatever the file said.
"""
from __future__ import annotations

from typing import Any

from .. import vocab

ORG_NAME = 300  # coordination.services.organisations.validate_organisation, Organisation.name
ORG_IDENTIFIER = 120  # Organisation.org_identifier
AREA_CODE = 32  # Location.admin1_code / admin2_code
IDENTIFIER = 200  # Initiative.iati_identifier
PROVENANCE = 300  # Initiative.provenance
LANGUAGE = 8  # Initiative.language
BUDGET_BELOW = 1e16  # validation: a budget is below 10^16
PEOPLE_AT_MOST = 10**10
ELLIPSIS = "…"


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, at a word boundary when one is near, ending in "…"."""
    if len(text) <= limit:
        return text
    room = limit - len(ELLIPSIS)
    cut = text[:room]
    space = cut.rfind(" ")
    if space >= room * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + ELLIPSIS


def _quote(text: str, limit: int = 60) -> str:
    return repr(shorten(text, limit))


def _fit_organisation(org: Any, what: str, warnings: list[str]) -> Any:
    """An organisation reference (dict) with its name and identifier within the columns."""
    if not isinstance(org, dict):
        return org
    org = dict(org)
    name = org.get("name")
    if isinstance(name, str) and len(name) > ORG_NAME:
        org["name"] = shorten(name, ORG_NAME)
        warnings.append(f"{what} name shortened to fit {ORG_NAME} characters (was {len(name)})")
    ref = org.get("org_identifier")
    if isinstance(ref, str) and len(ref) > ORG_IDENTIFIER:
        org["org_identifier"] = None
        warnings.append(f"{what} identifier {_quote(ref)} dropped: longer than {ORG_IDENTIFIER} characters")
    aliases = org.get("aliases")
    if isinstance(aliases, list):
        org["aliases"] = [a for a in aliases if isinstance(a, str) and len(a) <= ORG_NAME]
    return org


def _fit_title(record: dict[str, Any], warnings: list[str]) -> None:
    title = record.get("title")
    if not isinstance(title, str) or len(title.strip()) <= vocab.MAX_TITLE:
        return
    title = title.strip()
    record["title"] = shorten(title, vocab.MAX_TITLE)
    description = record.get("description") or ""
    if not description.startswith(title):
        record["description"] = f"{title}\n\n{description}".strip()
    warnings.append(f"title shortened to fit {vocab.MAX_TITLE} characters (was {len(title)}); "
                    "the full title opens the description")


def _fit_description(record: dict[str, Any], warnings: list[str]) -> None:
    description = record.get("description")
    if isinstance(description, str) and len(description) > vocab.MAX_DESCRIPTION:
        record["description"] = shorten(description, vocab.MAX_DESCRIPTION)
        warnings.append(f"description shortened to fit {vocab.MAX_DESCRIPTION} characters (was {len(description)})")


def _fit_tags(record: dict[str, Any], warnings: list[str]) -> None:
    tags = record.get("tags")
    if not isinstance(tags, list):
        return
    kept: list[Any] = []
    for tag in tags:
        if isinstance(tag, str) and len(tag.strip()) > vocab.MAX_TAG:
            short = shorten(tag.strip(), vocab.MAX_TAG)
            warnings.append(f"tag {_quote(tag)} shortened to fit {vocab.MAX_TAG} characters (was {len(tag.strip())})")
            tag = short
        if tag not in kept:
            kept.append(tag)
    if len(kept) > vocab.MAX_TAGS:
        dropped = kept[vocab.MAX_TAGS:]
        kept = kept[:vocab.MAX_TAGS]
        warnings.append(f"{len(dropped)} tags beyond the first {vocab.MAX_TAGS} dropped "
                        f"({', '.join(_quote(str(t), 30) for t in dropped[:5])}{', …' if len(dropped) > 5 else ''})")
    record["tags"] = kept


def _is_target(code: Any) -> bool:
    return isinstance(code, str) and "." in code and ":" not in code


def _fit_goals(record: dict[str, Any], warnings: list[str]) -> None:
    goals = record.get("goals")
    if not isinstance(goals, list) or len(goals) <= vocab.MAX_GOALS:
        return
    # A target counts under its goal: every goal named (or implied by a target) is kept, then
    # as many targets as still fit, in the file's order.
    targets = [g for g in goals if _is_target(g)]
    base = list(dict.fromkeys([g for g in goals if not _is_target(g)] + [vocab.goal_family(t) for t in targets]))
    kept_targets = set(targets[:max(0, vocab.MAX_GOALS - len(base))])
    kept = [g for g in goals if g in base or g in kept_targets] + [g for g in base if g not in goals]
    record["goals"] = kept[:vocab.MAX_GOALS]
    warnings.append(f"{len(goals)} goals and targets are more than the {vocab.MAX_GOALS} kept: "
                    f"{len(targets) - len(kept_targets)} targets counted under their goals instead")


def _fit_locations(record: dict[str, Any], warnings: list[str]) -> None:
    locations = record.get("locations")
    if not isinstance(locations, list):
        return
    fitted = []
    for loc in locations:
        if isinstance(loc, dict):
            loc = dict(loc)
            for key in ("name", "admin1", "admin2"):
                value = loc.get(key)
                if isinstance(value, str) and len(value) > vocab.MAX_NAME:
                    loc[key] = shorten(value, vocab.MAX_NAME)
                    warnings.append(f"location {key} {_quote(value)} shortened to fit {vocab.MAX_NAME} characters")
            for key in ("admin1_code", "admin2_code"):
                value = loc.get(key)
                if isinstance(value, str) and len(value) > AREA_CODE:
                    loc[key] = None
                    warnings.append(f"location {key} {_quote(value)} dropped: longer than {AREA_CODE} characters")
        fitted.append(loc)
    if len(fitted) > vocab.MAX_LOCATIONS:
        # Every country named stays (as a country-level place); precise places fill the rest.
        countries = list(dict.fromkeys(loc.get("country") for loc in fitted if isinstance(loc, dict)
                                       and loc.get("country")))
        kept = fitted[:vocab.MAX_LOCATIONS]
        while True:
            covered = {loc.get("country") for loc in kept if isinstance(loc, dict)}
            missing = [c for c in countries if c not in covered]
            if len(kept) + len(missing) <= vocab.MAX_LOCATIONS or not kept:
                break
            kept = kept[:-1]
        first = len(kept)
        kept += [{"name": None, "country": country, "admin1": None, "admin2": None, "admin1_code": None,
                  "admin2_code": None, "lat": None, "lon": None, "precision": "country"}
                 for country in missing[:vocab.MAX_LOCATIONS - len(kept)]]
        warnings.append(f"{len(fitted)} places are more than the {vocab.MAX_LOCATIONS} kept: the first {first} "
                        f"kept, and {len(kept) - first} countries of the others as countries")
        fitted = kept
    record["locations"] = fitted


def _fit_partners(record: dict[str, Any], warnings: list[str]) -> None:
    partners = record.get("partners")
    if not isinstance(partners, list):
        return
    fitted = []
    for i, partner in enumerate(partners):
        if isinstance(partner, dict) and "organisation" in partner:
            partner = dict(partner, organisation=_fit_organisation(partner["organisation"], f"partner {i + 1}",
                                                                  warnings))
        fitted.append(partner)
    if len(fitted) > vocab.MAX_PARTNERS:
        warnings.append(f"{len(fitted) - vocab.MAX_PARTNERS} participating organisations beyond the first "
                        f"{vocab.MAX_PARTNERS} dropped")
        fitted = fitted[:vocab.MAX_PARTNERS]
    record["partners"] = fitted


def _fit_scalars(record: dict[str, Any], warnings: list[str]) -> None:
    identifier = record.get("iati_identifier")
    if isinstance(identifier, str) and len(identifier) > IDENTIFIER:
        record["iati_identifier"] = identifier[:IDENTIFIER]
        warnings.append(f"identifier cut to its first {IDENTIFIER} characters (was {len(identifier)})")
    provenance = record.get("provenance")
    if isinstance(provenance, str) and len(provenance) > PROVENANCE:
        record["provenance"] = provenance[:PROVENANCE]
    language = record.get("language")
    if isinstance(language, str) and len(language) > LANGUAGE:
        record["language"] = None
        warnings.append(f"language {_quote(language)} dropped: not a language code")
    budget = record.get("budget")
    if isinstance(budget, (int, float)) and not isinstance(budget, bool) and abs(budget) >= BUDGET_BELOW:
        record["budget"], record["currency"] = None, None
        warnings.append(f"budget {budget:.0f} dropped: at most 10^16 is stored")
    people = record.get("people_targeted")
    if isinstance(people, int) and not isinstance(people, bool) and people > PEOPLE_AT_MOST:
        record["people_targeted"] = None
        warnings.append(f"people targeted {people} dropped: at most 10^10 is stored")


def fit_to_limits(record: dict[str, Any]) -> list[str]:
    """Shorten or drop, in place, what of `record` exceeds a platform limit; one warning per change."""
    warnings: list[str] = []
    if "organisation" in record:
        record["organisation"] = _fit_organisation(record["organisation"], "organisation", warnings)
    _fit_title(record, warnings)
    _fit_description(record, warnings)
    _fit_tags(record, warnings)
    _fit_goals(record, warnings)
    _fit_locations(record, warnings)
    _fit_partners(record, warnings)
    _fit_scalars(record, warnings)
    return warnings
