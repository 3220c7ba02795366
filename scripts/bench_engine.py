#!/usr/bin/env python3
"""Scale benchmark of the disagreement engine on synthetic data in the real format.

    python scripts/bench_engine.py [--sizes 1000,10000,100000] [--keep DIR]

Writes, for each size, sources with archive texts, 200 topics and claims with verbatim
quotes (about 100 claims per source: 1,000 sources for 100,000 claims), then times
load, verify, compare and writing the JSON report, and prints the figures.
Targets: 100k claims in at most 10 s; 10x the claims in at most 12x the time.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reconcile.compare import compare  # noqa: E402
from reconcile.discover import discover  # noqa: E402
from reconcile.load import load_project  # noqa: E402
from reconcile.quotes import verify  # noqa: E402
from reconcile.report import build_report  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
N_TOPICS = 200
PER_SOURCE = 100
WORDS = ("cervix stitch week pregnancy doctor baby early sign cramp bleeding rest shot scan test risk "
         "labor care loss support twin weak short open close remove place watch help").split()
KINDS = ("range", "choice", "caveat", "set", "fact")


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def generate(root: Path, n_claims: int, seed: int = 7, numbers: bool = False) -> tuple[Path, Path]:
    """Write data/ and archive/ under ``root`` with about ``n_claims`` claims; return (data, archive).

    ``numbers``: the texts also state numbers, as real ones do (for scripts/bench_discover.py): each
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


def measure(data: Path, archive: Path, out: Path) -> dict:
    t = {}
    start = time.perf_counter()
    project = load_project(data)
    t["load"] = time.perf_counter() - start
    mark = time.perf_counter()
    verification = verify(project, archive)
    t["verify"] = time.perf_counter() - mark
    mark = time.perf_counter()
    findings = compare(project)
    t["compare"] = time.perf_counter() - mark
    mark = time.perf_counter()
    discovery = discover(project, verification.texts)
    t["discover"] = time.perf_counter() - mark
    mark = time.perf_counter()
    report = build_report(project, verification, findings, discovery=discovery)
    out.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    t["json"] = time.perf_counter() - mark
    t["total"] = time.perf_counter() - start
    t["engine"] = t["total"] - t["discover"]  # what issue 3 times: load, verify, compare, JSON
    t["claims"] = len(project.claims)
    t["sources"] = len(project.sources)
    return t


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="1000,10000,100000")
    p.add_argument("--keep", help="write the synthetic data here and keep it")
    args = p.parse_args(argv)
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-engine-"))
    rows = []
    try:
        for size in map(int, args.sizes.split(",")):
            data, archive = generate(base / str(size), size)
            rows.append(measure(data, archive, base / str(size) / "findings.json"))
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    print(f"{'claims':>8} {'sources':>8} {'load':>7} {'verify':>7} {'compare':>8} {'json':>6} {'engine':>7}"
          f" {'discover':>9} {'total':>7}")
    for r in rows:
        print(f"{r['claims']:>8} {r['sources']:>8} {r['load']:>6.2f}s {r['verify']:>6.2f}s {r['compare']:>7.2f}s "
              f"{r['json']:>5.2f}s {r['engine']:>6.2f}s {r['discover']:>8.2f}s {r['total']:>6.2f}s")
    print("engine = load + verify + compare + JSON; discover = finding every number in the archive texts")
    for a, b in zip(rows, rows[1:]):
        print(f"{b['claims'] / a['claims']:.0f}x the claims: engine {b['engine'] / a['engine']:.1f}x the time "
              f"(target at most 12x), discover {b['discover'] / a['discover']:.1f}x")
    if rows:
        print(f"largest: {rows[-1]['claims']} claims, engine {rows[-1]['engine']:.2f} s (target at most 10 s for 100k), "
              f"with discovery {rows[-1]['total']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
