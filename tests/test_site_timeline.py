"""The timeline of weeks: made at build time from the findings, one table per question answered in
weeks, each source's range and the guidance range on one axis; on the disagreements page (all of
them) and in the evidence of each such question on its own page; on a phone, in the PDF book."""
from __future__ import annotations

import json
import re

import pytest
import yaml

from conftest import ROOT, pdf_text, soup_of, with_quotes
from website.timeline import readings, weeks_words
from reconcile.compare import STEP
from reconcile.phrases import WEEK_READINGS, mentions, parse


def _findings(site) -> dict:
    return with_quotes(json.loads((site / "exports" / "findings.json").read_text(encoding="utf-8")))


def _weeks_topics(site) -> list[dict]:
    topics = [t for t in _findings(site)["topics"]
              if t["kind"] == "range" and any(c["value"] for c in t["claims"])
              and all(c["value"] is None or c["value"]["unit"] == "weeks" for c in t["claims"])]
    assert len(topics) >= 3, "fewer than three questions answered in weeks: nothing much to draw"
    return topics


def _guidance_ranges() -> dict[str, list[str]]:
    """Topic -> the ranges (in words) that guidance facts state for it, read from data/guidance.yaml."""
    out: dict[str, list[str]] = {}
    for fact in yaml.safe_load((ROOT / "data" / "guidance.yaml").read_text(encoding="utf-8"))["facts"]:
        if fact.get("value", {}).get("unit") == "weeks":
            topics = fact["topic"] if isinstance(fact["topic"], list) else [fact["topic"]]
            for tid in topics:
                # review 57 S4: a range given for one kind only says which ("11 to 14 weeks, for a planned stitch")
                kind = f", for {fact['value']['for']}" if fact["value"].get("for") else ""
                # review 108 S10: "about" where the fact gives its range as about (its value says so: load.py)
                about = "about " if fact["value"].get("about") else ""
                out.setdefault(tid, []).append(about + weeks_words(fact["value"].get("min"), fact["value"].get("max")) + kind)
    return out


def _chart_topic(table, topics: list[dict]) -> dict:
    """The question a chart's table draws: its caption on a page of charts, else the evidence block it sits in (a
    question's own; on the print page the block's id is prefixed)."""
    block = table.find_parent("details", class_="evidence")
    if block is None:
        return next(t for t in topics if t["question"] == " ".join(table.caption.get_text().split()))
    return next(t for t in topics if re.search(r"topic-(.+)$", block["id"]).group(1) == t["id"].replace(".", "-"))


def _rows(table) -> list[tuple[str, str]]:
    """(who, weeks in words) of each row a screen reader reads; the drawn rows are hidden from it."""
    rows = []
    for tr in table.select("tbody tr"):
        if tr.get("aria-hidden") == "true":
            assert tr.select(".ci-timeline__bar") and not tr.find(["a", "button"])
            continue
        rows.append((" ".join(tr.th.get_text(" ").split()), " ".join(tr.td.get_text(" ").split())))
    return rows


def _expected(site, topic: dict) -> list[tuple[str, str]]:
    labels = {}
    for path in (site / "sources").glob("*/index.html"):  # a source page's h1: "LABEL (ID)"
        m = re.fullmatch(r"(.+) \((\d{3})\)", " ".join(soup_of(path).select_one("article h1").get_text().replace("¶", "").split()))
        labels[m.group(2)] = m.group(1)
    rows = [("guidance", w) for w in _guidance_ranges().get(topic["id"], [])]
    rows += [(f"{labels[c['source']]} {c['source']}", _words(c)) for c in sorted(topic["claims"], key=lambda c: c["source"])]
    return rows


def _stated(claim: dict) -> bool:
    """Read independently of the shortcode: does the quote itself give a week (a number or a trimester)?"""
    return any(m.kind == "weeks" for m in mentions(claim["quote"]))


def _words(claim: dict) -> str:
    """A source's weeks as its row says them: in its own words where its quote gives a week, else that it
    gives none (no reading of ours is drawn or compared)."""
    if _stated(claim):
        return " … ".join(f"“{m.text}”" for m in mentions(claim["quote"]) if m.kind == "weeks")
    return "no week given"


