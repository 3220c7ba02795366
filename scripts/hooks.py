"""MkDocs hooks: the engine's findings rendered into the site.

The data is loaded, verified and compared once per build (``on_config``); pages use
HTML-comment shortcodes (invisible in a plain Markdown preview; an unknown one fails
the build with page and line):

    <!-- sources: TOPIC -->        what each source says, quotes on expand, "not mentioned"
    <!-- disagreement: TOPIC -->   the callout: status, sides, resolution, citation
    <!-- cite: ID, ID -->          citation links to claims (SOURCE.TOPIC) or guidance (guidance.NAME)
    <!-- disagreements: short -->  one line per reconciled topic (the handout); `all` for the full list
    <!-- glossary: all -->         every term of the glossary snippet files
    <!-- verification: status --> whether this build verified the quotes
    <!-- source: ID -->            a source page;  <!-- sources-list: all -->, <!-- guidance: all -->

Every shortcode's HTML comes from a Jinja template in overrides/partials/ci-*.html, rendered
in the theme's own template environment (so a custom_dir can override it) with autoescape on.
The HTML goes into Python-Markdown's stash, so Markdown never parses it again: nothing in the
data can become a link, an image or an element.

Generated pages: disagreements.md, guidance.md, sources/index.md, sources/ID.md.
Exports: exports/findings.json (the script's JSON), exports/claims.csv, exports/findings.csv.
"""
from __future__ import annotations

import json
import logging
import os
import re
import sys
from pathlib import Path

from jinja2 import FileSystemBytecodeCache
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markupsafe import Markup, escape
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reconcile import render  # noqa: E402
from reconcile.model import STATUSES  # noqa: E402
from reconcile.pipeline import PARSE_CACHE, analyse, archive_dir, reference_file  # noqa: E402
from reconcile.pages import shown_topics, unshown  # noqa: E402
from reconcile.report import build_report  # noqa: E402
from reconcile.yamlfile import InputError  # noqa: E402

log = logging.getLogger("mkdocs.hooks.reconcile")

SHORTCODE = re.compile(r"<!--\s*([a-z][a-z-]*):\s*(.*?)\s*-->")
CODE = re.compile(r"^(```|~~~).*?^\1|`[^`\n]+`", re.M | re.S)
GLOSSARY_LINE = re.compile(r"^\*\[(.+?)\]:\s*(.+)$", re.M)

HEADINGS = {  # the first words of a question's folded evidence: short, a phone line is narrow
    "conflict": ("warning", "Sources disagree."),
    "omission": ("warning", "Some leave out a caution."),
    "outdated": ("danger", "Guidance differs."),
    "outdated-single": ("danger", "Guidance says otherwise."),
    "variation": ("info", "Sources differ a little."),
    "single-source": ("info", "One source says this."),
    "agree": ("success", "Sources agree."),
}
GROUP_TITLES = {
    "conflict": "The sources disagree",
    "omission": "Some sources leave out a caution",
    "outdated": "Current guidance differs from what the sources say",
    "variation": "The sources differ a little",
    "single-source": "Only one source says this",
}
# Shortcodes whose HTML is a block of its own: it must stand alone on its line.
BLOCK = {"sources", "disagreement", "disagreements", "source", "sources-list", "guidance", "glossary",
         "verification"}

# The pages this hook makes, besides one per source (sources/ID.md, headed by its template).
HELP_BOX = "includes/help-box.md"
GENERATED = {"disagreements.md": ("Where the sources disagree", "disagreements: all"),
             "guidance.md": ("What current guidance says", "guidance: all"),
             "sources/index.md": ("The sources", "sources-list: all")}

state: dict = {}


# ---------------------------------------------------------------- build events

