"""The site's shortcodes: the engine's findings rendered into page fragments.

A plain function of the findings and the templates, with no MkDocs in it: `expand_shortcodes`
replaces each HTML-comment shortcode of a page's Markdown by a placeholder for its HTML, which
comes from a Jinja template in overrides/partials/ci-*.html with autoescape on. The MkDocs hooks
(hooks.py) only build a `Site` once per build and call this for each page.
"""
from __future__ import annotations

import re
import posixpath
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from reconcile.phrases import mentions


SHORTCODE = re.compile(r"<!--\s*([a-z][a-z-]*):\s*(.*?)\s*-->")
CODE = re.compile(r"^(```|~~~).*?^\1|`[^`\n]+`", re.M | re.S)
GLOSSARY_LINE = re.compile(r"^\*\[(.+?)\]:\s*(.+)$", re.M)


class ShortcodeError(Exception):
    """A shortcode that cannot be rendered: the message names the page and line."""


@dataclass
class Site:
    """What every page's shortcodes read: the findings as published, and the template environment."""
    root: Path
    project: object
    sources: dict
    report: dict
    env: object
    topics: dict = field(default_factory=dict)
    anchors: dict = field(default_factory=dict)  # topic id -> (page, anchor) of its evidence block

    def __post_init__(self):
        self.topics = self.topics or {t["id"]: t for t in self.report["topics"]}

HEADINGS = {  # the first words of a question's folded evidence: short, a phone line is narrow
    "conflict": ("warning", "Sources disagree."),
    "omission": ("warning", "Some leave out a caution."),
    "outdated": ("danger", "Guidance differs."),
    "outdated-single": ("danger", "Guidance says otherwise."),
    "variation": ("info", "Sources differ a little."),
    "single-source": ("info", "One source says this."),
    "agree": ("success", "Sources agree."),
    # the rows decide where the engine's status would contradict them (heading_of)
    "placed": ("info", "Sources differ in wording."),
    "agree-guidance": ("warning", "Sources agree; guidance differs for some."),
}
GROUP_TITLES = {
    "conflict": "The sources disagree",
    "omission": "Some sources leave out a caution",
    "outdated": "Current guidance differs from what the sources say",
    "variation": "The sources differ a little",
    "single-source": "Only one source says this",
}
# What the marker "(secondary)" beside a citation key means, wherever it is shown.
SECONDARY = "confirmed through secondary sources that report this guidance"
# Shortcodes whose HTML is a block of its own: it must stand alone on its line.
BLOCK = {"sources", "disagreement", "disagreements", "source", "sources-list", "guidance", "glossary",
         "verification", "timeline", "diagram", "questions"}


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

    markdown = SHORTCODE.sub(expand, markdown)
    if getattr(ctx, "refs", None):  # the numbered citations' list, folded at the end of the page
        markdown += "\n\n" + stash(str(ctx.render("references", refs=ctx.refs))) + "\n"
    return markdown



@dataclass
class Page:
    """The page being rendered, as any builder knows it."""
    src_uri: str   # its file under docs/ ("treatment/cerclage.md")
    url: str       # its address in the built site ("treatment/cerclage/")
    meta: dict     # its front matter
    source: str = ""  # its Markdown as written (for line numbers in errors)


def relative_url(url: str, base: str) -> str:
    """The link from the page at `base` to `url`, both site addresses (as MkDocs writes them)."""
    if base != ".":
        head, tail = posixpath.split(base)
        base = head if "." in tail else base
    rel = posixpath.relpath("/" + url, "/" + base)
    return rel + "/" if url.endswith("/") else rel


class Context:
    """What a shortcode needs: the page (for relative links), every file's address and the findings."""

    def __init__(self, site: Site, page: Page, urls: dict[str, str]):
        self.site, self.page, self.urls = site, page, urls
        self.project, self.report, self.sources = site.project, site.report, site.sources
        self.shown: set[str] = set()  # topics whose evidence block this page already has
        self.refs: list[list[dict]] = []  # each citation's links, in page order: its number is its place + 1

    def href(self, src_uri: str, anchor: str = "") -> str:
        if src_uri not in self.urls:
            raise LookupError(f"no page {src_uri}")
        return relative_url(self.urls[src_uri], self.page.url) + (f"#{anchor}" if anchor else "")

    def topic(self, tid: str) -> dict:
        if tid not in self.site.topics:
            known = tid in self.project.topics
            raise LookupError(f"topic {tid!r} has no claim from a published source" if known else
                              f"unknown topic {tid!r} (see data/topics/)")
        return self.site.topics[tid]

    def label(self, sid: str) -> str:
        return self.sources[sid].label

    def render(self, name: str, **values) -> Markup:
        """One of overrides/partials/ci-NAME.html, autoescaped, with the helpers templates use."""
        template = self.site.env.get_template(f"partials/ci-{name}.html")
        return Markup(template.render(href=self.href, anchor=anchor, label=self.label, SECONDARY=SECONDARY,
                                      topic_link=lambda t: topic_link(self, t),
                                      guidance=lambda ids: guidance_links(self, ids), **values).strip())


