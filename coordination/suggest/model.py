"""The shipped SDG model: loading it once, and scoring goals and targets with numpy.

Files in `coordination/data/sdg_model/`:
- ``model.npz``: IDF per feature, goal weights (features × 17, float16, pruned),
  goal biases, and the target prototypes as a sparse features × 169 matrix;
- ``model.json``: the vocabulary, the goal and target codes, the calibration
  (a Platt scaling of the logits) and the thresholds chosen on held-in data.

Goal score = sigmoid(a · logit + b), a calibrated probability that the goal
applies. Target score = goal score^α · (cosine to the target prototype /
best cosine)^β. Nothing is fetched over the network.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

from coordination.suggest.features import Vectoriser
from coordination.suggest.tokens import STOPWORDS

MODEL_DIR = Path(__file__).resolve().parents[1] / "data" / "sdg_model"


@dataclass(frozen=True)
class SdgModel:
    """Everything needed to score a text; built by `load_model`."""

    vectoriser: Vectoriser
    goal_codes: tuple[str, ...]
    is_word: np.ndarray  # True for word unigram features
    goal_weights: np.ndarray  # features × goals, float32
    goal_bias: np.ndarray
    platt: tuple[float, float]
    target_codes: tuple[str, ...]
    target_goal: np.ndarray  # index into goal_codes for each target
    prototypes: sparse.csr_matrix  # features × targets
    alpha: float
    beta: float
    goal_confident: float
    goal_predict: float
    target_confident: float
    terms: tuple[str, ...] = ()  # the vocabulary in feature order ("w:water", "b:drinking water", "c:wate")

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Sparse feature vector (indices, values) of a text."""
        return self.vectoriser.transform_one(text)

    def known_words(self, indices: np.ndarray) -> int:
        """How many distinct known words a vector holds (the evidence behind a score)."""
        return int(self.is_word[indices].sum())

    def evidence(self, indices: np.ndarray, values: np.ndarray, goal: int, limit: int = 3) -> tuple[str, ...]:
        """The words and word pairs of the text that raise goal `goal`'s score most, strongest
        first ("drinking water", "hand pumps"); character n-grams are left out (nobody reads
        "rinki" as a reason), and a word inside a chosen pair is not repeated."""
        if len(indices) == 0:
            return ()
        pull = values * self.goal_weights[indices, goal]
        chosen: list[str] = []
        for k in np.argsort(-pull):
            if pull[k] <= 0 or len(chosen) == limit:
                break
            term = self.terms[indices[k]]
            if term[:2] not in ("w:", "b:"):
                continue
            words = term[2:]
            if any(w in STOPWORDS or len(w) < 3 for w in words.split()):
                continue
            if any(words in c.split() or words == c for c in chosen):
                continue  # already said inside a pair
            chosen = [c for c in chosen if c not in words.split()]  # a pair says its words
            chosen.append(words)
        return tuple(chosen)

    def goal_scores(self, indices: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Calibrated probability per goal (zeros when the text has no known feature)."""
        if len(indices) == 0:
            return np.zeros(len(self.goal_codes))
        logits = values @ self.goal_weights[indices] + self.goal_bias
        a, b = self.platt
        return 1.0 / (1.0 + np.exp(-(a * logits + b)))

    def target_scores(
        self, indices: np.ndarray, values: np.ndarray, goal_scores: np.ndarray
    ) -> np.ndarray:
        """Score per target, from its goal's score and its similarity to the text."""
        if len(indices) == 0:
            return np.zeros(len(self.target_codes))
        similarity = np.asarray(self.prototypes[indices].T @ values).ravel()
        best = similarity.max()
        relative = np.clip(similarity / best, 0.0, 1.0) if best > 0 else similarity * 0.0
        return goal_scores[self.target_goal] ** self.alpha * relative**self.beta


def _csr(arrays: np.lib.npyio.NpzFile, prefix: str) -> sparse.csr_matrix:
    return sparse.csr_matrix(
        (
            arrays[f"{prefix}_data"].astype(np.float64),
            arrays[f"{prefix}_indices"],
            arrays[f"{prefix}_indptr"],
        ),
        shape=tuple(arrays[f"{prefix}_shape"]),
    )


def read_model(directory: Path = MODEL_DIR) -> SdgModel:
    """Read the model files from `directory` (no caching; see `load_model`)."""
    meta = json.loads((directory / "model.json").read_text(encoding="utf-8"))
    with np.load(directory / "model.npz") as arrays:
        vocabulary = {term: i for i, term in enumerate(meta["vocabulary"])}
        goal_index = {code: i for i, code in enumerate(meta["goals"])}
        return SdgModel(
            vectoriser=Vectoriser(vocabulary, arrays["idf"]),
            goal_codes=tuple(meta["goals"]),
            is_word=np.array([term.startswith("w:") for term in meta["vocabulary"]]),
            goal_weights=arrays["goal_weights"].astype(np.float32),
            goal_bias=arrays["goal_bias"].astype(np.float64),
            platt=(float(meta["platt"][0]), float(meta["platt"][1])),
            target_codes=tuple(meta["targets"]),
            target_goal=np.array([goal_index[t.split(".")[0]] for t in meta["targets"]]),
            prototypes=_csr(arrays, "prototypes"),
            alpha=float(meta["target_alpha"]),
            beta=float(meta["target_beta"]),
            goal_confident=float(meta["goal_confident_threshold"]),
            goal_predict=float(meta["goal_predict_threshold"]),
            target_confident=float(meta["target_confident_threshold"]),
            terms=tuple(meta["vocabulary"]),
        )


@lru_cache(maxsize=1)
def load_model() -> SdgModel:
    """The shipped model, read from the package directory once per process."""
    return read_model(MODEL_DIR)
