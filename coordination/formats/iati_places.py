"""Where an IATI activity works: recipient countries and <location> elements as the platform's places."""
from __future__ import annotations

from typing import Any

from lxml import etree

from ..text import fold
from . import codes, pcodes
from .cleaning import parse_number
from .iati_narratives import narratives, pick
from .xml_children import Children


def _point(location: etree._Element) -> tuple[float | None, float | None]:
    """Return (lat, lon) from point/pos ("lat lon"), or Nones when absent or out of range."""
    text = location.findtext("point/pos")
    parts = (text or "").replace(",", " ").split()
    if len(parts) != 2:
        return None, None
    lat, lon = parse_number(parts[0]), parse_number(parts[1])
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return lat, lon


def _codes(elements: list[etree._Element]) -> list[str]:
    """The distinct, stripped @code values of the elements, in file order."""
    return list(dict.fromkeys(code for code in ((e.get("code") or "").strip() for e in elements) if code))


def recipient_countries(activity: Children, warnings: list[str]) -> list[str]:
    """ISO codes of the activity's recipient countries.

    The standard puts recipient countries and regions either on the activity or on every
    transaction: when the activity names none, the transactions' countries (distinct, in
    order) are the activity's. Regions are reported, not kept: the platform stores countries.
    """
    raw = _codes(activity.all("recipient-country"))
    regions = _codes(activity.all("recipient-region"))
    if not raw and not regions:
        raw = _codes(activity.below("transaction", "recipient-country"))
        regions = _codes(activity.below("transaction", "recipient-region"))
    countries = []
    for code in raw:
        country = codes.normalise_country(code)
        if country is None:
            warnings.append(f"unknown recipient-country code {code!r} dropped")
        elif country not in countries:
            countries.append(country)
    if regions:
        warnings.append(f"recipient-region {', '.join(regions)} not kept: places are stored by country, "
                        "and the platform has no regions")
    return countries


def locations(activity: Children, lang: str | None, warnings: list[str]) -> list[dict[str, Any]]:
    """Precise `<location>`s first, then recipient countries not already covered by one."""
    countries = recipient_countries(activity, warnings)
    result: list[dict[str, Any]] = []
    for element in activity.all("location"):
        lat, lon = _point(element)
        _, name = pick(narratives(element.find("name"), lang), "en")
        country = None
        admin: dict[int, str] = {}
        for adm in element.findall("administrative"):
            code = (adm.get("code") or "").strip()
            if adm.get("vocabulary") == "A4":
                country = codes.normalise_country(code) or country
            elif code and (adm.get("level") or "") in {"1", "2"}:
                admin[int(adm.get("level") or 0)] = code
        ref = (element.get("ref") or "").strip()
        ref_area = pcodes.area(ref)
        if ref_area is not None:  # our own exports put the p-code in location/@ref
            admin.setdefault(ref_area.level, ref)
        country = country or codes.normalise_country(ref.split("-", 1)[0] if "-" in ref else ref)
        if country is None and len(countries) == 1:
            country = countries[0]
        area = pcodes.resolve_codes(admin.get(1), admin.get(2))
        feature_el = element.find("feature-designation")
        feature = (feature_el.get("code") or "") if feature_el is not None else ""
        is_country = feature.startswith("PCL") or (
            bool(name) and country is not None and fold(name) == fold(codes.country_codes().get(country, "")))
        if lat is None and not area and not name:
            if country and country not in countries:
                countries.append(country)  # a country-level <location> without a point
            continue
        if is_country and not area:
            precision = "country"
        elif feature in {"ADM1", "ADM2"}:
            precision = feature.lower().replace("adm", "admin")
        elif lat is not None:
            precision = "point"
        else:
            precision = "admin2" if area.get("admin2_code") else "admin1" if area else "country"
        result.append({
            "name": name or None, "country": country or area.get("country"),
            "admin1": area.get("admin1"), "admin2": area.get("admin2"),
            "admin1_code": area.get("admin1_code"), "admin2_code": area.get("admin2_code"),
            "lat": lat, "lon": lon, "precision": precision,
        })
    covered = {loc["country"] for loc in result}
    for country in dict.fromkeys(countries):
        if country not in covered:
            result.append({"name": None, "country": country, "admin1": None, "admin2": None,
                           "admin1_code": None, "admin2_code": None, "lat": None, "lon": None,
                           "precision": "country"})
    return result
