"""Benchmark overlap detection: batch, incremental, and an all-pairs baseline.

Usage: .venv/bin/python -m bench.bench_overlaps [--sizes 2000,50000] [--queries 200]
                                                  [--baseline-max 5000] [--fit]

Each size runs in its own subprocess, so one size's memory never hides another's. For each
size prints: batch wall and CPU (process) time, peak memory (max RSS of the process right
after the batch: the generated corpus plus everything the batch held at its peak;
tracemalloc would slow Python 3x), the RSS the corpus alone took before the batch, recall of
the planted overlaps, the speed-up over scoring all pairs (same process, sizes <=
--baseline-max), and one-against-N query latency p50/p95 on an index of that size (built
after the batch figures are taken). With two or more sizes >= 50k, prints the log-log
growth exponent of batch wall and CPU time. Nothing here is a test.
"""
from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import time

import numpy as np

from bench.synthetic import generate
from coordination.convergence import OverlapConfig, OverlapIndex, find_all_overlaps, fit_model
from coordination.convergence.features import FeatureTable, featurise
from coordination.convergence.scoring import score_rows
from coordination.convergence.text_model import TextModel


def _max_rss_mib() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**10


def _rss_mib() -> float:
    """Current resident memory of this process, in MiB."""
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


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


def run(size: int, queries: int, baseline_max: int, fit: bool) -> dict[str, float]:
    """Benchmark one size in this process; returns its figures."""
    config = OverlapConfig()
    corpus = generate(size, seed=size)
    records = corpus.records
    model = TextModel.reference()
    fit_time = 0.0
    if fit:
        t0 = time.perf_counter()
        model = fit_model(records, config)
        fit_time = time.perf_counter() - t0
    rss_before = _rss_mib()
    t0, c0 = time.perf_counter(), time.process_time()
    overlaps = find_all_overlaps(records, config, text_model=model)
    batch, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = _max_rss_mib()
    found = {o.pair for o in overlaps}
    recall = len(found & corpus.planted) / max(1, len(corpus.planted))
    figures = {"n": size, "wall": batch, "cpu": cpu, "peak_mib": peak, "corpus_mib": rss_before,
               "overlaps": len(overlaps), "recall": recall}
    line = (f"n={size:>9,}  batch {batch:8.2f} s (cpu {cpu:.2f} s)  max RSS {peak:7.0f} MiB "
            f"(corpus alone {rss_before:.0f})  overlaps {len(overlaps):>9,}  "
            f"planted recall {recall:.3f}")
    if fit:
        line += f"  (model fit {fit_time:.1f} s, {len(model.hot_blocks)} hot blocks)"
    print(line, flush=True)
    if size <= baseline_max:
        base_time, base_found = all_pairs(records, config, model)
        figures["baseline_ratio"] = base_time / batch
        print(f"    all-pairs baseline {base_time:8.2f} s -> blocking is {base_time / batch:6.1f}x "
              f"faster; baseline finds {base_found:,} overlaps (blocking {len(overlaps):,})",
              flush=True)
    t0 = time.perf_counter()
    shown = [o.explanation for o in overlaps[:1000]]
    print(f"    explaining the 1,000 best on demand: {time.perf_counter() - t0:.2f} s; "
          f"{len(overlaps) / size:.2f} overlaps per initiative; best: {shown[0] if shown else '-'}",
          flush=True)
    del overlaps, shown, found
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
        figures.update(index_build=build, p50_ms=float(p50), p95_ms=float(p95))
        print(f"    index build {build:.1f} s; one-against-{size:,}: p50 {p50:.1f} ms, "
              f"p95 {p95:.1f} ms; max RSS with the index {_max_rss_mib():,.0f} MiB", flush=True)
    return figures


def main() -> None:
    """Parse arguments and run every size in a subprocess of its own."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,5000,50000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--baseline-max", type=int, default=5000)
    parser.add_argument("--fit", action="store_true", help="fit IDF and hot blocks on the corpus")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: run one size here
    args = parser.parse_args()
    if args.one is not None:
        figures = run(args.one, args.queries, args.baseline_max, args.fit)
        print("FIGURES " + json.dumps(figures), flush=True)
        return
    results = {}
    for size in (int(s) for s in args.sizes.split(",")):
        command = [sys.executable, "-m", "bench.bench_overlaps", "--one", str(size),
                   "--queries", str(args.queries), "--baseline-max", str(args.baseline_max)]
        if args.fit:
            command.append("--fit")
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as child:
            assert child.stdout is not None
            for line in child.stdout:
                if line.startswith("FIGURES "):
                    results[size] = json.loads(line[len("FIGURES "):])
                else:
                    print(line, end="", flush=True)
        if child.returncode:
            raise SystemExit(f"size {size} failed with exit code {child.returncode}")
    big = sorted(s for s in results if s >= 50_000)
    if len(big) >= 2:
        lo, hi = results[big[0]], results[big[-1]]
        for what in ("wall", "cpu"):
            slope = math.log(hi[what] / lo[what]) / math.log(hi["n"] / lo["n"])
            print(f"growth exponent of batch {what} time {big[0]:,} -> {big[-1]:,}: {slope:.2f}")


if __name__ == "__main__":
    main()
