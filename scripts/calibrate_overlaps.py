"""Calibrate overlap weights and threshold on the labelled pairs, and report their quality.

Usage: .venv/bin/python scripts/calibrate_overlaps.py [--pairs tests/data/overlap_pairs.json]

Splits the pairs (stratified by pair kind, seeded) into 70% calibration and 30% held out,
grid-searches weights, gate floors and threshold on the calibration part for the best F1
(ties: higher precision, then closer to the current defaults), and prints precision, recall
and F1 of the current defaults and of the best found configuration on both parts. Copy the
best values into `OverlapConfig` when they improve the held-out figures.
"""
from __future__ import annotations

import argparse
import itertools
import random
from collections import defaultdict
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

from coordination.convergence.config import OverlapConfig
from coordination.convergence.evaluation import (
    LabelledPair,
    Quality,
    combine,
    load_pairs,
    pair_components,
    quality,
)

DEFAULT_PAIRS = Path(__file__).resolve().parents[1] / "tests" / "data" / "overlap_pairs.json"


def split(pairs: list[LabelledPair], held_out: float, seed: int) -> tuple[list[int], list[int]]:
    """Indices of calibration and held-out pairs, stratified by kind."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    for i, pair in enumerate(pairs):
        by_kind[pair.kind].append(i)
    rng = random.Random(seed)
    train, test = [], []
    for kind in sorted(by_kind):
        ids = by_kind[kind]
        rng.shuffle(ids)
        cut = max(1, round(len(ids) * held_out))
        test += ids[:cut]
        train += ids[cut:]
    return sorted(train), sorted(test)


def decide(components: dict[str, np.ndarray], different: np.ndarray, config: OverlapConfig):
    """Predicted overlaps under `config`."""
    scores = combine(components, config)
    return different & (scores >= config.threshold) & (scores > 0)


def grid(base: OverlapConfig):
    """Candidate configurations around the defaults."""
    for goal, place, time, text, tags in itertools.product(
        (0.2, 0.3, 0.4), (0.1, 0.2, 0.3), (0.05, 0.1), (0.2, 0.3, 0.4), (0.0, 0.05, 0.1)
    ):
        for place_floor, time_floor in itertools.product((0.2, 0.3, 0.4), (0.25,)):
            for threshold in np.arange(0.30, 0.76, 0.02):
                yield replace(
                    base, goal_weight=goal, place_weight=place, time_weight=time,
                    text_weight=text, tags_weight=tags, place_gate_floor=place_floor,
                    time_gate_floor=time_floor, threshold=round(float(threshold), 2),
                )


def line(name: str, q: Quality) -> str:
    """One report line."""
    return f"{name:<34} precision {q.precision:.3f}  recall {q.recall:.3f}  F1 {q.f1:.3f}  (n={q.n})"


def main() -> None:
    """Run the calibration and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", default=str(DEFAULT_PAIRS))
    parser.add_argument("--held-out", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    pairs = load_pairs(args.pairs)
    base = OverlapConfig()
    components = pair_components(pairs, base)
    truth = np.array([p.overlap for p in pairs], dtype=bool)
    different = np.array([p.a.organisation_id != p.b.organisation_id for p in pairs], dtype=bool)
    train, test = split(pairs, args.held_out, args.seed)
    train_a, test_a = np.array(train), np.array(test)

    def on(rows: np.ndarray, config: OverlapConfig) -> Quality:
        """Quality of `config` on a subset of the pairs."""
        sub = {k: v[rows] for k, v in components.items()}
        return quality(decide(sub, different[rows], config), truth[rows])

    print(f"{len(pairs)} labelled pairs, {int(truth.sum())} overlaps; "
          f"{len(train)} for calibration, {len(test)} held out")
    print(line("defaults, calibration part", on(train_a, base)))
    print(line("defaults, held-out part", on(test_a, base)))
    print(line("defaults, all pairs", on(np.arange(len(pairs)), base)))

    def rank(config: OverlapConfig) -> tuple[float, float, float]:
        """F1 first, then precision, then closeness to the defaults' threshold."""
        q = on(train_a, config)
        return (round(q.f1, 4), round(q.precision, 4), -abs(config.threshold - base.threshold))

    best = max(grid(base), key=rank)
    print(line("best found, calibration part", on(train_a, best)))
    print(line("best found, held-out part", on(test_a, best)))
    changed = {k: v for k, v in asdict(best).items() if asdict(base)[k] != v}
    print("best found differs from defaults in:", changed or "nothing")

    scores = combine(components, base)
    predicted = decide(components, different, base)
    print("\nmistakes of the defaults by pair kind:")
    for i in np.flatnonzero(predicted != truth):
        p = pairs[i]
        print(f"  {'FP' if predicted[i] else 'FN'} {p.kind:<28} score {scores[i]:.3f} "
              + " ".join(f"{k}={v[i]:.2f}" for k, v in components.items()))


if __name__ == "__main__":
    main()
