"""Benchmark overlap detection: batch, incremental, and an all-pairs baseline.

Usage: .venv/bin/python -m bench.bench_overlaps [--sizes 2000,50000] [--queries 200]
                                                  [--baseline-max 5000] [--fit]

For each size prints: batch time, peak memory (max RSS: tracemalloc slows Python 3x), recall of the
planted overlaps, the speed-up over scoring all pairs (same process, sizes <= --baseline-max),
and one-against-N query latency p50/p95 on an index of that size. With two or more sizes
>= 50k, prints the log-log growth exponent of batch time. Nothing here is a test.
"""
from __future__ import annotations

import argparse
import math
import resource
import time

import numpy as np

from bench.synthetic import generate
from coordination.convergence import OverlapConfig, OverlapIndex, find_all_overlaps, fit_model
from coordination.convergence.features import FeatureTable, featurise
from coordination.convergence.scoring import score_rows
from coordination.convergence.text_model import TextModel


def all_pairs(records, config: OverlapConfig, model: TextModel) -> tuple[float, int]:
    """The naive baseline: score every pair (vectorised too, to be fair); (seconds, found)."""
    t0 = time.perf_counter()
    features, vectors = featurise(records, model, config.key_tokens)
    table = FeatureTable(features, config.hash_bits, vectors)
    n, found = len(records), 0
    for i in range(n - 1):
        rows_b = np.arange(i + 1, n)
        rows_a = np.full(len(rows_b), i)
        keep = table.org[rows_a] != table.org[rows_b]
        scores, _ = score_rows(table, rows_a[keep], rows_b[keep], config)
        found += int(np.sum((scores >= config.threshold) & (scores > 0)))
    return time.perf_counter() - t0, found


def run(size: int, queries: int, baseline_max: int, fit: bool) -> float:
    """Benchmark one size; returns the batch time."""
    config = OverlapConfig()
    corpus = generate(size, seed=size)
    records = corpus.records
    model = TextModel.reference()
    fit_time = 0.0
    if fit:
        t0 = time.perf_counter()
        model = fit_model(records, config)
        fit_time = time.perf_counter() - t0
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    t0, c0 = time.perf_counter(), time.process_time()
    overlaps = find_all_overlaps(records, config, text_model=model)
    batch, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    found = {o.pair for o in overlaps}
    recall = len(found & corpus.planted) / max(1, len(corpus.planted))
    line = (f"n={size:>9,}  batch {batch:8.2f} s (cpu {cpu:.2f} s)  max RSS {peak:7.0f} MiB (was {rss_before:.0f} before)  "
            f"overlaps {len(overlaps):>9,}  planted recall {recall:.3f}")
    if fit:
        line += f"  (model fit {fit_time:.1f} s, {len(model.hot_blocks)} hot blocks)"
    print(line, flush=True)
    if size <= baseline_max:
        base_time, base_found = all_pairs(records, config, model)
        print(f"    all-pairs baseline {base_time:8.2f} s -> blocking is {base_time / batch:6.1f}x "
              f"faster; baseline finds {base_found:,} overlaps (blocking {len(overlaps):,})", flush=True)
    t0 = time.perf_counter()
    shown = [o.explanation for o in overlaps[:1000]]
    print(f"    explaining the 1,000 best on demand: {time.perf_counter() - t0:.2f} s; "
          f"{len(overlaps) / size:.2f} overlaps per initiative; best: {shown[0] if shown else '-'}",
          flush=True)
    del overlaps, shown
    if queries:
        index = OverlapIndex(config, text_model=model)
        t0 = time.perf_counter()
        index.add_many(records)
        build = time.perf_counter() - t0
        rng = np.random.default_rng(0)
        latencies = []
        for k in rng.choice(len(records), size=min(queries, len(records)), replace=False):
            t1 = time.perf_counter()
            index.find_overlaps(records[int(k)])
            latencies.append((time.perf_counter() - t1) * 1000)
        p50, p95 = np.percentile(latencies, [50, 95])
        print(f"    index build {build:.1f} s; one-against-{size:,}: p50 {p50:.1f} ms, p95 {p95:.1f} ms",
              flush=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10
    print(f"    max RSS so far {rss:,.0f} MiB", flush=True)
    return batch


def main() -> None:
    """Parse arguments and run the sizes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,5000,50000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--baseline-max", type=int, default=5000)
    parser.add_argument("--fit", action="store_true", help="fit IDF and hot blocks on the corpus")
    args = parser.parse_args()
    timings = {}
    for size in (int(s) for s in args.sizes.split(",")):
        timings[size] = run(size, args.queries, args.baseline_max, args.fit)
    big = sorted(s for s in timings if s >= 50_000)
    if len(big) >= 2:
        lo, hi = big[0], big[-1]
        slope = math.log(timings[hi] / timings[lo]) / math.log(hi / lo)
        print(f"growth exponent of batch time {lo:,} -> {hi:,}: {slope:.2f}")


if __name__ == "__main__":
    main()
