"""The one direction of flow: archive + data -> load -> verify -> compare -> report."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .compare import compare
from .discover import Discovery, discover
from .load import load_project
from .model import Finding, Project
from .quotes import Verification, verify
from .reference import check_reference

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_ARCHIVE = ROOT.parent / "shared" / "sources"
DEFAULT_REFERENCE = ROOT.parent / "shared" / "reference" / "guidelines.md"


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


def analyse(data_dir: Path, archive: Path | None, reference: Path | None) -> Analysis:
    """Load, verify, compare and discover. ``archive``/``reference`` None: those checks are skipped (and said so)."""
    project = load_project(data_dir)
    verification = verify(project, archive)
    findings = compare(project)
    discovery = discover(project, verification.texts) if verification.available else None
    return Analysis(project, verification, findings, check_reference(project, reference), discovery)
