"""Overlap scoring: five explainable components in [0, 1] and the score they make.

Components: goal (hierarchy), place (distance or shared area), time (fraction of the shorter
initiative's span they share), text (TF-IDF cosine), tags (Jaccard). A side that cannot inform
a component (no goals, no dates, no places, no tags) gets the neutral value and the
explanation says so. Every path (single pair, one-against-all, batch) goes through
`score_rows`, so they agree to the last bit.
"""
from __future__ import annotations

import numpy as np

from coordination.convergence.config import COMPONENTS, OverlapConfig
from coordination.convergence.explain import build_overlap
from coordination.convergence.features import FeatureTable, featurise
from coordination.convergence.goals import goal_scores
from coordination.convergence.overlap import Overlap
from coordination.convergence.places import place_pair_scores
from coordination.convergence.text_model import TextModel
from coordination.records import InitiativeRecord

_TEXT_SLICE = 100_000  # pairs whose rows are copied at once for the text cosine


def score_rows(
    table: FeatureTable, rows_a: np.ndarray, rows_b: np.ndarray, config: OverlapConfig
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Scores and component arrays of the pairs (rows_a[k], rows_b[k]) of `table`."""
    components = _cheap_components(table, rows_a, rows_b, config)
    components["text"] = _text_scores(table, rows_a, rows_b)
    components = {name: components[name] for name in COMPONENTS}
    return _combine(components, config), components


def score_candidates(
    table: FeatureTable, rows_a: np.ndarray, rows_b: np.ndarray, config: OverlapConfig
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """(kept positions, scores, components) of the candidate pairs scoring >= threshold.

    The text cosine (the costly component) is only computed for pairs that could reach the
    threshold with text = 1; the kept pairs are then scored by exactly the arithmetic of
    `score_rows`, so the result equals scoring every pair and filtering.
    """
    cheap = _cheap_components(table, rows_a, rows_b, config)
    cheap["text"] = np.ones(len(rows_a))
    bound = _combine(cheap, config)
    maybe = np.flatnonzero(bound >= config.threshold - 1e-9)
    components = {name: column[maybe] for name, column in cheap.items()}
    components["text"] = _text_scores(table, rows_a[maybe], rows_b[maybe])
    components = {name: components[name] for name in COMPONENTS}
    scores = _combine(components, config)
    keep = (scores >= config.threshold) & (scores > 0)
    return maybe[keep], scores[keep], {name: column[keep] for name, column in components.items()}


def _cheap_components(
    table: FeatureTable, rows_a: np.ndarray, rows_b: np.ndarray, config: OverlapConfig
) -> dict[str, np.ndarray]:
    """Goal, place, time and tag components (everything but text)."""
    goal = goal_scores(
        table.fam[rows_a], table.rel[rows_a], table.bits[rows_a],
        table.fam[rows_b], table.bits[rows_b],
        config.same_target, config.same_goal, config.related_goal, config.neutral,
    )
    return {
        "goal": goal,
        "place": _place_scores(table, rows_a, rows_b, config),
        "time": _time_scores(table, rows_a, rows_b, config.neutral),
        "tags": _tag_scores(table, rows_a, rows_b, config.neutral),
    }


def _combine(components: dict[str, np.ndarray], config: OverlapConfig) -> np.ndarray:
    """Weighted mean of the components times the place and time gates, in [0, 1]."""
    weights = config.weights()
    total = sum(weights.values())
    mean = sum(weights[name] * components[name] for name in COMPONENTS) / total
    gate = np.minimum(1.0, components["place"] / config.place_gate_floor) * np.minimum(
        1.0, components["time"] / config.time_gate_floor
    )
    return np.clip(mean * gate, 0.0, 1.0)


def _place_scores(
    table: FeatureTable, rows_a: np.ndarray, rows_b: np.ndarray, config: OverlapConfig
) -> np.ndarray:
    """Best place-pair score of each pair; neutral where a side has no usable place."""
    count_a, count_b = table.place_count[rows_a], table.place_count[rows_b]
    combos = count_a * count_b
    result = np.full(len(rows_a), config.neutral)
    known = combos > 0
    if not known.any():
        return result
    combos_k = combos[known]
    offsets = np.concatenate([[0], np.cumsum(combos_k)[:-1]])
    pair_of = np.repeat(np.arange(len(combos_k)), combos_k)
    k = np.arange(int(combos_k.sum())) - offsets[pair_of]
    width_b = count_b[known][pair_of]
    place_a = table.place_start[rows_a][known][pair_of] + k // width_b
    place_b = table.place_start[rows_b][known][pair_of] + k % width_b
    scores, _ = place_pair_scores(table.place_rows[place_a], table.place_rows[place_b], config)
    result[known] = np.maximum.reduceat(scores, offsets)
    return result


def _time_scores(
    table: FeatureTable, rows_a: np.ndarray, rows_b: np.ndarray, neutral: float
) -> np.ndarray:
    """Shared fraction of the shorter span; 1 when both are ongoing; neutral when unknown."""
    sa, ea, sb, eb = table.start[rows_a], table.end[rows_a], table.start[rows_b], table.end[rows_b]
    with np.errstate(invalid="ignore"):
        shared = np.minimum(ea, eb) - np.maximum(sa, sb) + 1.0
        shorter = np.minimum(ea - sa, eb - sb) + 1.0
        fraction = np.where(np.isinf(shorter), 1.0, shared / shorter)
    fraction = np.clip(np.nan_to_num(fraction, nan=0.0), 0.0, 1.0)
    fraction = np.where(shared > 0, fraction, 0.0)
    return np.where(np.isnan(sa) | np.isnan(sb), neutral, fraction)


def _text_scores(table: FeatureTable, rows_a: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
    """Cosine of the unit TF-IDF vectors (0 for an empty description)."""
    if len(rows_a) == 0:
        return np.zeros(0)
    out = np.empty(len(rows_a))
    for lo in range(0, len(rows_a), _TEXT_SLICE):  # slices bound the row copies' memory
        a, b = rows_a[lo : lo + _TEXT_SLICE], rows_b[lo : lo + _TEXT_SLICE]
        dots = table.vectors[a].multiply(table.vectors[b]).sum(axis=1)
        out[lo : lo + len(a)] = np.asarray(dots, dtype=np.float64).ravel()
    return np.clip(out, 0.0, 1.0)


def _tag_scores(
    table: FeatureTable, rows_a: np.ndarray, rows_b: np.ndarray, neutral: float
) -> np.ndarray:
    """Jaccard of normalised tags; neutral where a side has none."""
    result = np.full(len(rows_a), neutral)
    both = np.flatnonzero(table.has_tags[rows_a] & table.has_tags[rows_b])
    tags = table.tags
    result[both] = np.fromiter(
        (
            len(tags[i] & tags[j]) / len(tags[i] | tags[j])
            for i, j in zip(rows_a[both].tolist(), rows_b[both].tolist(), strict=True)
        ),
        dtype=np.float64,
        count=len(both),
    )
    return result


def score_pair(
    a: InitiativeRecord,
    b: InitiativeRecord,
    config: OverlapConfig | None = None,
    text_model: TextModel | None = None,
) -> Overlap:
    """Score two initiatives, whatever their organisations; the caller applies the threshold."""
    config = config or OverlapConfig()
    model = text_model or TextModel.reference(config.hash_bits, config.char_ngram)
    if b.id < a.id:
        a, b = b, a
    features, vectors = featurise([a, b], model, config.key_tokens)
    table = FeatureTable(features, config.hash_bits, vectors)
    scores, components = score_rows(table, np.array([0]), np.array([1]), config)
    return build_overlap(a, b, float(scores[0]), {k: float(v[0]) for k, v in components.items()})