def anchor(kind: str, ident: str) -> str:
    return f"{kind}-{re.sub(r'[^a-z0-9]+', '-', ident.lower()).strip('-')}"


def topic_link(ctx: Context, t: dict) -> str:
    """Where a topic is best read: its table of sources, else its callout, else its page."""
    place = ctx.site.anchors.get(t["id"])
    return ctx.href(*place) if place else ctx.href(t["page"])


def guidance_links(ctx: Context, ids: list[str], seen: dict | None = None) -> list[dict]:
    """One link per citation key, to the first of the facts that cites it (so a key shows once)."""
    links = {} if seen is None else seen
    for gid in ids:
        fact = ctx.project.guidance[gid]
        for key in fact.cite:
            links.setdefault(key, {"text": key, "title": key, "href": ctx.href("guidance.md", anchor("guidance", gid[9:])),
                                   "secondary": False, "name": "Current guidance"})
        if fact.secondary and fact.cite[-1] in links:  # said once, after the fact's last key
            links[fact.cite[-1]]["secondary"] = True
    return list(links.values())


# ---------------------------------------------------------------- shortcodes

def _level(claim: dict) -> str | None:
    return (claim["mark"] or {}).get("level")


def _overlap(a: dict, b: dict) -> bool:
    lo = lambda v: float("-inf") if v["min"] is None else v["min"]  # noqa: E731
    hi = lambda v: float("inf") if v["max"] is None else v["max"]  # noqa: E731
    return lo(a) <= hi(b) and lo(b) <= hi(a)


def cell(topic: dict, claim: dict | None) -> str:
    """Where one source stands on a question: agree, partly (guidance supports part of it), varies,
    differs, guidance (differs from it), states or leaves (a caution one source states and another
    leaves out; no side is taken there unless guidance takes it) or silent.

    Only guidance takes a side: in a conflict, a source agrees when guidance supports its claim (or the
    same value); where guidance is silent every side of a conflict simply differs.
    """
    if claim is None:
        return "silent"
    level = _level(claim)
    if level == "differs" or claim.get("names") or (topic["outdated"] and level not in ("matches", "partly")):
        return "guidance"  # a withdrawn or discouraged treatment it names counts too, whatever the question
    if level in ("matches", "partly"):
        return "agree" if level == "matches" else "partly"
    if topic["status"] == "omission":  # the one that states the caution is not the one that differs
        return "states" if claim["value"] == "stated" else "leaves"
    if topic["status"] == "conflict":
        sided = [c for c in topic["claims"] if _level(c) in ("matches", "partly")]
        same = [_level(c) for c in sided if c["value"] == claim["value"]]
        if same:  # the side guidance supports, wholly or in part
            return "agree" if "matches" in same else "partly"
        # a range that overlaps (or touches) every side is a small difference, not a side of the conflict
        if topic["kind"] == "range" and all(_overlap(c["value"], claim["value"]) for c in sided or topic["claims"]):
            return "varies"
        return "differs"
    return "varies" if topic["status"] == "variation" else "agree"


# Each cell kind in the evidence summary's words: (several sources, one source).
CELL_WORDS = {"agree": ("agree", "agrees"), "partly": ("partly agree", "partly agrees"), "varies": ("vary", "varies"),
              "differs": ("differ", "differs"), "guidance": ("differ from guidance", "differs from guidance"),
              "states": ("state it", "states it"), "leaves": ("leave it out", "leaves it out"),
              "silent": ("silent", "silent")}


def status_of(topic: dict) -> str:
    if topic["outdated"]:
        return "outdated-single" if topic["status"] == "single-source" else "outdated"
    return topic["status"]


