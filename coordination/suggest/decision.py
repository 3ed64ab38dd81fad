"""Does goal G apply to this text? A yes/no per goal, beside the ranked suggestions.

Two questions, two answers:
- `confident` (the model's own threshold, see MODEL_CARD.md) is for applying a goal *unasked*:
  it is tuned for high precision and says yes rarely.
- `applies` answers a person who asks "is this goal one of this work's goals?" as an expert
  would, yes or no, with as few wrong answers either way as possible.

`applies` decides on a *match*: the model's calibrated probability blended with how closely the
text follows the goal's official wording (its best target's similarity, relative to the best
target of any goal): match = w * probability + (1 - w) * wording. The model alone ranks well
across goals but is cautious on any one goal; the wording alone is what a naive matcher reads.
The weight and the threshold come from `decision.json` next to the model, written by
`scripts/calibrate_goal_decision.py` from the calibration split of a judgement set that nobody
here labelled (tests/data/goal_pairs/README.md); its held-out figures are recorded beside them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from coordination.suggest.model import MODEL_DIR, SdgModel

DECISION_FILE = MODEL_DIR / "decision.json"


@dataclass(frozen=True, slots=True)
class Decision:
    """How a goal's match is made and when it applies."""

    weight: float  # of the model's probability in the match; the rest is the wording
    threshold: float  # a goal applies when its match is at least this

    def match(self, probability: np.ndarray, wording: np.ndarray) -> np.ndarray:
        """The match of each goal, in [0, 1]."""
        return self.weight * probability + (1.0 - self.weight) * wording


def wording_scores(model: SdgModel, indices: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per goal, its closest target's similarity to the text relative to the closest target
    of any goal (best goal = 1; all zero when no target shares a feature with the text)."""
    scores = np.zeros(len(model.goal_codes))
    if len(indices) == 0:
        return scores
    similarity = np.asarray(model.prototypes[indices].T @ values).ravel()
    np.maximum.at(scores, model.target_goal, similarity)
    best = scores.max()
    return scores / best if best > 0 else scores


def read_decision(path: Path = DECISION_FILE) -> Decision:
    """The calibrated decision (weight and threshold) written by the calibration script."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return Decision(weight=float(data["weight"]), threshold=float(data["threshold"]))


@lru_cache(maxsize=1)
def load_decision() -> Decision:
    """The shipped decision, read once per process."""
    return read_decision(DECISION_FILE)
