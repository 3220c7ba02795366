"""The sources are other people's copyrighted writing: the site quotes them briefly, as evidence, and
says the rest in its own words. Tested on what is shipped, site/ and dist/ as `make site` makes them
(made here if missing), against the archive (skipped without it: a clone has none).

The measure (scripts/website/copied.py): the share of a source's archived words that lie in a run of
8 words also on one page (its text, tooltips and labels; the search index; the PDF book's text).
Before the source pages stopped repeating the quotes, each source's own page held 45-77 % of its
text; a web page now holds at most 15 % (the cerclage page, whose evidence quotes three sources).
The print page, the book and the search index join every page, so they carry each evidence quote
once: 22-47 % of a source (its quotes on the questions where the sources are compared).
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, needs_archive, with_quotes
from website import copied

SITE, DIST = ROOT / "site", ROOT / "dist"
PAGE_BOUND = 0.20    # one web page: a few short quotes of a source, as evidence for the questions it answers
JOINED = ("print_page/", "book (PDF)", "search index")  # every page at once: each evidence quote, once
JOINED_BOUND = 0.50  # all the evidence of a source together (was 45-77 %, every quote once more)


@pytest.fixture(scope="module")
def shipped() -> Path:
    if not (SITE / "sources" / "index.html").is_file() or not (DIST / "cervical-insufficiency.pdf").is_file():
        proc = subprocess.run(["make", "site"], cwd=ROOT, capture_output=True, text=True)
        assert proc.returncode == 0, f"make site failed:\n{(proc.stdout + proc.stderr)[-3000:]}"
    return SITE


@pytest.fixture(scope="module")
def measured(shipped) -> dict[str, dict[str, float]]:
    return copied.measure(shipped, needs_archive(), DIST)


def _over(measured, bound, which) -> list[str]:
    return [f"{sid} on {where}: {s:.0%}" for sid, found in measured.items()
            for where, s in found.items() if which(where) and s > bound]


def test_no_web_page_reproduces_more_than_a_fifth_of_a_source(measured):
    assert measured and all(measured.values()), "the measure found no page quoting any source"
    assert any(where.startswith("sources/0") for found in measured.values() for where in found), \
        "the source pages were not measured"
    over = _over(measured, PAGE_BOUND, lambda where: where not in JOINED)
    assert not over, f"pages copying more than {PAGE_BOUND:.0%} of a source's text: {over}"


def test_the_exports_give_each_quote_s_place_not_its_words(shipped, measured):
    """Review: exports/claims.csv and exports/findings.json carried every claim's whole quote, 45-77 % of each
    source at a public address. They are published like a page and bound like one; a claim keeps a few words
    of its quote (fewer than a copied run), its length, its hash and a link to where the site shows it."""
    exports = sorted(p.name for p in (shipped / "exports").iterdir())
    assert {"claims.csv", "findings.json", "findings.csv"} <= set(exports), exports
    assert set(copied.pages(shipped)) >= {f"exports/{name}" for name in exports}, "the exports were not measured"
    over = _over(measured, PAGE_BOUND, lambda where: where.startswith("exports/"))
    assert not over, f"exports copying more than {PAGE_BOUND:.0%} of a source's text: {over}"
    report = json.loads((shipped / "exports" / "findings.json").read_text(encoding="utf-8"))
    claims = [c for t in report["topics"] for c in t["claims"]]
    assert claims and not any("quote" in c for c in claims)
    assert all(len(c["excerpt"].removesuffix(" …").split()) < copied.SHINGLE for c in claims)
    linked = [c for c in claims if c["evidence"]]
    assert linked, "no claim in the exports links to its evidence"
    for c in linked:  # each link leads to a page that shows the claim's words
        path, _, fragment = c["evidence"].partition("#")
        target = BeautifulSoup((shipped / path / "index.html").read_text(encoding="utf-8"),
                               "html.parser").find(id=fragment)
        assert target is not None and target.select_one(".claim-quote"), c["evidence"]


def test_the_print_page_book_and_search_index_carry_each_quote_at_most_once(measured):
    assert all(where in found for where in JOINED for found in measured.values()), \
        f"not all of {JOINED} were measured (is dist/ made?)"
    over = _over(measured, JOINED_BOUND, lambda where: where in JOINED)
    assert not over, f"copying more than {JOINED_BOUND:.0%} of a source's text: {over}"


def test_a_page_that_quotes_every_claim_of_a_source_is_caught(shipped):
    """What the source pages did before: every claim's quote on one page. The measure must see it."""
    archive = copied.archive_texts(needs_archive())
    report = with_quotes(json.loads((shipped / "exports" / "findings.json").read_text(encoding="utf-8")))
    quotes: dict[str, list[str]] = {}
    for topic in report["topics"]:
        for claim in topic["claims"]:
            quotes.setdefault(claim["source"], []).append(claim["quote"])
    caught = {sid: copied.share(words, set().union(*(copied.shingles(copied.words(q)) for q in quotes[sid])))
              for sid, words in archive.items() if sid in quotes}
    assert caught and all(s > PAGE_BOUND for s in caught.values()), caught


def test_a_sources_page_links_each_claim_to_where_its_words_are_evidence(shipped):
    """A claim's row gives what it says in our words and its marks; its words are one link away, in its
    question's evidence block (the same row the book prints, build_pdf.book_document)."""
    pointers = 0
    for page in sorted((shipped / "sources").glob("*/index.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for row in soup.select('tr[id^="claim-"]'):
            link = row.select_one(".ci-quote-ref a[href]")
            if link is None:
                continue
            assert not row.select_one(".claim-quote"), f"{page}: {row['id']} repeats the quote it links to"
            path, _, fragment = link["href"].partition("#")
            target_page = (page.parent / path / "index.html").resolve()
            target = BeautifulSoup(target_page.read_text(encoding="utf-8"), "html.parser").find(id=fragment)
            assert fragment == f"{row['id']}-here" and target is not None, f"{page}: {link['href']} leads nowhere"
            assert target.select_one("blockquote.claim-quote"), f"{page}: {link['href']} shows no quote"
            assert target.find_parent("details", class_="evidence") is not None
            heading = BeautifulSoup(target_page.read_text(encoding="utf-8"), "html.parser").find("h1")
            assert link.get_text() == f"“{' '.join(heading.get_text().split()).rstrip('¶').strip()}”"
            pointers += 1
    assert pointers, "no source page links a claim to its evidence"
