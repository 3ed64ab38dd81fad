"""Export of initiative records as IATI 2.03 activity XML, valid against the 2.03 XSD.

`iati_xml_chunks(records)` is a generator of str chunks (one per activity), so a large
export streams. SDG goals become `<tag vocabulary="2">`, targets `<tag vocabulary="3">`;
tags that are DAC sector names become `<sector>`, other tags `<tag vocabulary="99">`.

The schema requires an activity status and at least one activity date. A record
without a status gets one inferred from its dates; a record without any date gets a
planned start of `today` (both choices are visible in the output, and a record that
came from IATI always has them, so the import-export round trip is unaffected).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from typing import Any

from lxml import etree

from ..text import fold
from . import codes
from .iati_narratives import XML_LANG

SRS_NAME = "http://www.opengis.net/def/crs/EPSG/0/4326"
FEATURE_BY_PRECISION = {"country": "PCLI", "admin1": "ADM1", "admin2": "ADM2"}


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str | None) -> etree._Element:
    """Append a child with the non-empty attributes given (and optional text)."""
    child = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items() if v})
    if text is not None:
        child.text = text
    return child


def _narrative(parent: etree._Element, text: str, lang: str | None) -> None:
    """Append a narrative, in `lang` when known."""
    narrative = etree.SubElement(parent, "narrative")
    if lang:
        narrative.set(XML_LANG, lang)
    narrative.text = _xml_safe(text)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml_safe(text: str) -> str:
    """Drop control characters XML 1.0 cannot carry."""
    return _CONTROL.sub("", text)


def _status(record: dict[str, Any], today: date) -> str:
    """The status code; inferred from the end date when the record has none."""
    if record.get("status") in codes.CODE_BY_STATUS:
        return codes.CODE_BY_STATUS[record["status"]]
    end = record.get("end")
    return "4" if end and end < today.isoformat() else "2"


def _org(parent: etree._Element, tag: str, org: dict[str, Any], lang: str | None, **attrs: str | None) -> None:
    """Append a reporting-org or participating-org element."""
    element = _sub(parent, tag, type=org.get("type"), **attrs)
    if tag == "reporting-org":
        # The schema requires both attributes; empty ones say "unknown" and import as None.
        element.set("ref", org.get("org_identifier") or "")
        element.set("type", org.get("type") or "")
    elif org.get("org_identifier"):
        element.set("ref", org["org_identifier"])
    _narrative(element, org.get("name") or "", None)


def _locations(activity: etree._Element, record: dict[str, Any]) -> None:
    """recipient-country for each country, then a <location> for every non-bare one."""
    countries = list(dict.fromkeys(loc["country"] for loc in record.get("locations") or [] if loc.get("country")))
    for country in countries:
        _sub(activity, "recipient-country", code=country)
    for loc in record.get("locations") or []:
        bare = loc.get("lat") is None and not loc.get("name") and not (loc.get("admin1_code") or loc.get("admin2_code"))
        if bare and loc.get("precision") == "country":
            continue
        # IATI has no vocabulary for OCHA p-codes; location/@ref ("the reporter's own
        # reference") carries the most precise one and the importer resolves it back.
        element = _sub(activity, "location", ref=loc.get("admin2_code") or loc.get("admin1_code"))
        if loc.get("name"):
            _narrative(_sub(element, "name"), loc["name"], None)
        if loc.get("country"):
            _sub(element, "administrative", vocabulary="A4", code=loc["country"])
        if loc.get("lat") is not None and loc.get("lon") is not None:
            point = _sub(element, "point", srsName=SRS_NAME)
            _sub(point, "pos", f"{float(loc['lat'])!r} {float(loc['lon'])!r}")
        feature = FEATURE_BY_PRECISION.get(loc.get("precision") or "")
        if feature:
            _sub(element, "feature-designation", code=feature)


def activity_element(record: dict[str, Any], today: date | None = None) -> etree._Element:
    """Build one <iati-activity> element from a record."""
    today = today or date.today()
    lang = record.get("language")
    activity = etree.Element("iati-activity")
    if lang:
        activity.set(XML_LANG, lang)
    if record.get("currency"):
        activity.set("default-currency", record["currency"])
    identifier = record.get("iati_identifier") or _fallback_identifier(record)
    _sub(activity, "iati-identifier", identifier)
    _org(activity, "reporting-org", record["organisation"], lang)
    _narrative(_sub(activity, "title"), record.get("title") or "", lang)
    _narrative(_sub(activity, "description", type="1"), record.get("description") or "", lang)
    partners = record.get("partners") or []
    for partner in partners:
        _org(activity, "participating-org", partner["organisation"], lang, role=codes.CODE_BY_ROLE[partner["role"]])
    if not partners:  # the schema wants at least one participating-org; the importer drops this echo
        _org(activity, "participating-org", record["organisation"], lang, role="2")
    _sub(activity, "activity-status", code=_status(record, today))
    if record.get("start"):
        _sub(activity, "activity-date", type="2" if record["start"] <= today.isoformat() else "1",
             iso_date=record["start"])
    if record.get("end"):
        _sub(activity, "activity-date", type="4" if record["end"] <= today.isoformat() else "3",
             iso_date=record["end"])
    if not record.get("start") and not record.get("end"):
        _sub(activity, "activity-date", type="1", iso_date=today.isoformat())
    _locations(activity, record)
    free_tags = []
    for label in record.get("tags") or []:
        code = codes.sector_code_for(label)
        if code:
            _sub(activity, "sector", vocabulary="1" if len(code) == 5 else "2", code=code)
        else:
            free_tags.append(label)
    for goal in record.get("goals") or []:
        _sub(activity, "tag", vocabulary="3" if "." in goal else "2", code=goal)
    for label in free_tags:
        _narrative(_sub(activity, "tag", vocabulary="99", code=_slug(label)), label, None)
    _budget(activity, record)
    # The activity ids the record links to (`iati_links`), kept without the element they came
    # from: written as type 5, "a report by another organisation on the same underlying activity",
    # which is what the platform takes them for; they read back unchanged.
    for ref in record.get("related_identifiers") or []:
        _sub(activity, "related-activity", ref=ref, type="5")
    _people_targeted(activity, record, today)
    return activity


def _people_targeted(activity: etree._Element, record: dict[str, Any], today: date) -> None:
    """The people an activity means to reach, as an output result with one indicator
    ("People targeted") whose period target is the number; IATI has no field of its own for it.
    The period is the activity's (a missing bound borrows the other one, or today)."""
    if record.get("people_targeted") is None:
        return
    start = record.get("start") or record.get("end") or today.isoformat()
    end = record.get("end") or start
    result = _sub(activity, "result", type="1", aggregation_status="0")
    _narrative(_sub(result, "title"), "People targeted", "en")
    indicator = _sub(result, "indicator", measure="1", ascending="1")
    _narrative(_sub(indicator, "title"), "People targeted", "en")
    period = _sub(indicator, "period")
    _sub(period, "period-start", iso_date=start)
    _sub(period, "period-end", iso_date=end)
    _sub(period, "target", value=str(int(record["people_targeted"])))


