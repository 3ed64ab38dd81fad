"""Evaluation on labelled pairs: precision and recall of the overlap decision.

Labelled pairs come from `tests/data/overlap_pairs.json` today and, later, from the overlaps
coordinators confirmed or dismissed. A pair is predicted an overlap exactly as the find
functions decide: different organisations and score >= threshold.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from coordination.convergence.config import OverlapConfig
from coordination.convergence.features import FeatureTable, featurise
from coordination.convergence import scoring
from coordination.convergence.scoring import score_rows
from coordination.convergence.text_model import TextModel
from coordination.records import InitiativeRecord, PlaceRecord


@dataclass(frozen=True, slots=True)
class LabelledPair:
    """Two initiatives and whether a person judged them an overlap."""

    a: InitiativeRecord
    b: InitiativeRecord
    overlap: bool
    kind: str = ""


@dataclass(frozen=True, slots=True)
class Quality:
    """Precision, recall and F1 of a set of decisions."""

    precision: float
    recall: float
    f1: float
    n: int


def record_from_dict(data: dict[str, Any]) -> InitiativeRecord:
    """An `InitiativeRecord` from its JSON form (dates as ISO strings)."""
    return InitiativeRecord(
        id=int(data["id"]),
        organisation_id=int(data["organisation_id"]),
        title=data.get("title", ""),
        description=data.get("description", ""),
        goals=frozenset(data.get("goals", ())),
        tags=frozenset(data.get("tags", ())),
        places=tuple(PlaceRecord(**p) for p in data.get("places", ())),
        start=date.fromisoformat(data["start"]) if data.get("start") else None,
        end=date.fromisoformat(data["end"]) if data.get("end") else None,
        org_type=data.get("org_type"),
    )


def load_pairs(path: str | Path) -> list[LabelledPair]:
    """The labelled pairs of a JSON file {"pairs": [{"a", "b", "overlap", "kind"}]}."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return [
        LabelledPair(record_from_dict(p["a"]), record_from_dict(p["b"]), bool(p["overlap"]),
                     p.get("kind", ""))
        for p in raw["pairs"]
    ]


def pair_components(
    pairs: list[LabelledPair], config: OverlapConfig, model: TextModel | None = None
) -> dict[str, np.ndarray]:
    """Component arrays of every pair (weights do not change components, so compute once)."""
    model = model or TextModel.reference(config.hash_bits, config.char_ngram)
    records = [record for pair in pairs for record in (pair.a, pair.b)]
    features, vectors = featurise(records, model, config.key_tokens)
    table = FeatureTable(features, config.hash_bits, vectors)
    rows = np.arange(0, 2 * len(pairs), 2)
    _, components = score_rows(table, rows, rows + 1, config)
    return components


def combine(components: dict[str, np.ndarray], config: OverlapConfig) -> np.ndarray:
    """Scores from precomputed components under the weights and gates of `config`."""
    return scoring.combine(components, config)


def quality(predicted: np.ndarray, truth: np.ndarray) -> Quality:
    """Precision, recall and F1 (0 when undefined, never a division by zero)."""
    tp = int(np.sum(predicted & truth))
    fp = int(np.sum(predicted & ~truth))
    fn = int(np.sum(~predicted & truth))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Quality(precision, recall, f1, len(truth))


def evaluate(
    pairs: list[LabelledPair], config: OverlapConfig | None = None, model: TextModel | None = None
) -> Quality:
    """Quality of the overlap decision of `config` on labelled pairs."""
    config = config or OverlapConfig()
    scores = combine(pair_components(pairs, config, model), config)
    different = np.array([p.a.organisation_id != p.b.organisation_id for p in pairs], dtype=bool)
    predicted = different & (scores >= config.threshold) & (scores > 0)
    truth = np.array([p.overlap for p in pairs], dtype=bool)
    return quality(predicted, truth)
