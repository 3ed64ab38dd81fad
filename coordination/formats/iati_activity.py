"""One IATI `<iati-activity>` element (versions 2.01-2.03) mapped to the initiative shape.

Only direct children of the activity are read: `<location>` and `<sector>` also occur
inside results and transactions, where they mean something else (sectors on
transactions are used only when the activity has none, as WHO publishes them; so are
recipient countries, which the standard allows on every transaction instead).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from lxml import etree

from ..text import fold
from . import codes
from .cleaning import is_iso_date, parse_number, squash, strip_html
from .iati_links import related_identifiers
from .iati_narratives import BOGUS_LANG, XML_LANG, narratives, pick
from .iati_places import locations
from .items import ImportItem, ImportProblem
from .xml_children import Children

DAC_VOCABULARIES = {"1", "2", ""}
SDG_GOAL_VOCABULARIES = {("tag", "2"), ("sector", "7")}
SDG_TARGET_VOCABULARIES = {("tag", "3"), ("sector", "8"), ("sector", "9")}
SDG_VOCABULARIES = SDG_GOAL_VOCABULARIES | SDG_TARGET_VOCABULARIES


def organisation(element: etree._Element, default_lang: str | None) -> dict[str, Any] | None:
    """Map a reporting-org or participating-org element to the organisation shape."""
    ref = squash(element.get("ref")) or None
    _, name = pick(narratives(element, default_lang), "en")
    if not name and not ref:
        return None
    org_type = element.get("type") or None
    return {
        "name": name or ref,
        "type": org_type if codes.is_organisation_type(org_type) else None,
        "country": codes.country_from_org_identifier(ref),
        "org_identifier": ref,
        "aliases": [],
    }


def _same_org(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Tell whether two organisation dicts name the same organisation."""
    if a.get("org_identifier") and a.get("org_identifier") == b.get("org_identifier"):
        return True
    return fold(a["name"]) == fold(b["name"])


def partners(activity: Children, lead: dict[str, Any], lang: str | None) -> list[dict[str, Any]]:
    """Participating orgs with a known role; the lead organisation itself is left out."""
    result: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for element in activity.all("participating-org"):
        role = codes.ROLE_BY_CODE.get((element.get("role") or "").strip())
        org = organisation(element, lang)
        if role is None or org is None or _same_org(org, lead):
            continue
        key = (org["org_identifier"] or fold(org["name"]), role)
        if key not in seen:
            seen.add(key)
            result.append({"organisation": org, "role": role})
    return result


def goals_and_tags(activity: Children, warnings: list[str]) -> tuple[list[str], list[str]]:
    """SDG goals from tags/sectors, and tag labels: DAC sector names first, then free labels.

    The fixed order (DAC first) makes export then import give the same list back.
    """
    goals: list[str] = []
    dac: list[str] = []
    free: list[str] = []
    sectors = activity.all("sector") or activity.below("transaction", "sector")
    for element in sectors + activity.all("tag"):
        kind = element.tag
        vocab = (element.get("vocabulary") or "1").strip()
        code = (element.get("code") or "").strip()
        if (kind, vocab) in SDG_VOCABULARIES:
            goal = codes.normalise_sdg_code(code)
            if goal is None:
                warnings.append(f"unknown SDG code {code!r} ({kind} vocabulary {vocab}) dropped")
            elif goal not in goals:
                goals.append(goal)
        elif kind == "sector" and vocab in DAC_VOCABULARIES:
            label = codes.sector_name(code)
            if label is None and code:
                warnings.append(f"unknown DAC sector code {code!r} dropped")
            elif label and label not in dac:
                dac.append(label)
        elif vocab in {"98", "99"} or (kind == "tag" and vocab == "1"):
            _, text = pick(narratives(element, None), "en")
            label = text or code
            if label and label not in free:
                free.append(label)
    return goals, dac + [label for label in free if label not in dac]


def dates(activity: Children) -> tuple[str | None, str | None]:
    """Start and end dates; actual (types 2 and 4) win over planned (1 and 3)."""
    by_type: dict[str, str] = {}
    for element in activity.all("activity-date"):
        value = (element.get("iso-date") or "")[:10]
        if is_iso_date(value):
            by_type[(element.get("type") or "").strip()] = value
    return by_type.get("2") or by_type.get("1"), by_type.get("4") or by_type.get("3")


