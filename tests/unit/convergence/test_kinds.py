"""Link kinds: the same effort reported twice, an overlap, co-presence — in batch and index alike."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from bench.synthetic import generate
from coordination.convergence import find_all_overlaps, score_pair
from coordination.convergence.fragmentation import fragmentation_cells
from coordination.records import PlaceRecord

from .factories import KISUMU, incremental, make_record, near

# One grant as its funder and its implementer published it (FCDO and the Danish Refugee
# Council, tests/data/links): the implementer's record names the funder's activity.
FUNDER = {"title": "Supporting the Humanitarian to Humanitarian network in tackling disinformation",
          "description": "", "iati_identifier": "GB-GOV-1-301150-117", "places": (), "goals": frozenset(),
          "tags": frozenset(), "start": date(2020, 5, 6), "end": date(2021, 3, 31)}
IMPLEMENTER = {"title": "H2H COVID-19 Response", "description": "", "iati_identifier": "DK-CVR-20699310-DF212197",
               "related_identifiers": frozenset({"GB-GOV-1-301150-117"}), "places": (), "goals": frozenset(),
               "tags": frozenset(), "start": date(2020, 5, 21), "end": date(2021, 6, 30)}
KABUL = PlaceRecord(country="AF", admin1="Kabul", admin2="Kabul", lat=34.5266, lon=69.1849, precision="admin2")
PARAGRAPH = ("Rehabilitation of twelve boreholes with solar pumps in Nyalenda and Manyatta, training of "
             "water committees in tariff collection and maintenance, hygiene promotion sessions in schools "
             "and a monitoring visit each quarter with the county water office.")


def both_paths(records):
    """The batch's links, after checking the index finds exactly the same (kinds included)."""
    batch = find_all_overlaps(records)
    assert set(batch) == incremental(records)
    return batch


def test_a_record_naming_another_publishers_activity_is_the_same_effort_whatever_its_score():
    funder, implementer = make_record(**FUNDER), make_record(**IMPLEMENTER)
    assert score_pair(funder, implementer).score < 0.48, "the texts alone must not make it an overlap"
    [link] = both_paths([funder, implementer])
    assert link.kind == "duplicate"
    assert link.explanation.startswith(
        "Same effort reported twice (one report names the other's IATI activity GB-GOV-1-301150-117): ")


def test_two_publishers_of_the_same_identifier_are_one_effort_and_one_organisation_is_no_pair():
    a = make_record(**FUNDER)
    b = make_record(**{**FUNDER, "title": "Humanitarian information in Asia"})
    [link] = both_paths([a, b])
    assert link.kind == "duplicate" and "both publish IATI activity GB-GOV-1-301150-117" in link.explanation
    same_org = make_record(**{**FUNDER, "organisation_id": a.organisation_id})
    assert both_paths([a, same_org]) == []


def test_presence_rows_in_one_district_are_not_pairs_unless_they_say_what_they_do():
    rows = [make_record(title="Education in Emergencies in Kabul", description="", own_text=False,
                        places=(KABUL,), goals=frozenset({"4"}), tags=frozenset({"education-in-emergencies"}),
                        start=date(2024, 1, 1), end=date(2024, 3, 31)) for _ in range(3)]
    assert find_all_overlaps(rows) == [] and incremental(rows) == set()
    described = replace(rows[0], id=rows[0].id + 10_000, organisation_id=77, own_text=True,
                        title="Community-based classes for girls in Kabul",
                        places=(PlaceRecord(country="AF", admin1="Kabul", lat=34.5266, lon=69.1849),))
    assert both_paths([*rows[1:], described]) == [], "a presence row says nothing about the work"
    named = replace(rows[1], own_text=True, title="Community-based classes for girls in Kabul")
    [link] = both_paths([named, described])
    assert link.kind == "overlap"


def test_an_explanation_cites_text_similarity_only_when_both_sides_wrote_their_own():
    written = make_record(places=(KABUL,), goals=frozenset({"4"}), title="Education in Emergencies in Kabul",
                          description="", tags=frozenset({"education-in-emergencies"}))
    generated = replace(written, id=written.id + 1, organisation_id=written.organisation_id + 1,
                        own_text=False, places=(replace(KABUL, precision="point", name="Kabul"),))
    text = score_pair(written, generated).explanation
    assert text.startswith("Overlap: ") and "no description of its own on one side" in text
    assert "% similar" not in text
    assert "descriptions 100% similar" in score_pair(written, replace(generated, own_text=True)).explanation


def test_long_near_identical_texts_in_one_place_and_time_are_one_effort_short_ones_are_not():
    a = make_record(description=PARAGRAPH)
    b = make_record(description=PARAGRAPH, places=(near(KISUMU, 2),))
    [link] = both_paths([a, b])
    assert link.kind == "duplicate" and "(near-identical descriptions)" in link.explanation
    short_a, short_b = make_record(), make_record()  # "Borehole drilling ..." written alike by two NGOs
    [short] = both_paths([short_a, short_b])
    assert short.kind == "overlap"


def test_batch_and_index_agree_on_kinds_on_generated_data_with_links_and_presence_rows():
    records = list(generate(600, seed=5).records)
    for k in range(0, 60, 3):  # every third of the first 60 names the next one's activity
        records[k + 1] = replace(records[k + 1], iati_identifier=f"XM-TEST-{k}")
        records[k] = replace(records[k], related_identifiers=frozenset({f"XM-TEST-{k}"}))
    for k in range(60, 120):
        records[k] = replace(records[k], own_text=False, description="")
    batch = both_paths(records)
    kinds = {link.kind for link in batch}
    assert kinds == {"duplicate", "overlap"}


def test_a_duplicate_report_counts_once_in_fragmentation():
    funder = make_record(**{**FUNDER, "places": (KISUMU,), "goals": frozenset({"6.1"})})
    implementer = make_record(**{**IMPLEMENTER, "places": (KISUMU,), "goals": frozenset({"6.1"})})
    other = make_record(description=PARAGRAPH)
    links = find_all_overlaps([funder, implementer, other])
    [cell] = fragmentation_cells([funder, implementer, other], overlaps=links)
    assert (cell.n_initiatives, cell.n_organisations) == (2, 2)
    [uncounted] = fragmentation_cells([funder, implementer, other])
    assert (uncounted.n_initiatives, uncounted.n_organisations) == (3, 3)
