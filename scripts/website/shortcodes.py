"""The site's shortcodes: the engine's findings rendered into page fragments.

A plain function of the findings and the templates, with no MkDocs in it: `expand_shortcodes`
replaces each HTML-comment shortcode of a page's Markdown by a placeholder for its HTML, which
comes from a Jinja template in overrides/partials/ci-*.html with autoescape on. The MkDocs hooks
(hooks.py) only build a `Site` once per build and call this for each page.
"""
from __future__ import annotations

import re
import textwrap
from collections import Counter
from pathlib import Path

from markupsafe import Markup

from website.cells import (HEADINGS, cell, counts_line, group_of, heading_of, match_kind, note_words,
                           tooltip_mark, unweighed)
from website.pagecontext import Context, anchor, claim_anchor, glossary_entries, guidance_links, page_title, read_page, topic_link
from reconcile.guidance import speaks_to
from reconcile.pages import SHORTCODE, cite_keys as cite_topics, claim_ids
from reconcile.phrases import week_readings
from website.timeline import is_weeks, sc_timeline, timeline, weeks_words


CODE = re.compile(r"^(```|~~~).*?^\1|`[^`\n]+`", re.M | re.S)
GLOSSARY_LINE = re.compile(r"^\*\[(.+?)\]:\s*(.+)$", re.M)


class ShortcodeError(Exception):
    """A shortcode that cannot be rendered: the message names the page and line."""


GROUP_TITLES = {
    "conflict": "The sources disagree",
    "omission": "Some sources say what others leave out",
    "outdated": "Current guidance differs from what the sources say",
    "variation": "The sources differ a little",
    "single-source": "Only one source says this",
}
# The agreeing questions the disagreements page lists all the same (cells.heading_of's words for their boxes).
AGREE_QUALIFIED = {"agree-guidance": "The sources agree, but current guidance differs from some answers",
                   "agree-partly": "The sources agree, and current guidance backs some answers only in part"}
# Shortcodes whose HTML is a block of its own: it must stand alone on its line.
BLOCK = {"sources", "disagreement", "disagreements", "source", "sources-list", "guidance", "glossary",
         "verification", "timeline", "diagram", "questions", "week-readings"}


def expand_shortcodes(markdown: str, ctx, where, stash) -> str:
    """Replace each shortcode by a placeholder for its HTML (kept out of Markdown's reach)."""
    protected = [m.span() for m in CODE.finditer(markdown)]

    def expand(m):
        if any(a <= m.start() < b for a, b in protected):
            return m.group(0)
        name, arg = m.group(1), m.group(2)
        handler = SHORTCODES.get(name)
        if handler is None:
            raise ShortcodeError(f"{where(m)}: unknown shortcode <!-- {name}: ... --> (known: {', '.join(SHORTCODES)})")
        if name in BLOCK:
            line_start = markdown.rfind("\n", 0, m.start()) + 1
            line_end = markdown.find("\n", m.end())
            rest = markdown[line_start:m.start()] + markdown[m.end():len(markdown) if line_end < 0 else line_end]
            if rest.strip():
                raise ShortcodeError(f"{where(m)}: <!-- {name}: ... --> makes a block; put it on a line of its own")
        try:
            result = handler(ctx, arg)
            # Markup goes into the stash; a count is a plain word (it may stand in a heading).
            return stash(str(result)) if isinstance(result, Markup) else result
        except LookupError as exc:
            raise ShortcodeError(f"{where(m)}: {exc.args[0]}") from None

    ctx.said_at = said_places([m for m in SHORTCODE.finditer(markdown) if not any(a <= m.start() < b for a, b in protected)])
    markdown = SHORTCODE.sub(expand, markdown)
    if getattr(ctx, "refs", None):  # the numbered citations' list, folded at the end of the page
        markdown += "\n\n" + stash(str(ctx.render("references", refs=ctx.refs))) + "\n"
    return markdown


