"""The goal pages (/goals and /goals/<code>) in Chromium on the demo data: countries and areas
named in words, counts in words, a heading without the vision's long name, no sideways
scrolling on a 390 px phone, no serious axe violation; screenshots into tests/artifacts/."""
from __future__ import annotations

import re

import pytest

from .axe import axe_violations

pytestmark = pytest.mark.browser

SIZES = ((1366, 768), (390, 844))
CODE = re.compile(r"^[A-Z]{2}$|, [A-Z]{2}$|\b[A-Z]{2}\d{2,3}\b")  # "SV", "San Salvador, SV", "SV14"


def _sideways(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


@pytest.mark.parametrize("width,height", SIZES)
def test_goal_page_names_countries_and_fits_a_phone(browser, demo_url, artifacts, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(f"{demo_url}/goals/6", wait_until="networkidle")
        heading = page.locator("h1").inner_text().strip()
        assert heading.startswith("Goal 6: "), heading
        assert "Agenda" not in heading
        cells = page.locator("main table tbody th, main table tbody td").all_inner_texts()
        assert len(cells) > 20
        codes = [c for c in cells if CODE.search(c.strip())]
        assert codes == [], f"codes instead of names: {codes[:10]}"
        assert "El Salvador" in cells and "Afghanistan" in cells
        assert any(c.startswith("San Salvador, El Salvador") for c in cells)
        text = page.inner_text("main")
        assert re.search(r"\d+ initiatives · \d+ organisations", text), text[:400]
        assert not re.search(r"\(\d+ / \d+\)", text)  # targets' counts in words too
        page.wait_for_selector("#legend ul.colour-legend li")
        legend = page.locator("#legend").inner_text()
        assert "Goal 6: Clean water and sanitation" in legend and "Grey: no goal given" in legend, legend
        assert _sideways(page) <= 0, f"/goals/6 scrolls sideways by {_sideways(page)}px at {width}px"
        assert axe_violations(page) == []
        page.screenshot(path=str(artifacts / f"e2e-goal-6-{width}.png"))

        page.goto(f"{demo_url}/goals", wait_until="networkidle")
        text = page.inner_text("main")
        assert re.search(r"— \d+ initiatives? · \d+ organisations?", text)
        assert not re.search(r"— \d+ / \d+", text)
        assert _sideways(page) <= 0, f"/goals scrolls sideways by {_sideways(page)}px at {width}px"
        page.screenshot(path=str(artifacts / f"e2e-goals-{width}.png"))
    finally:
        context.close()
