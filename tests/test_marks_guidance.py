"""What a mark says it is measured against, checked by rule on the built site (thirteenth clinical review).

One test a class:
- a source that says nothing on a question (no claim, or a claim that only leaves it out) is never "differs from
  guidance" there: not in the map, not in the question's box, not in its counts (S1);
- "guidance settles it", and every mark that says it rests on guidance, rest on a fact that names that very
  question (``topic:`` in data/guidance.yaml, read here by the test itself) (S2);
- a definition (a topic with ``role: definition``) gives no advice: a withdrawn treatment it names gets a plain
  note with its key, never "differs from current guidance" (S5);
- /methods/ states the rule the marks follow, for every class the data holds (S6);
- each mark of the map says in its own words what it is measured against: guidance, or the other sources (S8).
"""
from __future__ import annotations

import copy
import json
import re

import pytest
import yaml

from conftest import ROOT, soup_of, with_quotes
from website.pagecontext import NOTE_LEAD
from test_marks_follow import DIFFERS, covered_facts, keys_of, named_facts, words

FACTS = yaml.safe_load((ROOT / "data" / "guidance.yaml").read_text(encoding="utf-8"))["facts"]


def topics_of(fact: dict) -> set[str]:
    t = fact.get("topic", [])
    return {t} if isinstance(t, str) else set(t)


SPEAKS = {f["id"]: topics_of(f) for f in FACTS}
ROLES = {t["id"]: t.get("role") for path in sorted((ROOT / "data" / "topics").glob("*.yaml"))
         for t in yaml.safe_load(path.read_text(encoding="utf-8"))["topics"]}