def said_places(shortcodes) -> dict[str, str]:
    """For each question a page cites, the citation (its ids, ``cited_ids``) that cites most of its claims, the
    first of those: where a link to "what this page says on it" leads. The first citation may be an overview that
    names it in passing ("doctors may do a pelvic exam and an ultrasound [003]"); the section on it cites its
    sources (review 39 #8: the book's "(page 17)" for the ultrasound led to the overview, the section is on page 19).
    A question cited only inside another shortcode's output (a number's citation) keeps its first citation."""
    best: dict[str, tuple[int, str]] = {}
    for m in shortcodes:
        if m.group(1) != "cite":
            continue
        ids = cited_ids(m.group(2))
        for topic, k in Counter(i.split(".", 1)[-1] for i in ids.split(",") if not i.startswith("guidance.")).items():
            if k > best.get(topic, (0, ""))[0]:
                best[topic] = (k, ids)
    return {topic: ids for topic, (_, ids) in best.items()}


def cited_ids(arg: str) -> str:
    """A citation's ids as one comparable string."""
    return ",".join(i.strip() for i in arg.split(",") if i.strip())


# ---------------------------------------------------------------- shortcodes

def sc_evidence(ctx: Context, tid: str) -> Markup:
    """<!-- sources: T --> and <!-- disagreement: T -->: one folded block per question on the whole site, on its
    home page (hooks: the question's own page when it shows it); another page gets a line that links there, so
    the sources' words stand once (the print page and the book join the pages: once there too)."""
    topic = ctx.topic(tid)
    if tid in ctx.shown:
        return Markup("")  # the other shortcode of the pair already put the block here
    ctx.shown.add(tid)
    res = topic["resolution"]
    kind, heading = HEADINGS[heading_of(ctx, topic)]
    home = ctx.site.anchors.get(tid)
    if home and home[0] != ctx.page.src_uri:
        return ctx.render("evidence-ref", topic=topic, kind=kind, heading=heading, to=ctx.href(*home),
                          page=page_title(ctx.site.root, home[0]))
    claimed = {c["source"] for c in topic["claims"]}
    ask = bool(res and res["guidance_silent"] and "doctor" not in (res["trust"] or "").lower())
    return ctx.render("evidence", topic=topic, res=res, kind=kind, heading=heading, ask=ask,
                      timeline=timeline(ctx, [topic], small=True) if is_weeks(topic) else "",
                      counts=counts_line(ctx, topic), silent=[sid for sid in ctx.sources if sid not in claimed],
                      needs_review=unweighed(topic))


DIAGRAMS = ("cervix", "stitch", "scan")  # overrides/partials/ci-diagram-NAME.html: SVG the project drew


def sc_diagram(ctx: Context, arg: str) -> Markup:
    """<!-- diagram: NAME -->: one of the project's accessible SVG pictures (title, description, caption);
    <!-- diagram: NAME folded --> puts it in a folded block (a page short of room), open on paper."""
    name, _, how = arg.partition(" ")
    if name not in DIAGRAMS or how not in ("", "folded"):
        raise LookupError(f"unknown diagram {arg!r} (known: {', '.join(DIAGRAMS)}, each may add 'folded')")
    return ctx.render("diagram", picture=name, folded=bool(how))


def merged_values(ctx: Context, idents: list[str]) -> str | None:
    """The question whose sources agree (or differ a little) but give different numbers, when one citation credits
    two of those numbers together: "about 1 or 2 of every 100 pregnancies [003, 004]" read as if both sources said
    "1 or 2", where 003 says 1 in 100 (review 32 #1). Such numbers are each said with their own source(s):
    <!-- values: TOPIC -->, or a citation after each. A disagreement (conflict) is left to its own words, which
    name who says what ("One says about 36 weeks ... One says about 27")."""
    cited: dict[str, set[str]] = {}
    for ident in idents:
        claim = ctx.project.claims.get(ident)
        if claim is not None and claim.source in ctx.sources:  # an unknown or draft claim: sc_cite says so
            cited.setdefault(claim.topic, set()).add(ident)
    for tid, ids in cited.items():
        t = ctx.site.topics[tid]
        if t["kind"] == "range" and t["status"] in ("agree", "variation"):
            values = {(c["value"]["min"], c["value"]["max"]) for c in t["claims"] if c["id"] in ids and c["value"]}
            if len(values) > 1:
                return tid
    return None


