"""The one direction of flow: archive + data -> load -> verify -> compare -> report."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .compare import compare
from .discover import Discovery, discover
from .gcpause import gc_paused
from .load import load_project
from .model import Finding, Project
from .quotes import Verification, verify
from .record import apply_record, read_record, record_problems
from .reference import check_reference

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_ARCHIVE = ROOT.parent / "shared" / "sources"
DEFAULT_REFERENCE = ROOT.parent / "shared" / "reference" / "guidelines.md"
PARSE_CACHE = ROOT / "build" / ".cache" / "parse"  # gitignored; see reconcile/cache.py (and .../verify beside it)


def archive_dir(flag: str | None = None) -> Path:
    """--archive DIR, else $SOURCE_ARCHIVE, else ../shared/sources beside the project."""
    return Path(flag or os.environ.get("SOURCE_ARCHIVE") or DEFAULT_ARCHIVE)


def reference_file(flag: str | None = None) -> Path:
    """--reference FILE, else $GUIDELINES, else ../shared/reference/guidelines.md beside the project."""
    return Path(flag or os.environ.get("GUIDELINES") or DEFAULT_REFERENCE)


@dataclass
class Analysis:
    project: Project
    verification: Verification
    findings: list[Finding]
    reference_problems: list[str]
    discovery: Discovery | None  # None without the archive


def default_cache(data_dir: Path) -> Path | None:
    """The project's own data is cached in its build folder; other data folders (tests, --data) are not."""
    try:
        return PARSE_CACHE if Path(data_dir).resolve() == (ROOT / "data").resolve() else None
    except OSError:
        return None


def analyse(data_dir: Path, archive: Path | None, reference: Path | None, cache="default") -> Analysis:
    """Load, verify, compare and discover. ``archive``/``reference`` None: those checks are skipped (and said so).

    Without the archive, quotes that data/verified.lock vouches for count as verified from the record;
    with it, every disagreement between the record and the data is a problem (reconcile/record.py).
    ``cache``: the parse cache folder (None: none; by default the build folder's, for the project's data)."""
    with gc_paused():  # millions of small objects and no cycles (see load.gc_paused)
        return _analyse(data_dir, archive, reference, default_cache(data_dir) if cache == "default" else cache)


def _analyse(data_dir: Path, archive: Path | None, reference: Path | None, cache) -> Analysis:
    project = load_project(data_dir, cache=cache)
    verification = verify(project, archive, cache=Path(cache).parent / "verify" if cache else None)
    record = read_record(project.data_dir)
    if archive is None:
        apply_record(project, verification, record)
    else:
        verification.record_problems = record_problems(project, verification, record)
    findings = compare(project)
    discovery = discover(project, verification.texts) if verification.available else None
    return Analysis(project, verification, findings, check_reference(project, reference), discovery)
