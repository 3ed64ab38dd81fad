"""A fast held-out evaluation: the model must beat plain keyword matching on unseen papers."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from coordination.suggest import load_model
from coordination.suggest.evaluation import goal_report, model_goal_scores, shipped_baseline

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "suggest_heldout.json"
MACRO_F1_FLOOR = 0.40


def load_sample():
    sample = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return sample, [item["text"] for item in sample["items"]], [item["goals"] for item in sample["items"]]


def test_held_out_macro_f1_is_above_a_floor_the_keyword_baseline_does_not_reach():
    sample, texts, gold = load_sample()
    model = load_model()
    ours = goal_report(gold, model_goal_scores(model, texts), model.goal_predict)
    baseline = shipped_baseline()
    theirs = goal_report(
        gold, np.array([baseline.goal_scores(t) for t in texts]), sample["baseline_threshold"]
    )
    assert theirs.macro["f1"] < MACRO_F1_FLOOR <= ours.macro["f1"]


def test_the_top_goal_is_a_gold_goal_for_most_held_out_texts():
    _, texts, gold = load_sample()
    report = goal_report(gold, model_goal_scores(load_model(), texts), 1.0)
    assert report.n >= 100
    assert report.top1_hit >= 0.6