def heading_of(ctx: Context, topic: dict) -> str:
    """The evidence block's heading, never against its own rows: a conflict where guidance at least partly
    supports every source (all say no stitch for twins, in other words) is not "Sources disagree."; sources that
    agree, where a row differs from guidance (a withdrawn form it takes in), do not read "Sources agree." alone."""
    status = status_of(topic)
    by_source = {c["source"]: c for c in topic["claims"]}
    cells = [cell(topic, by_source.get(sid)) for sid in ctx.sources]
    if status == "conflict" and all(c in ("agree", "partly", "silent") for c in cells):
        return "placed"
    if status == "agree" and "guidance" in cells:
        return "outdated" if all(c in ("guidance", "silent") for c in cells) else "agree-guidance"
    return status


def counts_line(ctx: Context, topic: dict) -> str:
    """The folded evidence's summary: "5 sources: 3 agree, 1 differs, 1 silent; with guidance"."""
    by_source = {c["source"]: c for c in topic["claims"]}
    cells = [cell(topic, by_source.get(sid)) for sid in ctx.sources]
    parts = []
    for key, (several, one) in CELL_WORDS.items():
        n = cells.count(key)
        if n:
            word = "says this" if n == 1 and key == "agree" and len(topic["claims"]) == 1 else one if n == 1 else several
            parts.append(f"{n} {word}")
    line = f"{len(cells)} sources: " + ", ".join(parts)
    res = topic["resolution"]
    if res:  # the guidance itself is one tap away, with its links
        line += "; guidance is silent" if res["guidance_silent"] else "; with guidance"
    elif not topic["resolved"]:
        line += "; not yet reviewed"
    return line


def sc_evidence(ctx: Context, tid: str) -> Markup:
    """<!-- sources: T --> and <!-- disagreement: T -->: one folded block per question and page."""
    topic = ctx.topic(tid)
    if tid in ctx.shown:
        return Markup("")  # the other shortcode of the pair already put the block here
    ctx.shown.add(tid)
    res = topic["resolution"]
    status = status_of(topic)
    kind, heading = HEADINGS[heading_of(ctx, topic)]
    claimed = {c["source"] for c in topic["claims"]}
    ask = bool(res and res["guidance_silent"] and "doctor" not in (res["trust"] or "").lower())
    return ctx.render("evidence", topic=topic, res=res, kind=kind, heading=heading, ask=ask,
                      timeline=timeline(ctx, [topic], small=True) if is_weeks(topic) else "",
                      counts=counts_line(ctx, topic), silent=[sid for sid in ctx.sources if sid not in claimed],
                      needs_review=status in ("conflict", "omission") and not topic["resolved"])


# ---------------------------------------------------------------- the timeline of weeks

WEEKS = 40  # the axis: a pregnancy, 0 to 40 weeks (longer when a value goes past it)


def is_weeks(topic: dict) -> bool:
    """A question whose answer is a range of weeks of pregnancy."""
    return topic["kind"] == "range" and all(c["value"].get("unit") == "weeks" for c in topic["claims"])


def weeks_words(lo, hi) -> str:
    """A range of weeks in words: "26 to 28 weeks", "up to 24 weeks", "19 weeks on"."""
    n = lambda v: f"{v:g}"  # noqa: E731
    if lo is None and hi is None:
        return "any week"
    if lo is None:
        return f"up to {n(hi)} weeks"
    if hi is None:
        return f"{n(lo)} weeks on"
    return f"{n(lo)} weeks" if lo == hi else f"{n(lo)} to {n(hi)} weeks"


# What a row's mark is measured against, in words (a plain agreement needs none).
TIMELINE_WORDS = {"agree": "", "partly": "partly matches guidance", "varies": "differs a little from the others",
                  "differs": "differs from the others", "guidance": "differs from guidance"}


def _timeline_mark(topic: dict, claim: dict) -> str:
    kind = cell(topic, claim)
    return "matches guidance" if kind == "agree" and _level(claim) == "matches" else TIMELINE_WORDS.get(kind, "")


def states_weeks(quote: str) -> bool:
    """Whether a source's own words give a week (a number or a named stretch such as a trimester): a
    week range read from words like "early in pregnancy" is the site's reading, never drawn as theirs."""
    return any(m.kind == "weeks" for m in mentions(quote))


