"""Review dates: when each page and each reconciliation must be checked again.

A page's dates come from its front matter (``last_reviewed``, ``next_review``), else from
``extra:`` in mkdocs.yml, the site-wide default. A resolution is due a year after its
``reviewed`` date unless it names its own ``next_review``. ``make check`` fails on anything
past due, so an out-of-date page cannot be published unnoticed.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from .model import Project
from .pages import page_files, page_text
from .yamlfile import InputError, line_at, parse_yaml

RESOLUTION_INTERVAL_YEARS = 1
FRONT_MATTER_END = "\n---"


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml without MkDocs: !ENV takes its default, other tags read as None."""


_Loader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1]
                        if isinstance(node, yaml.SequenceNode) else None)
_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))  # as written


def mkdocs_config(mkdocs_yml: Path) -> dict:
    """mkdocs.yml as plain data (the review dates, the nav; dates as written), for tools and tests
    that run without MkDocs. What YAML cannot read is one line naming the file and line."""
    try:
        return yaml.load(Path(mkdocs_yml).read_text(encoding="utf-8"), Loader=_Loader) or {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise InputError(mkdocs_yml, mark.line + 1 if mark else 0, f"invalid YAML: {exc.problem}") from None
    except (yaml.YAMLError, ValueError, UnicodeDecodeError) as exc:
        raise InputError(mkdocs_yml, 0, f"cannot read it ({exc})") from None


def parse_date(text, where: str, line: int = 0) -> dt.date:
    """A day of the calendar written YYYY-MM-DD; anything else (2023-02-31, 9999-99-99, "soon")
    is one line naming ``where`` and ``line``."""
    text = str(text)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise InputError(Path(where), line, f"{text!r} is not a date: write YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise InputError(Path(where), line, f"{text!r} is not a date of the calendar ({exc})") from None


def site_defaults(mkdocs_yml: Path) -> dict:
    extra = mkdocs_config(mkdocs_yml).get("extra") or {}
    for key in ("last_reviewed", "next_review"):
        if key not in extra:
            raise InputError(mkdocs_yml, 0, f"extra: needs {key}: YYYY-MM-DD (the default review dates of every page)")
        text = Path(mkdocs_yml).read_text(encoding="utf-8")
        at = re.search(rf"^\s*{key}:", text, re.M)
        parse_date(extra[key], str(mkdocs_yml), text.count("\n", 0, at.start()) + 1 if at else 0)
    return extra


def front_matter(path: Path) -> dict:
    """A page's front matter (dates as written)."""
    return front_matter_lines(path)[0]


def front_matter_lines(path: Path) -> tuple[dict, dict]:
    """A page's front matter and the line of each key, read as the data files are: a regular file
    only, dates kept as written, one line naming the page and line for what is wrong."""
    text = page_text(path)
    if not text.startswith("---\n") or FRONT_MATTER_END not in text[3:]:
        return {}, {}
    block = text[4:text.index(FRONT_MATTER_END, 3) + 1]
    if not block.strip():
        return {}, {}
    doc = parse_yaml(path, "\n" + block)  # the block starts on the file's line 2
    return doc.data, {key: line_at(doc, [key]) for key in doc.data}


def page_dates(path: Path) -> tuple[dict, dict]:
    """A page's front matter and lines, its review dates checked (a day of the calendar, or one
    line naming the page and line): the build refuses what ``check`` refuses, where MkDocs itself
    would drop the whole front matter without a word."""
    meta, lines = front_matter_lines(path)
    for key in ("last_reviewed", "next_review"):
        if key in meta:
            parse_date(meta[key], str(path), lines[key])
    return meta, lines


def page_problems(docs: Path, defaults: dict, today: dt.date) -> list[str]:
    out = []
    for path in page_files(docs):
        meta, lines = page_dates(path)
        due = parse_date(meta.get("next_review", defaults["next_review"]), str(path), lines.get("next_review", 0))
        if "last_reviewed" in meta:
            done = dt.date.fromisoformat(meta["last_reviewed"])
            if done > today:
                out.append(f"{path}:{lines['last_reviewed']}: last_reviewed {done} is a day in the future; "
                           "write the day the page was reviewed")
        if due < today:
            origin = "its front matter" if "next_review" in meta else "mkdocs.yml extra.next_review"
            out.append(f"{path}:{lines.get('next_review', 1)}: page review was due {due} ({origin}); review it, then "
                       "set last_reviewed and next_review in its front matter")
    return out


def resolution_due(reviewed: str, next_review: str | None, where: str) -> dt.date:
    if next_review:
        return parse_date(next_review, where)
    done = parse_date(reviewed, where)
    try:
        return done.replace(year=done.year + RESOLUTION_INTERVAL_YEARS)
    except ValueError:  # 29 February, or a year past 9999
        if done.year + RESOLUTION_INTERVAL_YEARS > dt.MAXYEAR:
            return dt.date.max
        return done.replace(year=done.year + RESOLUTION_INTERVAL_YEARS, day=28)


def resolution_problems(project: Project, today: dt.date) -> list[str]:
    out = []
    for res in project.resolutions.values():
        if parse_date(res.reviewed, str(res.where)) > today:  # a review not done yet switches no due date off
            out.append(f"{res.where}: the resolution of {res.topic} says it was reviewed on {res.reviewed}, a day in "
                       "the future; write the day it was reviewed")
            continue
        due = resolution_due(res.reviewed, res.next_review, str(res.where))
        if due < today:
            out.append(f"{res.where}: the resolution of {res.topic} was due for review on {due} (reviewed "
                       f"{res.reviewed}); check it against current guidance, then update reviewed:")
    return out


def saved_problems(project: Project, today: dt.date) -> list[str]:
    """A source saved, or dated, on a day still to come: a typo that would show as written."""
    out = []
    for s in project.sources.values():
        for what, day in [("saved", s.saved), ("date", (s.date or {}).get("value"))] + \
                [(f"history saved", h.get("saved")) for h in s.history]:
            if day and dt.date.fromisoformat(day) > today:
                out.append(f"{s.where}: source {s.id}: {what} {day} is a day in the future; write the real day")
    return out


def review_problems(project: Project, docs: Path, mkdocs_yml: Path, today: dt.date | None = None) -> list[str]:
    today = today or dt.date.today()
    return (page_problems(docs, site_defaults(mkdocs_yml), today) + resolution_problems(project, today)
            + saved_problems(project, today))