READING = re.compile(r"\b\d+(\.\d+)? to \d+(\.\d+)? weeks\b|\b\d+(\.\d+)? weeks on\b|\bup to \d+(\.\d+)? weeks\b")


def test_every_row_says_the_weeks_as_the_sources_quote_and_its_page_do(hosted):
    """Review, paper 3c: a row drawn from "in the 14th week" read "13 to 14 weeks", beside a quote that
    says 14th. On every page with a timeline (the disagreements page, each question's evidence) each
    source's row gives its weeks in words its quote has, verbatim, and the page shows that quote; a
    number of weeks the quote does not have is never said ("no week given")."""
    weeks = _weeks_topics(hosted.dir)
    claims = {(t["question"], c["source"]): c for t in weeks for c in t["claims"]}
    checked = 0
    for page in sorted(hosted.dir.rglob("index.html")):
        soup = soup_of(page)
        for table in soup.select("table.ci-timeline__table"):
            block = table.find_parent("details", class_="evidence")
            question = _chart_topic(table, weeks)["question"]
            shown = " ".join(" ".join(q.get_text(" ").split()) for q in (block or soup).select(".claim-quote"))
            for who, words in _rows(table):
                if who.startswith("Current guidance"):
                    continue
                claim = claims[(question, who.rsplit(" ", 1)[1])]
                own = re.findall(r"“(.+?)”", words)
                if own:
                    for phrase in own:
                        assert phrase in claim["quote"], (page, who, phrase)
                        # where the box shows the claim's words (excerpt.weighed), they hold the chart's phrase
                        assert block is None or not claim["shown"] or phrase in shown, \
                            f"{page}: the page does not show {phrase!r}"
                    assert not READING.search(words.replace("".join(f"“{o}”" for o in own), "")), (who, words)
                else:
                    assert words == "no week given", (page, who, words)
                checked += 1
    assert checked >= 20, checked


NAMES_APART = re.compile(r"differs from (?:the others|\d{3}(?:(?:, | and )\d{3})*)")


def _apart(topic: dict, claim: dict) -> set[str]:
    """The sources whose week range does not overlap this one's (touching counts as overlapping)."""
    def lo(v): return float("-inf") if v["min"] is None else v["min"]
    def hi(v): return float("inf") if v["max"] is None else v["max"]
    return {c["source"] for c in topic["claims"] if c["source"] != claim["source"] and c["value"]
            and not (lo(c["value"]) <= hi(claim["value"]) and lo(claim["value"]) <= hi(c["value"]))}


def test_a_row_that_differs_names_the_sources_it_differs_from(hosted):
    """Review 128 S1: 004's "somewhere around 14-16 weeks" lies inside 000's "14 to 20 weeks" and is apart only from
    001's "from the 20th week", yet its row said "differs from the others" (the map's ✗ says "differs from at least
    one other source", as the charts' keys do). The class: on every chart of every page, a source marked as
    differing from the other sources names exactly those whose weeks do not overlap its own, or says "the others"
    only when it is apart from every other source that gives weeks."""
    weeks = _weeks_topics(hosted.dir)
    seen = []
    def check(where, topic, sid, said):
        claim = next(c for c in topic["claims"] if c["source"] == sid)
        apart = _apart(topic, claim)
        others = {c["source"] for c in topic["claims"] if c["source"] != sid and c["value"]}
        named = set(re.findall(r"\d{3}", said))
        assert apart and (named == apart if named else apart == others and len(others) > 1), (where, sid, said, apart)
        seen.append((topic["id"], sid, said))
    for page in sorted(hosted.dir.rglob("index.html")):
        soup = soup_of(page)
        for table in soup.select("table.ci-timeline__table"):
            topic = _chart_topic(table, weeks)
            for tr in table.select("tbody tr.ci-timeline__row"):
                mark, code = tr.select_one(".ci-timeline__mark"), tr.select_one(".ci-timeline__code")
                said = mark.get_text().lstrip(": ").strip() if mark and code else ""
                if said.startswith("differs from") and said != "differs from guidance":
                    check(page, topic, code.get_text(strip=True), said)
    # a conflict in weeks that guidance does not settle has rows that differ from the others (today: when signs start)
    assert seen or not any(t["status"] == "conflict" and not (t["resolution"] or {}).get("settles")
                           for t in weeks), seen


