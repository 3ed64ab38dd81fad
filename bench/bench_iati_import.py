"""Benchmark: streaming IATI import vs. a naive parse of the whole file, in one process.

Generates an IATI file of N activities (real activities from the shared D-Portal
samples, given fresh identifiers), then measures activities/second and the growth of
peak RSS for
  1. `parse_iati` (iterparse, each activity freed after mapping), and
  2. the naive baseline: `lxml.etree.parse` of the whole file, then the same mapping.
The streaming run goes first, because peak RSS only ever grows.

    .venv/bin/python bench/bench_iati_import.py [--activities 100000]
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coordination.formats.iati_activity import map_activity
from coordination.formats.iati_import import parse_iati

SAMPLE = ROOT.parent / "shared" / "data" / "iati" / "dportal-ocha-iati-viz" / "saved_data" / "dportal_117.xml"
FALLBACK = ROOT / "tests" / "data" / "formats" / "activity-standard-example-annotated.xml"


def templates() -> list[bytes]:
    """Real activities serialised as bytes, to be repeated."""
    source = SAMPLE if SAMPLE.exists() else FALLBACK
    tree = etree.parse(str(source), etree.XMLParser(resolve_entities=False, remove_comments=True))
    return [etree.tostring(a) for a in tree.getroot().iter("iati-activity")]


def generate(path: Path, count: int) -> int:
    """Write `count` activities to `path` and return the file size in bytes."""
    pieces = templates()
    with open(path, "wb") as out:
        out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n')
        for index in range(count):
            piece = pieces[index % len(pieces)]
            # A fresh identifier per copy, as a real large file would have.
            start = piece.index(b"<iati-identifier>") + len(b"<iati-identifier>")
            out.write(piece[:start] + b"BENCH-%d-" % index + piece[start:])
        out.write(b"</iati-activities>\n")
    return path.stat().st_size


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_streaming(path: Path) -> tuple[int, float, float]:
    """(records, CPU seconds, peak RSS growth MB) for parse_iati."""
    before = peak_rss_mb()
    started = time.process_time()  # CPU time: the shared bench machine's wall clock is noisy
    count = sum(1 for item in parse_iati(path) if item.ok)
    return count, time.process_time() - started, peak_rss_mb() - before


def run_naive(path: Path) -> tuple[int, float, float]:
    """(records, CPU seconds, peak RSS growth MB) for parse-everything-then-map."""
    before = peak_rss_mb()
    started = time.process_time()
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    count = sum(1 for a in tree.getroot().iter("iati-activity") if map_activity(a, path.name, None).ok)
    elapsed = time.process_time() - started
    growth = peak_rss_mb() - before
    del tree
    return count, elapsed, growth


def main() -> int:
    """Generate the file, run both importers, print the figures and the ratios."""
    parser = argparse.ArgumentParser(description="IATI import benchmark")
    parser.add_argument("--activities", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench-activities.xml"
        size = generate(path, args.activities)
        print(f"file: {args.activities:,} activities, {size / 1e6:.0f} MB")
        s_count, s_time, s_mem = run_streaming(path)
        n_count, n_time, n_mem = run_naive(path)
    print(f"streaming parse_iati : {s_count:,} records in {s_time:.1f} CPU s = {s_count / s_time:,.0f} activities/s, "
          f"peak RSS +{s_mem:,.0f} MB")
    print(f"naive etree.parse    : {n_count:,} records in {n_time:.1f} CPU s = {n_count / n_time:,.0f} activities/s, "
          f"peak RSS +{n_mem:,.0f} MB")
    print(f"ratio: speed streaming/naive = {n_time / s_time:.2f}x, "
          f"memory naive/streaming = {n_mem / max(s_mem, 1):.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
