"""The project's diagrams (<!-- diagram: NAME -->): inline SVG with a title, a description and a caption,
drawn in the text colour (dark mode), on their pages, on a phone and in the PDF book as pictures."""
from __future__ import annotations

import re

import pytest

from conftest import pdf_text, soup_of

DIAGRAMS = {"cervix": "about/what-is-it/", "stitch": "treatment/cerclage/", "scan": "treatment/monitoring/"}
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("name", list(DIAGRAMS))
def test_diagram_has_text_alternatives_and_nothing_external(hosted, name):
    soup = soup_of(hosted.dir / DIAGRAMS[name] / "index.html")
    figure = soup.find(id=f"figure-{name}")
    assert figure is not None and figure.name == "figure"
    svg = figure.find("svg")
    assert svg["role"] == "img"
    ids = svg["aria-labelledby"].split()
    assert [svg.find(id=i).name for i in ids] == ["title", "desc"]
    assert all(len(svg.find(id=i).get_text().split()) >= 6 for i in ids)
    assert len(figure.figcaption.get_text().split()) >= 8
    labels = [t.get_text() for t in svg.find_all("text")]
    assert "cervix" in " ".join(labels) or name == "scan"
    assert not svg.find_all(["script", "image", "foreignObject", "use", "a"])
    assert not [a for tag in svg.find_all(True) for a in tag.attrs if a.lower().startswith("on") or a.lower() == "href"]
    assert 'currentcolor' in str(svg).lower()  # lines in the text colour: dark mode follows


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(DIAGRAMS))
def test_diagram_fits_a_phone_and_follows_the_palette(hosted, browser, name, scheme):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, color_scheme=scheme)
    page = context.new_page()
    page.goto((hosted.dir / DIAGRAMS[name] / "index.html").as_uri())
    fold = page.locator(f"details.ci-figure-fold:has(#figure-{name}) > summary")
    if fold.count():  # a folded picture opens with one tap
        assert not page.locator(f"#figure-{name} svg").is_visible()
        fold.tap()
    svg = page.locator(f"#figure-{name} svg")
    assert svg.is_visible()
    box = svg.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] and box["height"] > 150
    # the lines follow the text colour, the tissue its palette's tint
    text_colour = page.evaluate("getComputedStyle(document.querySelector('article')).color")
    stroke = svg.evaluate("s => getComputedStyle(s.querySelector('path[fill=none]')).stroke")
    tissue = svg.evaluate("s => getComputedStyle(s.querySelector('.ci-figure__tissue')).fill")
    context.close()
    assert stroke == text_colour
    assert (tissue == "rgb(244, 207, 200)") == (scheme == "light"), tissue


def test_diagrams_are_pictures_in_the_pdf_book(book_pdf):
    text = " ".join(pdf_text(book_pdf))
    # the labels drawn in the pictures, as text a PDF reader finds (not the description in their place)
    for label in ("Long and closed", "Shorter and opening", "stitch around", "thin wand"):
        assert label in text, label
    assert "Two drawings side by side" not in text
    assert re.search(r"A stitch in place\. The doctor goes in through the vagina", text)
