#!/usr/bin/env python3
"""Flag where the sources disagree.

    python scripts/disagreements.py [check] [--format text|json|markdown] [--data DIR] [--archive DIR]
                                    [--update-lock | --without-archive]
    python scripts/disagreements.py discover [--source ID] [--uncovered] [--text FILE] [--format text|json]
    python scripts/disagreements.py add-source FILE [--data DIR] [--archive DIR]

check: loads and validates data/, verifies every quote against the archive, compares the claims
of each topic, finds every number and time in the archive texts (see discover) and prints the
findings. Exit status: 0 when every quote verifies, every conflict and omission is resolved and
every number in the archive is covered by a claim or dismissed in data/dismissed.yaml, and
data/verified.lock records every quote as it is; 1 when not (each problem is named); 2 on invalid
input (one line: file, line, what to fix). The data files are never written, except
data/verified.lock by --update-lock (under the data folder's lock, replaced whole).

discover: lists every number and time in the archive texts (or in --text FILE, a text not yet
added) with its place, its sentence and the claim that covers it; for the others, the likely
topic, the value and whether it would disagree with the topic's claims. Exit 0 (2 on bad input).

add-source FILE: copies FILE into the archive as the next source, appends a draft entry to
data/sources.yaml and writes data/claims/NNN.draft.yaml with candidate claims. check fails until
an editor has reviewed them. Nothing existing is overwritten.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reconcile import newsource, render  # noqa: E402
from reconcile.discover import discover, render_text  # noqa: E402
from reconcile.atomic import locked  # noqa: E402
from reconcile.pipeline import ROOT, analyse, archive_dir, reference_file  # noqa: E402
from reconcile.record import update_record  # noqa: E402
from reconcile.report import build_report  # noqa: E402
from reconcile.yamlfile import InputError  # noqa: E402


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="disagreements.py", description=__doc__.split("\n\n")[0])
    p.add_argument("command", nargs="?", default="check", choices=["check", "discover", "add-source"],
                   help="what to do (default: check)")
    p.add_argument("file", nargs="?", help="add-source: the new text file")
    p.add_argument("--data", default=str(ROOT / "data"), help="the data folder (default: data/)")
    p.add_argument("--archive", help="the source archive folder (default: $SOURCE_ARCHIVE or ../shared/sources)")
    p.add_argument("--reference", help="the guidance reference file (default: $GUIDELINES or ../shared/reference/guidelines.md)")
    p.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    p.add_argument("--without-archive", action="store_true",
                   help="check: a clone's check, the quotes taken from data/verified.lock (exit 1 if one is not vouched for)")
    p.add_argument("--update-lock", action="store_true",
                   help="check: first rewrite data/verified.lock, the record of which quotes verified against the archive")
    p.add_argument("--source", action="append", help="discover: only this source id (repeatable)")
    p.add_argument("--uncovered", action="store_true", help="discover: only what no claim covers and nothing dismisses")
    p.add_argument("--text", dest="text_file", metavar="FILE",
                   help="discover: a text that is not in the archive yet (see what add-source would find)")
    return p


def _archive(args) -> Path:
    archive = archive_dir(args.archive)
    if not archive.is_dir():
        raise InputError(archive, 0, "source archive folder not found (use --archive DIR or set SOURCE_ARCHIVE)")
    return archive


def discover_command(args) -> int:
    archive = _archive(args)
    a = analyse(Path(args.data), archive, None)
    if args.text_file:
        result, labels = newsource.preview(a.project, Path(args.text_file)), {"new": "(not added yet)"}
    else:
        for sid in args.source or ():
            if sid not in a.project.sources:
                raise InputError(Path(args.data) / "sources.yaml", 0, f"unknown source {sid!r} (known: {', '.join(a.project.sources)})")
        result = discover(a.project, a.verification.texts, only=set(args.source)) if args.source else a.discovery
        labels = None
    if args.uncovered:
        result.found = [f for f in result.found if f.state in ("uncovered", "drafted")]
    if args.format == "json":
        doc = {"summary": result.summary(), "stale": result.stale, "notes": result.notes,
               "mentions": [f.as_json() for f in result.found]}
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_text(result, a.project, labels))
    return 0


def add_source_command(args) -> int:
    if not args.file:
        raise InputError(Path("add-source"), 0, "name the new text file: disagreements.py add-source FILE")
    sys.stdout.write(newsource.add_source(Path(args.file), Path(args.data), _archive(args)))
    return 0


def check(args) -> int:
    archive, reference = archive_dir(args.archive), reference_file(args.reference)
    if args.without_archive:
        return check_without_archive(args, reference)
    if not archive.is_dir():
        raise InputError(archive, 0, "source archive folder not found (use --archive DIR or set SOURCE_ARCHIVE)")
    if not reference.is_file():
        raise InputError(reference, 0, "guidance reference file not found (use --reference FILE or set GUIDELINES)")
    if args.update_lock:
        with locked(Path(args.data)):  # nobody edits the data between verifying it and recording that
            a = analyse(Path(args.data), archive, reference)
            entries = update_record(Path(args.data), a.project, a.verification)
        print(f"{Path(args.data) / 'verified.lock'}: {entries} verified quotes recorded", file=sys.stderr)
    a = analyse(Path(args.data), archive, reference)
    report = build_report(a.project, a.verification, a.findings, a.reference_problems, a.discovery)
    if args.format == "json":
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(render.markdown(report))
    else:
        sys.stdout.write(render.text(report))
    return 0 if report["summary"]["ok"] else 1


def check_without_archive(args, reference: Path) -> int:
    """A clone's check: the data validated and compared, the quotes taken from data/verified.lock."""
    if args.update_lock:
        raise InputError(Path(args.data) / "verified.lock", 0, "--update-lock verifies against the archive; it cannot go without it")
    a = analyse(Path(args.data), None, reference if reference.is_file() else None)
    report = build_report(a.project, a.verification, a.findings, a.reference_problems, a.discovery)
    q = report["summary"]["quotes"]
    print(f"without the archive: {q['record']} of {report['summary']['claims']} quotes verified from "
          f"{Path(args.data) / 'verified.lock'}; CI verifies them against the archive", file=sys.stderr)
    report["summary"]["ok"] = not report["summary"]["problems"] and q["unverified"] == 0  # as far as a clone can tell
    if args.format == "json":
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render.markdown(report) if args.format == "markdown" else render.text(report))
    return 0 if report["summary"]["ok"] else 1


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    command = {"check": check, "discover": discover_command, "add-source": add_source_command}[args.command]
    try:
        if args.file and args.command != "add-source":
            raise InputError(Path(args.file), 0, f"unexpected argument for {args.command} (only add-source takes a file)")
        return command(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
