#!/usr/bin/env python3
"""Scale benchmark of the disagreement engine on synthetic data in the real format.

    python -m bench.engine [--sizes 1000,10000,100000] [--repeat 3] [--keep DIR]

Writes, for each size, sources with archive texts, 200 topics and claims with verbatim
quotes (about 100 claims per source: 1,000 sources for 100,000 claims), then times
load, verify, compare, discovery and writing the JSON report, cold (empty caches) and warm
(the caches the cold run filled), and prints the figures: wall time, the fastest of --repeat
runs (noise from other processes only adds), and this process's CPU time beside it (when a
core is free, a second process parses and counts half: reconcile/parallel.py).
Targets (issue 12): 100k claims cold in at most 6 s, warm in at most 2 s; 10x the claims
in at most 11x the time, for the engine and for discovery (the worst ratio is printed).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path


from reconcile.cache import ParseCache
from reconcile.compare import compare
from reconcile.discover import discover
from reconcile.gcpause import gc_paused
from reconcile.load import load_project
from reconcile.quotes import verify
from reconcile.report import build_report

ROOT = Path(__file__).resolve().parents[2]
N_TOPICS = 200
PER_SOURCE = 100
WORDS = ("cervix stitch week pregnancy doctor baby early sign cramp bleeding rest shot scan test risk "
         "labor care loss support twin weak short open close remove place watch help").split()
KINDS = ("range", "choice", "caveat", "set", "fact")


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def generate(root: Path, n_claims: int, seed: int = 7, numbers: bool = False) -> tuple[Path, Path]:
    """Write data/ and archive/ under ``root`` with about ``n_claims`` claims; return (data, archive).

    ``numbers``: the texts also state numbers, as real ones do (for scripts/bench/discover.py): each
    range claim's quote ends "from LO to HI weeks", and every fifth other sentence holds a number that
    no claim covers. The same seed gives the same claims either way."""
    rng = random.Random(seed)
    extra = random.Random(seed + 1)
    data, archive = root / "data", root / "archive"
    for d in (data / "topics", data / "claims", data / "resolutions", archive):
        d.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "data" / "schema", data / "schema", dirs_exist_ok=True)
    (data / "guidance.yaml").write_text("citations: []\nfacts: []\n", encoding="utf-8")
    topics = []
    lines = ["topics:"]
    for i in range(N_TOPICS):
        kind = KINDS[i % len(KINDS)]
        topics.append((f"bench.t{i:03d}", kind))
        lines += [f"  - id: bench.t{i:03d}", f"    question: Question {i}?", "    page: index.md", f"    kind: {kind}"]
        lines += {"range": ["    unit: weeks"], "choice": ["    options: {a: A, b: B}"],
                  "set": ["    options: {a: A, b: B, c: C}"], "caveat": ["    caveat: only for one baby"]}.get(kind, [])
    (data / "topics" / "bench.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    n_sources = max(2, n_claims // PER_SOURCE)
    sources = ["sources:"]
    for s in range(n_sources):
        sid = f"{s:03d}" if s < 1000 else f"{s}"
        sentences, claims = [], ["claims:"]
        for ti in ((s * PER_SOURCE + j) % N_TOPICS for j in range(PER_SOURCE)):  # every topic gets claims
            tid, kind = topics[ti]
            quote = _sentence(rng, 10)
            filler = _sentence(rng, 14)
            value = None
            if kind == "range":
                lo = rng.randint(10, 36)
                value = (lo, lo + rng.randint(0, 4))
                quote += f" from {value[0]} to {value[1]} weeks" if numbers else ""
            if numbers and extra.random() < 0.2:
                filler += f" in about {extra.randint(1, 40)}% of cases"
            sentences.append(quote + ". " + filler + ".")
            claims += [f'  - source: "{sid}"', f"    topic: {tid}", f"    says: Says {tid}.", f"    quote: {quote}"]
            if value:
                claims.append(f"    value: {{min: {value[0]}, max: {value[1]}, unit: weeks}}")
            elif kind == "choice":
                claims.append(f"    value: {rng.choice('ab')}")
            elif kind == "set":
                claims.append(f"    value: [{rng.choice('abc')}]")
            elif kind == "caveat":
                claims.append(f"    value: {rng.choice(['stated', 'omitted'])}")
        text = "\n\n".join(sentences) + "\n"
        (archive / f"{sid}.txt").write_text(text, encoding="utf-8")
        (data / "claims" / f"{sid}.yaml").write_text("\n".join(claims) + "\n", encoding="utf-8")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        sources += [f'  - id: "{sid}"', f"    file: {sid}.txt", f"    sha256: {digest}", f"    title: Page {sid}",
                    f"    label: Page {sid}", "    names: nobody", "    date: null", "    kind: synthetic",
                    '    appraisal: {clinician_review: "no", dated: "no", references: "no", commercial_interest: "no",'
                    ' opinion: "no", trust: low, summary: "Synthetic."}']
    (data / "sources.yaml").write_text("\n".join(sources) + "\n", encoding="utf-8")
    return data, archive


PHASES = ("load", "verify", "compare", "discover", "json")


def measure(data: Path, archive: Path, out: Path, cache: Path | None) -> dict:
    """One run: each phase's wall time, and this process's CPU time."""
    with gc_paused():  # as reconcile.pipeline.analyse runs them
        return _measure(data, archive, out, cache)


def _measure(data: Path, archive: Path, out: Path, cache: Path | None) -> dict:
    t, clock = {}, {}

    def phase(name, start):
        wall, cpu = time.perf_counter(), time.process_time()
        t[name], clock[name] = wall - start[0], cpu - start[1]
        return wall, cpu

    mark = time.perf_counter(), time.process_time()
    project = load_project(data, cache=ParseCache(cache / "parse") if cache else None)
    mark = phase("load", mark)
    verification = verify(project, archive, cache=cache / "verify" if cache else None)
    mark = phase("verify", mark)
    findings = compare(project)
    mark = phase("compare", mark)
    discovery = discover(project, verification.texts)
    mark = phase("discover", mark)
    report = build_report(project, verification, findings, discovery=discovery)
    out.write_text(json.dumps(report, ensure_ascii=False, allow_nan=False), encoding="utf-8")
    phase("json", mark)
    result = {"claims": len(project.claims), "sources": len(project.sources)}
    for name, times in (("wall", t), ("cpu", clock)):
        result[name] = dict(times)
        result[name]["engine"] = sum(times[p] for p in PHASES if p != "discover")
    return result


def best(runs: list[dict]) -> dict:
    """The fastest of each phase over the runs (noise from other processes only ever adds time)."""
    out = {"claims": runs[0]["claims"], "sources": runs[0]["sources"]}
    for kind in ("wall", "cpu"):
        out[kind] = {k: min(r[kind][k] for r in runs) for k in runs[0][kind]}
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="1000,10000,100000")
    p.add_argument("--repeat", type=int, default=3, help="runs per size; the fastest of each phase counts")
    p.add_argument("--keep", help="write the synthetic data here and keep it")
    args = p.parse_args(argv)
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-engine-"))
    rows, warms = [], []
    try:
        for size in map(int, args.sizes.split(",")):
            folder = base / str(size)
            data, archive = (folder / "data", folder / "archive") if (folder / "data" / "sources.yaml").exists() \
                else generate(folder, size)
            runs = []
            for i in range(args.repeat):
                cache = folder / f"cache-{i}"
                shutil.rmtree(cache, ignore_errors=True)  # cold: an empty parse cache, filled by this run
                runs.append(measure(data, archive, folder / "findings.json", cache))
            rows.append(best(runs))
            warms.append(best([measure(data, archive, folder / "findings.json", folder / f"cache-{i}")
                               for i in range(args.repeat)]))
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    print(f"{'claims':>8} {'run':>5} " + " ".join(f"{n:>8}" for n in PHASES) + f" {'engine':>8}"
          f"   (wall s, fastest of {args.repeat}; CPU of this process in brackets)")
    for r, w in zip(rows, warms):
        for name, x in (("cold", r), ("warm", w)):
            print(f"{x['claims']:>8} {name:>5} " + " ".join(f"{x['wall'][n]:>7.2f}s" for n in PHASES)
                  + f" {x['wall']['engine']:>7.2f}s   ({x['cpu']['engine']:.2f} s CPU)")
    print("engine = load + verify + compare + JSON (discover apart); cold: empty parse and verify caches; "
          "warm: the caches the cold run filled")
    worst = 0.0
    for a, b in zip(rows, rows[1:]):
        factor = b["claims"] / a["claims"]
        for part in ("engine", "discover"):
            ratio = b["wall"][part] / a["wall"][part]
            worst = max(worst, ratio / factor * 10)
            print(f"{factor:.0f}x the claims ({a['claims']} -> {b['claims']}): {part} {ratio:.1f}x the time")
    if len(rows) > 1:
        print(f"worst growth: {worst:.1f}x the time for 10x the claims (target at most 11x)")
    if rows:
        last, warm = rows[-1], warms[-1]
        print(f"largest: {last['claims']} claims, engine cold {last['wall']['engine']:.2f} s (target at most 6 s for 100k), "
              f"warm {warm['wall']['engine']:.2f} s (target at most 2 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