def test_a_week_range_the_source_does_not_give_is_never_drawn_as_its_own(hosted):
    """Twelfth clinical review, M2: "early in pregnancy" read as up to 20 weeks is the site's reading. Such a
    row says so in words and gets no bar; every other row, and every guidance range, has its bar."""
    unstated = 0
    for topic in _weeks_topics(hosted.dir):
        page = hosted.dir / "disagreements" / "index.html"
        table = next(t for t in soup_of(page).select("table.ci-timeline__table")
                     if " ".join(t.caption.get_text().split()) == " ".join(topic["question"].split()))
        claims = topic["claims"]
        unstated += sum(not _stated(c) for c in claims)
        bars = len(table.select("tbody .ci-timeline__bar"))
        assert bars == len(_guidance_ranges().get(topic["id"], [])) + sum(_stated(c) for c in claims), topic["id"]
    assert unstated >= 1, "no row without a stated week: the rule is not exercised by this data"


def _check(table, expected):
    got = _rows(table)
    assert len(got) == len(expected), (got, expected)
    for (who, words), (want_who, want_words) in zip(got, expected):
        assert (who.startswith("Current guidance") if want_who == "guidance" else who == want_who), (who, want_who)
        assert (words == want_words if want_who == "guidance" else words.startswith(want_words)), (words, want_words)


def test_disagreements_page_draws_every_question_answered_in_weeks(hosted):
    tables = {" ".join(t.caption.get_text().split()): t
              for t in soup_of(hosted.dir / "disagreements" / "index.html").select(".ci-timeline table.ci-timeline__table")}
    topics = _weeks_topics(hosted.dir)
    assert list(tables) == [t["question"] for t in topics]
    for topic in topics:
        _check(tables[topic["question"]], _expected(hosted.dir, topic))
    # a disagreement is visible at a glance: the side guidance does not support is drawn apart, and says so
    removal = tables["When is the stitch taken out?"]
    assert removal.select(".ci-timeline__row--guidance") and removal.select(".ci-timeline__band")
    assert any("differs from guidance" in w for _, w in _rows(removal))
    assert removal.select(".ci-timeline__bar--guidance")


def test_each_question_page_has_its_small_timeline_in_the_evidence(hosted):
    for topic in _weeks_topics(hosted.dir):
        page = hosted.dir / topic["page"].removesuffix(".md").removesuffix("index") / "index.html"
        block = soup_of(page).find(id=f"topic-{topic['id'].replace('.', '-')}")
        assert block is not None, (topic["id"], page)
        tables = block.select(".ci-timeline--small table.ci-timeline__table")
        assert len(tables) == 1, topic["id"]
        _check(tables[0], _expected(hosted.dir, topic))


def test_a_guidance_row_says_about_where_its_fact_does(hosted):
    """Review 108 S10: the guidance row of the chart of when the stitch goes in read "11 to 14 weeks, for a planned
    stitch"; the fact (RCOG) says "at about 11 to 14 weeks". Every chart's guidance row, on every page, says "about"
    before its weeks exactly where its fact's own words give the range as about."""
    facts = {f["id"]: f for f in yaml.safe_load((ROOT / "data" / "guidance.yaml").read_text(encoding="utf-8"))["facts"]}
    seen, wrong = set(), []
    for page in sorted(hosted.dir.rglob("*.html")):
        for row in soup_of(page).select("tr.ci-timeline__row--guidance"):
            fact = facts[row["data-guidance"]]
            words = " ".join(row.select_one(".ci-timeline__words").get_text(" ").split())
            about = bool(re.search(r"\babout \d", " ".join(fact["says"].split())))
            seen.add((fact["id"], about))
            if words.startswith("about ") != about:
                wrong.append(f"{page.relative_to(hosted.dir)}: {fact['id']}: {words!r}")
    assert {a for _, a in seen} == {True, False}, seen  # a row of each kind is drawn
    assert not wrong, wrong


def test_weeks_in_words():
    assert weeks_words(26, 28) == "26 to 28 weeks"
    assert weeks_words(None, 24) == "up to 24 weeks"
    assert weeks_words(19, None) == "19 weeks on"
    assert weeks_words(36.5, 36.5) == "36.5 weeks"
    assert weeks_words(27 + 6 / 7, 27 + 6 / 7) == "27 weeks and 6 days"