def on_config(config):
    root = Path(config.config_file_path).parent
    archive, reference = archive_dir(), reference_file()
    archive = archive if archive.is_dir() else None
    reference = reference if reference.is_file() else None
    try:
        a = analyse(root / "data", archive, reference)
    except InputError as exc:
        raise PluginError(f"bad data: {exc}") from None
    report = build_report(a.project, a.verification, a.findings, a.reference_problems, a.discovery)
    if archive is None:
        log.info("source archive not found (%s): %d of %d quotes shown as verified from data/verified.lock",
                 archive_dir(), report["summary"]["quotes"]["record"], report["summary"]["claims"])
    elif report["summary"]["quotes"]["failed"]:
        log.info("%d quotes did not verify: run `make check`", report["summary"]["quotes"]["failed"])
    if not any(isinstance(e, IncludedShortcodes) for e in config.markdown_extensions):
        config.markdown_extensions.append(IncludedShortcodes())
    # The theme's own environment (custom_dir first, so overrides work), with autoescape on:
    # every value a template prints is escaped unless the template itself made it markup.
    # Compiled templates are kept in the build folder, keyed by their source (a changed template
    # is compiled again; a broken file is ignored): compiling them was half the shortcodes' time.
    templates_cache = PARSE_CACHE.parent / "templates"
    try:
        templates_cache.mkdir(parents=True, exist_ok=True)
        compiled = FileSystemBytecodeCache(str(templates_cache)) if os.access(templates_cache, os.W_OK) else None
    except OSError:  # a read-only checkout: compile each time
        compiled = None
    env = config.theme.get_env().overlay(autoescape=True, bytecode_cache=compiled)
    # Drafts are never published: a draft source (draft: true, or a TODO left in it) gets no page,
    # no row and no count; the build says which it left out.
    sources = {sid: s for sid, s in a.project.sources.items() if not is_draft(s)}
    drafts = [f"{s.id} ({s.where})" for s in a.project.sources.values() if s.id not in sources]
    if drafts:
        log.info("draft sources left out of the site: %s", ", ".join(drafts))
    report = published(report, set(sources))
    state.clear()
    state.update(root=root, project=a.project, sources=sources, findings={f.topic.id: f for f in a.findings},
                 report=report, topics={t["id"]: t for t in report["topics"]}, anchors={}, env=env)
    add_sources_to_nav(config.nav, sources)
    config.site_description = SHORTCODE.sub(lambda m: sc_count(None, m.group(2)) if m.group(1) == "count"
                                            else m.group(0), config.site_description or "")
    return config


def is_draft(source) -> bool:
    fields = [source.title, source.label, source.names, source.kind, *source.appraisal.values()]
    return bool(source.draft) or any("TODO" in str(v) for v in fields if v)


def published(report: dict, sources: set[str]) -> dict:
    """The report as pages show it: claims of draft sources left out."""
    topics = [dict(t, claims=[c for c in t["claims"] if c["source"] in sources]) for t in report["topics"]]
    return dict(report, topics=[t for t in topics if t["claims"]])


def add_sources_to_nav(nav, sources) -> None:
    """Each source page goes into the nav section that holds sources/index.md, after it."""
    def walk(items) -> bool:
        for i, item in enumerate(items):
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if value == "sources/index.md":
                items[i + 1:] = [x for x in items[i + 1:] if not str(x).startswith("sources/")]
                items[i + 1:i + 1] = [f"sources/{sid}.md" for sid in sources]
                return True
            if isinstance(value, list) and walk(value):
                return True
        return False

    if nav is not None and not walk(nav):
        raise PluginError("mkdocs.yml: nav has no sources/index.md; the source pages are listed after it")


def on_files(files, config):
    project = state["project"]
    pages = {path: f"# {title}\n\n<!-- {code} -->\n" for path, (title, code) in GENERATED.items()}
    # A source page's heading comes from its template (the label is data, never Markdown).
    for sid in state["sources"]:
        pages[f"sources/{sid}.md"] = f"<!-- source: {sid} -->\n"
    # Pages that speak of symptoms carry the same "Get help now" box as the written pages: one
    # file, includes/help-box.md, pulled in by pymdownx.snippets (absent in a project without it).
    if (state["root"] / HELP_BOX).is_file():
        for path in pages:
            if path == "disagreements.md" or path.startswith("sources/"):
                pages[path] += f'\n--8<-- "{HELP_BOX}"\n'
    for path, content in pages.items():
        files.append(File.generated(config, path, content=content))
    report = state["report"]
    exports = {"exports/findings.json": json.dumps(report, indent=2, ensure_ascii=False) + "\n",
               "exports/claims.csv": render.claims_csv(report),
               "exports/findings.csv": render.findings_csv(report)}
    for path, content in exports.items():
        files.append(File.generated(config, path, content=content))
    # Where each topic's evidence block is: the generated pages link to it.
    texts = [f.content_string for f in files.documentation_pages() if not f.generated_by]
    for file in files.documentation_pages():
        if file.generated_by:
            continue
        for tid in shown_topics([file.content_string])[0]:
            state["anchors"].setdefault(tid, (file.src_uri, anchor("topic", tid)))
    missing = unshown([t["id"] for t in state["report"]["topics"]], texts)
    if missing:
        first = state["report"]["topics"][[t["id"] for t in state["report"]["topics"]].index(missing[0])]
        raise PluginError(f"{project.topics[missing[0]].where}: topic {missing[0]} has claims but no page shows it "
                          f"(add <!-- sources: {missing[0]} --> to {first['page']})"
                          + (f"; also {', '.join(missing[1:])}" if missing[1:] else ""))
    for topic in project.topics.values():
        if files.get_file_from_path(topic.page) is None:
            raise PluginError(f"{topic.where}: topic {topic.id} names page {topic.page}, which is not in docs/")
    state["files"] = files
    return files


