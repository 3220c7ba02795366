#!/usr/bin/env python3
"""Flag where the sources disagree.

    python scripts/disagreements.py [check] [--format text|json|markdown] [--data DIR] [--archive DIR] [--today DATE]
                                    [--update-lock | --without-archive]
    python scripts/disagreements.py discover [--source ID] [--uncovered] [--text FILE] [--format text|json]
    python scripts/disagreements.py add-source FILE [--url URL] [--saved DATE] [--data DIR] [--archive DIR]
    python scripts/disagreements.py update-source ID FILE [--url URL] [--saved DATE] [--data DIR] [--archive DIR]
    python scripts/disagreements.py review TOPIC [TOPIC ...] | --all | --pages [PAGE ...] [--data DIR]

check: loads and validates data/, verifies every quote against the archive, compares the claims
of each topic, finds every number and time in the archive texts (see discover) and prints the
findings. Exit status: 0 when every quote verifies, every conflict and omission is resolved and
every number in the archive is covered by a claim or dismissed in data/dismissed.yaml, and no page
(docs/, front matter or mkdocs.yml extra.next_review) and no resolution is past its next review date
(--today DATE checks as of another day); 1 when not
(each problem is named); 2 on invalid input (one line: file, line, what to fix). The data files
are never written, except
data/verified.lock by --update-lock (under the data folder's lock, replaced whole), the record
of verified quotes; check fails when it does not record every quote as it is. Problems also include: a TODO left anywhere in the data, a resolution whose
topic gained, lost or changed a claim since it was reviewed (see review), a page citing a topic or
guidance fact that changed since the page was reviewed (see review --pages), a claim that meets a
guidance fact (outside its range, or on a topic it marks withdrawn or discouraged) that no
resolution has weighed, and what an interrupted command left (an archive copy with no entry, a
draft source with no claims file, temporary files). Notes (not problems) follow the report.

discover: lists every number and time in the archive texts (or in --text FILE, a text not yet
added) with its place, its sentence and the claim that covers it; for the others, the likely
topic, the value and whether it would disagree with the topic's claims. Exit 0 (2 on bad input).

add-source FILE: copies FILE (plain text, or a saved web page whose main text is extracted) into
the archive as the next source, appends a draft entry to data/sources.yaml and writes
data/claims/NNN.draft.yaml with candidate claims. check fails until an editor has reviewed them.
Nothing existing is overwritten; a text already archived (up to spacing, quote marks, dashes, case
and Unicode forms) is refused.

update-source ID FILE: archives FILE as the new copy of source ID, keeps the old one (history in
sources.yaml), re-verifies the source's claims and reports quotes found and gone, numbers that
appeared or vanished, and resolutions to review.

review TOPIC... | --all: records in each resolution what its editor weighed (the `weighed` line:
a fingerprint of every claim's value and quote on the topic). Run it after weighing the claims.
review --pages [PAGE ...]: records in data/pages.lock that the pages named (every page in docs/
and includes/ when none is) were read again against the topics and guidance facts they cite.

Every command that writes holds the data folder's lock and replaces files whole; Ctrl-C takes
back what it wrote (exit 130).
"""
from __future__ import annotations

import os
import signal
import sys

# Ctrl-C while Python is still loading the tools: nothing was written yet, so leave at once and
# quietly (os._exit: an exception raised inside an import would print a traceback).
signal.signal(signal.SIGINT, lambda *_: os._exit(130))

import argparse  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
from pathlib import Path  # noqa: E402


from reconcile import guidance, newsource, pagereview, render, review, update  # noqa: E402
from reconcile.discover import discover, render_text  # noqa: E402
from reconcile.atomic import interrupt_deferred, writing  # noqa: E402
from reconcile.pages import unshown_problems  # noqa: E402
from reconcile.pipeline import ROOT, analyse, archive_dir, reference_file  # noqa: E402
from reconcile.record import update_record  # noqa: E402
from reconcile.report import build_report  # noqa: E402
from reconcile.review_dates import parse_date, review_problems  # noqa: E402
from reconcile.webpage import WEB_ADDRESS  # noqa: E402
from reconcile.yamlfile import InputError, for_terminal, one_line  # noqa: E402


