"""Checking data/guidance.yaml against the reference file of professional guidance.

The reference file (../shared/reference/guidelines.md) lists citations as ``- **KEY** — ...``
and facts as table rows ``| topic | fact | cite |``. Each guidance fact must name a row that
exists, and cite only keys that the row cites; it is ``secondary`` exactly where the row's cite
cell says *(secondary)*; and its ``checked`` date is one the reference states for its row.

The reference states when its facts were confirmed in words ("Each fact was confirmed on
2026-11-21 against ..."): outside the table, a date after "confirmed on" holds for every row; in
a row, for that row alone (it replaces the general one).
"""
from __future__ import annotations

import re
from pathlib import Path

from .model import Project
from .yamlfile import InputError, read_limited

_KEY = re.compile(r"^\s*-\s*\*\*(.+?)\*\*")
_CONFIRMED = re.compile(r"\bconfirmed\s+on\s+(\d{4}-\d{2}-\d{2})\b", re.I)
_SECONDARY = re.compile(r"\(\s*secondary\s*\)", re.I)


def _is_row(line: str) -> bool:
    return line.lstrip().startswith("|")


def confirmed_dates(text: str) -> tuple[set[str], dict[str, set[str]]]:
    """(the dates the reference says every fact was confirmed on, {row topic: the dates stated in that row})."""
    general = {d for line in text.splitlines() if not _is_row(line) for d in _CONFIRMED.findall(line)}
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if _is_row(line) and len(cells) == 3:
            own = set(_CONFIRMED.findall(line))
            if own:
                rows[cells[0]] = own
    return general, rows


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
    general, rows_dated = confirmed_dates(text)
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
        secondary = bool(_SECONDARY.search(cell))
        if fact.secondary != secondary:
            problems.append(f"{fact.where}: {fact.id} says secondary: {str(fact.secondary).lower()}, but its row of "
                            f"{path} is {'' if secondary else 'not '}marked (secondary)")
        problems += _date_problems(fact, rows_dated.get(fact.row, general), path)
    return problems


def _date_problems(fact, stated: set[str], path: Path) -> list[str]:
    """A fact's ``checked`` date is one the reference states for its row; with none stated, it has none."""
    if fact.checked is None:
        return [f"{fact.where}: {fact.id} has no checked: date, but {path} says its row was confirmed on "
                f"{' or '.join(sorted(stated))}: add checked: \"{min(stated)}\""] if stated else []
    if fact.checked in stated:
        return []
    said = f"says its row was confirmed on {' or '.join(sorted(stated))}" if stated else "states no date for its row"
    return [f"{fact.where}: {fact.id} says checked: {fact.checked}, but {path} {said}: the pages show that date, "
            "so it must be one a reader can find in the reference"]