def _budget(activity: etree._Element, record: dict[str, Any]) -> None:
    """One budget over the whole period (a missing bound borrows the other one)."""
    if record.get("budget") is None:
        return
    start = record.get("start") or record.get("end") or date.today().isoformat()
    end = record.get("end") or start
    budget = _sub(activity, "budget", type="1", status="1")
    _sub(budget, "period-start", iso_date=start)
    _sub(budget, "period-end", iso_date=end)
    _sub(budget, "value", repr(float(record["budget"])), currency=record.get("currency"), value_date=start)


def _slug(label: str) -> str:
    """A code for a free tag: its folded words joined by dashes."""
    return re.sub(r"[^a-z0-9]+", "-", fold(label)).strip("-")[:100] or "tag"


def _fallback_identifier(record: dict[str, Any]) -> str:
    """An identifier for a record that has none: org identifier (or slug) plus provenance."""
    org = record["organisation"].get("org_identifier") or "XX-NONE-" + _slug(record["organisation"]["name"])[:30]
    return f"{org}-{_slug(record.get('provenance') or record.get('title') or 'activity')[-60:]}"


def iati_xml_chunks(records: Iterable[dict[str, Any]], *, today: date | None = None) -> Iterator[str]:
    """Yield an IATI 2.03 activities document in chunks: header, one per activity, footer."""
    stamp = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03" generated-datetime="{stamp}">\n'
    for record in records:
        yield etree.tostring(activity_element(record, today), encoding="unicode", pretty_print=True)
    yield "</iati-activities>\n"
