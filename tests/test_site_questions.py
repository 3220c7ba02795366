"""Questions to ask your doctor: a page made from the findings, one plain question for each question where
the sources disagree, leave out what another says or current guidance says otherwise, with the page that explains it."""
from __future__ import annotations

import json
import re

import textstat

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
        assert [li.strong.get_text() for li in items] == [t["ask"] for t in topics]  # the patient's own words
        for li, t in zip(items, topics):
            href = li.select_one(".ci-questions__where a")["href"]
            target, _, fragment = href.partition("#")
            target_page = (page.parent / target).resolve()
            target_page = target_page / "index.html" if target_page.is_dir() else target_page
            assert target_page.is_file(), href
            h1 = " ".join(soup_of(target_page).select_one("article h1").get_text().replace("¶", "").split())
            assert h1 == li.select_one(".ci-questions__where a").get_text(), (href, h1)  # the link says where it leads
            assert not fragment or soup_of(target_page).find(id=fragment), href


def test_read_leads_to_the_plain_answer_above_the_evidence(hosted):
    """Review 46 #2: "Read" led to a question's evidence block, below its plain answer (in the book, a page too
    far). Every "Read" link of the questions page and the handout's list that leads into a page lands on the
    heading of the section that holds the question's evidence block: the answer comes first."""
    report = json.loads((hosted.dir / "exports" / "findings.json").read_text(encoding="utf-8"))
    checked = 0
    for page in (hosted.dir / "questions" / "index.html", hosted.dir / "handout" / "index.html"):
        for li in soup_of(page).select("li:has(> .ci-questions__where)"):
            href = li.select_one(".ci-questions__where a")["href"]
            target, _, fragment = href.partition("#")
            if not fragment:
                continue   # a page that answers the question as a whole (front matter `answers:`)
            target_page = (page.parent / target).resolve() / "index.html"
            soup = soup_of(target_page)
            heading = soup.find(id=fragment)
            assert heading is not None and re.fullmatch(r"h[2-6]", heading.name), (page.name, href)
            level, inside = int(heading.name[1]), []
            for el in heading.find_all_next():
                if re.fullmatch(r"h[1-6]", el.name or "") and int(el.name[1]) <= level:
                    break
                inside.append(el.get("id"))
            ask = " ".join(li.strong.get_text().split())
            ids = [i for i in inside if i and i.startswith("topic-")]
            assert ids, (href, "no evidence block in the section")
            topic = next(t for t in report["topics"] if " ".join((t.get("ask") or t["question"]).split()) == ask)
            assert "topic-" + re.sub(r"[^a-z0-9]+", "-", topic["id"]).strip("-") in ids, (href, topic["id"], ids)
            checked += 1
    assert checked, "no Read link leads into a page"


def test_the_page_is_in_the_navigation_with_the_help_box(hosted):
    home = soup_of(hosted.dir / "index.html")
    assert any(a.get_text(" ", strip=True) == "Questions to ask your doctor"
               for a in home.select("nav.md-nav--primary a.md-nav__link"))
    box = soup_of(hosted.dir / "questions" / "index.html").select_one("article .admonition.danger")
    assert box is not None and "Get help now" in box.get_text()


def shown(report: dict) -> list[dict]:
    """The topics the questions to ask a doctor show (shortcodes.QUESTION_GROUPS), from the findings."""
    return [t for t in report["topics"] if t["outdated"] or t["status"] in ("conflict", "omission")]


def test_every_question_to_ask_is_in_the_patients_own_words(hosted):
    """Review 15, item 12: "Which past births can doctors base the diagnosis on?" and "Do doctors know who is
    helped by a stitch?" are hard for a patient to ask. Every question the findings put on the Questions page,
    the handout and the sheet is the topic's `ask:`: about the patient themselves (I, me, my), a question, at
    Flesch-Kincaid grade 7 or lower; the page, the handout and the sheet show it and no editor's question."""
    report = json.loads((hosted.dir / "exports" / "findings.json").read_text(encoding="utf-8"))
    topics = shown(report)
    assert topics, "the findings give no question to ask"
    for t in topics:
        ask = t["ask"]
        assert ask and ask.endswith("?"), (t["id"], ask)
        assert re.search(r"\b(I|me|my)\b", ask), (t["id"], ask)
        assert textstat.flesch_kincaid_grade(ask) <= 7, (t["id"], ask, textstat.flesch_kincaid_grade(ask))
    for page in ("questions", "handout"):
        asked = [li.strong.get_text() for li in soup_of(hosted.dir / page / "index.html").select(".ci-questions li")]
        assert asked and set(asked) <= {t["ask"] for t in topics}, (page, asked)
        assert not set(asked) & {t["question"] for t in topics} - {t["ask"] for t in topics}, page

