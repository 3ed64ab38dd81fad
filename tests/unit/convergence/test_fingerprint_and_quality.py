"""Material fingerprints, and precision/recall of the defaults on the labelled pairs."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from coordination.convergence import material_fingerprint
from coordination.convergence.evaluation import evaluate, load_pairs

from .factories import KISUMU, make_record, near

PAIRS = Path(__file__).resolve().parents[2] / "data" / "overlap_pairs.json"


def test_fingerprint_ignores_case_punctuation_tags_and_partners():
    a = make_record()
    b = replace(a, title=a.title.upper() + "!", tags=frozenset({"other"}), partner_ids=frozenset({9}))
    assert material_fingerprint(a) == material_fingerprint(b)


def test_fingerprint_changes_when_goals_places_dates_or_words_change():
    a = make_record()
    changed = [
        replace(a, goals=frozenset({"6.2"})),
        replace(a, places=(near(KISUMU, 5),)),
        replace(a, start=date(2022, 1, 1)),
        replace(a, description=a.description + " Also latrines."),
    ]
    assert len({material_fingerprint(x) for x in [a, *changed]}) == 5


def test_the_labelled_set_is_large_and_hard_enough():
    pairs = load_pairs(PAIRS)
    kinds = {p.kind for p in pairs}
    assert len(pairs) >= 120
    assert {"same_organisation", "spanish_vs_english", "french_vs_english", "no_goals_one_side",
            "same_work_far_apart", "same_work_years_apart", "same_city_other_work"} <= kinds


def test_default_configuration_keeps_precision_and_recall_above_the_floor_on_labelled_pairs():
    quality = evaluate(load_pairs(PAIRS))
    assert quality.precision >= 0.9
    assert quality.recall >= 0.9
