"""The overlaps page filtered by a first-level area of the chosen country: names, not codes, and
only the area each reader is shown (docs/PRIVACY.md)."""
from __future__ import annotations

import re


from ..factories import BOREHOLES, WELLS, bearer, make_initiative, make_organisation, make_token, recompute

KISUMU, NAIROBI = "KE042", "KE047"


def _pairs(html: str) -> int:
    return len(re.findall(r'<li id="overlap-\d+"', html))


def test_the_area_select_lists_the_chosen_countrys_areas_by_name(client, session):
    assert 'id="o-area"' not in client.get("/overlaps").get_data(as_text=True)  # no country chosen yet
    html = client.get("/overlaps?country=KE").get_data(as_text=True)
    assert '<label for="o-area">Area in Kenya</label>' in html
    assert f'<option value="{KISUMU}">Kisumu</option>' in html and f'<option value="{NAIROBI}">Nairobi</option>' in html
    assert ">KE042<" not in html


def test_overlaps_are_filtered_to_those_with_a_side_in_the_area(client, session):
    wells = make_organisation(session, name="Kisumu Wells Friends")
    bores = make_organisation(session, name="Borehole Brigade")
    make_initiative(session, wells, **WELLS)
    make_initiative(session, bores, **BOREHOLES)
    recompute(session)
    session.commit()
    kisumu = client.get(f"/overlaps?country=KE&area={KISUMU}").get_data(as_text=True)
    assert _pairs(kisumu) == 1 and "Borehole Brigade" in kisumu
    assert f'<option value="{KISUMU}" selected>Kisumu</option>' in kisumu
    nairobi = client.get(f"/overlaps?country=KE&area={NAIROBI}").get_data(as_text=True)
    assert _pairs(nairobi) == 0 and "No overlap matches these filters." in nairobi
    # An area of another country (left over after changing the country) is dropped, not an error.
    assert _pairs(client.get(f"/overlaps?country=UG&area={KISUMU}").get_data(as_text=True)) == 0
    assert client.get("/overlaps?country=KE&area=KE-042").status_code == 400


def test_work_shown_at_country_level_is_in_no_area_except_for_those_who_see_it_exactly(client, session):
    wells = make_organisation(session, name="Kisumu Wells Friends")
    shelter = make_organisation(session, name="Quiet Shelter Network")
    make_initiative(session, wells, **{**WELLS, "locations": [{"name": "Nairobi", "country": "KE",
                                                               "lat": -1.286, "lon": 36.817}]})
    make_initiative(session, shelter, **{**BOREHOLES, "public_precision": "country"})  # in Kisumu
    recompute(session)
    session.commit()
    everyone = client.get("/overlaps?country=KE").get_data(as_text=True)
    assert _pairs(everyone) == 1  # the pair exists for the public, matched at country level
    assert _pairs(client.get(f"/overlaps?country=KE&area={KISUMU}").get_data(as_text=True)) == 0
    coordinator = bearer(make_token(session, None, "coordinator"))
    session.commit()
    assert _pairs(client.get(f"/overlaps?country=KE&area={KISUMU}", headers=coordinator).get_data(as_text=True)) == 1
