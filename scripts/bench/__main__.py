"""Benchmark the three builds and the size of what a reader downloads.

    python -m bench [--runs 5]

Prints cold build times (each build a fresh process into an empty folder; the
fastest of --runs, with the median, and a machine reference figure), the
project's hook overhead over a plain `mkdocs build` of the same pages (each
page's content as the hooks and Markdown made it, generated pages and nav
included, through the same theme and plugins, with no hooks and no Markdown
work: stricter than a plain build of the same Markdown), the bytes of a first
page load (HTML + CSS + JS, gzip), the search index (gzip), all PDFs together
(book, handout A4 and Letter, large print; made in parallel) with each step's
time, the PDF book's size and pages, the offline zip size, and the reading
grades of every patient page (Flesch-Kincaid and SMOG), each against its
target; then `make site` end to end and, each in its own process, the phone
heights (bench_phone.py), the engine at scale (bench_engine.py) and the
add/update-source walkthrough (bench_sources.py) and the assistant's accuracy on unseen texts
(bench/assistant.py), so that `make bench` prints
every figure in one run (--only-site: the first part alone).
Timing is for people: no test asserts on it.
"""
import argparse
import json
import os
import subprocess
import sys
import gzip
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from bs4 import BeautifulSoup

from website import build_offline
from website import build_pdf
from website import readability
from website import render
from website.sitebuild import ROOT, mkdocs_build

KB, MB = 1024, 1024 * 1024
# The plain build (the baseline of the hook overhead) reads every page as the hooks and Markdown left it
# (website/render.py's capture, generated pages included) with the nav and site description the hooks
# made, and renders exactly the same pages, as raw HTML, through the same theme, search and plugins.
# (Feeding it the Markdown with each shortcode's HTML written in instead is no baseline: Python-Markdown
# parses raw HTML blocks slowly, and that build took longer than the hooked one, whose HTML is stashed.)


class Timing(NamedTuple):
    """A job's runs: the fastest is the figure (this machine is a shared VM whose speed drifts by a
    quarter from one run to the next; as for timeit and bench_engine.py, what is left in the fastest
    run is the job's own cost), the median is printed beside it."""
    fastest: float
    median: float
    fastest_run: int  # which run (0: the first)

    def __str__(self) -> str:
        return f"{self.fastest:.2f} s (median {self.median:.2f})"


def timed(runs: int, job) -> Timing:
    return timed_runs(runs, job)[0]


def timed_runs(runs: int, *jobs) -> list[Timing]:
    """Jobs timed in turns (a, b, c, a, b, c, ...), so that drift in the machine's load hits them alike."""
    times = [[] for _ in jobs]
    for _ in range(runs):
        for job, spent in zip(jobs, times):
            start = time.perf_counter()
            job()
            spent.append(time.perf_counter() - start)
    return [Timing(min(spent), statistics.median(spent), spent.index(min(spent))) for spent in times]


def machine_reference() -> float:
    """Seconds for a fixed pure-Python loop (fastest of three): compare runs on different days by it."""
    def loop():
        total = 0
        for i in range(5_000_000):
            total += i
        return total
    return timed(3, loop).fastest