@pytest.mark.parametrize("rel", ["disagreements/", "treatment/cerclage/"])
def test_timeline_fits_a_phone_and_its_bars_stay_on_the_axis(hosted, browser, rel):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto((hosted.dir / rel / "index.html").as_uri())
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    boxes = page.evaluate("""() => [...document.querySelectorAll('.ci-timeline__table')].map(t => {
        const r = t.getBoundingClientRect();
        const bars = [...t.querySelectorAll('.ci-timeline__bar')].map(b => {
            const box = b.getBoundingClientRect(), track = b.parentElement.getBoundingClientRect();
            return [box.left - track.left, track.right - box.right, box.width];
        });
        return {left: r.left, right: r.right, bars};
    })""")
    context.close()
    assert boxes
    for box in boxes:
        assert box["left"] >= 0 and box["right"] <= 390, box
        assert all(left >= -0.5 and right >= -0.5 and width >= 6 for left, right, width in box["bars"]), box


def test_timeline_is_in_the_pdf_book(book_pdf):
    pages = pdf_text(book_pdf)
    assert any("The weeks on a line" in p and "Current guidance" in p and "36 to 37 weeks" in p for p in pages)
    assert any("When is the stitch taken out?" in p and "Weeks of pregnancy" in p for p in pages)


# ------------------------------------------------------------------ how words become weeks (review 15, item 4)

def _methods_readings(site) -> list[tuple[str, str, str]]:
    """(example, reading, rule) of each row of the methods page's table of readings."""
    table = soup_of(site / "methods" / "index.html").select_one("table.ci-week-readings")
    assert table is not None, "methods/ does not list how words of weeks are read"
    return [tuple(" ".join(td.get_text(" ").split()) for td in tr.select("td")) for tr in table.select("tbody tr")]


def test_every_reading_a_chart_uses_is_listed_on_methods_from_the_table_the_code_reads(hosted):
    """Every week range a chart draws or compares is a reading of the source's own words by a rule of
    reconcile.phrases.WEEK_READINGS, and methods/ lists that rule, its example and what the code reads it as
    (the rows are made from that table: as many, in its order, each example read live). A claim's weeks that
    no rule gives from its quote ("early in pregnancy" as up to 20 weeks) fail here."""
    listed = _methods_readings(hosted.dir)
    # review 18 S6: made-up examples, not a source's words: in italics under "Words such as", never in quotes
    assert [row[0] for row in listed] == [example for example, _ in WEEK_READINGS.values()]
    table = soup_of(hosted.dir / "methods" / "index.html").select_one("table.ci-week-readings")
    assert table.th.get_text() == "Words such as" and len(table.select("tbody td em")) == len(WEEK_READINGS)
    for (example, reading, words), (rule, (ex, rule_words)) in zip(listed, WEEK_READINGS.items()):
        found = parse(ex)
        assert found.rule == rule and reading == weeks_words(found.value.min, found.value.max), (rule, reading)
        assert words == rule_words
    used = set()
    for topic in _weeks_topics(hosted.dir):
        for claim in topic["claims"]:
            weeks = [m for m in mentions(claim["quote"]) if m.kind == "weeks"]
            if claim["value"] is None:
                assert not weeks, (claim["id"], [m.text for m in weeks])
                continue
            assert len(weeks) == 1, (claim["id"], [m.text for m in weeks])
            value = weeks[0].value
            assert (claim["value"]["min"], claim["value"]["max"]) == (value.min, value.max), \
                f"{claim['id']}: drawn as {claim['label']}, but its words {weeks[0].text!r} read {value}"
            assert weeks[0].rule in WEEK_READINGS, (claim["id"], weeks[0].rule)
            used.add(weeks[0].rule)
    assert {"early-trimester", "before-nth", "around"} <= used, used  # the review's cases are in the data


