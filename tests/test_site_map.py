"""The map of the disagreements: an SVG made at build time from the findings."""
from __future__ import annotations

import copy
import json
import re

import textstat

from conftest import pdf_text, soup_of
from website.cells import cell

WORDS = ["agrees with guidance", "partly agrees with guidance", "differs a little from the other sources",
         "differs from at least one other source", "differs from guidance", "guidance does not back it",
         "cannot be compared with guidance", "says it", "speaks only of another group", "leaves it out",
         "gives no number, so it is not compared", "silent"]


def _intro(soup) -> str:
    """The disagreements page's opening: its plain paragraph and the counts after it (folded, for editors:
    review 46 #6), as one line."""
    paragraphs = soup.select(".disagreements-all > p")[:1] + soup.select(".disagreements-all > details.ci-counts > p")
    return " ".join(" ".join(p.get_text() for p in paragraphs).split())


def test_map_rows_and_columns_come_from_the_data(hosted):
    soup = soup_of(hosted.dir / "disagreements" / "index.html")
    svg = soup.select_one("figure.ci-map svg")
    report = json.loads((hosted.dir / "exports" / "findings.json").read_text(encoding="utf-8"))
    shown = [t for t in report["topics"] if t["outdated"] or t["status"] in ("conflict", "omission", "variation")]
    rows = svg.select("g.ci-map__row")
    assert len(rows) == len(shown)
    intro = _intro(soup)
    # ninth review, S8: under "guidance differs" (bed rest, no sex), a reader told to do these by their own doctor is
    # told to ask first, as the site's own advice
    outdated = soup.find(id="outdated").find_next_sibling("p").get_text()
    assert "ask them about it before you change anything. This is our own advice." in outdated
    assert f": {len(rows)} questions in all." in intro, intro  # the page says how many rows its map has
    sources = sorted({c["source"] for t in report["topics"] for c in t["claims"]})
    headers = [t.get_text() for t in svg.find_all("text", recursive=False)]
    assert headers[:len(sources)] == sources
    for row in rows:  # one cell per source, each with words as well as a shape
        cells = [g for g in row.find_all("g", recursive=False)]
        assert len(cells) == len(sources)
        # an agreement may name the one kind of treatment it holds for (test_marks_guidance reads which)
        assert all(re.search(r": (" + "|".join(map(re.escape, WORDS)) + ")( for [^:]+)?$", g.title.get_text()) for g in cells)


def test_a_source_that_leaves_out_a_caution_is_marked_so_not_as_differing(hosted):
    """Third clinical review, S4: on a row where a caution is left out, the sources that leave it out
    had the "differs" mark of a conflict. Ninth review: and the one that states it "agreed", with
    guidance silent; it states the caution, and agrees only as far as guidance supports it."""
    svg = soup_of(hosted.dir / "disagreements" / "index.html").select_one("figure.ci-map svg")
    report = json.loads((hosted.dir / "exports" / "findings.json").read_text(encoding="utf-8"))
    omissions = {t["question"]: t for t in report["topics"] if t["status"] == "omission" and not t["outdated"]}
    assert omissions, "no question where a caution is left out: this test has nothing to check"
    checked = 0
    for row in svg.select("g.ci-map__row"):
        topic = omissions.get(row.a.get_text())
        if topic is None:
            continue
        values = {c["source"]: c["value"] for c in topic["claims"]}
        levels = {c["source"]: "differs" if c["names"] else (c["mark"] or {}).get("level") for c in topic["claims"]}
        for g in row.find_all("g", recursive=False):
            sid = g.title.get_text().split(" ", 1)[0]
            # a mark that the source differs from guidance (its claim names a withdrawn treatment) comes first
            expected = ("silent" if sid not in values else "differs from guidance" if levels[sid] == "differs"
                        else "speaks only of another group" if values[sid] == "limited"
                        else "leaves it out" if values[sid] != "stated"
                        else {"partly": "partly agrees with guidance", "matches": "agrees with guidance"}.get(
                            levels[sid], "says it"))
            assert g.title.get_text().endswith(f": {expected}"), (topic["id"], g.title.get_text())
            checked += sid in values and values[sid] == "omitted" and levels[sid] != "differs"
    assert checked, "no source leaves out a caution on the map"


