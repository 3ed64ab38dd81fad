"""IATI narratives: each one's language is its own, else the nearest parent's below the
activity, else the publisher's default (`lang_of`); read once per element, not per narrative."""
from __future__ import annotations

import pytest
from lxml import etree

from coordination.formats.cleaning import strip_html
from coordination.formats.iati_narratives import lang_of, narratives

ACTIVITY = b"""<iati-activities version="2.03"><iati-activity xml:lang="de">
  <title xml:lang="fr">
    <narrative>Eau potable</narrative>
    <narrative xml:lang="es">Agua potable</narrative>
    <narrative xml:lang="123">Not a code</narrative>
    <narrative>   </narrative>
    <narrative xmlns:ns2="xml" ns2:lang="pt">Agua (D-Portal)</narrative>
  </title>
  <description type="1">
    <narrative>Line one
      line two</narrative>
    <narrative xml:lang="EN">English</narrative>
  </description>
  <participating-org role="1"><narrative>  Ministry   of Water </narrative></participating-org>
  <sector code="14030"><narrative xml:lang="en">Water</narrative></sector>
  <other-identifier><owner-org xml:lang="it"><narrative>Ente</narrative></owner-org></other-identifier>
  <reporting-org>Text straight in the element</reporting-org>
</iati-activity></iati-activities>"""


def _activity() -> etree._Element:
    return etree.fromstring(ACTIVITY)[0]


@pytest.mark.parametrize("default", ["sw", None])
def test_each_narrative_takes_the_language_lang_of_gives_it(default: str | None) -> None:
    activity = _activity()
    parents = [activity.find("title"), activity.find("description"), activity.find("participating-org"),
               activity.find("sector"), activity.find("other-identifier/owner-org")]
    for parent in parents:
        expected = [(lang_of(n, default), n.text.strip() if parent.tag == "description" else " ".join(n.text.split()))
                    for n in parent.iterchildren("narrative") if n.text and n.text.strip()]
        assert narratives(parent, default) == expected
    title = narratives(activity.find("title"), default)
    assert [lang for lang, _ in title] == ["fr", "es", default, "pt"]
    assert narratives(activity.find("description"), default) == [(default, "Line one\n      line two"), ("en", "English")]
    assert narratives(activity.find("other-identifier/owner-org"), default) == [("it", "Ente")]


def test_text_straight_in_the_element_counts_and_nothing_is_nothing() -> None:
    activity = _activity()
    assert narratives(activity.find("reporting-org"), "sw") == [("sw", "Text straight in the element")]
    assert narratives(activity.find("budget"), "sw") == []


@pytest.mark.parametrize("text", [
    "plain words, one space each", "two  spaces", "tab\there", "nbsp\u00a0here", "form\ffeed", "cr\r\nline",
    " leading and trailing ", "a\n\n\nb", "<p>para</p><p>two</p>", "&amp;lt;b&amp;gt;twice&amp;lt;/b&amp;gt;",
    "x \u00a0\t y\n  z  ", "", "\v",
])
def test_strip_html_squeezes_every_kind_of_space_run(text: str) -> None:
    import re
    stripped = strip_html(text)
    assert not re.search(r"[ \t\r\f\v\u00a0]{2,}|[\t\r\f\v\u00a0]", stripped)
    assert stripped == stripped.strip()
