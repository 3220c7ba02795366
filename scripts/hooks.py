"""MkDocs hooks: the engine's findings rendered into the site.

The data is loaded, verified and compared once per build (``on_config``); pages use
HTML-comment shortcodes, expanded in ``on_page_markdown`` the way Material's own
documentation does it (invisible in a plain Markdown preview; an unknown one fails
the build with page and line):

    <!-- sources: TOPIC -->        what each source says, quotes on expand, "not mentioned"
    <!-- disagreement: TOPIC -->   the callout: status, sides, resolution, citation
    <!-- cite: ID, ID -->          citation links to claims (SOURCE.TOPIC) or guidance (guidance.NAME)
    <!-- disagreements: short -->  one line per reconciled topic (the handout); `all` for the full list
    <!-- glossary: all -->         every term of the glossary snippet files
    <!-- verification: status --> whether this build verified the quotes
    <!-- source: ID -->            a source page;  <!-- sources-list: all -->, <!-- guidance: all -->

Generated pages: disagreements.md, guidance.md, sources/index.md, sources/ID.md.
Exports: exports/findings.json (the script's JSON), exports/claims.csv, exports/findings.csv.
"""
from __future__ import annotations

import json
import logging
import re
import sys
from html import escape
from pathlib import Path

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reconcile import render  # noqa: E402
from reconcile.model import STATUSES  # noqa: E402
from reconcile.pipeline import analyse, archive_dir, reference_file  # noqa: E402
from reconcile.report import build_report  # noqa: E402
from reconcile.yamlfile import InputError  # noqa: E402

log = logging.getLogger("mkdocs.hooks.reconcile")

SHORTCODE = re.compile(r"<!--\s*([a-z][a-z-]*):\s*(.*?)\s*-->")
CODE = re.compile(r"^(```|~~~).*?^\1|`[^`\n]+`", re.M | re.S)
GLOSSARY_LINE = re.compile(r"^\*\[(.+?)\]:\s*(.+)$", re.M)

HEADINGS = {
    "conflict": ("warning", "The sources disagree"),
    "omission": ("warning", "Some sources leave out a caution"),
    "outdated": ("danger", "The sources agree, but current guidance differs"),
    "outdated-single": ("danger", "Current guidance says something else"),
    "variation": ("info", "The sources differ a little"),
    "single-source": ("info", "Only one source says this"),
    "agree": ("success", "The sources agree"),
}
GROUP_TITLES = {
    "conflict": "The sources disagree",
    "omission": "Some sources leave out a caution",
    "outdated": "The sources agree, but current guidance differs",
    "variation": "The sources differ a little",
    "single-source": "Only one source says this",
}

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
        log.info("source archive not found (%s): the quotes were not verified in this build", archive_dir())
    elif report["summary"]["quotes"]["failed"]:
        log.info("%d quotes did not verify: run `make check`", report["summary"]["quotes"]["failed"])
    if not any(isinstance(e, IncludedShortcodes) for e in config.markdown_extensions):
        config.markdown_extensions.append(IncludedShortcodes())
    state.clear()
    state.update(root=root, project=a.project, findings={f.topic.id: f for f in a.findings},
                 report=report, topics={t["id"]: t for t in report["topics"]}, anchors={})
    return config


def on_files(files, config):
    project = state["project"]
    pages = {"disagreements.md": "# Where the sources disagree\n\n<!-- disagreements: all -->\n",
             "guidance.md": "# What current guidance says\n\n<!-- guidance: all -->\n",
             "sources/index.md": "# The sources\n\n<!-- sources-list: all -->\n"}
    for sid, source in project.sources.items():
        pages[f"sources/{sid}.md"] = f"# {source.label} ({sid})\n\n<!-- source: {sid} -->\n"
    for path, content in pages.items():
        title = content.splitlines()[0][2:]
        front = f"---\ndescription: \"{title}: part of a guide to what five web sources say about cervical insufficiency.\"\n---\n\n"
        files.append(File.generated(config, path, content=front + content))
    report = state["report"]
    exports = {"exports/findings.json": json.dumps(report, indent=2, ensure_ascii=False) + "\n",
               "exports/claims.csv": render.claims_csv(report),
               "exports/findings.csv": render.findings_csv(report)}
    for path, content in exports.items():
        files.append(File.generated(config, path, content=content))
    # Where each topic's table of sources is: the generated pages link to it.
    for file in files.documentation_pages():
        if file.generated_by:
            continue
        for m in SHORTCODE.finditer(file.content_string):
            if m.group(1) == "sources":  # the table is the best place to land; the callout the next best
                state["anchors"][m.group(2)] = (file.src_uri, anchor("topic", m.group(2)))
            elif m.group(1) == "disagreement":
                state["anchors"].setdefault(m.group(2), (file.src_uri, anchor("disagreement", m.group(2))))
    for topic in project.topics.values():
        if files.get_file_from_path(topic.page) is None:
            raise PluginError(f"{topic.where}: topic {topic.id} names page {topic.page}, which is not in docs/")
    state["files"] = files
    return files


