#!/usr/bin/env python3
"""Speed of discovery: the five real sources, and the engine's synthetic corpus at 100 and 1,000 sources.

    python -m bench.discover [--sources 100,1000] [--archive DIR]

The synthetic texts (scripts/bench/engine.py, with numbers) state a week range in every range
claim's quote and a percentage no claim covers in every fifth other sentence, so coverage,
dismissal and suggestions are all exercised. Prints the CPU seconds of the fastest run and the
ratio between sizes: linear time means 10 times the sources in about 10 times the time.
Target: well under 1 s on the five sources.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path


from bench.engine import PER_SOURCE, generate
from reconcile.discover import discover
from reconcile.load import load_project
from reconcile.pipeline import ROOT, archive_dir
from reconcile.quotes import verify


def timed(project, texts, runs: int):
    """CPU seconds of the fastest run (CPU time: other processes on a shared machine do not count)."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        result = discover(project, texts)
        times.append(time.process_time() - start)
    return min(times), result.summary()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sources", default="100,1000")
    p.add_argument("--archive", help="the real archive (default: $SOURCE_ARCHIVE or ../shared/sources)")
    args = p.parse_args(argv)
    rows = []
    archive = archive_dir(args.archive)
    if archive.is_dir():
        project = load_project(ROOT / "data")
        seconds, s = timed(project, verify(project, archive).texts, 5)
        rows.append(("five real sources", len(project.sources), seconds, s))
    base = Path(tempfile.mkdtemp(prefix="bench-discover-"))
    try:
        for n in map(int, args.sources.split(",")):
            data, synthetic = generate(base / str(n), n * PER_SOURCE, numbers=True)
            project = load_project(data)
            seconds, s = timed(project, verify(project, synthetic).texts, 3 if n <= 100 else 2)
            rows.append((f"synthetic, {n * PER_SOURCE} claims", n, seconds, s))
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(f"{'corpus':<26} {'sources':>7} {'mentions':>9} {'covered':>8} {'uncovered':>9} {'cpu s':>8}")
    for name, n, seconds, s in rows:
        print(f"{name:<26} {n:>7} {s['total']:>9} {s['covered']:>8} {s['uncovered']:>9} {seconds:>8.3f}")
    synthetic_rows = [r for r in rows if r[0].startswith("synthetic")]
    for a, b in zip(synthetic_rows, synthetic_rows[1:]):
        print(f"{b[1] / a[1]:.0f}x the sources took {b[2] / a[2]:.1f}x the time "
              f"({b[2] / b[1] * 1000:.2f} ms per source, was {a[2] / a[1] * 1000:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
