#!/usr/bin/env python3
"""Time of each step of the README walkthroughs "Add a source" and "Update a source", on a sixth source.

    python -m bench.sources [--runs 3] [--archive DIR]

Each run works on fresh copies of data/ and of the archive, runs the commands as an editor
types them (`disagreements.py add-source`, `check`, `review`, `update-source`, whole processes,
Python start-up included) and prints the median wall-clock seconds of each step, plus add-source
on a saved web page (trafilatura).
"""
from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


from reconcile.pipeline import ROOT, archive_dir, reference_file

SIXTH = """Pregnancy after a late miscarriage: your questions answered

If you have a stitch, it is usually taken out at 37 weeks of pregnancy.
Scans of your cervix may be offered every two weeks from 16 to 24 weeks.
If you are overweight, you may be advised to gain between 15 and 20 pounds in this pregnancy.
"""
REVISED = SIXTH.replace("37 weeks", "36 to 37 weeks").replace("16 to 24", "16 to 22") + "Updated 2026.\n"
PAGE = ("<!doctype html><html><head><title>Leaflet</title></head><body><nav>Home Contact</nav><article><h1>"
        "Your stitch</h1><p>" + SIXTH.replace("\n\n", "</p><p>").replace("\n", " ") + "</p></article>"
        "<footer>Copyright 2026</footer></body></html>")


def step(args: list[str], data: Path, archive: Path, reference: Path, ok=(0, 1)) -> tuple[float, str]:
    cmd = [sys.executable, str(ROOT / "scripts" / "disagreements.py"), *args, "--data", str(data), "--archive", str(archive)]
    if args[0] == "check":
        cmd += ["--reference", str(reference)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    took = time.perf_counter() - start
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return took, proc.stdout


def one_run(archive_src: Path, reference: Path) -> dict[str, float]:
    times = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data, archive = tmp / "data", tmp / "archive"
        shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns(".lock"))
        shutil.copytree(archive_src, archive)
        (tmp / "leaflet.txt").write_text(SIXTH, encoding="utf-8")
        (tmp / "leaflet-revised.txt").write_text(REVISED, encoding="utf-8")
        (tmp / "page.html").write_text(PAGE.replace("37 weeks", "38 weeks"), encoding="utf-8")
        times["add-source (text)"], out = step(["add-source", str(tmp / "leaflet.txt")], data, archive, reference, (0,))
        sid = re.search(r"added source (\d{3})", out).group(1)
        times["check (with the draft)"], _ = step(["check"], data, archive, reference)
        times["review --all"], _ = step(["review", "--all"], data, archive, reference, (0,))
        times["update-source"], _ = step(["update-source", sid, str(tmp / "leaflet-revised.txt")], data, archive, reference, (0,))
        times["check (after the update)"], _ = step(["check"], data, archive, reference)
        times["add-source (web page)"], _ = step(["add-source", str(tmp / "page.html")], data, archive, reference, (0,))
    return times


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--archive", help="the source archive (default: $SOURCE_ARCHIVE or ../shared/sources)")
    args = p.parse_args(argv)
    archive, reference = archive_dir(args.archive), reference_file()
    if not archive.is_dir() or not reference.is_file():
        print(f"bench_sources: needs the archive ({archive}) and the guidance reference ({reference})", file=sys.stderr)
        return 2
    runs = [one_run(archive, reference) for _ in range(args.runs)]
    print(f"walkthrough steps on a sixth source, median wall-clock seconds of {args.runs} runs (whole processes):")
    for name in runs[0]:
        print(f"  {name:<26} {statistics.median(r[name] for r in runs):6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