def test_words_that_give_no_week_say_so_and_are_left_out_of_the_comparison(hosted):
    """Review 15, 4a: "early in pregnancy", "far enough that the baby should be born" give no week. Their row
    says "no week given" with no bar, and the question's status and pairs are those of the sources that give
    weeks alone (a reading of ours never makes a question "differ a little")."""
    from reconcile.compare import classify
    from reconcile.model import Claim, Range, Topic

    found = 0
    page = soup_of(hosted.dir / "disagreements" / "index.html")
    for topic in _weeks_topics(hosted.dir):
        silent = [c for c in topic["claims"] if c["value"] is None]
        if not silent:
            continue
        found += len(silent)
        given = [c for c in topic["claims"] if c["value"] is not None]
        assert not {c["id"] for c in silent} & {i for pair in topic["pairs"] for i in pair}, topic["id"]
        rule = Topic(topic["id"], topic["question"], topic["page"], "range", "overlap", "weeks", {}, None, None, None)
        as_given = classify(rule, [Claim(c["source"], topic["id"], Range(c["value"]["min"], c["value"]["max"], "weeks"),
                                         "", "") for c in given])
        assert topic["status"] == as_given[0], (topic["id"], topic["status"], as_given)
        table = next(t for t in page.select("table.ci-timeline__table")
                     if " ".join(t.caption.get_text().split()) == " ".join(topic["question"].split()))
        rows = dict((who.rsplit(" ", 1)[1], words) for who, words in _rows(table) if not who.startswith("Current"))
        for c in silent:
            assert rows[c["source"]] == "no week given", (topic["id"], rows[c["source"]])
    assert found >= 2, "no claim without a week: the rule is not exercised by this data"


BEFORE = ("before", "under", "less than")        # end where the Nth week starts: N-1 full weeks
UNTIL = ("until", "up to", "by", "no later than")  # take the Nth week in: to its end, N
FROM = ("from", "since", "starting from", "beginning from")  # take it in: from its start, N-1
AFTER = ("after", "beyond", "later than")        # start where it ends: N


@pytest.mark.parametrize("n", [2, 14, 20, 21, 22, 23, 24, 37])
def test_before_after_by_the_nth_week_follow_the_charts_key(n):
    """Review 15, 4c: the key says the Nth week starts after N-1 full weeks and ends at N. Every reading of
    "before/until/by/from/after the Nth week" follows it, for every modifier of the class and several N."""
    nth = f"{n}{'st' if n % 10 == 1 and n != 11 else 'nd' if n % 10 == 2 and n != 12 else 'rd' if n % 10 == 3 and n != 13 else 'th'}"
    alone = parse(f"in the {nth} week of pregnancy").value
    assert (alone.min, alone.max) == (n - 1, n)
    for words, expect in ([(w, (None, n - 1)) for w in BEFORE] + [(w, (None, n)) for w in UNTIL]
                          + [(w, (n - 1, None)) for w in FROM] + [(w, (n, None)) for w in AFTER]):
        found = parse(f"It happens {words} the {nth} week of pregnancy.")
        assert found is not None and found.kind == "weeks", words
        assert (found.value.min, found.value.max) == expect, (words, nth, found.value)
    # the key's example, as the charts' key is made (timeline.readings), is what the code reads
    (example,) = readings([f"It is done in the {nth} week of pregnancy."])["nth"]
    assert example["ordinal"] == nth and parse(f"the {nth} week").value.min == example["full"] == n - 1


def test_each_charts_key_explains_only_the_wordings_the_chart_has(hosted):
    """Review 16, S12: the key under a chart explains "the 14th week" (N-1 full weeks) only on a chart where a
    source gives an Nth week, and "around" or "about" only where a source's weeks say so; on every page. (The guidance
    row's "about", review 108 S10, is the fact's own word, not a reading of ours: the key does not explain it.)"""
    ordinal, approx = re.compile(r"\b\d+(st|nd|rd|th)\b"), re.compile(r"\b(around|about)\b", re.I)
    charts = 0
    for page in sorted(hosted.dir.rglob("*.html")):
        for chart in soup_of(page).select(".ci-timeline"):
            charts += 1
            key = chart.select_one(".ci-timeline__key").get_text(" ", strip=True)
            words = " ".join(w.get_text(" ", strip=True) for w in chart.select("tr.ci-timeline__row:not(.ci-timeline__row--guidance) .ci-timeline__words"))
            where = f"{page.relative_to(hosted.dir)}: {words[:80]}"
            assert ("full weeks" in key) == bool(ordinal.search(words)), f"Nth-week note wrong: {where}"
            # each Nth week its rows give, and only those (review 26 S11: "the 14th week" under charts with none; review
            # 130 S3: the shared chart of four questions explained "the 20th week" only, beside a bar that "before the
            # 24th week" ends at 23)
            explained = dict(re.findall(r"“the (\d+(?:st|nd|rd|th)) week” (?:starts )?after (\d+)", key))
            assert set(explained) == set(re.findall(r"\b(\d+(?:st|nd|rd|th)) week", words)), where
            for nth, full in explained.items():
                assert parse(f"the {nth} week").value.min == int(full), where
            assert ("“around” or “about”" in key) == bool(approx.search(words)), f"around note wrong: {where}"
    assert charts >= 5, charts


