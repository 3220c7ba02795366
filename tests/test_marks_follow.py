"""Right in every line a reader sees (issue 16): the derived layer is checked by rule, on the built site.

One test a class:
- out-of-date advice: a claim that names a treatment guidance withdrew or advises against (the terms of
  data/guidance.yaml, found here by the test's own reading of the words) carries "differs from current
  guidance" and the fact's key wherever it is rendered: its topic's block, its source page's row, the
  disagreements list, the map, the exports; a summary line on its topic carries the fact's key;
- marks checked against the value: a "matches" mark on a range lies inside the fact's range (test_marks_review
  and test_living_sources hold the `check` side);
- guidance on paper: every printed sentence that says what guidance says carries a citation key, and a fact
  the reference confirms only through secondary sources carries "(secondary)" wherever its key is cited;
- attribution: a summary line credits only sources with a claim on its topic, and a count of sources in a
  summary is never more than the sources that speak to it;
- narrowing and widening: where a source qualifies its words ("strenuous exercise", "inflammation or
  infection"), no line that credits that source, and no question it alone answers, drops the qualifier.
"""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
import yaml

from conftest import ROOT, pdf_text, soup_of, with_quotes
from website.pagecontext import NOTE_LEAD
from reconcile.render import guidance_mark

GUIDANCE = yaml.safe_load((ROOT / "data" / "guidance.yaml").read_text(encoding="utf-8"))
KEYS = [c["key"] for c in GUIDANCE["citations"]]
NUMBER = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def report(hosted):
    return with_quotes(json.loads((hosted.dir / "exports" / "findings.json").read_text(encoding="utf-8")))


def named_facts(text: str) -> set[str]:
    """The facts with a status whose terms the text names (word boundaries, spaces or hyphens between words)."""
    found = set()
    for fact in GUIDANCE["facts"]:
        for term in fact.get("terms", []) if fact.get("status") else []:
            pattern = r"(?<!\w)" + r"[\s-]*".join(map(re.escape, term.split())) + r"(?!\w)"
            if re.search(pattern, text, re.I):
                found.add(fact["id"])
    return found


def covered_facts(claim: dict, topic: dict, report: dict) -> set[str]:
    """The withdrawn or discouraged forms a claim takes in by a general name (a fact's ``covers``: "progesterone"),
    read here on its own: the same source has a claim on the fact's topic (it describes that form), the claim is
    on another topic and names none of the other forms (``unless``: "vaginal")."""
    text = claim["says"] + " " + claim["quote"]
    has = lambda w: re.search(r"(?<!\w)" + re.escape(w) + r"(?!\w)", text, re.I)  # noqa: E731
    found = set()
    for fact in GUIDANCE["facts"]:
        cover, topics = fact.get("covers"), fact.get("topic")
        topics = [topics] if isinstance(topics, str) else topics or []
        if not (fact.get("status") and cover) or topic["id"] in topics:
            continue
        if any(map(has, cover["terms"])) and not any(map(has, cover.get("unless", []))) and any(
                c["source"] == claim["source"] for t in report["topics"] if t["id"] in topics for c in t["claims"]):
            found.add(fact["id"])
    return found


DIFFERS = re.compile(r"differs (in part )?from current guidance")


def keys_of(fact_id: str) -> list[str]:
    return next(f["cite"] for f in GUIDANCE["facts"] if f["id"] == fact_id)


# ------------------------------------------------------------------ out-of-date advice, wherever the claim is shown

def speaks(fact_id: str, topic_id: str) -> bool:
    """Whether a guidance fact speaks to a question: it names it under ``topic:`` (read here on its own)."""
    topics = next(f.get("topic") for f in GUIDANCE["facts"] if f["id"] == fact_id)
    return topic_id in ([topics] if isinstance(topics, str) else topics or [])


NOTE = NOTE_LEAD.strip()  # the plain note (website.pagecontext), not a mark


