"""MkDocs hooks: the engine's findings rendered into the site.

The data is loaded, verified and compared once per build (``on_config``); pages use
HTML-comment shortcodes (invisible in a plain Markdown preview; an unknown one fails
the build with page and line):

    <!-- sources: TOPIC -->        what each source says, quotes on expand, "no answer from"
    <!-- disagreement: TOPIC -->   the callout: status, sides, resolution, citation
    <!-- cite: ID, ID -->          citation links to claims (SOURCE.TOPIC) or guidance (guidance.NAME)
    <!-- disagreements: short -->  one line per reconciled topic (the handout); `all` for the full list
    <!-- glossary: all -->         every term of the glossary snippet files
    <!-- verification: status --> whether this build verified the quotes
    <!-- source: ID -->            a source page;  <!-- sources-list: all -->, <!-- guidance: all -->

The shortcodes are rendered by shortcodes.py (a plain function of the findings): each one's HTML comes
from a Jinja template in overrides/partials/ci-*.html, rendered
in the theme's own template environment (so a custom_dir can override it) with autoescape on.
The HTML goes into Python-Markdown's stash, so Markdown never parses it again: nothing in the
data can become a link, an image or an element.

Generated pages: disagreements.md, guidance.md, sources/index.md, sources/ID.md.
Exports: exports/findings.json (the script's JSON with each quote's place, not its words: render.excerpted),
exports/claims.csv, exports/findings.csv.
"""
from __future__ import annotations

import json
import logging
import os
import re
import sys
from pathlib import Path

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markupsafe import Markup, escape
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils.meta import get_data

from reconcile import render
from reconcile.pipeline import analyse, archive_dir, parse_cache, reference_file
from reconcile.pages import cited_claims, shown_topics, unshown
from reconcile.report import build_report
from reconcile.review_dates import page_dates
from reconcile.yamlfile import InputError
from website import siteurl
from website.pagecontext import Context, Page, Site, anchor, block_sections, claim_anchor
from website.shortcodes import SHORTCODE, ShortcodeError, count_word, expand_shortcodes
from website.templatecache import SignedBytecodeCache

log = logging.getLogger("mkdocs.hooks.reconcile")

# The pages this hook makes, besides one per source (sources/ID.md, headed by its template).
HELP_BOX = "includes/help-box.md"
HELP_FIRST = {"questions.md"}  # generated pages whose box comes first, under the title (others: at the end)
GENERATED = {"disagreements.md": ("Where the sources disagree", "<!-- disagreements: all -->\n\n"
                                     "## The weeks, side by side\n\n<!-- timeline: all -->"),
             "questions.md": ("Questions to ask your doctor", "<!-- questions: all -->"),
             "guidance.md": ("What current guidance says", "<!-- guidance: all -->"),
             "sources/index.md": ("The sources", "<!-- sources-list: all -->")}

state: dict = {}
DOCS_LINK = re.compile(r"\]\((?![a-z][a-z0-9+.-]*:|/|#)")  # a Markdown link to a page of docs/


def relative_links(markdown: str, prefix: str) -> str:
    """Markdown written from docs/ with its page links made relative to a page ``prefix`` ("../") deeper."""
    return DOCS_LINK.sub(lambda m: m.group(0) + prefix, markdown) if prefix else markdown


HELP_LINE = re.compile(rf'^--8<-- "{re.escape(HELP_BOX)}"$', re.M)


def with_help_box(markdown: str, src_uri: str, box: str) -> str:
    """``markdown`` of the page ``src_uri`` with each line that includes the help box (``--8<-- "includes/help-box.md"``,
    as a snippet) replaced by the box, its links made relative to the page: one box, written once, on every page
    (a snippet's links would stay relative to docs/ and break on a page in a folder)."""
    here = relative_links(box.rstrip("\n"), "../" * src_uri.count("/"))
    return HELP_LINE.sub(lambda m: here, markdown)


# ---------------------------------------------------------------- build events

def on_startup(command, dirty):
    state["command"] = command


def bad_input(message: str) -> BaseException:
    """Bad data, or a page naming what the data does not hold: one line and exit status 2, as
    ``make check`` (the README's promise). Under ``mkdocs serve`` a PluginError instead: the
    preview says it and keeps running until the file is fixed."""
    if state.get("command") == "serve":
        return PluginError(message)
    logging.getLogger("mkdocs").error(message)
    return SystemExit(2)