def budget(activity: Children, warnings: list[str]) -> tuple[float | None, str | None]:
    """Sum of budgets per period (a revised budget replaces the original), one currency."""
    default = activity.element.get("default-currency") or None
    per_period: dict[str, tuple[str, float, str | None]] = {}
    for element in activity.all("budget"):
        value_el = element.find("value")
        amount = parse_number(value_el.text) if value_el is not None else None
        if amount is None:
            continue
        start_el = element.find("period-start")
        period = (start_el.get("iso-date") or "") if start_el is not None else ""
        btype = (element.get("type") or "1").strip()
        currency = (value_el.get("currency") or default or "").upper() or None  # type: ignore[union-attr]
        if period not in per_period or btype == "2":
            per_period[period] = (btype, amount, currency)
    if not per_period:
        return None, None
    by_currency: dict[str | None, float] = defaultdict(float)
    for _, amount, currency in per_period.values():
        by_currency[currency] += amount
    currency, total = max(by_currency.items(), key=lambda kv: kv[1])
    if len(by_currency) > 1:
        warnings.append(f"budgets in several currencies; only {currency} ones are summed")
    return round(total, 2), currency


# Result indicators whose target is the number of people an activity means to reach; the
# platform's own export writes the first (see iati_export._people_targeted).
PEOPLE_TARGETED_TITLES = frozenset({"people targeted", "number of people targeted", "beneficiaries targeted",
                                    "number of beneficiaries targeted", "people to be reached"})


def people_targeted(activity: Children, warnings: list[str]) -> int | None:
    """The target of a result indicator titled "People targeted" (the largest target of its
    periods; several such indicators are not summed, they may count the same people)."""
    found: list[float] = []
    for indicator in activity.below("result", "indicator"):
        titles = [fold(n.text or "") for n in indicator.iterfind("title/narrative")]
        if not PEOPLE_TARGETED_TITLES & set(titles):
            continue
        for target in indicator.iterfind("period/target"):
            value = parse_number(target.get("value") or "")
            if value is not None and 0 <= value < 1e10:
                found.append(value)
    if len({round(v) for v in found}) > 1:
        warnings.append(f"several people-targeted figures ({', '.join(str(round(v)) for v in found[:4])}); "
                        "the largest is kept")
    return round(max(found)) if found else None


def map_activity(activity: etree._Element, source: str, root_lang: str | None) -> ImportItem:
    """Map one activity element to an ImportItem (a record or a problem)."""
    line = activity.sourceline
    children = Children(activity)
    identifier = squash(children.text("iati-identifier")) or None
    if identifier is None:
        return ImportItem(problem=ImportProblem(None, "activity has no iati-identifier", line))
    default_lang = codes.normalise_language(activity.get(XML_LANG) or activity.get(BOGUS_LANG)) or root_lang
    titles = narratives(children.first("title"), default_lang)
    if not titles:
        return ImportItem(problem=ImportProblem(identifier, "activity has no title", line))
    language, title = pick(titles, "en")
    descriptions = [d for d in children.all("description") if (d.get("type") or "1") == "1"]
    descriptions = descriptions or children.all("description")
    options = [n for d in descriptions for n in narratives(d, default_lang)]
    _, description = pick(options, language)
    reporting = children.first("reporting-org")
    lead = organisation(reporting, default_lang) if reporting is not None else None
    if lead is None:
        return ImportItem(problem=ImportProblem(identifier, "activity has no reporting-org name or ref", line))
    warnings: list[str] = []
    goals, tags = goals_and_tags(children, warnings)
    start, end = dates(children)
    amount, currency = budget(children, warnings)
    status_el = children.first("activity-status")
    status = codes.STATUS_BY_CODE.get((status_el.get("code") or "").strip()) if status_el is not None else None
    record = {
        "title": title,
        "description": strip_html(description),
        "organisation": lead,
        "partners": partners(children, lead, default_lang),
        "goals": goals,
        "tags": tags,
        "locations": locations(children, default_lang, warnings),
        "start": start,
        "end": end,
        "status": status,
        "budget": amount,
        "currency": currency,
        "people_targeted": people_targeted(children, warnings),
        "visibility": "public",
        "iati_identifier": identifier,
        "related_identifiers": related_identifiers(children, identifier),
        "language": language or default_lang,
        "provenance": f"iati:{source}#{identifier}",
    }
    return ImportItem(record=record, warnings=tuple(warnings), line=line)