def test_a_source_guidance_supports_only_in_part_partly_agrees(hosted):
    """Eighth clinical review, M3: the map showed a plain "agrees" where the page's mark says "partly matches"."""
    svg = soup_of(hosted.dir / "disagreements" / "index.html").select_one("figure.ci-map svg")
    report = json.loads((hosted.dir / "exports" / "findings.json").read_text(encoding="utf-8"))
    topics = {t["question"]: t for t in report["topics"]}
    levels = {}
    for row in svg.select("g.ci-map__row"):
        marks = {c["source"]: (c["mark"] or {}).get("level") for c in topics[row.a.get_text()]["claims"]}
        for g in row.find_all("g", recursive=False):
            title = g.title.get_text()
            level = marks.get(title.split(" ", 1)[0])
            if level in ("matches", "partly"):
                levels[level] = levels.get(level, 0) + 1
                assert re.search(": agrees with guidance( for [^:]+)?$" if level == "matches" else ": partly agrees with guidance$",
                                 title), title
    assert levels.get("partly") and levels.get("matches"), f"the map has no cell to check: {levels}"


def test_each_row_links_to_its_question(hosted):
    page = hosted.dir / "disagreements" / "index.html"
    for link in soup_of(page).select("figure.ci-map svg a[href]"):
        href = link["href"]
        target, _, fragment = href.partition("#")
        target_page = (page.parent / target).resolve()
        target_page = target_page / "index.html" if target_page.is_dir() else target_page
        assert target_page.is_file(), href
        assert not fragment or soup_of(target_page).find(id=fragment), href  # a question with no block: its page


def test_map_has_no_script_and_nothing_external(hosted):
    svg = soup_of(hosted.dir / "disagreements" / "index.html").select_one("figure.ci-map svg")
    assert not svg.find_all(["script", "image", "foreignObject", "use"])
    assert not [a for tag in svg.find_all(True) for a in tag.attrs if a.lower().startswith("on")]
    assert all(not re.match(r"[a-z]+:", a["href"]) for a in svg.select("a[href]"))
    legend = " ".join(svg.get_text(" ").split())
    assert all(word in legend for word in WORDS)


def test_map_is_in_the_pdf_book(book_pdf):
    pages = pdf_text(book_pdf)
    assert any("differs from guidance" in p and "differs a little" in p for p in pages)


def test_map_has_a_guidance_column_and_labelled_groups(hosted):
    """Issue 20: a column for current guidance, a heading over each group of rows, the sources' labels."""
    svg = soup_of(hosted.dir / "disagreements" / "index.html").select_one("figure.ci-map svg")
    report = json.loads((hosted.dir / "exports" / "findings.json").read_text(encoding="utf-8"))
    topics = {t["question"]: t for t in report["topics"]}
    words = {"settles": "guidance settles it", "in-part": "guidance answers it only in part",
             "differs": "guidance differs from the sources", "named": "no answer in the guidance we use; see the notes",
             "silent": "the guidance we use is silent", "unreviewed": "not yet checked against guidance"}
    seen = set()
    for row in svg.select("g.ci-map__row"):
        t = topics[row.a.get_text()]
        res = t["resolution"]
        # review 24 S4: "settles it" beside an answer guidance backs only in part, neither backs nor rules out,
        # or cannot weigh said more than guidance does
        partial = {cell(t, c) for c in t["claims"]} & {"partly", "open"}
        # silent on the question, yet a cell's note says guidance advises against, or withdrew, a treatment named
        kind = ("differs" if t["outdated"] else "unreviewed" if not res and t["status"] in ("conflict", "omission", "variation")
                else ("in-part" if partial or res["in_part"] else "settles") if res and res["settles"]
                else "named" if any(c.get("notes") for c in t["claims"]) else "silent")
        assert row.select_one("svg.ci-map__guidance > title").get_text() == f"Current guidance: {words[kind]}"
        seen.add(kind)
    assert {"differs", "silent", "named"} <= seen and seen & {"settles", "in-part"}, seen  # which of the two: the data's
    groups = [" ".join(g.get_text().split()) for g in svg.select("text.ci-map__group")]
    shown = [t for t in report["topics"] if t["outdated"] or t["status"] in ("conflict", "omission", "variation")]
    assert sum(int(g.rsplit("(", 1)[1].rstrip(")")) for g in groups) == len(svg.select("g.ci-map__row")) == len(shown)
    assert groups[0].startswith("The sources disagree (")
    labels = [t.get_text() for t in svg.select("g.ci-map__labels text")]
    sources = sorted({c["source"] for t in report["topics"] for c in t["claims"]})
    assert len(labels) == len(sources) + 1 and labels[-1] == "Current guidance"


