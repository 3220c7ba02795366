"""How hard the patient pages are to read: the pages, their own words, and the grades.

Shared by the content tests (Flesch-Kincaid grade <= 7 on every patient page) and the
benchmark (which also prints SMOG, the measure health publishers use). Measured on the
built article text without the sources' quotes, citation marks, disclaimer and permalinks.
"""
from __future__ import annotations

from pathlib import Path

import textstat
from bs4 import BeautifulSoup

from reconcile.review_dates import mkdocs_config

ROOT = Path(__file__).resolve().parents[2]
# Not for patients: how the site was made, the word list, the handout (a summary of
# other pages), the downloads (no medical facts) and the pages the hook generates from data.
NOT_PATIENT = {"methods.md", "glossary.md", "handout.md", "print.md", "disagreements.md", "guidance.md"}
# For patients, but made by the hook from data (no Markdown of its own): measured, not read for citations.
GENERATED_PATIENT = {"questions.md"}
# Editors' words for how the site weighs or reads the sources (review 15, item 12): they stay on the editors'
# pages (methods.md) and in the data's notes for editors, never in words a patient reads; a patient reads
# plain words that still say the reading is the site's own ("we read the source's words this way, to be safe").
EDITOR_WORDS = ("safer reading", "not a mark", "what each mark is measured against")
# Not the article's own words: the sources' quotes, citation links, site chrome, and the timeline's
# table of week ranges (a figure of values with no sentences: a grade of it measures nothing, and each
# new source would add a row to it).
NOT_ARTICLE_TEXT = ".claim-quote, .cite, .ci-ref, .ci-references, .ci-disclaimer, .headerlink, .ci-timeline__table"


def nav_pages(nav) -> list[str]:
    """The Markdown paths in a mkdocs.yml `nav`, in order."""
    out = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            out += nav_pages(value)
        elif isinstance(value, str) and value.endswith(".md"):
            out.append(value)
    return out


def patient_pages(generated: bool = False) -> list[str]:
    """The patient pages written in docs/; with `generated`, also those the hook makes from data."""
    config = mkdocs_config(ROOT / "mkdocs.yml")
    return [p for p in nav_pages(config["nav"]) if p not in NOT_PATIENT and not p.startswith("sources/")
            and (generated or p not in GENERATED_PATIENT)]


def built_page(site: Path, md: str) -> Path:
    """Where `mkdocs build` (directory URLs) writes the page made from docs/`md`."""
    stem = Path(md).with_suffix("")
    return site / (stem.parent if stem.name == "index" else stem) / "index.html"


def article_text(html: str) -> str:
    article = BeautifulSoup(html, "html.parser").find("article")
    if article is None:
        raise ValueError("no <article> in the page")
    for element in article.select(NOT_ARTICLE_TEXT):
        element.decompose()
    return " ".join(article.get_text(" ").split())


def grades(site: Path) -> dict[str, tuple[float, float]]:
    """Flesch-Kincaid grade and SMOG index of every patient page of a built site."""
    out = {}
    for md in patient_pages(generated=True):
        text = article_text(built_page(site, md).read_text(encoding="utf-8"))
        out[md] = (textstat.flesch_kincaid_grade(text), textstat.smog_index(text))
    return out