def sc_values(ctx: Context, tid: str) -> Markup:
    """<!-- values: TOPIC -->: what the sources say on a question answered in numbers, each number in our words
    (the claim's `says`) with its own citation, sources giving the same number together: "It happens in about
    1 in 100 pregnancies, says one source. [003] It happens in about 1 to 2 in 100 pregnancies, says another.
    [004]"; a third single source is "a third". A source whose words give no number is said on its own."""
    topic = ctx.topic(tid.strip())
    if topic["kind"] != "range":
        raise LookupError(f"values takes a question answered in numbers (kind range), not {topic['id']!r}")
    groups: dict[object, list[dict]] = {}
    for sid in ctx.sources:
        for c in (c for c in topic["claims"] if c["source"] == sid):
            key = (c["value"]["min"], c["value"]["max"]) if c["value"] else c["id"]
            groups.setdefault(key, []).append(c)
    parts, said = [], 0
    for n, claims in enumerate(groups.values()):
        many = len(claims) > 1
        who = (f"say {count_word(len(claims), 'sources')} sources" if many else "says one source") if n == 0 else \
              (f"say {count_word(len(claims), 'sources')} others" if many else f"says {_another(said)}")
        said += len(claims)
        parts.append({"says": claims[0]["says"].rstrip(". "), "who": who,
                      "cite": sc_cite(ctx, ", ".join(c["id"] for c in claims))})
    return ctx.render("values", parts=parts)


ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def _another(said: int) -> str:
    """The next single source after ``said`` others: "another" after one, then "a third", "a fourth" (review 126 S3:
    "says another" twice in one answer left a reader of the handout unable to tell the two apart)."""
    return "another" if said == 1 or said >= len(ORDINALS) else f"a {ORDINALS[said]}"


def sc_cite(ctx: Context, arg: str) -> Markup:
    idents = [i.strip() for i in arg.split(",")]
    merged = merged_values(ctx, idents)
    if merged:
        raise LookupError(f"this citation credits different numbers of {merged!r} together, as if each source gave "
                          f"them all: say each with its own source (<!-- values: {merged} -->, or a citation after each)")
    links = {}
    for ident in idents:
        if ident.startswith("guidance."):
            if ident not in ctx.project.guidance:
                raise LookupError(f"unknown guidance id {ident!r} (see data/guidance.yaml)")
            guidance_links(ctx, [ident], links)
            continue
        claim = ctx.project.claims.get(ident)
        if claim is None:
            raise LookupError(f"unknown claim {ident!r} in cite (a claim id is SOURCE.TOPIC, like 003.cerclage.removal)")
        if claim.source not in ctx.sources:
            raise LookupError(f"claim {ident!r} is from draft source {claim.source}, which is not published")
        href = ctx.href(f"sources/{claim.source}.md", anchor("claim", ident))
        link = links.setdefault(claim.source, {"text": claim.source, "href": href, "name": ctx.label(claim.source),
                                               "claims": []})
        # each claim the citation credits to this source, so the list at the page's end leads to every one (the
        # sentence may rest on the second); what it says in our words: its own words stand once, in its question's
        # evidence (quoted_in)
        topic = ctx.topic(claim.topic)
        row = next(c for c in topic["claims"] if c["id"] == ident)
        link["claims"].append({"href": href, "question": topic["question"], "says": claim.says,
                               "mark": tooltip_mark(ctx, topic, row)})
        link["title"] = f"{link['name']}: " + "; ".join(c["says"] + c["mark"] for c in link["claims"])
    if not links:
        raise LookupError("cite needs at least one id")
    ctx.refs.append(list(links.values()))
    said = [tid for tid in cite_topics(arg) if not tid.startswith("guidance.") and tid not in ctx.said
            and ctx.said_at.get(tid, cited_ids(arg)) == cited_ids(arg)]  # the citation of a question here (said_places)
    ctx.said.update(said)
    first = [i for i in claim_ids(arg) if i not in ctx.said_claims]
    ctx.said_claims.update(first)   # this claim's first citation on the page (claim_link)
    return ctx.render("cite", links=list(links.values()), n=len(ctx.refs),
                      said=[anchor("said", t) for t in said] + [claim_anchor(i) for i in first])


