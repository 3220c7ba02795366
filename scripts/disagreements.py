#!/usr/bin/env python3
"""Flag where the sources disagree.

    python scripts/disagreements.py [check] [--format text|json|markdown] [--data DIR] [--archive DIR]

Loads and validates data/, verifies every quote against the archive, compares the claims of
each topic and prints the findings. Exit status: 0 when every quote verifies and every conflict
and omission is resolved; 1 when not (each problem is named); 2 on invalid input (one line:
file, line, what to fix). The data files are never written.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reconcile import render  # noqa: E402
from reconcile.pipeline import ROOT, analyse, archive_dir, reference_file  # noqa: E402
from reconcile.report import build_report  # noqa: E402
from reconcile.yamlfile import InputError  # noqa: E402


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="disagreements.py", description=__doc__.split("\n\n")[0])
    p.add_argument("command", nargs="?", default="check", choices=["check"], help="what to do (default: check)")
    p.add_argument("--data", default=str(ROOT / "data"), help="the data folder (default: data/)")
    p.add_argument("--archive", help="the source archive folder (default: $SOURCE_ARCHIVE or ../shared/sources)")
    p.add_argument("--reference", help="the guidance reference file (default: $GUIDELINES or ../shared/reference/guidelines.md)")
    p.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    return p


def check(args) -> int:
    archive, reference = archive_dir(args.archive), reference_file(args.reference)
    if not archive.is_dir():
        raise InputError(archive, 0, "source archive folder not found (use --archive DIR or set SOURCE_ARCHIVE)")
    if not reference.is_file():
        raise InputError(reference, 0, "guidance reference file not found (use --reference FILE or set GUIDELINES)")
    a = analyse(Path(args.data), archive, reference)
    report = build_report(a.project, a.verification, a.findings, a.reference_problems)
    if args.format == "json":
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(render.markdown(report))
    else:
        sys.stdout.write(render.text(report))
    return 0 if report["summary"]["ok"] else 1


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        return check(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