def test_every_bar_colour_is_in_its_charts_key_in_the_rows_words(hosted):
    """Review 30 M1, S2: a bar's colour is its row's mark, and every colour a chart draws is in that chart's key, in
    the words its row says ("differs from guidance" was a purple bar no key explained). Green means "matches
    guidance" only: a row with no mark against guidance is drawn in the neutral colour. On every built page."""
    charts = 0
    for page in sorted(hosted.dir.rglob("index.html")):
        for chart in soup_of(page).select("div.ci-timeline"):
            charts += 1
            key = {}
            for swatch in chart.select(".ci-timeline__key .ci-timeline__swatch"):
                (kind,) = [c for c in swatch["class"] if c.startswith("ci-timeline__bar--")]
                key[kind] = " ".join(swatch.next_sibling.strip().rstrip(".;").split())
            drawn = set()
            for tr in chart.select("tbody tr.ci-timeline__drawn"):
                bars = [b for b in tr.select(".ci-timeline__bar") if "ci-timeline__bar--guidance-range" not in b["class"]]
                if not bars:
                    continue
                (kind,) = [c for c in bars[0]["class"] if c.startswith("ci-timeline__bar--") and "open-" not in c
                           and c != "ci-timeline__bar--widened"]
                row = tr.find_previous_sibling("tr", class_="ci-timeline__row")
                mark = row.select_one(".ci-timeline__mark")
                said = mark.get_text().lstrip(": ").strip() if mark else ""
                said, _, for_kind = said.partition(" for ")  # the one kind a guidance range is for (review 102 M1)
                if for_kind:  # named by a guidance row of this very chart, and only beside a match
                    assert kind == "ci-timeline__bar--agree" and f", for {for_kind}" in " ".join(
                        " ".join(g.get_text(" ").split()) for g in chart.select(".ci-timeline__row--guidance")), (page, for_kind)
                assert kind in key, (page, kind, said)
                if kind == "ci-timeline__bar--differs":  # the row names whom it differs from (the key cannot)
                    assert NAMES_APART.fullmatch(said), (page, said)
                else:
                    assert said == key[kind] or (not said and kind == "ci-timeline__bar--plain"), (page, kind, said, key[kind])
                assert (kind == "ci-timeline__bar--agree") == (said == "matches guidance"), (page, said)
                drawn.add(kind)
            assert set(key) == drawn, (page, key, drawn)   # no colour in a key that its chart does not draw
            if chart.select(".ci-timeline__bar--guidance-range"):   # the guidance row's own bar (review 31 S5)
                assert chart.select_one(".ci-timeline__key .ci-timeline__key-guidance"), page
    assert charts >= 5


def _style_span(el, outer: tuple[float, float]) -> tuple[float, float]:
    """The (left, right) of an element drawn with a style of percentages, in the units of ``outer`` (its parent's
    (left, right)); a core is centred on its left (its CSS moves it back by half its width)."""
    left, width = (float(re.search(rf"{k}:\s*([\d.]+)%", el["style"]).group(1)) for k in ("left", "width"))
    lo, hi = outer
    if "ci-timeline__core" in el["class"]:
        left -= width / 2
    return lo + (hi - lo) * left / 100, lo + (hi - lo) * (left + width) / 100