def on_page_markdown(markdown, page, config, files):
    raw = page.file.content_string
    start = raw.find(markdown.strip()[:200]) if markdown.strip() else -1
    offset = raw[:start].count("\n") if start > 0 else 0
    state["page"] = Context(page, files)  # for shortcodes that snippets bring in later, while this page renders
    return expand_shortcodes(markdown, state["page"], lambda pos: f"{page.file.src_uri}:{offset + markdown.count(chr(10), 0, pos) + 1}")


def expand_shortcodes(markdown: str, ctx, where) -> str:
    protected = [m.span() for m in CODE.finditer(markdown)]

    def expand(m):
        if any(a <= m.start() < b for a, b in protected):
            return m.group(0)
        name, arg = m.group(1), m.group(2)
        handler = SHORTCODES.get(name)
        if handler is None:
            raise PluginError(f"{where(m.start())}: unknown shortcode <!-- {name}: ... --> (known: {', '.join(SHORTCODES)})")
        try:
            return handler(ctx, arg)
        except LookupError as exc:
            raise PluginError(f"{where(m.start())}: {exc.args[0]}") from None

    return SHORTCODE.sub(expand, markdown)


class _IncludedShortcodes(Preprocessor):
    """Shortcodes in text that pymdownx.snippets pasted in (it runs after on_page_markdown)."""

    def run(self, lines):
        ctx = state.get("page")
        if ctx is None:
            return lines
        text = "\n".join(lines)
        if "<!--" not in text:
            return lines
        return expand_shortcodes(text, ctx, lambda pos: f"{ctx.page.file.src_uri} (in an included snippet)").split("\n")


