"""The layered pages on a phone (390 x 844, Chromium): how tall each patient page is with its
evidence folded, that the folded blocks and the map fit the screen, and that a source's own
words are one tap away. The heights are printed (run with -s); scripts/bench/phone.py prints
them too."""
from __future__ import annotations

import pytest

from bench.phone import PHONE, heights, patient_pages

CERCLAGE_MAX = 4220   # 5 phone screens
PAGE_MAX = 5064       # 6 phone screens


@pytest.fixture(scope="module")
def phone_heights(hosted, browser) -> dict[str, int]:
    measured = heights(hosted.dir, browser)
    print("\nphone heights (px):", ", ".join(f"{rel or 'home'} {px}" for rel, px in
                                             sorted(measured.items(), key=lambda x: -x[1])))
    return measured


def test_every_patient_page_is_measured(hosted, phone_heights):
    assert "treatment/cerclage/" in phone_heights and "help-now/" in phone_heights
    assert len(phone_heights) == len(patient_pages(hosted.dir)) >= 10


def test_cerclage_page_fits_five_phone_screens(phone_heights):
    assert phone_heights["treatment/cerclage/"] <= CERCLAGE_MAX


def test_every_patient_page_fits_six_phone_screens(phone_heights):
    over = {rel: px for rel, px in phone_heights.items() if px > PAGE_MAX}
    assert not over, over


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def test_evidence_is_folded_and_one_tap_shows_a_sources_words(hosted, phone):
    phone.goto((hosted.dir / "treatment/cerclage/index.html").as_uri())
    block = phone.locator("details.evidence#topic-cerclage-removal")
    quote = block.locator("blockquote.claim-quote").first
    assert block.get_attribute("open") is None and not quote.is_visible()
    summary = block.locator("summary")
    assert summary.bounding_box()["width"] <= PHONE["width"]
    # folded, a patient reads the situation only; the counts are for editors, inside the fold
    assert summary.inner_text().strip().startswith("Sources") and "sources:" not in summary.inner_text()
    counts = block.locator(".evidence__counts")
    assert not counts.is_visible()
    summary.tap()
    assert counts.is_visible() and counts.inner_text().startswith("For editors:") and "sources:" in counts.inner_text()
    assert quote.is_visible() and quote.inner_text().startswith("\u201c")
    source_link = block.locator("ul.evidence__sources a").first
    assert source_link.is_visible()


@pytest.mark.parametrize("rel", ["treatment/cerclage/", "disagreements/", "about/what-is-it/"])
def test_nothing_is_wider_than_the_phone(hosted, phone, rel):
    phone.goto((hosted.dir / rel / "index.html").as_uri())
    phone.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{rel}: the page scrolls sideways ({width} px)"
    if rel == "disagreements/":  # the map scrolls inside its own box, not the page
        box = phone.locator(".ci-map__scroll").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_print_page_opens_every_evidence_block(hosted):
    html = (hosted.dir / "print_page" / "index.html").read_text(encoding="utf-8")
    assert html.count('<details open class="evidence') >= 10
    assert '<details class="evidence' not in html
