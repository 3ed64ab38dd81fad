"""Overlap configuration: the weights, decays and caps that turn components into a score.

Defaults come from `scripts/calibrate_overlaps.py` run on `tests/data/overlap_pairs.json`;
change them there, not by hand, so the reported precision and recall stay true.
"""
from __future__ import annotations

from dataclasses import dataclass

COMPONENTS: tuple[str, ...] = ("goal", "place", "time", "text", "tags", "work")


@dataclass(frozen=True, slots=True)
class OverlapConfig:
    """Everything that decides whether two initiatives overlap.

    score = (weighted mean of the six components) x place gate x time gate x work gate, where
    a place or time gate is min(1, component / gate_floor): two efforts far apart, or years
    apart, are not an overlap however alike their work is. The work gate is
    `different_work_factor` when both sides name kinds of work (`work.py`) and none in common
    (work = 0), else 1: the same goal in the same place is not an overlap when one side builds
    latrines and the other runs water kiosks.

    No per-initiative cap (best-k) is applied: every pair above the threshold is an overlap,
    in batch and incremental alike. Dense areas (many organisations on one target in one
    city or one country) really produce many overlaps, and convergence groups are built from
    all of them. A best-k cap would make a pair's fate depend on third initiatives, so the
    one-against-all answer could no longer equal the batch answer, and the service's
    "deactivate what the query no longer finds" would flap. Limit what is *shown* instead
    (the service lists an initiative's overlaps best first); bound the *work* with hot blocks
    (`hot_block_cap`, fitted with `fit_model`).
    """

    # What the work is (goal, text, tags) and where/when it happens (place, time).
    goal_weight: float = 0.20
    place_weight: float = 0.10
    time_weight: float = 0.05
    text_weight: float = 0.20
    tags_weight: float = 0.10
    work_weight: float = 0.20
    different_work_factor: float = 0.90
    threshold: float = 0.48  # midway between the closest negative (0.46) and positive (0.50)
    place_gate_floor: float = 0.20
    time_gate_floor: float = 0.25

    # Goal similarity through the hierarchy.
    same_target: float = 1.0
    same_goal: float = 0.7
    related_goal: float = 0.35

    # Place: exp(-distance / distance_scale_km) between points; area matches otherwise.
    distance_scale_km: float = 15.0
    max_distance_km: float = 60.0  # beyond this two points score 0 whatever the decay says
    same_admin2: float = 0.7
    same_admin1: float = 0.55
    same_country: float = 0.35

    # Neutral value for a component one side cannot inform (no goals, no dates, ...).
    neutral: float = 0.5

    # Blocking.
    cell_degrees: float = 0.25  # grid cell size; pairs within one cell (~28 km) always meet
    key_tokens: int = 6  # rarest words of a description used as text blocking keys
    hot_block_cap: int = 400  # blocks larger than this (in the fitted model) are sub-blocked

    # Text features.
    hash_bits: int = 20
    char_ngram: int = 4

    def weights(self) -> dict[str, float]:
        """The component weights by component name."""
        return {
            "goal": self.goal_weight,
            "place": self.place_weight,
            "time": self.time_weight,
            "text": self.text_weight,
            "tags": self.tags_weight,
            "work": self.work_weight,
        }

    def __post_init__(self) -> None:
        """Refuse configurations that would make scores meaningless."""
        weights = self.weights()
        if any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
            raise ValueError("component weights must be >= 0 and not all zero")
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError("threshold must lie in [0, 1]")
        if self.cell_degrees <= 0 or self.distance_scale_km <= 0:
            raise ValueError("cell_degrees and distance_scale_km must be > 0")
        if self.place_gate_floor <= 0 or self.time_gate_floor <= 0:
            raise ValueError("gate floors must be > 0")
        if not 0.0 < self.different_work_factor <= 1.0:
            raise ValueError("different_work_factor must lie in (0, 1]")
        if self.hot_block_cap < 2 or self.key_tokens < 0:
            raise ValueError("hot_block_cap must be >= 2 and key_tokens >= 0")
