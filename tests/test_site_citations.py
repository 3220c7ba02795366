"""Quieter citations for patients: a small number after a statement opens the page's folded list of
where each fact comes from, with the evidence one tap on; the print page and the PDFs keep full keys."""
from __future__ import annotations

import re

from conftest import pdf_text, soup_of

PHONE = {"width": 390, "height": 844}


def test_every_citation_has_its_number_and_its_entry(hosted):
    checked = claims_here = 0
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
            # the entry links to the same evidence as the full keys, named in words; where the citation credits
            # several claims of one source, each of them too, by its question (review 33 #4)
            keys = [a["href"] for a in cite.select("a")]
            named = [a for a in li.select("a") if "ci-ref-claim" not in (a.get("class") or ())]
            assert [a["href"] for a in named] == keys, (path, n)
            assert all(re.search(r"\(.+\)$", a.get_text()) for a in named)
            for claim in li.select("a.ci-ref-claim"):
                assert claim["href"].split("#")[0] in {k.split("#")[0] for k in keys}, (path, n, claim["href"])
                claims_here += 1
            checked += 1
    assert checked > 100 and claims_here >= 10, (checked, claims_here)


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
    # review 96 S7: what it shows is said there: no words about small numbers, and the key to the codes
    shown = " ".join(page.locator("body").inner_text().split())
    assert "small number" not in shown
    assert "The codes in square brackets say where each fact comes from." in shown
    context.close()


def test_pdf_book_keeps_full_keys(book_pdf):
    text = " ".join(pdf_text(book_pdf))
    assert re.search(r"\[(\d{3}|ACOG PB 142|RCOG GTG 75)(, [^\]]+)?\]", text)
    assert "Where these facts come from" not in text


def test_the_book_says_what_secondary_means_before_it_uses_it(book_pdf):
    """Review 34 #3: the book used "(secondary)" from page 3 and said what it means on page 77. The page that first
    shows it, or one before, says it in the site's words (pagecontext.SECONDARY), squeezed of line breaks."""
    from website.pagecontext import SECONDARY

    pages = [" ".join(p.split()) for p in pdf_text(book_pdf)]
    first = next(n for n, p in enumerate(pages) if "(secondary)" in p)
    words = " ".join(SECONDARY.split()[:4])   # "checked only against pages": a line may break after it
    said = [n for n, p in enumerate(pages) if words in p]
    assert said and said[0] <= first + 1, (first + 1, [n + 1 for n in said][:3])


def test_every_list_of_references_says_what_secondary_means(hosted):
    """Review 32 #4: "(secondary)" was explained only on methods/. Every list of references that marks a key
    "(secondary)" (a page's "Where these facts come from", the guidance page's citations) ends with the one
    line that says what it means, in the words of its tooltip."""
    from website.pagecontext import SECONDARY

    lists = 0
    for path in sorted(hosted.dir.rglob("index.html")):
        for block in soup_of(path).select("article details.ci-references, article .guidance-list"):
            key = block.select_one(".ci-secondary-key")
            if not block.select("span.secondary"):
                assert key is None, path
                continue
            lists += 1
            assert key is not None, f"{path}: a list marks a key (secondary) and does not say what it means"
            assert " ".join(key.get_text().split()) == f"(secondary) means {SECONDARY}.", path
            assert all(s["title"] == SECONDARY for s in block.select("span.secondary[title]"))
    assert lists > 5


def test_a_guidance_fact_labels_its_keys_the_same_way_everywhere(hosted):
    """Review 32 #4: the guidance page wrote "ACOG PB 142, RCOG GTG 75 (secondary)" and the week charts' guidance
    row "ACOG PB 142, RCOG GTG 75", where every other page writes each key of a row confirmed only through
    secondary sources "(secondary)". Every place that names a fact's keys without a link (the guidance page, a
    chart's guidance row) lists them as the citations do: each key, "(secondary)" after each when the row is."""
    import yaml

    from conftest import ROOT

    facts = {f["id"][9:]: f for f in yaml.safe_load((ROOT / "data" / "guidance.yaml").read_text())["facts"]}
    listed, charted = set(), set()
    for path in sorted(hosted.dir.rglob("index.html")):
        if "print_page" in path.parts:  # its ids carry their page's key; the same markup as the pages
            continue
        soup = soup_of(path)
        places = [(p["id"][9:], p.select_one("em"), listed) for p in soup.select(".guidance-list p[id^=guidance-]")]
        places += [(tr["data-guidance"][9:], tr.select_one(".ci-timeline__code"), charted)
                   for tr in soup.select("tr[data-guidance]")]
        for fid, where, seen in places:
            fact = facts[fid]
            label = ", ".join(k + (" (secondary)" if fact.get("secondary") else "") for k in fact["cite"])
            text = " ".join(where.get_text().split())
            assert re.search(rf"(?:^|Source: ){re.escape(label)}(?:\.|$)", text), (path, fid, text)
            seen.add(fid)
    assert listed == set(facts)  # the guidance page names every fact
    assert any(facts[f].get("secondary") and len(facts[f]["cite"]) > 1 for f in charted)  # a chart row of two keys


