"""The synonym table: run-time extension, merging, persistence, display labels, real data."""

import csv
from pathlib import Path

import pytest

from coordination.tagging import SynonymTable, canonical_label, choose_display_label, normalise_tag

HXL = Path(__file__).resolve().parents[2] / "data" / "real" / "hxl"


def test_a_coordinator_can_add_an_alias_at_run_time():
    table = SynonymTable()
    assert table.resolve("Puits") == "puit"
    table.add("Puits", "wells")
    assert table.resolve("puits") == "well"


def test_a_label_resolved_before_an_alias_is_added_resolves_anew_after():
    """The table remembers labels it resolved (imports name a few sectors thousands of times);
    an alias added, or a merge, changes what the same label resolves to."""
    table = SynonymTable()
    before = [table.resolve(label) for label in ("Puits", "Seguridad Alimentaria", "FSAC", "FSL")]
    assert before[0] == "puit" and before[1] != before[3]
    table.add("Puits", "wells")
    table.add("Food Security", "FSL")
    assert [table.resolve(label) for label in ("Puits", "Seguridad Alimentaria", "FSAC")] == ["well", "fsl", "fsl"]


def test_adding_an_alias_does_not_change_the_default_table():
    SynonymTable().add("Agua potable", "WASH")
    assert normalise_tag("Agua potable") == "agua-potable"


def test_merging_a_tag_brings_its_existing_aliases_along():
    table = SynonymTable()
    table.add("Food Security", "FSL")
    assert table.resolve("Seguridad Alimentaria") == "fsl"
    assert table.resolve("FSAC") == "fsl"


def test_extensions_survive_a_round_trip_through_a_dict():
    table = SynonymTable()
    table.add("Puits", "wells", label="Water wells")
    restored = SynonymTable.from_dict(table.to_dict())
    assert restored.resolve("puits") == "well"
    assert restored.label("well") == "Water wells"
    assert restored.to_dict() == table.to_dict()


def test_a_stored_table_of_another_version_is_refused():
    with pytest.raises(ValueError, match="version"):
        SynonymTable.from_dict({"version": 99, "aliases": []})


def test_empty_labels_cannot_be_linked():
    with pytest.raises(ValueError):
        SynonymTable().add("", "WASH")


def test_builtin_keys_have_readable_labels_and_unknown_keys_read_as_words():
    assert canonical_label("wash") == "Water, Sanitation and Hygiene (WASH)"
    assert canonical_label("borehole-rehabilitation") == "Borehole rehabilitation"


def test_the_display_label_is_the_most_used_spelling_in_mixed_case():
    assert choose_display_label(["WASH", "Wash", "Wash", "wash", "WASH"]) == "Wash"
    assert (
        choose_display_label(["water and sanitation", "Water & Sanitation"]) == "Water & Sanitation"
    )
    assert choose_display_label([]) == ""


def sector_labels(path: Path) -> set[str]:
    """Distinct values of the #sector columns of a 3W file."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    columns = [
        i
        for i, tag in enumerate(rows[1])
        if tag.replace(" ", "").startswith("#sector+") and "code" not in tag
    ]
    return {row[i] for row in rows[2:] for i in columns if i < len(row) and row[i]}


def test_the_same_sectors_in_three_spanish_and_two_afghan_files_line_up():
    # extracts that keep every sector label of the full files (tests/data/real/SOURCES.md)
    files = [HXL / f"{name}_excerpt.csv" for name in (
        "whowhatwhere_345_honduras", "whowhatwhere_345w_el_salvador", "whowhatwhere_345w_guatemala",
        "afghanistan_3w_operational_presence_january_march_2024",
        "afghanistan_who_does_what_where_july_to_september_2021")]
    labels = set().union(*(sector_labels(f) for f in files))
    keys = {normalise_tag(label) for label in labels}
    assert {"wash", "health", "nutrition", "protection", "education", "cash", "cccm"} <= keys
    assert len(keys) < len(labels)
