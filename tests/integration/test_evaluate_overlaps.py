"""The blind-pair evaluation re-runs on the shipped held-out sample and may not get worse."""
from __future__ import annotations

import json
from pathlib import Path

from coordination.convergence.evaluation_pairs import load_pairs, report
from coordination.jobs.evaluation import evaluate_pairs

DATA = Path(__file__).resolve().parents[1] / "data" / "eval_pairs"


def test_precision_and_recall_on_the_held_out_sample_do_not_drop_below_the_recorded_figures(sqlite_app):
    from api.extensions import db

    recorded = json.loads((DATA / "recorded.json").read_text(encoding="utf-8"))["sample"]
    outcomes = evaluate_pairs(db.session, load_pairs(DATA / "sample.jsonl"))
    figures = report(outcomes).splits["heldout"]
    assert figures["n"] == 60
    assert figures["precision"] >= recorded["precision"], figures
    assert figures["recall"] >= recorded["recall"], figures


def test_a_pair_counts_as_found_only_through_a_stored_overlap_of_its_two_initiatives(sqlite_app):
    from api.extensions import db

    pairs = load_pairs(DATA / "sample.jsonl")
    easy = next(p for p in pairs if p["kind"] == "easy_positive")
    far = {**easy, "id": "far", "overlap": False, "kind": "far_apart",
           "b": {**easy["b"], "locations": [{"country": "NZ", "name": "Wellington", "lat": -41.29,
                                             "lon": 174.78, "precision": "exact"}]}}
    found = {o.pair_id: o for o in evaluate_pairs(db.session, [easy, far])}
    assert found[easy["id"]].found and found[easy["id"]].link_kind in ("overlap", "duplicate")
    assert not found["far"].found and found["far"].score == 0.0
    figures = report(found.values()).splits["heldout"]
    assert (figures["tp"], figures["fp"], figures["fn"], figures["tn"]) == (1, 0, 0, 1)