def topic_groups(ctx: Context) -> dict[str, list[dict]]:
    """The questions by group, one scheme for every page that counts them and for the boxes' headings
    (cells.group_of): where current guidance differs from what the sources say, that group, whatever the
    sources' own status; else the status."""
    groups = {k: [] for k in ("conflict", "omission", "outdated", "variation", "single-source", "agree")}
    for t in ctx.report["topics"]:
        groups[group_of(ctx, t)].append(t)
    return groups


# How a count of each group reads in a sentence ("4 where guidance differs").
GROUP_WORDS = {"outdated": "where guidance differs"}


def _groups(ctx: Context):
    groups = topic_groups(ctx)
    del groups["agree"]
    return groups


MAP_LINE = 44  # characters of a question on one line of the map: a phone shows the whole line


def guidance_cell(topic: dict, cells: list[str], notes: list[str] = ()) -> str:
    """The map's guidance column: whether current guidance settles the question, answers it only in part,
    differs from what the sources say, is silent on it, or has not been checked yet. Silent on the question
    but a source's answer carries a note (a withdrawn or discouraged treatment it names: ``note_words``), the
    column says so beside "silent" (the review's item in session 15's note: "Which treatments does each source
    describe?" read "guidance is silent" while two of its cells said guidance advises against bed rest and the
    shots are off the market), in grey, as a note and not a side: review 56 M1 read session 16's "guidance
    speaks against some treatments named", a purple "!", as guidance against progesterone for twins)."""
    res = topic["resolution"]
    if topic["outdated"]:
        return "differs"
    if not res or not res.get("settles"):
        # settles: a fact it cites speaks to this very question (one cited only for a treatment named there does not)
        if unweighed(topic):
            return "unreviewed"
        return "named" if any(notes) else "silent"
    # in part: it backs some of what a source says and leaves the rest (partly), or neither backs nor rules out an
    # answer (open): "settles it" beside such a cell says more than guidance does (review 24 S4). An answer too
    # vague to weigh (uncompared) is the source's gap, not guidance's.
    # Or the editor says guidance answers only part of the question (in_part: it gives a week for one kind of
    # stitch and none for another: review 64 M2).
    partial = {"partly", "open"} & set(cells)  # the row's cells, one a source
    return "in-part" if partial or res.get("in_part") else "settles"


def sc_disagreements(ctx: Context, arg: str) -> Markup:
    if arg not in ("short", "all"):
        raise LookupError("disagreements takes 'short' or 'all'")
    groups = _groups(ctx)
    # The page may choose the topics (front matter `disagreements:`): the handout keeps those that
    # change what a patient does.
    chosen = ctx.page.meta.get("disagreements") if arg == "short" else None
    for tid in chosen or ():
        ctx.topic(tid)
    if chosen is not None:
        groups = {key: [t for t in topics if t["id"] in chosen] for key, topics in groups.items()}
    rows = []
    for key in ("conflict", "omission", "outdated", "variation"):
        for t in groups[key]:
            claims = [next((c for c in t["claims"] if c["source"] == sid), None) for sid in ctx.sources]
            cells = [cell(t, c) for c in claims]  # once: the marks and the guidance column read them
            notes = [note_words(ctx, c) for c in claims]
            rows.append({"question": t["question"], "href": topic_link(ctx, t), "group": key,
                         "lines": textwrap.wrap(t["question"], MAP_LINE), "guidance": guidance_cell(t, cells, notes),
                         "cells": cells, "notes": notes, "kinds": [match_kind(ctx, t, c) for c in claims]})
    agreed = topic_groups(ctx)["agree"]
    agree = len(agreed)
    # agreeing questions whose box says guidance backs them only in part, or differs for some: listed too, so the
    # counts above do not read as "guidance has nothing to say on the other 43" (review 39 #2)
    qualified = {key: [t for t in agreed if heading_of(ctx, t) == key] for key in AGREE_QUALIFIED}
    # a claim only one source makes is listed bare: the weight we give its source goes with it where that is low
    low = {sid for sid, s in ctx.sources.items() if (s.appraisal or {}).get("trust") == "low"}
    return ctx.render(f"disagreements-{arg}", groups=groups, titles=GROUP_TITLES, summary=ctx.report["summary"], agree=agree,
                      qualified=qualified, qualified_titles=AGREE_QUALIFIED,
                      sources=ctx.sources, rows=rows, columns=list(ctx.sources), low=low, kind_signs=kind_signs(rows))