def on_page_markdown(markdown, page, config, files):
    state["page"] = Context(page, files)  # the Markdown preprocessor expands this page's shortcodes
    title = generated_title(page.file.src_uri)
    if title:
        page.meta["search"] = {"boost": 0.2}  # found, but after the pages that answer the question
        # Material prints page.meta's title and description without escaping: hand it markup.
        if page.file.src_uri.startswith("sources/") and page.file.src_uri != "sources/index.md":
            page.meta["title"] = Markup(escape(title))  # the nav, the header and <title>
        page.meta["description"] = Markup(escape(
            f"{title}: part of a guide to what public web sources say about cervical insufficiency."))
    return markdown


def on_post_page(output, page, config):
    # A page's `tags:` are search words (indexed by now); the print page must not list them.
    page.meta.pop("tags", None)
    return output


def generated_title(src_uri: str) -> str | None:
    """The title of a page this hook generates (None for the pages in docs/)."""
    m = re.fullmatch(r"sources/([^/]+)\.md", src_uri)
    if m and m.group(1) in state["sources"]:
        source = state["sources"][m.group(1)]
        return f"{source.label} ({source.id})"
    return GENERATED[src_uri][0] if src_uri in GENERATED else None


def expand_shortcodes(markdown: str, ctx, where, stash) -> str:
    """Replace each shortcode by a placeholder for its HTML (kept out of Markdown's reach)."""
    protected = [m.span() for m in CODE.finditer(markdown)]

    def expand(m):
        if any(a <= m.start() < b for a, b in protected):
            return m.group(0)
        name, arg = m.group(1), m.group(2)
        handler = SHORTCODES.get(name)
        if handler is None:
            raise PluginError(f"{where(m)}: unknown shortcode <!-- {name}: ... --> (known: {', '.join(SHORTCODES)})")
        if name in BLOCK:
            line_start = markdown.rfind("\n", 0, m.start()) + 1
            line_end = markdown.find("\n", m.end())
            rest = markdown[line_start:m.start()] + markdown[m.end():len(markdown) if line_end < 0 else line_end]
            if rest.strip():
                raise PluginError(f"{where(m)}: <!-- {name}: ... --> makes a block; put it on a line of its own")
        try:
            result = handler(ctx, arg)
            # Markup goes into the stash; a count is a plain word (it may stand in a heading).
            return stash(str(result)) if isinstance(result, Markup) else result
        except LookupError as exc:
            raise PluginError(f"{where(m)}: {exc.args[0]}") from None

    return SHORTCODE.sub(expand, markdown)


class _Shortcodes(Preprocessor):
    """Expands the shortcodes of the page, snippets included (pymdownx.snippets runs just before)."""

    def run(self, lines):
        ctx = state.get("page")
        text = "\n".join(lines)
        if ctx is None or "<!--" not in text:
            return lines
        raw = ctx.page.file.content_string

        def where(m):
            at = raw.find(m.group(0))
            if at < 0:
                return f"{ctx.page.file.src_uri} (in an included snippet)"
            return f"{ctx.page.file.src_uri}:{raw.count(chr(10), 0, at) + 1}"

        return expand_shortcodes(text, ctx, where, self.md.htmlStash.store).split("\n")


