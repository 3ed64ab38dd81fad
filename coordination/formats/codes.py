"""IATI codelists and SDG codes: lookups and normalisation shared by every format.

The codelists are the IATI XML files shipped in `coordination/data/iati/` (CC BY 4.0,
"IATI Standard"); they are parsed once, lazily, and cached.
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from lxml import etree

from ..text import fold

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "iati"

ROLE_BY_CODE = {"1": "funding", "2": "accountable", "3": "extending", "4": "implementing"}
CODE_BY_ROLE = {name: code for code, name in ROLE_BY_CODE.items()}

STATUS_BY_CODE = {
    "1": "pipeline",
    "2": "implementation",
    "3": "finalisation",
    "4": "closed",
    "5": "cancelled",
    "6": "suspended",
}
CODE_BY_STATUS = {name: code for code, name in STATUS_BY_CODE.items()}

# Three-letter and odd language codes seen in real files (e.g. xml:lang="ENG").
_LANGUAGE_ALIASES = {
    "eng": "en", "fra": "fr", "fre": "fr", "spa": "es", "esp": "es", "por": "pt",
    "deu": "de", "ger": "de", "ara": "ar", "rus": "ru", "zho": "zh", "chi": "zh",
    "nld": "nl", "dut": "nl", "dan": "da", "ita": "it", "swe": "sv", "fin": "fi",
    "nor": "no", "kor": "ko", "jpn": "ja",
}


@cache
def _codelist(name: str) -> dict[str, str]:
    """Return {code: English name} for one shipped codelist, withdrawn codes included."""
    tree = etree.parse(str(DATA_DIR / f"{name}.xml"), etree.XMLParser(resolve_entities=False))
    result: dict[str, str] = {}
    for item in tree.iter("codelist-item"):
        code = (item.findtext("code") or "").strip()
        names = item.findall("name/narrative")
        english = [n for n in names if n.get("{http://www.w3.org/XML/1998/namespace}lang") is None]
        label = (english or names or [None])[0]
        if code:
            result[code] = " ".join((label.text or "").split()) if label is not None else code
    return result


def sector_name(code: str) -> str | None:
    """Return the DAC name of a 5-digit sector or 3-digit sector category code."""
    code = code.strip()
    if len(code) == 3:
        return _codelist("SectorCategory").get(code)
    return _codelist("Sector").get(code)


@cache
def _sector_codes_by_name() -> dict[str, str]:
    """Map a DAC sector name back to its code (5-digit codes win over 3-digit)."""
    by_name = {name: code for code, name in _codelist("SectorCategory").items()}
    by_name.update({name: code for code, name in _codelist("Sector").items()})
    return by_name


def sector_code_for(label: str) -> str | None:
    """Return the DAC code whose name is exactly `label`, if any.

    Case matters: a publisher's own "Emergency response" label must not come back from
    a round trip as the DAC category "Emergency Response".
    """
    return _sector_codes_by_name().get(label.strip())


def is_organisation_type(code: str | None) -> bool:
    """Tell whether `code` is an IATI OrganisationType code."""
    return bool(code) and code in _codelist("OrganisationType")


def country_codes() -> dict[str, str]:
    """Return {ISO 3166-1 alpha-2 code: English name} from the IATI Country codelist."""
    return _codelist("Country")


def normalise_country(value: str | None) -> str | None:
    """Return an upper-case ISO alpha-2 code for a code or an English country name."""
    if not value:
        return None
    text = value.strip()
    if len(text) == 2 and text.upper() in country_codes():
        return text.upper()
    return _country_by_name().get(fold(text))


@cache
def _country_by_name() -> dict[str, str]:
    """Map folded country names (and a few common short forms) to ISO codes."""
    by_name = {fold(name): code for code, name in country_codes().items()}
    for code, name in country_codes().items():
        # "Bolivia (Plurinational State of)" -> "bolivia"; "Congo, The Democratic..." stays.
        short = re.sub(r"\s*\(.*\)$", "", name)
        by_name.setdefault(fold(short), code)
    by_name.update({
        "syria": "SY", "iran": "IR", "russia": "RU", "tanzania": "TZ", "vietnam": "VN",
        "laos": "LA", "bolivia": "BO", "venezuela": "VE", "south korea": "KR",
        "north korea": "KP", "dr congo": "CD", "drc": "CD",
        "democratic republic of the congo": "CD", "car": "CF", "ivory coast": "CI",
        "cote d'ivoire": "CI", "palestine": "PS", "moldova": "MD", "turkey": "TR",
        "turkiye": "TR", "the gambia": "GM", "gambia": "GM", "czech republic": "CZ",
        "united states": "US", "usa": "US", "uk": "GB", "united kingdom": "GB",
    })
    return by_name


def country_from_org_identifier(ref: str | None) -> str | None:
    """Guess the home country from an org-id prefix ("GB-CHC-202918" -> "GB").

    XM/XI prefixes (multilateral, international) are not countries and give None.
    """
    if not ref:
        return None
    head = ref.strip().split("-", 1)[0]
    if len(head) == 2 and head.upper() == head and head in country_codes() and "-" in ref:
        return head
    return None


def normalise_language(code: str | None) -> str | None:
    """Return an ISO 639-1 lower-case code ("EN" -> "en", "ENG" -> "en"), or None."""
    if not code:
        return None
    text = code.strip().lower().replace("_", "-").split("-", 1)[0]
    if len(text) == 2 and text.isalpha():
        return text
    return _LANGUAGE_ALIASES.get(text)


@cache
def sdg_codes() -> frozenset[str]:
    """Return every valid SDG goal ("6") and target ("6.1", "6.a") code."""
    return frozenset(_codelist("UNSDG-Goals")) | frozenset(_codelist("UNSDG-Targets"))


_GOAL_PREFIX = re.compile(r"^(?:sdg|goal|target|objetivo|objectif|ods|odd)\s*", re.IGNORECASE)


def normalise_sdg_code(raw: str | None) -> str | None:
    """Return the canonical SDG code for `raw` ("3.D" -> "3.d", "Goal 6" -> "6"), or None.

    Indicator codes ("3.d.1") are reduced to their target, because goals here stop at
    targets. Codes that are not real SDG goals or targets give None.
    """
    if raw is None:
        return None
    text = _GOAL_PREFIX.sub("", raw.strip()).strip().rstrip(".").lower()
    text = text.replace(" ", "")
    parts = text.split(".")
    if len(parts) > 2:
        parts = parts[:2]
    if parts and parts[0].isdigit():
        parts[0] = str(int(parts[0]))  # "06" -> "6"
    code = ".".join(parts)
    return code if code in sdg_codes() else None


# ISO 4217 codes of the currencies aid data is reported in, to recognise a currency written as a
# HXL attribute ("#value +budget +usd"); a "#currency" cell accepts any three-letter code.
COMMON_CURRENCIES = frozenset(
    "USD EUR GBP CHF JPY CAD AUD NZD SEK NOK DKK CNY KRW KES UGX TZS RWF BIF ETB SOS SDG SSP NGN GHS "
    "XOF XAF ZAR MZN MWK ZMW ZWL AOA CDF MGA MAD TND EGP LYD AFN PKR INR BDT NPR LKR MMK IDR PHP THB "
    "VND HNL GTQ SVC NIO CRC MXN COP PEN BOB BRL ARS CLP VES HTG DOP YER SYP LBP JOD IQD TRY UAH"
    .split())


def is_currency(code: str, *, known_only: bool = False) -> bool:
    """Whether `code` is written as an ISO 4217 code; `known_only`: one of COMMON_CURRENCIES."""
    return code in COMMON_CURRENCIES if known_only else len(code) == 3 and code.isascii() and code.isalpha() \
        and code.isupper()
