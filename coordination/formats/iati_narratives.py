"""IATI narratives: the text of an element in the language wanted, with the publisher's language defaults."""
from __future__ import annotations

from typing import Any

from lxml import etree

from . import codes
from .cleaning import squash

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# D-Portal binds the prefix "ns2" to the namespace "xml", so lang shows up as "{xml}lang".
BOGUS_LANG = "{xml}lang"


def lang_of(element: etree._Element, default: str | None) -> str | None:
    """Return the normalised language of a narrative, falling back to its parents."""
    node: Any = element
    while node is not None:
        value = node.get(XML_LANG) or node.get(BOGUS_LANG)
        if value:
            return codes.normalise_language(value) or default
        node = node.getparent()
        if node is not None and node.tag == "iati-activity":
            break
    return default


def narratives(parent: etree._Element | None, default_lang: str | None) -> list[tuple[str | None, str]]:
    """Return (language, text) for the non-empty narratives of an element.

    2.01 files sometimes put the text straight in the element; that counts too.
    """
    if parent is None:
        return []
    found = []
    inherited: Any = _UNSET  # what `lang_of` finds above a narrative with none: the parent's, once
    keep_lines = parent.tag == "description"
    for n in parent.iterchildren("narrative"):
        text = (n.text or "").strip() if keep_lines else squash(n.text)
        if not text:
            continue
        own = n.get(XML_LANG) or n.get(BOGUS_LANG)
        if own:
            lang = codes.normalise_language(own) or default_lang
        else:
            if inherited is _UNSET:
                inherited = default_lang if parent.tag == "iati-activity" else lang_of(parent, default_lang)
            lang = inherited
        found.append((lang, text))
    if not found and parent.text and parent.text.strip():
        found = [(lang_of(parent, default_lang), parent.text.strip())]
    return found


_UNSET = object()


def pick(options: list[tuple[str | None, str]], prefer: str | None) -> tuple[str | None, str]:
    """Choose the narrative in `prefer`, else English, else the first one."""
    for wanted in (prefer, "en"):
        for lang, text in options:
            if wanted and lang == wanted:
                return lang, text
    return options[0] if options else (None, "")
