"""Review dates: when each page and each reconciliation must be checked again.

A page's dates come from its front matter (``last_reviewed``, ``next_review``), else from
``extra:`` in mkdocs.yml, the site-wide default. A resolution is due a year after its
``reviewed`` date unless it names its own ``next_review``. ``make check`` fails on anything
past due, so an out-of-date page cannot be published unnoticed.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from .model import Project
from .yamlfile import InputError

RESOLUTION_INTERVAL_YEARS = 1
FRONT_MATTER_END = "\n---"


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml without MkDocs: !ENV takes its default, other tags read as None."""


_Loader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1]
                        if isinstance(node, yaml.SequenceNode) else None)
_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def mkdocs_config(mkdocs_yml: Path) -> dict:
    """mkdocs.yml as plain data (the review dates, the nav), for tools and tests that run without MkDocs."""
    return yaml.load(Path(mkdocs_yml).read_text(encoding="utf-8"), Loader=_Loader) or {}


def parse_date(text, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(text))
    except ValueError:
        raise InputError(Path(where), 0, f"{text!r} is not a date (YYYY-MM-DD)") from None


def site_defaults(mkdocs_yml: Path) -> dict:
    extra = mkdocs_config(mkdocs_yml).get("extra") or {}
    for key in ("last_reviewed", "next_review"):
        if key not in extra:
            raise InputError(mkdocs_yml, 0, f"extra: needs {key}: YYYY-MM-DD (the default review dates of every page)")
    return extra


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n") or FRONT_MATTER_END not in text[3:]:
        return {}
    return yaml.safe_load(text[4:text.index(FRONT_MATTER_END, 3)]) or {}


def page_problems(docs: Path, defaults: dict, today: dt.date) -> list[str]:
    out = []
    for path in sorted(docs.rglob("*.md")):
        meta = front_matter(path)
        due = parse_date(meta.get("next_review", defaults["next_review"]), str(path))
        if due < today:
            origin = "its front matter" if "next_review" in meta else "mkdocs.yml extra.next_review"
            out.append(f"{path}:1: page review was due {due} ({origin}); review it, then set last_reviewed "
                       "and next_review in its front matter")
    return out


def resolution_due(reviewed: str, next_review: str | None, where: str) -> dt.date:
    if next_review:
        return parse_date(next_review, where)
    done = parse_date(reviewed, where)
    try:
        return done.replace(year=done.year + RESOLUTION_INTERVAL_YEARS)
    except ValueError:  # 29 February
        return done.replace(year=done.year + RESOLUTION_INTERVAL_YEARS, day=28)


def resolution_problems(project: Project, today: dt.date) -> list[str]:
    out = []
    for res in project.resolutions.values():
        due = resolution_due(res.reviewed, res.next_review, str(res.where))
        if due < today:
            out.append(f"{res.where}: the resolution of {res.topic} was due for review on {due} (reviewed "
                       f"{res.reviewed}); check it against current guidance, then update reviewed:")
    return out


def review_problems(project: Project, docs: Path, mkdocs_yml: Path, today: dt.date | None = None) -> list[str]:
    today = today or dt.date.today()
    return page_problems(docs, site_defaults(mkdocs_yml), today) + resolution_problems(project, today)
