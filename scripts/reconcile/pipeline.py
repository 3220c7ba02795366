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

# The project this code came with (the command's default). A build names its own project (the folder
# of its mkdocs.yml), so a copy of the project builds from its own data, archive and caches.
ROOT = Path(__file__).resolve().parents[2]


def parse_cache(root: Path = ROOT) -> Path:
    """The project's parse cache: gitignored; see reconcile/cache.py (and .../verify beside it)."""
    return Path(root) / "build" / ".cache" / "parse"


PARSE_CACHE = parse_cache()


def archive_dir(flag: str | None = None, root: Path = ROOT) -> Path:
    """--archive DIR, else $SOURCE_ARCHIVE, else ../shared/sources beside the project."""
    return Path(flag or os.environ.get("SOURCE_ARCHIVE") or Path(root).parent / "shared" / "sources")


def reference_file(flag: str | None = None, root: Path = ROOT) -> Path:
    """--reference FILE, else $GUIDELINES, else ../shared/reference/guidelines.md beside the project."""
    return Path(flag or os.environ.get("GUIDELINES") or Path(root).parent / "shared" / "reference" / "guidelines.md")


@dataclass
class Analysis:
    project: Project
    verification: Verification
    findings: list[Finding]
    reference_problems: list[str]
    discovery: Discovery | None  # None without the archive


def default_cache(data_dir: Path) -> Path | None:
    """A project's own data (the data folder beside its mkdocs.yml) is cached in its build folder;
    other data folders (tests, --data) are not."""
    try:
        root = Path(data_dir).resolve().parent
        return parse_cache(root) if (root / "mkdocs.yml").is_file() else None
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
