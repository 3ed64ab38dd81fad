"""`Children` answers as lxml's find, findall and findtext do, on real activities and odd ones."""
from __future__ import annotations

from pathlib import Path

from lxml import etree

from coordination.formats.xml_children import Children

REAL = Path(__file__).resolve().parents[2] / "data" / "real" / "iati"

ODD = b"""<iati-activities version="2.03" xmlns:x="urn:other"><iati-activity>
  <!-- a comment among the children --><?pi here?>
  <iati-identifier/>
  <x:sector code="11"/>
  <sector code="1"/><title>t</title><sector code="2"/>
  <transaction><sector code="3"/><x:sector code="4"/><provider-org/></transaction>
  <transaction/>
  <transaction><sector code="5"/><sector code="6"/></transaction>
</iati-activity></iati-activities>"""

ASKED = ("iati-identifier", "title", "sector", "tag", "transaction", "location", "budget", "description",
         "participating-org", "reporting-org", "recipient-country", "activity-status", "nothing-like-it")
BELOW = (("transaction", "sector"), ("transaction", "provider-org"), ("transaction", "recipient-country"),
         ("result", "indicator"), ("location", "name"), ("transaction", "nothing-like-it"))


def _activities() -> list[etree._Element]:
    found = []
    for path in sorted(REAL.glob("*.xml")):
        found.extend(etree.parse(str(path)).getroot().iter("iati-activity"))
    found.extend(etree.fromstring(ODD).iter("iati-activity"))
    return found


def _same(a: list[etree._Element], b: list[etree._Element]) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


def test_every_real_activity_answers_as_lxml() -> None:
    activities = _activities()
    assert len(activities) > 200
    seen_below = 0
    for activity in activities:
        children = Children(activity)
        for tag in ASKED:
            assert _same(children.all(tag), activity.findall(tag)), tag
            assert children.first(tag) is activity.find(tag), tag
            assert children.text(tag) == activity.findtext(tag), tag
        for outer, inner in BELOW:
            expected = activity.findall(f"{outer}/{inner}")
            seen_below += len(expected)
            assert _same(children.below(outer, inner), expected), (outer, inner)
    assert seen_below > 100  # the real files do have elements one step below


def test_an_odd_activity() -> None:
    activity = etree.fromstring(ODD).find("iati-activity")
    children = Children(activity)
    assert [e.get("code") for e in children.all("sector")] == ["1", "2"]  # not x:sector
    assert [e.get("code") for e in children.below("transaction", "sector")] == ["3", "5", "6"]
    assert children.text("iati-identifier") == ""  # present, empty: not None
    assert children.text("title") == "t"
    assert children.text("nothing-like-it") is None
    assert children.first("nothing-like-it") is None
    assert children.all("nothing-like-it") == []