def timeline_rows(soup, topic: dict) -> dict[str, str]:
    """A week chart's rows for one question, wherever the page draws it (in its box, or under its question):
    source id -> the row's words."""
    anchor = "topic-" + re.sub(r"[^a-z0-9]+", "-", topic["id"]).strip("-")
    out = {}
    for table in soup.select("table.ci-timeline__table"):
        box = table.find_parent(id=anchor)
        if box is None and words(table.caption.get_text(" ")) != topic["question"]:
            continue
        for row in table.select("tr.ci-timeline__row:not(.ci-timeline__row--guidance)"):
            out[row.select_one(".ci-timeline__code").get_text()] = words(row.td.get_text(" "))
    return out


def test_a_claim_naming_withdrawn_or_discouraged_advice_is_marked_or_noted_everywhere(hosted, report):
    """Review 14 (M2, M3): a claim naming or resting on a withdrawn or discouraged treatment differs from guidance
    only on a question that fact speaks to (its topic:); elsewhere ("For how long is progesterone given?", "Does
    progesterone help with twins?") guidance says nothing on its answer, so it carries a note, not a mark, and the
    withdrawal stays in sight: box, source row, week chart, map, disagreements list, exports."""
    claims_csv = {r["claim"]: r for r in csv.DictReader(io.StringIO(
        (hosted.dir / "exports" / "claims.csv").read_text(encoding="utf-8")))}
    findings_csv = {r["topic"]: r for r in csv.DictReader(io.StringIO(
        (hosted.dir / "exports" / "findings.csv").read_text(encoding="utf-8")))}
    disagreements = soup_of(hosted.dir / "disagreements" / "index.html")
    map_rows = {row.a.get_text(): row for row in disagreements.select("figure.ci-map g.ci-map__row")}
    listed = {li.a.get_text(): words(li.get_text(" ")) for li in disagreements.select(".disagreements-all > ul > li")}
    assert listed
    pages = {}
    marked, noted = [], []
    for t in report["topics"]:
        if t["role"] == "definition":  # no advice there: a plain note (test_marks_guidance)
            continue
        for c in t["claims"]:
            if c["implied"]:  # the source leaves the question out: no words of its own there (test_marks_guidance)
                continue
            facts = named_facts(c["says"] + " " + c["quote"]) | covered_facts(c, t, report)
            supported = set((c["mark"] or {}).get("guidance", [])) if (c["mark"] or {}).get("level") in ("matches", "partly") else set()
            facts -= supported
            if not facts:
                continue
            marks = {f for f in facts if speaks(f, t["id"])}
            notes = facts - marks
            if marks:
                marked.append(c["id"])
            if notes:
                noted.append(c["id"])
            keys = {k for f in facts for k in keys_of(f)}
            own_differs = (c["mark"] or {}).get("level") == "differs" or (
                t["outdated"] and (c["mark"] or {}).get("level") not in ("matches", "partly"))
            shown = []
            # the source page's row
            src = pages.setdefault(c["source"], soup_of(hosted.dir / "sources" / c["source"] / "index.html"))
            shown.append(words(src.find(id=f"claim-{c['id'].replace('.', '-')}").get_text(" ")))
            # its topic's block, wherever a page shows it
            place = t["page"].removesuffix(".md").removesuffix("index")
            page = soup_of(hosted.dir / place / "index.html")
            item = page.find(id=f"claim-{c['id'].replace('.', '-')}-here")
            if item is not None:
                shown.append(words(item.get_text(" ")))
            # a week chart's row, on its page and on the disagreements page
            for soup in (page, disagreements):
                row = timeline_rows(soup, t).get(c["source"])
                if row is not None:
                    shown.append(row)
                    assert ("differs from guidance" in row) == bool(marks or own_differs), (c["id"], row)
            for text in shown:
                assert all(k in text for k in keys), (c["id"], text)
                if marks:
                    assert DIFFERS.search(text) or "differs from guidance" in text, (c["id"], text)
                if notes:
                    assert NOTE in text, (c["id"], text)
                if not marks and not own_differs:
                    assert not DIFFERS.search(text) and "differs from guidance" not in text, (c["id"], text)
            # the map: a "!" only for a mark; a note is the cell's description
            if t["question"] in map_rows:
                cell = next(g for g in map_rows[t["question"]].find_all("g", recursive=False)
                            if g.title.get_text().startswith(c["source"] + " "))
                assert cell.title.get_text().endswith(": differs from guidance") == bool(marks or own_differs), (c["id"], cell)
                if notes:
                    assert NOTE in cell.desc.get_text() and all(k in cell.desc.get_text() for f in notes for k in keys_of(f))
            # the exports
            if marks:
                assert claims_csv[c["id"]]["guidance_mark"] == "differs", c["id"]
                assert set(claims_csv[c["id"]]["guidance"].split()) >= marks, c["id"]
                assert findings_csv[t["id"]]["guidance_differs"] == "true", t["id"]
            if notes:
                assert set(claims_csv[c["id"]]["guidance_note"].split()) >= notes, c["id"]
                assert {n["guidance"] for n in c["notes"]} >= notes and not {n["guidance"] for n in c["names"]} & notes
            if not marks and not own_differs:
                assert claims_csv[c["id"]]["guidance_mark"] != "differs", c["id"]
            # a summary line on its topic names the fact's key (the handout and the disagreements page)
            if t["resolution"] and marks:
                assert marks <= set(t["resolution"]["guidance"]), (t["id"], marks)
                if t["question"] in listed:
                    assert all(k in listed[t["question"]] for f in marks for k in keys_of(f)), (t["id"], listed[t["question"]])
            elif t["question"] in listed and not t["resolution"]:  # the list gives each source's words, mark or note
                assert (DIFFERS.search(listed[t["question"]]) if marks else NOTE in listed[t["question"]]), (t["id"], listed[t["question"]])
    # the review's examples: how long, twins (guidance says nothing there: noted, review 14 M2 M3), treatments listed
    for cid in ("000.progesterone.duration", "003.progesterone.duration", "001.progesterone.twins",
                "003.progesterone.twins", "000.treatment.options", "001.treatment.options", "002.treatment.options",
                "003.treatment.options", "003.treatment.goal", "002.cerclage.opening"):
        assert cid in marked + noted, cid
    for cid in ("000.progesterone.duration", "003.progesterone.duration", "001.progesterone.twins", "003.progesterone.twins"):
        assert cid in noted and cid not in marked, cid