def test_a_bar_beside_matches_guidance_is_drawn_inside_the_guidance_range(hosted):
    """Reviews 86 S4, 90 S1, 91 S2, 92 S2: "about 36 weeks" (003) was drawn from 35 to 37, a green bar reaching out of
    guidance's 36 to 37 beside "matches guidance" (the mark is weighed on the week the words name). On every built
    chart: the thick part of a bar whose row says "matches guidance" lies inside a guidance band of its chart; a bar
    has a thin part with a thick core exactly where its words say "around" or "about", and the core is the week they
    name."""
    charts = matched = widened = 0
    for page in sorted(hosted.dir.rglob("index.html")):
        for table in soup_of(page).select("div.ci-timeline table.ci-timeline__table"):
            charts += 1
            axis = float(table.select(".ci-timeline__tick")[-1].get_text())
            bands = [_style_span(b, (0, axis)) for b in table.select("tbody .ci-timeline__track")[0].select(".ci-timeline__band")]
            for tr in table.select("tbody tr.ci-timeline__drawn"):
                bar = next((b for b in tr.select(".ci-timeline__bar") if "ci-timeline__bar--guidance-range" not in b["class"]), None)
                row = tr.find_previous_sibling("tr", class_="ci-timeline__row")
                if bar is None or "ci-timeline__row--guidance" in row.get("class", []):
                    continue
                words = " ".join(row.select_one(".ci-timeline__words").get_text(" ").split())
                drawn = _style_span(bar, (0, axis))
                core = bar.select_one(".ci-timeline__core")
                around = bool(re.search(r"“[^”]*\b(?:around|about)\b[^”]*”", words, re.I))
                assert bool(core) == around == ("ci-timeline__bar--widened" in bar["class"]), (page.parent.name, words)
                thick = drawn
                if core is not None:
                    widened += 1
                    thick = _style_span(core, drawn)
                    named = [m.value for m in mentions(words) if m.kind == "weeks" and m.value is not None]
                    step = STEP["weeks"]   # how far the engine widens "about N" (guidance.stated)
                    assert any(abs(thick[0] - (v.min + step)) < 0.05 and abs(thick[1] - (v.max - step)) < 0.05
                               for v in named), (page.parent.name, words, thick)
                mark = row.select_one(".ci-timeline__mark")
                if mark is not None and mark.get_text().lstrip(": ").strip().partition(" for ")[0] == "matches guidance":
                    matched += 1
                    assert any(lo - 0.05 <= thick[0] and thick[1] <= hi + 0.05 for lo, hi in bands), \
                        (page.parent.name, words, thick, bands)
        for chart in soup_of(page).select("div.ci-timeline"):  # its key says what the thin line is, where one is drawn
            key = " ".join(chart.select_one(".ci-timeline__key").get_text(" ").split())
            assert ("The added weeks are a thin line" in key) == bool(chart.select(".ci-timeline__core")), (page, key)
    assert charts >= 5 and matched >= 1 and widened >= 2, (charts, matched, widened)


def test_a_bar_drawn_from_words_with_no_week_number_is_named_our_reading_in_its_key(hosted, book_pdf):
    """Review 94 M1, S4: "early in your second trimester" (003) drawn at 14 to 20 weeks, "second and third trimester"
    (000) at 14 to 40 and "the last month of pregnancy" (001) at 36 to 40: the weeks are the site's reading of the
    trimesters, not the source's, yet a chart's key explained only "the 14th week" and "around" (the reading stood in
    the evidence, and not at all where guidance gives no range). On every built chart, each row whose words are read
    by such a rule (guidance.WORD_READINGS) has its key say "We drew “WORDS” at WEEKS: our own reading", with the
    weeks its bar is drawn at; a key names no other reading so. The book's charts say it too."""
    from reconcile.guidance import WORD_READINGS

    charts = named = 0
    for page in sorted(hosted.dir.rglob("index.html")):
        for chart in soup_of(page).select("div.ci-timeline"):
            charts += 1
            key = " ".join(chart.select_one(".ci-timeline__key").get_text(" ").split())
            want = set()
            for table in chart.select("table.ci-timeline__table"):
                for who, words in _rows(table):
                    if who.startswith("Current guidance"):
                        continue
                    for phrase in re.findall(r"“(.+?)”", words):
                        for m in mentions(phrase):
                            if m.kind == "weeks" and m.rule in WORD_READINGS and m.value is not None:
                                want.add(f"We drew “{m.text}” at {weeks_words(m.value.min, m.value.max)}: our own reading")
            said = set(re.findall(r"We drew “[^”]+” at [^:]+: our own reading", key))
            assert said == want, (page.parent.name, sorted(want - said), sorted(said - want))
            named += len(want)
    assert charts >= 5 and named >= 3, (charts, named)
    book = " ".join(" ".join(p.split()) for p in pdf_text(book_pdf))
    assert re.search(r"We drew “[^”]+” at [^:]+ weeks: our own reading, as those words give no week number", book)


