"""Counting the blind-pair outcomes: confusion counts, precision/recall, AUC, histogram."""
from __future__ import annotations

from coordination.convergence.evaluation_pairs import Outcome, auc, initiative_input, report


def _outcome(pair_id: str, split: str, kind: str, overlap: bool, found: bool, score: float) -> Outcome:
    return Outcome(pair_id=pair_id, split=split, kind=kind, overlap=overlap, found=found, score=score)


def test_report_counts_each_split_and_kind_and_leaves_undefined_figures_empty():
    outcomes = [
        _outcome("p1", "calibration", "paraphrase", True, True, 0.7),
        _outcome("p2", "calibration", "paraphrase", True, False, 0.4),
        _outcome("p3", "calibration", "far_apart", False, True, 0.5),
        _outcome("p4", "heldout", "far_apart", False, False, 0.0),
    ]
    splits = report(outcomes).splits
    cal = splits["calibration"]
    assert (cal["tp"], cal["fp"], cal["fn"], cal["tn"]) == (1, 1, 1, 0)
    assert cal["precision"] == 0.5 and cal["recall"] == 0.5 and cal["f1"] == 0.5
    assert cal["kinds"]["far_apart"]["recall"] is None  # no positives: recall is undefined, not 0
    assert splits["heldout"]["precision"] is None and splits["all"]["n"] == 4
    assert [b["positive"] for b in cal["histogram"]][4:8] == [1, 0, 0, 1]


def test_auc_is_the_share_of_positive_negative_pairs_ranked_right_with_ties_half():
    assert auc([0.9, 0.8, 0.1], [True, True, False]) == 1.0
    assert auc([0.5, 0.5], [True, False]) == 0.5
    assert auc([0.2, 0.9, 0.5], [True, False, False]) == 0.0
    assert auc([0.3], [True]) is None


def test_a_side_becomes_a_registration_body_with_the_platforms_precision_words():
    side = {"title": "Kits", "description": None, "organisation": {"name": "X"}, "language": "fr",
            "start": "2021-01-01", "end": None, "goals": [], "tags": ["abri"], "provenance": "written",
            "locations": [{"country": "HT", "admin1": None, "admin2": None, "name": "Jérémie",
                           "lat": 18.65, "lon": -74.11, "precision": "exact"}]}
    body = initiative_input(side)
    assert body["locations"][0]["precision"] == "point"
    assert body["description"] == "" and body["goals"] == [] and "organisation" not in body