def fresh(tmp: Path, name: str) -> Path:
    path = tmp / name
    shutil.rmtree(path, ignore_errors=True)
    return path


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def first_load(site: Path) -> tuple[int, list[str]]:
    """HTML of the home page plus every stylesheet and script it loads, each gzipped."""
    index = site / "index.html"
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    files = [index] + [site / t["href"] for t in soup.select('link[rel="stylesheet"][href]')] \
        + [site / t["src"] for t in soup.select("script[src]")]
    sizes = [(f.relative_to(site).as_posix(), gz(f.read_bytes())) for f in files]
    return sum(s for _, s in sizes), [f"{name} {size / KB:.1f} KB" for name, size in sizes]


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "OVER TARGET"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only-site", action="store_true", help="only the builds, sizes and reading grades")
    args = parser.parse_args()
    from pypdf import PdfReader

    with tempfile.TemporaryDirectory(prefix="bench-") as name:
        tmp = Path(name)
        configs = []
        try:
            mkdocs_build(fresh(tmp, "hosted"))  # the site the later steps read
            site = tmp / "hosted"

            captured, made, _ = render.capture(tmp)
            configs.append(render.variant_config(tmp, ROOT, "plain", hooks="[]", strict="false", docs_dir=str(captured),
                                          nav=json.dumps(made["nav"]),
                                          site_description=json.dumps(made["site_description"])))
            hosted, plain = timed_runs(args.runs, lambda: mkdocs_build(fresh(tmp, "hosted")),
                                       lambda: mkdocs_build(fresh(tmp, "plain"), config=configs[-1]))

            zip_path = tmp / "offline.zip"
            offline = timed(args.runs, lambda: build_offline.make_zip(
                build_offline.build(fresh(tmp, "offline")), zip_path))
            pdf_dir, steps = tmp / "pdf", []
            pdf = timed(args.runs, lambda: steps.append(build_pdf.build(site, pdf_dir)))
            pdf_path, handout_path = (pdf_dir / build_pdf.JOBS[n][2] for n in ("book", "handout"))
        finally:
            for config in configs:
                config.unlink(missing_ok=True)

        overhead = (hosted.fastest - plain.fastest) / plain.fastest * 100
        overhead_median = (hosted.median - plain.median) / plain.median * 100
        first, parts = first_load(site)
        index = gz((site / "search" / "search_index.json").read_bytes())
        pdf_size, pdf_pages = pdf_path.stat().st_size, len(PdfReader(str(pdf_path)).pages)
        handout_pages = len(PdfReader(str(handout_path)).pages)
        zip_size = zip_path.stat().st_size
        letter_pages = len(PdfReader(str(pdf_dir / build_pdf.JOBS["handout-letter"][2])).pages)
        reading = readability.grades(site)

    rows = [
        ("hosted build (cold)", str(hosted), "<= 3 s", verdict(hosted.fastest, 3)),
        ("plain build, same pages", str(plain), "", ""),
        ("hook overhead", f"{overhead:+.1f} % (median {overhead_median:+.1f})", "<= 15 %", verdict(overhead, 15)),
        ("offline build + zip (cold)", str(offline), "", ""),
        ("all PDFs (parallel, wall)", str(pdf), "<= 6 s", verdict(pdf.fastest, 6)),
        ("first page load (gzip)", f"{first / KB:.1f} KB", "<= 120 KB", verdict(first, 120 * KB)),
        ("search index (gzip)", f"{index / KB:.1f} KB", "", ""),
        ("PDF book", f"{pdf_size / MB:.2f} MB, {pdf_pages} pages", "<= 2 MB", verdict(pdf_size, 2 * MB)),
        ("handout A4", f"{handout_pages} pages", "<= 2 pages", verdict(handout_pages, 2)),
        ("handout US Letter", f"{letter_pages} pages", "<= 2 pages", verdict(letter_pages, 2)),
        ("offline zip", f"{zip_size / MB:.2f} MB", "<= 5 MB", verdict(zip_size, 5 * MB)),
    ]
    print(f"fastest of {args.runs} runs per build, median in brackets; machine reference "
          f"(a fixed pure-Python loop) {machine_reference():.3f} s")
    for label, value, target, mark in rows:
        print(f"{label:<30} {value:>30}  {target:<11} {mark}")
    print("first page load: " + ", ".join(parts))
    print("PDF steps of the fastest run (the typesetting runs in parallel, one process per core):")
    for step, seconds in steps[pdf.fastest_run].items():
        print(f"  {step:<28} {seconds:6.2f} s")
    print("reading grade of each patient page (Flesch-Kincaid target <= 7; SMOG for comparison):")
    for md, (fk, smog) in reading.items():
        print(f"  {md:<34} FK {fk:4.1f} {'ok' if fk <= 7 else 'OVER':<4}  SMOG {smog:4.1f}")
    if not args.only_site:
        the_rest()


def the_rest() -> None:
    """`make site` end to end, then the other benchmarks, each in its own process (its own memory and
    caches), so that one `make bench` prints every figure against its target."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    print("\n== make site, end to end (hosted + offline zip + every PDF; caches cleared first)")
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    start = time.perf_counter()
    done = subprocess.run(["make", "-s", "site"], cwd=ROOT, env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    print(f"make site (cold)               {took:>10.2f} s" + ("" if done.returncode == 0 else f"  FAILED: {done.stderr[-500:]}"))
    for title, argv in (("phone heights and first load (issue 11)", ["bench.phone", "--site", ROOT / "site"]),
                        ("engine at scale (issue 12)", ["bench.engine"]),
                        ("add-source and update-source on a sixth source (issue 8)", ["bench.sources"]),
                        ("the editor's assistant on unseen texts (issue 19)", ["bench.assistant"])):
        print(f"\n== {title}", flush=True)
        subprocess.run([sys.executable, "-m", *map(str, argv)], cwd=ROOT, env=env, check=False)


if __name__ == "__main__":
    main()
