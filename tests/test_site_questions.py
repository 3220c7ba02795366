"""Questions to ask your doctor: a page made from the findings, one plain question for each question where
the sources disagree, leave out a caution or current guidance says otherwise, with the page that explains it."""
from __future__ import annotations

import json

from conftest import soup_of

GROUPS = {"conflict": "ask-conflict", "omission": "ask-omission", "outdated": "ask-outdated"}


def test_one_question_for_each_disagreement_with_its_page(hosted):
    page = hosted.dir / "questions" / "index.html"
    soup = soup_of(page)
    report = json.loads((hosted.dir / "exports" / "findings.json").read_text(encoding="utf-8"))
    for key, heading in GROUPS.items():
        topics = [t for t in report["topics"] if ("outdated" if t["outdated"] else t["status"]) == key]
        assert topics, key
        items = soup.find(id=heading).find_next("ul", class_="ci-questions__list").find_all("li", recursive=False)
        assert [li.strong.get_text() for li in items] == [t["question"] for t in topics]
        for li, t in zip(items, topics):
            href = li.select_one(".ci-questions__where a")["href"]
            target, _, fragment = href.partition("#")
            target_page = (page.parent / target).resolve()
            target_page = target_page / "index.html" if target_page.is_dir() else target_page
            assert target_page.is_file(), href
            h1 = " ".join(soup_of(target_page).select_one("article h1").get_text().replace("¶", "").split())
            assert h1 == li.select_one(".ci-questions__where a").get_text(), (href, h1)  # the link says where it leads
            assert not fragment or soup_of(target_page).find(id=fragment), href


def test_the_page_is_in_the_navigation_with_the_help_box(hosted):
    home = soup_of(hosted.dir / "index.html")
    assert any(a.get_text(" ", strip=True) == "Questions to ask your doctor"
               for a in home.select("nav.md-nav--primary a.md-nav__link"))
    box = soup_of(hosted.dir / "questions" / "index.html").select_one("article .admonition.danger")
    assert box is not None and "Get help now" in box.get_text()