def on_config(config):
    try:  # every page prints it unescaped (the canonical link), the handout with a QR code
        siteurl.check(config.site_url) if config.site_url else None
        config.extra["feedback_href"] = siteurl.feedback_href(config.extra.get("feedback"))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    root = Path(config.config_file_path).resolve().parent
    archive, reference = archive_dir(root=root), reference_file(root=root)
    archive = archive if archive.is_dir() else None
    reference = reference if reference.is_file() else None
    try:
        a = analyse(root / "data", archive, reference)
    except InputError as exc:
        raise bad_input(f"bad data: {exc}") from None
    report = build_report(a.project, a.verification, a.findings, a.reference_problems, a.discovery)
    if archive is None:
        log.info("source archive not found (%s): %d of %d quotes shown as verified from data/verified.lock",
                 archive_dir(root=root), report["summary"]["quotes"]["record"], report["summary"]["claims"])
    elif report["summary"]["quotes"]["failed"]:
        log.info("%d quotes did not verify: run `make check`", report["summary"]["quotes"]["failed"])
    if not any(isinstance(e, IncludedShortcodes) for e in config.markdown_extensions):
        config.markdown_extensions.append(IncludedShortcodes())
    # The theme's own environment (custom_dir first, so overrides work), with autoescape on:
    # every value a template prints is escaped unless the template itself made it markup.
    # Compiled templates are kept in the build folder, keyed by their source and signed with this
    # user's key (no pickle; a planted, changed or broken entry is compiled again): compiling them
    # was half the shortcodes' time.
    templates_cache = parse_cache(root).parent / "templates"
    try:
        templates_cache.mkdir(parents=True, exist_ok=True)
        compiled = SignedBytecodeCache(templates_cache) if os.access(templates_cache, os.W_OK) else None
    except OSError:  # a read-only checkout: compile each time
        compiled = None
    env = config.theme.get_env().overlay(autoescape=True, bytecode_cache=compiled)
    # Data text shown inline beside the project's own goes in <bdi>: whatever direction it takes (the
    # loader refuses direction controls; this is the second wall), it cannot reverse the text after it.
    env.filters["bdi"] = lambda value: Markup("<bdi>%s</bdi>") % value
    # Drafts are never published: a draft source (draft: true, or a TODO left in it) gets no page,
    # no row and no count; the build says which it left out.
    sources = {sid: s for sid, s in a.project.sources.items() if not is_draft(s)}
    drafts = [f"{s.id} ({s.where})" for s in a.project.sources.values() if s.id not in sources]
    if drafts:
        log.info("draft sources left out of the site: %s", ", ".join(drafts))
    report = published(report, set(sources))
    state.clear()
    state["site"] = Site(root=root, project=a.project, sources=sources, report=report, env=env)
    add_sources_to_nav(config.nav, sources)
    config.site_description = SHORTCODE.sub(lambda m: count_word(len(sources), m.group(2)) if m.group(1) == "count"
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
        raise bad_input("mkdocs.yml: nav has no sources/index.md; the source pages are listed after it")


def on_files(files, config):
    site = state["site"]
    project = site.project
    for file in files.documentation_pages():  # front matter MkDocs would drop whole, without a word
        if not file.generated_by and file.abs_src_path:
            try:
                page_dates(Path(file.abs_src_path))
            except InputError as exc:
                raise bad_input(str(exc)) from None
    pages = {path: f"# {title}\n\n{body}\n" for path, (title, body) in GENERATED.items()}
    # A source page's heading comes from its template (the label is data, never Markdown).
    for sid in site.sources:
        pages[f"sources/{sid}.md"] = f"<!-- source: {sid} -->\n"
    # Every page made here can speak of symptoms (a source's warning signs, guidance on waters breaking):
    # each carries the same "Get help now" box as the written pages, one file, includes/help-box.md
    # (absent in a project without it), included as the written pages include it (with_help_box).
    # The questions to ask are taken to a visit, often on paper: there the box comes first, under the title,
    # as on the sheet of questions (a printed page 1 then says when to get help now).
    box = site.root / HELP_BOX
    state["help_box"] = box.read_text(encoding="utf-8") if box.is_file() else None
    if state["help_box"] is not None:
        for path in pages:  # on_page_markdown puts the box in, its links relative to the page
            if path in HELP_FIRST:
                title, _, body = pages[path].partition("\n\n")
                pages[path] = f'{title}\n\n--8<-- "{HELP_BOX}"\n\n{body}'
            else:
                pages[path] += f'\n--8<-- "{HELP_BOX}"\n'
    for path, content in pages.items():
        files.append(File.generated(config, path, content=content))
    report = site.report
    # Where each topic's evidence block is: the generated pages link to it.
    texts = [f.content_string for f in files.documentation_pages() if not f.generated_by]
    for file in files.documentation_pages():
        if file.generated_by:
            continue
        # a question's home: its own page when that page shows it, else the first that does; its evidence block
        # stands once on the site (shortcodes.sc_evidence), the citation that cites most of its claims is where a list leads (sc_cite)
        blocks, cited = shown_topics([file.content_string])
        site.sections[file.src_uri] = block_sections(file.content_string)   # where "Read" leads (read_link)
        for places, kind, tids in ((site.anchors, "topic", blocks), (site.said, "said", cited)):
            for tid in tids:
                if tid not in places or file.src_uri == site.topics.get(tid, {}).get("page"):
                    places[tid] = (file.src_uri, anchor(kind, tid))
        answered = get_data(file.content_string)[1].get("answers") or []  # front matter: questions it answers
        for tid in answered if isinstance(answered, list) else [answered]:
            if str(tid) not in site.topics:
                line = file.content_string[:file.content_string.find("answers:")].count("\n") + 1
                raise bad_input(f"{file.abs_src_path or file.src_uri}:{line}: answers: no topic {str(tid)!r} "
                                "(see data/topics/)")
            site.answers.setdefault(str(tid), file.src_uri)
        for ident in cited_claims(file.content_string):   # each claim's first citation: on its question's page, else the first page
            if ident not in site.said_claims or file.src_uri == site.topics.get(ident.split(".", 1)[-1], {}).get("page"):
                site.said_claims[ident] = (file.src_uri, claim_anchor(ident))
    # The exports carry each claim's place, not its quote (the sources' words stand once, as evidence).
    def evidence(topic: dict, claim: dict) -> str:  # where quoted_in shows its words: evidence block, or its row
        if not claim["shown"]:
            return ""  # the site shows none of its words (excerpt.weighed)
        place = site.anchors.get(topic["id"])
        if place and (page := files.get_file_from_path(place[0])):
            return f"{page.url}#{anchor('claim', claim['id'])}-here"
        page = files.get_file_from_path(f"sources/{claim['source']}.md")
        return f"{page.url}#{anchor('claim', claim['id'])}" if page else ""
    public = render.excerpted(report, evidence)
    exports = {"exports/findings.json": json.dumps(public, indent=2, ensure_ascii=False) + "\n",
               "exports/claims.csv": render.claims_csv(public),
               "exports/findings.csv": render.findings_csv(public)}
    for path, content in exports.items():
        files.append(File.generated(config, path, content=content))
    missing = unshown([t["id"] for t in report["topics"]], texts)
    if missing:
        first = report["topics"][[t["id"] for t in report["topics"]].index(missing[0])]
        raise bad_input(f"{project.topics[missing[0]].where}: topic {missing[0]} has claims but no page shows it "
                          f"(add <!-- sources: {missing[0]} --> to {first['page']})"
                          + (f"; also {', '.join(missing[1:])}" if missing[1:] else ""))
    for topic in project.topics.values():
        if files.get_file_from_path(topic.page) is None:
            raise bad_input(f"{topic.where}: topic {topic.id} names page {topic.page}, which is not in docs/")
    state["urls"] = {file.src_uri: file.url for file in files}
    return files


def on_page_markdown(markdown, page, config, files):
    if state["help_box"] is not None:
        markdown = with_help_box(markdown, page.file.src_uri, state["help_box"])
    state["page"] = Context(state["site"], Page(page.file.src_uri, page.url, page.meta, page.file.content_string),
                            state["urls"])  # the Markdown preprocessor expands this page's shortcodes
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
    sources = state["site"].sources
    if m and m.group(1) in sources:
        source = sources[m.group(1)]
        return f"{source.label} ({source.id})"
    return GENERATED[src_uri][0] if src_uri in GENERATED else None


class _Shortcodes(Preprocessor):
    """Expands the shortcodes of the page, snippets included (pymdownx.snippets runs just before)."""

    def run(self, lines):
        ctx = state.get("page")
        text = "\n".join(lines)
        if ctx is None or "<!--" not in text:
            return lines
        raw = ctx.page.source

        def where(m):
            at = raw.find(m.group(0))
            if at < 0:
                return f"{ctx.page.src_uri} (in an included snippet)"
            return f"{ctx.page.src_uri}:{raw.count(chr(10), 0, at) + 1}"

        try:
            return expand_shortcodes(text, ctx, where, self.md.htmlStash.store).split("\n")
        except ShortcodeError as exc:
            raise bad_input(str(exc)) from None


class IncludedShortcodes(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(_Shortcodes(md), "reconcile-shortcodes", 29)  # after snippets (32) and normalize_whitespace (30), which drops stash markers