class IncludedShortcodes(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(_IncludedShortcodes(md), "reconcile-shortcodes", 31)  # snippets is 32


# ---------------------------------------------------------------- helpers

class Context:
    """What a shortcode needs: the page (for relative links) and the findings."""

    def __init__(self, page, files):
        self.page, self.files = page, files
        self.project, self.report = state["project"], state["report"]

    def href(self, src_uri: str, anchor: str = "") -> str:
        file = self.files.get_file_from_path(src_uri)
        if file is None:
            raise LookupError(f"no page {src_uri}")
        url = get_relative_url(file.url, self.page.url)
        return escape(url + (f"#{anchor}" if anchor else ""))

    def topic(self, tid: str) -> dict:
        if tid not in state["topics"]:
            raise LookupError(f"unknown topic {tid!r} (see data/topics/)")
        return state["topics"][tid]

    def label(self, sid: str) -> str:
        return self.project.sources[sid].label


def anchor(kind: str, ident: str) -> str:
    return f"{kind}-{re.sub(r'[^a-z0-9]+', '-', ident.lower()).strip('-')}"


def block(html: str) -> str:
    """Raw HTML as its own Markdown block (blank lines around it, no blank lines inside)."""
    return "\n\n" + "\n".join(line for line in html.splitlines() if line.strip()) + "\n\n"


def _quote_html(claim: dict) -> str:
    note = ""
    if claim["verified"] is False:
        note = ' <span class="unverified">(this quote did not match the source text)</span>'
    elif claim["verified"] is None:
        note = ' <span class="unverified">(quote not checked in this build)</span>'
    return (f'<details class="claim-quote"><summary>Their words</summary>'
            f'<blockquote><p>\u201c{escape(claim["quote"])}\u201d{note}</p></blockquote></details>')


# ---------------------------------------------------------------- shortcodes

def sc_sources(ctx: Context, tid: str) -> str:
    topic = ctx.topic(tid)
    by_source = {c["source"]: c for c in topic["claims"]}
    rows = []
    for sid in ctx.project.sources:
        head = f'<th scope="row"><a href="{ctx.href(f"sources/{sid}.md")}">{escape(ctx.label(sid))}</a></th>'
        claim = by_source.get(sid)
        if claim is None:
            rows.append(f'<tr>{head}<td class="not-mentioned">Not mentioned</td></tr>')
            continue
        implied = ' <span class="implied">(by leaving it out)</span>' if claim["implied"] else ""
        rows.append(f'<tr id="{anchor("claim", claim["id"])}-here">{head}<td>{escape(claim["says"])}{implied}'
                    f'{_quote_html(claim)}</td></tr>')
    return block(
        f'<div class="sources-table" id="{anchor("topic", tid)}">\n<table>\n'
        f'<caption>What the sources say: {escape(topic["question"])}</caption>\n'
        '<thead><tr><th scope="col">Source</th><th scope="col">What it says</th></tr></thead>\n'
        f'<tbody>\n' + "\n".join(rows) + '\n</tbody>\n</table>\n</div>')


def _guidance_links(ctx: Context, ids: list[str]) -> str:
    links, shown = [], set()
    for gid in ids:
        fact = ctx.project.guidance[gid]
        new = [k for k in fact.cite if k not in shown]  # "ACOG PB 142, ACOG PB 142" reads as a mistake
        if not new:
            continue
        shown.update(new)
        keys = ", ".join(new) + (" (as reported by secondary sources)" if fact.secondary else "")
        links.append(f'<a href="{ctx.href("guidance.md", anchor("guidance", gid[9:]))}">{escape(keys)}</a>')
    return ", ".join(links)


def sc_disagreement(ctx: Context, tid: str) -> str:
    topic = ctx.topic(tid)
    res = topic["resolution"]
    status = topic["status"]
    if topic["outdated"]:
        status = "outdated-single" if status == "single-source" else "outdated"
    if status == "agree" or (status == "single-source" and res is None):
        return "\n"
    kind, heading = HEADINGS[status]
    supports = set(res["supports"]) if res else set()
    support_note = "(the source we trust more here)" if res and res["guidance_silent"] else "(matches current guidance)"
    sides = []
    for c in topic["claims"]:
        mark = f' <em class="supported">{support_note}</em>' if c["source"] in supports else ""
        link = ctx.href("sources/" + c["source"] + ".md", anchor("claim", c["id"]))
        sides.append(f'<li><a href="{link}">'
                     f'{escape(ctx.label(c["source"]))}</a>: {escape(c["says"])}{mark}</li>')
    parts = [f'<div class="admonition {kind} disagreement" id="{anchor("disagreement", tid)}">',
             f'<p class="admonition-title">{heading}: {escape(topic["question"])}</p>',
             "<ul>" + "".join(sides) + "</ul>"]
    if res is None:
        parts.append("<p><strong>Not yet reviewed.</strong> Our editors have not yet checked this against "
                     "current guidance. Please ask your doctor.</p>")
    else:
        parts.append(f'<p><strong>What we make of it:</strong> {escape(res["summary"])}</p>')
        if res["guidance_silent"]:
            ask = "" if "doctor" in (res["trust"] or "").lower() else " Please ask your doctor."
            parts.append(f'<p><strong>Guidance does not settle this.</strong> {escape(res["trust"] or "")}{ask}</p>')
        else:
            parts.append(f'<p class="resolution-cite">Current guidance: '
                         f'{_guidance_links(ctx, res["guidance"])}. Checked {escape(res["reviewed"])}.</p>')
    parts.append("</div>")
    return block("\n".join(parts))


def sc_cite(ctx: Context, arg: str) -> str:
    links, shown = [], set()  # one marker per source or citation key: "[002, 002]" reads as a mistake
    for ident in (i.strip() for i in arg.split(",")):
        if ident.startswith("guidance."):
            if ident not in ctx.project.guidance:
                raise LookupError(f"unknown guidance id {ident!r} (see data/guidance.yaml)")
            fact = ctx.project.guidance[ident]
            keys = [k for k in fact.cite if k not in shown]
            shown.update(keys)
            if keys:
                links.append(f'<a class="cite" href="{ctx.href("guidance.md", anchor("guidance", ident[9:]))}" '
                             f'title="{escape(", ".join(fact.cite))}">{escape(", ".join(keys))}</a>')
            continue
        claim = ctx.project.claims.get(ident)
        if claim is None:
            raise LookupError(f"unknown claim {ident!r} in cite (a claim id is SOURCE.TOPIC, like 003.cerclage.removal)")
        if claim.source in shown:
            continue
        shown.add(claim.source)
        links.append(f'<a class="cite" href="{ctx.href(f"sources/{claim.source}.md", anchor("claim", ident))}" '
                     f'title="{escape(ctx.label(claim.source))}: \u201c{escape(claim.quote)}\u201d">{claim.source}</a>')
    if not links:
        raise LookupError("cite needs at least one id")
    return f'<sup class="cite">[{", ".join(links)}]</sup>'


def _groups(ctx: Context):
    order = ["conflict", "omission", "outdated", "variation", "single-source"]
    groups = {k: [] for k in order}
    for t in ctx.report["topics"]:
        key = "outdated" if t["outdated"] else t["status"]
        if key in groups:
            groups[key].append(t)
    return groups


def _topic_link(ctx: Context, t: dict) -> str:
    place = state["anchors"].get(t["id"])
    target = ctx.href(*place) if place else ctx.href(t["page"])
    return f'<a href="{target}">{escape(t["question"])}</a>'


def sc_disagreements(ctx: Context, arg: str) -> str:
    groups = _groups(ctx)
    if arg == "short":
        # The page may choose the topics (front matter `disagreements:`): the handout keeps those that
        # change what a patient does.
        chosen = ctx.page.meta.get("disagreements")
        for tid in chosen or ():
            ctx.topic(tid)
        items = [f'<li><strong>{escape(t["question"])}</strong> {escape(t["resolution"]["short"])}</li>'
                 for key in ("conflict", "omission", "outdated", "variation")
                 for t in groups[key] if t["resolution"] and (chosen is None or t["id"] in chosen)]
        key = "; ".join(f"{sid} {escape(s.label)}" for sid, s in ctx.project.sources.items())
        return block('<ul class="disagreements-short">' + "".join(items) + "</ul>"
                     f'<p class="source-key">The numbers are the sources: {key}.</p>')
    if arg != "all":
        raise LookupError("disagreements takes 'short' or 'all'")
    s = ctx.report["summary"]
    intro = (f"<p>We compared what {s['sources']} sources say on {s['topics']} questions. "
             f"They disagree on {s['statuses']['conflict']}, some leave out a caution on "
             f"{s['statuses']['omission']}, and on {s['outdated']} they agree with each other but current "
             f"guidance says something else. Each item links to the page that explains it.</p>")
    parts = [intro]
    for key, topics in groups.items():
        if not topics:
            continue
        parts.append(f'<h2 id="{key}">{GROUP_TITLES[key]} ({len(topics)})</h2>')
        items = []
        for t in topics:
            detail = escape(t["resolution"]["short"]) if t["resolution"] else \
                "; ".join(f'{escape(ctx.label(c["source"]))}: {escape(c["says"])}' for c in t["claims"])
            flag = "" if t["resolved"] else ' <strong class="unresolved">(not yet reviewed)</strong>'
            items.append(f"<li>{_topic_link(ctx, t)}{flag}<br>{detail}</li>")
        parts.append("<ul>" + "".join(items) + "</ul>")
    return block("\n".join(parts))


def sc_source(ctx: Context, sid: str) -> str:
    source = ctx.project.sources.get(sid)
    if source is None:
        raise LookupError(f"unknown source {sid!r}")
    a = source.appraisal
    date = f'{source.date["value"]} ({source.date["meaning"]})' if source.date else "No date given"
    facts = [("Title as shown", source.title or "No title shown"), ("Who the text names", source.names),
             ("Date the text gives", date), ("Kind of page", source.kind), ("Archive file", source.file),
             ("SHA-256", source.sha256)]
    appraisal = [("Reviewed by a clinician?", a["clinician_review"]), ("Dated?", a["dated"]),
                 ("References?", a["references"]), ("Commercial interest?", a["commercial_interest"]),
                 ("Opinion or fact?", a["opinion"]), ("How much weight we give it", a["trust"])]

    def table(rows, caption):
        body = "".join(f'<tr><th scope="row">{escape(k)}</th><td>{escape(v)}</td></tr>' for k, v in rows)
        return f"<table><caption>{caption}</caption><tbody>{body}</tbody></table>"

    claims = []
    for t in ctx.report["topics"]:
        for c in t["claims"]:
            if c["source"] == sid:
                claims.append(f'<tr id="{anchor("claim", c["id"])}"><td>{_topic_link(ctx, t)}</td>'
                              f'<td>{escape(c["says"])}{_quote_html(c)}</td></tr>')
    return block("\n".join([
        f"<p>{escape(a['summary'])}</p>",
        '<h2 id="what-the-text-shows">What the text shows</h2>', table(facts, "About this source"),
        '<h2 id="appraisal">How trustworthy it is</h2>', table(appraisal, "Appraisal"),
        f'<h2 id="claims">What we took from it ({len(claims)} claims)</h2>',
        '<div class="sources-table"><table><caption>Claims from this source</caption>'
        '<thead><tr><th scope="col">Question</th><th scope="col">What it says</th></tr></thead><tbody>',
        "\n".join(claims), "</tbody></table></div>"]))


def sc_sources_list(ctx: Context, arg: str) -> str:
    rows = []
    for sid, s in ctx.project.sources.items():
        date = s.date["value"] if s.date else "none"
        rows.append(f'<tr><th scope="row"><a href="{ctx.href(f"sources/{sid}.md")}">{escape(s.label)} ({sid})</a></th>'
                    f'<td>{escape(s.kind)}</td><td>{escape(date)}</td><td>{escape(s.appraisal["trust"])}</td></tr>')
    return block("<p>These are the web pages this site compares. We keep a saved copy of each and check "
                 "every quote against it. We do not copy their text, apart from short quotes.</p>\n"
                 '<div class="sources-table"><table><caption>The sources</caption><thead><tr>'
                 '<th scope="col">Source</th><th scope="col">Kind of page</th><th scope="col">Date it gives</th>'
                 '<th scope="col">Weight we give it</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table></div>")


def sc_guidance(ctx: Context, arg: str) -> str:
    parts = ["<p>Where the sources disagree, or all say something that has since changed, we use only "
             "the professional guidance listed here. Each point is in our own words.</p>"]
    for gid, fact in ctx.project.guidance.items():
        note = " (confirmed through secondary sources that report it)" if fact.secondary else ""
        parts.append(f'<p id="{anchor("guidance", gid[9:])}">{escape(fact.says)} '
                     f'<em>Source: {escape(", ".join(fact.cite))}{note}.</em></p>')
    parts.append('<h2 id="citations">Citations</h2><ul>')
    parts += [f"<li><strong>{escape(c.key)}</strong>: {escape(c.text)}</li>" for c in ctx.project.citations.values()]
    parts.append("</ul>")
    return block("\n".join(parts))


def sc_glossary(ctx: Context, arg: str) -> str:
    terms = {}
    for path in sorted((state["root"] / "includes").glob("glossary*.md")):
        for term, definition in GLOSSARY_LINE.findall(path.read_text(encoding="utf-8")):
            terms.setdefault(term, definition)
    items = "".join(f"<dt>{escape(t)}</dt><dd>{escape(d)}</dd>" for t, d in sorted(terms.items(), key=lambda x: x[0].lower()))
    return block(f'<dl class="glossary">{items}</dl>')


def sc_verification(ctx: Context, arg: str) -> str:
    s = ctx.report["summary"]
    q = s["quotes"]
    if s["archive"] is None:
        return block('<div class="admonition warning"><p class="admonition-title">Quotes not checked in this build</p>'
                     "<p>The saved copies of the sources were not available when this copy was built, so the "
                     "quotes were not checked against them.</p></div>")
    counts = ", ".join(f"{s['statuses'][k]} {k}" for k in STATUSES)
    return block(f"<p>In this build, {q['verified']} of {s['claims']} quotes were found word for word in the saved "
                 f"sources ({q['failed']} were not). Topics: {counts}.</p>")


SHORTCODES = {
    "sources": sc_sources,
    "disagreement": sc_disagreement,
    "cite": sc_cite,
    "disagreements": sc_disagreements,
    "source": sc_source,
    "sources-list": sc_sources_list,
    "guidance": sc_guidance,
    "glossary": sc_glossary,
    "verification": sc_verification,
}