def _span(lo, hi, axis: int) -> dict:
    """Where a range sits on the axis, in percent of its width (a single week still shows)."""
    start, end = 0 if lo is None else lo, axis if hi is None else hi
    left, width = 100 * start / axis, 100 * (end - start) / axis
    width = max(width, 1.5)
    return {"left": round(min(left, 100 - width), 2), "width": round(width, 2), "open_start": lo is None,
            "open_end": hi is None, "words": weeks_words(lo, hi)}


def timeline(ctx: Context, topics: list[dict], small: bool = False) -> Markup:
    """Each source's range of weeks and the guidance range on one axis, a table per question.

    Made from the findings: a source with a claim on the question has a row, guidance facts that
    state a range for it make the band every row is read against. The table is the text alternative:
    each row says its weeks in words; the bars are drawn beside them and hidden from screen readers.
    """
    weeks = [t for t in topics if is_weeks(t)]
    highest = max([c["value"][k] or 0 for t in weeks for c in t["claims"] for k in ("min", "max")] + [WEEKS])
    axis = int(-(-highest // 10) * 10)
    groups = []
    for t in weeks:
        facts = [f for f in ctx.project.guidance.values()
                 if t["id"] in f.topics and f.value is not None and f.value.unit == "weeks"]
        guidance = [dict(_span(f.value.min, f.value.max, axis), cite=", ".join(f.cite), id=f.id) for f in facts]
        by_source = {c["source"]: c for c in t["claims"]}
        rows = [dict(_span(c["value"]["min"], c["value"]["max"], axis), sid=sid, label=ctx.label(sid),
                     kind=cell(t, c), mark=_timeline_mark(t, c), stated=states_weeks(c["quote"]))
                for sid in ctx.sources if (c := by_source.get(sid))]
        for row in rows:
            if not row["stated"]:  # the weeks are our reading of words such as "early in pregnancy"
                row["words"] = f"gives no week (we read it as {row['words']})"
        groups.append({"topic": t, "status": status_of(t), "rows": rows, "guidance": guidance})
    if not groups:
        raise LookupError("timeline: no question whose answer is a range of weeks")
    ticks = [{"week": w, "left": 100 * w / axis} for w in range(0, axis + 1, 10)]
    return ctx.render("timeline", groups=groups, ticks=ticks, axis=axis, small=small)


def sc_timeline(ctx: Context, arg: str) -> Markup:
    """<!-- timeline: all --> every question answered in weeks; <!-- timeline: TOPIC --> one of them."""
    if arg == "all":
        return timeline(ctx, ctx.report["topics"])
    topic = ctx.topic(arg)
    if not is_weeks(topic):
        raise LookupError(f"timeline: topic {arg!r} is not a range of weeks")
    return timeline(ctx, [topic], small=True)


DIAGRAMS = ("cervix", "stitch", "scan")  # overrides/partials/ci-diagram-NAME.html: SVG the project drew


def sc_diagram(ctx: Context, arg: str) -> Markup:
    """<!-- diagram: NAME -->: one of the project's accessible SVG pictures (title, description, caption);
    <!-- diagram: NAME folded --> puts it in a folded block (a page short of room), open on paper."""
    name, _, how = arg.partition(" ")
    if name not in DIAGRAMS or how not in ("", "folded"):
        raise LookupError(f"unknown diagram {arg!r} (known: {', '.join(DIAGRAMS)}, each may add 'folded')")
    return ctx.render("diagram", picture=name, folded=bool(how))


def sc_cite(ctx: Context, arg: str) -> Markup:
    links = {}
    for ident in (i.strip() for i in arg.split(",")):
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
        links.setdefault(claim.source, {
            "text": claim.source, "href": ctx.href(f"sources/{claim.source}.md", anchor("claim", ident)),
            "title": f"{ctx.label(claim.source)}: \u201c{claim.quote}\u201d", "name": ctx.label(claim.source)})
    if not links:
        raise LookupError("cite needs at least one id")
    ctx.refs.append(list(links.values()))
    return ctx.render("cite", links=list(links.values()), n=len(ctx.refs))


def topic_groups(report: dict) -> dict[str, list[dict]]:
    """The questions by group, one scheme for every page that counts them: where current guidance differs
    from what the sources say, that group, whatever the sources' own status; else the status."""
    groups = {k: [] for k in ("conflict", "omission", "outdated", "variation", "single-source", "agree")}
    for t in report["topics"]:
        groups["outdated" if t["outdated"] else t["status"]].append(t)
    return groups


# How a count of each group reads in a sentence ("4 where guidance differs").
GROUP_WORDS = {"outdated": "where guidance differs"}


def _groups(ctx: Context):
    groups = topic_groups(ctx.report)
    del groups["agree"]
    return groups


MAP_LINE = 44  # characters of a question on one line of the map: a phone shows the whole line


def guidance_cell(topic: dict) -> str:
    """The map's guidance column: whether current guidance settles the question, differs from what the
    sources say, is silent on it, or has not been checked yet."""
    res = topic["resolution"]
    if topic["outdated"]:
        return "differs"
    if not res:
        return "silent" if topic["resolved"] else "unreviewed"
    return "silent" if res["guidance_silent"] or not res["guidance"] else "settles"


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
    rows = [{"question": t["question"], "href": topic_link(ctx, t), "group": key,
             "lines": textwrap.wrap(t["question"], MAP_LINE), "guidance": guidance_cell(t),
             "cells": [cell(t, next((c for c in t["claims"] if c["source"] == sid), None)) for sid in ctx.sources]}
            for key in ("conflict", "omission", "outdated", "variation") for t in groups[key]]
    agree = len(topic_groups(ctx.report)["agree"])
    return ctx.render(f"disagreements-{arg}", groups=groups, titles=GROUP_TITLES, summary=ctx.report["summary"], agree=agree,
                      sources=ctx.sources, rows=rows, columns=list(ctx.sources))


QUESTION_GROUPS = {"conflict": "Where the sources disagree", "omission": "Where some sources leave out a caution",
                   "outdated": "Where current guidance differs"}


def page_title(root: Path, src_uri: str) -> str:
    """A page's own title: the first level-one heading of its Markdown."""
    path = root / "docs" / src_uri
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    m = re.search(r"^# (.+?)\s*$", text, re.M)
    return m.group(1) if m else src_uri


def sc_questions(ctx: Context, arg: str) -> Markup:
    """<!-- questions: all -->: one question to ask a doctor for each question where the sources disagree,
    leave out a caution or current guidance says otherwise, with the page that explains it;
    `short`: only the topics the page lists in its front matter (`disagreements:`), for paper."""
    if arg not in ("all", "short"):
        raise LookupError("questions takes 'all' or 'short'")
    groups = _groups(ctx)
    chosen = ctx.page.meta.get("disagreements") if arg == "short" else None
    groups = {key: [t for t in groups[key] if chosen is None or t["id"] in chosen] for key in QUESTION_GROUPS}
    # the page the link leads to: where the question's evidence is, else its own page
    titles = {t["id"]: page_title(ctx.site.root, ctx.site.anchors.get(t["id"], (t["page"],))[0])
              for ts in groups.values() for t in ts}
    return ctx.render("questions", groups={k: ts for k, ts in groups.items() if ts}, headings=QUESTION_GROUPS,
                      titles=titles, short=arg == "short")


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


def sc_guidance(ctx: Context, arg: str) -> Markup:
    return ctx.render("guidance", facts=ctx.project.guidance, citations=ctx.project.citations)


def sc_glossary(ctx: Context, arg: str) -> Markup:
    terms = {}
    for path in sorted((ctx.site.root / "includes").glob("glossary*.md")):
        for term, definition in GLOSSARY_LINE.findall(path.read_text(encoding="utf-8")):
            terms.setdefault(term, definition)
    return ctx.render("glossary", terms=sorted(terms.items(), key=lambda x: x[0].lower()))


def sc_verification(ctx: Context, arg: str) -> Markup:
    dates = sorted({c["verification"]["date"] for t in ctx.report["topics"] for c in t["claims"]
                    if c.get("verification") and c["verification"]["how"] == "record"})
    counts = [(len(ts), GROUP_WORDS.get(k, k)) for k, ts in topic_groups(ctx.report).items()]
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
    "disagreements": sc_disagreements,
    "source": sc_source,
    "sources-list": sc_sources_list,
    "source-kinds": sc_source_kinds,
    "guidance": sc_guidance,
    "glossary": sc_glossary,
    "verification": sc_verification,
    "timeline": sc_timeline,
    "diagram": sc_diagram,
    "questions": sc_questions,
}
