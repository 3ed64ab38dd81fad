"""Benchmark the batch on Dask: one process, then a local cluster of 1 and of 2 workers.

Usage: .venv/bin/python -m bench.bench_distributed [--n 50000] [--workers 1,2] [--partitions N]

In one run on one synthetic corpus (`bench/synthetic.py`): the single-process batch
(`find_all_overlaps`), then `find_all_overlaps_distributed` on a `distributed.LocalCluster`
of each size (worker processes, one thread each, started before the clock). Prints wall time,
the CPU time of this process and of the workers, how many records the partitions hold
(replication by the border halo and placeless records), and whether the overlaps (pairs,
scores, components, kinds, order) equal the single-process result. Nothing here is a test.
"""
from __future__ import annotations

import argparse
import time

import numpy as np
from distributed import Client, LocalCluster

from bench.synthetic import generate
from coordination.convergence import OverlapConfig, find_all_overlaps
from coordination.convergence.distributed import find_all_overlaps_distributed
from coordination.convergence.partitions import members, partition_masks


def _triples(overlaps) -> list[tuple]:
    return [(o.a_id, o.b_id, o.score, o.kind, tuple(sorted(o.components.items()))) for o in overlaps]


def _worker_cpu(client: Client) -> float:
    """CPU seconds the worker processes have used so far."""
    return sum(client.run(time.process_time).values())


def main() -> None:
    """Generate the corpus, run the single-process batch, then each cluster size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50_000)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--partitions", type=int, help="default: the cluster's worker threads")
    args = parser.parse_args()
    records = generate(args.n, seed=args.n).records
    t0, c0 = time.perf_counter(), time.process_time()
    single = find_all_overlaps(records)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    expected = _triples(single)
    print(f"n={args.n:,}: single-process batch {wall:6.2f} s wall, {cpu:6.2f} s CPU, "
          f"{len(single):,} overlaps", flush=True)
    del single
    for workers in (int(w) for w in args.workers.split(",")):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            parts = args.partitions or workers
            masks = partition_masks(records, OverlapConfig(), parts)
            held = [len(members(masks, p)) for p in range(parts)]
            before = _worker_cpu(client)
            t0, c0 = time.perf_counter(), time.process_time()
            found = find_all_overlaps_distributed(records, client, partitions=parts)
            d_wall, d_cpu = time.perf_counter() - t0, time.process_time() - c0
            w_cpu = _worker_cpu(client) - before
        same = _triples(found) == expected
        print(f"  {workers} worker(s), {parts} partition(s) holding {held} records "
              f"(x{np.sum(held) / len(records):.3f}): {d_wall:6.2f} s wall "
              f"({wall / d_wall:.2f}x the single process), CPU client {d_cpu:.2f} s + workers "
              f"{w_cpu:.2f} s; {len(found):,} overlaps, identical to the single process: {same}",
              flush=True)


if __name__ == "__main__":
    main()