class IncludedShortcodes(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(_Shortcodes(md), "reconcile-shortcodes", 29)  # after snippets (32) and normalize_whitespace (30), which drops stash markers


# ---------------------------------------------------------------- helpers

class Context:
    """What a shortcode needs: the page (for relative links) and the findings."""

    def __init__(self, page, files):
        self.page, self.files = page, files
        self.project, self.report, self.sources = state["project"], state["report"], state["sources"]
        self.shown: set[str] = set()  # topics whose evidence block this page already has

    def href(self, src_uri: str, anchor: str = "") -> str:
        file = self.files.get_file_from_path(src_uri)
        if file is None:
            raise LookupError(f"no page {src_uri}")
        return get_relative_url(file.url, self.page.url) + (f"#{anchor}" if anchor else "")

    def topic(self, tid: str) -> dict:
        if tid not in state["topics"]:
            known = tid in self.project.topics
            raise LookupError(f"topic {tid!r} has no claim from a published source" if known else
                              f"unknown topic {tid!r} (see data/topics/)")
        return state["topics"][tid]

    def label(self, sid: str) -> str:
        return self.sources[sid].label

    def render(self, name: str, **values) -> Markup:
        """One of overrides/partials/ci-NAME.html, autoescaped, with the helpers templates use."""
        template = state["env"].get_template(f"partials/ci-{name}.html")
        return Markup(template.render(href=self.href, anchor=anchor, label=self.label,
                                      topic_link=lambda t: topic_link(self, t),
                                      guidance=lambda ids: guidance_links(self, ids), **values).strip())


def anchor(kind: str, ident: str) -> str:
    return f"{kind}-{re.sub(r'[^a-z0-9]+', '-', ident.lower()).strip('-')}"


def topic_link(ctx: Context, t: dict) -> str:
    """Where a topic is best read: its table of sources, else its callout, else its page."""
    place = state["anchors"].get(t["id"])
    return ctx.href(*place) if place else ctx.href(t["page"])


def guidance_links(ctx: Context, ids: list[str], seen: dict | None = None) -> list[dict]:
    """One link per citation key, to the first of the facts that cites it (so a key shows once)."""
    links = {} if seen is None else seen
    for gid in ids:
        fact = ctx.project.guidance[gid]
        for key in fact.cite:
            links.setdefault(key, {"text": key, "title": key, "href": ctx.href("guidance.md", anchor("guidance", gid[9:])),
                                   "secondary": False})
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
    if level == "differs" or (topic["outdated"] and level not in ("matches", "partly")):
        return "guidance"
    if level in ("matches", "partly"):
        return "agree" if level == "matches" else "partly"
    if topic["status"] == "omission":  # the one that states the caution is not the one that differs
        return "states" if claim["value"] == "stated" else "leaves"
    if topic["status"] == "conflict":
        sided = [c for c in topic["claims"] if _level(c) in ("matches", "partly")]
        same = [_level(c) for c in sided if c["value"] == claim["value"]]
        if same:  # the side guidance supports, wholly or in part
            return "agree" if "matches" in same else "partly"
        if topic["kind"] == "range" and sided and all(_overlap(c["value"], claim["value"]) for c in sided):
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
    kind, heading = HEADINGS[status]
    claimed = {c["source"] for c in topic["claims"]}
    ask = bool(res and res["guidance_silent"] and "doctor" not in (res["trust"] or "").lower())
    return ctx.render("evidence", topic=topic, res=res, kind=kind, heading=heading, ask=ask,
                      counts=counts_line(ctx, topic), silent=[sid for sid in ctx.sources if sid not in claimed],
                      needs_review=status in ("conflict", "omission") and not topic["resolved"])


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
            "title": f"{ctx.label(claim.source)}: \u201c{claim.quote}\u201d"})
    if not links:
        raise LookupError("cite needs at least one id")
    return ctx.render("cite", links=list(links.values()))


def _groups(ctx: Context):
    order = ["conflict", "omission", "outdated", "variation", "single-source"]
    groups = {k: [] for k in order}
    for t in ctx.report["topics"]:
        key = "outdated" if t["outdated"] else t["status"]
        if key in groups:
            groups[key].append(t)
    return groups


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
    rows = [{"question": t["question"], "href": topic_link(ctx, t),
             "cells": [cell(t, next((c for c in t["claims"] if c["source"] == sid), None)) for sid in ctx.sources]}
            for key in ("conflict", "omission", "outdated", "variation") for t in groups[key]]
    return ctx.render(f"disagreements-{arg}", groups=groups, titles=GROUP_TITLES, summary=ctx.report["summary"],
                      sources=ctx.sources, rows=rows, columns=list(ctx.sources))


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


def sc_guidance(ctx: Context, arg: str) -> Markup:
    return ctx.render("guidance", facts=ctx.project.guidance, citations=ctx.project.citations)


def sc_glossary(ctx: Context, arg: str) -> Markup:
    terms = {}
    for path in sorted((state["root"] / "includes").glob("glossary*.md")):
        for term, definition in GLOSSARY_LINE.findall(path.read_text(encoding="utf-8")):
            terms.setdefault(term, definition)
    return ctx.render("glossary", terms=sorted(terms.items(), key=lambda x: x[0].lower()))


def sc_verification(ctx: Context, arg: str) -> Markup:
    dates = sorted({c["verification"]["date"] for t in ctx.report["topics"] for c in t["claims"]
                    if c.get("verification") and c["verification"]["how"] == "record"})
    return ctx.render("verification", summary=ctx.report["summary"], statuses=STATUSES, dates=dates)


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                "twelve")


def sc_count(ctx, arg: str) -> str:
    """<!-- count: sources --> as a word ("five"); `Sources` starts a sentence ("Five")."""
    if arg.lower() != "sources":
        raise LookupError("count takes 'sources'")
    n = len(state["sources"])
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
    "guidance": sc_guidance,
    "glossary": sc_glossary,
    "verification": sc_verification,
}
