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
from coordination.convergence.features import TAG_WIDTH, FeatureTable, featurise
from coordination.convergence.goals import goal_scores
from coordination.convergence.overlap import Overlap
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

    Components are computed in stages, cheapest first (goal and time, then place, then
    tags, then the text cosine); after each stage the pairs that could not reach the
    threshold even with every missing component at 1 are dropped (the score is monotone in
    every component). Every component is a pure function of its pair, so the survivors get
    exactly the values of `score_rows` and the result equals scoring every pair and
    filtering; batch and incremental agree bit for bit.
    """
    floor = config.threshold - 1e-9
    alive = np.arange(len(rows_a))
    a, b = rows_a, rows_b
    done: dict[str, np.ndarray] = {}
    stages = (("goal", "time", "tags"), ("place",))
    for stage in stages:
        for name in stage:
            done[name] = _component(name, table, a, b, config)
        bound = _combine(_with_ones(done, len(a)), config)
        keep = np.flatnonzero(bound >= floor)
        if len(keep) < len(a):
            alive, a, b = alive[keep], a[keep], b[keep]
            done = {name: column[keep] for name, column in done.items()}
    # Text bound: the exact word-feature dot plus the product of the n-gram norms
    # (Cauchy-Schwarz on the n-gram half) is >= the cosine; it touches ~10 entries a row
    # instead of ~80.
    done["text"] = _text_bounds(table, a, b)
    bound = _combine({name: done[name] for name in COMPONENTS}, config)
    keep = np.flatnonzero(bound >= floor)
    if len(keep) < len(a):
        alive, a, b = alive[keep], a[keep], b[keep]
        done = {name: column[keep] for name, column in done.items()}
    done["text"] = _text_scores(table, a, b)
    components = {name: done[name] for name in COMPONENTS}
    scores = _combine(components, config)
    keep = (scores >= config.threshold) & (scores > 0)
    return alive[keep], scores[keep], {name: column[keep] for name, column in components.items()}


def _with_ones(done: dict[str, np.ndarray], n: int) -> dict[str, np.ndarray]:
    """`done` completed with 1 for every component not computed yet (an upper bound)."""
    ones = np.ones(n)
    return {name: done.get(name, ones) for name in COMPONENTS}


def _component(
    name: str, table: FeatureTable, rows_a: np.ndarray, rows_b: np.ndarray, config: OverlapConfig
) -> np.ndarray:
    """One non-text component of the pairs."""
    if name == "goal":
        return goal_scores(
            table.fam[rows_a], table.rel[rows_a], table.bits[rows_a],
            table.fam[rows_b], table.bits[rows_b],
            config.same_target, config.same_goal, config.related_goal, config.neutral,
        )
    if name == "place":
        return _place_scores(table, rows_a, rows_b, config)
    if name == "time":
        return _time_scores(table, rows_a, rows_b, config.neutral)
    return _tag_scores(table, rows_a, rows_b, config.neutral)


def _cheap_components(
    table: FeatureTable, rows_a: np.ndarray, rows_b: np.ndarray, config: OverlapConfig
) -> dict[str, np.ndarray]:
    """Goal, place, time and tag components (everything but text)."""
    return {
        name: _component(name, table, rows_a, rows_b, config)
        for name in ("goal", "place", "time", "tags")
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
    one = np.flatnonzero(combos == 1)  # the common case: one place each
    places = table.places
    result[one] = places.scores(table.place_start[rows_a[one]], table.place_start[rows_b[one]], config)
    many = np.flatnonzero(combos > 1)
    if not len(many):
        return result
    combos_k = combos[many]
    offsets = np.concatenate([[0], np.cumsum(combos_k)[:-1]])
    pair_of = np.repeat(np.arange(len(combos_k)), combos_k)
    k = np.arange(int(combos_k.sum())) - offsets[pair_of]
    width_b = count_b[many][pair_of]
    place_a = table.place_start[rows_a[many]][pair_of] + k // width_b
    place_b = table.place_start[rows_b[many]][pair_of] + k % width_b
    result[many] = np.maximum.reduceat(places.scores(place_a, place_b, config), offsets)
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
    """Cosine of the unit TF-IDF vectors (0 for an empty description).

    scipy's sorted-index merge of the two rows; a dense scratch-vector variant (scatter a,
    gather b) was measured and is no faster: the cost is touching ~80 entries per row.
    """
    if len(rows_a) == 0:
        return np.zeros(0)
    out = np.empty(len(rows_a))
    for lo in range(0, len(rows_a), _TEXT_SLICE):  # slices bound the row copies' memory
        a, b = rows_a[lo : lo + _TEXT_SLICE], rows_b[lo : lo + _TEXT_SLICE]
        dots = table.vectors[a].multiply(table.vectors[b]).sum(axis=1)
        out[lo : lo + len(a)] = np.asarray(dots, dtype=np.float64).ravel()
    return np.clip(out, 0.0, 1.0)


def _text_bounds(table: FeatureTable, rows_a: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
    """An upper bound of `_text_scores`: word-part dot + n-gram norm product (+ rounding)."""
    if len(rows_a) == 0:
        return np.zeros(0)
    words, char_norm = table.text_split()
    out = np.empty(len(rows_a))
    for lo in range(0, len(rows_a), _TEXT_SLICE):
        a, b = rows_a[lo : lo + _TEXT_SLICE], rows_b[lo : lo + _TEXT_SLICE]
        dots = words[a].multiply(words[b]).sum(axis=1)
        out[lo : lo + len(a)] = np.asarray(dots, dtype=np.float64).ravel()
    return np.minimum(1.0, out + char_norm[rows_a] * char_norm[rows_b] + 1e-9)


def _tag_scores(
    table: FeatureTable, rows_a: np.ndarray, rows_b: np.ndarray, neutral: float
) -> np.ndarray:
    """Jaccard of normalised tags; neutral where a side has none.

    Tag sets of up to TAG_WIDTH ids are compared as padded rows (pads never match); the
    ratio of two exact integer counts is the same float as Python's `len(&) / len(|)`.
    """
    result = np.full(len(rows_a), neutral)
    both = np.flatnonzero(table.has_tags[rows_a] & table.has_tags[rows_b])
    a, b = rows_a[both], rows_b[both]
    count_a, count_b = table.tag_count[a], table.tag_count[b]
    small = (count_a <= TAG_WIDTH) & (count_b <= TAG_WIDTH)
    ta, tb = table.tag_matrix[a[small]], table.tag_matrix[b[small]]
    shared = np.zeros(len(ta), np.int64)
    for i in range(TAG_WIDTH):
        shared += ((ta[:, i : i + 1] == tb) & (ta[:, i : i + 1] >= 0)).sum(axis=1)
    union = count_a[small] + count_b[small] - shared
    result[both[small]] = shared / union
    large = np.flatnonzero(~small)
    tags = table.tags
    result[both[large]] = np.fromiter(
        (
            len(tags[i] & tags[j]) / len(tags[i] | tags[j])
            for i, j in zip(a[large].tolist(), b[large].tolist(), strict=True)
        ),
        dtype=np.float64,
        count=len(large),
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