def kind_signs(rows: list[dict]) -> dict[str, str]:
    """Each kind of treatment that an agreeing mark of the map holds for only (cells.match_kind), numbered in the
    order the map first shows it: the sign beside its tick, "¹", and its line in the legend."""
    kinds = dict.fromkeys(k for row in rows for k in row["kinds"] if k)
    return {k: str(n).translate(SUPERSCRIPT) for n, k in enumerate(kinds, 1)}


SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


QUESTION_GROUPS = {"conflict": "Where the sources disagree", "omission": "Where some sources say what others leave out",
                   "outdated": "Where current guidance differs"}
# Why a question where current guidance differs is asked, said which way it differs (review 36 #1: "Could a stitch
# help me? (current guidance differs)", beside the withdrawn shots and bed rest, read as "guidance says no" where
# guidance names who a stitch helps): a treatment a fact on this very question withdraws (the question names it) or
# advises against, by its name (review 37 #1: "Should I avoid hard exercise and sex? (current guidance advises
# against it)" read as "avoid them"), for this condition (review 80 M1: without it, a patient told to rest for
# another reason read guidance against her doctor's advice)...
ASK_STATUS = {"withdrawn": "taken off the US market", "discouraged": "guidance advises against {name} for a weak cervix"}
# ...else what the group means, in the words of the evidence's mark (review 60 S3: "out of date" on the sheet
# stood beside "differs from current guidance" on the page for the same claim).
ASK_BEHIND = ("a source differs from current guidance on this", "some sources differ from current guidance on this")


def why_asked(ctx: Context, key: str, topic: dict) -> dict:
    """Why a question is on the list, in words that stand alone on a sheet handed over without the page's headings:
    {"text", "mark"}, ``mark`` the citation of the guidance a "guidance differs" rests on, as every sentence cites
    (on paper a key, numbered, is the only way to tell which document says so)."""
    if key != "outdated":
        return {"text": QUESTION_GROUPS[key].removeprefix("Where "), "mark": ""}
    cited = [g for g in (topic["resolution"] or {}).get("guidance", []) if speaks_to(ctx.project, g, topic["id"])]
    for status in ASK_STATUS:  # withdrawn before discouraged
        for fact in (ctx.project.guidance[g] for g in cited):
            if fact.status == status:
                return {"text": ASK_STATUS[status].format(name=fact.name or fact.row), "mark": sc_cite(ctx, fact.id)}
    differs = [c for c in topic["claims"] if (c.get("mark") or {}).get("level") == "differs"]
    rests = list(dict.fromkeys(g for c in differs for g in c["mark"]["guidance"] if g in ctx.project.guidance))
    return {"text": ASK_BEHIND[len(differs) > 1], "mark": sc_cite(ctx, ", ".join(rests)) if rests else ""}


