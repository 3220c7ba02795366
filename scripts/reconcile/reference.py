"""Checking data/guidance.yaml against the reference file of professional guidance.

The reference file (../shared/reference/guidelines.md) lists citations as ``- **KEY** — ...``
and facts as table rows ``| topic | fact | cite |``. Each guidance fact must name a row that
exists, and cite only keys that the row cites.
"""
from __future__ import annotations

import re
from pathlib import Path

from .model import Project
from .yamlfile import InputError, read_limited

_KEY = re.compile(r"^\s*-\s*\*\*(.+?)\*\*")


def parse_reference(text: str) -> tuple[set[str], dict[str, str]]:
    """(citation keys, {row topic: cite cell}) from the reference file's Markdown."""
    keys = {m.group(1).strip() for m in map(_KEY.match, text.splitlines()) if m}
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.lstrip().startswith("|") and len(cells) == 3 and not set(cells[0]) <= set("-: "):
            rows[cells[0]] = cells[2]
    rows.pop("topic", None)
    return keys, rows


def check_reference(project: Project, path: Path | None) -> list[str]:
    """Problems found when checking guidance facts against the reference file; none if it is absent."""
    if path is None:
        return []
    raw = read_limited(path, what="guidance reference file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, raw[: exc.start].count(b"\n") + 1,
                         "the guidance reference file is not UTF-8 text (use --reference FILE or set GUIDELINES)") from None
    keys, rows = parse_reference(text)
    problems = []
    for key in project.citations:
        if key not in keys:
            problems.append(f"citation {key!r} is not listed in {path} ({project.data_dir / 'guidance.yaml'})")
    for fact in project.guidance.values():
        cell = rows.get(fact.row)
        if cell is None:
            problems.append(f"{fact.where}: {fact.id} names the row {fact.row!r}, which is not in {path}")
            continue
        for key in fact.cite:
            if key not in cell:
                problems.append(f"{fact.where}: {fact.id} cites {key!r}, but that row of {path} cites {cell!r}")
    return problems