# ------------------------------------------------------------------ guidance on paper, with its key

GUIDANCE_SAYS = re.compile(r"(?<!what current )(?<!what )\bguidance(,| says| supports| advises| discourages| partly| now| describes| names"
                           r"| agrees| offers|:)|\bUK guidance\b|taken off the US market", re.I)
SILENT = re.compile(r"guidance (does not|gives no|names no|is silent|says nothing)|guidance we use does not", re.I)


MARK_WORDS = {"matches": "matches current guidance", "partly": "partly matches current guidance",
              "open": "current guidance does not back this", "uncompared": "not compared with current guidance"}


def test_a_citations_tooltip_gives_each_claims_mark_and_note(hosted, report):
    """Review 76 S4: hovering over a source's code showed "Taken out at around 27 weeks" or "Weekly shots, if you
    have given birth early before" and nothing more; the sentence beside it warned, but a tooltip is read alone.
    Review 77 S9: and every mark, not only "differs". On every page, a citation's tooltip follows each claim it quotes
    with its mark in the words beside the claim ("(differs from current guidance)" where guidance differs: its mark,
    a withdrawn or discouraged treatment it names, or a question where guidance differs from the sources) and a plain
    note on such a treatment."""
    facts = {f["id"]: f for f in GUIDANCE["facts"]}
    expected = {}
    for t in report["topics"]:
        for c in t["claims"]:
            level = (c["mark"] or {}).get("level")
            differs = level == "differs" or c["names"] or (t["outdated"] and level not in ("matches", "partly"))
            words = ["differs from current guidance"] if differs else [MARK_WORDS[level]] if level in MARK_WORDS else []
            kinds = {(facts[g].get("value") or {}).get("for") for g in (c["mark"] or {}).get("guidance", [])}
            if level == "matches" and not differs and len(kinds) == 1 and None not in kinds:
                words[0] += " for " + kinds.pop()   # review 78 S8: "for a planned stitch", as beside the claim
            words += ["Note: " + ("its " + n["general"] + " includes" if n.get("part") else "it describes") + " " + n["term"]
                      + ", now " + ("withdrawn" if n["status"] == "withdrawn" else "advised against") for n in c["notes"]]
            if words:
                expected[c["id"]] = (c["source"], c["says"], " (" + "; ".join(words))
    assert sum(w.startswith(" (differs") for _, _, w in expected.values()) >= 6
    assert {w.split(" current")[0] for _, _, w in expected.values()} >= {" (differs from", " (matches", " (partly matches"}
    assert any(" for a planned stitch" in w for _, _, w in expected.values())
    seen, problems = set(), []
    for path in hosted.dir.rglob("*.html"):
        for a in soup_of(path).select("a.cite[title]"):
            title, source = a["title"], a.get_text(strip=True)
            for cid, (sid, says, words) in expected.items():
                if sid == source and says in title:
                    seen.add(cid)
                    if says + words not in title:
                        problems.append((path.relative_to(hosted.dir).as_posix(), cid, title))
    assert not problems, problems[:5]
    assert len(seen) >= 20, seen   # the weekly shots, bed rest, the stitch out at 27 weeks, the removal at 36 weeks...


