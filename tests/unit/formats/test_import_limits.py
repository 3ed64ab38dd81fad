"""Platform limits shorten or drop what does not fit an imported record, never the record (fit_to_limits)."""
from __future__ import annotations

from coordination import vocab
from coordination.formats.limits import fit_to_limits, shorten
from coordination.validation import validate_initiative


def _record(**fields) -> dict:
    base = {"title": "Wells", "description": "", "organisation": {"name": "Lake Wells", "org_identifier": "XM-1"},
            "partners": [], "goals": [], "tags": [], "locations": [{"country": "KE", "precision": "country"}],
            "iati_identifier": "XM-1-1", "provenance": "iati:f.xml#XM-1-1"}
    return base | fields


def _valid(record: dict) -> dict:
    clean = dict(record)
    clean.pop("organisation")
    return validate_initiative(clean)


def test_shorten_cuts_at_a_word_and_marks_the_cut():
    assert shorten("short", 10) == "short"
    assert shorten("one two three four", 12) == "one two…"
    assert len(shorten("x" * 500, 120)) == 120


def test_a_long_tag_is_shortened_and_the_record_validates():
    record = _record(tags=["a" * 60 + " " + "b" * 60, "water"])
    warnings = fit_to_limits(record)
    assert record["tags"] == ["a" * 60 + " " + "b" * 58 + "…", "water"]
    assert len(warnings) == 1 and "shortened to fit 120 characters (was 121)" in warnings[0]
    assert _valid(record)["tags"] == record["tags"]


def test_a_long_title_keeps_its_full_text_at_the_top_of_the_description():
    title = "Water " * 80
    record = _record(title=title, description="Boreholes.")
    warnings = fit_to_limits(record)
    assert len(record["title"]) <= vocab.MAX_TITLE and record["title"].endswith("…")
    assert record["description"] == title.strip() + "\n\nBoreholes."
    assert warnings == [(f"title shortened to fit 300 characters (was {len(title.strip())}); "
                         "the full title opens the description")]
    assert _valid(record)


def test_too_many_targets_are_counted_under_their_goals():
    targets = [f"{g}.{t}" for g in range(1, 18) for t in range(1, 5)]  # 68 targets of 17 goals
    record = _record(goals=targets)
    warnings = fit_to_limits(record)
    goals = record["goals"]
    assert len(goals) == vocab.MAX_GOALS
    assert {str(g) for g in range(1, 18)} <= set(goals)  # every goal the activity names is kept
    assert goals[:43] == targets[:43]
    assert len(warnings) == 1 and "targets counted under their goals" in warnings[0]
    assert _valid(record)["goals"]


def test_too_many_places_keep_every_country():
    places = [{"name": f"Village {i}", "country": "KE", "lat": 0.1, "lon": 34.0, "precision": "point"}
              for i in range(250)] + [{"name": None, "country": "UG", "precision": "country"}]
    record = _record(locations=places)
    warnings = fit_to_limits(record)
    assert len(record["locations"]) == vocab.MAX_LOCATIONS
    assert {loc["country"] for loc in record["locations"]} == {"KE", "UG"}
    assert record["locations"][-1]["precision"] == "country" and len(warnings) == 1
    assert _valid(record)


def test_too_many_tags_and_partners_keep_the_first_that_fit():
    partners = [{"organisation": {"name": f"Org {i}"}, "role": "implementing"} for i in range(60)]
    record = _record(tags=[f"tag {i}" for i in range(70)], partners=partners)
    warnings = fit_to_limits(record)
    assert record["tags"] == [f"tag {i}" for i in range(50)]
    assert [p["organisation"]["name"] for p in record["partners"]] == [f"Org {i}" for i in range(50)]
    assert [w.split(" (")[0] for w in warnings] == ["20 tags beyond the first 50 dropped",
                                                    "10 participating organisations beyond the first 50 dropped"]


def test_column_limits_of_organisations_places_and_amounts():
    record = _record(organisation={"name": "N" * 400, "org_identifier": "R" * 130},
                     locations=[{"name": "P" * 250, "country": "KE", "admin1_code": "C" * 40, "precision": "admin1",
                                 "admin1": "A"}],
                     budget=2e16, currency="USD", language="english-uk")
    warnings = fit_to_limits(record)
    assert len(record["organisation"]["name"]) <= 300 and record["organisation"]["org_identifier"] is None
    assert len(record["locations"][0]["name"]) <= vocab.MAX_NAME and record["locations"][0]["admin1_code"] is None
    assert (record["budget"], record["currency"], record["language"]) == (None, None, None)
    assert len(warnings) == 6
    assert _valid(record)


def test_a_record_within_the_limits_is_left_alone():
    record = _record(tags=["water"], goals=["6", "6.1"])
    before = {k: (list(v) if isinstance(v, list) else v) for k, v in record.items()}
    assert fit_to_limits(record) == [] and record == before