def test_the_map_rule_is_for_editors_and_patients_read_it_plainly(hosted):
    """Review 15, item 12: the caption a patient reads says in plain words (grade 7 or lower) what the marks are
    measured against; the full rule is folded "For editors" (a <details>, closed) with a link to the methods,
    and none of its sentences stands outside the fold."""
    soup = soup_of(hosted.dir / "disagreements" / "index.html")
    caption = copy.copy(soup.select_one("figure.ci-map figcaption"))  # soup_of is shared: cut a copy
    fold = caption.select_one("details.ci-map__rule")
    assert fold is not None and not fold.has_attr("open")
    assert fold.summary.get_text().startswith("For editors:")
    rule = " ".join(fold.p.get_text(" ").split())
    assert rule.startswith("What each mark is measured against"), rule
    assert any(a["href"].split("#")[0].rstrip("/").endswith("methods") or "methods/" in a["href"]
               for a in fold.select("a[href]"))
    fold.extract()
    plain = " ".join(caption.get_text(" ").split())
    for sentence in re.split(r"(?<=[.:]) ", rule):
        if len(sentence.split()) > 4:
            assert sentence not in plain, sentence
    told = plain[plain.index("A mark that names guidance"):]
    assert "guidance" in told and "other sources" in told, told
    assert textstat.flesch_kincaid_grade(told) <= 7, told


def test_the_books_map_legend_sends_editors_to_the_methods_with_its_page(book_pdf):
    """On paper the legend keeps the plain sentences; the full rule is in the book's methods, and the legend
    gives its page, which is where the methods' section on the marks begins."""
    pages = [" ".join(p.split()) for p in pdf_text(book_pdf)]
    found = [re.search(r"For editors: what each mark is measured against is in How this site was made "
                       r"\(page (\d+)\)", p) for p in pages]
    found = [m for m in found if m]
    assert found, "no pointer to the methods in the book's map legend"
    assert not any("What each mark is measured against, in its own words" in p for p in pages)
    for m in found:
        assert "How we resolved disagreements" in pages[int(m.group(1)) - 1], m.group(0)