@pytest.fixture(scope="module")
def report(hosted):
    return with_quotes(json.loads((hosted.dir / "exports" / "findings.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def map_rows(hosted):
    svg = soup_of(hosted.dir / "disagreements" / "index.html").select_one("figure.ci-map svg")
    return {row.a.get_text(): row for row in svg.select("g.ci-map__row")}


def cells(row) -> dict[str, str]:
    """Each source's cell of a map row: source id -> the words of its mark (without the kind of treatment an
    agreement holds for: test_the_map_and_the_weeks_charts_say_the_kind_a_match_holds_for reads that)."""
    return {g.title.get_text().split(" ", 1)[0]: g.title.get_text().split(": ", 1)[1].partition(" for ")[0]
            for g in row.find_all("g", recursive=False)}


def page_of(hosted, topic: dict):
    return soup_of(hosted.dir / topic["page"].removesuffix(".md").removesuffix("index") / "index.html")


def box_id(topic_id: str) -> str:
    """The id of a question's evidence box on its page."""
    return "topic-" + re.sub(r"[^a-z0-9]+", "-", topic_id).strip("-")


def box_counts(page, topic: dict) -> str:
    box = page.find(id=box_id(topic["id"]))
    return words(box.select_one(".evidence__counts").get_text(" ")).removeprefix("For editors: ") if box else ""


def test_a_source_that_says_nothing_on_a_question_never_differs_from_guidance_there(hosted, report, map_rows):
    checked = []
    for t in report["topics"]:
        quiet = {c["source"]: c for c in t["claims"] if c["implied"]}
        for c in quiet.values():
            assert not c["names"] and (c["mark"] or {}).get("level") != "differs", c["id"]
            page = page_of(hosted, t)
            item = page.find(id=f"claim-{c['id'].replace('.', '-')}-here")
            if item is not None:
                assert not DIFFERS.search(words(item.get_text(" "))), (c["id"], words(item.get_text(" ")))
            # the quote of such a claim may well name a withdrawn treatment: that is the case that was marked
            checked.append(bool(named_facts(c["quote"]) or covered_facts(c, t, report)))
        if t["question"] in map_rows:
            for sid, word in cells(map_rows[t["question"]]).items():
                if sid in quiet or sid not in {c["source"] for c in t["claims"]}:
                    assert word in ("leaves it out", "silent"), (t["id"], sid, word)
        # the box's count of sources that differ from guidance counts only sources with words there
        speaking = [c for c in t["claims"] if not c["implied"]]
        differ = sum(bool(c["names"]) or (c["mark"] or {}).get("level") == "differs"
                     or (t["outdated"] and (c["mark"] or {}).get("level") not in ("matches", "partly", "uncompared"))
                     for c in speaking)   # an answer the cited guidance does not speak to is not compared (data/README)
        counts = box_counts(page_of(hosted, t), t)
        if counts:
            m = re.search(r"(\d+) differs? from guidance", counts)
            assert (int(m.group(1)) if m else 0) == differ, (t["id"], counts)
    assert any(checked), "no claim leaves a question out while its quote names a withdrawn treatment"


def test_guidance_settles_a_question_and_marks_rest_only_on_facts_that_speak_to_it(hosted, report, map_rows):
    seen = {"settles": 0, "silent-with-facts": 0, "marks": 0}
    for t in report["topics"]:
        res = t["resolution"]
        speaking = [g for g in (res or {}).get("guidance", []) if t["id"] in SPEAKS[g]]
        for c in t["claims"]:
            mark = c["mark"] or {}
            if mark.get("level") in ("matches", "partly", "differs"):
                seen["marks"] += 1
                assert all(t["id"] in SPEAKS[g] for g in mark["guidance"]), (c["id"], mark)
        settles = bool(res and not res["guidance_silent"] and speaking)
        assert bool(res and res["settles"]) == settles, t["id"]
        if t["question"] in map_rows and not t["outdated"]:
            title = map_rows[t["question"]].select_one("svg.ci-map__guidance > title").get_text()
            assert title.endswith(("guidance settles it", "guidance answers it only in part")) == settles, (t["id"], title)
            seen["settles"] += settles
            seen["silent-with-facts"] += bool(res and res["guidance"] and not speaking)
        if res and not speaking and not t["outdated"]:
            # the page says guidance does not settle it, with the facts it cites for the treatments named there
            box = page_of(hosted, t).find(id=box_id(t["id"]))
            if box is not None:
                assert "The guidance we use does not settle this." in words(box.get_text(" ")), t["id"]
    assert all(seen.values()), seen  # a settled row, a row citing facts that do not settle it, and marks


def test_a_definition_carries_a_note_not_a_differs_mark(hosted, report):
    checked = []
    for t in report["topics"]:
        if ROLES.get(t["id"]) != "definition":
            continue
        counts = box_counts(page_of(hosted, t), t)
        assert "from guidance" not in counts, (t["id"], counts)
        for c in t["claims"]:
            facts = named_facts(c["says"] + " " + c["quote"]) | covered_facts(c, t, report)
            assert not c["names"] and (c["mark"] or {}).get("level") != "differs", c["id"]
            if not facts or c["implied"]:
                continue
            checked.append(c["id"])
            assert {n["guidance"] for n in c["notes"]} >= facts, c["id"]
            src = soup_of(hosted.dir / "sources" / c["source"] / "index.html")
            shown = [src.find(id=f"claim-{c['id'].replace('.', '-')}"),
                     page_of(hosted, t).find(id=f"claim-{c['id'].replace('.', '-')}-here")]
            for el in filter(None, shown):
                text = words(el.get_text(" "))
                assert not DIFFERS.search(text), (c["id"], text)
                assert NOTE_LEAD.strip() in text and all(k in text for f in facts for k in keys_of(f)), (c["id"], text)
                # the note says what the fact's own note says (why the shots were withdrawn: review 64 M1)
                said = [" ".join(f["note"].split()) for f in FACTS if f["id"] in facts and f.get("note")]
                assert all(s in text for s in said), (c["id"], said, text)
    assert checked, "no definition names a withdrawn or discouraged treatment: nothing to check"


def test_the_methods_page_states_the_rule_the_marks_follow(hosted, report):
    """The rule, as /methods/ states it, against what the marks do: every claim that names or rests on the
    treatment carries the mark (test_marks_follow); never every claim of such a source, whatever the question."""
    text = words(soup_of(hosted.dir / "methods" / "index.html").select_one("article").get_text(" "))
    rule = next(s for s in re.split(r"(?<=\.)\s+(?=[A-Z])", text) if "differs from current guidance" in s)
    claims = [(t, c) for t in report["topics"] for c in t["claims"]]
    naming = {c["source"] for _, c in claims if c["names"]}
    unmarked = {c["source"] for t, c in claims if not c["names"] and not c["mark"] and not t["outdated"]}
    if naming & unmarked:  # a source's other words go unmarked: the page must not say "whatever the question"
        assert "whatever the question" not in text and "wherever its words are shown" not in text, rule
        assert re.search(r"every claim that names .* or rests on it", rule), rule
    if any(c["implied"] and named_facts(c["quote"]) for _, c in claims):
        assert "leaves a question out gets no mark" in text
    if any(c["notes"] for _, c in claims):
        assert re.search(r"definition .* gets a plain note instead of the mark", text)


WITH_GUIDANCE = {"agrees with guidance", "partly agrees with guidance", "differs from guidance",
                 "guidance does not back it", "cannot be compared with guidance",
                 "gives no number, so it is not compared"}
WITH_SOURCES = {"differs from at least one other source", "differs a little from the other sources"}


def test_each_map_mark_says_what_it_is_measured_against(report, map_rows):
    topics = {t["question"]: t for t in report["topics"]}
    between, weighed_on_settled = [], set()
    for question, row in map_rows.items():
        t = topics[question]
        by_source = {c["source"]: c for c in t["claims"]}
        for sid, word in cells(row).items():
            c = by_source.get(sid)
            weighed = c is not None and not c["implied"] and (
                (c["mark"] or {}).get("level") in ("matches", "partly", "differs", "open", "uncompared")
                or c["names"] or t["outdated"])
            if weighed:
                assert word in WITH_GUIDANCE, (t["id"], sid, word)
                if t["resolution"] and t["resolution"]["settles"]:
                    weighed_on_settled.add(word)
            elif word not in ("says it", "speaks only of another group", "leaves it out", "silent",
                              "agrees with guidance",
                              "partly agrees with guidance",  # the same value as the side guidance supports
                              "gives no number, so it is not compared"):  # measured against nothing
                assert word in WITH_SOURCES, (t["id"], sid, word)
                if t["resolution"] and t["resolution"]["settles"]:
                    between.append((t["id"], sid, word))
    # review 15, S3: on a question guidance settles, every source that answers it is weighed against guidance
    # (a mark, or the plain words that it cannot be compared), never only against the other sources
    assert between == [], between
    assert {"partly agrees with guidance", "guidance does not back it",
            "cannot be compared with guidance"} <= weighed_on_settled, weighed_on_settled


def test_the_map_on_paper_says_the_same_as_the_map_on_screen(hosted):
    """The book's map is a table with its own legend: it gives each mark the same words, and says what the marks
    are measured against in the same sentence, as the drawn map (the book's legend had the old, wrong rule)."""
    soup = soup_of(hosted.dir / "disagreements" / "index.html")
    caption = words(soup.select_one("figure.ci-map figcaption").get_text(" "))
    legend = words(soup.select_one(".ci-map-paper__legend").get_text(" "))
    fold = soup.select_one("figure.ci-map figcaption details.ci-map__rule")
    rule = words(fold.p.get_text(" "))
    assert rule.startswith("What each mark is measured against"), rule
    plain = caption[caption.index("A mark that names guidance"):caption.index("For editors")]
    assert plain in legend, (plain, legend)  # the same plain words; the book's methods state the rule (test_site_map)
    drawn = {words(t.get_text()) for t in soup.select("figure.ci-map svg > text")}
    for word in WITH_GUIDANCE | WITH_SOURCES | {"says it", "speaks only of another group", "leaves it out"}:
        assert word in drawn and word in legend, word


# Review 51 M3: data/guidance.yaml holds a short list of points from each guideline, so that no point of the list
# says a thing does not show that the guideline does not: a sentence saying guidance does not say, give, name,
# list, cover or speak to something says "the guidance we use" (methods says what that is), on every page.
# review 53 M2/M3: "is silent", "says nothing", and a list with what it leaves out ("lists X, but not Y", "lists X,
# not every Y") say what it does not say too
# review 54 M1: and in the passive ("Guidance: ...; for a short cervix (...), no week is given")
_NOT = (r"(?:does not|doesn't|do not|gives no|give no|names no|has no|sets no)\s+(?:say|give|name|list|cover|speak|call|rule|"
        r"week|number|main|syndrome|use|offer|mention)|is silent\b|says? nothing|"
        r"lists\b[^.;:?!()]{0,80}?,\s*(?:but\s+)?not\s+(?:every|other|all|any|a|an|the)\b")
PASSIVE = re.compile(r"\bguidance\b.{0,240}?\bno (?:week|number|rule|time|cause|name)s? (?:is|are) (?:given|named|set)\b", re.I)
ABSENT = re.compile(r"\bguidance\b(?:(?![.;:?!]\s)[^.;:?!,()]){0,50}?\b(?:" + _NOT + ")", re.I)
# review 52 M1: "it" for guidance, in the sentence after one that starts with it or in a later clause of one
ABSENT_IT = re.compile(r"(?:^|[;,]\s*|\bthough\s+)it\s+(?:" + _NOT + ")", re.I)


def built_articles(hosted):
    """(page, its article) of every built page that has one, in order: the trees soup_of shares (copy before cutting)."""
    for page in sorted(hosted.dir.rglob("index.html")):
        article = soup_of(page).select_one("article")
        if article is not None:
            yield page, article


def test_what_guidance_does_not_say_is_said_of_the_guidance_we_use(hosted):
    wrong, absences = [], 0
    for page, article in built_articles(hosted):
        article = copy.copy(article)   # soup_of's tree is shared by every test: a copy to cut the map out of
        # the map's guidance column, drawn and on paper: a cell where guidance is silent says whose silence it is
        for cell in article.select("svg.ci-map__guidance > title, td.ci-map-paper__guidance, svg text"):
            said = " ".join(cell.get_text(" ").split())
            if re.search(r"\bsilent\b|\bnothing\b", said) and "guidance" in said.lower() or cell.name == "td" and "silent" in said:
                absences += 1
                if "we use" not in said:
                    wrong.append(f"{page.parent.relative_to(hosted.dir)}: the map's guidance column: {said}")
        for x in article.select("svg, .ci-map__scroll, .ci-map-paper__legend"):   # the map's legend: its mark words, defined on the page
            x.decompose()
        before = ""
        for sentence in re.split(r"(?<=[.!?])\s+", " ".join(article.get_text(" ").split())):
            found = list(ABSENT.finditer(sentence)) + list(PASSIVE.finditer(sentence))
            if re.match(r"(?:current )?guidance\b", before, re.I) or re.match(r"(?:current )?guidance\b", sentence, re.I):
                found += list(ABSENT_IT.finditer(sentence))
            for m in found:
                absences += 1
                if "we use" not in sentence[max(0, m.start() - 20):m.end()] or m.re is PASSIVE and "we use" not in m.group(0)[-60:]:
                    wrong.append(f"{page.parent.relative_to(hosted.dir)}: {sentence[:160]}")
            before = sentence
    assert absences, "no page says what guidance does not say: the rule reads nothing"
    assert not wrong, wrong


# Review 53 S4: guidance's short cervix that makes an early birth more likely is one seen on an ultrasound in the
# second trimester; said without when, it reads as any short cervix at any time. Every sentence and word
# explanation (the glossary's, shown on every page and in the handouts) that says so says when.
RISK = re.compile(r"\bshort cervix\b.{0,120}?\b(?:more likely|raises the (?:chance|risk))|"
                  r"\b(?:more likely|raises the (?:chance|risk))\b.{0,60}?\bshort cervix\b", re.I)
WHEN = re.compile(r"\bmiddle (?:months|of pregnancy)\b|\bsecond[- ]trimester\b", re.I)


def test_a_short_cervix_that_raises_the_risk_is_one_seen_in_the_middle_months(hosted):
    said, wrong = 0, []
    for page, article in built_articles(hosted):
        # the glossary's words (titles, shown on every page; the handouts list them), and each paragraph, item
        # or cell: "A short cervix alone does not mean you have it. But it makes an early birth more likely."
        texts = [f"{abbr.get_text()}: {abbr['title']}" for abbr in article.select("abbr[title]")]
        texts += [" ".join(block.get_text(" ").split()) for block in article.select("p, li, td, dd")]
        for text in texts:
            if RISK.search(text) and "not say" not in text:
                said += 1
                if not WHEN.search(text):
                    wrong.append(f"{page.parent.relative_to(hosted.dir)}: {text[:160]}")
    assert said, "no page says a short cervix makes an early birth more likely: the rule reads nothing"
    assert not sorted(set(wrong)), sorted(set(wrong))


# Review 54 M3: guidance's rule for a stitch for a short cervix holds for one baby, after an early birth before 34 weeks
# that started on its own (not one doctors started), with a cervix under 25 mm before 24 weeks. Every paragraph, item
# or cell that gives the rule (its 25 mm and its 34 weeks) gives all of it: without "started on its own" it reads as
# any early birth (the cerclage timing summary and the map's timing line had dropped it). Review 96 M2: and "one
# baby" belongs to the sentence that gives it, or to the sentences it continues, not to another guidance's rule
# before it (cerclage.evidence: "UK guidance offers a planned stitch to a person pregnant with one baby ... A stitch
# may also be considered for a cervix under 25 mm before 24 weeks ...").
OTHER_GUIDANCE = re.compile(r"\bUK\b|\bRCOG\b|\bFDA\b")   # how the pages name guidance other than the US rule's


def _one_baby_said(sentences: list[str], i: int) -> bool:
    """Whether sentence ``i`` names one baby, or continues sentences back to one that does, none of them naming
    another guidance's rule."""
    for j in range(i, -1, -1):
        if j < i and OTHER_GUIDANCE.search(sentences[j]):
            return False
        if re.search(r"\bone baby\b|singleton", sentences[j], re.I):
            return True
    return False


def test_the_short_cervix_stitch_rule_is_given_whole_wherever_it_is_given(hosted):
    given, wrong = 0, []
    for page, article in built_articles(hosted):
        for block in article.select("p, li, td, dd"):
            if block.find(["p", "li"]):   # the innermost block says it
                continue
            text = " ".join(block.get_text(" ").split())
            if re.search(r"\b25 ?mm\b", text) and re.search(r"\b34 weeks\b", text):
                given += 1
                sentences = re.split(r"(?<=[.!?])\s+", text)
                missing = [] if re.search(r"started on its own|spontaneous", text, re.I) else ["started on its own"]
                missing += ["one baby"] if not all(_one_baby_said(sentences, i) for i, sentence in enumerate(sentences)
                                                   if re.search(r"\b25 ?mm\b", sentence)) else []
                if missing:
                    wrong.append(f"{page.parent.relative_to(hosted.dir)}: no {' and no '.join(missing)}: {text[:200]}")
    assert given, "no page gives the rule for a stitch for a short cervix: the test reads nothing"
    assert not sorted(set(wrong)), sorted(set(wrong))


# Review 100 M2: UK guidance says an emergency stitch "can be considered" up to 27 weeks and 6 days; the map's short
# answers said "emergency stitch to 27 weeks, 6 days", which reads as a standard offer. Every clause of every built
# page (its text, the drawn map's too) and of the exports that gives the emergency stitch's weeks says it may be
# considered.
EMERGENCY = re.compile(r"emergency stitch[^.;]*?\b27 ?(?:weeks|\+ ?6)|\b27 ?(?:weeks|\+ ?6)[^.;]*?emergency stitch", re.I)


def _clauses_of_the_emergency_rule(text: str) -> list[str]:
    return [clause for clause in re.split(r"(?<=[.;])\s+", " ".join(text.split())) if EMERGENCY.search(clause)]


def test_the_emergency_stitch_is_said_to_be_considered_wherever_its_weeks_are_given(hosted):
    given, wrong = 0, []
    texts = [(str(page.parent.relative_to(hosted.dir)), soup_of(page).get_text(" "))
             for page in sorted(hosted.dir.rglob("index.html"))]
    texts += [(name, (hosted.dir / "exports" / name).read_text(encoding="utf-8"))
              for name in ("findings.csv", "findings.json", "claims.csv")]
    for where, text in texts:
        for clause in _clauses_of_the_emergency_rule(text):
            given += 1
            if not re.search(r"\bconsider", clause, re.I):
                wrong.append(f"{where}: {clause[:200]}")
    assert given >= 4, f"the emergency stitch's weeks are given {given} times: the rule reads nothing"
    assert not sorted(set(wrong)), sorted(set(wrong))


# Review 58 S3: guidance takes a stitch put in through the vagina out at 36 to 37 weeks "in an uncomplicated
# pregnancy"; said without it, the weeks read as the rule for every pregnancy (the cerclage page's opening, the
# treatment overview's "which says 36 to 37 weeks"). Every paragraph, item or cell that says the stitch comes out
# at those weeks says when the rule holds (or points to the line above that does).
REMOVAL = re.compile(r"\b(?:comes? out|taken out|removed|says)\b[^.]{0,40}?\b36 (?:to|-|–) ?37 weeks\b", re.I)


def test_the_removal_weeks_are_given_with_their_condition_wherever_they_are_given(hosted):
    given, wrong = 0, []
    for page, article in built_articles(hosted):
        for block in article.select("p, li, td, dd"):
            if block.find(["p", "li"]):
                continue
            text = " ".join(block.get_text(" ").split())
            if REMOVAL.search(text):
                given += 1
                if not re.search(r"\bno problems\b|\buncomplicated\b|\bas above\b", text, re.I):
                    wrong.append(f"{page.parent.relative_to(hosted.dir)}: {text[:200]}")
    assert given >= 4, "hardly a page gives the stitch's removal weeks: the rule reads nothing"
    assert not sorted(set(wrong)), sorted(set(wrong))


def test_each_guidance_citation_links_every_fact_it_rests_on(hosted, report):
    """A resolution's guidance line and its summary's brackets lead to each fact the resolution rests on, not only
    to the first fact with the same key (review 67 S1: "RCOG GTG 75" beside the emergency stitch led to the
    planned-stitch row); no link leads to a fact it does not rest on."""
    wrong, seen = [], 0
    pages = {page: soup_of(page) for page in sorted(hosted.dir.rglob("index.html"))}
    for topic in report["topics"]:
        res = topic.get("resolution") or {}
        if not res.get("guidance"):
            continue
        want = {"guidance-" + gid.removeprefix("guidance.") for gid in res["guidance"]}
        for page, soup in pages.items():
            box = soup.find(id=box_id(topic["id"]))
            if box is None:
                continue
            for line in box.select(".resolution-cite, .short-cite"):
                got = {a["href"].rsplit("#", 1)[-1] for a in line.select("a") if "#guidance-" in a["href"]}
                seen += 1
                if got != want:
                    wrong.append(f"{page.relative_to(hosted.dir)} {topic['id']}: {sorted(got)} != {sorted(want)}: "
                                 f"{words(line.get_text(' '))}")
    assert seen > 20, seen
    assert not wrong, "\n".join(wrong)


def test_a_match_with_guidance_given_for_one_kind_says_that_kind(hosted, report):
    """Review 68 S2: 000's "usually put in between 12 and 14 weeks" read "(matches current guidance: RCOG GTG 75)",
    though guidance gives 11 to 14 weeks for a planned stitch only. Every "matches" mark whose facts all give their
    range for one kind (``value.for`` in data/guidance.yaml) names that kind; no other mark does ("partly matches"
    says guidance backs only part, and its reason which part)."""
    kind_of = {f["id"]: (f.get("value") or {}).get("for") for f in FACTS}
    checked, wrong = 0, []
    for topic in report["topics"]:
        page = None
        for claim in topic["claims"]:
            mark = claim.get("mark") or {}
            if mark.get("level") not in ("matches", "partly") or not mark.get("guidance"):
                continue
            kinds = [kind_of[g] for g in mark["guidance"]]
            kind = kinds[0] if mark["level"] == "matches" and all(kinds) and len(set(kinds)) == 1 else None
            page = page or page_of(hosted, topic)
            row = page.find(id=f"claim-{claim['id'].replace('.', '-')}-here")
            if row is None:
                continue
            text = words(row.get_text(" "))
            said = re.search(r"\((?:partly )?matches current guidance( for [^:]*)?:", text)
            checked += 1
            if said is None or (said.group(1) or "").removeprefix(" for ") != (kind or ""):
                wrong.append(f"{claim['id']}: expected kind {kind!r}: {text[:200]}")
    assert checked > 3, checked
    assert any(kind_of.values())  # the data has a range given for one kind
    assert not wrong, "\n".join(wrong)


def test_an_evidence_box_says_once_that_guidance_does_not_settle_it(hosted):
    """Review 100 S9: diagnosis.history's box read "... so it does not settle this. The guidance we use does not
    settle this.": its summary said what the box's own line (ci-evidence.html, for every resolution that finds
    guidance silent) says after it. No box says it twice."""
    boxes, twice = 0, []
    for page, article in built_articles(hosted):
        for box in article.select("details.evidence"):
            said = len(re.findall(r"does not settle (?:this|it)", " ".join(box.get_text(" ").split()), re.I))
            boxes += said > 0
            if said > 1:
                twice.append(f"{page.parent.relative_to(hosted.dir)}: {box.get('id')}")
    assert boxes, "no box says guidance does not settle it: the test reads nothing"
    assert not sorted(set(twice)), sorted(set(twice))


def _match_kinds(report) -> dict[tuple[str, str], str]:
    """(question, source) -> the one kind of treatment the guidance a source's answer matches gives its range for; a
    source whose answer takes the side of another's match in a conflict (the same value, no mark of its own) agrees
    for that match's kind."""
    kind_of = {f["id"]: (f.get("value") or {}).get("for") for f in FACTS}
    want = {}
    for topic in report["topics"]:
        for claim in topic["claims"]:
            mark = claim.get("mark") or {}
            if mark.get("level") == "matches" and mark.get("guidance"):
                kinds = {kind_of[g] for g in mark["guidance"]}
                if None not in kinds and len(kinds) == 1:
                    want[(topic["question"], claim["source"])] = kinds.pop()
        for claim in topic["claims"]:
            if topic["status"] == "conflict" and not (claim.get("mark") or {}).get("level"):
                same = {want.get((topic["question"], c["source"])) for c in topic["claims"]
                        if (c.get("mark") or {}).get("level") == "matches" and c["value"] == claim["value"]}
                if len(same) == 1 and None not in same:
                    want[(topic["question"], claim["source"])] = same.pop()
    return want


def test_the_map_and_the_weeks_charts_say_the_kind_a_match_holds_for(hosted, report, map_rows):
    """Review 102 M1: the map (drawn, and its table for paper) showed a plain green tick, "agrees with guidance", for
    000's "12 to 14 weeks" on when a stitch is put in, while the page and the tooltip say it matches guidance "for a
    planned stitch" (guidance gives no week for the other kinds). Every agreeing cell of the map says the kind its
    match holds for, in its words and by a numbered sign the legend explains, and no other cell does; the weeks
    charts' rows say it beside "matches guidance" too."""
    want = _match_kinds(report)
    assert want, "the data has no match for one kind: the test reads nothing"
    page = soup_of(hosted.dir / "disagreements" / "index.html")
    svg = page.select_one("figure.ci-map svg")
    legend = {}  # sign -> its words, from the drawn legend: a tick and its sign, then the words
    for text in svg.find_all("text", recursive=False):
        sign = text.find_previous_sibling()
        if sign is not None and sign.name == "text" and is_sign(sign.get_text()):
            legend[sign.get_text()] = text.get_text()
    seen, wrong = set(), []
    for question, row in map_rows.items():
        for g in row.find_all("g", recursive=False):
            sid, said = g.title.get_text().split(" ", 1)[0], g.title.get_text().split(": ", 1)[1]
            if not said.startswith("agrees with guidance"):
                continue
            kind = want.get((question, sid))
            sign = [t.get_text() for t in g.find_all("text") if is_sign(t.get_text())]
            seen.add((question, sid))
            if said != "agrees with guidance" + (f" for {kind}" if kind else "") or \
                    ([legend.get(s) for s in sign] != ([f"agrees with guidance for {kind}"] if kind else [])):
                wrong.append(f"map {question} {sid}: {said!r}, sign {sign} ({[legend.get(s) for s in sign]}), want {kind!r}")
    paper = page.select_one(".ci-map-paper")
    said = " ".join(paper.select_one(".ci-map-paper__legend").get_text(" ").split())
    columns = [th.get_text() for th in paper.select("thead th.ci-map-paper__mark")]
    for tr in paper.select("tbody tr"):
        if tr.th is None or "ci-map-paper__group" in tr.get("class", []):
            continue
        for sid, td in zip(columns, tr.select("td.ci-map-paper__mark")):
            mark = td.get_text().strip()
            if not mark.startswith("✓"):
                continue
            kind = want.get((" ".join(tr.th.get_text().split()), sid))
            sign = mark.removeprefix("✓")
            if (kind is None) != (sign == "") or (kind and f"{sign} beside ✓: agrees with guidance for {kind};" not in said):
                wrong.append(f"paper map {tr.th.get_text()} {sid}: {mark!r}, want {kind!r}")
    charts = 0
    for path in sorted(hosted.dir.rglob("index.html")):
        for table in soup_of(path).select("table.ci-timeline__table"):
            box = table.find_parent("details", class_="evidence")
            link = table.caption.a if table.caption else None
            question = " ".join(link.get_text().split()) if link else \
                next((t["question"] for t in report["topics"] if box is not None and box.get("id") == box_id(t["id"])), None)
            for row in table.select("tr.ci-timeline__row"):
                mark = row.select_one(".ci-timeline__mark")
                code = row.select_one(".ci-timeline__code")
                if question is None or mark is None or code is None or "matches guidance" not in mark.get_text():
                    continue
                charts += 1
                kind = want.get((question, code.get_text().strip()))
                if mark.get_text().lstrip(": ").strip() != "matches guidance" + (f" for {kind}" if kind else ""):
                    wrong.append(f"{path.parent.relative_to(hosted.dir)} chart {question}: {mark.get_text()!r}, want {kind!r}")
    assert any(k in seen for k in want), "no map cell for a match for one kind: the test reads nothing"
    assert charts, "no chart row matches guidance: the test reads nothing"
    assert not wrong, "\n".join(wrong)


def is_sign(text: str) -> bool:
    """A superscript number: the sign beside a tick that holds for one kind of treatment only."""
    return bool(text) and all(ch in "⁰¹²³⁴⁵⁶⁷⁸⁹" for ch in text)