def sc_questions(ctx: Context, arg: str) -> Markup:
    """<!-- questions: all -->: one question to ask a doctor for each question where the sources disagree,
    leave out what another says or current guidance says otherwise, with the page that explains it;
    `short`: only the topics the page lists in its front matter (`disagreements:`), for paper;
    `sheet`: all of them numbered in one list, each with lines to write the answer on (the handout's
    sheet of questions, printed on its own: build_pdf.py)."""
    if arg not in ("all", "short", "sheet"):
        raise LookupError("questions takes 'all', 'short' or 'sheet'")
    groups = _groups(ctx)
    chosen = ctx.page.meta.get("disagreements") if arg == "short" else None
    groups = {key: [t for t in groups[key] if chosen is None or t["id"] in chosen] for key in QUESTION_GROUPS}
    # the page the link leads to: the page that answers it, else where its evidence is, else its own page
    titles = {t["id"]: page_title(ctx.site.root, read_page(ctx, t)) for ts in groups.values() for t in ts}
    why = {t["id"]: why_asked(ctx, key, t) for key, ts in groups.items() for t in ts}
    return ctx.render("questions", groups={k: ts for k, ts in groups.items() if ts}, headings=QUESTION_GROUPS,
                      titles=titles, why=why, short=arg != "all", sheet=arg == "sheet")


def sc_source(ctx: Context, sid: str) -> Markup:
    source = ctx.sources.get(sid)
    if source is None:
        raise LookupError(f"unknown source {sid!r} (or a draft)")
    claims = [(t, c) for t in ctx.report["topics"] for c in t["claims"] if c["source"] == sid]
    url = getattr(source, "url", None)
    url = url if isinstance(url, str) and re.match(r"https?://", url) else None  # a link only to a web page
    return ctx.render("source", source=source, claims=claims, url=url, saved=getattr(source, "saved", None))


def sc_sources_list(ctx: Context, arg: str) -> Markup:
    return ctx.render("sources-list", sources=ctx.sources)


def sc_source_kinds(ctx: Context, arg: str) -> Markup:
    """The kinds of page the sources are, from the data (no page lists them by hand)."""
    kinds: dict[str, int] = {}
    for source in ctx.sources.values():
        kinds[source.kind] = kinds.get(source.kind, 0) + 1
    return ctx.render("source-kinds", kinds=list(kinds.items()))


def sc_week_readings(ctx: Context, arg: str) -> Markup:
    """How phrases of weeks are read (the methods page): phrases.WEEK_READINGS, the table the code follows,
    each rule with its example as the code reads it; nothing listed by hand."""
    return ctx.render("week-readings", readings=[dict(r, reading=weeks_words(r["value"].min, r["value"].max))
                                                 for r in week_readings()])


def sc_guidance(ctx: Context, arg: str) -> Markup:
    return ctx.render("guidance", facts=ctx.project.guidance, citations=ctx.project.citations)


def sc_glossary(ctx: Context, arg: str) -> Markup:
    terms = {}
    for path in sorted((ctx.site.root / "includes").glob("glossary*.md")):
        for term, definition in GLOSSARY_LINE.findall(path.read_text(encoding="utf-8")):
            terms.setdefault(term, definition)
    return ctx.render("glossary", terms=glossary_entries(terms))


def sc_verification(ctx: Context, arg: str) -> Markup:
    dates = sorted({c["verification"]["date"] for t in ctx.report["topics"] for c in t["claims"]
                    if c.get("verification") and c["verification"]["how"] == "record"})
    counts = [(len(ts), GROUP_WORDS.get(k, k)) for k, ts in topic_groups(ctx).items()]
    return ctx.render("verification", summary=ctx.report["summary"], counts=counts, dates=dates)


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                "twelve")


def sc_count(ctx: Context, arg: str) -> str:
    return count_word(len(ctx.sources), arg)


def count_word(n: int, arg: str) -> str:
    """<!-- count: sources --> as a word ("five"); `Sources` starts a sentence ("Five")."""
    if arg.lower() != "sources":
        raise LookupError("count takes 'sources'")
    word = NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)
    return word.capitalize() if arg[0].isupper() else word


SHORTCODES = {
    "count": sc_count,
    "sources": sc_evidence,
    "disagreement": sc_evidence,
    "cite": sc_cite,
    "values": sc_values,
    "disagreements": sc_disagreements,
    "source": sc_source,
    "sources-list": sc_sources_list,
    "source-kinds": sc_source_kinds,
    "week-readings": sc_week_readings,
    "guidance": sc_guidance,
    "glossary": sc_glossary,
    "verification": sc_verification,
    "timeline": sc_timeline,
    "diagram": sc_diagram,
    "questions": sc_questions,
}
