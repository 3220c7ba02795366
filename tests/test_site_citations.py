"""Quieter citations for patients: a small number after a statement opens the page's folded list of
where each fact comes from, with the evidence one tap on; the print page and the PDFs keep full keys."""
from __future__ import annotations

import re

from conftest import pdf_text, soup_of

PHONE = {"width": 390, "height": 844}


def test_every_citation_has_its_number_and_its_entry(hosted):
    checked = 0
    for path in sorted(hosted.dir.rglob("index.html")):
        if "print_page" in path.parts:
            continue
        article = soup_of(path).select_one("article")
        cites = article.select("sup.cite") if article else []
        if not cites:
            continue
        refs = article.select("details.ci-references ol > li")
        assert len(refs) == len(cites), path
        for n, (cite, li) in enumerate(zip(cites, refs), start=1):
            number = cite.find_previous_sibling("sup")
            assert "ci-ref" in number["class"] and number.a.get_text() == str(n), path
            assert number.a["href"] == f"#ref-{n}" and li["id"] == f"ref-{n}"
            # the entry links to the same evidence as the full keys, named in words
            keys = [a["href"] for a in cite.select("a")]
            assert [a["href"] for a in li.select("a")] == keys, (path, n)
            assert all(re.search(r"\(.+\)$", a.get_text()) for a in li.select("a"))
            checked += 1
    assert checked > 100


def _secondary_keys(node) -> list[str]:
    """The keys a citation or a reference entry marks "(secondary)": the link just before each "(secondary)"."""
    return [span.find_previous("a").get_text(" ", strip=True) for span in node.select("span.secondary")]


def test_the_secondary_mark_follows_a_key_into_the_reference_list_and_the_aria_label(hosted):
    """Methods promises "(secondary)" wherever such a key is cited (review 16, S10): on every built page each
    numbered entry and each number's spoken label mark the same keys as the citation it stands for."""
    marked = 0
    for path in sorted(hosted.dir.rglob("index.html")):
        article = soup_of(path).select_one("article")
        if article is None:
            continue
        refs = article.select("details.ci-references ol > li")
        for n, cite in enumerate(article.select("sup.cite"), start=1):
            keys = [k.split("(")[-1].rstrip(")") if "(" in k else k for k in _secondary_keys(cite)]
            label = cite.find_previous_sibling("sup").a["aria-label"]
            for key in keys:
                assert f"{key} (secondary)" in label, (path, n, label)
            if refs:
                entry = [k.split("(")[-1].rstrip(")") for k in _secondary_keys(refs[n - 1])]
                assert entry == keys, (path, n, entry, keys)
            assert label.count("(secondary)") == len(keys), (path, n, label)
            marked += len(keys)
    assert marked > 5


def test_on_a_phone_a_number_opens_where_the_fact_comes_from(hosted, browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto((hosted.dir / "treatment" / "cerclage" / "index.html").as_uri())
    assert not page.locator("article sup.cite").first.is_visible()
    numbers = page.locator("article sup.ci-ref a")
    number = numbers.nth(2)
    assert number.is_visible() and number.inner_text() == "3"
    box = number.bounding_box()
    # the touch area reaches 22 px round the number's middle (a 44 x 44 target); where the text wraps so that
    # another number stands on the line above or below, the two share the space between them (as
    # test_site_touch allows): a tap there lands on one of the two numbers, never on the text
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    others = [numbers.nth(i).bounding_box() for i in range(numbers.count()) if i != 2 and numbers.nth(i).is_visible()]
    for dx, dy in ((0, 0), (-20, 0), (20, 0), (0, -20), (0, 20)):
        hit = page.evaluate("([x, y]) => { const e = document.elementFromPoint(x, y); return e && e.closest('sup.ci-ref') ? e.closest('a').getAttribute('href') : null; }",
                            [cx + dx, cy + dy])
        sharing = any(abs(o["y"] - box["y"]) < 44 and abs(o["x"] - box["x"]) < 44 for o in others) and dy != 0
        assert hit == "#ref-3" or (sharing and hit is not None and hit.startswith("#ref-")), (dx, dy, hit)
    number.tap()
    entry = page.locator("li#ref-3")
    entry.wait_for(state="visible")
    assert page.locator("details.ci-references").get_attribute("open") is not None
    # the entry opens the same evidence as the third citation's full keys (a source or the guidance)
    first_key = page.locator("article sup.cite").nth(2).locator("a").first.get_attribute("href")
    assert "(" in entry.inner_text() and entry.locator("a").first.get_attribute("href") == first_key
    assert first_key.startswith(("../../sources/", "../../guidance/"))
    context.close()


def test_print_page_shows_full_keys_not_numbers(hosted, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto((hosted.dir / "print_page" / "index.html").as_uri())
    assert page.locator("sup.cite").first.is_visible()
    assert not page.locator("sup.ci-ref").first.is_visible()
    assert re.fullmatch(r"\[(\d{3}|[A-Z]{3,4} [A-Z]{2,3} \d+|FDA \d{4})(, [^\]]+)*\]", page.locator("sup.cite").first.inner_text())
    context.close()


def test_pdf_book_keeps_full_keys(book_pdf):
    text = " ".join(pdf_text(book_pdf))
    assert re.search(r"\[(\d{3}|ACOG PB 142|RCOG GTG 75)(, [^\]]+)?\]", text)
    assert "Where these facts come from" not in text
