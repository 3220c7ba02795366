"""The PDF book and the handout, read back with pypdf."""
from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from conftest import ROOT, pdf_text

WEB_CHROME = ["Skip to content", "Initializing search", "Back to top", "Switch to dark mode",
              "Switch to light mode", "Table of contents", "¶"]


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="session")
def book_pages(book_pdf) -> list[str]:
    return pdf_text(book_pdf)


def test_cover_has_title_edition_and_disclaimer(book_pages, mkdocs_config):
    cover = book_pages[0]
    assert _squash(mkdocs_config["site_name"]) in cover
    assert f"Edition {mkdocs_config['extra']['edition']}" in cover
    assert "not medical advice" in cover


def test_contents_list_every_nav_page_with_its_page_number(book_pages, nav_pages):
    start = next(i for i, text in enumerate(book_pages) if text.startswith("Contents"))
    contents = " ".join(book_pages[start:start + 3])
    previous = 0
    for page in nav_pages:
        match = re.search(re.escape(_squash(page.nav_title)) + r"\s*\.*\s*(\d+)", contents)
        assert match, f"contents: no page number for {page.nav_title!r}"
        number = int(match.group(1))
        assert number >= previous, f"contents: {page.nav_title!r} on page {number}, before {previous}"
        assert page.title in book_pages[number - 1], \
            f"contents: {page.nav_title!r} says page {number}, but its title {page.title!r} is not there"
        previous = number


def test_every_page_title_in_navigation_order(book_pages, nav_pages):
    body = " ".join(book_pages[2:])
    position = 0
    for page in nav_pages:
        found = body.find(page.title, position)
        assert found >= 0, f"{page.title!r} ({page.path.name}) missing or out of navigation order"
        position = found + len(page.title)


def test_page_count_is_sane(book_pages, nav_pages):
    assert len(nav_pages) + 2 <= len(book_pages) <= 12 * len(nav_pages), len(book_pages)


def test_running_title_and_page_numbers_in_margins(book_pages, mkdocs_config):
    total = len(book_pages)
    for number, text in enumerate(book_pages[1:], start=2):
        assert f"Page {number} of {total}" in text, f"page {number}: no page number"
    assert sum(_squash(mkdocs_config["site_name"]) in t for t in book_pages[2:]) >= len(book_pages) - 3


def test_no_web_chrome_in_the_book(book_pages):
    found = [(i + 1, word) for i, text in enumerate(book_pages) for word in WEB_CHROME if word in text]
    assert not found, f"web chrome in the PDF (page, text): {found[:10]}"


def test_internal_links_are_pdf_links(book_pdf):
    reader = PdfReader(str(book_pdf))
    internal = external = 0
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            if annot.get("/Dest") is not None or (action and action.get("/S") == "/GoTo"):
                internal += 1
            elif action and action.get("/S") == "/URI":
                external += 1
                assert not str(action["/URI"]).startswith("file:"), action["/URI"]
    assert internal >= 20, f"only {internal} internal links in the PDF"


def test_handout_is_at_most_two_pages_with_edition_and_disclaimer(handout_pdf, mkdocs_config):
    pages = pdf_text(handout_pdf)
    assert 1 <= len(pages) <= 2, f"handout has {len(pages)} pages"
    text = " ".join(pages)
    assert f"Edition {mkdocs_config['extra']['edition']}" in text
    assert "not medical advice" in text
    assert not [w for w in WEB_CHROME if w in text]


def test_handout_is_built_from_the_site_sections(handout_pdf):
    """Every snippet the handout includes reaches the PDF: the same content, not a copy."""
    source = (ROOT / "docs" / "handout.md").read_text(encoding="utf-8")
    includes = re.findall(r'^--8<-- "([^":]+):([\w-]+)"', source, re.M)
    assert includes, "docs/handout.md includes no section of the other pages"
    text = " ".join(pdf_text(handout_pdf))
    for path, section in includes:
        page = (ROOT / path).read_text(encoding="utf-8")
        body = re.search(rf"\[start:{section}\] -->\n(.*?)<!-- --8<-- \[end:{section}\]", page, re.S)
        assert body, f"{path}: no section {section}"
        prose = next(line for line in body.group(1).splitlines()
                     if line.strip() and not line.lstrip().startswith(("!!!", "???", "<!--", "|")))
        words = re.sub(r"<!--.*?-->|[*_`#>\[\]]|^\s*[-+]\s|\(.*?\)", " ", prose).split()
        assert _squash(" ".join(words[:5])) in text, f"section {path}:{section} is not in the handout"
    assert "<!-- disagreements: short -->" in source