def emit(text: str) -> None:
    """Write to standard output. A reader that stopped early (``| head``, a pager quit) is no
    failure: what the command did is done; the rest of the output goes nowhere and the command
    ends with its own status, without a traceback."""
    try:
        sys.stdout.write(for_terminal(text))  # an archive's words may hold ESC/OSC sequences: shown, never run
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())  # so that the flush at exit does not fail again
        except (OSError, ValueError):
            pass
        finally:
            os.close(devnull)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="disagreements.py", description=__doc__.split("\n\n")[0])
    p.add_argument("command", nargs="?", default="check", choices=list(COMMANDS), help="what to do (default: check)")
    p.add_argument("args", nargs="*", metavar="ARG",
                   help="add-source: FILE; update-source: ID FILE; review: TOPIC ... (with --pages: PAGE ...)")
    p.add_argument("--url", help="add-source, update-source: the page's address")
    p.add_argument("--saved", help="add-source, update-source: the date the copy was saved (YYYY-MM-DD; default: the file's date)")
    p.add_argument("--all", action="store_true", help="review: every resolution")
    p.add_argument("--pages", action="store_true",
                   help="review: the pages named as ARG (every page when none is), read again against the data")
    p.add_argument("--data", default=str(ROOT / "data"), help="the data folder (default: data/)")
    p.add_argument("--archive", help="the source archive folder (default: $SOURCE_ARCHIVE or ../shared/sources)")
    p.add_argument("--reference", help="the guidance reference file (default: $GUIDELINES or ../shared/reference/guidelines.md)")
    p.add_argument("--format", choices=["text", "json", "markdown"], default="text")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="check: judge review dates as of this day (default: today)")
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
               "mentions": [f.as_json() for f in result.found],
               "treatments": [t.as_json() for t in result.treatments],
               "sentences": [t.as_json() for t in result.sentences],
               "unknown": [u.as_json() for u in result.unknown]}
        emit(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    else:
        emit(render_text(result, a.project, labels))
    return 0


def _saved(args):
    if args.saved and parse_date(args.saved, "--saved") > datetime.date.today():
        raise InputError(Path("--saved"), 0, f"{args.saved} is a day in the future; write the day the copy was saved")
    if args.url and not WEB_ADDRESS.fullmatch(args.url):
        raise InputError(Path("--url"), 0, f"{args.url!r} is not a web address (http:// or https://)")
    return args.saved


def add_source_command(args) -> int:
    if len(args.args) != 1:
        raise InputError(Path("add-source"), 0, "name the new text file: disagreements.py add-source FILE")
    emit(newsource.add_source(Path(args.args[0]), Path(args.data), _archive(args), args.url, _saved(args)))
    return 0


def update_source_command(args) -> int:
    if len(args.args) != 2:
        raise InputError(Path("update-source"), 0, "name the source and the new copy: disagreements.py update-source ID FILE")
    sid, file = args.args
    emit(update.update_source(sid, Path(file), Path(args.data), _archive(args), args.url, _saved(args)))
    return 0


def review_command(args) -> int:
    if args.pages:  # the pages named (all when none is), and with --all every resolution too
        lines = (review.record(Path(args.data), None) if args.all else []) + pagereview.record(Path(args.data), args.args)
    elif bool(args.args) == args.all:
        raise InputError(Path("review"), 0, "name the topics whose resolutions you reviewed, or --all, or --pages: "
                                            "disagreements.py review TOPIC ...")
    else:
        lines = review.record(Path(args.data), None if args.all else args.args)
    emit("".join(f"reviewed {line}\n" for line in lines))
    return 0


def extra_problems(a, archive: Path | None, today: str | None) -> tuple[list[str], list[str]]:
    """The problems and notes of the editing process that check adds to the engine's report."""
    problems, notes = guidance.check(a.project, a.discovery.treatments if a.discovery else [], review.is_weighed)
    root = a.project.data_dir.parent  # the pages beside this data folder (this project's when it has none)
    docs = root / "docs" if (root / "docs").is_dir() else ROOT / "docs"
    mkdocs_yml = root / "mkdocs.yml" if (root / "mkdocs.yml").is_file() else ROOT / "mkdocs.yml"
    due = review_problems(a.project, docs, mkdocs_yml, parse_date(today, "--today") if today else None)
    shown = unshown_problems(a.project, root / "docs")
    return (a.reference_problems + review.todos(a.project) + review.stale(a.project) + pagereview.stale(a.project, root)
            + problems + newsource.unfinished(a.project, archive) + due + shown), notes


def check(args) -> int:
    archive, reference = archive_dir(args.archive), reference_file(args.reference)
    if args.without_archive:
        return check_without_archive(args, reference)
    if not archive.is_dir():
        raise InputError(archive, 0, "source archive folder not found (use --archive DIR or set SOURCE_ARCHIVE; in a clone "
                                     "without the archive, add --without-archive to check against data/verified.lock)")
    if not reference.is_file():
        raise InputError(reference, 0, "guidance reference file not found (use --reference FILE or set GUIDELINES)")
    if args.update_lock:
        with writing(Path(args.data), also=(archive,)) as changes:  # nobody edits the data between verifying it and recording that
            a = analyse(Path(args.data), archive, reference)
            entries = update_record(Path(args.data), a.project, a.verification, changes)
        print(one_line(f"{Path(args.data) / 'verified.lock'}: {entries} verified quotes recorded"), file=sys.stderr)
    try:
        a = analyse(Path(args.data), archive, reference)
    except InputError as exc:
        if exc.path.name.endswith(".draft.yaml") and exc.message.startswith("unknown source"):
            # what an add-source of an older version left when killed: a problem to name, not bad input
            emit(f"- {exc}: a draft claims file of a source with no entry (an interrupted add-source); "
                  "delete it, or run add-source again with the same file\ncheck: FAILED\n")
            return 1
        raise
    problems, notes = extra_problems(a, archive, args.today)
    if a.discovery is not None:
        a.discovery.notes += notes
    report = build_report(a.project, a.verification, a.findings, problems, a.discovery)
    if args.format == "json":
        emit(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    elif args.format == "markdown":
        emit(render.markdown(report))
    else:
        emit(render.text(report))
        emit("".join(f"note: {n}\n" for n in (report["summary"]["mentions"] or {}).get("notes", [])))
    return 0 if report["summary"]["ok"] else 1


def check_without_archive(args, reference: Path) -> int:
    """A clone's check: the data validated and compared, the quotes taken from data/verified.lock."""
    if args.update_lock:
        raise InputError(Path(args.data) / "verified.lock", 0, "--update-lock verifies against the archive; it cannot go without it")
    a = analyse(Path(args.data), None, reference if reference.is_file() else None)
    problems, _ = extra_problems(a, None, args.today)
    report = build_report(a.project, a.verification, a.findings, problems, a.discovery)
    q = report["summary"]["quotes"]
    print(one_line(f"without the archive: {q['record']} of {report['summary']['claims']} quotes verified from "
                   f"{Path(args.data) / 'verified.lock'}; CI verifies them against the archive"), file=sys.stderr)
    report["summary"]["ok"] = not report["summary"]["problems"] and q["unverified"] == 0  # as far as a clone can tell
    if args.format == "json":
        emit(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    else:
        emit(render.markdown(report) if args.format == "markdown" else render.text(report))
    return 0 if report["summary"]["ok"] else 1


COMMANDS = {"check": check, "discover": discover_command, "add-source": add_source_command,
            "update-source": update_source_command, "review": review_command}


def main(argv=None, restore_ctrl_c: bool = True) -> int:
    """Run one command. A command that has written ignores Ctrl-C from then on (atomic.Changes): the
    script keeps it so to the very exit; a caller in the same process (the tests) gets its handler back."""
    handler, args = signal.getsignal(signal.SIGINT), None
    try:
        with interrupt_deferred():  # argparse breaks if Ctrl-C lands inside it (AttributeError, Python 3.11)
            args = parser().parse_intermixed_args(argv)  # review --pages PAGE: a file after the option
        if not restore_ctrl_c:  # the script: from here on, Ctrl-C rolls back (KeyboardInterrupt, below)
            signal.signal(signal.SIGINT, signal.default_int_handler)
        if args.args and args.command in ("check", "discover"):
            raise InputError(Path(args.args[0]), 0, f"unexpected argument for {args.command} (it takes no file)")
        return COMMANDS[args.command](args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # the machine, not the data: a full disk, a folder that cannot be read
        where = f"{exc.filename}: " if exc.filename else ""
        print(one_line(f"error: {where}{exc.strerror or exc}"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # what the command wrote has been taken back (atomic.Changes)
        print(f"interrupted: {args.command if args else 'the command'} stopped; nothing it wrote was kept", file=sys.stderr)
        return 130
    finally:
        # the script: done, so a Ctrl-C in its last instants changes nothing (and prints no traceback)
        signal.signal(signal.SIGINT, handler if restore_ctrl_c else signal.SIG_IGN)


if __name__ == "__main__":
    sys.exit(main(restore_ctrl_c=False))