def test_a_bar_with_no_start_or_end_fades_and_its_key_says_so(hosted, book_pdf):
    """Review 40 #3: "until you're 36 weeks pregnant" (003) printed as a bar from week 0 (the web fades an open end
    with a CSS mask, which WeasyPrint does not draw). A chart with a bar open at an end says in its key that a bar
    fades where the words give no week, and only such a chart; the PDFs' stylesheet fades that end too."""
    from website import build_pdf

    charts = faded = 0
    for page in sorted(hosted.dir.rglob("index.html")):
        for chart in soup_of(page).select("div.ci-timeline"):
            charts += 1
            key = chart.select_one(".ci-timeline__key").get_text(" ", strip=True)
            has_open = bool(chart.select(".ci-timeline__bar--open-start, .ci-timeline__bar--open-end"))
            assert ("fades out" in key) == has_open, (page, key)
            faded += has_open
    assert charts >= 5 and faded >= 1, (charts, faded)
    assert any("A bar fades out at an end where those words give no week" in " ".join(p.split()) for p in pdf_text(book_pdf))
    css = " ".join(p.read_text(encoding="utf-8") for p in build_pdf.stylesheets([]))
    for rule in (r"\.ci-timeline__bar--open-start::before[^{]*\{[^}]*content", r"\.ci-timeline__bar--open-start::before\s*\{[^}]*linear-gradient\(to right, #fff"):
        assert re.search(rule, css), rule


def test_a_chart_says_once_how_the_words_it_quotes_were_checked():
    """Review 86 S8: a chart quotes each source's words for its weeks, and (unlike an evidence block) said nothing of
    checking them. Its key says it once: the day, when every quoted claim was verified that day; the first and last
    day when the days differ; that one did not match, or that some were not checked in this build."""
    from website.timeline import checked

    def c(verified, date=None):
        return {"verified": verified, "verification": {"date": date} if date else None}
    assert checked([]) == {}
    assert checked([c(True, "2026-11-23"), c(True, "2026-11-23")]) == {"date": "2026-11-23"}
    assert checked([c(True, "2026-12-04"), c(True, "2026-11-23")]) == {"between": ("2026-11-23", "2026-12-04")}
    assert checked([c(True, "2026-11-23"), c(False)]) == {"failed": True}
    assert checked([c(True, "2026-11-23"), c(None)]) == {"unchecked": True}


def test_every_chart_s_key_says_how_its_quotes_were_checked(hosted):
    """Every chart of weeks on every page says in its key how the words it quotes were checked; the chart of every
    question (disagreements) says what the findings say of those claims, read here on their own."""
    from website.timeline import checked
    site = hosted.dir
    keys = [(path, key) for path in site.rglob("*.html") for key in soup_of(path).select(".ci-timeline__key")]
    assert len(keys) >= 5, len(keys)
    bare = [str(path.relative_to(site)) for path, key in keys
            if not key.select(".verified time[datetime], .verified-between, .unverified")]
    assert not bare, f"charts whose key says nothing of checking their quotes: {bare}"
    stated = [c for t in _weeks_topics(site) for c in t["claims"] if c["value"]]
    want = checked(stated)
    key = soup_of(site / "disagreements" / "index.html").select(".ci-timeline__key")
    said = " ".join(" ".join(k.get_text(" ").split()) for k in key)
    if "date" in want:
        assert f"(verified against the saved source on {want['date']} )" in said or \
            f"(verified against the saved source on {want['date']})" in said, said[:300]
    else:
        assert "verified against the saved sources between" in said or "not checked" in said or "did not match" in said
