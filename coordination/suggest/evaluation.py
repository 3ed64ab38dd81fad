"""Held-out evaluation of goal suggestions, and the keyword-matching baseline.

Metrics, for texts with a set of gold goals each:
- per-goal binary accuracy, precision, recall and F1 of the predicted goal set,
  and their macro averages over the goals that occur in the gold labels;
- exact match (predicted set == gold set) and top-1 hit (the best-scored goal
  is one of the gold goals; for single-label data this is plain accuracy).

The predicted set is the top-scored goal plus every goal scoring at least the
model's `goal_predict` threshold. The baseline matches the words of the official
target texts (EN, FR, ES, shipped in ``targets.json``) against the text.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from coordination.suggest.model import MODEL_DIR, SdgModel
from coordination.suggest.tokens import content_tokens, tokens

GOALS = tuple(str(g) for g in range(1, 18))


@dataclass(frozen=True)
class GoalReport:
    """Per-goal and averaged figures of one evaluation run."""

    per_goal: dict[str, dict[str, float]]
    macro: dict[str, float]
    exact_match: float
    top1_hit: float
    n: int


def predicted_set(scores: np.ndarray, threshold: float) -> set[str]:
    """Top-1 goal plus all goals at or above `threshold`."""
    chosen = {GOALS[int(np.argmax(scores))]} if scores.max() > 0 else set()
    return chosen | {GOALS[i] for i in np.flatnonzero(scores >= threshold)}


def goal_report(
    gold: Sequence[Iterable[str]], scores: np.ndarray, threshold: float
) -> GoalReport:
    """Score `scores` (texts × 17 goals) against gold goal sets."""
    gold_sets = [set(g) for g in gold]
    predicted = [predicted_set(row, threshold) for row in scores]
    per_goal: dict[str, dict[str, float]] = {}
    for goal in GOALS:
        tp = sum(goal in p and goal in g for p, g in zip(predicted, gold_sets))
        fp = sum(goal in p and goal not in g for p, g in zip(predicted, gold_sets))
        fn = sum(goal not in p and goal in g for p, g in zip(predicted, gold_sets))
        if tp + fn == 0:
            continue
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        accuracy = (len(gold_sets) - fp - fn) / len(gold_sets)
        per_goal[goal] = {"accuracy": accuracy, "precision": precision, "recall": recall,
                          "f1": f1, "support": tp + fn}
    macro = {k: float(np.mean([m[k] for m in per_goal.values()]))
             for k in ("accuracy", "precision", "recall", "f1")}
    exact = float(np.mean([p == g for p, g in zip(predicted, gold_sets)]))
    top1 = float(np.mean([GOALS[int(np.argmax(row))] in g and row.max() > 0
                          for row, g in zip(scores, gold_sets)]))
    return GoalReport(per_goal, macro, exact, top1, len(gold_sets))


def model_goal_scores(model: SdgModel, texts: Sequence[str]) -> np.ndarray:
    """Goal scores of the shipped model for many texts (texts × 17)."""
    rows = []
    for text in texts:
        indices, values = model.vector(text)
        rows.append(model.goal_scores(indices, values))
    return np.array(rows).reshape(len(rows), len(GOALS))


class KeywordBaseline:
    """Plain keyword matching on the official target texts (EN, FR, ES).

    A goal (or target) scores the summed specificity 1/(number of goals, or
    targets, using the word) of the distinct text words found in its texts,
    divided by the best score, so the top goal has 1.0.
    """

    def __init__(self, target_texts: dict[str, dict[str, str]]) -> None:
        self.targets = sorted(target_texts)
        self.target_words = {
            code: set(content_tokens(tokens(" ".join(by_lang.values()))))
            for code, by_lang in target_texts.items()
        }
        goal_words: dict[str, set[str]] = defaultdict(set)
        for code, words in self.target_words.items():
            goal_words[code.split(".")[0]] |= words
        self.goal_words = goal_words
        self._goal_df = _document_frequency(goal_words.values())
        self._target_df = _document_frequency(self.target_words.values())

    def goal_scores(self, text: str) -> np.ndarray:
        """Scores in [0, 1] per goal, best = 1 (all zero when nothing matches)."""
        words = set(content_tokens(tokens(text)))
        raw = np.array([sum(1.0 / self._goal_df[w] for w in words & self.goal_words[g])
                        for g in GOALS])
        return raw / raw.max() if raw.max() > 0 else raw

    def target_ranking(self, text: str) -> list[str]:
        """Target codes, best match first."""
        words = set(content_tokens(tokens(text)))
        raw = {c: sum(1.0 / self._target_df[w] for w in words & self.target_words[c])
               for c in self.targets}
        return sorted(self.targets, key=lambda c: -raw[c])


def _document_frequency(word_sets: Iterable[set[str]]) -> dict[str, int]:
    df: dict[str, int] = defaultdict(int)
    for words in word_sets:
        for word in words:
            df[word] += 1
    return df


@lru_cache(maxsize=1)
def shipped_baseline() -> KeywordBaseline:
    """The baseline built from the target texts shipped next to the model."""
    texts = json.loads((MODEL_DIR / "targets.json").read_text(encoding="utf-8"))
    return KeywordBaseline(texts)