def blocks(soup):
    for el in soup.select("article p, article li, article dd, article td, article figcaption"):
        if el.find(["p", "li", "ul", "ol", "table"]):  # the innermost block only
            continue
        if el.find_parent(class_=["claim-quote"]) or el.find_parent("blockquote"):
            continue  # the sources' own words
        yield words(el.get_text(" "))


@pytest.mark.parametrize("page", ["handout", "print_page", "glossary", "disagreements"])
def test_every_guidance_sentence_on_paper_carries_its_key(hosted, page):
    soup = soup_of(hosted.dir / page / "index.html")
    bare = []
    for text in blocks(soup):
        said = [m for m in GUIDANCE_SAYS.finditer(text) if not SILENT.match(text, m.start())]
        if said and not any(k in text for k in KEYS) and not all(SILENT.search(s) for s in re.split(r"(?<=[.?!])\s", text) if GUIDANCE_SAYS.search(s)):
            bare.append(text[:160])
    assert not bare, f"{page}: guidance stated with no citation key:\n" + "\n".join(bare)


def test_the_handouts_give_a_key_after_each_guidance_line(handout_pdf):
    text = " ".join(pdf_text(handout_pdf))
    for m in re.finditer(r"Guidance says[^?]*", text):
        assert any(k in m.group(0) for k in KEYS), m.group(0)[:200]


def test_secondary_facts_carry_the_marker_wherever_their_key_is_cited(hosted):
    """Every key of a fact the reference confirms only through secondary sources says so (the whole row is; review
    22 S7 and review 26 S1 found "ACOG PB 142, RCOG GTG 75 (secondary)", the first key looking checked)."""
    secondary = {f["id"][9:]: set(f["cite"]) for f in GUIDANCE["facts"] if f.get("secondary")}
    assert secondary and any(len(keys) > 1 for keys in secondary.values())
    seen = 0
    for page in hosted.dir.rglob("*.html"):
        soup = soup_of(page)
        for a in soup.select("article a[href*='#guidance-']"):
            fact = a["href"].rsplit("#guidance-", 1)[1]
            if fact in secondary and a.get_text(strip=True) in secondary[fact]:
                marker = a.find_next_sibling()
                assert marker is not None and marker.get_text() == "(secondary)", (page, a)
                seen += 1
    assert seen > 10


