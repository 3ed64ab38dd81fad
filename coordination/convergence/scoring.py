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
from coordination.convergence.features import MANY_TARGETS, TAG_WIDTH, FeatureTable, featurise
from coordination.convergence.goals import goal_scores_of
from coordination.convergence.overlap import OverlapFinding
from coordination.convergence.text_model import TextModel
from coordination.convergence.work import work_scores
from coordination.records import InitiativeRecord

_TEXT_SLICE = 20_000  # pairs whose rows are copied at once for the text cosine (~50 MB)
_BOUND_MIN_PAIRS = 2_000  # fewer candidates go straight to the text cosine
_FLOAT32_SLACK = 1e-5  # relative: covers float32 rounding of 64 products and their sum


def score_rows(
    table: FeatureTable, rows_a: np.ndarray, rows_b: np.ndarray, config: OverlapConfig
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Scores and component arrays of the pairs (rows_a[k], rows_b[k]) of `table`."""
    components = _cheap_components(table, rows_a, rows_b, config)
    components["text"] = _text_scores(table, rows_a, rows_b)
    components = {name: components[name] for name in COMPONENTS}
    return combine(components, config), components


def score_candidates(
    table: FeatureTable, rows_a: np.ndarray, rows_b: np.ndarray, config: OverlapConfig
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """(kept positions, scores, components) of the candidate pairs scoring >= threshold.

    Goal, time, tags and place are computed for every pair; the text cosine only for the
    pairs that could still reach the threshold. Stages drop, in turn, the pairs that could
    not reach it with text = 1, then with text bounded by the bucket-by-bucket bound of the
    n-gram dot (`FeatureTable.char_buckets`) plus the product of the word-part norms, then
    by the same n-gram bound plus the exact dot of the word parts (~10 entries a row
    instead of ~80); the text bounds only when more than _BOUND_MIN_PAIRS pairs are left
    (a query's few hundred candidates are cheaper to score directly).
    The score is monotone in every component (and IEEE arithmetic is monotone), every
    component is a pure function of its pair, so the
    survivors get exactly the values of `score_rows` and the result equals scoring every
    pair and filtering; batch and incremental agree bit for bit.
    """
    floor = config.threshold - 1e-9
    done = {
        name: _component(name, table, rows_a, rows_b, config)
        for name in ("goal", "time", "tags", "place", "work")
    }
    done["alive"] = np.arange(len(rows_a))
    done["a"], done["b"] = rows_a, rows_b

    def survivors(text_bound: np.ndarray) -> dict[str, np.ndarray]:
        bound = combine({**done, "text": text_bound}, config)
        keep = np.flatnonzero(bound >= floor)
        if len(keep) == len(bound):
            return done
        return {name: column[keep] for name, column in done.items()}

    done = survivors(np.ones(len(rows_a)))
    if len(done["a"]) > _BOUND_MIN_PAIRS:  # bounds pay off in bulk, not for one query's candidates
        _, word_norm, _ = table.text_split()
        done["chars"] = _bucket_bounds(table, done["a"], done["b"])
        words = word_norm[done["a"]] * word_norm[done["b"]]
        done = survivors(np.minimum(1.0, words + done["chars"] + 1e-9))
        words = _word_dots(table, done["a"], done["b"])
        done = survivors(np.minimum(1.0, words + done["chars"] + 1e-9))
    done["text"] = _text_scores(table, done["a"], done["b"])
    components = {name: done[name] for name in COMPONENTS}
    scores = combine(components, config)
    keep = (scores >= config.threshold) & (scores > 0)
    kept = {name: column[keep] for name, column in components.items()}
    return done["alive"][keep], scores[keep], kept


def _component(
    name: str, table: FeatureTable, rows_a: np.ndarray, rows_b: np.ndarray, config: OverlapConfig
) -> np.ndarray:
    """One non-text component of the pairs."""
    if name == "goal":
        return _goal_scores(table, rows_a, rows_b, config)
    if name == "place":
        return _place_scores(table, rows_a, rows_b, config)
    if name == "time":
        return _time_scores(table, rows_a, rows_b, config.neutral)
    if name == "work":
        return work_scores(table.work[rows_a], table.work[rows_b], config.neutral)
    return _tag_scores(table, rows_a, rows_b, config.neutral)


def _goal_scores(
    table: FeatureTable, rows_a: np.ndarray, rows_b: np.ndarray, config: OverlapConfig
) -> np.ndarray:
    """Goal component: `goals.goal_scores`, comparing single targets as integers."""
    target_a, target_b = table.target[rows_a], table.target[rows_b]
    shared = (target_a == target_b) & (target_a >= 0)
    many = np.flatnonzero((target_a == MANY_TARGETS) | (target_b == MANY_TARGETS))
    if len(many):
        bits_a, bits_b = table.bits[rows_a[many]], table.bits[rows_b[many]]
        shared[many] = np.any((bits_a & bits_b) != 0, axis=1)
    return goal_scores_of(
        shared, table.fam[rows_a], table.rel[rows_a], table.fam[rows_b],
        config.same_target, config.same_goal, config.related_goal, config.neutral,
    )


def _cheap_components(
    table: FeatureTable, rows_a: np.ndarray, rows_b: np.ndarray, config: OverlapConfig
) -> dict[str, np.ndarray]:
    """Goal, place, time, tag and work components (everything but text)."""
    return {
        name: _component(name, table, rows_a, rows_b, config)
        for name in ("goal", "place", "time", "tags", "work")
    }


def combine(components: dict[str, np.ndarray], config: OverlapConfig) -> np.ndarray:
    """Weighted mean of the components times the place, time and work gates, in [0, 1]."""
    weights = config.weights()
    total = sum(weights.values())
    mean = sum(weights[name] * components[name] for name in COMPONENTS) / total
    gate = np.minimum(1.0, components["place"] / config.place_gate_floor) * np.minimum(
        1.0, components["time"] / config.time_gate_floor
    )
    gate = gate * np.where(components["work"] > 0, 1.0, config.different_work_factor)
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


def _word_dots(table: FeatureTable, rows_a: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
    """Dot products of the word parts of the text vectors."""
    words, _, _ = table.text_split()
    out = np.empty(len(rows_a))
    for lo in range(0, len(rows_a), _TEXT_SLICE):
        a, b = rows_a[lo : lo + _TEXT_SLICE], rows_b[lo : lo + _TEXT_SLICE]
        dots = words[a].multiply(words[b]).sum(axis=1)
        out[lo : lo + len(a)] = np.asarray(dots, dtype=np.float64).ravel()
    return out


def _bucket_bounds(table: FeatureTable, rows_a: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
    """An upper bound of the n-gram parts' dot products: the dot of their bucket norms."""
    buckets = table.char_buckets()
    out = np.empty(len(rows_a))
    for lo in range(0, len(rows_a), _TEXT_SLICE):
        a, b = rows_a[lo : lo + _TEXT_SLICE], rows_b[lo : lo + _TEXT_SLICE]
        # `take` gathers rows ~2.5x faster than fancy indexing here.
        rows_of_a, rows_of_b = buckets.take(a, axis=0), buckets.take(b, axis=0)
        out[lo : lo + len(a)] = np.einsum("ij,ij->i", rows_of_a, rows_of_b)
    return out * (1.0 + _FLOAT32_SLACK)


def _text_bounds(table: FeatureTable, rows_a: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
    """An upper bound of `_text_scores`: word-part dot + the tighter n-gram bound (+ rounding)."""
    if len(rows_a) == 0:
        return np.zeros(0)
    _, _, char_norm = table.text_split()
    chars = np.minimum(char_norm[rows_a] * char_norm[rows_b], _bucket_bounds(table, rows_a, rows_b))
    return np.minimum(1.0, _word_dots(table, rows_a, rows_b) + chars + 1e-9)


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
    tag_set = table.tag_set
    result[both[large]] = np.fromiter(
        (
            len(tag_set(i) & tag_set(j)) / len(tag_set(i) | tag_set(j))
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
) -> OverlapFinding:
    """Score two initiatives, whatever their organisations; the caller applies the threshold."""
    config = config or OverlapConfig()
    model = text_model or TextModel.reference(config.hash_bits, config.char_ngram)
    if b.id < a.id:
        a, b = b, a
    features, vectors = featurise([a, b], model, config.key_tokens)
    table = FeatureTable(features, config.hash_bits, vectors)
    scores, components = score_rows(table, np.array([0]), np.array([1]), config)
    return build_overlap(a, b, float(scores[0]), {k: float(v[0]) for k, v in components.items()})