def test_map_fits_a_phone_with_every_question_whole(hosted, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto((hosted.dir / "disagreements" / "index.html").as_uri())
    box = page.evaluate("""() => {
        const scroll = document.querySelector('.ci-map__scroll'), svg = scroll.querySelector('svg').getBoundingClientRect();
        const texts = [...scroll.querySelectorAll('svg text')].map(t => t.getBoundingClientRect());
        return {overflow: scroll.scrollWidth - scroll.clientWidth, left: svg.left, right: svg.right,
                outside: texts.filter(t => t.left < svg.left - 0.5 || t.right > svg.right + 0.5 || t.top < svg.top - 0.5).length,
                smallest: Math.min(...[...scroll.querySelectorAll('svg a text')].map(t => t.getBoundingClientRect().height))};
    }""")
    context.close()
    assert box["overflow"] <= 0 and box["left"] >= 0 and box["right"] <= 390, box
    assert box["outside"] == 0, box  # no label, question or legend word runs off the picture
    assert box["smallest"] >= 12, box  # the questions stay readable at phone width


def test_a_box_heading_never_contradicts_its_own_count(hosted):
    """Eleventh review, S10: "Sources disagree." over "3 partly agree, 2 silent" (all say no stitch for twins), and
    "Sources agree." over "1 differs from guidance". The heading follows the rows."""
    seen = partly = 0
    for page in hosted.dir.rglob("index.html"):
        for box in soup_of(page).select("details.evidence"):
            # review 15, item 12: the count is inside the fold, "For editors: N sources: ..."
            head = " ".join(box.summary.get_text(" ").split())
            line = box.select_one(".evidence__counts")
            text = " ".join(line.get_text(" ").split()) if line else ""
            found = re.match(r"For editors: \d+ sources: (.*)", text)
            if not found:
                continue
            counts = found.group(1)
            seen += 1
            kinds = {re.sub(r"^\d+ ", "", part).split(";")[0] for part in counts.split(", ")}
            if head == "Sources disagree.":
                assert kinds - {"agree", "agrees", "partly agree", "partly agrees", "silent"}, (page, text)
            if head == "Sources agree.":
                # review 17 S6: nor over "2 partly agree": agreeing with each other is not agreeing with guidance
                assert not any("differ" in k or "partly" in k for k in kinds), (page, text)
            partly += head == "Sources agree; guidance backs them only in part."
    assert seen, "no evidence box to check"
    assert partly, "no box of sources that agree with each other and only partly with guidance: the rule is untested"


def test_a_claim_only_one_source_makes_says_when_we_give_that_source_little_weight(hosted):
    """Review 24 S6: the list of what only one source says showed a blog's unsourced claims bare, as facts. Each item
    names its source and, where the source's appraisal gives it little weight (trust: low), says so; no other does."""
    import yaml

    from conftest import ROOT
    sources = yaml.safe_load((ROOT / "data" / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    low = {s["label"] for s in sources if s["appraisal"]["trust"] == "low"}
    assert low and len(low) < len(sources)
    page = soup_of(hosted.dir / "disagreements" / "index.html")
    items = page.find(id="single-source").find_next("ul").find_all("li")
    seen = {"low": 0, "other": 0}
    for li in items:
        text = " ".join(li.get_text(" ").split()).replace(" :", ":")
        for s in sources:
            if f"{s['label']} (a source we give little weight):" in text:
                assert s["label"] in low, text
                seen["low"] += 1
            elif f"{s['label']}:" in text:
                assert s["label"] not in low, f"a source we weigh low shown without it: {text[:120]}"
                seen["other"] += 1
    assert all(seen.values()), seen


def test_a_partly_mark_is_not_drawn_as_a_check(hosted):
    """Review 25 S1: "partly agrees" was a check mark in an outline circle, read as agreement. Every partly cell of the
    map is a half-filled circle with no check mark; only "agrees" draws one (web and the book's table)."""
    svg = soup_of(hosted.dir / "disagreements" / "index.html").select_one("figure.ci-map svg")
    partly = [t.parent for t in svg.find_all("title") if t.get_text().endswith("partly agrees with guidance")]
    agree = [t.parent for t in svg.find_all("title") if t.get_text().endswith(": agrees with guidance")]
    assert partly and agree
    assert all("✓" not in cell.get_text() and cell.find("path") is not None for cell in partly)
    assert all("✓" in cell.get_text() for cell in agree)
    table = soup_of(hosted.dir / "disagreements" / "index.html").select_one(".ci-map-paper__legend").get_text(" ")
    assert "◐ partly agrees with guidance" in " ".join(table.split()) and "(✓)" not in table


def test_no_paper_sign_is_part_of_another(hosted):
    """Review 29 S9: "?" (gives no number) sat inside "(?)" (guidance does not back it): on paper and on a phone the
    two read alike. Every sign of the book's legend is its own: none is another's part. On the web, each drawn mark
    differs from every other in its shape or its text."""
    legend = soup_of(hosted.dir / "disagreements" / "index.html").select_one(".ci-map-paper__legend")
    signs = [s.get_text().strip() for s in legend.select(".ci-map-paper__sign")]
    assert len(signs) >= 8 and len(set(signs)) == len(signs), signs
    assert not [(a, b) for a in signs for b in signs if a != b and a in b], signs
    svg = soup_of(hosted.dir / "disagreements" / "index.html").select_one("figure.ci-map svg")
    drawn = {}
    for title in svg.find_all("title"):
        if title.parent.name != "g" or not re.match(r"\w+ .*: ", title.get_text()):
            continue   # the picture's own title, the guidance column's words
        meaning = title.get_text().rsplit(": ", 1)[-1]
        mark = title.parent
        shape = tuple(sorted((c.name, c.get("transform", "") != "", c.get("stroke-dasharray", "") != "")
                             for c in mark.find_all(["rect", "circle", "path", "line", "polyline"])))
        drawn.setdefault(meaning, set()).add((shape, " ".join(t.get_text() for t in mark.find_all("text"))))
    assert len(drawn) >= 8 and all(len(v) == 1 for v in drawn.values()), drawn   # one look a meaning
    looks = [next(iter(v)) for v in drawn.values()]
    assert len(looks) == len(set(looks)), drawn   # and no two meanings look alike


def test_a_dash_means_silent_on_the_web_and_on_paper(hosted):
    """Review 103 S3: on the web a dash is "silent" and a boxed slash "leaves it out"; the book's table printed "−"
    for "leaves it out" and left a silent source blank, so one look meant two things. The drawn map's dash (a line
    and nothing else) means silent, and no sign of the paper table is a dash unless it means the same."""
    page = soup_of(hosted.dir / "disagreements" / "index.html")
    svg = page.select_one("figure.ci-map svg")
    dash = {t.get_text().rsplit(": ", 1)[-1] for t in svg.find_all("title") if t.parent.name == "g"
            and [c.name for c in t.parent.find_all(["rect", "circle", "path", "line", "text"])] == ["line"]}
    assert dash == {"silent"}, dash
    legend = page.select_one(".ci-map-paper__legend")
    said = {}
    for sign in legend.select(".ci-map-paper__sign"):
        said[sign.get_text().strip()] = str(sign.next_sibling).strip().split(";")[0]
    assert len(said) >= 8, said
    dashes = {sign: words for sign, words in said.items() if not sign.strip("-‐‑‒–—―−")}
    assert not dashes, dashes   # silent is a blank cell on paper: no dash-like sign at all


def test_a_range_question_with_one_number_says_only_one_source_gives_one(hosted):
    """Review 116 M1: a range question whose one numbered answer stood beside another source's answer in words with no
    week opened "One source says this." over two sources. Such a box opens "Only one source gives a number." and stays
    in the group of one source; its counts line says the one "says this". (On today's data no question is so: this
    takes a real single-source range question from the findings and gives it a second answer with no number.)"""
    from types import SimpleNamespace
    from website.cells import HEADING_GROUP, HEADINGS, counts_line, heading_of
    report = json.loads((hosted.dir / "exports" / "findings.json").read_text(encoding="utf-8"))
    topic = next(t for t in report["topics"] if t["kind"] == "range" and t["status"] == "single-source"
                 and not t["outdated"] and len(t["claims"]) == 1)
    sources = sorted({c["source"] for t in report["topics"] for c in t["claims"]})
    ctx = SimpleNamespace(sources=sources)
    assert HEADINGS[heading_of(ctx, topic)][1] == "One source says this."
    other = next(s for s in sources if s != topic["claims"][0]["source"])
    topic = {**topic, "claims": [*topic["claims"], {**copy.deepcopy(topic["claims"][0]), "source": other, "value": None,
                                                    "mark": None}]}
    key = heading_of(ctx, topic)
    assert HEADINGS[key][1] == "Only one source gives a number." and HEADING_GROUP[key] == "single-source"
    assert "1 says this, 1 gives no number" in counts_line(ctx, topic)


# The words a question's box opens with, by the group the disagreements page lists and counts it in.
BOX_WORDS = {"conflict": ("Sources disagree",), "omission": ("Some say what others leave out",),
             "outdated": ("Guidance differs",), "variation": ("Sources differ a little",),
             "single-source": ("One source says this", "Only one source gives a number"),
             "agree": ("Sources agree", "Sources fit together", "Sources say about the same")}


def test_each_question_s_box_names_the_group_it_is_counted_in(hosted):
    """Review 32 #2: the twins box said "Sources differ in wording" while the disagreements page counted it under
    "The sources disagree (6)", and so did the sheet of questions. Every question's box (its folded evidence, on
    its page) opens with the words of the group it is listed and counted in on the disagreements page; a question
    listed in no group is counted as agreeing, and its box says the sources agree (or fit together, or say about
    the same)."""
    page = soup_of(hosted.dir / "disagreements" / "index.html")
    listed = {}
    for group in BOX_WORDS:
        heading = page.find("h2", id=group)
        if heading is None:
            continue
        count = int(re.search(r"\((\d+)\)", heading.get_text()).group(1))
        items = heading.find_next_sibling("ul").find_all("li", recursive=False)
        assert len(items) == count, (group, count, len(items))  # a question with no box leads to its sentence
        listed.update({li.a["href"].rsplit("#", 1)[1]: group for li in items})
    boxes = 0
    for path in sorted(hosted.dir.rglob("index.html")):
        if "print_page" in path.parts:
            continue
        for box in soup_of(path).select("details.evidence[id^=topic-]"):
            words = " ".join(box.select_one(".evidence__status").get_text().split())
            group = listed.get(box["id"], "agree")
            assert words.startswith(BOX_WORDS[group]), f"{path}: {box['id']} says {words!r}, counted as {group}"
            answers = len(box.select("ul.evidence__sources > li"))
            if words.startswith("One source says this"):   # review 116 M1: it listed a second source, giving no week
                assert answers == 1, f"{path}: {box['id']} says {words!r} over {answers} sources' answers"
            boxes += 1
    assert boxes > 20 and "conflict" in listed.values()


def test_an_entry_without_a_summary_gives_each_source_a_line_of_its_own(hosted):
    """Review 35 #6: an entry with no editor's summary chained every source's answer and its notes with
    semicolons, 150 words in one paragraph (which treatments each source describes). Every such entry on the
    page lists its sources one a line, each starting with the source's name, from the findings."""
    soup = soup_of(hosted.dir / "disagreements" / "index.html")
    report = json.loads((hosted.dir / "exports" / "findings.json").read_text(encoding="utf-8"))
    topics = {t["question"]: t for t in report["topics"]}
    checked = 0
    for li in soup.select(".disagreements-all > ul > li"):
        t = topics[" ".join(li.a.get_text().split())]
        if t["resolution"] or len(t["claims"]) < 2:
            continue
        lines = li.select("ul.disagreements-all__claims > li")
        assert len(lines) == len(t["claims"]), (t["id"], len(lines))
        checked += 1
    assert checked >= 1  # the data has such an entry (a set topic with no summary)


def test_agreeing_questions_that_guidance_qualifies_are_listed_and_counted(hosted):
    """Review 39 #2: the page said "the sources simply agree on 43", and three of those boxes read "Sources agree;
    guidance partly." (now "... backs them only in part") (a stitch when the cervix opens or gets short, from one
    source with no past early birth, where guidance names narrower groups). Every question whose box says the
    sources agree but guidance backs them only in part, or differs for some, is listed under a heading of its own,
    and the first paragraph counts them among those that agree."""
    page = soup_of(hosted.dir / "disagreements" / "index.html")
    qualified = set()
    for path in sorted(hosted.dir.rglob("index.html")):
        if "print_page" in path.parts:
            continue
        for box in soup_of(path).select("details.evidence[id^=topic-]"):
            if " ".join(box.select_one(".evidence__status").get_text().split()).startswith("Sources agree;"):
                qualified.add(box["id"])
    assert qualified   # the data has such questions (three today)
    listed = set()
    for key in ("agree-guidance", "agree-partly"):
        heading = page.find("h2", id=key)
        if heading is None:
            continue
        items = heading.find_next_sibling("ul").find_all("li", recursive=False)
        assert int(re.search(r"\((\d+)\)", heading.get_text()).group(1)) == len(items)
        listed |= {li.a["href"].rsplit("#", 1)[1] for li in items}
    assert qualified <= listed, qualified - listed
    # a question with no box (its sentence is where it leads: said-...) is listed by the same rule as a boxed one
    assert all(a.startswith("said-") for a in listed - qualified), listed - qualified
    intro = _intro(page)
    assert re.search(rf"the sources agree on \d+: on {len(listed)} of these, current guidance backs some answers only in part", intro), intro


def test_the_print_page_draws_the_whole_map_as_one_image(hosted):
    """Review 98 M2: the page of all pages (and the offline copy's) turns the map into an image, cut at the first
    inner </svg> (each guidance mark is an <svg> of its own): the image held the header and one row, and the other
    rows spilled onto the page as loose marks. Every map there is one image that is whole SVG, with every row the
    web map has, and no part of a map is left outside it."""
    import base64
    import xml.etree.ElementTree as ET

    web = len(soup_of(hosted.dir / "disagreements" / "index.html").select("figure.ci-map svg g.ci-map__row"))
    printed = soup_of(hosted.dir / "print_page" / "index.html")
    images = printed.select("figure.ci-map img.ci-map__img")
    assert images, "the print page has no map image"
    for img in images:
        svg = ET.fromstring(base64.b64decode(img["src"].split(",", 1)[1]))   # raises on a cut SVG
        rows = [g for g in svg.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "ci-map__row"]
        assert len(rows) == web, (len(rows), web)
        figure = img.find_parent("figure")
        assert not figure.select("svg, g, text"), "part of the map is left outside its image"