def test_the_exports_mark_secondary_keys_as_the_pages_do(hosted, report):
    """Review 57 S12: findings.json and findings.csv cited the removal, twins and vaginal progesterone rows as plain
    "ACOG PB 142; RCOG GTG 75", while the methods page says their key is marked "(secondary)" wherever it is
    cited. Each resolution's keys, in both exports, carry the marker exactly where their fact is secondary."""
    facts = {f["id"]: f for f in GUIDANCE["facts"]}
    rows = {r["topic"]: r for r in csv.DictReader(io.StringIO((hosted.dir / "exports" / "findings.csv").read_text(encoding="utf-8")))}
    marked = 0
    for t in report["topics"]:
        if not t["resolution"]:
            continue
        want = sorted({k + (" (secondary)" if facts[g].get("secondary") else "")
                       for g in t["resolution"]["guidance"] for k in facts[g]["cite"]})
        assert t["resolution"]["cite"] == want, t["id"]
        assert rows[t["id"]]["cite"] == "; ".join(want), t["id"]
        marked += any(k.endswith(" (secondary)") for k in want)
    assert marked >= 3


def test_the_exports_name_the_guidance_on_every_question(hosted):
    """Review 71 S11: findings.csv's `cite` is its resolution's, so a question where the sources agree (DES, weak body
    tissues) named no guidance, though its page cites the fact filed on it. Both exports name, for every question,
    the facts filed on it (guidance.yaml `topic:`) and those its resolution cites (review 77 S1: how long progesterone
    is given cited the withdrawn shots, its `guidance` was empty), in the file's order, and their keys as the pages
    cite them; every key its resolution cites is among them. Review 95 S6: the treatments question, what treatment
    is for and what progesterone is named none, though their answers carry the withdrawn shots' note (FDA 2023) or
    bed rest's (ACOG PB 142): the facts its answers' marks and notes rest on are named too."""
    published = json.loads((hosted.dir / "exports" / "findings.json").read_text(encoding="utf-8"))
    rows = {r["topic"]: r for r in csv.DictReader(io.StringIO((hosted.dir / "exports" / "findings.csv").read_text(encoding="utf-8")))}
    unresolved_with_guidance = by_answers = 0
    for t in published["topics"]:
        cited = (t["resolution"] or {}).get("guidance", [])
        behind = {g for c in t["claims"] for g in [*(c["mark"] or {}).get("guidance", []),
                                                  *(n["guidance"] for n in [*c["names"], *c["notes"]])]}
        filed = [f for f in GUIDANCE["facts"] if f["id"] in cited or f["id"] in behind
                 or t["id"] in ([f["topic"]] if isinstance(f.get("topic"), str) else f.get("topic") or [])]
        by_answers += bool(filed) and not cited and not any(
            t["id"] in ([f["topic"]] if isinstance(f.get("topic"), str) else f.get("topic") or []) for f in filed)
        keys = sorted({k + (" (secondary)" if f.get("secondary") else "") for f in filed for k in f["cite"]})
        assert t["guidance"] == [f["id"] for f in filed] and t["guidance_cite"] == keys, t["id"]
        assert rows[t["id"]]["guidance"] == " ".join(t["guidance"]), t["id"]
        assert rows[t["id"]]["guidance_cite"] == "; ".join(keys), t["id"]
        assert set((t["resolution"] or {}).get("cite", [])) <= set(keys), t["id"]
        unresolved_with_guidance += bool(filed) and t["resolution"] is None
    assert unresolved_with_guidance >= 2   # DES and weak body tissues: guidance on them, and no resolution
    assert by_answers >= 1                 # the treatments question: guidance only behind its answers' notes


# ------------------------------------------------------------------ attribution and counts

SOURCE_IDS = re.compile(r"\b\d{3}\b")