def _agreeing_numbers(site) -> dict[str, dict[str, tuple]]:
    """The questions answered in numbers whose sources agree or differ a little, with each claim's number."""
    import json

    report = json.loads((site / "exports" / "findings.json").read_text(encoding="utf-8"))
    return {t["id"]: {c["id"]: (c["value"]["min"], c["value"]["max"]) for c in t["claims"] if c["value"]}
            for t in report["topics"] if t["kind"] == "range" and t["status"] in ("agree", "variation")}


def test_no_citation_credits_different_numbers_of_one_question_together(hosted):
    """Review 32 #1: "It happens in about 1 or 2 of every 100 pregnancies. [003, 004]" merged 003's "1 in 100" and
    004's "1-2%" into one range credited to both. Over every question whose sources agree (or differ a little) but
    give different numbers, on every built page (the book and the handout are made from them): no one citation
    credits two of those numbers; each number stands with its own source(s)."""
    questions = _agreeing_numbers(hosted.dir)
    assert any(len(set(v.values())) > 1 for v in questions.values()), "no such question: this checks nothing"
    cited = 0
    for path in sorted(hosted.dir.rglob("index.html")):
        for cite in soup_of(path).select("article sup.cite"):
            claims = {a["href"].rsplit("#claim-", 1)[1] for a in cite.select("a[href*='#claim-']")}
            for tid, values in questions.items():
                numbers = {v for cid, v in values.items() if cid.replace(".", "-") in claims}
                cited += bool(numbers)
                assert len(numbers) < 2, f"{path}: one citation credits {sorted(numbers)} of {tid} together"
    assert cited > 3


def test_a_question_s_numbers_are_each_said_with_their_own_source(hosted):
    """<!-- values: T --> (the incidence line of the home page's key points, what-is-it and the handout): each
    number in the claim's own plain words, followed by a citation of the sources that give it and no other."""
    import json

    report = {t["id"]: t for t in json.loads((hosted.dir / "exports" / "findings.json").read_text())["topics"]}
    says = {c["id"].replace(".", "-"): c["says"].rstrip(". ") for t in report.values() for c in t["claims"]}
    pages = 0
    for page in ("index.html", "about/what-is-it/index.html", "handout/index.html"):
        article = soup_of(hosted.dir / page).select_one("article")
        for cite in article.select("sup.cite"):
            ids = [a["href"].rsplit("#claim-", 1)[1] for a in cite.select("a[href*='#claim-']")]
            if not any(i.endswith("frequency-how-common") for i in ids):
                continue
            pages += 1
            before = " ".join(str(s) for s in cite.find_previous_siblings(string=True, limit=2))
            assert len(ids) == 1 or len({says[i] for i in ids}) == 1, (page, ids)
            assert says[ids[0]] in " ".join(before.split()), (page, ids, before[-200:])
    assert pages >= 6  # two numbers on each of three pages


def test_a_link_to_what_a_page_says_on_a_question_leads_to_its_fullest_citation(hosted):
    """Review 39 #8: "(page 17)" for what the diagnosis page says on the ultrasound led to its overview ("doctors may
    do a pelvic exam and an ultrasound [003]"); the section on it, which cites all three sources, is on page 19.
    On every page, a question's anchor (said-TOPIC, where a source page's "Only one source says this" or a list
    leads) stands at the citation that credits most of that question's claims, the first of those."""
    checked = 0
    for path in sorted(hosted.dir.rglob("index.html")):
        if "print_page" in path.parts:
            continue
        article = soup_of(path).select_one("article")
        spans = article.select("span[id^=said-]") if article else []
        if not spans:
            continue
        counts = []   # each citation: how many claims of each question it credits
        for li in article.select("details.ci-references ol > li"):
            hrefs = {a["href"] for a in li.select("a")}   # a source's link is its first claim's, listed again "on:"
            found: dict[str, int] = {}
            for href in hrefs:
                m = re.search(r"#claim-[^-]+-(.+)$", href)
                if m:
                    found[m.group(1)] = found.get(m.group(1), 0) + 1
            counts.append(found)
        for span in spans:
            topic = span["id"].removeprefix("said-")
            n = int(span.find_next("sup", class_="ci-ref").a.get_text())
            most = max(c.get(topic, 0) for c in counts)
            assert counts[n - 1].get(topic, 0) == most > 0, (path, topic, n, [c.get(topic, 0) for c in counts])
            assert all(c.get(topic, 0) < most for c in counts[:n - 1]), (path, topic, n)
            checked += 1
    assert checked >= 40, checked
