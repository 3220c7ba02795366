"""The files the site offers for print and offline use, listed on its "Print and offline" page.

The page is built by MkDocs before the files exist (`make site`: the hosted site, then the PDFs, then
the offline zip), so it cannot know their sizes or page counts. Each step that makes a file publishes
it instead: ``publish`` copies what is in dist/ into SITE/downloads/ and writes the page's list again
from the files there: each file's size as stored and, for a PDF, its pages as pypdf reads them. The
offline copy gets the PDFs (a zip cannot hold itself); the hosted site gets the PDFs and the zip. The site's search
index, written with the page, gets the list's words too (``reindex``).
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

from reconcile.atomic import write_atomic

NAME = "cervical-insufficiency"
FOLDER = "downloads"
PAGE = "print"
# Each file offered, in the page's order: file name, what it is, its paper.
FILES = [
    (f"{NAME}-handout.pdf", "Handout", "A4"),
    (f"{NAME}-handout-letter.pdf", "Handout", "US Letter"),
    (f"{NAME}-handout-large-print.pdf", "Handout in large print (16 point)", "A4"),
    (f"{NAME}-questions.pdf", "Questions to ask your doctor (a sheet to write on)", "A4"),
    (f"{NAME}-questions-letter.pdf", "Questions to ask your doctor (a sheet to write on)", "US Letter"),
    (f"{NAME}-questions-large-print.pdf", "Questions to ask your doctor in large print (16 point)", "A4"),
    (f"{NAME}.pdf", "The book: the whole site", "A4"),
    (f"{NAME}-offline.zip", "Offline copy of the site (zip)", None),
]
SLOT = "ci-downloads"  # the <div> the page's list goes in
PRINT_PAGE, PRINT_SLOT = "print_page", "print-ci-downloads"  # and its copy on the print-site page
# The handout page links its sheet of questions' own PDFs (docs/handout.md), once they are made.
SHEET_PAGE, SHEET_FILES, SHEET_SLOT = "handout", f"{NAME}-questions", "ci-sheet-downloads"


def size_text(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} KB"


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def page_file(site: Path, name: str = PAGE) -> Path:
    for candidate in (site / name / "index.html", site / f"{name}.html"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{site}: no built page '{name}' (run mkdocs build first)")


def rows(site: Path, page: Path) -> list[dict]:
    found = []
    for filename, title, paper in FILES:
        path = site / FOLDER / filename
        if path.is_file():
            found.append({"title": title, "paper": paper, "href": os.path.relpath(path, page.parent).replace(os.sep, "/"),
                          "filename": filename, "size": size_text(path.stat().st_size),
                          "pages": pdf_pages(path) if filename.endswith(".pdf") else None})
    return found


def render(found: list[dict], template: str = "downloads.html") -> str:
    from jinja2 import Environment, FileSystemLoader

    env = Environment(loader=FileSystemLoader(Path(__file__).resolve().parent / "pdf"), autoescape=True)
    return env.get_template(template).render(rows=found)


def fill(page: Path, slot: str, html_of_rows: str) -> str:
    """Put ``html_of_rows`` in the page's <div id="SLOT">, in place of what it held; returns what it held."""
    html = page.read_text(encoding="utf-8")
    pattern = re.compile(rf'(<div\b[^>]*\sid="{slot}"[^>]*>)(.*?)(</div>)', re.S)  # attributes in any order
    held = pattern.search(html)
    if not held:
        raise ValueError(f"{page}: no <div id=\"{slot}\"> to fill")
    write_atomic(page, pattern.sub(lambda m: m.group(1) + html_of_rows + m.group(3), html, count=1))
    return held.group(2)


def _words(html: str) -> str:
    """An HTML fragment's text as the search index holds it: each paragraph or cell's words, tags and attributes
    gone, spaces run together."""
    from bs4 import BeautifulSoup

    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def reindex(site: Path, location: str, held: str, html_of_rows: str) -> None:
    """The site's search index (MkDocs' search/search_index.json, and the offline plugin's search_index.js) read the
    page before its list was filled, so searching for the book or the offline copy found "The list of files is
    added when ..." (review 77 S3): the entry of the page at ``location`` gets the list's words in place of what
    the slot held. Nothing to do where the site has no index, or the entry no longer holds those words."""
    old, new = _words(held), _words(html_of_rows)
    if not old:
        return
    held_words = re.compile(r"(?:\s|<[^>]*>)+".join(map(re.escape, old.split())))  # across the index's own tags
    for index in (site / "search" / "search_index.json", site / "search" / "search_index.js"):
        if not index.is_file():
            continue
        text = index.read_text(encoding="utf-8")
        start, end = text.index("{"), text.rindex("}") + 1  # the .js file: "var __index = {...}"
        data = json.loads(text[start:end])
        changed = False
        for doc in data.get("docs", []):
            if doc.get("location") == location and held_words.search(doc.get("text", "")):
                doc["text"] = held_words.sub(lambda _: new, doc["text"], count=1)  # its other words as they were
                changed = True
        if changed:
            write_atomic(index, text[:start] + json.dumps(data, ensure_ascii=False, separators=(",", ":")) + text[end:])


def publish(site: Path, dist: Path, names: list[str] | None = None) -> list[dict]:
    """Copy the files named (default: every file of FILES in ``dist``) into SITE/downloads/ and write
    the page's list from what is there. Returns the rows listed."""
    page = page_file(site)
    for filename, _, _ in FILES:
        source = dist / filename
        if (names is None or filename in names) and source.is_file():
            (site / FOLDER).mkdir(exist_ok=True)
            write_atomic(site / FOLDER / filename, source.read_bytes())
    found = rows(site, page)
    listed = render(found)
    reindex(site, page.parent.relative_to(site).as_posix() + "/" if page.name == "index.html" else page.name,
            fill(page, SLOT, listed), listed)
    # the print-site plugin's page of every page ("print_page", its ids prefixed) holds a copy of the Print and
    # offline page: its list too, or it shows "The list of files is added when ..." (review 41 #8)
    try:
        whole = page_file(site, PRINT_PAGE)
    except FileNotFoundError:  # a build without the print-site plugin
        whole = None
    if whole is not None:  # fill reads it once and fails fast where its slot is missing, as for the page itself
        fill(whole, PRINT_SLOT, render(rows(site, whole)))
    handout = page_file(site, SHEET_PAGE)
    sheets = [row for row in rows(site, handout) if row["filename"].startswith(SHEET_FILES)]
    fill(handout, SHEET_SLOT, render(sheets, "sheet-downloads.html"))
    return found