def test_a_summary_line_credits_only_sources_with_a_claim_there(report):
    problems = []
    for t in report["topics"]:
        res = t["resolution"]
        if not res:
            continue
        claimed = {c["source"] for c in t["claims"]}
        for field in ("short", "summary"):
            text = re.sub(r"\b(19|20)\d\d\b|\b\d+ (mm|weeks?|in 100)\b", "", res[field])  # years and amounts
            for sid in set(SOURCE_IDS.findall(text)) - claimed:
                problems.append(f"{t['id']}.{field} names {sid}, which has no claim there")
            for m in re.finditer(r"\b(one|two|three|four|five|six|seven|eight) sources?\b", res[field], re.I):
                if NUMBER[m.group(1).lower()] > len(claimed):
                    problems.append(f"{t['id']}.{field}: '{m.group(0)}' but {len(claimed)} sources speak to it")
            all_n = re.search(r"\ball (one|two|three|four|five|six|seven|eight) sources", res[field], re.I)
            if all_n and NUMBER[all_n.group(1).lower()] != len(claimed):
                problems.append(f"{t['id']}.{field}: '{all_n.group(0)}' but {len(claimed)} sources speak to it")
    assert not problems, "\n".join(problems)


def test_urgent_advice_cites_only_the_source_that_gives_it():
    """A sentence that sends a reader to the emergency department cites only claims on when to get help now."""
    bad = []
    for md in (ROOT / "docs").rglob("*.md"):
        for m in re.finditer(r"([^.!?\n]*emergency department[^.!?\n]*[.!?])\s*<!-- cite: ([^>]*) -->",
                             md.read_text(encoding="utf-8")):
            others = [i.strip() for i in m.group(2).split(",") if not i.strip().endswith(".symptoms.urgent")]
            if others:
                bad.append(f"{md.relative_to(ROOT)}: {m.group(1).strip()[:80]} cites {others}")
    assert not bad, "\n".join(bad)


def test_topic_counts_use_one_scheme_on_every_page(hosted, report):
    """The methods page and the disagreements page count the questions the same way."""
    methods = words(soup_of(hosted.dir / "methods" / "index.html").get_text(" "))
    page = soup_of(hosted.dir / "disagreements" / "index.html")
    from website.shortcodes import AGREE_QUALIFIED, GROUP_TITLES

    headed = {h["id"]: int(re.search(r"\((\d+)\)", h.get_text()).group(1)) for h in page.select("h2[id]")
              if re.search(r"\((\d+)\)", h.get_text())}
    # the groups; the agreeing questions guidance qualifies are listed too (review 39 #2), counted among "agree"
    groups = {k: n for k, n in headed.items() if k in GROUP_TITLES}
    assert set(headed) <= set(GROUP_TITLES) | set(AGREE_QUALIFIED), headed
    outdated = sum(t["outdated"] for t in report["topics"])
    for key, n in groups.items():
        assert f"{n} {key}" in methods or (key == "outdated" and f"{n} where guidance differs" in methods), \
            (key, n, re.search(r"Topics:[^.]*\.", methods))
    assert groups.get("outdated") == outdated


# ------------------------------------------------------------------ narrowing and widening

QUALIFIERS = {  # a qualifier a source puts on a word, and the words that keep it in plain English
    "strenuous": ("strenuous", "hard", "heavy"),
    "inflammation or": ("inflammation",),
    "heavy": ("heavy",),
    "mild": ("mild",),
}


def qualified(quote: str) -> list[tuple[str, str]]:
    """(qualifier, word) pairs in a quote: 'strenuous exercise', 'inflammation or infection'."""
    return [(q, m.group(1).lower()) for q in QUALIFIERS for m in re.finditer(rf"\b{q}\s+(\w+)", quote, re.I)]


def test_a_sources_qualifier_is_kept_wherever_its_words_are_restated(report, hosted):
    sources = yaml.safe_load((ROOT / "data" / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    leads = {s["id"]: words(s["appraisal"]["summary"]) for s in sources}
    problems = []
    for t in report["topics"]:
        res = t["resolution"] or {}
        for c in t["claims"]:
            for q, word in qualified(c["quote"]):
                keep = QUALIFIERS[q]
                lines = [c["says"]] + ([] if t["kind"] == "set" else [c["label"]])  # a list's labels are shared
                lines += [s for s in re.split(r"(?<=[.?!;])\s", res.get("short", "") + " " + res.get("summary", ""))
                          if re.search(rf"\b{c['source']}\b", s)]
                if len(t["claims"]) == 1:  # the question this source alone answers
                    lines.append(t["question"])
                lines += [s for s in re.split(r"(?<=[.?!])\s", leads[c["source"]])]
                for line in lines:
                    if re.search(rf"\b{word}\b", line, re.I) and not any(k in line.lower() for k in keep):
                        problems.append(f"{c['id']}: '{q} {word}' is cut to '{word}' in: {line}")
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------ a count of sources is the site's own

COUNTED = re.compile(r"\b(one|two|three|four|five|six|seven|eight)( of the| of our| of these)? (web )?sources?\b", re.I)
CITE = re.compile(r"<!--\s*cite:\s*(.*?)\s*-->")


def test_a_count_of_sources_cites_the_sources_it_counts():
    """Thirteenth review (minor): "Three of the sources still describe them [FDA 2023]" credited the site's own count
    to the FDA. A sentence that counts sources is followed by a cite of that many sources' claims; the guidance it
    also states carries its own key after it. Read on every page and snippet, by its cite comments."""
    checked, wrong = 0, []
    for path in sorted((ROOT / "docs").rglob("*.md")) + sorted((ROOT / "includes").glob("*.md")):
        for para in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            last = 0
            for m in CITE.finditer(para):
                before, last = para[last:m.start()], m.end()
                counts = [NUMBER[c.group(1).lower()] for c in COUNTED.finditer(before)]
                if not counts:
                    continue
                checked += 1
                sources = {i.strip().split(".")[0] for i in m.group(1).split(",") if not i.strip().startswith("guidance.")}
                if len(sources) < max(counts):
                    wrong.append(f"{path.relative_to(ROOT)}: {words(before)[-120:]} <- {m.group(1)}")
    assert checked, "no sentence counts sources: the test checks nothing"
    assert not wrong, "a count of sources not followed by a cite of that many sources:\n" + "\n".join(wrong)


def test_methods_names_the_guidance_fields_as_the_exports_name_them(hosted, report):
    """Review 43 #5: methods named the field "outdated" (findings.json's) and findings.csv has no such column: its
    guidance_differs is true on those questions and on any question with an answer guidance differs from. Each
    export's field is found by its values (by the report: the questions guidance differs on; those and the questions
    with a claim marked "differs"), and the methods page names each, as code, by that export's own name."""
    differs = {t["id"] for t in report["topics"] if t["outdated"]}
    any_answer = differs | {t["id"] for t in report["topics"] if any(guidance_mark(c) == "differs" for c in t["claims"])}
    assert differs and any_answer - differs   # the data has both (bed rest; 000's 27 weeks for the stitch's removal)
    findings_csv = list(csv.DictReader(io.StringIO((hosted.dir / "exports" / "findings.csv").read_text(encoding="utf-8"))))
    shipped = json.loads((hosted.dir / "exports" / "findings.json").read_text(encoding="utf-8"))["topics"]
    in_csv = [k for k in findings_csv[0] if {r["topic"] for r in findings_csv if r[k] == "true"} == any_answer]
    in_json = [k for k in shipped[0] if {t["id"] for t in shipped if t[k] is True} == differs]
    assert len(in_csv) == 1 and len(in_json) == 1, (in_csv, in_json)
    methods = soup_of(hosted.dir / "methods" / "index.html").select_one("article")
    named = {c.get_text() for c in methods.select("code")}
    assert {in_csv[0], in_json[0]} <= named, (in_csv, in_json, named)
    said = " ".join(methods.get_text(" ").split())
    assert re.search(rf"{in_csv[0]} is true on those questions and on any other question where current guidance differs "
                     r"from one source's answer", said), said[said.find(in_csv[0]) - 200:][:400]
